"""Evaluation of activities and of a department's year, and which forms a user is offered."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import FINANCE, INSPECTOR, PLANNER, has_role

from .. import queries
from ..models import (
    Activity,
    Evaluation,
    Stage,
)
from .base import (
    _locked,
    _move,
    _require_role,
    _require_stage,
    is_head_of,
)
from .execution import EXECUTABLE


@transaction.atomic
def evaluate_activity(*, actor, activity: Activity, findings: str, recommendations: str) -> Evaluation:
    """Inspectors or planners evaluate a completed activity: the scores are computed, the words are theirs."""
    _require_role(actor, INSPECTOR, PLANNER, message=_("Only inspectors or planners may evaluate."))
    activity = _locked(activity)
    _require_stage(activity, Stage.COMPLETED, message=_("An activity is evaluated only after it is completed."))
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
    _move(activity, Stage.EVALUATED, actor)
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
    open_stage = stage not in (Stage.COMPLETED, Stage.EVALUATED)
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
    if evaluator and stage == Stage.COMPLETED:
        allowed.add("evaluate")
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
