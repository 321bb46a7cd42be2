"""Evaluation of activities and of a department's year, and which forms a user is offered."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import FINANCE, INSPECTOR, PLANNER, has_role

from .. import queries
from ..models import (
    BEFORE_COMPLETION,
    UNFINISHED_STAGES,
    Activity,
    Evaluation,
    IndicatorValue,
    Stage,
)
from .base import (
    _locked,
    _move,
    _require_role,
    _require_stage,
    _tell_followers,
    evaluated_reason,
    is_head_of,
    recorded_on,
    year_evaluation,
)
from .budget import revision_refused
from .execution import EXECUTABLE, IN_WORK, check_work_open
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
    not done: the dashboards count evaluated activities as work done), and is evaluated once. Linked reports still
    open do not stop it; the evaluation returned names them (``open_reports``), for the page to warn."""
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
    evaluation.open_reports = queries.open_linked_reports(activity, user=actor)
    return evaluation


@transaction.atomic
def verify_indicator_value(*, actor, value: IndicatorValue) -> IndicatorValue:
    """A planner or inspector verifies an indicator value as recorded (the department's or a planner's figure): it
    counts in the achievement score either way (the formula is unchanged), but the evaluate card names the values
    nobody checked. Under the activity's lock, as the evaluations take it."""
    _require_role(actor, PLANNER, INSPECTOR, message=_("Only planners or inspectors may verify indicator values."))
    check_work_open(_locked(value.indicator.activity))
    value = IndicatorValue.objects.select_for_update().get(pk=value.pk)
    if value.verified_at:
        raise ValidationError(_("This value is already verified."))
    value.verified_by, value.verified_at = actor, timezone.now()
    value.save(update_fields=["verified_by", "verified_at"])
    return value


def _recorded_day(moment):
    return timezone.localtime(moment).date() if moment else None


def evidence_to_check(milestones: list, indicators: list) -> dict:
    """What the score would count that nobody vouches for (the score's formula is unchanged), for the activity page:

    - each of ``milestones`` marked ``added_late`` when it was typed after its due date, and ``met_late`` when it
      counts as met on time but was recorded met only after its due date (``due_date`` and ``met_on`` are typed: a
      milestone added on 8 December, due 31 March and met "28 March" scored 100% timeliness). Days in WITA.
      ``late_milestones``: those of them the timeliness score counts as met on time.
    - ``unverified_values``: the indicator values the achievement score counts (each of ``indicators``' latest,
      ``queries.indicators_with_actuals``) that no planner or inspector verified, each with its ``indicator``."""
    late = []
    for milestone in milestones:
        on_time = milestone.met_on is not None and milestone.met_on <= milestone.due_date
        added, met = _recorded_day(milestone.recorded_at), _recorded_day(milestone.met_recorded_at)
        milestone.added_late = added is not None and added > milestone.due_date
        milestone.met_late = on_time and met is not None and met > milestone.due_date
        if on_time and (milestone.added_late or milestone.met_late):
            late.append(milestone)
    unverified = []
    for indicator in indicators:
        values = list(indicator.values.all())
        if values and values[-1].verified_at is None:
            values[-1].indicator = indicator
            unverified.append(values[-1])
    return {"late_milestones": late, "unverified_values": unverified}


def department_year_refusal(*, fiscal_year, department, activities=None) -> list[tuple[str, Activity | None]]:
    """Why the department's year cannot be evaluated now, each reason with the activity it names (empty when it
    can). An inspectorate scores a finished year: its execution is over, its evaluation not recorded yet, and every
    activity done and evaluated: completed or closed at the year's end, then evaluated. A year scored over work still
    open was scored on figures that still moved (a payment of Rp 500 jt dated 30 December, recorded in January,
    changed PUPR's absorption after its evaluation). The page lists these on the card; the action refuses with
    them."""
    if activities is None:
        activities = Activity.objects.filter(fiscal_year=fiscal_year, department=department)
    recorded = year_evaluation(fiscal_year.pk, department.pk)
    if recorded is not None:
        return [
            (
                _("The %(year)s evaluation of %(department)s is already recorded (%(day)s).")
                % {
                    "year": fiscal_year.year,
                    "department": department.short_name,
                    "day": recorded_on(recorded.created_at),
                },
                None,
            )
        ]
    reasons = []
    if not fiscal_year.is_over(queries.today()):
        reasons.append(
            (
                _("The year is evaluated once its execution has ended (%(day)s).")
                % {"day": date_format(fiscal_year.execution_end)},
                None,
            )
        )
    evaluated = set(Evaluation.objects.filter(activity__in=activities).values_list("activity_id", flat=True).distinct())
    for activity in sorted(activities, key=lambda a: a.code):
        names = {"code": activity.code, "name": activity.name, "stage": activity.get_stage_display()}
        if activity.stage in BEFORE_COMPLETION:
            text = _("%(code)s %(name)s is still open (%(stage)s): complete it or close its year.") % names
        elif activity.stage != Stage.EVALUATED and activity.pk not in evaluated:
            text = _("%(code)s %(name)s is not evaluated yet (%(stage)s).") % names
        else:
            continue
        reasons.append((text, activity))
    return reasons


@transaction.atomic
def evaluate_department_year(*, actor, fiscal_year, department, findings: str, recommendations: str) -> Evaluation:
    """The year's evaluation of a department across its activities (budget-weighted), once the year can be
    evaluated (``department_year_refusal``): recorded once, after which its activities' money no longer changes."""
    _require_role(actor, INSPECTOR, PLANNER, message=_("Only inspectors or planners may evaluate."))
    # Locked: a payment or revision waiting on one of these rows sees the evaluation once it is recorded, and is
    # refused (``base.evaluated_reason``), instead of changing the figures just scored.
    activities = list(
        Activity.objects.select_for_update().filter(fiscal_year=fiscal_year, department=department).order_by("pk")
    )
    if not activities:
        raise ValidationError(_("This department has no activities in this year."))
    refusal = department_year_refusal(fiscal_year=fiscal_year, department=department, activities=activities)
    if refusal:
        raise ValidationError([text for text, _activity in refusal], code="stage")
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
    # Evaluated, or its department's year is: its money and its work are as they were scored. One query, only for
    # those offered a form it closes.
    scored = (head or finance or evaluator) and bool(evaluated_reason(activity))
    allowed = set()
    if finance and stage == Stage.PLANNED:
        allowed |= {"ceiling", "approve_budget"}
    if finance and not revision_refused(activity):
        allowed.add("revise")
    # Money stops with an evaluation (of the activity or its department's year); progress with completion.
    if (head or finance) and stage in EXECUTABLE and not scored:
        allowed.add("realisation")
    if head and stage in IN_WORK and not scored:
        allowed.add("progress")
    if head and stage == Stage.IN_EXECUTION:
        allowed.add("complete")
    if evaluator and _evaluable(activity):
        allowed.add("evaluate")
    if year_end_open(activity) and may_close_year(user, activity):
        allowed.add("close_year")
    # Progress, milestones and indicators make the timeliness and achievement scores.
    if evaluator and not scored:
        allowed |= {"verify", "verify_value"}
    if (planner or head) and open_stage and not scored:
        allowed.add("milestone")
    if head and stage not in UNFINISHED_STAGES and not scored:
        allowed.add("milestone_met")
    # An activity accepted without a programme is filed under one until it is evaluated.
    if planner and activity.programme_id is None and not scored:
        allowed.add("programme")
    if planner and open_stage:
        allowed.add("partner")
        if not scored:
            allowed.add("indicator")
    if (planner or head) and not scored:
        allowed.add("indicator_value")
    return allowed
