"""Once the inspectorate has scored an activity, or its department's year, the figures it scored stay as they were:
its milestones (timeliness), its indicator values (achievement) and its physical progress, reported or verified
(achievement without indicators), are refused afterwards on the page and through the REST API, each refusal saying
which evaluation keeps them. Before, a milestone met or a report verified in January changed the activity's page
while the recorded evaluation kept the old score."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from planning import actions, queries
from planning.models import Evaluation, IndicatorValue, Milestone, ProgressReport

pytestmark = pytest.mark.django_db

NOV_20 = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
DEC_28 = dt.datetime(2026, 12, 28, 2, tzinfo=dt.UTC)
JAN_5 = dt.datetime(2027, 1, 5, 2, tzinfo=dt.UTC)

WORK_FORMS = {"progress", "verify", "milestone", "milestone_met", "indicator", "indicator_value"}
YEAR_SCORED = (
    "The 2026 evaluation of Dinas PUPR was recorded on 5 Jan 2027: the progress, milestones and indicators of its "
    "activities can no longer change, or they would no longer match it."
)
ACTIVITY_SCORED = (
    "This activity is already evaluated: its progress, milestones and indicators can no longer change, or they "
    "would no longer match its evaluation."
)


@pytest.fixture
def with_work(budgeted_activity, head_pupr, planner, time_machine):
    """The 2026 drainage work in November: 80% reported (not verified), a milestone pending, an indicator."""
    time_machine.move_to(NOV_20)
    activity = budgeted_activity
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 11, 1), physical_pct=80)
    actions.add_milestone(actor=planner, activity=activity, name="Galian selesai", due_date=dt.date(2026, 10, 31))
    actions.add_indicator(
        actor=planner,
        activity=activity,
        level="output",
        description="Saluran dinormalisasi",
        unit="m",
        baseline=0,
        target=1000,
        direction="increase",
    )
    activity.refresh_from_db()
    return activity


def refusal(call) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)


def work_changes(activity, *, head, planner, inspector):
    """Each change of the scored work, as the head, the planner and the inspector would make it."""
    milestone, indicator = activity.milestones.get(), activity.indicators.get()
    report = activity.progress_reports.get(month=dt.date(2026, 11, 1))
    return {
        "milestone met": lambda: actions.mark_milestone(actor=head, milestone=milestone, met_on=dt.date(2026, 10, 30)),
        "indicator value": lambda: actions.record_indicator_value(
            actor=planner, indicator=indicator, period=dt.date(2026, 12, 31), value=1000
        ),
        "progress": lambda: actions.report_progress(
            actor=head, activity=activity, month=dt.date(2026, 12, 1), physical_pct=100
        ),
        "verified": lambda: actions.verify_progress(actor=inspector, report=report),
        "new milestone": lambda: actions.add_milestone(
            actor=planner, activity=activity, name="Serah terima", due_date=dt.date(2026, 12, 15)
        ),
    }


def assert_unchanged(activity):
    assert Milestone.objects.get(activity=activity).status == "pending"
    assert not IndicatorValue.objects.filter(indicator__activity=activity).exists()
    assert list(ProgressReport.objects.filter(activity=activity).values_list("month", "verified_at")) == [
        (dt.date(2026, 11, 1), None)
    ]


def test_the_work_of_a_department_year_evaluated_stays_as_scored(
    with_work, head_pupr, planner, inspector, client, time_machine
):
    """PUPR's year recorded in January over work still open (before that was refused): its scores stay."""
    time_machine.move_to(JAN_5)
    Evaluation.objects.create(
        fiscal_year=with_work.fiscal_year,
        department=with_work.department,
        evaluator=inspector,
        findings="Serapan 60%.",
        **queries.department_scores(fiscal_year=with_work.fiscal_year, department=with_work.department),
    )
    changes = work_changes(with_work, head=head_pupr, planner=planner, inspector=inspector)
    for name, change in changes.items():
        assert refusal(change) == YEAR_SCORED, name
    assert_unchanged(with_work)
    assert with_work.milestones.count() == 1
    for user in (head_pupr, planner, inspector):
        assert not WORK_FORMS & actions.allowed_activity_actions(user, with_work), user

    # The form says it too, and so does the REST API's verify.
    client.force_login(head_pupr)
    with translation.override("en"):
        response = client.post(
            reverse("planning:activity_action", args=[with_work.pk, "milestone_met"]),
            {"milestone_met-milestone": with_work.milestones.get().pk, "milestone_met-met_on": "2026-10-30"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400 and YEAR_SCORED in response.context["error"]
    api = APIClient()
    api.force_authenticate(inspector)
    report = with_work.progress_reports.get()
    verified = api.post(f"/api/v1/planning/progress-reports/{report.pk}/verify/", HTTP_ACCEPT_LANGUAGE="en")
    assert verified.status_code == 400 and YEAR_SCORED in verified.content.decode(), verified.content
    assert_unchanged(with_work)


def test_the_work_of_an_evaluated_activity_stays_as_scored(
    with_work, head_pupr, planner, inspector, finance, time_machine
):
    time_machine.move_to(DEC_28)
    actions.record_realisation(
        actor=finance, activity=with_work, date=dt.date(2026, 12, 1), amount=1_400_000_000, document_number="1"
    )
    actions.report_progress(actor=head_pupr, activity=with_work, month=dt.date(2026, 12, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=with_work, completed_on=dt.date(2026, 12, 20))
    actions.evaluate_activity(actor=inspector, activity=with_work, findings="Selesai.", recommendations="-")
    with_work.refresh_from_db()
    assert with_work.stage == "evaluated"
    december = with_work.progress_reports.get(month=dt.date(2026, 12, 1))
    changes = work_changes(with_work, head=head_pupr, planner=planner, inspector=inspector)
    changes["progress"] = lambda: actions.report_progress(
        actor=head_pupr, activity=with_work, month=dt.date(2026, 12, 1), physical_pct=90, problems="Koreksi"
    )
    changes["verified"] = lambda: actions.verify_progress(actor=inspector, report=december)
    del changes["new milestone"]  # refused as completed work, already before
    for name, change in changes.items():
        assert refusal(change) == ACTIVITY_SCORED, name
    assert Milestone.objects.get(activity=with_work).status == "pending"
    assert not IndicatorValue.objects.filter(indicator__activity=with_work).exists()
    assert not ProgressReport.objects.filter(activity=with_work, verified_at__isnull=False).exists()
    assert with_work.progress_reports.get(month=dt.date(2026, 12, 1)).physical_pct == 100
    for user in (head_pupr, planner, inspector):
        assert not WORK_FORMS & actions.allowed_activity_actions(user, with_work), user

    api = APIClient()
    api.force_authenticate(head_pupr)
    again = api.post(
        "/api/v1/planning/progress-reports/",
        {"activity": with_work.pk, "month": "2026-12-01", "physical_pct": "90.00", "problems": "Koreksi"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 400 and ACTIVITY_SCORED in again.content.decode(), again.content


def test_the_work_before_an_evaluation_still_changes(with_work, head_pupr, planner, inspector, time_machine):
    time_machine.move_to(DEC_28)
    for change in work_changes(with_work, head=head_pupr, planner=planner, inspector=inspector).values():
        change()
    assert Milestone.objects.get(activity=with_work, name="Galian selesai").status == "met"
    assert with_work.progress_reports.get(month=dt.date(2026, 11, 1)).verified_at is not None


def test_a_lapsed_activity_says_its_year_is_closed_for_its_milestones(with_work, head_pupr, time_machine):
    time_machine.move_to(JAN_5)
    actions.close_year(actor=head_pupr, activity=with_work, outcome="lapsed", reason="Kontrak diputus.")
    milestone = with_work.milestones.get()
    message = refusal(
        lambda: actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 10, 30))
    )
    assert message == "The year of this activity is closed (Not finished): nothing more can be recorded on it."
