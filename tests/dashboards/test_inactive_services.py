"""A service the city withdrew (switched off in the admin) keeps its history on the dashboards, as a department
switched off does: the service picker left it out, so its past reports could not be filtered, and ?service=<code>
was refused ("Select a valid choice") on the page and answered 400 on the open-data download."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Ticket
from services.models import Service

from .conftest import NOW, Row, _at, build
from .test_inactive_departments import FILTERS, _en, _kpi, _options

pytestmark = pytest.mark.django_db


@pytest.fixture
def footbridges_withdrawn(dataset):
    with time_machine.travel(NOW, tick=False):
        for name, day in (("J1", 3), ("J2", 4)):
            build(Row(name, _at(day), 2, 20, "closed"), service="jalan-rusak")
        Service.objects.filter(code="jalan-rusak").update(active=False)
        yield Service.objects.get(code="jalan-rusak")


def test_the_public_page_and_its_download_filter_by_a_withdrawn_service(client, footbridges_withdrawn):
    with time_machine.travel(NOW, tick=False):
        page = _en(client, reverse("dashboards:public"), {"service": "jalan-rusak", **FILTERS})
        assert page.status_code == 200 and not page.context["form"].errors
        filed = Ticket.objects.filter(service__code="jalan-rusak").count()
        assert filed >= 2 and _kpi(page, "tickets") == filed
        options = _options(page.content.decode(), 'name="service"')
        assert options[-1] == f"{footbridges_withdrawn.name_en} (no longer active)"
        assert len(options) == Service.objects.count()
        download = _en(
            client,
            reverse("dashboards:export", args=["public", "summary", "csv"]),
            {"service": "jalan-rusak", **FILTERS},
        )
        assert download.status_code == 200
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert ["Tickets filed", str(filed)] in [row[:2] for row in rows]


def test_the_city_page_filters_by_a_withdrawn_service(client, planner, footbridges_withdrawn):
    client.force_login(planner)
    with time_machine.travel(NOW, tick=False):
        page = _en(client, reverse("dashboards:city"), {"service": "jalan-rusak", **FILTERS})
    assert page.status_code == 200 and not page.context["form"].errors
    assert _kpi(page, "tickets") == Ticket.objects.filter(service__code="jalan-rusak").count()
