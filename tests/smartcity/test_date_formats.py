"""Dates and times are written alike in both languages (smartcity/formats), in the admin and in messages too."""

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format


def test_dates_and_times_in_both_languages():
    day, moment = dt.date(2026, 12, 7), dt.datetime(2026, 12, 7, 3, 44)
    with translation.override("id"):
        assert (date_format(day), date_format(moment, "DATETIME_FORMAT")) == ("7 Des 2026", "7 Des 2026 03:44")
    with translation.override("en"):
        assert (date_format(day), date_format(moment, "DATETIME_FORMAT")) == ("7 Dec 2026", "7 Dec 2026 03:44")
