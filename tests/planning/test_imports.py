"""Budget and realisation files: all rows or none, every problem named by row and column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planning import actions, imports
from planning.models import BudgetLine, ImportJob, Realisation

pytestmark = pytest.mark.django_db


def csv_bytes(rows):
    return imports.as_csv(rows)


def xlsx_bytes(rows):
    return imports.as_xlsx(rows)


@pytest.fixture
def ten_planned(fiscal_year, planner, city):
    from services.models import Department

    pupr = Department.objects.get(code="pupr")
    return [
        actions.create_activity(
            actor=planner,
            fiscal_year=fiscal_year,
            code=f"1.03.{n:02d}",
            name=f"Kegiatan {n}",
            department=pupr,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        for n in range(10)
    ]


def budget_rows(activities, count=1000):
    header = imports.BUDGET_COLUMNS
    body = [
        [activities[n % 10].code, "original", f"5.1.02.{n:04d}", "pad", 1_250_000 + n, f"Baris {n}"]
        for n in range(count)
    ]
    return [header, *body]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_bad_row_among_a_thousand_imports_nothing_and_names_the_row(ten_planned, finance, fiscal_year, fmt):
    rows = budget_rows(ten_planned)
    rows.insert(501, [ten_planned[0].code, "original", "5.9.99", "pad", "seratus ribu", ""])  # row 502 in the sheet
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="budget", content=content, filename=f"pagu.{fmt}"
    )
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(502, "amount")]
    assert BudgetLine.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_clean_thousand_row_file_imports_fully(ten_planned, finance, fiscal_year, fmt):
    rows = budget_rows(ten_planned)
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="budget", content=content, filename=f"pagu.{fmt}"
    )
    assert result.ok and result.imported == 1000
    assert BudgetLine.objects.filter(version="draft").count() == 1000
    line = BudgetLine.objects.get(account_code="5.1.02.0007")
    assert line.amount == Decimal("1250007.00") and line.changes.get().actor == finance


def test_realisation_rows_are_checked_against_the_budget_and_each_other(budgeted_activity, head_pupr, fiscal_year):
    code = budgeted_activity.code
    rows = [
        imports.REALISATION_COLUMNS,
        [code, "2026-02-01", "1.000.000.000", "SP2D-1", "Termin 1"],
        [code, "2026-03-01", "600000000", "SP2D-2", "Termin 2"],  # above Rp 1.500.000.000 together
        [code, "03/04/2026", "1000", "SP2D-1", ""],  # same document as row 2
        ["9.99", "kemarin", "0", "", ""],
    ]
    result = imports.import_file(
        actor=head_pupr, fiscal_year=fiscal_year, kind="realisation", content=csv_bytes(rows), filename="r.csv"
    )
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "amount"),
        (4, "document_number"),
        (5, "activity_code"),
        (5, "date"),
        (5, "amount"),
        (5, "document_number"),
    }
    assert Realisation.objects.count() == 0
    ok = imports.import_file(
        actor=head_pupr, fiscal_year=fiscal_year, kind="realisation", content=csv_bytes(rows[:2]), filename="r.csv"
    )
    assert ok.ok and Realisation.objects.get().amount == Decimal("1000000000.00")
    budgeted_activity.refresh_from_db()
    assert budgeted_activity.stage == "in_execution"


def test_revised_lines_are_a_revision_carrying_the_others_over_and_never_below_what_is_paid(
    budgeted_activity, finance, head_pupr, fiscal_year
):
    from planning import queries

    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 2, 1), amount="900000000", document_number="S1"
    )
    # The fixture's original budget: one line, 5.1.02 / pad, Rp 1.500.000.000.
    code = budgeted_activity.code
    header = imports.BUDGET_COLUMNS

    def run(*rows):
        content = csv_bytes([header, *rows])
        return imports.import_file(
            actor=finance, fiscal_year=fiscal_year, kind="budget", content=content, filename="p.csv"
        )

    # A revision needs its reason, as the form asks for one.
    refused = run([code, "revised", "5.1.03", "pad", "1.000.000", "Tambahan", ""])
    assert [(e.row, e.column) for e in refused.errors] == [(2, "reason")]
    # The original line (Rp 1.5 bn) cut to Rp 1 m would leave Rp 900 m paid against a Rp 1 m budget.
    refused = run([code, "revised", "5.1.02", "pad", "1.000.000", "", "Efisiensi"])
    assert [(e.row, e.column) for e in refused.errors] == [(2, "amount")]
    assert "Rp" in refused.errors[0].reason
    assert not BudgetLine.objects.filter(version="revised").exists()
    # A new line is added to the original ones, which carry over into the revision.
    done = run([code, "revised", "5.1.03", "dau", "250.000.000", "Tambahan", "Perubahan APBD"])
    assert done.ok
    assert queries.current_budget(budgeted_activity) == Decimal("1750000000.00")
    added = BudgetLine.objects.get(version="revised", account_code="5.1.03")
    assert added.changes.get().reason == "Perubahan APBD"


def test_only_finance_imports_budget_lines(ten_planned, head_pupr, fiscal_year):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.import_file(
            actor=head_pupr,
            fiscal_year=fiscal_year,
            kind="budget",
            content=csv_bytes(budget_rows(ten_planned, 3)),
            filename="x.csv",
        )


def test_a_large_file_runs_as_a_task_with_progress(
    ten_planned, finance, fiscal_year, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("pagu.xlsx", xlsx_bytes(budget_rows(ten_planned, 600)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = imports.start_import(actor=finance, fiscal_year=fiscal_year, kind="budget", uploaded=upload)
    assert len(callbacks) == 1  # enqueued after commit
    assert job.state == "pending" and job.total == 600 and BudgetLine.objects.count() == 0
    imports.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "done" and job.imported == 600 and job.percent == 100
    assert BudgetLine.objects.count() == 600
    assert imports.run_import_job(job_id=job.pk) is None  # a second run is a no-op


def test_export_round_trips_through_import_format(budgeted_activity, fiscal_year):
    table = imports.export_table(fiscal_year=fiscal_year, kind="budget")
    assert set(imports.BUDGET_COLUMNS) <= set(table[0])  # the import's columns, and the activity's name, year…
    version = table[0].index("version")
    assert {row[version] for row in table[1:]} == {"indicative", "original"}
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(imports.as_xlsx(table))).worksheets[0]
    assert sheet.max_row == len(table)
    assert ImportJob.objects.count() == 0


def test_the_sweep_enqueues_imports_left_waiting(ten_planned, finance, fiscal_year, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from planning.tasks import sweep_import_jobs

    upload = SimpleUploadedFile("pagu.csv", csv_bytes(budget_rows(ten_planned, 501)))
    with django_capture_on_commit_callbacks(execute=False):  # the broker "was down": never sent
        job = imports.start_import(actor=finance, fiscal_year=fiscal_year, kind="budget", uploaded=upload)
    assert sweep_import_jobs() == 0  # still within the grace period
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    assert sweep_import_jobs() == 1


def test_realisation_rows_dated_outside_the_year_or_ahead_are_refused(
    budgeted_activity, head_pupr, fiscal_year, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 10, 3, tzinfo=dt.UTC))
    code = budgeted_activity.code
    rows = [
        imports.REALISATION_COLUMNS,
        [code, "2026-06-01", "1000000", "SP2D-1", ""],
        [code, "2027-06-01", "1000000", "SP2D-2", "typo for 2026"],
        [code, "2026-09-01", "1000000", "SP2D-3", "not paid yet"],
    ]
    result = imports.import_file(
        actor=head_pupr, fiscal_year=fiscal_year, kind="realisation", content=csv_bytes(rows), filename="r.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "date"), (4, "date")]
    assert "2026" in result.errors[0].reason
    assert Realisation.objects.count() == 0


def test_imported_original_lines_are_approved_with_the_empty_approval_form(
    client, planned_activity, finance, fiscal_year
):
    from django.urls import reverse

    from planning import queries

    actions.set_ceiling(
        actor=finance, activity=planned_activity, amount="500000000", fund_source="pad", account_code="5.1.02"
    )
    rows = [
        imports.BUDGET_COLUMNS,
        [planned_activity.code, "original", "5.1.02.01", "pad", "300.000.000", "Konstruksi", ""],
        [planned_activity.code, "original", "5.1.02.02", "dau", "110.000.000", "Pengawasan", ""],
    ]
    assert imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="budget", content=csv_bytes(rows), filename="murni.csv"
    ).ok
    client.force_login(finance)
    url = reverse("planning:activity_action", args=[planned_activity.pk, "approve_budget"])
    # Half a line is refused, naming what is missing.
    refused = client.post(url, {"approve_budget-account_code": "5.1.02.03", "approve_budget-fund_source": "pad"})
    assert refused.status_code == 400 and refused.context["forms"]["approve_budget"]["amount"].errors
    response = client.post(url, {"approve_budget-account_code": "", "approve_budget-fund_source": "pad"})
    assert response.status_code == 302
    planned_activity.refresh_from_db()
    assert planned_activity.stage == "budgeted"
    assert queries.current_budget(planned_activity) == Decimal("410000000.00")


def test_a_payment_document_is_the_same_in_any_letter_case(budgeted_activity, head_pupr, fiscal_year):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    actions.record_realisation(
        actor=head_pupr,
        activity=budgeted_activity,
        date=dt.date(2026, 2, 1),
        amount="1000000",
        document_number="SP2D-1",
    )
    with pytest.raises(ValidationError) as refused:
        actions.record_realisation(
            actor=head_pupr,
            activity=budgeted_activity,
            date=dt.date(2026, 2, 2),
            amount="100000",
            document_number="sp2d-1",
        )
    assert "document_number" in refused.value.message_dict
    rows = [imports.REALISATION_COLUMNS, [budgeted_activity.code, "2026-02-03", "5000", "Sp2D-1", ""]]
    rows.append([budgeted_activity.code, "2026-02-03", "5000", "SP2D-2", ""])
    rows.append([budgeted_activity.code, "2026-02-04", "5000", "sp2d-2", ""])
    result = imports.import_file(
        actor=head_pupr, fiscal_year=fiscal_year, kind="realisation", content=csv_bytes(rows), filename="r.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "document_number"), (4, "document_number")]
    with pytest.raises(IntegrityError), transaction.atomic():
        Realisation.objects.create(
            activity=budgeted_activity, date=dt.date(2026, 2, 5), amount=1, document_number="sP2d-1"
        )
    assert Realisation.objects.count() == 1


def test_a_date_refusal_names_every_accepted_format(budgeted_activity, head_pupr, fiscal_year):
    from django.utils import translation

    rows = [imports.REALISATION_COLUMNS, [budgeted_activity.code, "31.03.2026", "1000", "SP2D-7", ""]]
    with translation.override("en"):
        result = imports.import_file(
            actor=head_pupr, fiscal_year=fiscal_year, kind="realisation", content=csv_bytes(rows), filename="r.csv"
        )
    assert [e.reason for e in result.errors] == [
        "Enter a date as one of YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, e.g. 31/03/2026."
    ]
    assert imports.parse_date("31-03-2026") == imports.parse_date("31/03/2026") == dt.date(2026, 3, 31)
