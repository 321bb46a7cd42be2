"""How long an Idempotency-Key answers retries is the city's setting, API_IDEMPOTENCY_HOURS (24 unless set), for the
REST API's records, their retention and Open311's claims alike: it was a constant, 24 hours."""
# ruff: noqa: F811

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import IdempotentRequest
from complaints.actions.retention import delete_old_idempotency_keys
from complaints.models import Ticket
from open311.idempotency import Claim
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.open311.conftest import api_key  # noqa: F401

pytestmark = pytest.mark.django_db

KELURAHAN = "63.71.05.1003"
REPLAYED = "Idempotent-Replayed"


def file(client, key: str, title: str):
    body = {"title": title, "description": "Sudah tiga hari tidak diangkut.", "area": KELURAHAN}
    return client.post("/api/v1/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.parametrize(("hours", "after_an_hour"), [(1, 201), (24, 422)])
def test_a_key_reused_after_the_setting_s_hours_files_a_new_ticket(
    as_user, city, citizen, settings, time_machine, hours, after_an_hour
):
    settings.API_IDEMPOTENCY_HOURS = hours
    time_machine.move_to(dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC), tick=False)
    client = as_user(citizen)
    first = file(client, "lapor-1", "Sampah menumpuk")
    assert first.status_code == 201, first.content
    replay = file(client, "lapor-1", "Sampah menumpuk")
    assert replay.status_code == 200 and replay[REPLAYED] == "true"
    assert file(client, "lapor-1", "Lampu jalan mati").status_code == 422

    time_machine.shift(dt.timedelta(minutes=61))
    other = file(client, "lapor-1", "Lampu jalan mati")
    assert other.status_code == after_an_hour, other.content
    assert Ticket.objects.count() == (2 if after_an_hour == 201 else 1)


def test_the_same_report_after_the_hours_still_finds_its_ticket(as_user, city, citizen, settings, time_machine):
    """The record is gone, the ticket's filing key is not: a late retry of the same report files nothing."""
    settings.API_IDEMPOTENCY_HOURS = 1
    time_machine.move_to(dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC), tick=False)
    client = as_user(citizen)
    first = file(client, "lapor-1", "Sampah menumpuk")
    time_machine.shift(dt.timedelta(minutes=61))
    late = file(client, "lapor-1", "Sampah menumpuk")
    assert late.status_code == 200 and late.json()["reference"] == first.json()["reference"]
    assert Ticket.objects.count() == 1


def test_the_retention_job_deletes_records_after_the_setting_s_hours(as_user, city, citizen, settings):
    assert file(as_user(citizen), "lapor-1", "Sampah menumpuk").status_code == 201
    an_hour_later = timezone.now() + dt.timedelta(minutes=61)
    assert delete_old_idempotency_keys(now=an_hour_later) == 0  # 24 hours unless set
    settings.API_IDEMPOTENCY_HOURS = 1
    assert delete_old_idempotency_keys(now=an_hour_later) == 1
    assert not IdempotentRequest.objects.exists()


@pytest.mark.redis
def test_open311_claims_expire_after_the_setting_s_hours(city, api_key, settings):
    settings.API_IDEMPOTENCY_HOURS = 2
    claim = Claim(api_key, "lapor-1", RequestFactory().post("/open311/v2/requests.json", {"description": "x"}))
    assert claim.take() is None
    backend = caches["default"]
    client = backend._cache.get_client()
    assert 2 * 3600 - 60 < client.ttl(backend.make_and_validate_key(claim.cache_key)) <= 2 * 3600
    claim.keep([{"token": "t"}])
    assert 2 * 3600 - 60 < client.ttl(backend.make_and_validate_key(claim.cache_key)) <= 2 * 3600


def test_the_privacy_notice_states_the_setting_s_hours(client, city, settings):
    settings.API_IDEMPOTENCY_HOURS = 1
    page = client.get("/privasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is kept 1 hour, so that a request sent again" in page
