"""What the import page offers and says, as finance and the departments meet it at the fiscal year's end: only the
kinds of file the person may import, a code not found named with the year searched (and the year it is in), and an
amount that cannot be read told apart from one below zero."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from planning import imports
from planning.models import BudgetLine, ImportJob, Realisation

pytestmark = pytest.mark.django_db


def _import(actor, fiscal_year, kind, *rows):
    columns = imports.COLUMNS[kind]
    with translation.override("en"):
        return imports.import_file(
            actor=actor,
            fiscal_year=fiscal_year,
            kind=kind,
            content=imports.as_csv([columns, *rows]),
            filename="berkas.csv",
        )


def _reasons(result, column):
    return [str(e.reason) for e in result.errors if e.column == column]


def test_a_december_file_imported_into_the_new_year_names_both_years(
    budgeted_activity, finance, fiscal_year_2027, time_machine
):
    time_machine.move_to(dt.datetime(2027, 1, 5, 10, 0))
    result = _import(
        finance, fiscal_year_2027, "realisation", [budgeted_activity.code, "2026-12-07", "1.000.000", "S1", ""]
    )
    assert _reasons(result, "activity_code") == [
        "No activity with this code in fiscal year 2027; it exists in 2026. If the file is for that year, choose it "
        "as the file's fiscal year."
    ]
    # Chosen as the message says, the same file goes in.
    assert _import(
        finance,
        budgeted_activity.fiscal_year,
        "realisation",
        [budgeted_activity.code, "2026-12-07", "1.000.000", "S1", ""],
    ).ok


def test_a_code_no_year_has_names_the_year_searched(planned_activity, finance, fiscal_year):
    result = _import(finance, fiscal_year, "budget", ["9.99.99", "indicative", "5.1", "pad", "1000", "", ""])
    assert _reasons(result, "activity_code") == ["No activity with this code in fiscal year 2026."]


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("satu juta", "Please enter an amount in Rupiah, for example 1.500.000."),
        ("1.250.000.000,50,-", "Please enter an amount in Rupiah, for example 1.500.000."),
        ("0", "Enter an amount above zero in Rupiah."),
        ("-1.000", "Enter an amount above zero in Rupiah."),
    ],
)
def test_a_payment_amount_refused_says_whether_the_format_or_the_sign(budgeted_activity, finance, amount, reason):
    result = _import(
        finance, budgeted_activity.fiscal_year, "realisation", [budgeted_activity.code, "2026-03-02", amount, "S1", ""]
    )
    assert _reasons(result, "amount") == [reason]


def test_a_budget_amount_below_zero_is_told_so(planned_activity, finance, fiscal_year):
    unreadable = _import(
        finance, fiscal_year, "budget", [planned_activity.code, "indicative", "5.1", "pad", "Rp", "", ""]
    )
    negative = _import(
        finance, fiscal_year, "budget", [planned_activity.code, "indicative", "5.1", "pad", "-5", "", ""]
    )
    assert _reasons(unreadable, "amount") == ["Please enter an amount in Rupiah, for example 1.500.000."]
    assert _reasons(negative, "amount") == ["Enter an amount of zero or more in Rupiah."]


def test_the_dash_for_no_cents_is_read(budgeted_activity, planned_activity, finance, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 20, 10, 0))
    result = _import(
        finance,
        budgeted_activity.fiscal_year,
        "realisation",
        [budgeted_activity.code, "07/12/2026", "1.250.000.000,-", "SP2D-7", ""],
    )
    assert result.ok, result.errors
    assert Realisation.objects.get().amount == 1_250_000_000


def test_a_department_head_is_offered_realisation_only(client, head_pupr, finance, fiscal_year):
    client.force_login(head_pupr)
    page = client.get(reverse("planning:import"), {"tahun": 2026})
    assert list(page.context["form"].fields["kind"].choices) == [("realisation", "Realisasi")]
    assert 'value="budget"' not in page.content.decode()
    # Nor the budget file's columns: only the realisation file's.
    columns = page.content.decode().split('id="import-columns"')[1].split("</p>")[0]
    assert "account_code" not in columns and "document_number" in columns

    client.force_login(finance)
    page = client.get(reverse("planning:import"), {"tahun": 2026})
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["budget", "realisation"]
    columns = page.content.decode().split('id="import-columns"')[1].split("</p>")[0]
    assert "account_code" in columns and "document_number" in columns


def test_a_budget_file_posted_by_a_department_head_is_refused_by_role(client, head_pupr, planned_activity):
    client.force_login(head_pupr)
    rows = [imports.BUDGET_COLUMNS, [planned_activity.code, "indicative", "5.1", "pad", "1000", "", ""]]
    response = client.post(
        reverse("planning:import"),
        {"tahun": 2026, "kind": "budget", "file": SimpleUploadedFile("pagu.csv", imports.as_csv(rows))},
    )
    assert response.status_code == 403
    assert "Hanya bagian keuangan (BPKPAD)" in response.content.decode()
    assert not BudgetLine.objects.exists() and not ImportJob.objects.exists()


def test_someone_who_imports_nothing_is_offered_no_form(client, planner, fiscal_year):
    client.force_login(planner)
    page = client.get(reverse("planning:import"), {"tahun": 2026})
    assert 'name="kind"' not in page.content.decode()
