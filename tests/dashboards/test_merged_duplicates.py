"""A report merged into another is answered with it: the dashboards show how many were merged beside those filed,
and no rate counts them (found in the flood-surge walk: the duty officer merged a surge's duplicates, and the share
resolved fell from 36.8% to 23.3%, as if each merged report were a problem never solved).

The fixed dataset's public figures: 12 public reports, 9 resolved or closed (75.0%). Six more reports of T4's problem
(a waiting DLH report of Thursday 5 March) arrive; merged into T4, they leave the share at 75.0%, not 50.0%."""

import csv
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from .conftest import NOW, file_duplicates, merge

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
MARCH_2 = "2026-03-02"  # the Monday of T4's week


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def surge(dataset, frozen):
    """Six more public reports of T4's problem, still waiting to be merged."""
    return file_duplicates(dataset["T4"], 6)


def _tile(page: str, measure: str) -> str:
    """A key figure's tile as it reads ("75.0 (9 of 12)"), without its link and markup."""
    return re.sub(r"<[^>]+>", "", _tile_html(page, measure))


def _tile_html(page: str, measure: str) -> str:
    return page.split(f'data-kpi="{measure}">', 1)[1].split("</div>", 1)[0]


def _page(client, name: str, **extra) -> str:
    cache.clear()  # the page's figures are cached for a few minutes
    return client.get(reverse(name), {**FILTERS, **extra}, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _export(client, scope: str, key: str, fmt: str, **extra):
    cache.clear()
    url = reverse("dashboards:export", args=[scope, key, fmt])
    return client.get(url, {**FILTERS, **extra}, HTTP_ACCEPT_LANGUAGE="en")


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_public_page_and_its_files_count_a_merged_report_with_the_one_it_went_into(
    client, dataset, surge, staff_dlh
):
    before = _page(client, "dashboards:public")
    assert _tile(before, "tickets") == "18" and _tile(before, "merged") == "0"
    assert _tile(before, "done_rate") == "50.0 (9 of 18)"
    assert 'id="kpi-note"' not in before

    merge(surge, dataset["T4"], staff_dlh)

    after = _page(client, "dashboards:public")
    # Still 18 filed, 6 of them merged; the share resolved is the one before the surge: 9 of the 12 problems.
    assert _tile(after, "tickets") == "18" and _tile(after, "merged") == "6"
    assert _tile(after, "done_rate") == "75.0 (9 of 12)"
    note = after.split('id="kpi-note">', 1)[1].split("</p>", 1)[0]
    assert note == (
        "A report merged into another is answered with that report: the rates count the 12 reports not merged, so "
        "each problem counts once."
    )
    # The files say the same.
    summary = {row["measure"]: row for row in _export(client, "public", "summary", "json").json()["dataset"]["rows"]}
    assert summary["merged"]["label"] == "Merged into other reports" and summary["merged"]["value"] == 6
    done = summary["done_rate"]
    assert (done["value"], done["value_count"], done["value_base"]) == (75.0, 9, 12)
    lines = {row[0]: row[1] for row in _csv(_export(client, "public", "summary", "csv"))[1:]}
    assert lines["Tickets filed"] == "18" and lines["Merged into other reports"] == "6"
    assert lines["Resolved or closed (%)"] == "75.0"


def test_the_weekly_trend_shows_the_merged_reports_apart(client, dataset, surge, staff_dlh):
    merge(surge, dataset["T4"], staff_dlh)
    weeks = {row["week"]: row for row in _export(client, "public", "weekly", "json").json()["dataset"]["rows"]}
    # T4 and its six duplicates (the confidential T3 of that week is not public): filed 7, merged 6, none done yet.
    assert (weeks[MARCH_2]["filed"], weeks[MARCH_2]["done"], weeks[MARCH_2]["merged"]) == (7, 0, 6)
    rows = _csv(_export(client, "public", "weekly", "csv"))
    assert rows[0] == ["Week from", "Filed", "Resolved or closed", "Merged into other reports", "Computed at (WITA)"]
    assert [MARCH_2, "7", "0", "6"] in [row[:4] for row in rows]
    page = _page(client, "dashboards:public")
    chart = page.split('"key": "weekly"', 1)[1]
    assert '"label": "Merged into other reports"' in chart.split('"key":', 1)[0]


def test_the_city_and_department_pages_count_problems_and_link_the_merged_reports(
    client, dataset, surge, staff_dlh, inspector
):
    merge(surge, dataset["T4"], staff_dlh)
    client.force_login(inspector)
    city = _page(client, "dashboards:city")
    # 20 filed, 6 merged: 9 of the 14 problems resolved or closed (45.0%, 9 of 20, before).
    assert _tile(city, "tickets") == "20"
    assert _tile(city, "done_rate") == "64.3 (9 of 14)"
    # The merged reports lead to the queue's list of them.
    queue = f"{reverse('staff:queue')}?status=duplicate&amp;date_from=2026-01-01&amp;date_to=2026-03-06"
    assert _tile_html(city, "merged") == f'<a href="{queue}">6</a>'
    departments = _export(client, "city", "departments", "json").json()["dataset"]
    assert {"key": "merged", "label": "Merged into other reports"} in departments["columns"]
    dlh = next(row for row in departments["rows"] if row["code"] == "dlh")
    assert (dlh["total"], dlh["merged"], dlh["open"]) == (18, 6, 3)

    client.force_login(staff_dlh)
    department = _page(client, "dashboards:department", department="dlh")
    assert _tile(department, "tickets") == "18" and "status=duplicate" in _tile_html(department, "merged")
    assert _tile(department, "merged") == "6"
    assert _tile(department, "done_rate") == "66.7 (8 of 12)"
    rows = {row[0]: row[1] for row in _csv(_export(client, "department", "summary", "csv", department="dlh"))[1:]}
    assert rows["Merged into other reports"] == "6" and rows["Resolved or closed (%)"] == "66.7"
