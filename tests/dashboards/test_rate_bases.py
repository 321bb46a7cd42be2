"""A rate on the dashboards shows the counts it is made of, "75.0 (9 of 12)": a percentage alone could be neither
checked nor cited. The JSON carries both counts beside the rate (``<column>_count``, ``<column>_base``); the CSV keeps
its columns. Public figures of the fixed dataset: 12 public tickets, 9 of them resolved or closed."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _tile(page: str, measure: str) -> str:
    return page.split(f'data-kpi="{measure}">', 1)[1].split("</div>", 1)[0]


def test_the_key_figures_show_each_rate_with_its_counts(client, dataset, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _tile(page, "done_rate") == '75.0 <span class="text-muted small rate-base">(9 of 12)</span>'
    assert "rate-base" not in _tile(page, "tickets")  # a count is not a rate
    indonesian = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert _tile(indonesian, "done_rate").startswith("75,0 <span")  # the rate still in the page's language


def test_a_rate_below_the_minimum_says_on_how_few(client, dataset, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    rows = {row["department"]: row for row in page.context["tables"]["departments"].rows}
    pupr = rows["Dinas PUPR"]
    assert pupr["resolution_rate"] is None and pupr["resolution_rate_base"] < 10
    table = page.content.decode().split('data-table="departments"', 1)[1].split("</table>", 1)[0]
    count, base = pupr["resolution_rate_count"], pupr["resolution_rate_base"]
    assert f'not enough data</span> <span class="text-muted small rate-base">({count} of {base})</span>' in table


def test_the_json_carries_the_counts_and_the_csv_keeps_its_columns(client, dataset, frozen):
    url = reverse("dashboards:export", args=["public", "summary", "json"])
    rows = {row["measure"]: row for row in client.get(url, FILTERS).json()["dataset"]["rows"]}
    done = rows["done_rate"]
    assert (done["value"], done["value_count"], done["value_base"]) == (75.0, 9, 12)
    lines = list(csv.reader(io.StringIO(client.get(url.replace(".json", ".csv"), FILTERS).content.decode("utf-8-sig"))))
    # Measure, value, the ratings an average rating rests on (``test_rating_sample``; empty on a rate's row: its
    # counts are the JSON's), and when they were computed.
    assert all(len(line) == 4 for line in lines)
    assert all(line[2] == "" for line in lines[1:] if line[1] == "75.0")
