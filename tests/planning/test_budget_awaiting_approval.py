"""Original budget lines entered before finance approves them are not the budget in force: the activity page
says they await approval, and neither the page's current budget nor the city dashboard counts them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.queries.plan import money_per_activity
from planning import actions, imports, queries
from planning.models import Activity, BudgetLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported_original(planned_activity, finance, fiscal_year):
    rows = [imports.BUDGET_COLUMNS, [planned_activity.code, "original", "5.1.02", "pad", "875.500.000,50", "", ""]]
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="budget", content=imports.as_csv(rows), filename="murni.csv"
    )
    assert result.ok, result.errors
    return planned_activity


def _figures(activity):
    return queries.figures_of(queries.with_figures(Activity.objects.filter(pk=activity.pk)).get())


def test_unapproved_lines_are_not_the_current_budget_anywhere(client, imported_original, finance):
    assert queries.current_budget(imported_original) == 0
    assert _figures(imported_original)["budget"] == 0
    assert money_per_activity([imported_original.pk]) == {}  # the city dashboard's budget of the year
    client.force_login(finance)
    html = client.get(reverse("planning:activity", args=[imported_original.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    html = html.decode()
    assert '<div class="fw-semibold" id="current-budget">Rp\u00a00</div>' in html
    assert "Original lines of Rp\u00a0875.500.000,50 await finance's approval." in html


def test_once_approved_they_are_the_budget(client, imported_original, finance):
    actions.set_ceiling(
        actor=finance, activity=imported_original, amount="900000000", fund_source="pad", account_code="5"
    )
    actions.approve_budget(actor=finance, activity=imported_original)
    expected = Decimal("875500000.50")
    assert queries.current_budget(imported_original) == expected
    assert _figures(imported_original)["budget"] == expected
    assert money_per_activity([imported_original.pk])[imported_original.pk].budget == expected
    assert set(BudgetLine.objects.values_list("version", flat=True)) == {"indicative", "original"}
    client.force_login(finance)
    html = client.get(reverse("planning:activity", args=[imported_original.pk])).content.decode()
    assert 'id="budget-awaiting"' not in html


def test_the_export_still_calls_them_original_so_the_file_imports_back(imported_original, fiscal_year):
    table = imports.export_table(fiscal_year=fiscal_year, kind="budget")
    version = table[0].index("version")
    assert [row[version] for row in table[1:]] == ["original"]


def test_a_file_cannot_name_the_awaiting_version(planned_activity, finance, fiscal_year):
    rows = [imports.BUDGET_COLUMNS, [planned_activity.code, "draft", "5.1.02", "pad", "1000", "", ""]]
    result = imports.import_file(
        actor=finance, fiscal_year=fiscal_year, kind="budget", content=imports.as_csv(rows), filename="x.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "version")]
