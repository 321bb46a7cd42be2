"""REST times are ISO 8601 in WITA to the second, like the documented examples and Open311
(``2026-11-27T09:30:00+08:00``); they used to carry microseconds (``02:40:30.716876+08:00``)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from complaints.events import record_event
from complaints.models import EventType
from tests.factories import make_ticket
from tests.planning.conftest import bridge_proposal, fiscal_year  # noqa: F401

pytestmark = pytest.mark.django_db
WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
FILED = dt.datetime(2026, 11, 27, 2, 40, 30, 716876, tzinfo=ZoneInfo("Asia/Makassar"))


def test_ticket_and_event_times_are_whole_seconds(api, city):
    ticket = make_ticket(created_at=FILED)
    record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "Besok."})
    detail = api.get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert detail["created_at"] == "2026-11-27T02:40:30+08:00"
    listed = api.get("/api/v1/tickets/").json()["results"][0]
    events = (
        api.get("/api/v1/events/").json()["results"] + api.get(f"/api/v1/tickets/{ticket.reference}/events/").json()
    )
    times = [
        *(detail[name] for name in ("created_at", "updated_at", "response_due_at", "resolution_due_at")),
        *(listed[name] for name in ("created_at", "updated_at")),
        *(event["created_at"] for event in events),
    ]
    assert [time for time in times if not WHOLE_SECONDS.match(time)] == []


def test_planning_times_are_whole_seconds(client, planner, fiscal_year):  # noqa: F811
    bridge_proposal(fiscal_year, planner)
    client.force_login(planner)
    proposal = client.get("/api/v1/planning/proposals/").json()["results"][0]
    assert WHOLE_SECONDS.match(proposal["created_at"]), proposal["created_at"]


def test_the_times_in_an_events_payload_are_whole_seconds(as_user, city, citizen, staff_dlh):
    """A question's clock.since read "2026-12-07T13:00:55.422379+08:00"; routing's due dates may be kept in UTC."""
    from complaints.models import Status

    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    asked = as_user(staff_dlh).post(f"/api/v1/tickets/{ticket.reference}/ask-info/", {"message": "RT?"}, format="json")
    assert asked.status_code == 200, asked.content
    record_event(
        ticket=ticket,
        type=EventType.ROUTED,
        payload={"department": "DLH", "resolution_due_at": "2026-11-30T15:59:59.500000+00:00"},
    )
    events = {event["type"]: event["payload"] for event in as_user(staff_dlh).get("/api/v1/events/").json()["results"]}
    clock = events["info_requested"]["clock"]
    assert clock["since"] == asked.json()["waiting_for_citizen_since"], clock
    assert WHOLE_SECONDS.match(clock["since"]) and WHOLE_SECONDS.match(clock["resumes_by"])
    assert events["routed"]["resolution_due_at"] == "2026-11-30T23:59:59+08:00"
    # Whoever reads it: the public gets the same clock.
    public = as_user(citizen).get(f"/api/v1/tickets/{ticket.reference}/events/").json()
    assert [event["payload"]["clock"] for event in public if event["type"] == "info_requested"] == [clock]
