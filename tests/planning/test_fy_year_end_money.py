"""The fiscal year's end seen by finance (BPKPAD) and the inspectorate: fiscal year 2026 (the calendar year) is over
at midnight in Banjarmasin (WITA). After it, or after the activity or its department's year is evaluated, a budget
is no longer revised (form, import); the retention paid after the hand-over (PHO) is recorded on a completed
activity until it is evaluated; work left open into January is named on the activity and department pages; the
department's year is evaluated once, over finished and evaluated work, and then its figures stay as scored."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning import actions, imports, queries
from planning.models import Activity, BudgetChange, BudgetLine, Evaluation, Realisation
from services.models import Area, Department, Service
from tests.planning.conftest import approve_budget_of

pytestmark = pytest.mark.django_db

NOV_20 = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
DEC_28 = dt.datetime(2026, 12, 28, 2, tzinfo=dt.UTC)  # 10:00 WITA
DEC_31_LATE = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)  # 31 December, 23:30 WITA
JAN_1_WITA = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)  # still 31 December in UTC, 1 January 00:30 in WITA
JAN_5 = dt.datetime(2027, 1, 5, 2, tzinfo=dt.UTC)


@pytest.fixture
def working(budgeted_activity, head_pupr, time_machine):
    """The drainage work of 2026 (Rp 1.5 bn), Rp 900 jt paid, 80% done in November: still in execution."""
    time_machine.move_to(NOV_20)
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 6, 1), amount=900_000_000, document_number="1"
    )
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 11, 1), physical_pct=80)
    budgeted_activity.refresh_from_db()
    return budgeted_activity


@pytest.fixture
def handed_over(fiscal_year, planner, finance, head_pupr, time_machine):
    """A PUPR road of 2026 (Rp 1.5 bn) handed over (PHO) on 15 November with Rp 1.425 bn paid: completed, the 5%
    retention still to pay."""
    time_machine.move_to(NOV_20)
    activity = actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code="1.03.10.2.01.0007",
        name="Peningkatan Jalan Sutoyo S",
        department=Department.objects.get(code="pupr"),
        start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2026, 11, 30),
        kelurahans=[Area.objects.get(code="63.71.05.1003")],
        services=[Service.objects.get(code="drainase-tersumbat")],
    )
    approve_budget_of(activity, finance)
    actions.record_realisation(
        actor=head_pupr, activity=activity, date=dt.date(2026, 11, 16), amount=1_425_000_000, document_number="T-1"
    )
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 11, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 11, 15))
    activity.refresh_from_db()
    assert activity.stage == "completed"
    return activity


def revise(finance, activity, amount="1200000000"):
    return actions.revise_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": amount}],
        reason="APBD-P 2026: efisiensi",
    )


def refusal(call) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)


def year_evaluation_recorded_over(activity, inspector):
    """PUPR's year as the inspector recorded it before it was refused over open work."""
    return Evaluation.objects.create(
        fiscal_year=activity.fiscal_year,
        department=activity.department,
        evaluator=inspector,
        findings="Serapan 82,7%.",
        **queries.department_scores(fiscal_year=activity.fiscal_year, department=activity.department),
    )


# 1. A budget is not revised after its year, nor after its evaluation.


def test_a_revision_on_5_january_is_refused_by_the_form_and_the_import(working, finance, client, time_machine):
    time_machine.move_to(JAN_5)
    client.force_login(finance)
    with translation.override("en"):
        page = client.get(reverse("planning:activity", args=[working.pk]), HTTP_ACCEPT_LANGUAGE="en")
        assert "revise" not in page.context["forms"]
        response = client.post(
            reverse("planning:activity_action", args=[working.pk, "revise"]),
            {
                "revise-account_code": "5.1.02",
                "revise-fund_source": "pad",
                "revise-amount": "900000000",
                "revise-reason": "APBD-P 2026",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "Fiscal year 2026 ended on 31 Dec 2026: its budgets can no longer be revised." in response.context["error"]
    rows = [imports.BUDGET_COLUMNS, [working.code, "revised", "5.1.02", "pad", "900000000", "", "APBD-P 2026"]]
    with translation.override("en"):
        result = imports.import_file(
            actor=finance,
            fiscal_year=working.fiscal_year,
            kind="budget",
            content=imports.as_csv(rows),
            filename="apbd-p.csv",
        )
    assert not result.ok and "ended on 31 Dec 2026" in result.errors[0].reason
    assert not BudgetLine.objects.filter(activity=working, version="revised").exists()
    assert queries.current_budget(working) == Decimal("1500000000")


def test_the_year_ends_at_midnight_in_banjarmasin(working, finance, time_machine):
    time_machine.move_to(JAN_1_WITA)
    assert "Fiscal year 2026 ended" in refusal(lambda: revise(finance, working))
    time_machine.move_to(DEC_31_LATE)
    revise(finance, working)
    assert queries.current_budget(working) == Decimal("1200000000")


def test_a_revision_after_the_department_year_was_evaluated_is_refused(working, finance, inspector, time_machine):
    time_machine.move_to(DEC_28)
    year_evaluation_recorded_over(working, inspector)
    assert "evaluation of Dinas PUPR was recorded on" in refusal(lambda: revise(finance, working))
    assert queries.current_budget(working) == Decimal("1500000000")


# 2. The retention paid after the hand-over is recorded, until the activity is evaluated.


def test_the_retention_is_recorded_after_the_hand_over(handed_over, head_pupr, finance, inspector, time_machine):
    time_machine.move_to(DEC_28)
    assert "realisation" in actions.allowed_activity_actions(finance, handed_over)
    actions.record_realisation(
        actor=head_pupr, activity=handed_over, date=dt.date(2026, 12, 28), amount=40_000_000, document_number="R-1"
    )
    # Recorded in January, dated in December: the year's books take it until the evaluation.
    time_machine.move_to(JAN_5)
    rows = [imports.REALISATION_COLUMNS, [handed_over.code, "30/12/2026", "35000000", "R-2", "Retensi"]]
    result = imports.import_file(
        actor=finance,
        fiscal_year=handed_over.fiscal_year,
        kind="realisation",
        content=imports.as_csv(rows),
        filename="sp2d.csv",
    )
    assert result.ok, result.errors
    handed_over.refresh_from_db()
    assert handed_over.stage == "completed"
    assert queries.realised_total(handed_over) == Decimal("1500000000")
    # Progress is final once completed, and says so.
    assert "The activity is completed" in refusal(
        lambda: actions.report_progress(
            actor=head_pupr, activity=handed_over, month=dt.date(2026, 12, 1), physical_pct=100
        )
    )

    actions.evaluate_activity(actor=inspector, activity=handed_over, findings="Selesai.", recommendations="-")
    handed_over.refresh_from_db()
    assert "realisation" not in actions.allowed_activity_actions(finance, handed_over)
    message = refusal(
        lambda: actions.record_realisation(
            actor=finance, activity=handed_over, date=dt.date(2026, 12, 30), amount=1, document_number="R-3"
        )
    )
    assert "This activity is already evaluated" in message and "budget is approved" not in message


def test_the_retention_through_the_rest_api(handed_over, head_pupr, time_machine):
    from rest_framework.test import APIClient

    time_machine.move_to(DEC_28)
    api = APIClient()
    api.force_authenticate(head_pupr)
    payload = {"activity": handed_over.pk, "date": "2026-12-28", "amount": "75000000.00", "document_number": "R-1"}
    response = api.post("/api/v1/planning/realisations/", payload, format="json")
    assert response.status_code == 201, response.content


def test_a_payment_after_the_department_year_was_evaluated_is_refused(working, finance, inspector, time_machine):
    """The walk: PUPR's year evaluated in January over open work, then Rp 500 jt dated 30 December recorded."""
    time_machine.move_to(JAN_5)
    year_evaluation_recorded_over(working, inspector)
    message = refusal(
        lambda: actions.record_realisation(
            actor=finance, activity=working, date=dt.date(2026, 12, 30), amount=500_000_000, document_number="2"
        )
    )
    assert "The 2026 evaluation of Dinas PUPR was recorded on 5 Jan 2027: the budget and payments" in message
    rows = [imports.REALISATION_COLUMNS, [working.code, "30/12/2026", "500000000", "2", ""]]
    result = imports.import_file(
        actor=finance, fiscal_year=working.fiscal_year, kind="realisation", content=imports.as_csv(rows), filename="r"
    )
    assert not result.ok
    assert queries.realised_total(working) == Decimal("900000000")


# 3. Work left open into January, and the department's year.


def test_work_left_open_into_january_is_named_on_its_pages(working, handed_over, inspector, client, time_machine):
    activity_url = reverse("planning:activity", args=[working.pk])
    department_url = reverse("planning:department", args=["pupr"]) + "?tahun=2026"
    time_machine.move_to(DEC_28)
    client.force_login(inspector)
    with translation.override("en"):
        assert 'id="year-left-open"' not in client.get(activity_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="year-left-open"' not in client.get(department_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    time_machine.move_to(JAN_5)
    client.force_login(inspector)
    with translation.override("en"):
        page = client.get(activity_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Fiscal year 2026 ended on 31 December 2026 and this activity is still “In execution”" in page
        done = client.get(reverse("planning:activity", args=[handed_over.pk]), HTTP_ACCEPT_LANGUAGE="en")
        assert 'id="year-left-open"' not in done.content.decode()
        department = client.get(department_url, HTTP_ACCEPT_LANGUAGE="en")
    assert [a.pk for a in department.context["left_open"]] == [working.pk]
    assert "1 activity is still open" in department.content.decode()
    # The planner's board says it city-wide, each stage leading to its activities.
    board = client.get(reverse("planning:board") + "?tahun=2026", HTTP_ACCEPT_LANGUAGE="en")
    assert "1 activity is still open" in board.content.decode()
    (stage_link,) = re.findall(r'id="year-left-open".*?href="([^"]+)"', board.content.decode(), re.S)
    listed = client.get(html.unescape(stage_link), HTTP_ACCEPT_LANGUAGE="en")
    assert [a.pk for a in listed.context["activities"]] == [working.pk]
    time_machine.move_to(DEC_28)
    assert 'id="year-left-open"' not in client.get(reverse("planning:board") + "?tahun=2026").content.decode()


def test_the_department_year_is_evaluated_once_over_finished_evaluated_work(
    working, handed_over, inspector, head_pupr, client, time_machine
):
    url = reverse("planning:department", args=["pupr"]) + "?tahun=2026"
    post_url = reverse("planning:department_evaluate", args=["pupr"]) + "?tahun=2026"
    form = {"tahun": 2026, "findings": "Serapan 82,7%.", "recommendations": "Percepat lelang."}
    time_machine.move_to(JAN_5)
    client.force_login(inspector)
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    # Before saving: the score it would record, and what keeps the year from being evaluated, by activity.
    assert page.context["score_preview"].grade
    assert 'id="score-preview"' in page.content.decode()
    assert page.context["evaluation_form"] is None
    reasons = [text for text, _activity in page.context["year_refusal"]]
    assert reasons == [
        f"{working.code} {working.name} is still open (In execution): complete it or close its year.",
        f"{handed_over.code} Peningkatan Jalan Sutoyo S is not evaluated yet (Completed).",
    ]
    with translation.override("en"):
        refused = client.post(post_url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "is still open (In execution)" in refused.context["error"]
    assert not Evaluation.objects.filter(activity__isnull=True).exists()

    actions.close_year(actor=head_pupr, activity=working, outcome="lapsed", reason="Kontraktor putus kontrak.")
    for activity in (working, handed_over):
        actions.evaluate_activity(actor=inspector, activity=activity, findings="-", recommendations="-")
    assert client.get(url).context["evaluation_form"] is not None
    assert client.post(post_url, form).status_code == 302
    evaluation = Evaluation.objects.get(activity__isnull=True)
    assert evaluation.findings == "Serapan 82,7%."
    again = client.get(url)
    assert again.context["evaluation_form"] is None and again.context["score_preview"] is None
    assert "already recorded" in refusal(
        lambda: actions.evaluate_department_year(
            actor=inspector,
            fiscal_year=working.fiscal_year,
            department=working.department,
            findings="Lagi",
            recommendations="-",
        )
    )
    assert Evaluation.objects.filter(activity__isnull=True).count() == 1


def test_a_department_year_is_not_evaluated_before_its_execution_ends(handed_over, inspector, time_machine):
    time_machine.move_to(DEC_28)
    actions.evaluate_activity(actor=inspector, activity=handed_over, findings="-", recommendations="-")
    message = refusal(
        lambda: actions.evaluate_department_year(
            actor=inspector,
            fiscal_year=handed_over.fiscal_year,
            department=handed_over.department,
            findings="-",
            recommendations="-",
        )
    )
    assert "once its execution has ended (31 Dec 2026)" in message


# 4. Each refusal says what is true for the person reading it.


def test_finance_above_the_budget_is_told_to_approve_a_revision(working, finance, head_pupr, time_machine):
    time_machine.move_to(DEC_28)

    def pay(actor):
        return lambda: actions.record_realisation(
            actor=actor, activity=working, date=dt.date(2026, 12, 28), amount=700_000_000, document_number="3"
        )

    assert "approve a budget revision first" in refusal(pay(finance))
    assert "ask finance for a budget revision first" in refusal(pay(head_pupr))
    time_machine.move_to(JAN_5)
    message = refusal(pay(finance))
    assert "which can no longer be revised: Fiscal year 2026 ended" in message and "revision first" not in message


def test_revising_a_carried_over_activity_says_its_year_is_closed(
    working, finance, head_pupr, fiscal_year_2027, time_machine
):
    time_machine.move_to(DEC_28)
    actions.close_year(
        actor=head_pupr,
        activity=working,
        outcome="carried_over",
        reason="Sisa 20% dilanjutkan.",
        start_date=dt.date(2027, 2, 1),
        end_date=dt.date(2027, 6, 30),
    )
    working.refresh_from_db()
    message = refusal(lambda: revise(finance, working))
    assert "The year of this activity is closed (Carried over)" in message
    assert "before the activity is completed" not in message


# 5. The first revision reads as one revision.


def test_the_first_revision_is_one_entry_in_the_budget_history(working, finance, client, time_machine):
    time_machine.move_to(DEC_28)
    BudgetLine.objects.filter(activity=working, version="original").update(description="APBD murni")
    revise(finance, working)
    changes = BudgetChange.objects.filter(line__activity=working, line__version="revised")
    assert [(c.old_amount, c.new_amount, c.reason) for c in changes] == [
        (Decimal("1500000000.00"), Decimal("1200000000.00"), "APBD-P 2026: efisiensi")
    ]
    revised = BudgetLine.objects.get(activity=working, version="revised")
    assert revised.description == "APBD murni"
    assert BudgetLine.objects.get(activity=working, version="original").description == "APBD murni"
    client.force_login(finance)
    with translation.override("en"):
        html = client.get(reverse("planning:activity", args=[working.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Revised (perubahan) 5.1.02: – →" not in html
    assert "Revised (perubahan) 5.1.02: Rp\xa01.500.000.000 → Rp\xa01.200.000.000 (APBD-P 2026: efisiensi)" in html


def test_a_planned_activity_still_says_the_budget_is_not_approved(planned_activity, head_pupr):
    with translation.override("en"):
        message = refusal(
            lambda: actions.record_realisation(
                actor=head_pupr,
                activity=planned_activity,
                date=dt.date(2026, 3, 1),
                amount=1,
                document_number="X",
            )
        )
    assert "only once the budget is approved" in message
    assert not Realisation.objects.exists() and Activity.objects.get().stage == "planned"
