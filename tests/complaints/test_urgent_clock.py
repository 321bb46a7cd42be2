"""An urgent report's verification time, due URGENT_RESPONSE_HOURS on the clock, stays on the clock when the
deadlines move (found after the Saturday-night storm walk): a day off declared pushed it to the end of the next
working day, and the citizen's answer to a question restarted it at the end of a working day (or not at all when
answered the same night) instead of giving back the hours the clock was paused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from complaints import actions, routing
from complaints.actions import move_deadlines_for_day_off
from complaints.event_text import event_details
from complaints.models import EventType, Status, Ticket, TicketEvent
from services.models import DayOff
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


def make_urgent(priority=URGENT, **fields) -> Ticket:
    """``make_ticket`` with the ticket's priority (the factory gives the service's)."""
    ticket = make_ticket(**fields)
    Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    return reread(ticket)


# --- a day off does not push a 24-hour emergency answer ---------------------------------------------------------------

WEDNESDAY = wita(2026, 12, 9, 10, 0)
THURSDAY_10 = dt.date(2026, 12, 10)  # an ordinary working day, declared a day off on Wednesday


def urgent_due_thursday_morning(**fields):
    """Routed urgent on Wednesday 09:00: verification due Thursday 09:00 on the clock, resolution in working days."""
    return make_urgent(
        status=Status.ROUTED,
        routed_at=wita(2026, 12, 9, 9, 0),
        response_due_at=wita(2026, 12, 10, 9, 0),
        resolution_due_at=end_of(2026, 12, 16),
        **fields,
    )


def declare_day_off(day=THURSDAY_10):
    with time_machine.travel(WEDNESDAY, tick=False):
        DayOff.objects.create(date=day, name="Hari jadi kota")
        return move_deadlines_for_day_off(day, added=True, name="Hari jadi kota")


def test_a_day_off_leaves_an_urgent_verification_time_on_the_clock(city):
    ticket = urgent_due_thursday_morning()
    assert declare_day_off() == 1
    ticket = reread(ticket)
    # Nights, weekends and holidays included: the heads still hear of it on Thursday 09:00, not Friday 23:59.
    assert ticket.response_due_at == wita(2026, 12, 10, 9, 0)
    assert ticket.resolution_due_at == end_of(2026, 12, 17)  # working days: one later
    note = TicketEvent.objects.get(ticket=ticket, type=EventType.NOTE)
    assert list(note.payload["moved"]) == ["resolution_due_at"]

    # Deleting the day off again moves the resolution back and leaves the verification time alone.
    DayOff.objects.filter(date=THURSDAY_10).delete()
    with time_machine.travel(WEDNESDAY, tick=False):
        move_deadlines_for_day_off(THURSDAY_10, added=False)
    ticket = reread(ticket)
    assert (ticket.response_due_at, ticket.resolution_due_at) == (wita(2026, 12, 10, 9, 0), end_of(2026, 12, 16))


def test_a_day_off_still_moves_a_routine_tickets_verification_date(city):
    ticket = urgent_due_thursday_morning(priority=routing.PRIORITY_NORMAL)
    declare_day_off()
    assert reread(ticket).response_due_at == end_of(2026, 12, 11)


def test_without_hours_an_urgent_tickets_verification_counts_working_days_and_moves(city, settings):
    settings.URGENT_RESPONSE_HOURS = 0
    ticket = urgent_due_thursday_morning()
    declare_day_off()
    assert reread(ticket).response_due_at == end_of(2026, 12, 11)


# --- the citizen's answer gives back the hours waited -----------------------------------------------------------------

ROUTED = wita(2026, 12, 12, 22, 26)  # Saturday night: verification due Sunday 22:26
STORM_DUE = wita(2026, 12, 13, 22, 26)


@pytest.fixture
def storm_ticket(city, citizen):
    return make_urgent(
        reporter=citizen,
        status=Status.ROUTED,
        routed_at=ROUTED,
        response_due_at=STORM_DUE,
        resolution_due_at=end_of(2026, 12, 17),
    )


def ask(ticket, staff, at):
    with time_machine.travel(at, tick=False):
        actions.ask_for_information(ticket=ticket, actor=staff, message="Kabelnya masih menyala?")


def answer(ticket, citizen, at):
    with time_machine.travel(at, tick=False):
        return actions.add_citizen_info(ticket=ticket, actor=citizen, message="Masih, ada percikan.")


def test_an_answer_the_same_night_gives_the_urgent_clock_back_its_hours(storm_ticket, citizen, staff_dlh):
    ask(storm_ticket, staff_dlh, wita(2026, 12, 12, 23, 0))
    event = answer(storm_ticket, citizen, wita(2026, 12, 13, 9, 30))  # Sunday morning: 10 h 30 min waited
    ticket = reread(storm_ticket)
    assert ticket.waiting_for_citizen_since is None
    assert ticket.response_due_at == STORM_DUE + dt.timedelta(hours=10, minutes=30)  # Monday 08:56, not Sunday 22:26
    assert ticket.resolution_due_at == end_of(2026, 12, 17)  # no working day waited
    clock = event.payload["clock"]
    assert clock["response_due_at"] == "2026-12-14T08:56:00+08:00"
    assert clock["response_minutes_waited"] == 630
    with translation.override("en"):
        lines = event_details(event.type, event.payload)
    assert lines == [
        "Urgent, counted on the clock: the time waited is added back, verification now due 14 Dec 2026 08:56 WITA."
    ]


def test_an_answer_after_a_working_day_moves_the_urgent_time_by_hours_and_the_rest_by_days(city, citizen, staff_dlh):
    ticket = make_urgent(
        reporter=citizen,
        status=Status.ROUTED,
        routed_at=wita(2026, 12, 11, 9, 0),
        response_due_at=wita(2026, 12, 12, 9, 0),  # Friday 09:00 + 24 hours
        resolution_due_at=end_of(2026, 12, 17),
    )
    ask(ticket, staff_dlh, wita(2026, 12, 11, 10, 0))
    event = answer(ticket, citizen, wita(2026, 12, 14, 10, 0))  # Monday: 72 hours, one working day
    ticket = reread(ticket)
    # Was Monday 23:59:59 (a working day added to Saturday 09:00): 23 hours were left when the clock stopped.
    assert ticket.response_due_at == wita(2026, 12, 15, 9, 0)
    assert ticket.resolution_due_at == end_of(2026, 12, 18)
    with translation.override("en"):
        lines = event_details(event.type, event.payload)
    assert lines[0].startswith("The department waited 1 working day for this answer")
    assert "Resolution now due: 18 Dec 2026" in lines
    assert not any(line.startswith("Response now due") for line in lines)  # a date only: said with its time below
    assert lines[-1].endswith("verification now due 15 Dec 2026 09:00 WITA.")


def test_the_sweep_gives_the_urgent_clock_back_at_most_the_waits_limit(settings, storm_ticket, staff_dlh):
    from complaints.actions.deadlines import resume_expired_waits

    settings.INFO_WAIT_WORKING_DAYS = 1
    asked = wita(2026, 12, 12, 23, 0)
    ask(storm_ticket, staff_dlh, asked)
    assert resume_expired_waits(now=wita(2026, 12, 15, 8, 0)) == 1  # the limit: Monday 14, 23:59:59
    ticket = reread(storm_ticket)
    assert ticket.response_due_at == STORM_DUE + (end_of(2026, 12, 14) - asked)
