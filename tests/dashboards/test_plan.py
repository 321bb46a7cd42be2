"""Planning figures against hand-computed values (the ``plan`` fixture)."""

import datetime as dt
from decimal import Decimal

import pytest

from dashboards.queries import figures
from dashboards.queries.plan import pct
from services.models import Department

from .conftest import NOW, RANGE

pytestmark = pytest.mark.django_db


def rows_by(table, key):
    return {row[key]: row for row in table.rows}


def test_department_activities_compare_absorption_progress_and_time(plan):
    tables = figures.department_dashboard(Department.objects.get(code="dlh"), RANGE, now=NOW)["tables"]
    activities = rows_by(tables["activities"], "code")
    assert set(activities) == {"A1", "A2"}
    a1 = activities["A1"]
    assert a1["budget"] == Decimal("80000000")  # the revised version replaces the original
    assert a1["realised"] == Decimal("30000000")
    assert a1["absorption"] == Decimal("37.5")
    assert a1["physical"] == Decimal("25")
    assert str(a1["physical"]) == "25.0"  # one decimal, like absorption (was "25.00")
    assert a1["time_elapsed"] == Decimal("17.6")  # 64 of 364 days
    assert activities["A2"]["absorption"] == Decimal("100.0")
    overdue = tables["milestones_overdue"].rows
    assert [(m["milestone"], m["days_late"]) for m in overdue] == [("Kontrak ditandatangani", 6)]
    assert overdue[0]["due"] == dt.date(2026, 2, 28)  # a date, shown in the page's language (not "2026-02-28")
    (indicator,) = tables["indicators"].rows
    assert indicator["actual"] == Decimal("60") and indicator["achievement"] == Decimal("60.00")


def test_city_absorption_by_department_and_kecamatan(plan):
    tables = figures.city_dashboard(RANGE, now=NOW)["tables"]
    by_department = rows_by(tables["absorption_department"], "department")
    assert by_department["DLH"]["budget"] == Decimal("130000000")
    assert by_department["DLH"]["absorption"] == Decimal("61.5")  # 80 M of 130 M
    assert by_department["Dinas PUPR"]["absorption"] == Decimal("0.0")
    kecamatan = rows_by(tables["kecamatan"], "kecamatan")
    # Tengah: A1 80 M + A2 50 M + half of A3 100 M; Selatan: the other half of A3.
    assert kecamatan["Banjarmasin Tengah"]["budget"] == Decimal("230000000")
    assert kecamatan["Banjarmasin Tengah"]["realised"] == Decimal("80000000")
    assert kecamatan["Banjarmasin Tengah"]["absorption"] == Decimal("34.8")
    assert kecamatan["Banjarmasin Tengah"]["tickets"] == 13  # Mawar: 11 DLH (all but T7) and 2 PUPR
    assert kecamatan["Banjarmasin Selatan"]["tickets"] == 1  # T7 in Mantuil
    assert kecamatan["Banjarmasin Selatan"]["budget"] == Decimal("100000000")
    assert kecamatan["Banjarmasin Selatan"]["absorption"] == Decimal("0.0")
    assert kecamatan["Banjarmasin Utara"]["absorption"] is None  # nothing planned: no division by zero
    stages = rows_by(tables["plan_stages"], "stage")
    assert (stages["planned"]["n"], stages["in_execution"]["n"], stages["completed"]["n"]) == (1, 1, 1)
    grades = rows_by(tables["evaluation_grades"], "grade")
    assert grades["high"]["n"] == 1 and grades["very_high"]["n"] == 0  # the department-level evaluation is apart


def test_public_plan_leaves_out_unapproved_activities_and_counts_only_public_reports(plan):
    tables = figures.public_dashboard(RANGE, now=NOW)["tables"]
    assert set(rows_by(tables["activities"], "code")) == {"A1", "A2"}
    programmes = rows_by(tables["programmes"], "code")
    assert programmes["P-DLH-01"]["budget"] == Decimal("130000000")
    assert "P-PUPR-01" not in programmes
    (answered,) = tables["you_asked_we_did"].rows
    assert answered["code"] == "A2" and answered["tickets"] == 1  # T1; the confidential T3 is not counted


def test_pct_never_divides_by_zero():
    assert pct(5, 0) is None
    assert pct(0, None) is None
    assert pct(1, 3) == Decimal("33.3")


def test_dashboards_without_a_fiscal_year_show_ticket_figures_only(dataset):
    tables = figures.city_dashboard(RANGE, now=NOW)["tables"]
    assert "plan_stages" not in tables and "departments" in tables
