"""An escalation is for one missed deadline: verifying ends the escalation of a missed response date (the queue's
"Escalated" marker and the dashboards' count let the ticket go), and a resolution date missed later reaches the head
before the inspectorate. A PUPR head's walk found the head never heard of the missed resolution date: the ticket had
stayed at level 1 after its verification, so the next sweep went straight to the inspectorate."""

from __future__ import annotations

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from complaints import actions, routing
from complaints.models import EventType, Notification, Status, Ticket, TicketEvent
from complaints.tasks import escalate_overdue_tickets
from dashboards.queries.tickets import escalations_waiting
from tests.conftest import make_staff
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE, refs

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
PUPR_EMAIL = "pupr@banjarmasinkota.go.id"


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def end_of(year, month, day) -> dt.datetime:
    return wita(year, month, day, 23, 59, 59)


@pytest.fixture
def head_pupr(city):
    return make_staff("kepala.pupr@banjarmasinkota.go.id", "pupr", role="head")


def sweep(at: dt.datetime) -> int:
    """The beat's periodic task, run at ``at``."""
    with time_machine.travel(at, tick=False):
        return escalate_overdue_tickets()


def told(ticket) -> list[set[str]]:
    """Who each escalation emailed, in order."""
    escalations = TicketEvent.objects.filter(ticket=ticket, type=EventType.ESCALATED).order_by("created_at", "id")
    return [set(Notification.objects.filter(event=event).values_list("email", flat=True)) for event in escalations]


def escalation_of(ticket) -> tuple[int, str]:
    ticket.refresh_from_db()
    return ticket.escalation_level, ticket.escalated_deadline


def waiting_counts() -> dict[int, int]:
    """The dashboards' "escalations waiting" (open escalated tickets per level)."""
    return {row["escalation_level"]: row["n"] for row in escalations_waiting(Ticket.objects.all())}


def test_the_head_hears_of_a_missed_resolution_date_after_verifying_a_late_ticket(
    client, head_pupr, staff_pupr, inspector
):
    head, department, inspectorate = head_pupr.email, PUPR_EMAIL, inspector.email
    ticket = make_ticket(
        service="jalan-rusak",
        status=Status.ROUTED,
        response_due_at=end_of(2026, 8, 3),  # Monday: "yesterday"
        resolution_due_at=end_of(2026, 8, 14),
    )
    client.force_login(head_pupr)

    # 1. The response date was missed: the head and the department's address hear of it.
    assert sweep(wita(2026, 8, 4, 9)) == 1
    assert escalation_of(ticket) == (1, "response")
    assert told(ticket) == [{head, department}]
    assert refs(client.get(QUEUE, {"escalated": "1"})) == {ticket.reference}
    assert waiting_counts() == {1: 1}

    # 2. The head verifies it on the ticket page: the missed response date is answered, the escalation ends.
    with time_machine.travel(wita(2026, 8, 4, 10), tick=False):
        response = client.post(reverse("staff:ticket_action", args=[ticket.reference, "acknowledge"]))
        assert response.status_code == 302
        assert refs(client.get(QUEUE, {"overdue": "on"})) == set()
        assert refs(client.get(QUEUE, {"escalated": "1"})) == set()
        page = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.ACKNOWLEDGED
    assert escalation_of(ticket) == (0, "")
    assert 'id="ticket-escalation"' not in page
    assert waiting_counts() == {}
    assert sweep(wita(2026, 8, 4, 10, 15)) == 0  # nothing is overdue any more

    # 3. The resolution date, five days ago, was missed too: a new deadline, so the head hears first.
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due_at=end_of(2026, 8, 7))
    assert sweep(wita(2026, 8, 12, 9)) == 1
    assert escalation_of(ticket) == (1, "resolution")
    assert told(ticket) == [{head, department}, {head, department}]
    assert refs(client.get(QUEUE, {"escalated": "1"})) == {ticket.reference}
    assert refs(client.get(QUEUE, {"escalated": "2"})) == set()
    assert waiting_counts() == {1: 1}
    from complaints.mail import _render

    second = TicketEvent.objects.filter(ticket=ticket, type=EventType.ESCALATED).order_by("id").last()
    to_head = Notification.objects.get(event=second, email=head)
    to_head.language = "en"
    _subject, body = _render(to_head)
    assert "Level 1: the department head was told." in body
    assert "Missed resolution deadline: 7 Aug 2026 23:59 WITA" in body

    # Still missed two working days after that date (Monday 10 and Tuesday 11 are over): the inspectorate, once.
    assert sweep(wita(2026, 8, 12, 9, 15)) == 1
    assert escalation_of(ticket) == (2, "resolution")
    assert told(ticket) == [{head, department}, {head, department}, {inspectorate}]
    assert refs(client.get(QUEUE, {"escalated": "2"})) == {ticket.reference}
    assert waiting_counts() == {2: 1}
    assert sweep(wita(2026, 8, 12, 9, 30)) == 0


def test_another_deadline_passing_does_not_restart_an_escalation_still_missed(head_pupr, inspector):
    """Never verified: the response date's escalation goes on to the inspectorate; the resolution date passing
    meanwhile tells nobody twice."""
    ticket = make_ticket(
        service="jalan-rusak",
        status=Status.ROUTED,
        response_due_at=end_of(2026, 8, 3),
        resolution_due_at=end_of(2026, 8, 4),
    )
    assert sweep(wita(2026, 8, 4, 9)) == 1
    assert sweep(wita(2026, 8, 5, 9)) == 0  # Tuesday's resolution date has passed: still the response's escalation
    assert escalation_of(ticket) == (1, "response")
    assert sweep(wita(2026, 8, 6, 0, 1)) == 1  # two working days after Monday
    assert escalation_of(ticket) == (2, "response")
    assert told(ticket) == [{head_pupr.email, PUPR_EMAIL}, {inspector.email}]
    assert sweep(wita(2026, 8, 7, 9)) == 0


@pytest.mark.parametrize("verify", ["acknowledge", "start"])
def test_verifying_ends_the_response_escalation_at_any_level(head_pupr, staff_pupr, inspector, verify):
    ticket = make_ticket(
        service="jalan-rusak",
        status=Status.ROUTED,
        response_due_at=end_of(2026, 8, 3),
        resolution_due_at=end_of(2026, 8, 4),
    )
    sweep(wita(2026, 8, 4, 9))
    sweep(wita(2026, 8, 6, 0, 1))
    assert escalation_of(ticket) == (2, "response")
    with time_machine.travel(wita(2026, 8, 6, 9), tick=False):
        if verify == "acknowledge":
            actions.acknowledge_ticket(ticket=ticket, actor=staff_pupr)
        else:
            actions.start_work(ticket=ticket, actor=staff_pupr)
    assert escalation_of(ticket) == (0, "")
    assert waiting_counts() == {}
    # Its resolution date (Tuesday) is missed as well: that one reaches the head first.
    assert sweep(wita(2026, 8, 6, 9, 15)) == 1
    assert escalation_of(ticket) == (1, "resolution")
    assert told(ticket)[-1] == {head_pupr.email, PUPR_EMAIL}


def test_verifying_a_ticket_escalated_for_its_resolution_date_keeps_that_escalation(staff_pupr, head_pupr):
    """An unusual service whose resolution date comes first: verifying does not answer it."""
    ticket = make_ticket(
        service="jalan-rusak",
        status=Status.ROUTED,
        response_due_at=end_of(2026, 8, 20),
        resolution_due_at=end_of(2026, 8, 3),
    )
    sweep(wita(2026, 8, 4, 9))
    assert escalation_of(ticket) == (1, "resolution")
    with time_machine.travel(wita(2026, 8, 4, 10), tick=False):
        actions.acknowledge_ticket(ticket=ticket, actor=staff_pupr)
    assert escalation_of(ticket) == (1, "resolution")
    assert sweep(wita(2026, 8, 4, 10, 15)) == 0  # the head is not told again


@pytest.mark.parametrize("answer", ["resolve", "reject"])
def test_answering_the_ticket_ends_its_escalation(staff_pupr, head_pupr, answer):
    ticket = make_ticket(
        service="jalan-rusak",
        status=Status.IN_PROGRESS,
        response_due_at=end_of(2026, 7, 31),
        resolution_due_at=end_of(2026, 8, 3),
    )
    sweep(wita(2026, 8, 4, 9))
    assert escalation_of(ticket) == (1, "resolution")
    with time_machine.travel(wita(2026, 8, 4, 10), tick=False):
        if answer == "resolve":
            actions.resolve_ticket(ticket=ticket, actor=staff_pupr, note="Jalan sudah ditambal.")
        else:
            actions.reject_ticket(ticket=ticket, actor=staff_pupr, reason="Bukan jalan kota.")
    assert escalation_of(ticket) == (0, "")
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.ESCALATED).count() == 1  # history stays


def test_a_deadline_answered_meanwhile_starts_over_at_the_head():
    """The decision itself: an escalation follows its own deadline; another one missed starts at level 1."""
    response, resolution = end_of(2026, 8, 3), end_of(2026, 8, 7)
    now = wita(2026, 8, 12, 9)

    def due(level, escalated, awaiting):
        return routing.escalation_due(
            level=level,
            escalated_deadline=escalated,
            response_due_at=response,
            resolution_due_at=resolution,
            awaiting_response=awaiting,
            now=now,
            extra_days=2,
        )

    assert due(1, "response", True) == (2, "response", response)
    assert due(2, "response", True) is None  # the resolution date passing changes nothing meanwhile
    assert due(1, "response", False) == (1, "resolution", resolution)  # verified since
    assert due(2, "response", False) == (1, "resolution", resolution)
    assert due(1, "resolution", False) == (2, "resolution", resolution)


def test_the_upgrade_records_each_escalations_deadline_and_ends_the_answered_ones(city):
    """Tickets escalated before the deadline was recorded: from their last escalation event; a verified ticket
    left "Escalated to the head" for its response date, and a resolved one, no longer are."""
    from complaints.events import record_event

    def escalated(status, level, deadlines):
        ticket = make_ticket(status=status)
        Ticket.objects.filter(pk=ticket.pk).update(escalation_level=level)
        for deadline in deadlines:
            record_event(ticket=ticket, type=EventType.ESCALATED, payload={"deadline": deadline}, public=False)
        return ticket

    waiting = escalated(Status.ROUTED, 1, ["response"])
    stuck = escalated(Status.ACKNOWLEDGED, 1, ["response"])  # the head's walk
    inspectorate = escalated(Status.IN_PROGRESS, 2, ["response", "resolution"])
    no_event = escalated(Status.ROUTED, 1, [])
    resolved = escalated(Status.RESOLVED, 1, ["resolution"])
    never = make_ticket(status=Status.ACKNOWLEDGED)

    migration = importlib.import_module("complaints.migrations.0030_ticket_escalated_deadline")
    migration.record_escalated_deadlines(apps, None)

    assert escalation_of(waiting) == (1, "response")
    assert escalation_of(stuck) == (0, "")
    assert escalation_of(inspectorate) == (2, "resolution")
    assert escalation_of(no_event) == (1, "response")
    assert escalation_of(resolved) == (0, "")
    assert escalation_of(never) == (0, "")


def test_the_ticket_page_and_the_city_dashboard_name_the_missed_date(client, head_pupr, inspector):
    """Which date was missed, on the staff ticket page and the city dashboard's list of escalated tickets (the list
    showed the resolution due date for a ticket escalated for its response date)."""
    ticket = make_ticket(
        service="jalan-rusak",
        status=Status.ROUTED,
        response_due_at=end_of(2026, 8, 3),
        resolution_due_at=end_of(2026, 8, 14),
    )
    assert sweep(wita(2026, 8, 4, 9)) == 1
    client.force_login(inspector)
    client.cookies["django_language"] = "en"
    with time_machine.travel(wita(2026, 8, 4, 10), tick=False):
        page = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
        city = client.get(reverse("dashboards:city")).content.decode()
    assert "Escalated to the head: response due 3 Aug 2026 23:59 WITA missed" in page
    assert f"{ticket.reference}</a> · Dinas PUPR · level 1 · response due 3 Aug 2026 23:59 WITA" in city
