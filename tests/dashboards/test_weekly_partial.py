"""The weekly table says which weeks the range cuts: 1 Jan 2026 is a Thursday and 6 Mar a Friday, so the first week
counts 4 days and the last 5; their lower counts read as a drop in reports, with nothing saying why."""

import csv
import io
import json
import re

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


def test_the_first_and_last_weeks_say_they_are_partial(client, dataset, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    table = page.context["tables"]["weekly"]
    days = [row["days"] for row in table.rows]
    assert days[0] == 4 and days[-1] == 5 and set(days[1:-1]) == {7}
    charts = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page.content.decode())
    labels = json.loads(charts[1])["weekly"]["labels"]
    assert labels[0] == "29 Dec 2025 (4 of 7 days)" and labels[-1] == "2 Mar 2026 (5 of 7 days)"
    assert "of 7 days" not in labels[1]

    assert (
        str(table.note)
        == "Partial weeks, cut by the start or end date: 29 Dec 2025 (4 of 7 days), 2 Mar 2026 (5 of 7 days)."
    )
    url = reverse("dashboards:export", args=["public", "weekly", "json"])
    figure = client.get(url, FILTERS, HTTP_ACCEPT_LANGUAGE="en").json()["dataset"]
    assert [row["days"] for row in figure["rows"]] == days and figure["note"] == str(table.note)
    # The CSV has no column of days (its readers count on its first three, week, filed and done; the reports merged
    # into others come after them); the note travels in the JSON and on the page.
    csv_file = client.get(url.replace(".json", ".csv"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows[0] == ["Week from", "Filed", "Resolved or closed", "Merged into other reports", "Computed at (WITA)"]


def test_whole_weeks_need_no_note(client, dataset, frozen):
    whole = {"date_from": "2026-01-05", "date_to": "2026-03-01"}  # Monday to Sunday
    table = client.get(reverse("dashboards:public"), whole).context["tables"]["weekly"]
    assert {row["days"] for row in table.rows} == {7} and not table.note
