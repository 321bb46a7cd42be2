"""Batch routing (``route_batch``) and batch sending (``send_notifications``), in-process.

A worker's ``route_ticket`` task drains waiting tickets in batches; these tests hold the batch to
the single-ticket guarantees: same decisions, one ``routed`` event per ticket, each email once.
"""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from complaints.actions import dispatch
from complaints.actions.dispatch import route_batch, route_ticket
from complaints.mail import deliver_notification, deliver_notifications
from complaints.models import DuplicateCandidate, EventType, Notification, Status, Ticket, TicketEvent
from services.models import DayOff
from tests.routing.conftest import wita

pytestmark = pytest.mark.django_db

CASES = [
    # service, kelurahan, text, expected department
    ("sampah-menumpuk", "63.71.05.1003", "Sampah belum diangkut", "dlh"),
    ("genangan-banjir", "63.71.01.1001", "Air naik", "pupr"),  # kelurahan rule
    ("genangan-banjir", "63.71.01.1002", "Air naik", "bpbd"),  # kecamatan rule
    ("pju-mati", "63.71.02.1001", "Lampu padam", "dishub"),
    (None, "63.71.04.1001", "sampah menumpuk di depan rumah", "dlh"),
    (None, "63.71.05.1003", "qwrty asdfgh zxcvb", "diskominfotik"),
]


def routed_events(tickets):
    return TicketEvent.objects.filter(ticket__in=tickets, type=EventType.ROUTED)


def test_a_batch_routes_like_single_calls_with_one_event_each(submitted):
    with time_machine.travel(wita(2026, 8, 13, 10, 0), tick=False):
        DayOff.objects.create(date=wita(2026, 8, 18).date(), name="Cuti bersama")
        singles = [submitted(s, k, title=t, description=t) for s, k, t, _d in CASES]
        for ticket in singles:
            route_ticket(ticket_id=ticket.pk)
        batched = [submitted(s, k, title=t, description=t) for s, k, t, _d in CASES]
        assert sorted(route_batch(limit=50)) == sorted(t.pk for t in batched)
    fields = ("status", "department_id", "service_id", "priority", "response_due_at", "resolution_due_at")
    for single, batch, (_s, _k, _t, department) in zip(singles, batched, CASES):
        single.refresh_from_db()
        batch.refresh_from_db()
        assert batch.department.code == department
        assert [getattr(batch, f) for f in fields] == [getattr(single, f) for f in fields]
    assert batched[0].response_due_at == wita(2026, 8, 19, 23, 59, 59)  # the day off counted once
    assert routed_events(batched).count() == len(CASES)
    # Running again (a redelivered task, the sweep, a second worker) finds nothing to do.
    assert route_batch(limit=50) == []
    assert route_ticket(ticket_id=batched[0].pk) is None
    assert routed_events(batched).count() == len(CASES)


def test_a_batch_counts_a_listed_holiday_the_administrator_made_a_working_day(submitted):
    """The batch's calendar reads the administrator's corrections once, working days among them: the SKB moved
    Maulid 2026 (Tue 25 Aug in the package) to another day, so the 25th counts, in a batch as in a single call."""
    from services.calendar import add_working_days

    with time_machine.travel(wita(2026, 8, 24, 10, 0), tick=False):  # Monday
        DayOff.objects.create(date=wita(2026, 8, 25).date(), kind=DayOff.Kind.WORKING_DAY, name="Maulid: SKB")
        single = submitted()
        route_ticket(ticket_id=single.pk)
        batched = [submitted() for _ in range(3)]
        assert sorted(route_batch(limit=50)) == sorted(t.pk for t in batched)
        expected = add_working_days(wita(2026, 8, 24, 10, 0), 2)
    assert expected == wita(2026, 8, 26, 23, 59, 59)  # Tue 25 and Wed 26 (Thu 27 without the correction)
    single.refresh_from_db()
    for ticket in batched:
        ticket.refresh_from_db()
        assert ticket.response_due_at == single.response_due_at == expected


def test_a_batch_takes_the_tasks_own_ticket_first_and_respects_its_limit(submitted):
    older = [submitted() for _ in range(3)]
    own = submitted()
    unconfirmed = submitted(email_confirmed=False)
    routed = route_batch(ticket_id=own.pk, limit=2)
    assert routed == [own.pk, older[0].pk]
    assert route_batch(limit=10) == [older[1].pk, older[2].pk]
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == Status.SUBMITTED  # waits for the citizen's confirmation, as before


@pytest.mark.parametrize("step", ["_decide", "_apply"])
def test_a_failing_ticket_stays_submitted_and_the_rest_of_the_batch_is_routed(submitted, monkeypatch, step):
    """A ticket whose decision fails is left out; a failure while writing (after the writes, so the
    savepoint must undo them) makes the batch write its tickets one by one and leave only that one."""
    good, bad, other = submitted(), submitted(), submitted()
    real = getattr(dispatch, step)

    def failing(first, *args):
        result = real(first, *args)
        if bad.pk in [d.ticket.pk for d in first] if step == "_apply" else first.pk == bad.pk:
            raise ValueError("a broken row")
        return result

    monkeypatch.setattr(dispatch, step, failing)
    assert route_batch(limit=10) == [good.pk, other.pk]
    assert Ticket.objects.get(pk=bad.pk).status == Status.SUBMITTED
    assert not routed_events([bad]).exists()
    assert not Notification.objects.filter(ticket=bad).exists()
    assert DuplicateCandidate.objects.filter(ticket=good, candidate=other).exists()  # same place: linked
    assert Notification.objects.filter(ticket__in=[good, other]).exists()
    assert routed_events([good, other]).count() == 2
    # The task's own ticket failing is the task's error (retried by Celery, then the sweep).
    with pytest.raises(ValueError):
        route_batch(ticket_id=bad.pk, limit=10)


def test_batch_notifications_are_written_once_and_sent_once(submitted, citizen, django_capture_on_commit_callbacks):
    tickets = [submitted() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        route_batch(limit=10)
    assert len(callbacks) == 1  # one send task for the whole batch, not one per email
    rows = list(Notification.objects.filter(ticket__in=tickets))
    # Each ticket: the reporter (citizen) and the DLH address or members; one row per person and event.
    assert len(rows) == len({r.dedup_key for r in rows}) >= 2 * len(tickets)
    assert {r.state for r in rows} == {Notification.State.PENDING}
    mail.outbox.clear()
    ids = [r.pk for r in rows]
    assert deliver_notifications(notification_ids=ids) == len(rows)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in rows)
    # Again, and through the single-row sender (the notification sweep): nothing goes out twice.
    assert deliver_notifications(notification_ids=ids) == 0
    assert not any(deliver_notification(notification_id=pk) for pk in ids)
    assert len(mail.outbox) == len(rows)
    assert set(Notification.objects.filter(pk__in=ids).values_list("state", "attempts")) == {
        (Notification.State.SENT, 1)
    }


def test_a_mail_failure_half_way_keeps_what_was_sent_and_retries_the_rest(submitted, monkeypatch):
    tickets = [submitted() for _ in range(2)]
    route_batch(limit=10)
    ids = list(Notification.objects.filter(ticket__in=tickets).order_by("pk").values_list("pk", flat=True))
    mail.outbox.clear()
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("smtp went away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(ConnectionError):
        deliver_notifications(notification_ids=ids)
    assert Notification.objects.get(pk=ids[0]).state == Notification.State.SENT
    assert Notification.objects.filter(pk__in=ids[1:], state=Notification.State.PENDING).count() == len(ids) - 1
    assert deliver_notifications(notification_ids=ids) == len(ids) - 1  # the retry sends the rest
    assert len(mail.outbox) == len(ids)
