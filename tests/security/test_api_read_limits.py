"""REST API reads are limited per client address when anonymous and per account when signed in: a penetration test
read 300 pages of 200 tickets from one address in 18 s, every one answered 200. Past the limit the API answers 429
with Retry-After, in its error body and the request's language, like a refused filing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/?page_size=200"
# 20 s into a minute (WITA 09:30:20): a "/m" window has 40 s left, whatever the clock says when the test runs.
MID_MINUTE = dt.datetime(2026, 11, 27, 1, 30, 20, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MID_MINUTE, tick=False)


@pytest.fixture
def three_reads_a_minute(settings, frozen):
    settings.API_ANONYMOUS_READ_RATE = "3/m"
    settings.API_ACCOUNT_READ_RATE = "3/m"


def _read(client, **headers):
    return client.get(TICKETS, **headers)


@pytest.mark.usefixtures("three_reads_a_minute")
def test_anonymous_reads_past_the_limit_answer_429_with_retry_after_in_the_error_body():
    client = APIClient()
    assert [_read(client, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)] == [200] * 3
    refused = _read(client, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json() == {
        "errors": [{"field": None, "message": "Terlalu banyak permintaan. Silakan coba lagi dalam 40 detik."}]
    }
    english = _read(client, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"][0]["message"] == "Too many requests. Try again in 40 seconds."
    # Another address has its own allowance.
    assert _read(client, REMOTE_ADDR="203.0.113.8").status_code == 200


@pytest.mark.usefixtures("three_reads_a_minute")
def test_behind_the_proxy_each_citizen_is_counted_by_the_address_the_proxy_saw(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = APIClient()
    for _ in range(3):
        assert _read(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert _read(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # The same proxy, another citizen; and a client writing its own X-Forwarded-For entry gains nothing.
    assert _read(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    spoofed = _read(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert spoofed.status_code == 429


@pytest.mark.usefixtures("three_reads_a_minute")
def test_an_account_is_counted_as_itself_whatever_its_address():
    integration, other = make_user("integrasi@example.id"), make_user("lain@example.id")
    client, other_client = APIClient(), APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(integration)}")
    other_client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(other)}")
    statuses = [_read(client, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    assert _read(other_client, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert _read(APIClient(), REMOTE_ADDR="198.51.100.1").status_code == 200  # anonymous there: its own count


@pytest.mark.usefixtures("three_reads_a_minute")
def test_writes_are_not_counted_as_reads(time_machine):
    """Filing has its own limit per account (FILING_RATE_LIMIT or the account's own): reads must not spend it, nor
    a filing the reads."""
    user = make_user("warga.baca@example.id")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    for _ in range(5):
        assert client.post("/api/v1/tickets/", {}, format="json").status_code == 400  # refused as invalid, not 429
    assert [_read(client).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_limit_is_free_again_in_the_next_window(settings, time_machine):
    settings.API_ANONYMOUS_READ_RATE = "1/m"
    time_machine.move_to(MID_MINUTE, tick=False)
    client = APIClient()
    assert [_read(client).status_code for _ in range(2)] == [200, 429]
    time_machine.move_to(MID_MINUTE + dt.timedelta(seconds=40), tick=False)
    assert _read(client).status_code == 200


@pytest.mark.usefixtures("frozen")
def test_the_default_limits_leave_a_minutely_integration_and_a_docs_page_alone(settings):
    """The shipped rates: an integration's minute (its events, its changed tickets, ten pages of catching up) and a
    developer on the docs page (the page, its script, the schema, a few tries) stay far below them."""
    assert settings.API_ANONYMOUS_READ_RATE == "120/m" and settings.API_ACCOUNT_READ_RATE == "600/m"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(make_user('polling@example.id'))}")
    for _ in range(12):
        assert _read(client).status_code == 200
    docs = APIClient()
    for address in ("/api/docs/", "/api/docs/?script=", "/api/schema/", TICKETS, TICKETS, TICKETS):
        assert docs.get(address).status_code == 200


def test_a_mistyped_rate_stops_the_start():
    env = {"PATH": "/usr/bin:/bin", "ENV_FILE": "/dev/null", "API_ACCOUNT_READ_RATE": "600/minute"}
    env["DJANGO_SETTINGS_MODULE"] = "smartcity.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode != 0
    assert "API_ACCOUNT_READ_RATE must be a number of requests per period" in result.stderr
    assert "'600/minute'" in result.stderr
