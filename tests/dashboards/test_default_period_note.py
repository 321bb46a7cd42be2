"""Each channel counts its own period unless told otherwise, by design: the dashboards the last 182 days, Open311's
list of requests the last 90, the REST API's list of tickets every ticket. A researcher comparing their counts read
the dashboards' default nowhere but in the date fields, and the others' nowhere at all: the page says all three
under its filters, from the constants the channels use."""

import html

import pytest
import time_machine
from django.urls import reverse

from dashboards.queries.base import DEFAULT_RANGE_DAYS
from open311.views import DEFAULT_DAYS as OPEN311_DEFAULT_DAYS

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _said(page: str) -> str:
    return html.unescape(page.split('id="dashboard-default-period">', 1)[1].split("</p>", 1)[0])


@pytest.mark.parametrize("scope", ["public", "department", "city"])
def test_the_period_note_says_each_channels_default(client, inspector, dataset, frozen, scope):
    assert (DEFAULT_RANGE_DAYS, OPEN311_DEFAULT_DAYS) == (182, 90)
    client.force_login(inspector)
    said = _said(client.get(reverse(f"dashboards:{scope}"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "With no dates chosen, the dashboards count the last 182 days." in said
    assert "Open311's list of requests the last 90 days" in said
    assert "the REST API's list of tickets every ticket, whenever filed" in said


def test_it_is_said_whatever_the_dates_chosen(client, dataset, frozen):
    page = client.get(reverse("dashboards:public"), {"date_from": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "the last 182 days" in _said(page.content.decode())
