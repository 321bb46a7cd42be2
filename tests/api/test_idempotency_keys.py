"""Staff actions and planning writes honour Idempotency-Key: a retry gets the first answer, the action runs once.

An integration (a department's system bridging replies) that timed out and sends a reply again must not send the
citizen the same reply twice, nor be told "already resolved" about a resolve that worked."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import IdempotentRequest
from complaints import actions
from complaints.actions.retention import apply_retention, delete_old_idempotency_keys
from complaints.models import EventType, Notification, Status, Ticket, TicketEvent
from planning.models import Indicator
from smartcity import api_idempotency
from tests.factories import make_ticket
from tests.planning.conftest import fiscal_year, planned_activity  # noqa: F401

pytestmark = pytest.mark.django_db

REPLAYED = "Idempotent-Replayed"


def _post(client, url, body=None, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en", **headers)


def _replies(ticket):
    return TicketEvent.objects.filter(ticket=ticket, type=EventType.REPLY)


def _emails(ticket):
    return Notification.objects.filter(ticket=ticket, event__type=EventType.REPLY)


def test_a_retried_reply_is_answered_again_without_a_second_reply_or_email(as_user, city, citizen, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    client = as_user(staff_dlh)
    url = f"/api/v1/tickets/{ticket.reference}/reply/"
    first = _post(client, url, {"message": "Truk datang besok pagi."}, key="bridge-reply-1")
    assert first.status_code == 200, first.content
    assert REPLAYED not in first
    assert _replies(ticket).count() == 1 and _emails(ticket).count() == 1

    again = _post(client, url, {"message": "Truk datang besok pagi."}, key="bridge-reply-1")
    assert again.status_code == 200
    assert again[REPLAYED] == "true"
    assert again.content == first.content
    assert _replies(ticket).count() == 1 and _emails(ticket).count() == 1

    # Without a key, or with a new one, a second reply is a second reply.
    assert _post(client, url, {"message": "Truk datang besok pagi."}, key="bridge-reply-2").status_code == 200
    assert _replies(ticket).count() == 2


def test_the_same_key_with_another_body_or_address_is_a_422(as_user, city, citizen, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    client = as_user(staff_dlh)
    base = f"/api/v1/tickets/{ticket.reference}"
    assert _post(client, f"{base}/reply/", {"message": "Truk datang besok."}, key="k-1").status_code == 200

    other_body = _post(client, f"{base}/reply/", {"message": "Truk datang lusa."}, key="k-1")
    assert other_body.status_code == 422
    error = other_body.json()["errors"][0]
    assert error["field"] == "Idempotency-Key"
    assert "already used for another request" in error["message"]

    other_action = _post(client, f"{base}/note/", {"message": "Truk datang besok."}, key="k-1")
    assert other_action.status_code == 422
    assert _replies(ticket).count() == 1
    assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE).exists()


def test_keys_are_per_account(as_user, city, citizen, staff_dlh, head_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    url = f"/api/v1/tickets/{ticket.reference}/note/"
    assert _post(APIClient(), url, {"message": "a"}, key="shared").status_code == 401
    staff, head = APIClient(), APIClient()
    staff.force_authenticate(staff_dlh)
    head.force_authenticate(head_dlh)
    assert REPLAYED not in _post(staff, url, {"message": "Dicek."}, key="shared")
    assert REPLAYED not in _post(head, url, {"message": "Dicek."}, key="shared")
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE).count() == 2


def test_a_retried_resolve_is_the_first_answer_not_already_resolved(as_user, city, citizen, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    client = as_user(staff_dlh)
    url = f"/api/v1/tickets/{ticket.reference}/resolve/"
    first = _post(client, url, {"note": "Sudah diangkut."}, key="resolve-77")
    assert first.status_code == 200 and first.json()["status"] == "resolved"

    again = _post(client, url, {"note": "Sudah diangkut."}, key="resolve-77")
    assert again.status_code == 200 and again[REPLAYED] == "true"
    assert again.json() == first.json()
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.RESOLVED).count() == 1
    # Without the key the retry is what it always was: the ticket is no longer being worked.
    assert _post(client, url, {"note": "Sudah diangkut."}).status_code == 400


def test_a_refused_request_keeps_no_answer_so_the_corrected_retry_runs(as_user, city, citizen, staff_dlh, staff_pupr):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    client = as_user(staff_dlh)
    url = f"/api/v1/tickets/{ticket.reference}/reply/"
    missing = _post(client, url, {}, key="fix-me")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "message"
    elsewhere = _post(client, f"/api/v1/tickets/{make_ticket(status=Status.CLOSED).reference}/reply/", {}, key="x")
    assert elsewhere.status_code == 400
    assert not IdempotentRequest.objects.exists()

    corrected = _post(client, url, {"message": "Truk datang besok."}, key="fix-me")
    assert corrected.status_code == 200 and REPLAYED not in corrected
    assert _replies(ticket).count() == 1
    assert IdempotentRequest.objects.get().status_code == 200


def test_a_key_longer_than_200_characters_is_a_400(as_user, city, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh")
    response = _post(as_user(staff_dlh), f"/api/v1/tickets/{ticket.reference}/start/", key="k" * 201)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not IdempotentRequest.objects.exists()


def test_a_retried_planning_write_is_one_indicator(as_user, planner, planned_activity):  # noqa: F811
    payload = {
        "activity": planned_activity.pk,
        "level": Indicator.Level.values[0],
        "description": "Genangan berkurang",
        "unit": "laporan/bulan",
        "baseline": "14.00",
        "target": "3.00",
        "direction": "decrease",
    }
    client = as_user(planner)
    first = _post(client, "/api/v1/planning/indicators/", payload, key="indicator-1")
    assert first.status_code == 201
    again = _post(client, "/api/v1/planning/indicators/", payload, key="indicator-1")
    assert again.status_code == 201 and again[REPLAYED] == "true" and again.json() == first.json()
    assert Indicator.objects.count() == 1


def test_the_retention_job_deletes_records_older_than_24_hours(as_user, city, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh")
    client = as_user(staff_dlh)
    for key in ("old", "young"):
        assert _post(client, f"/api/v1/tickets/{ticket.reference}/note/", {"message": key}, key=key).status_code == 200
    now = timezone.now()
    IdempotentRequest.objects.filter(key="old").update(created_at=now - dt.timedelta(hours=24, minutes=1))
    IdempotentRequest.objects.filter(key="young").update(created_at=now - dt.timedelta(hours=23, minutes=59))

    assert delete_old_idempotency_keys(now=now) == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["young"]
    assert apply_retention(now=now)["idempotency_keys"] == 0
    # The old key is free again: a request with it is a new request.
    response = _post(client, f"/api/v1/tickets/{ticket.reference}/note/", {"message": "again"}, key="old")
    assert response.status_code == 200 and REPLAYED not in response


def test_the_schema_shows_the_header_on_every_write(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    writes = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in ("post", "put", "patch", "delete")
    }
    assert ("/api/v1/tickets/{reference}/reply/", "post") in writes
    assert ("/api/v1/planning/indicators/", "post") in writes
    assert ("/api/v1/planning/activities/{id}/close-year/", "post") in writes
    for (path, _method), operation in writes.items():
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        assert [p["name"] for p in headers if p["name"] == "Idempotency-Key"] == ["Idempotency-Key"], path
        assert {"409", "422"} <= set(operation["responses"]), path
        success = next(code for code in ("200", "201") if code in operation["responses"])
        assert "Idempotent-Replayed" in operation["responses"][success].get("headers", {}), path


# --- filing ------------------------------------------------------------------------------------------------------

REPORT = {"title": "Sampah menumpuk", "description": "Belum diangkut.", "area": "63.71.05.1003"}


def test_a_retried_filing_is_marked_as_replayed(as_user, city, citizen):
    client = as_user(citizen)
    first = _post(client, "/api/v1/tickets/", REPORT, key="laporan-42")
    again = _post(client, "/api/v1/tickets/", REPORT, key="laporan-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert REPLAYED not in first and again[REPLAYED] == "true"
    assert again.json()["reference"] == first.json()["reference"]
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This Idempotency-Key was already used for another request"),
        ("id", "Idempotency-Key ini sudah digunakan untuk permintaan lain"),
    ],
)
def test_the_filings_key_with_another_report_is_a_422_and_files_nothing(as_user, city, citizen, language, message):
    """The same key with another report filed a second ticket (201 twice), where every other write answers 422."""
    client = as_user(citizen)
    assert _post(client, "/api/v1/tickets/", REPORT, key="laporan-7").status_code == 201
    other = client.post(
        "/api/v1/tickets/",
        REPORT | {"title": "Lampu jalan mati"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="laporan-7",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert other.status_code == 422
    (error,) = other.json()["errors"]
    assert error["field"] == "Idempotency-Key" and error["message"].startswith(message)
    assert Ticket.objects.count() == 1


def test_a_filing_retried_with_other_photos_under_the_same_names_is_another_request(as_user, city, citizen):
    """Photos are compared by their content, not only their names."""
    from tests.api.test_rest_filing_photos import jpeg

    client = as_user(citizen)
    first = client.post(
        "/api/v1/tickets/", REPORT | {"photos": [jpeg()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="foto-1"
    )
    assert first.status_code == 201, first.content
    same = client.post(
        "/api/v1/tickets/", REPORT | {"photos": [jpeg()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="foto-1"
    )
    assert same.status_code == 200 and same[REPLAYED] == "true"
    other_photo = jpeg()
    other_photo.seek(0, 2)
    other_photo.write(b"another picture's bytes")
    other_photo.seek(0)
    other = client.post(
        "/api/v1/tickets/", REPORT | {"photos": [other_photo]}, format="multipart", HTTP_IDEMPOTENCY_KEY="foto-1"
    )
    assert other.status_code == 422
    assert Ticket.objects.count() == 1


# --- two at once -------------------------------------------------------------------------------------------------


def _first_reply_held_open(monkeypatch, staff, ticket, body, key, hold_seconds):
    """Send a reply on another thread whose action, once done, keeps its transaction open for ``hold_seconds``."""
    real_reply = actions.reply_publicly
    done_work, outcome = threading.Event(), {}

    def slow_reply(**kwargs):
        result = real_reply(**kwargs)
        if threading.current_thread() is not threading.main_thread():
            done_work.set()
            threading.Event().wait(hold_seconds)
        return result

    monkeypatch.setattr(actions, "reply_publicly", slow_reply)

    def first():
        try:
            client = APIClient()
            client.force_authenticate(staff)
            outcome["response"] = _post(client, f"/api/v1/tickets/{ticket.reference}/reply/", body, key=key)
        finally:
            done_work.set()
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert done_work.wait(10)
    return thread, outcome


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_reply_once(monkeypatch, city, citizen, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    body = {"message": "Truk datang besok pagi."}
    thread, first = _first_reply_held_open(monkeypatch, staff_dlh, ticket, body, "twice", hold_seconds=0.5)
    client = APIClient()
    client.force_authenticate(staff_dlh)
    # Sent while the first one has replied but not committed: it waits for it, then gets its answer.
    second = _post(client, f"/api/v1/tickets/{ticket.reference}/reply/", body, key="twice")
    thread.join(10)
    assert first["response"].status_code == 200 and REPLAYED not in first["response"]
    assert second.status_code == 200 and second[REPLAYED] == "true"
    assert second.json() == first["response"].json()
    assert _replies(ticket).count() == 1 and _emails(ticket).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_that_waits_too_long_for_its_twin_gets_a_409_and_its_retry_the_answer(
    monkeypatch, city, citizen, staff_dlh
):
    monkeypatch.setattr(api_idempotency, "WAIT", "200ms")
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    body = {"message": "Truk datang besok pagi."}
    thread, first = _first_reply_held_open(monkeypatch, staff_dlh, ticket, body, "slow", hold_seconds=1.5)
    client = APIClient()
    client.force_authenticate(staff_dlh)
    busy = _post(client, f"/api/v1/tickets/{ticket.reference}/reply/", body, key="slow")
    assert busy.status_code == 409
    assert "still being processed" in busy.json()["errors"][0]["message"]
    thread.join(10)
    assert first["response"].status_code == 200
    retry = _post(client, f"/api/v1/tickets/{ticket.reference}/reply/", body, key="slow")
    assert retry.status_code == 200 and retry[REPLAYED] == "true"
    assert _replies(ticket).count() == 1 and _emails(ticket).count() == 1


def test_deleting_a_citizens_account_deletes_the_kept_answers_that_show_their_contact_details(
    as_user, city, citizen, other_citizen, staff_dlh
):
    """A kept answer is the ticket as its staff saw it, the reporter's email included: it goes with the account."""
    from complaints.actions.personal_data import forget_reporter

    theirs = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    neighbours = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=other_citizen)
    client = as_user(staff_dlh)
    for ticket in (theirs, neighbours):
        url = f"/api/v1/tickets/{ticket.reference}/reply/"
        answer = _post(client, url, {"message": "Segera."}, key=ticket.reference)
        assert answer.status_code == 200, answer.content
    kept = IdempotentRequest.objects.get(key=theirs.reference)
    assert citizen.email in kept.response_body  # what a retry would be shown

    forget_reporter(user=citizen)
    assert not IdempotentRequest.objects.filter(key=theirs.reference).exists()
    assert IdempotentRequest.objects.filter(key=neighbours.reference).exists()
    assert not IdempotentRequest.objects.filter(response_body__icontains=citizen.email).exists()


def test_the_privacy_notice_says_how_long_the_answers_are_kept(client, city):
    page = client.get("/privasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="retention-api-answers"' in page and "kept 24 hours" in page
