"""Working days in WITA: weekends, Indonesian national holidays and the administrator's days off are skipped; a
listed holiday the administrator made a working day is counted."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from services.calendar import PACKAGE_CALENDAR, WITA, Corrections, add_working_days, is_working_day
from services.models import DayOff

pytestmark = pytest.mark.django_db


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)


@time_machine.travel(wita(2026, 11, 27, 10, 0), tick=False)  # Friday
def test_one_working_day_after_a_friday_is_monday():
    assert add_working_days(timezone.now(), 1) == end_of(dt.date(2026, 11, 30))
    assert add_working_days(timezone.now(), 5) == end_of(dt.date(2026, 12, 4))


@time_machine.travel(wita(2026, 12, 23, 9, 0), tick=False)  # Wednesday before Christmas
def test_due_date_across_a_holiday_and_a_weekend():
    # Thu 24 cuti bersama, Fri 25 Christmas, Sat 26, Sun 27, Mon 28 (1), Tue 29 (2), Wed 30 (3).
    assert add_working_days(timezone.now(), 3) == end_of(dt.date(2026, 12, 30))


@time_machine.travel(wita(2026, 12, 23, 9, 0), tick=False)
def test_administrator_day_off_is_skipped_too():
    DayOff.objects.create(date=dt.date(2026, 12, 28), name="Libur daerah")
    assert add_working_days(timezone.now(), 3) == end_of(dt.date(2026, 12, 31))
    assert not is_working_day(dt.date(2026, 12, 28))


def test_national_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(dt.date(2026, 12, 25))  # Christmas (Friday)
    assert not is_working_day(dt.date(2026, 8, 17))  # Independence Day (Monday)
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_working_day(dt.date(2026, 11, 29))  # Sunday
    assert is_working_day(dt.date(2026, 11, 27))  # an ordinary Friday


@pytest.mark.parametrize(
    "day", [dt.date(2026, 12, 24), dt.date(2027, 2, 5), dt.date(2027, 3, 9), dt.date(2027, 3, 12), dt.date(2027, 5, 18)]
)
def test_cuti_bersama_are_not_working_days(day):
    """The civil service's joint leave days close the city's offices: deadlines skip them."""
    assert not is_working_day(day)


@time_machine.travel(dt.datetime(2026, 11, 26, 17, 0, tzinfo=dt.UTC), tick=False)
def test_days_are_counted_in_wita_not_utc():
    # 17:00 UTC Thursday is already 01:00 Friday in Banjarmasin: one working day later is Monday, not Friday.
    assert add_working_days(timezone.now(), 1) == end_of(dt.date(2026, 11, 30))
    assert add_working_days(timezone.now(), 1).utcoffset() == dt.timedelta(hours=8)


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.datetime(2026, 11, 27, 10, 0), 1)


# --- working days: a listed holiday the government's SKB moved or cancelled --------------------------------------
# The package estimates Idul Adha 2027 on Monday 17 May; with its cuti bersama (Tue 18) and Waisak (Wed 19 cuti
# bersama, Thu 20) a report routed on Friday 14 May is due one working day later on Friday 21 May.
FRIDAY_14_MAY_2027 = wita(2027, 5, 14, 10, 0)
MONDAY_17_MAY_2027 = dt.date(2027, 5, 17)


def test_a_listed_holiday_made_a_working_day_is_counted():
    assert add_working_days(FRIDAY_14_MAY_2027, 1) == end_of(dt.date(2027, 5, 21))
    DayOff.objects.create(date=MONDAY_17_MAY_2027, kind=DayOff.Kind.WORKING_DAY, name="Idul Adha menurut SKB: 16 Mei")
    assert is_working_day(MONDAY_17_MAY_2027)
    assert add_working_days(FRIDAY_14_MAY_2027, 1) == end_of(MONDAY_17_MAY_2027)
    assert add_working_days(FRIDAY_14_MAY_2027, 2) == end_of(dt.date(2027, 5, 21))  # the other days stay off


def test_the_package_calendar_alone_ignores_the_administrators_corrections():
    DayOff.objects.create(date=MONDAY_17_MAY_2027, kind=DayOff.Kind.WORKING_DAY, name="SKB")
    DayOff.objects.create(date=dt.date(2027, 5, 12), name="Hari jadi kota")
    assert not is_working_day(MONDAY_17_MAY_2027, PACKAGE_CALENDAR)
    assert is_working_day(dt.date(2027, 5, 12), PACKAGE_CALENDAR)
    assert not is_working_day(dt.date(2027, 5, 12))


def test_corrections_read_once_serve_only_the_span_they_cover(django_assert_num_queries):
    DayOff.objects.create(date=MONDAY_17_MAY_2027, kind=DayOff.Kind.WORKING_DAY, name="SKB")
    corrections = Corrections.stored(dt.date(2027, 5, 1), dt.date(2027, 9, 1))
    with django_assert_num_queries(0):
        assert add_working_days(FRIDAY_14_MAY_2027, 1, corrections) == end_of(MONDAY_17_MAY_2027)
    # A span starting before them: the count reads its own, and finds the same correction.
    narrow = Corrections.stored(dt.date(2027, 5, 16), dt.date(2027, 5, 16))
    with django_assert_num_queries(1):
        assert add_working_days(FRIDAY_14_MAY_2027, 1, narrow) == end_of(MONDAY_17_MAY_2027)


@pytest.mark.parametrize(
    "day,refused",
    [
        (dt.date(2027, 5, 1), "is a Saturday or Sunday"),  # Labour Day 2027 falls on a Saturday
        (dt.date(2027, 5, 12), "is not a national holiday or cuti bersama in the calendar"),
    ],
)
def test_a_working_day_that_would_change_nothing_is_refused(day, refused):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    correction = DayOff(date=day, kind=DayOff.Kind.WORKING_DAY, name="Salah")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        correction.full_clean()
    assert refused in " ".join(error.value.message_dict["kind"])
    DayOff(date=day, kind=DayOff.Kind.DAY_OFF, name="Libur").full_clean()  # a day off there is not refused
    DayOff(date=MONDAY_17_MAY_2027, kind=DayOff.Kind.WORKING_DAY, name="SKB").full_clean()


def test_the_admin_list_says_what_the_calendar_lists_on_each_date(client, administrator):
    DayOff.objects.create(date=MONDAY_17_MAY_2027, kind=DayOff.Kind.WORKING_DAY, name="Idul Adha menurut SKB")
    client.force_login(administrator)
    page = client.get("/admin/services/dayoff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Working day" in page and "Eid al-Adha (estimated)" in page
    page = client.get("/admin/services/dayoff/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Hari Raya Idul Adha (perkiraan)" in page
