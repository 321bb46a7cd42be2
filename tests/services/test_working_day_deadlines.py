"""A listed holiday the administrator makes a working day brings the deadlines already running that count it one
working day nearer; removing the correction moves them back.

The `holidays` package estimates the Islamic holidays of a coming year, and the government's SKB sometimes moves or
cancels a holiday or cuti bersama it lists. The administrator could add a day off but not say "this listed date is
a normal working day", so deadlines skipped a day the city's offices worked."""

import datetime as dt

import pytest
import time_machine

from complaints.actions import day_off_effect, move_deadlines_for_day_off
from complaints.models import EventType, Status, Ticket, TicketEvent
from services.calendar import WITA, add_working_days
from services.models import DayOff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2027, 5, 10, 10, 0, tzinfo=WITA)  # Monday
# The package's estimate: Idul Adha Mon 17 May 2027, cuti bersama Tue 18, Waisak cuti bersama Wed 19 and Thu 20.
MONDAY_17 = dt.date(2027, 5, 17)
WORKING = DayOff.Kind.WORKING_DAY


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)


@pytest.fixture(autouse=True)
def today(city):
    with time_machine.travel(TODAY, tick=False):
        yield


def reread(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def routed_today(**fields) -> Ticket:
    # 5 working days from Mon 10 May: 11, 12, 13, 14 and (17-20 off) Fri 21 May.
    fields.setdefault("response_due_at", end_of(dt.date(2027, 5, 12)))
    return make_ticket(routed_at=TODAY, resolution_due_at=end_of(dt.date(2027, 5, 21)), **fields)


def test_a_listed_holiday_made_a_working_day_brings_the_deadline_one_working_day_nearer():
    assert add_working_days(TODAY, 5) == end_of(dt.date(2027, 5, 21))
    ticket = routed_today()

    DayOff.objects.create(date=MONDAY_17, kind=WORKING, name="Idul Adha menurut SKB: Minggu 16 Mei")
    assert move_deadlines_for_day_off(MONDAY_17, added=True, kind=WORKING, name="Idul Adha menurut SKB") == 1

    ticket = reread(ticket)
    assert ticket.resolution_due_at == end_of(MONDAY_17) == add_working_days(TODAY, 5)
    assert ticket.response_due_at == end_of(dt.date(2027, 5, 12))  # before the day: unchanged
    note = TicketEvent.objects.get(ticket=ticket)
    assert note.type == EventType.NOTE and not note.public
    assert note.payload["day_off"] == "2027-05-17" and note.payload["day_off_added"] is True
    assert note.payload["kind"] == "working_day"
    assert note.payload["moved"] == {"resolution_due_at": ["2027-05-21T23:59:59+08:00", "2027-05-17T23:59:59+08:00"]}
    assert "Idul Adha menurut SKB" in note.payload["message"]


def test_removing_the_working_day_moves_the_deadline_back():
    ticket = routed_today()
    DayOff.objects.create(date=MONDAY_17, kind=WORKING, name="SKB")
    move_deadlines_for_day_off(MONDAY_17, added=True, kind=WORKING)
    DayOff.objects.filter(date=MONDAY_17).delete()

    assert move_deadlines_for_day_off(MONDAY_17, added=False, kind=WORKING) == 1
    assert reread(ticket).resolution_due_at == end_of(dt.date(2027, 5, 21)) == add_working_days(TODAY, 5)


def test_a_working_day_the_calendar_would_not_close_moves_nothing():
    ticket = routed_today()
    for day in (dt.date(2027, 5, 12), dt.date(2027, 5, 15)):  # an ordinary Wednesday, a Saturday
        assert day_off_effect(day, kind=WORKING) == "unchanged"
        assert move_deadlines_for_day_off(day, added=True, kind=WORKING) == 0
    assert day_off_effect(dt.date(2027, 5, 3), kind=WORKING) == "past"
    assert reread(ticket).resolution_due_at == end_of(dt.date(2027, 5, 21))


def test_the_closing_window_moves_for_resolved_reports_and_those_confirmed_within_it():
    """The reporter may rate until the window's end, also after confirming the fix: that end moves with the rest."""
    resolved = make_ticket(status=Status.RESOLVED, resolved_at=TODAY, close_window_ends_at=end_of(dt.date(2027, 5, 28)))
    confirmed = make_ticket(
        status=Status.CLOSED, resolved_at=TODAY, closed_at=TODAY, close_window_ends_at=end_of(dt.date(2027, 5, 28))
    )
    closed_long_ago = make_ticket(
        status=Status.CLOSED,
        resolved_at=dt.datetime(2027, 4, 1, 9, 0, tzinfo=WITA),
        close_window_ends_at=end_of(dt.date(2027, 4, 15)),
    )
    DayOff.objects.create(date=MONDAY_17, kind=WORKING, name="SKB")
    assert move_deadlines_for_day_off(MONDAY_17, added=True, kind=WORKING) == 2
    assert reread(resolved).close_window_ends_at == end_of(dt.date(2027, 5, 27))
    assert reread(confirmed).close_window_ends_at == end_of(dt.date(2027, 5, 27))
    assert reread(closed_long_ago).close_window_ends_at == end_of(dt.date(2027, 4, 15))


# --- through the admin ---------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_adding_a_working_day_in_the_admin_says_how_many_deadlines_moved(admin_client):
    ticket = routed_today()
    response = admin_client.post(
        "/admin/services/dayoff/add/",
        {"date": "2027-05-17", "kind": "working_day", "name": "Idul Adha menurut SKB: Minggu 16 Mei"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Deadlines of 1 report moved to the previous working day: 17 May 2027 is a working day now." in shown(
        response
    )
    assert DayOff.objects.get(date=MONDAY_17).kind == WORKING
    assert reread(ticket).resolution_due_at == end_of(MONDAY_17)
    note = TicketEvent.objects.get(ticket=ticket)
    assert note.actor.email == "admin@banjarmasinkota.go.id" and note.payload["kind"] == "working_day"


def test_deleting_a_working_day_in_the_admin_moves_the_deadlines_back(admin_client):
    ticket = routed_today()
    correction = DayOff.objects.create(date=MONDAY_17, kind=WORKING, name="SKB")
    move_deadlines_for_day_off(MONDAY_17, added=True, kind=WORKING)

    response = admin_client.post(
        f"/admin/services/dayoff/{correction.pk}/delete/", {"post": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert not DayOff.objects.exists()
    assert "Deadlines of 1 report moved to the next working day: 17 May 2027 is a holiday again." in shown(response)
    assert reread(ticket).resolution_due_at == end_of(dt.date(2027, 5, 21))


def test_a_day_off_turned_into_a_working_day_moves_by_both(admin_client):
    # A day off entered by mistake on Wed 12 May, then corrected to the working day it was meant to be on the 17th.
    ticket = routed_today()
    correction = DayOff.objects.create(date=dt.date(2027, 5, 12), name="SKB")
    move_deadlines_for_day_off(correction.date, added=True)
    assert reread(ticket).resolution_due_at == end_of(dt.date(2027, 5, 24))

    response = admin_client.post(
        f"/admin/services/dayoff/{correction.pk}/change/",
        {"date": "2027-05-17", "kind": "working_day", "name": "SKB"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    messages = shown(response)
    assert "Deadlines of 1 report moved to the previous working day: 12 May 2027 is no longer a day off." in messages
    assert "Deadlines of 1 report moved to the previous working day: 17 May 2027 is a working day now." in messages
    assert reread(ticket).resolution_due_at == end_of(MONDAY_17) == add_working_days(TODAY, 5)


@pytest.mark.parametrize(
    "date,refused",
    [
        ("2027-05-15", "15 May 2027 is a Saturday or Sunday: offices never work on a weekend"),
        ("2027-05-12", "12 May 2027 is not a national holiday or cuti bersama in the calendar"),
    ],
)
def test_a_working_day_that_would_change_nothing_is_refused_in_the_admin(admin_client, date, refused):
    ticket = routed_today()
    response = admin_client.post(
        "/admin/services/dayoff/add/",
        {"date": date, "kind": "working_day", "name": "Salah"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert refused in response.content.decode()
    assert not DayOff.objects.exists()
    assert reread(ticket).resolution_due_at == end_of(dt.date(2027, 5, 21))
    assert not TicketEvent.objects.filter(ticket=ticket).exists()
