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


def file_for_test(*, service=None, kelurahan="63.71.05.1003", title="Laporan", description="", reporter=None, **extra):
    """File like a citizen: through ``complaints.actions.file_ticket`` when it exists, else ORM + enqueue on commit."""
    from django.db import transaction

    from complaints import actions
    from services.models import Area, Service

    area = Area.objects.get(code=kelurahan) if kelurahan else None
    service_obj = Service.objects.get(code=service) if service else None
    file_ticket = getattr(actions, "file_ticket", None)
    if file_ticket is not None:
        return file_ticket(
            title=title,
            description=description or title,
            service=service_obj,
            lat=area.label_lat if area else None,
            lng=area.label_lng if area else None,
            area=area,
            reporter=reporter,
            reporter_email="" if reporter else "pelapor@example.id",
            channel="assisted",
            **extra,
        )
    from complaints.tasks import route_ticket
    from smartcity.taskqueue import enqueue_on_commit

    with transaction.atomic():
        ticket = make_ticket(
            service=service_obj,
            kelurahan=area,
            status="submitted",
            title=title,
            description=description or title,
            reporter=reporter,
        )
        enqueue_on_commit(route_ticket, ticket.pk)
    return ticket
