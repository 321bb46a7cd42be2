"""Sign-ups and password resets behind a mobile network: allauth's limits (ACCOUNT_RATE_LIMITS "signup",
"reset_password", from SIGNUP_IP_RATE_LIMIT, PASSWORD_RESET_EMAIL_RATE_LIMIT and PASSWORD_RESET_IP_RATE_LIMIT) stop a
flood from one internet address, not a kelurahan's outreach event whose citizens all share one carrier's address
(CGNAT: 20 sign-ups an hour from an address refused the 21st citizen); a reset email to one inbox stays strictly
limited whatever the addresses asking."""

from __future__ import annotations

import time
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from complaints.ratelimit import parse_rate

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-yang-kuat-123"


def _fresh_ip() -> str:
    """An address no earlier test (nor run, with Redis) counted against."""
    n = uuid.uuid4().int
    return f"100.{64 + n % 60}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _fresh_email(who: str = "warga") -> str:
    return f"{who}-{uuid.uuid4().hex[:10]}@example.id"


def _sign_up(client, email: str, ip: str):
    client.logout()
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR=ip
    )


def _reset(client, email: str, ip: str):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=ip)


def test_thirty_citizens_behind_one_address_can_each_sign_up(client):
    carrier_address = _fresh_ip()
    responses = [_sign_up(client, _fresh_email(f"warga{i}"), carrier_address) for i in range(30)]
    assert [response.status_code for response in responses] == [302] * 30
    assert {response["Location"] for response in responses} == {reverse("account_email_verification_sent")}


def test_a_flood_of_sign_ups_from_one_address_is_stopped(client):
    allowed, _seconds = parse_rate(settings.SIGNUP_IP_RATE_LIMIT)
    ip = _fresh_ip()
    # An empty form counts as much as a filled one (allauth counts every POST) and costs no account.
    statuses = [client.post(reverse("account_signup"), {}, REMOTE_ADDR=ip).status_code for _ in range(allowed)]
    assert 429 not in statuses
    assert client.post(reverse("account_signup"), {}, REMOTE_ADDR=ip).status_code == 429
    # Another address still signs up.
    assert _sign_up(client, _fresh_email(), _fresh_ip()).status_code == 302


def test_thirty_citizens_behind_one_address_can_each_ask_for_a_password_reset(client):
    carrier_address = _fresh_ip()
    statuses = [_reset(client, _fresh_email(f"lupa{i}"), carrier_address).status_code for i in range(30)]
    assert statuses == [302] * 30
    assert len(mail.outbox) == 30


def test_a_flood_of_password_resets_from_one_address_is_stopped(client):
    allowed, _seconds = parse_rate(settings.PASSWORD_RESET_IP_RATE_LIMIT)
    ip = _fresh_ip()
    statuses = [_reset(client, _fresh_email(), ip).status_code for _ in range(allowed)]
    assert 429 not in statuses
    assert _reset(client, _fresh_email(), ip).status_code == 429


def test_one_inbox_gets_few_reset_emails_from_any_number_of_addresses(client, monkeypatch):
    allowed, seconds = parse_rate(settings.PASSWORD_RESET_EMAIL_RATE_LIMIT)
    assert allowed <= 5 and seconds >= 3600  # a strict limit: it writes to that inbox
    email = _fresh_email("korban")
    statuses = [_reset(client, email, _fresh_ip()).status_code for _ in range(allowed)]
    assert statuses == [302] * allowed
    # Some minutes later (allauth's window slides on the clock it reads), still refused, from yet another address.
    later = time.time() + 10 * 60
    clock = SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", clock)
    assert _reset(client, email, _fresh_ip()).status_code == 429
    assert len(mail.outbox) == allowed
