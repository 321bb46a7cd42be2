"""Every dashboard download can be dated and opened in a spreadsheet set to Indonesian (an Inspektorat auditor and a
BPKAD analyst used them as evidence). The figures are cached a few minutes, and a saved CSV could not be dated: each
file's name now ends with the time its figures were computed, in WITA, and each CSV and XLSX row with that time, in a
last column (the columns before it stay as they were, for the open-data readers). The CSV's "75.0" read as 750 in an
Excel set to Indonesian: each figure is offered as an Excel file too, with numbers, Rupiah, shares and dates as
cells, and the page names it so."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from smartcity.spreadsheets import XLSX_DATE_FORMAT, XLSX_PERCENT_FORMAT, XLSX_RUPIAH_FORMAT, XLSX_TIME_FORMAT

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _export(client, key: str, fmt: str, scope: str = "public", **extra):
    url = reverse("dashboards:export", args=[scope, key, fmt])
    return client.get(url, {**FILTERS, **extra}, HTTP_ACCEPT_LANGUAGE="en")


def _name(response) -> str:
    return re.fullmatch(r'attachment; filename="(.+)"', response["Content-Disposition"]).group(1)


def _sheet(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    return sheet, header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_file_name_says_when_its_figures_were_computed(client, plan, frozen, fmt):
    assert (
        _name(_export(client, "weekly", fmt))
        == f"public-weekly-2026-01-01_2026-03-06-tahun-2026-2026-03-06-1200-WITA.{fmt}"
    )


def test_the_csv_ends_each_row_with_the_time_and_keeps_its_columns(client, plan, frozen):
    catalogue = client.get(reverse("dashboards:open_data"), FILTERS).json()
    for dataset in catalogue["datasets"]:
        figure = _export(client, dataset["key"], "json").json()["dataset"]
        lines = list(csv.reader(io.StringIO(_export(client, dataset["key"], "csv").content.decode("utf-8-sig"))))
        labels = [column["label"] for column in figure["columns"]]
        assert [re.sub(r" \(Rp\)$", "", label) for label in lines[0][:-1]] == labels, dataset["key"]
        assert lines[0][-1] == "Computed at (WITA)"
        assert all(line[-1] == "2026-03-06 12:00" for line in lines[1:]), dataset["key"]
        assert len(lines) == len(figure["rows"]) + 1


def test_the_xlsx_has_numbers_rupiah_shares_and_dates_as_cells(client, plan, frozen):
    answer = _export(client, "activities", "xlsx")
    assert answer.status_code == 200 and answer["Content-Type"] == XLSX
    sheet, header, rows = _sheet(answer)
    csv_header = next(csv.reader(io.StringIO(_export(client, "activities", "csv").content.decode("utf-8-sig"))))
    assert header == csv_header  # the same columns as the CSV, the time last
    a1 = next(row for row in rows if row["Code"].value == "A1")
    budget = a1["Budget (Rp)"]
    assert budget.value == 80_000_000 and isinstance(budget.value, int) and budget.number_format == XLSX_RUPIAH_FORMAT
    absorption = a1["Budget absorption (%)"]
    assert absorption.value == 37.5 and absorption.number_format == XLSX_PERCENT_FORMAT
    computed = a1["Computed at (WITA)"]
    assert computed.is_date and computed.value == dt.datetime(2026, 3, 6, 12, 0)
    assert computed.number_format == XLSX_TIME_FORMAT
    assert (
        sheet.freeze_panes == "A2"
        and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(rows) + 1}"
    )

    _sheet_, header, weeks = _sheet(_export(client, "weekly", "xlsx"))
    first = weeks[0]["Week from"]
    assert first.is_date and first.value == dt.datetime(2025, 12, 29) and first.number_format == XLSX_DATE_FORMAT
    assert isinstance(weeks[0]["Filed"].value, int)

    _sheet_, header, summary = _sheet(_export(client, "summary", "xlsx"))
    done = next(row for row in summary if row["Measure"].value == "Resolved or closed (%)")
    assert done["Value"].data_type == "n" and done["Value"].value == 75  # a number, never the text "75.0"


def test_the_pages_offer_each_figure_as_excel_first(client, plan, inspector, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = page.split('id="chart-title-weekly"', 1)[1].split("</div>", 1)[0]
    names = re.findall(r'<a href="([^"]+)" download[^>]*>([^<]+)<', card)
    assert [name for _href, name in names] == ["Excel (XLSX)", "CSV", "JSON"]
    assert re.search(r"/weekly\.xlsx\?", names[0][0])
    assert "as Excel (XLSX), CSV or JSON" in page
    client.force_login(inspector)
    city = client.get(reverse("dashboards:city"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    assert _export(client, "departments", "xlsx", scope="city").status_code == 200
    assert "/kota/" not in city.context["downloads"]["departments"]["xlsx"]
    assert city.context["downloads"]["departments"]["xlsx"].startswith("/dasbor/city/data/departments.xlsx?")


def test_the_catalogue_lists_the_excel_files_too(client, plan, frozen):
    catalogue = client.get(reverse("dashboards:open_data"), FILTERS).json()
    assert all(
        dataset["xlsx"].split("?", 1)[0].endswith(f"/{dataset['key']}.xlsx") for dataset in catalogue["datasets"]
    )
