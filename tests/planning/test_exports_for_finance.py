"""The planning exports as finance (BPKPAD) opens them in Excel: UTF-8 with a byte order mark, each row saying which
activity, department and year it is about beside the code, payment dates as date cells, and a revised line with its
own reason; and the file still imports back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning import actions, imports
from planning.models import BudgetChange, BudgetLine, Realisation

pytestmark = pytest.mark.django_db

NAME = "Normalisasi saluran drainase Kelurahan Mawar"


@pytest.fixture
def paid(budgeted_activity, finance):
    actions.record_realisation(
        actor=finance,
        activity=budgeted_activity,
        date=dt.date(2026, 3, 2),
        amount="250000000",
        document_number="SP2D-0042",
        description="Termin 1 – 20%",
    )
    return budgeted_activity


@pytest.fixture
def revised(budgeted_activity, finance):
    """An APBD-P: one line raised, with its reason; a second original line carried over unchanged."""
    actions.revise_budget(
        actor=finance,
        activity=budgeted_activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "1800000000", "description": "APBD-P"}],
        reason="Tambahan volume pekerjaan (APBD-P 2026)",
    )
    return budgeted_activity


def _csv_rows(response):
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 (the "–") only after this mark
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", ["budget", "realisation"])
def test_the_csv_has_a_byte_order_mark_and_names_the_activity(client, planner, paid, kind):
    client.force_login(planner)
    rows = _csv_rows(client.get(reverse("planning:export", args=[kind, "csv"]), {"tahun": 2026}))
    assert rows
    for row in rows:
        assert row["activity_code"] == paid.code
        assert (row["activity_name"], row["department"], row["fiscal_year"]) == (NAME, "Dinas PUPR", "2026")


def test_the_xlsx_writes_payment_dates_as_date_cells(client, planner, paid):
    client.force_login(planner)
    xlsx = client.get(reverse("planning:export", args=["realisation", "xlsx"]), {"tahun": 2026}).content
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["activity_code", "activity_name", "department", "fiscal_year"]
    date = sheet.cell(row=2, column=header.index("date") + 1)
    assert date.is_date and date.value == dt.datetime(2026, 3, 2)  # a date Excel sorts, not the text "2026-03-02"
    assert sheet.cell(row=2, column=header.index("fiscal_year") + 1).value == 2026
    # The sheet says what it holds (it was "Sheet"), and an amount reads grouped: a number Excel sums.
    assert sheet.title == "Realisasi 2026"
    amount = sheet.cell(row=2, column=header.index("amount") + 1)
    assert amount.value == 250_000_000 and amount.number_format == "#,##0.00"


def test_a_revised_line_carries_its_own_description_and_reason(client, planner, revised):
    client.force_login(planner)
    rows = _csv_rows(client.get(reverse("planning:export", args=["budget", "csv"]), {"tahun": 2026}))
    by_version = {row["version"]: row for row in rows}
    assert by_version["revised"]["description"] == "APBD-P"
    assert by_version["revised"]["reason"] == "Tambahan volume pekerjaan (APBD-P 2026)"
    assert by_version["original"]["reason"] == ""  # the import asks a reason of revised lines only


def test_a_line_the_revision_carried_over_gives_the_revision_s_reason(budgeted_activity, finance, fiscal_year):
    BudgetLine.objects.create(
        activity=budgeted_activity, version="original", account_code="5.2.01", fund_source="dau", amount=10**8
    )
    actions.revise_budget(
        actor=finance,
        activity=budgeted_activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "1800000000"}],
        reason="APBD-P 2026",
    )
    # A carried-over line may have no change of its own (the revision writes it as it was): the revision's reason.
    BudgetChange.objects.filter(line__account_code="5.2.01", line__version="revised").delete()
    table = imports.export_table(fiscal_year=fiscal_year, kind="budget")
    header = table[0]
    revised = [dict(zip(header, row, strict=True)) for row in table[1:] if row[header.index("version")] == "revised"]
    assert {row["account_code"]: row["reason"] for row in revised} == {"5.1.02": "APBD-P 2026", "5.2.01": "APBD-P 2026"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_import_back(revised, finance, fiscal_year, fmt):
    """The extra columns are left alone by the import, which reads its columns by name; the dates and the revised
    line's reason come back as they went out."""
    actions.record_realisation(
        actor=finance, activity=revised, date=dt.date(2026, 3, 2), amount="250000000", document_number="SP2D-0042"
    )
    write = imports.as_csv if fmt == "csv" else imports.as_xlsx
    payments = write(imports.export_table(fiscal_year=fiscal_year, kind="realisation"))
    revision = [
        row for row in imports.export_table(fiscal_year=fiscal_year, kind="budget") if row[4] in ("version", "revised")
    ]
    Realisation.objects.all().delete()
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="realisation", content=payments, filename=f"r.{fmt}"
    )
    assert result.ok, result.errors
    assert list(Realisation.objects.values_list("date", "document_number")) == [(dt.date(2026, 3, 2), "SP2D-0042")]
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="budget", content=write(revision), filename=f"b.{fmt}"
    )
    assert result.ok, result.errors
