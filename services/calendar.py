"""Working days in Banjarmasin: Monday–Friday in WITA, minus Indonesian national
holidays and the joint leave days (cuti bersama) of the civil service (``holidays``, country ID, its public and
government categories) and the days off the administrator enters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WITA = ZoneInfo("Asia/Makassar")


@lru_cache(maxsize=32)
def _national_holidays(year: int) -> frozenset[dt.date]:
    # City offices close on cuti bersama too (the "government" category: e.g. 24 December), so a deadline must
    # not count them as working days.
    return frozenset(holidays.country_holidays("ID", years=year, categories=("public", "government")).keys())


def _admin_days_off(start: dt.date, end: dt.date) -> set[dt.date]:
    from .models import DayOff

    return set(DayOff.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def is_working_day(day: dt.date, admin_days_off: set[dt.date] | None = None) -> bool:
    if day.weekday() >= 5 or day in _national_holidays(day.year):
        return False
    if admin_days_off is None:
        admin_days_off = _admin_days_off(day, day)
    return day not in admin_days_off


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment ``days`` working days after ``start``: end of that working day (23:59:59 WITA).

    Counting starts the next working day, as SP4N-LAPOR! counts "within N working days".
    Returned aware, in WITA.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(WITA).date()
    # Enough room for long holiday stretches (Lebaran + cuti bersama).
    days_off = _admin_days_off(local, local + dt.timedelta(days=days * 3 + 30))
    day = local
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, days_off):
            counted += 1
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)
