"""A day off the administrator adds or deletes moves the deadlines already running that count it.

An auditor found a report due 29 Dec still shown due 29 Dec after a day off on a weekday before it was added,
while counting again gave 30 Dec; resolved reports kept their closing window too, and deleting a day off had the
mirror problem. The deadline of every open report (the response date only while awaiting verification) and the
closing window of every resolved one now moves one working day, and the admin says how many moved."""

import datetime as dt

import pytest
import time_machine

from complaints.actions import move_deadlines_for_day_off
from complaints.models import EventType, Status, Ticket, TicketEvent
from services.calendar import WITA, add_working_days
from services.models import DayOff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 9, 10, 0, tzinfo=WITA)  # Wednesday
MONDAY_28 = dt.date(2026, 12, 28)  # an ordinary working day (24 Dec is cuti bersama, 25 Christmas)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)


@pytest.fixture(autouse=True)
def today(city):
    with time_machine.travel(TODAY, tick=False):
        yield


def due_29_dec(**fields):
    fields.setdefault("response_due_at", end_of(dt.date(2026, 12, 11)))
    return make_ticket(resolution_due_at=end_of(dt.date(2026, 12, 29)), **fields)


def reread(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_a_day_off_before_the_deadline_moves_it_to_the_next_working_day():
    routed_at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=WITA)
    assert add_working_days(routed_at, 14) == end_of(dt.date(2026, 12, 29))
    ticket = due_29_dec(routed_at=routed_at)

    DayOff.objects.create(date=MONDAY_28, name="Hari jadi kota")
    assert move_deadlines_for_day_off(MONDAY_28, added=True, name="Hari jadi kota") == 1

    ticket = reread(ticket)
    assert ticket.resolution_due_at == end_of(dt.date(2026, 12, 30)) == add_working_days(routed_at, 14)
    assert ticket.response_due_at == end_of(dt.date(2026, 12, 11))  # before the day off: unchanged
    note = TicketEvent.objects.get(ticket=ticket)
    assert note.type == EventType.NOTE and not note.public
    assert note.payload["day_off"] == "2026-12-28" and note.payload["day_off_added"] is True
    assert note.payload["moved"] == {"resolution_due_at": ["2026-12-29T23:59:59+08:00", "2026-12-30T23:59:59+08:00"]}
    assert "Hari jadi kota" in note.payload["message"]


def test_deleting_the_day_off_moves_the_deadline_back():
    ticket = due_29_dec()
    DayOff.objects.create(date=MONDAY_28, name="Hari jadi kota")
    move_deadlines_for_day_off(MONDAY_28, added=True)
    DayOff.objects.filter(date=MONDAY_28).delete()

    assert move_deadlines_for_day_off(MONDAY_28, added=False) == 1
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 29))


def test_a_deadline_on_the_day_off_itself_moves_past_it():
    ticket = make_ticket(resolution_due_at=end_of(MONDAY_28))
    assert move_deadlines_for_day_off(MONDAY_28, added=True) == 1
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 29))


def test_moving_skips_weekends_and_holidays():
    # Due Wed 23 Dec, a day off on Tue 22: next working day after 23 is Mon 28 (24 cuti bersama, 25 Christmas).
    ticket = make_ticket(resolution_due_at=end_of(dt.date(2026, 12, 23)))
    move_deadlines_for_day_off(dt.date(2026, 12, 22), added=True)
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 28))


def test_a_day_after_the_deadline_moves_nothing():
    ticket = due_29_dec()
    assert move_deadlines_for_day_off(dt.date(2026, 12, 30), added=True) == 0
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 29))
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("day", [dt.date(2026, 12, 26), dt.date(2026, 12, 24), dt.date(2026, 12, 25)])
def test_a_weekend_day_or_a_holiday_moves_nothing(day):
    ticket = due_29_dec()
    assert move_deadlines_for_day_off(day, added=True) == 0
    assert move_deadlines_for_day_off(day, added=False) == 0
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 29))


def test_a_past_day_moves_nothing():
    # Yesterday was worked or not: whatever it counted in a deadline is history, adding or removing it changes none.
    ticket = make_ticket(
        routed_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=WITA), resolution_due_at=end_of(dt.date(2026, 12, 10))
    )
    assert move_deadlines_for_day_off(dt.date(2026, 12, 8), added=True) == 0
    assert move_deadlines_for_day_off(dt.date(2026, 12, 8), added=False) == 0
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 10))


# A day off announced the same morning (flood, election). Today is Monday 7 Dec 2026.
MONDAY_7 = dt.date(2026, 12, 7)
MORNING_7 = dt.datetime(2026, 12, 7, 8, 0, tzinfo=WITA)
SUNDAY_6 = dt.datetime(2026, 12, 6, 15, 0, tzinfo=WITA)


def test_a_day_off_today_moves_the_deadlines_counted_from_before_today():
    with time_machine.travel(MORNING_7, tick=False):
        assert add_working_days(SUNDAY_6, 2) == end_of(dt.date(2026, 12, 8))
        routed_sunday = make_ticket(
            routed_at=SUNDAY_6,
            response_due_at=end_of(dt.date(2026, 12, 8)),
            resolution_due_at=end_of(dt.date(2026, 12, 10)),
        )
        DayOff.objects.create(date=MONDAY_7, name="Banjir")
        assert move_deadlines_for_day_off(MONDAY_7, added=True, name="Banjir") == 1
        routed_sunday = reread(routed_sunday)
        # Counting again gives the same: Mon 7 is off, so Tue 8 and Wed 9.
        assert routed_sunday.response_due_at == end_of(dt.date(2026, 12, 9)) == add_working_days(SUNDAY_6, 2)
        assert routed_sunday.resolution_due_at == end_of(dt.date(2026, 12, 11))

        DayOff.objects.filter(date=MONDAY_7).delete()
        assert move_deadlines_for_day_off(MONDAY_7, added=False) == 1
        assert reread(routed_sunday).response_due_at == end_of(dt.date(2026, 12, 8))


def test_a_day_off_today_leaves_the_deadlines_counted_from_today():
    with time_machine.travel(MORNING_7, tick=False):
        # Both count from Tue 8: today is in neither window.
        routed_today = make_ticket(
            routed_at=MORNING_7,
            response_due_at=end_of(dt.date(2026, 12, 9)),
            resolution_due_at=end_of(dt.date(2026, 12, 11)),
        )
        reopened_today = make_ticket(
            status=Status.IN_PROGRESS,
            routed_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA),
            resolution_due_at=end_of(dt.date(2026, 12, 11)),
        )
        TicketEvent.objects.create(ticket=reopened_today, type=EventType.REOPENED, payload={"by": "reporter"})
        resolved_today = make_ticket(
            status=Status.RESOLVED, resolved_at=MORNING_7, close_window_ends_at=end_of(dt.date(2026, 12, 14))
        )
        # Started earlier: today counts in each of them.
        reopened_before = make_ticket(
            status=Status.IN_PROGRESS,
            routed_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA),
            resolution_due_at=end_of(dt.date(2026, 12, 11)),
        )
        with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=WITA), tick=False):
            TicketEvent.objects.create(ticket=reopened_before, type=EventType.REOPENED, payload={"by": "reporter"})
        resolved_before = make_ticket(
            status=Status.RESOLVED, resolved_at=SUNDAY_6, close_window_ends_at=end_of(dt.date(2026, 12, 10))
        )

        DayOff.objects.create(date=MONDAY_7, name="Pemilihan")
        assert move_deadlines_for_day_off(MONDAY_7, added=True) == 2

        assert reread(routed_today).response_due_at == end_of(dt.date(2026, 12, 9)) == add_working_days(MORNING_7, 2)
        assert reread(routed_today).resolution_due_at == end_of(dt.date(2026, 12, 11))
        assert reread(reopened_today).resolution_due_at == end_of(dt.date(2026, 12, 11))
        assert reread(resolved_today).close_window_ends_at == end_of(dt.date(2026, 12, 14))
        assert reread(reopened_before).resolution_due_at == end_of(dt.date(2026, 12, 14))
        assert reread(resolved_before).close_window_ends_at == end_of(dt.date(2026, 12, 11))
        assert not TicketEvent.objects.filter(
            ticket__in=[routed_today, reopened_today, resolved_today], type=EventType.NOTE
        )


def test_the_response_date_moves_only_while_awaiting_verification():
    awaiting = make_ticket(response_due_at=end_of(dt.date(2026, 12, 29)), resolution_due_at=end_of(dt.date(2027, 1, 4)))
    verified = make_ticket(
        status=Status.ACKNOWLEDGED,
        response_due_at=end_of(dt.date(2026, 12, 29)),
        resolution_due_at=end_of(dt.date(2027, 1, 4)),
    )
    assert move_deadlines_for_day_off(MONDAY_28, added=True) == 2
    awaiting, verified = reread(awaiting), reread(verified)
    assert awaiting.response_due_at == end_of(dt.date(2026, 12, 30))
    assert verified.response_due_at == end_of(dt.date(2026, 12, 29))  # no longer read: left as it was
    assert awaiting.resolution_due_at == verified.resolution_due_at == end_of(dt.date(2027, 1, 6))


def test_a_resolved_reports_closing_window_moves_and_closed_ones_stay():
    resolved = make_ticket(
        status=Status.RESOLVED,
        resolved_at=TODAY,
        resolution_due_at=end_of(dt.date(2026, 12, 29)),
        close_window_ends_at=end_of(dt.date(2026, 12, 29)),
    )
    closed = due_29_dec(status=Status.CLOSED)
    assert move_deadlines_for_day_off(MONDAY_28, added=True) == 1
    resolved = reread(resolved)
    assert resolved.close_window_ends_at == end_of(dt.date(2026, 12, 30))
    assert resolved.resolution_due_at == end_of(dt.date(2026, 12, 29))  # met already: history
    assert reread(closed).resolution_due_at == end_of(dt.date(2026, 12, 29))


def test_many_tickets_take_a_few_queries(django_assert_max_num_queries):
    tickets = [due_29_dec() for _ in range(30)]
    with django_assert_max_num_queries(8):
        assert move_deadlines_for_day_off(MONDAY_28, added=True) == 30
    assert {reread(t).resolution_due_at for t in tickets} == {end_of(dt.date(2026, 12, 30))}


# --- through the admin ---------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_adding_a_day_off_in_the_admin_says_how_many_deadlines_moved(admin_client):
    tickets = [due_29_dec(), make_ticket(status=Status.RESOLVED, close_window_ends_at=end_of(dt.date(2026, 12, 31)))]
    response = admin_client.post(
        "/admin/services/dayoff/add/",
        {"date": "2026-12-28", "kind": "day_off", "name": "Hari jadi kota"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Deadlines of 2 reports moved to the next working day: 28 Dec 2026 is a day off now." in shown(response)
    assert reread(tickets[0]).resolution_due_at == end_of(dt.date(2026, 12, 30))
    assert reread(tickets[1]).close_window_ends_at == end_of(dt.date(2027, 1, 4))
    assert TicketEvent.objects.get(ticket=tickets[0]).actor.email == "admin@banjarmasinkota.go.id"


def test_deleting_a_day_off_in_the_admin_moves_the_deadlines_back(admin_client):
    ticket = due_29_dec()
    day_off = DayOff.objects.create(date=MONDAY_28, name="Hari jadi kota")
    move_deadlines_for_day_off(MONDAY_28, added=True)

    response = admin_client.post(
        f"/admin/services/dayoff/{day_off.pk}/delete/", {"post": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert not DayOff.objects.exists()
    assert "Deadlines of 1 report moved to the previous working day: 28 Dec 2026 is no longer a day off." in shown(
        response
    )
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 29))


def test_deleting_several_days_off_at_once_moves_back_by_each(admin_client):
    ticket = make_ticket(resolution_due_at=end_of(dt.date(2026, 12, 31)))
    days = [DayOff.objects.create(date=dt.date(2026, 12, d), name=f"Libur {d}") for d in (28, 29)]
    for day_off in days:
        move_deadlines_for_day_off(day_off.date, added=True)
    # Thu 31 Dec → Mon 4 Jan (Fri 1 Jan is New Year) → Wed 6 Jan (Tue 5 Jan is Isra' Mi'raj)
    assert reread(ticket).resolution_due_at == end_of(dt.date(2027, 1, 6))

    response = admin_client.post(
        "/admin/services/dayoff/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not DayOff.objects.exists()
    assert reread(ticket).resolution_due_at == end_of(dt.date(2026, 12, 31))
    messages = shown(response)
    assert "Deadlines of 1 report moved to the previous working day: 28 Dec 2026 is no longer a day off." in messages
    assert "Deadlines of 1 report moved to the previous working day: 29 Dec 2026 is no longer a day off." in messages


def test_moving_a_day_off_to_another_date_moves_deadlines_by_both(admin_client):
    before = make_ticket(resolution_due_at=end_of(dt.date(2026, 12, 18)))
    after = due_29_dec()
    day_off = DayOff.objects.create(date=dt.date(2026, 12, 15), name="Libur daerah")
    move_deadlines_for_day_off(day_off.date, added=True)
    assert reread(before).resolution_due_at == end_of(dt.date(2026, 12, 21))

    response = admin_client.post(
        f"/admin/services/dayoff/{day_off.pk}/change/",
        {"date": "2026-12-28", "kind": "day_off", "name": "Libur daerah"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    messages = shown(response)
    assert "Deadlines of 2 reports moved to the previous working day: 15 Dec 2026 is no longer a day off." in messages
    assert "Deadlines of 1 report moved to the next working day: 28 Dec 2026 is a day off now." in messages
    assert reread(before).resolution_due_at == end_of(dt.date(2026, 12, 18))
    # 29 Dec → 30 Dec (15 Dec added) → 29 Dec (15 Dec removed) → 30 Dec (28 Dec added)
    assert reread(after).resolution_due_at == end_of(dt.date(2026, 12, 30))


def test_a_past_day_off_in_the_admin_says_nothing_moved(admin_client):
    due_29_dec()
    response = admin_client.post(
        "/admin/services/dayoff/add/",
        {"date": "2026-12-08", "kind": "day_off", "name": "Terlambat"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "No deadline moved: 8 Dec 2026 is before today." in shown(response)
    assert DayOff.objects.filter(date=dt.date(2026, 12, 8)).exists()


def test_a_day_off_today_that_moves_nothing_says_only_deadlines_counted_from_before_today_would(admin_client):
    make_ticket(routed_at=TODAY, resolution_due_at=end_of(dt.date(2026, 12, 14)))  # counts from tomorrow
    response = admin_client.post(
        "/admin/services/dayoff/add/",
        {"date": "2026-12-09", "kind": "day_off", "name": "Banjir"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "No deadline moved: no report counting since before today is due on or after 9 Dec 2026." in shown(response)
