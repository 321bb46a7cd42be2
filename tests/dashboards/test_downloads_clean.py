"""The dashboards' CSV files open cleanly in a spreadsheet and say what they hold (a journalist's walk of the public
page): UTF-8 with a byte order mark, the figure's header and rows only (no footer read as one more row), labels
instead of codes, money in whole Rupiah under a heading that says so, and a file name that names the dates and
filters it covers. The licence travels in the HTTP Link header, the JSON and the page. The "On time, per
department" chart draws no empty bar for a department with too few tickets: it names it under the chart."""

import csv
import io
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from complaints.models import Status
from dashboards import charts
from dashboards.queries.base import LICENCE_URL, Table

from .conftest import MAWAR, NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _export(client, scope, key, fmt, params=FILTERS, language="en"):
    return client.get(reverse("dashboards:export", args=[scope, key, fmt]), params, HTTP_ACCEPT_LANGUAGE=language)


def _dict_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_the_dash(client, dataset, frozen):
    """Without it Excel read "Average rating (1–5)" as "Average rating (1â€“5)"."""
    response = _export(client, "public", "summary", "csv")
    assert response.content.startswith(BOM)
    assert not response.content[len(BOM) :].startswith(BOM)  # once
    labels = [row["Measure"] for row in _dict_rows(response)]
    assert "Average rating (1–5)" in labels


def test_every_public_csv_holds_exactly_the_rows_of_its_figure(client, plan, frozen):
    """The licence footer, after a blank line, was read by csv.DictReader as one more row of data."""
    catalogue = client.get(reverse("dashboards:open_data")).json()
    assert len(catalogue["datasets"]) > 5
    for dataset in catalogue["datasets"]:
        key = dataset["key"]
        rows = _dict_rows(_export(client, "public", key, "csv", {**FILTERS, "tahun": "2026"}))
        figure = _export(client, "public", key, "json", {**FILTERS, "tahun": "2026"}).json()["dataset"]
        assert len(rows) == len(figure["rows"]), key
        headings = [column["label"] for column in figure["columns"]]
        for row in rows:
            assert None not in row, (key, row)  # no cell beyond the header
            assert list(row)[0] == headings[0], key  # the BOM is not part of the first heading
            assert not any(str(cell).startswith("#") for cell in row.values()), (key, row)


def test_the_licence_and_the_json_twin_are_named_in_the_link_header(client, dataset, frozen):
    csv_file = _export(client, "public", "weekly", "csv")
    assert f'<{LICENCE_URL}>; rel="license"' in csv_file["Link"]
    twin = re.search(r'<([^>]+)>; rel="alternate"; type="application/json"', csv_file["Link"]).group(1)
    assert twin.startswith("http://testserver/dasbor/public/data/weekly.json?")
    described = client.get(twin).json()  # the JSON carries the filters, the time computed and the licence
    assert described["filters"]["date_from"] == "2026-01-01" and described["licence_url"] == LICENCE_URL
    assert csv_file["Last-Modified"] == "Fri, 06 Mar 2026 04:00:00 GMT"  # computed at 12:00 WITA
    json_file = _export(client, "public", "weekly", "json")
    assert f'<{LICENCE_URL}>; rel="license"' in json_file["Link"] and 'type="text/csv"' in json_file["Link"]


def test_the_file_name_names_the_dates_and_the_filters(client, dataset, frozen):
    """A filtered CSV saved under the same name as the whole city's, and did not say which filters it covered."""

    def name(response):
        return re.fullmatch(r'attachment; filename="(.+)"', response["Content-Disposition"]).group(1)

    whole = name(_export(client, "public", "weekly", "csv"))
    assert whole == "public-weekly-2026-01-01_2026-03-06-2026-03-06-1200-WITA.csv"
    narrowed = {**FILTERS, "kelurahan": MAWAR, "service": "sampah-menumpuk", "department": "dlh"}
    assert name(_export(client, "public", "weekly", "csv", narrowed)) == (
        f"public-weekly-2026-01-01_2026-03-06-department-dlh-kelurahan-{MAWAR}-service-sampah-menumpuk"
        "-2026-03-06-1200-WITA.csv"
    )
    json_name = name(_export(client, "public", "weekly", "json", narrowed))
    assert json_name.endswith("-sampah-menumpuk-2026-03-06-1200-WITA.json")
    # No dates asked for: the default window the page showed.
    assert name(_export(client, "public", "weekly", "csv", {})) == (
        "public-weekly-2025-09-06_2026-03-06-2026-03-06-1200-WITA.csv"
    )


def test_a_department_file_names_its_department_once(client, staff_dlh, dataset, frozen):
    client.force_login(staff_dlh)
    response = _export(client, "department", "summary", "csv", {**FILTERS, "department": "dlh"})
    assert response["Content-Disposition"] == (
        'attachment; filename="department-dlh-summary-2026-01-01_2026-03-06-2026-03-06-1200-WITA.csv"'
    )


@pytest.mark.parametrize("language", ["en", "id"])
def test_map_csv_writes_statuses_as_the_page_names_them(client, dataset, frozen, language):
    """map.csv's "Status" held acknowledged, routed…, while the JSON and the map's popups had the labels."""
    rows = _dict_rows(_export(client, "public", "map", "csv", language=language))
    figure = _export(client, "public", "map", "json", language=language).json()["dataset"]["rows"]
    written = [row["Status"] for row in rows]
    assert written == [row["status_label"] for row in figure] and written
    assert not set(written) & {row["status"] for row in figure}  # no code left
    with translation.override(language):
        assert str(Status.ROUTED.label) in written and str(Status.CLOSED.label) in written


def test_money_is_whole_rupiah_under_a_heading_that_says_so(client, inspector, plan, frozen):
    """Budgets read 4992000000.00 next to a bare 0, under "Budget" with no unit."""
    client.force_login(inspector)
    rows = _dict_rows(_export(client, "city", "absorption_department", "csv", {**FILTERS, "tahun": "2026"}))
    by_department = {row["Department"]: row for row in rows}
    assert by_department["DLH"]["Budget (Rp)"] == "130000000"  # A1 revised 80 M + A2 50 M
    assert by_department["DLH"]["Realised (Rp)"] == "80000000"
    assert by_department["Dinas PUPR"]["Budget (Rp)"] == "200000000"
    assert by_department["Dinas PUPR"]["Realised (Rp)"] == "0"
    indonesian = _export(client, "city", "absorption_department", "csv", {**FILTERS, "tahun": "2026"}, "id")
    assert "Anggaran (Rp)" in _dict_rows(indonesian)[0]


def _page_charts(client, url) -> dict:
    html = client.get(url, FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return json.loads(re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)[1])


def test_the_on_time_chart_names_the_departments_it_cannot_draw(client, inspector, dataset, frozen):
    """PUPR has 2 tickets ("not enough data" in the table) and was drawn as an empty bar that read as 0%."""
    client.force_login(inspector)
    spec = _page_charts(client, reverse("dashboards:city"))["departments"]
    assert spec["labels"] == ["DLH"]
    assert all(len(dataset["data"]) == 1 and dataset["data"][0] is not None for dataset in spec["datasets"])
    assert spec["note"] == "Not enough data to draw: Dinas PUPR."
    assert spec["max"] == 100
    # The volumes chart still counts every department.
    assert _page_charts(client, reverse("dashboards:city"))["department_volumes"]["labels"] == ["DLH", "Dinas PUPR"]


def test_public_on_time_chart_with_no_department_measured_draws_none_and_says_why(client, dataset, frozen):
    spec = _page_charts(client, reverse("dashboards:public"))["departments"]
    assert spec["labels"] == [] and spec["note"] == "Not enough data to draw: DLH, Dinas PUPR."


def test_a_department_with_one_rate_keeps_its_bar_and_its_label_says_which_is_missing():
    rows = [
        {"department": "DLH", "resolution_rate": 80.0, "response_rate": 90.0},
        {"department": "PUPR", "resolution_rate": None, "response_rate": 75.0},
        {"department": "Dishub", "resolution_rate": None, "response_rate": None},
    ]
    with translation.override("en"):
        spec = charts.departments(Table("departments", "Departments", [], rows))
    assert spec["labels"] == ["DLH", "PUPR (resolved on time: too few tickets)"]
    assert [d["data"] for d in spec["datasets"]] == [[80.0, None], [90.0, 75.0]]
    assert spec["note"] == "Not enough data to draw: Dishub."
    with translation.override("en"):
        everyone = charts.departments(Table("departments", "Departments", [], rows[:1]))
    assert "note" not in everyone
