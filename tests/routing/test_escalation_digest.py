"""A sweep's escalations reach each head, department address and inspector as one email listing the tickets: after
a flood or a long holiday a sweep escalates hundreds of tickets at once, and one email each buried the inspectorate.
Each escalation keeps its own notification row, sent exactly once."""

from __future__ import annotations

import pytest
from django.core import mail

from complaints.actions.dispatch import escalate_overdue
from complaints.mail import deliver_notification, deliver_notifications
from complaints.models import EventType, Notification, Status
from tests.factories import make_ticket
from tests.routing.conftest import wita

pytestmark = pytest.mark.django_db

DUE = wita(2026, 8, 3, 23, 59, 59)  # a Monday
LEVEL_1 = wita(2026, 8, 4, 9)
LEVEL_2 = wita(2026, 8, 6, 0, 1)  # two working days after the due date
DLH_ADDRESS = "dlh@banjarmasinkota.go.id"


def overdue_tickets(count):
    return [
        make_ticket(
            status=Status.ACKNOWLEDGED, response_due_at=DUE, resolution_due_at=DUE, title=f"Sampah menumpuk {n}"
        )
        for n in range(count)
    ]


def escalations_pending():
    return list(
        Notification.objects.filter(event__type=EventType.ESCALATED, state=Notification.State.PENDING).values_list(
            "pk", flat=True
        )
    )


def emails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_one_email_per_person_for_a_sweeps_escalations(city, head_dlh, inspector, django_capture_on_commit_callbacks):
    tickets = overdue_tickets(3)
    type(head_dlh).objects.filter(pk=head_dlh.pk).update(language="en")
    with django_capture_on_commit_callbacks() as published:
        assert escalate_overdue(now=LEVEL_1) == 3
    # The sweep publishes its rows together (one chunk), not one task per row.
    assert len(published) == 1
    pending = escalations_pending()
    assert len(pending) == 6  # the head and the department's address, for each ticket
    mail.outbox.clear()

    assert deliver_notifications(notification_ids=pending) == 6
    (to_head,) = emails_to(head_dlh.email)
    assert to_head.subject == "3 tickets missed their deadlines"
    for ticket in tickets:
        assert f"[{ticket.reference}] {ticket.title}" in to_head.body
    assert to_head.body.count("Level 1: the department head was told.") == 3
    assert to_head.body.count("Missed resolution deadline: 3 Aug 2026 23:59 WITA") == 3
    assert to_head.body.count("/staf/") >= 3  # each ticket's staff link
    assert sorted(map(int, to_head.extra_headers["X-Notification-Id"].split(","))) == sorted(
        Notification.objects.filter(email=head_dlh.email).values_list("pk", flat=True)
    )
    (to_department,) = emails_to(DLH_ADDRESS)
    assert to_department.subject == "3 tiket melewati batas waktunya"  # the address has no account: Indonesian
    assert not Notification.objects.filter(pk__in=pending).exclude(state=Notification.State.SENT).exists()
    assert emails_to(inspector.email) == []

    # Sent once: delivering again (a retried task, the sweep) sends nothing.
    assert deliver_notifications(notification_ids=pending) == 0
    assert deliver_notification(notification_id=pending[0]) is False
    assert len(mail.outbox) == 2

    # Level 2: the inspectorate gets one email for the three.
    mail.outbox.clear()
    assert escalate_overdue(now=LEVEL_2) == 3
    assert deliver_notifications(notification_ids=escalations_pending()) == 3
    (to_inspector,) = mail.outbox
    assert to_inspector.to == [inspector.email]
    assert all(ticket.reference in to_inspector.body for ticket in tickets)


def test_a_single_escalation_keeps_its_own_email(city, head_dlh):
    (ticket,) = overdue_tickets(1)
    assert escalate_overdue(now=LEVEL_1) == 1
    mail.outbox.clear()
    assert deliver_notifications(notification_ids=escalations_pending()) == 2
    to_head = emails_to(head_dlh.email)[0]
    assert to_head.subject.startswith(f"[{ticket.reference}]")
    assert to_head.extra_headers["X-Notification-Id"].isdigit()


def test_a_row_already_sent_is_left_out_of_the_digest(city, head_dlh):
    tickets = overdue_tickets(3)
    assert escalate_overdue(now=LEVEL_1) == 3
    to_head = list(Notification.objects.filter(email=head_dlh.email).order_by("pk"))
    assert deliver_notification(notification_id=to_head[0].pk) is True  # e.g. the notification sweep sent it alone
    mail.outbox.clear()
    assert deliver_notifications(notification_ids=[row.pk for row in to_head]) == 2
    (digest,) = mail.outbox
    assert tickets[0].reference not in digest.body
    assert tickets[1].reference in digest.body and tickets[2].reference in digest.body


def test_other_emails_to_the_same_person_are_not_folded_in(city, head_dlh):
    overdue_tickets(2)
    assert escalate_overdue(now=LEVEL_1) == 2
    other = Notification.objects.create(
        dedup_key="other", email=head_dlh.email, template="ticket_update", context={"reference": "BJM-1"}
    )
    ids = [*escalations_pending(), other.pk]
    mail.outbox.clear()
    assert deliver_notifications(notification_ids=ids) == 5
    assert len(emails_to(head_dlh.email)) == 2  # the digest of two, and the other email on its own
