"""Working days in Banjarmasin: Monday–Friday in WITA, minus Indonesian national holidays and the joint leave days
(cuti bersama) of the civil service (``holidays``, country ID, its public and government categories), as the
administrator corrects them (services.models.DayOff): a day off the package does not list, or a working day on a
date it lists that the government's SKB moved or cancelled (the Islamic holidays of a coming year are the package's
estimates). Every count of working days reads this module, so a correction holds for all of them alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import translation

WITA = ZoneInfo("Asia/Makassar")


@lru_cache(maxsize=64)
def _national_holidays(year: int, language: str = "en_US") -> holidays.HolidayBase:
    # City offices close on cuti bersama too (the "government" category: e.g. 24 December), so a deadline must
    # not count them as working days.
    return holidays.country_holidays("ID", years=year, categories=("public", "government"), language=language)


@lru_cache(maxsize=32)
def _holiday_dates(year: int) -> frozenset[dt.date]:
    # A plain set for the counts: a routing batch asks thousands of times.
    return frozenset(_national_holidays(year).keys())


def listed_holiday(day: dt.date) -> str | None:
    """The package's name for ``day`` when it lists it as a national holiday or cuti bersama (in Indonesian on an
    Indonesian page, else in English), or None."""
    language = "id" if (translation.get_language() or "").startswith("id") else "en_US"
    return _national_holidays(day.year, language).get(day)


def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


@dataclass(frozen=True)
class Corrections:
    """The administrator's corrections to the package's calendar over the dates ``first``…``last`` (None: without
    that bound): days off it does not list, and dates it lists that are working days. ``Corrections()`` is the
    package's calendar as it is."""

    days_off: frozenset[dt.date] = frozenset()
    working_days: frozenset[dt.date] = frozenset()
    first: dt.date | None = None
    last: dt.date | None = None

    @classmethod
    def stored(cls, first: dt.date, last: dt.date | None = None) -> Corrections:
        """The corrections the administrator entered from ``first`` to ``last`` (None: all from ``first`` on)."""
        from .models import DayOff

        rows = DayOff.objects.filter(date__gte=first)
        if last is not None:
            rows = rows.filter(date__lte=last)
        days_off, working_days = set(), set()
        for date, kind in rows.values_list("date", "kind"):
            (working_days if kind == DayOff.Kind.WORKING_DAY else days_off).add(date)
        return cls(frozenset(days_off), frozenset(working_days), first, last)

    def covers(self, first: dt.date, last: dt.date) -> bool:
        return (self.first is None or self.first <= first) and (self.last is None or last <= self.last)

    def with_day(self, day: dt.date, *, working: bool) -> Corrections:
        """These corrections with ``day`` a working day (``working``) or a day off, whatever the package lists
        (a weekend stays a weekend)."""
        if working:
            days_off, working_days = self.days_off - {day}, self.working_days | {day}
        else:
            days_off, working_days = self.days_off | {day}, self.working_days - {day}
        return Corrections(days_off, working_days, self.first, self.last)


PACKAGE_CALENDAR = Corrections()


def is_working_day(day: dt.date, corrections: Corrections | None = None) -> bool:
    """Whether city offices work on ``day``: a weekday the package does not list as a holiday or cuti bersama, or
    one it lists that the administrator made a working day, and not a day off the administrator added.
    ``corrections`` are read from the database when not given (``PACKAGE_CALENDAR``: the package's alone)."""
    if corrections is None:
        corrections = Corrections.stored(day, day)
    if is_weekend(day) or day in corrections.days_off:
        return False
    return day not in _holiday_dates(day.year) or day in corrections.working_days


def reach(days: int) -> dt.timedelta:
    """How far past its start a count of ``days`` working days may end: room for long holiday stretches (Lebaran
    and its cuti bersama) and the administrator's days off."""
    return dt.timedelta(days=days * 3 + 30)


def add_working_days(start: dt.datetime, days: int, corrections: Corrections | None = None) -> dt.datetime:
    """The moment ``days`` working days after ``start``: end of that working day (23:59:59 WITA).

    Counting starts the next working day, as SP4N-LAPOR! counts "within N working days".
    Returned aware, in WITA. ``corrections`` read once for many counts (a routing batch) serve when they cover
    the count's span; otherwise the administrator's corrections are read for it.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(WITA).date()
    if corrections is None or not corrections.covers(local, local + reach(days)):
        corrections = Corrections.stored(local, local + reach(days))
    day = local
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, corrections):
            counted += 1
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)
