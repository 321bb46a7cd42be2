"""Working days in WITA: weekends, Indonesian national holidays and the administrator's days off are skipped."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from services.calendar import WITA, add_working_days, is_working_day
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
