"""REST times are ISO 8601 in WITA to the second, like the documented examples and Open311
(``2026-11-27T09:30:00+08:00``); they used to carry microseconds (``02:40:30.716876+08:00``)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from complaints.events import record_event
from complaints.models import EventType
from tests.factories import make_ticket

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


def test_planning_times_are_whole_seconds(client, planner, city):
    import datetime as dt

    from planning import actions
    from planning.models import FiscalYear
    from services.models import Area, Department

    year = FiscalYear.objects.create(
        year=2026,
        musrenbang_start=dt.date(2025, 1, 6),
        musrenbang_end=dt.date(2025, 3, 31),
        rkpd_by=dt.date(2025, 6, 30),
        kuappas_start=dt.date(2025, 7, 1),
        kuappas_end=dt.date(2025, 8, 31),
        apbd_by=dt.date(2025, 11, 30),
        execution_start=dt.date(2026, 1, 1),
        execution_end=dt.date(2026, 12, 31),
        evaluation_start=dt.date(2027, 1, 1),
        evaluation_end=dt.date(2027, 3, 31),
    )
    actions.submit_proposal(
        actor=planner,
        fiscal_year=year,
        source="department",
        title="Jembatan",
        problem="Lapuk.",
        area=Area.objects.get(code="63.71.05.1003"),
        department=Department.objects.get(code="pupr"),
        estimated_cost=1,
    )
    client.force_login(planner)
    proposal = client.get("/api/v1/planning/proposals/").json()["results"][0]
    assert WHOLE_SECONDS.match(proposal["created_at"]), proposal["created_at"]
