"""An average rating says how many ratings it rests on (a researcher's walk of the public page: "Average rating
(1–5)" stood alone, from 10 ratings or from 10,000): "n = …" beside it on the page, a number in the JSON and a column
in the CSV and XLSX, in the key figures and the departments' table."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Rating

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ten_ratings(dataset):
    """The 8 public DLH ratings and two more: enough for an average, (5+2+4+4+3+5+1+5+3+3) / 10 = 3.5."""
    for name in ("T4", "T11"):
        Rating.objects.create(ticket=dataset[name], score=3)
    return dataset


def _export(client, key: str, fmt: str):
    return client.get(reverse("dashboards:export", args=["public", key, fmt]), FILTERS, HTTP_ACCEPT_LANGUAGE="en")


def test_the_page_shows_n_beside_the_average_rating(client, ten_ratings, frozen):
    html = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    tile = html.split('data-kpi="rating_avg">', 1)[1].split("</div>", 1)[0]
    assert tile.startswith("3.5") and "n = 10" in tile
    departments = html.split('data-table="departments"', 1)[1].split("</table>", 1)[0]
    assert "n = 10" in departments  # DLH's ten


def test_below_the_minimum_the_page_still_says_how_many_there_are(client, dataset, frozen):
    html = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    tile = html.split('data-kpi="rating_avg">', 1)[1].split("</div>", 1)[0]
    assert "not enough data" in tile and "n = 8" in tile
    # A figure without ratings gets no "n = 0".
    assert "n = 0" not in html


def test_the_files_carry_the_number_of_ratings(client, ten_ratings, frozen):
    summary = _export(client, "summary", "json").json()["dataset"]
    rating = next(row for row in summary["rows"] if row["measure"] == "rating_avg")
    assert (rating["value"], rating["value_n"]) == (3.5, 10)
    rows = list(csv.DictReader(io.StringIO(_export(client, "summary", "csv").content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["Measure", "Value", "Ratings (n)", "Computed at (WITA)"]
    assert {row["Measure"]: row["Ratings (n)"] for row in rows}["Average rating (1–5)"] == "10"
    departments = list(csv.DictReader(io.StringIO(_export(client, "departments", "csv").content.decode("utf-8-sig"))))
    assert list(departments[0])[-2:] == ["Ratings (n)", "Computed at (WITA)"]
    dlh = next(row for row in departments if row["Department"] == "DLH")
    assert (dlh["Average rating"], dlh["Ratings (n)"]) == ("3.5", "10")
    json_dlh = next(
        row for row in _export(client, "departments", "json").json()["dataset"]["rows"] if row["code"] == "dlh"
    )
    assert json_dlh["rating_avg_n"] == 10
