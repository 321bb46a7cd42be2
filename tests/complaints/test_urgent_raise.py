"""Staff who raise a ticket to urgent tell the people who answer for it (found in the Saturday-night storm walk: a
report raised to urgent by the officer on duty emailed nobody, and the heads heard of it when the sweep escalated it a
day later). The department's heads and the assignee get one "[MENDESAK]" email each, as of a report routed urgent;
lowering a priority, or raising it short of urgent, emails nobody."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints import actions, routing
from complaints.models import EventType, Status, Ticket, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
URGENT = routing.PRIORITY_URGENT


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def end_of(year, month, day) -> dt.datetime:
    return wita(year, month, day, 23, 59, 59)


def reread(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


# --- raising a ticket to urgent tells the heads -----------------------------------------------------------------------

RAISED = wita(2026, 12, 12, 22, 26)  # Saturday night


@pytest.fixture
def garbage_ticket(city, staff_dlh):
    """Routed on Friday, verification due Wednesday: assigned to the DLH officer."""
    routed_friday = wita(2026, 12, 11, 10, 0)
    return make_ticket(
        status=Status.ROUTED,
        assignee=staff_dlh,
        routed_at=routed_friday,
        response_due_at=end_of(2026, 12, 16),
        resolution_due_at=end_of(2026, 12, 18),
    )


@pytest.fixture
def raiser(city):
    from tests.conftest import make_staff

    return make_staff("piket.dlh@banjarmasinkota.go.id", "dlh")


def raise_priority(ticket, actor, priority=URGENT, at=RAISED):
    with time_machine.travel(at, tick=False):
        actions.set_priority(ticket=ticket, actor=actor, priority=priority)
    return TicketEvent.objects.filter(ticket=ticket, type=EventType.PRIORITY_CHANGED).latest("pk")


def staff_rows(event):
    from complaints.models import Notification

    return list(Notification.objects.filter(event=event, template=Notification.Template.STAFF_TICKET))


def test_raising_to_urgent_emails_the_heads_and_the_assignee_once_each(garbage_ticket, staff_dlh, head_dlh, raiser):
    from complaints.mail import _render
    from services.models import Department

    Department.objects.filter(code="dlh").update(email="dlh@banjarmasinkota.go.id")
    head_dlh.language = "en"
    head_dlh.save(update_fields=["language"])
    event = raise_priority(garbage_ticket, raiser)
    rows = staff_rows(event)
    # The people who answer for it, one email each; not the officer who raised it, nor the department's inbox.
    assert sorted(row.email for row in rows) == sorted([staff_dlh.email, head_dlh.email])

    (to_head,) = [row for row in rows if row.email == head_dlh.email]
    subject, body = _render(to_head)
    assert subject.startswith(f"[URGENT] [{garbage_ticket.reference}] Priority changed")
    assert body.startswith(f"[URGENT] Ticket {garbage_ticket.reference} needs your attention: Priority changed.")
    assert "Normal → Urgent" in body
    assert "Verification due: 13 December 2026, 22:26 WITA" in body  # 24 hours on the clock from the raise
    (to_officer,) = [row for row in rows if row.email == staff_dlh.email]
    subject, body = _render(to_officer)  # Indonesian, the officer's language
    assert subject.startswith("[MENDESAK] [") and body.startswith("[MENDESAK] ")

    # Exactly once: the same change queued again writes no second row.
    from complaints.notifications import notify_raised_to_urgent

    assert notify_raised_to_urgent(ticket=reread(garbage_ticket), event=event) == 0
    assert len(staff_rows(event)) == 2


def test_the_head_who_raises_it_is_not_emailed_and_an_unassigned_ticket_tells_the_heads(city, staff_dlh, head_dlh):
    from tests.conftest import make_staff

    other_head = make_staff("wakil.dlh@banjarmasinkota.go.id", "dlh", role="head")
    ticket = make_ticket(status=Status.ROUTED)
    event = raise_priority(ticket, head_dlh)
    assert [row.email for row in staff_rows(event)] == [other_head.email]


def test_a_verified_ticket_raised_to_urgent_gives_no_stale_verification_date(city, head_dlh, raiser):
    from complaints.mail import _render

    ticket = make_ticket(status=Status.IN_PROGRESS, response_due_at=end_of(2026, 12, 9))
    head_dlh.language = "en"
    head_dlh.save(update_fields=["language"])
    (row,) = staff_rows(raise_priority(ticket, raiser))
    _subject, body = _render(row)
    assert body.startswith("[URGENT] ") and "Verification due" not in body


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (routing.PRIORITY_NORMAL, routing.PRIORITY_HIGH),
        (URGENT, routing.PRIORITY_NORMAL),
        (URGENT, routing.PRIORITY_HIGH),
    ],
)
def test_lowering_or_raising_short_of_urgent_emails_nobody(garbage_ticket, head_dlh, raiser, before, after):
    Ticket.objects.filter(pk=garbage_ticket.pk).update(priority=before)
    event = raise_priority(reread(garbage_ticket), raiser, priority=after)
    assert event.payload == {"from": before, "to": after}
    assert staff_rows(event) == []


def test_the_queues_bulk_priority_raise_tells_the_heads_of_each_ticket(client, garbage_ticket, head_dlh, raiser):
    second = make_ticket(status=Status.ROUTED)
    client.force_login(raiser)
    with time_machine.travel(RAISED, tick=False):
        client.post(
            "/staf/antrian/massal/",
            {"action": "priority", "ids": [garbage_ticket.pk, second.pk], "priority": URGENT},
            HTTP_HX_REQUEST="true",
        )
    for ticket in (garbage_ticket, second):
        event = TicketEvent.objects.get(ticket=ticket, type=EventType.PRIORITY_CHANGED)
        assert head_dlh.email in {row.email for row in staff_rows(event)}
