"""Evaluation of activities and of a department's year, and which forms a user is offered."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import FINANCE, INSPECTOR, PLANNER, has_role

from .. import queries
from ..models import (
    UNFINISHED_STAGES,
    Activity,
    Evaluation,
    Stage,
)
from .base import (
    _locked,
    _move,
    _require_role,
    _require_stage,
    _tell_followers,
    is_head_of,
)
from .execution import EXECUTABLE
from .year_end import may_close_year, year_end_open


def _evaluable(activity: Activity) -> bool:
    """Completed, or closed unfinished at the year's end and not evaluated yet (its stage stays what happened)."""
    if activity.stage == Stage.COMPLETED:
        return True
    return activity.stage in UNFINISHED_STAGES and not activity.evaluations.exists()


@transaction.atomic
def evaluate_activity(*, actor, activity: Activity, findings: str, recommendations: str) -> Evaluation:
    """Inspectors or planners evaluate a completed activity, or one closed unfinished at the year's end (lapsed or
    carried over): the scores are computed (``queries.activity_scores``: without indicators only verified physical
    progress counts), the words are theirs; followers of the linked reports are told the grade. A completed activity
    moves to evaluated; a lapsed or carried-over one keeps its stage, which says what happened to the work (it was
    not done: the dashboards count evaluated activities as work done), and is evaluated once."""
    _require_role(actor, INSPECTOR, PLANNER, message=_("Only inspectors or planners may evaluate."))
    activity = _locked(activity)
    _require_stage(
        activity,
        Stage.COMPLETED,
        *UNFINISHED_STAGES,
        message=_(
            "An activity is evaluated only after it is completed, or after its year is closed with the work unfinished."
        ),
    )
    if not _evaluable(activity):
        raise ValidationError(_("This activity is already evaluated."), code="stage")
    scores = queries.activity_scores(activity)
    evaluation = Evaluation.objects.create(
        fiscal_year=activity.fiscal_year,
        activity=activity,
        department=activity.department,
        findings=findings,
        recommendations=recommendations,
        evaluator=actor,
        **scores,
    )
    if activity.stage == Stage.COMPLETED:
        _move(activity, Stage.EVALUATED, actor)
    # Like budgeting, completion and the year's close: the citizens whose reports it answers hear the grade.
    _tell_followers(activity, Stage.EVALUATED, actor, grade=evaluation.grade)
    return evaluation


@transaction.atomic
def evaluate_department_year(*, actor, fiscal_year, department, findings: str, recommendations: str) -> Evaluation:
    """The year's evaluation of a department across its activities (budget-weighted)."""
    _require_role(actor, INSPECTOR, PLANNER, message=_("Only inspectors or planners may evaluate."))
    activities = list(Activity.objects.filter(fiscal_year=fiscal_year, department=department))
    if not activities:
        raise ValidationError(_("This department has no activities in this year."))
    scores = queries.department_scores(fiscal_year=fiscal_year, department=department)
    return Evaluation.objects.create(
        fiscal_year=fiscal_year,
        activity=None,
        department=department,
        findings=findings,
        recommendations=recommendations,
        evaluator=actor,
        **scores,
    )


def allowed_activity_actions(user, activity: Activity) -> set[str]:
    """Which forms the activity page offers this user now (the actions still check everything)."""
    planner, finance = has_role(user, PLANNER), has_role(user, FINANCE)
    evaluator = has_role(user, INSPECTOR, PLANNER)
    head = is_head_of(user, activity.department_id)
    stage = activity.stage
    open_stage = stage not in (Stage.COMPLETED, Stage.EVALUATED, *UNFINISHED_STAGES)
    allowed = set()
    if finance and stage == Stage.PLANNED:
        allowed |= {"ceiling", "approve_budget"}
    if finance and stage in EXECUTABLE:
        allowed.add("revise")
    if (head or finance) and stage in EXECUTABLE:
        allowed.add("realisation")
    if head and stage in EXECUTABLE:
        allowed.add("progress")
    if head and stage == Stage.IN_EXECUTION:
        allowed.add("complete")
    if evaluator and _evaluable(activity):
        allowed.add("evaluate")
    if year_end_open(activity) and may_close_year(user, activity):
        allowed.add("close_year")
    if evaluator:
        allowed.add("verify")
    if (planner or head) and open_stage:
        allowed.add("milestone")
    if head:
        allowed.add("milestone_met")
    if planner and open_stage:
        allowed |= {"indicator", "partner"}
    if (planner or head) and stage != Stage.EVALUATED:
        allowed.add("indicator_value")
    return allowed
