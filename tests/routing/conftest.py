"""Fixtures for routing tests: submitted tickets placed in a kelurahan, a frozen WITA clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_ticket

WITA = ZoneInfo("Asia/Makassar")


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def submitted(city, citizen):
    """Build a submitted ticket (not routed yet) for a service code (None = "not sure") and a kelurahan code."""

    def build(service="sampah-menumpuk", kelurahan="63.71.05.1003", **fields):
        fields.setdefault("reporter", citizen)
        return make_ticket(service=service, kelurahan=kelurahan, status="submitted", **fields)

    return build
