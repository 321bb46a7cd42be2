"""The public plan's tables end with their totals: on the page as the table's foot, in the JSON as ``totals``, never
as a CSV row (a spreadsheet would add it to the rows). Public: A1 (80 M, 30 M realised) and A2 (50 M, all spent);
A3 is only planned."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

TOTALS = {"budget": 130_000_000, "realised": 80_000_000, "absorption": 61.5}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _export(client, key, fmt):
    url = reverse("dashboards:export", args=["public", key, fmt])
    return client.get(url, {"tahun": "2026"}, HTTP_ACCEPT_LANGUAGE="en")


def test_the_page_ends_each_plan_table_with_its_totals(client, plan, frozen):
    page = client.get(reverse("dashboards:public"), {"tahun": "2026"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for key, first in (("programmes", "Total"), ("activities", "Total")):
        foot = page.split(f'data-table="{key}"', 1)[1].split("</table>", 1)[0].split("<tfoot>", 1)[1]
        assert f'<th scope="row">{first}</th>' in foot, key
        assert "Rp\u00a0130.000.000" in foot and "Rp\u00a080.000.000" in foot and "61.5" in foot, key
    activities = page.split('data-table="activities"', 1)[1].split("</tfoot>", 1)[0]
    assert "2 activities" in activities


@pytest.mark.parametrize("key", ["programmes", "activities"])
def test_the_json_carries_the_totals_and_the_csv_only_the_rows(client, plan, frozen, key):
    figure = _export(client, key, "json").json()["dataset"]
    assert {column: figure["totals"][column] for column in TOTALS} == TOTALS
    rows = list(csv.DictReader(io.StringIO(_export(client, key, "csv").content.decode("utf-8-sig"))))
    assert len(rows) == len(figure["rows"]) and "Total" not in {next(iter(row.values())) for row in rows}


def test_a_ticket_table_has_no_totals_key(client, plan, frozen):
    assert "totals" not in _export(client, "weekly", "json").json()["dataset"]
