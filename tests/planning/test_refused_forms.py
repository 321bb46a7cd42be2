"""A refused planning form comes back filled in, with the reason next to its field (status 400, no redirect)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from planning import actions
from planning.models import Evaluation, Realisation
from tests.planning.conftest import bridge_proposal, recommend_at_every_level

pytestmark = pytest.mark.django_db


def _post(client, activity, name: str, data: dict):
    return client.post(reverse("planning:activity_action", args=[activity.pk, name]), data)


def test_a_realisation_without_its_sp2d_number_keeps_what_finance_typed(client, budgeted_activity, finance):
    client.force_login(finance)
    response = _post(
        client,
        budgeted_activity,
        "realisation",
        {
            "realisation-date": "2026-11-03",
            "realisation-amount": "150000000",
            "realisation-document_number": "   ",
            "realisation-description": "Termin pertama pekerjaan saluran",
        },
    )
    assert response.status_code == 400
    form = response.context["forms"]["realisation"]
    assert form["document_number"].errors
    html = response.content.decode()
    assert 'value="150000000"' in html and 'value="Termin pertama pekerjaan saluran"' in html
    assert 'value="2026-11-03"' in html and 'id="action-error"' in html
    assert 'aria-invalid="true"' in html
    assert Realisation.objects.count() == 0


def test_a_rule_refusing_the_payment_puts_its_reason_next_to_the_field(client, budgeted_activity, finance):
    client.force_login(finance)
    response = _post(
        client,
        budgeted_activity,
        "realisation",
        {
            "realisation-date": "2026-11-03",
            "realisation-amount": "9000000000",
            "realisation-document_number": "SP2D-9",
        },
        # above the budget: refused by planning.actions, not by the form
    )
    assert response.status_code == 400
    form = response.context["forms"]["realisation"]
    assert "budget" in " ".join(form["amount"].errors).lower() or "anggaran" in " ".join(form["amount"].errors)
    assert 'value="SP2D-9"' in response.content.decode()


def test_an_evaluation_without_recommendations_keeps_the_findings(client, budgeted_activity, head_pupr, inspector):
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 3, 1), amount=15e8, document_number="SP2D-1"
    )
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 3, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=budgeted_activity, completed_on=dt.date(2026, 3, 30))
    client.force_login(inspector)
    findings = "Saluran tuntas dinormalisasi sepanjang 1,2 km; dua titik genangan masih muncul saat pasang."
    response = _post(
        client, budgeted_activity, "evaluate", {"evaluate-findings": findings, "evaluate-recommendations": ""}
    )
    assert response.status_code == 400
    assert findings in response.content.decode()
    assert response.context["forms"]["evaluate"]["recommendations"].errors
    assert response.context["score_preview"] is not None  # the page is whole, not just the form
    assert Evaluation.objects.count() == 0


def test_a_refused_indicator_value_stays_in_its_row(client, budgeted_activity, planner):
    indicator = actions.add_indicator(
        actor=planner,
        activity=budgeted_activity,
        level="output",
        description="Panjang saluran",
        unit="m",
        baseline=0,
        target=1200,
        direction="up",
    )
    client.force_login(planner)
    response = _post(
        client,
        budgeted_activity,
        "indicator_value",
        {"indicator_value-indicator": indicator.pk, "indicator_value-period": "", "indicator_value-value": "812.5"},
    )
    assert response.status_code == 400
    assert 'value="812.5"' in response.content.decode()


def test_a_department_evaluation_without_recommendations_keeps_the_findings(client, budgeted_activity, inspector):
    client.force_login(inspector)
    findings = "Serapan anggaran rendah pada triwulan ketiga."
    response = client.post(
        reverse("planning:department_evaluate", args=["pupr"]),
        {"tahun": 2026, "findings": findings, "recommendations": " "},
    )
    assert response.status_code == 400
    assert findings in response.content.decode()
    assert response.context["evaluation_form"]["recommendations"].errors


def test_a_decline_without_a_reason_keeps_the_amount_typed(client, fiscal_year, planner):
    proposal = bridge_proposal(fiscal_year, planner)
    client.force_login(planner)
    response = client.post(
        reverse("planning:proposal_review", args=[proposal.pk]),
        {"decision": "decline", "amount": "123456789", "note": ""},
    )
    assert response.status_code == 400
    assert 'value="123456789"' in response.content.decode()
    assert response.context["error"]
    assert proposal.reviews.count() == 0


def test_a_refused_acceptance_keeps_the_dates_the_planner_chose(client, fiscal_year, planner, head_pupr):
    proposal = recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)
    client.force_login(planner)
    response = client.post(
        reverse("planning:proposal_accept", args=[proposal.pk]),
        {"code": "", "name": "Jembatan Mawar", "start_date": "2026-03-02", "end_date": "2026-10-30"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Jembatan Mawar"' in html and 'value="2026-10-30"' in html
    assert response.context["accept_form"]["code"].errors


def test_the_acceptance_form_offers_the_years_dates_in_the_pickers_in_indonesian_too(
    client, fiscal_year, planner, head_pupr
):
    proposal = recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)
    client.force_login(planner)
    for language in ("id", "en"):
        html = client.get(reverse("planning:proposal", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE=language)
        html = html.content.decode()
        # A date picker reads YYYY-MM-DD only; "01-01-2026" showed as an empty field in Indonesian.
        assert 'type="date" name="start_date" value="2026-01-01"' in html, language
        assert 'type="date" name="end_date" value="2026-12-31"' in html, language


def test_an_activity_dated_outside_its_fiscal_year_is_refused(client, fiscal_year, planner, head_pupr):
    proposal = recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)
    client.force_login(planner)
    response = client.post(
        reverse("planning:proposal_accept", args=[proposal.pk]),
        {"code": "1.03.77", "name": "Jembatan Mawar", "start_date": "2029-01-01", "end_date": "2030-12-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["accept_form"]
    assert (
        form["start_date"].errors
        == form["end_date"].errors
        == ["An activity of fiscal year 2026 starts and ends within that year."]
    )
    assert 'value="2029-01-01"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.activity is None


def test_a_lower_progress_than_last_month_needs_its_reason(client, budgeted_activity, head_pupr):
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 3, 1), physical_pct="40.5")
    client.force_login(head_pupr)
    url = reverse("planning:activity_action", args=[budgeted_activity.pk, "progress"])
    refused = client.post(
        url,
        {"progress-month": "2026-04", "progress-physical_pct": "30", "progress-problems": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert refused.context["forms"]["progress"]["problems"].errors == [
        "This is less than the 40.5% reported for March 2026: say in Problems why progress went down."
    ]
    assert 'value="30"' in refused.content.decode()
    explained = client.post(
        url,
        {
            "progress-month": "2026-04",
            "progress-physical_pct": "30",
            "progress-problems": "Tanggul runtuh, dibangun ulang.",
        },
    )
    assert explained.status_code == 302
    assert budgeted_activity.progress_reports.get(month=dt.date(2026, 4, 1)).physical_pct == 30


def test_the_summary_of_a_refused_acceptance_names_the_date_fields_as_dates(client, fiscal_year, planner, head_pupr):
    """ "End" read as "Completed" ("Selesai") in Indonesian: "Tidak disimpan. Selesai: …"."""
    proposal = recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)
    client.force_login(planner)
    response = client.post(
        reverse("planning:proposal_accept", args=[proposal.pk]),
        {"code": "1.03.78", "start_date": "2026-06-01", "end_date": "2026-02-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["error"].startswith("End date: ")
    assert '<label class="form-label small mb-0" for="id_start_date">Start date</label>' in response.content.decode()
