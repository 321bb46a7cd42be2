"""What the activity page showed is what is acted on: a planner verifying the 70% on his page while the head had
corrected it to 40% verified the 40% unseen, and a second finance tab's revision overwrote the first's, each told
"Saved.". Now the form carries the figure it was drawn with and the action refuses when it moved, naming the figure
now; what finance typed stays in the refused form, which is then checked against the figure it names."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from planning import actions, queries
from planning.models import BudgetLine, ProgressReport

pytestmark = pytest.mark.django_db

DEC_20 = dt.datetime(2026, 12, 20, 2, tzinfo=dt.UTC)  # 10:00 WITA
DECEMBER = dt.date(2026, 12, 1)


def _page(client, activity):
    """The activity page as the user opens it, in the city's language (Indonesian)."""
    response = client.get(reverse("planning:activity", args=[activity.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _post(client, activity, name: str, data: dict):
    return client.post(reverse("planning:activity_action", args=[activity.pk, name]), data, HTTP_ACCEPT_LANGUAGE="en")


def test_verifying_a_figure_corrected_since_the_page_opened_is_refused_naming_it(
    client, budgeted_activity, head_pupr, planner, time_machine
):
    time_machine.move_to(DEC_20)
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=DECEMBER, physical_pct=70)
    client.force_login(planner)
    page = _page(client, budgeted_activity)
    report = ProgressReport.objects.get()
    seen = _hidden(page, "verify-seen_pct")
    assert Decimal(seen) == Decimal("70")  # written so the form reads it back, not "70,00"

    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=DECEMBER, physical_pct=40)
    response = _post(client, budgeted_activity, "verify", {"verify-report": report.pk, "verify-seen_pct": seen})

    assert response.status_code == 400
    assert response.context["error"] == (
        "This report was changed since the page was opened: it now reads 40.0%. Check it and verify again."
    )
    report.refresh_from_db()
    assert report.verified_by is None and report.verified_at is None
    # The page drawn again shows 40% and carries it: verifying now is knowing.
    seen = _hidden(response.content.decode(), "verify-seen_pct")
    assert Decimal(seen) == Decimal("40")
    response = _post(client, budgeted_activity, "verify", {"verify-report": report.pk, "verify-seen_pct": seen})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.verified_by == planner and report.physical_pct == Decimal("40")


def test_verifying_what_the_page_showed_still_works(client, budgeted_activity, head_pupr, inspector, time_machine):
    time_machine.move_to(DEC_20)
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=DECEMBER, physical_pct=70)
    client.force_login(inspector)
    seen = _hidden(_page(client, budgeted_activity), "verify-seen_pct")
    report = ProgressReport.objects.get()
    response = _post(client, budgeted_activity, "verify", {"verify-report": report.pk, "verify-seen_pct": seen})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.verified_by == inspector


def _revision(seen: str, amount: str) -> dict:
    return {
        "revise-account_code": "5.1.02",
        "revise-fund_source": "pad",
        "revise-amount": amount,
        "revise-description": "Belanja modal",
        "revise-reason": "APBD-P 2026",
        "revise-seen_budget": seen,
    }


def test_a_second_tab_revising_a_budget_changed_meanwhile_is_refused_and_keeps_what_was_typed(
    client, budgeted_activity, finance, time_machine
):
    time_machine.move_to(DEC_20)
    client.force_login(finance)
    first_tab = _hidden(_page(client, budgeted_activity), "revise-seen_budget")
    second_tab = _hidden(_page(client, budgeted_activity), "revise-seen_budget")
    assert Decimal(first_tab) == Decimal("1500000000")

    assert _post(client, budgeted_activity, "revise", _revision(first_tab, "1.600.000.000")).status_code == 302
    response = _post(client, budgeted_activity, "revise", _revision(second_tab, "1.560.000.000"))

    assert response.status_code == 400
    assert (
        "The budget in force was changed since the page was opened: it is now Rp\xa01.600.000.000."
        in (response.context["error"])
    )
    assert queries.current_budget(budgeted_activity) == Decimal("1600000000")
    page = response.content.decode()
    assert 'value="1.560.000.000"' in page  # what finance typed stays
    # Sent again from the refused page, which named the budget now, the revision is knowing and goes through.
    seen = _hidden(page, "revise-seen_budget")
    assert Decimal(seen) == Decimal("1600000000")
    assert _post(client, budgeted_activity, "revise", _revision(seen, "1.560.000.000")).status_code == 302
    assert queries.current_budget(budgeted_activity) == Decimal("1560000000")


def test_the_description_typed_when_approving_the_budget_is_kept(client, planned_activity, finance, planner):
    actions.set_ceiling(
        actor=finance, activity=planned_activity, amount="2000000000", fund_source="pad", account_code="5.1.02"
    )
    client.force_login(finance)
    response = _post(
        client,
        planned_activity,
        "approve_budget",
        {
            "approve_budget-account_code": "5.1.02",
            "approve_budget-fund_source": "pad",
            "approve_budget-amount": "1.500.000.000",
            "approve_budget-description": "Belanja modal normalisasi saluran",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(activity=planned_activity, version="original")
    assert line.description == "Belanja modal normalisasi saluran"
    client.force_login(planner)
    csv = client.get(reverse("planning:export", args=["budget", "csv"]), {"tahun": 2026}).content.decode("utf-8-sig")
    assert "Belanja modal normalisasi saluran" in csv


def test_the_description_typed_with_a_revision_is_kept(client, budgeted_activity, finance, time_machine):
    time_machine.move_to(DEC_20)
    client.force_login(finance)
    seen = _hidden(_page(client, budgeted_activity), "revise-seen_budget")
    data = _revision(seen, "1.400.000.000") | {"revise-description": "Efisiensi APBD-P"}
    assert _post(client, budgeted_activity, "revise", data).status_code == 302
    assert BudgetLine.objects.get(activity=budgeted_activity, version="revised").description == "Efisiensi APBD-P"
