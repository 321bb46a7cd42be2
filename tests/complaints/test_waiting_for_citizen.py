"""The SLA clock pauses while the department waits for the citizen's answer to its question.

Calendar used below (2026): Wednesday 12 August the question; Saturday 15 and Sunday 16 the weekend; Monday 17
August Independence Day (a national holiday); Tuesday 18 the answer. Working days waited: Thursday 13, Friday 14
and Tuesday 18, so three.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from complaints import actions
from complaints.actions.dispatch import escalate_overdue, forward_ticket
from complaints.event_text import event_details
from complaints.models import EventType, Status, TicketEvent
from services.models import Department
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
ASKED = dt.datetime(2026, 8, 12, 10, 0, tzinfo=WITA)  # Wednesday
ANSWERED = dt.datetime(2026, 8, 18, 10, 0, tzinfo=WITA)  # Tuesday, after a weekend and Independence Day


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def end_of(year, month, day) -> dt.datetime:
    return wita(year, month, day, 23, 59, 59)


def ask(ticket, staff, at=ASKED, message="Di RT berapa tepatnya?"):
    with time_machine.travel(at, tick=False):
        return actions.ask_for_information(ticket=ticket, actor=staff, message=message)


def answer(ticket, citizen, at=ANSWERED, message="RT 05, dekat musala."):
    with time_machine.travel(at, tick=False):
        return actions.add_citizen_info(ticket=ticket, actor=citizen, message=message)


def escalations(ticket) -> int:
    return TicketEvent.objects.filter(ticket=ticket, type=EventType.ESCALATED).count()


@pytest.fixture
def ticket(citizen):
    """Verified, due at the end of Thursday 13 August: overdue from Friday on unless the clock stops."""
    return make_ticket(
        reporter=citizen,
        status=Status.ACKNOWLEDGED,
        response_due_at=end_of(2026, 8, 11),
        resolution_due_at=end_of(2026, 8, 13),
    )


def test_the_answer_moves_the_due_date_by_the_working_days_waited_and_nothing_escalates_meanwhile(
    client, ticket, citizen, staff_dlh, head_dlh
):
    ask(ticket, staff_dlh)
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since == ASKED
    question = ticket.events.get(type=EventType.INFO_REQUESTED)
    assert question.payload["clock"]["paused"] and question.payload["clock"]["max_working_days"] == 10

    # Past the due date, over the weekend and the holiday: the clock is paused, nobody is escalated.
    for moment in (wita(2026, 8, 14, 9), wita(2026, 8, 15, 9), wita(2026, 8, 17, 12), wita(2026, 8, 18, 9)):
        assert escalate_overdue(now=moment) == 0
    assert escalations(ticket) == 0

    event = answer(ticket, citizen)
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since is None
    # Thursday 13 + 3 working days (Friday 14, Tuesday 18, Wednesday 19: the weekend and the 17th do not count).
    assert ticket.resolution_due_at == end_of(2026, 8, 19)
    assert ticket.response_due_at == end_of(2026, 8, 11)  # verified already: the response date is history
    clock = event.payload["clock"]
    assert clock["working_days"] == 3 and clock["ended"] == "answer"
    assert clock["resolution_due_at"] == "2026-08-19T23:59:59+08:00"
    assert "response_due_at" not in clock

    # The moved date counts: not overdue on Wednesday, escalated once it has passed.
    assert escalate_overdue(now=wita(2026, 8, 19, 12)) == 0
    assert escalate_overdue(now=wita(2026, 8, 20, 0, 1)) == 1

    # The citizen's public timeline says it in words.
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The department&#x27;s clock is paused until the citizen answers (at most 10 working days)." in page
    assert "The department waited 3 working days for this answer: its due dates move 3 working days later." in page
    assert "Resolution now due: 19 Aug 2026" in page


def test_the_web_answer_ends_the_wait(client, ticket, citizen, staff_dlh):
    ask(ticket, staff_dlh)
    client.force_login(citizen)
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="clock-paused"' in page and "on hold while the department waits for an answer" in page
    with time_machine.travel(ANSWERED, tick=False):
        response = client.post(f"/laporan/{ticket.reference}/info/", {"message": "RT 05, dekat musala."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since is None and ticket.resolution_due_at == end_of(2026, 8, 19)
    assert ticket.events.get(type=EventType.CITIZEN_INFO).payload["clock"]["working_days"] == 3
    assert 'id="clock-paused"' not in client.get(f"/laporan/{ticket.reference}/").content.decode()


def test_a_second_question_does_not_restart_the_wait(ticket, citizen, staff_dlh):
    ask(ticket, staff_dlh)
    second = ask(ticket, staff_dlh, at=wita(2026, 8, 14, 11), message="Dan fotonya?")
    second.refresh_from_db()
    assert second.waiting_for_citizen_since == ASKED
    later = second.events.filter(type=EventType.INFO_REQUESTED).order_by("-id").first()
    assert later.payload["clock"]["continued"] and later.payload["clock"]["since"] == ASKED.isoformat()
    answer(ticket, citizen)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == end_of(2026, 8, 19)  # counted from the first question


def test_an_unverified_ticket_moves_its_response_and_resolution_dates(citizen, staff_dlh):
    ticket = make_ticket(
        reporter=citizen,
        status=Status.ROUTED,
        response_due_at=end_of(2026, 8, 14),
        resolution_due_at=end_of(2026, 8, 19),
    )
    ask(ticket, staff_dlh)
    assert escalate_overdue(now=wita(2026, 8, 18, 9)) == 0  # response date passed on Friday: paused
    event = answer(ticket, citizen)
    ticket.refresh_from_db()
    assert ticket.response_due_at == end_of(2026, 8, 20)  # Friday 14 + Tuesday 18, Wednesday 19, Thursday 20
    assert ticket.resolution_due_at == end_of(2026, 8, 24)  # Wednesday 19 + Thursday, Friday, Monday 24
    assert event.payload["clock"]["response_due_at"] == "2026-08-20T23:59:59+08:00"
    with translation.override("en"):
        lines = event_details(event.type, event.payload)
    assert "Response now due: 20 Aug 2026" in lines and "Resolution now due: 24 Aug 2026" in lines


def test_an_answer_the_same_day_moves_nothing(ticket, citizen, staff_dlh):
    ask(ticket, staff_dlh)
    event = answer(ticket, citizen, at=wita(2026, 8, 12, 15))
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since is None and ticket.resolution_due_at == end_of(2026, 8, 13)
    assert event.payload["clock"]["working_days"] == 0
    with translation.override("en"):
        assert event_details(event.type, event.payload) == [
            "The answer came within the working day it was asked: the due dates stay."
        ]


def test_without_an_answer_the_clock_runs_again_after_the_limit(settings, ticket, citizen, staff_dlh, head_dlh):
    settings.INFO_WAIT_WORKING_DAYS = 3
    ask(ticket, staff_dlh)
    # The third working day after the question (Tuesday 18, after the weekend and the holiday) is not over yet.
    assert escalate_overdue(now=wita(2026, 8, 18, 23)) == 0
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since == ASKED
    # Then the sweep ends the wait, moves the due date by the 3 days and escalates nothing yet.
    assert escalate_overdue(now=wita(2026, 8, 19, 0, 5)) == 0
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since is None
    assert ticket.resolution_due_at == end_of(2026, 8, 19)
    (note,) = ticket.events.filter(type=EventType.NOTE)
    assert not note.public
    assert note.payload["clock"] == {
        "since": ASKED.isoformat(),
        "ended": "limit",
        "working_days": 3,
        "resolution_due_at": "2026-08-19T23:59:59+08:00",
    }
    with translation.override("en"):
        assert event_details(note.type, note.payload)[0] == (
            "The citizen did not answer within 3 working days: the clock runs again, and the due dates move 3 "
            "working days later."
        )
    assert escalate_overdue(now=wita(2026, 8, 19, 1)) == 0  # a second run finds nothing to do
    assert ticket.events.filter(type=EventType.NOTE).count() == 1
    assert escalate_overdue(now=wita(2026, 8, 20, 0, 1)) == 1  # the clock runs: overdue counts again
    # Staff decide: an answer that comes late moves nothing more; they may still resolve.
    late = answer(ticket, citizen, at=wita(2026, 8, 20, 9))
    assert "clock" not in late.payload
    with time_machine.travel(wita(2026, 8, 20, 10), tick=False):
        actions.resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sudah diangkut.")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution_due_at == end_of(2026, 8, 19)


def test_resolving_while_waiting_ends_the_wait_with_the_same_shift(ticket, staff_dlh):
    ask(ticket, staff_dlh)
    with time_machine.travel(wita(2026, 8, 18, 9), tick=False):
        actions.resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sudah diangkut.")
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since is None
    assert ticket.resolution_due_at == end_of(2026, 8, 19)
    assert ticket.resolved_at <= ticket.resolution_due_at  # the SLA figures count it on time
    event = ticket.events.get(type=EventType.RESOLVED)
    assert event.payload["note"] == "Sudah diangkut."
    assert event.payload["clock"]["working_days"] == 3 and event.payload["clock"]["ended"] == "staff"


def test_rejecting_or_starting_work_ends_the_wait(citizen, staff_dlh):
    rejected = make_ticket(reporter=citizen, status=Status.IN_PROGRESS, resolution_due_at=end_of(2026, 8, 13))
    started = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED, resolution_due_at=end_of(2026, 8, 13))
    for ticket in (rejected, started):
        ask(ticket, staff_dlh)
    with time_machine.travel(ANSWERED, tick=False):
        actions.reject_ticket(ticket=rejected, actor=staff_dlh, reason="Di luar kota.")
        actions.start_work(ticket=started, actor=staff_dlh)
    for ticket, event_type in ((rejected, EventType.REJECTED), (started, EventType.STARTED)):
        ticket.refresh_from_db()
        assert ticket.waiting_for_citizen_since is None and ticket.resolution_due_at == end_of(2026, 8, 19)
        assert ticket.events.get(type=event_type).payload["clock"]["working_days"] == 3


def test_forwarding_ends_the_wait_and_the_new_department_counts_from_now(ticket, staff_dlh):
    ask(ticket, staff_dlh)
    with time_machine.travel(ANSWERED, tick=False):
        forward_ticket(
            ticket=ticket, actor=staff_dlh, department=Department.objects.get(code="pupr"), reason="Saluran, PUPR."
        )
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since is None and ticket.status == Status.ROUTED
    assert ticket.resolution_due_at > ANSWERED


def test_the_api_and_open311_give_the_moved_dates(client, ticket, citizen, staff_dlh):
    ask(ticket, staff_dlh)
    record = client.get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert record["waiting_for_citizen_since"] == "2026-08-12T10:00:00+08:00"
    answer(ticket, citizen)
    record = client.get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert record["waiting_for_citizen_since"] is None
    assert record["resolution_due_at"] == "2026-08-19T23:59:59+08:00"
    open311 = client.get(f"/open311/v2/requests/{ticket.reference}.json").json()[0]
    assert open311["expected_datetime"] == "2026-08-19T23:59:59+08:00"


def test_the_question_email_tells_the_reporter_the_deadlines_wait_for_their_answer(ticket, citizen, staff_dlh):
    from django.core import mail

    from complaints.mail import deliver_notification
    from complaints.models import Notification

    citizen.language = "en"
    citizen.save(update_fields=["language"])
    ask(ticket, staff_dlh)
    question = ticket.events.get(type=EventType.INFO_REQUESTED)
    email = Notification.objects.get(event=question, recipient=citizen)
    assert deliver_notification(notification_id=email.pk)
    body = mail.outbox[-1].body
    assert "Please answer the department's question on your report's page." in body
    assert "Until you answer, the department's deadlines wait, for at most 10 working days." in body
