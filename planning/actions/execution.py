"""Execution: realisation, monthly progress, milestones, indicators, completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import FINANCE, INSPECTOR, PLANNER, has_role

from .. import queries
from ..models import (
    BEFORE_COMPLETION,
    Activity,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Realisation,
    Stage,
)
from ..templatetags.money import pct as pct_text
from .base import (
    WORK,
    _locked,
    _money,
    _move,
    _require_head,
    _require_role,
    _require_stage,
    _tell_followers,
    check_activity_date,
    check_unchanged_since_seen,
    clean_photo,
    evaluated_reason,
    is_head_of,
    rupiah_text,
    year_closed_reason,
)
from .budget import revision_refused

# Where money may be recorded (the form, the import and the REST API): also once completed, as the retention or the
# last instalment is paid after the hand-over (PHO), dated within the fiscal year, until it is evaluated.
EXECUTABLE = (Stage.BUDGETED, Stage.IN_EXECUTION, Stage.COMPLETED)
# Where physical progress is reported: completion at 100% makes it final.
IN_WORK = (Stage.BUDGETED, Stage.IN_EXECUTION)


def not_executable_reason(activity: Activity, before_budget: str) -> str:
    """Why nothing can be recorded on ``activity`` now, each stage its own reason: its year closed unfinished, it is
    evaluated, or (progress) it is completed; ``before_budget`` only while it is planned (saying the budget was not
    approved when it was long ago misled finance)."""
    if activity.stage == Stage.EVALUATED:
        return evaluated_reason(activity)
    if activity.stage == Stage.COMPLETED:
        return _("The activity is completed: its physical progress is final.")
    return year_closed_reason(activity) or before_budget


def check_payable(activity: Activity) -> None:
    """A payment may be recorded on ``activity`` (its date is checked apart): budgeted, in execution or completed,
    and neither it nor its department's year evaluated (the recorded scores were computed from its payments)."""
    if activity.stage not in EXECUTABLE:
        reason = not_executable_reason(activity, _("Realisation is reported only once the budget is approved."))
        raise ValidationError(reason, code="stage")
    reason = evaluated_reason(activity)
    if reason:
        raise ValidationError(reason, code="stage")


def check_work_open(activity: Activity) -> None:
    """The work figures of ``activity`` (progress and its verification, milestones, indicators and their values) may
    still change: neither it nor its department's year is evaluated, whose timeliness and achievement scores were
    computed from them."""
    reason = evaluated_reason(activity, WORK)
    if reason:
        raise ValidationError(reason, code="stage")


def _over_budget_message(actor, activity: Activity, total, budget) -> str:
    """Why a payment above the budget is refused and what to do: finance approves a revision itself, the head asks
    finance; when the budget can no longer be revised (year over, evaluated) or raised (completed), why not."""
    amounts = {"total": rupiah_text(total), "budget": rupiah_text(budget)}
    refusal = revision_refused(activity)
    if refusal:
        return _(
            "This would bring realisation to %(total)s, above the current budget of %(budget)s, which can no longer "
            "be revised: %(why)s"
        ) % (amounts | {"why": refusal})
    if activity.stage == Stage.COMPLETED:
        # Completed work's revision only trims it (``budget.revise_budget``): asking for one would not help.
        return (
            _(
                "This would bring realisation to %(total)s, above the current budget of %(budget)s: the activity is "
                "completed, and a revision can only lower its budget."
            )
            % amounts
        )
    if has_role(actor, FINANCE):
        return (
            _(
                "This would bring realisation to %(total)s, above the current budget of %(budget)s; approve a budget "
                "revision first."
            )
            % amounts
        )
    return (
        _(
            "This would bring realisation to %(total)s, above the current budget of %(budget)s; "
            "ask finance for a budget revision first."
        )
        % amounts
    )


def add_realisation(
    *, actor, activity: Activity, date: dt.date, amount, document_number: str, description=""
) -> Realisation:
    """Check and write one realisation on a locked activity (shared by the form and the import)."""
    check_payable(activity)
    check_activity_date(activity, date, field="date")
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if not document_number.strip():
        raise ValidationError({"document_number": _("The payment document number is required.")})
    if Realisation.objects.filter(activity=activity, document_number__iexact=document_number.strip()).exists():
        raise ValidationError({"document_number": _("This payment document is already recorded.")})
    budget = queries.current_budget(activity)
    realised = queries.realised_total(activity)
    if realised + amount > budget:
        raise ValidationError({"amount": _over_budget_message(actor, activity, realised + amount, budget)})
    realisation = Realisation.objects.create(
        activity=activity,
        date=date,
        amount=amount,
        document_number=document_number.strip(),
        description=description,
        recorded_by=actor,
    )
    if activity.stage == Stage.BUDGETED:
        _move(activity, Stage.IN_EXECUTION, actor)
    return realisation


@transaction.atomic
def record_realisation(
    *, actor, activity: Activity, date: dt.date, amount, document_number: str, description=""
) -> Realisation:
    """The department head (or finance) reports money spent; never above the current budget."""
    _require_head(actor, activity, also=(FINANCE,))
    activity = _locked(activity)
    return add_realisation(
        actor=actor,
        activity=activity,
        date=date,
        amount=amount,
        document_number=document_number,
        description=description,
    )


def _require_reason_for_a_fall(activity: Activity, month: dt.date, pct: Decimal) -> None:
    """Work does not undo itself: progress lower than an earlier month's, or higher than a later month's (months
    reported out of order: December's 12.5% first, then November's 60%), is a correction or a setback, and the
    inspector verifying it (and the dashboards' headline, which shows the latest month) needs the reason. The report
    is not refused: the figure may be right and the other month the one to correct, and Problems says which."""
    reports = ProgressReport.objects.filter(activity=activity)
    earlier = reports.filter(month__lt=month).order_by("-month").first()
    if earlier is not None and pct < earlier.physical_pct:
        message = _("This is less than the %(pct)s reported for %(month)s: say in Problems why progress went down.")
        other = earlier
    else:
        later = reports.filter(month__gt=month).order_by("month").first()
        if later is None or pct <= later.physical_pct:
            return
        message = _(
            "This is more than the %(pct)s reported for %(month)s, a later month: say in Problems why progress "
            "went down after this month, or correct %(month)s."
        )
        other = later
    raise ValidationError(
        {"problems": message % {"pct": pct_text(other.physical_pct), "month": date_format(other.month, "F Y")}}
    )


@transaction.atomic
def report_progress(
    *, actor, activity: Activity, month: dt.date, physical_pct, problems: str = "", photos=()
) -> ProgressReport:
    """The department head reports physical progress for a month; a month can be corrected until verified."""
    _require_head(actor, activity)
    activity = _locked(activity)
    # Before the stage: an evaluated activity is told its progress is scored, not that its money is; and a
    # department's year evaluated over work still open (recorded before that was refused) keeps its figures.
    check_work_open(activity)
    reason = not_executable_reason(activity, _("Progress is reported only once the budget is approved."))
    _require_stage(activity, *IN_WORK, message=reason)
    try:
        pct = Decimal(str(physical_pct))
    except Exception:
        raise ValidationError({"physical_pct": _("Enter a percentage between 0 and 100.")})
    if not Decimal("0") <= pct <= Decimal("100"):
        raise ValidationError({"physical_pct": _("Enter a percentage between 0 and 100.")})
    month = month.replace(day=1)
    check_activity_date(activity, month, field="month")  # the current month may be reported, a later one not
    if not problems.strip():
        _require_reason_for_a_fall(activity, month, pct)
    report = ProgressReport.objects.filter(activity=activity, month=month).first()
    if report and report.verified_at:
        raise ValidationError(_("This month's report is already verified and cannot change."))
    if report:
        report.physical_pct, report.problems, report.reported_by = pct, problems, actor
        report.save(update_fields=["physical_pct", "problems", "reported_by"])
    else:
        report = ProgressReport.objects.create(
            activity=activity, month=month, physical_pct=pct, problems=problems, reported_by=actor
        )
    for photo in photos:
        ProgressPhoto.objects.create(report=report, image=clean_photo(photo))
    if activity.stage == Stage.BUDGETED:
        _move(activity, Stage.IN_EXECUTION, actor)
    return report


@transaction.atomic
def verify_progress(*, actor, report: ProgressReport, seen_pct: Decimal | None = None) -> ProgressReport:
    """A planner or inspector verifies a month's progress as reported. ``seen_pct``: the figure on the page they
    verified from; if the head corrected it since, nothing is verified and the refusal names the figure now."""
    _require_role(actor, PLANNER, INSPECTOR, message=_("Only planners or inspectors may verify progress."))
    # Under the activity's lock, as the evaluations take it: only verified progress counts towards an evaluation
    # without indicators, and verifying afterwards changed the score.
    check_work_open(_locked(report.activity))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.verified_at:
        raise ValidationError(_("This report is already verified."))
    check_unchanged_since_seen(
        seen_pct,
        report.physical_pct,
        _("This report was changed since the page was opened: it now reads %(current)s. Check it and verify again."),
        pct_text(report.physical_pct),
    )
    report.verified_by, report.verified_at = actor, timezone.now()
    report.save(update_fields=["verified_by", "verified_at"])
    return report


@transaction.atomic
def add_milestone(*, actor, activity: Activity, name: str, due_date: dt.date) -> Milestone:
    if not (has_role(actor, PLANNER) or is_head_of(actor, activity.department_id)):
        raise PermissionDenied(_("Only planners or the department head may add milestones."))
    if activity.stage not in BEFORE_COMPLETION:  # completed, evaluated, or its year closed unfinished
        raise ValidationError(_("A completed activity takes no new milestones."), code="stage")
    check_work_open(activity)  # a new milestone changes the timeliness score of a recorded year evaluation
    return Milestone.objects.create(
        activity=activity, name=name.strip(), due_date=due_date, recorded_by=actor, recorded_at=timezone.now()
    )


@transaction.atomic
def mark_milestone(*, actor, milestone: Milestone, met_on: dt.date | None) -> Milestone:
    """The department head records the date a milestone was met (or that it was missed: ``met_on=None``)."""
    _require_head(actor, milestone.activity)
    activity = _locked(milestone.activity)
    # Milestones feed the timeliness score: once the activity or its department's year is evaluated, or its year
    # closed, they are history.
    check_work_open(activity)
    if reason := year_closed_reason(activity):
        raise ValidationError(reason, code="stage")
    if met_on is not None:
        check_activity_date(milestone.activity, met_on, field="met_on", any_year=True, from_start=False)
    milestone.met_on = met_on
    milestone.status = Milestone.Status.MET if met_on else Milestone.Status.MISSED
    milestone.met_recorded_by, milestone.met_recorded_at = actor, timezone.now()
    milestone.save(update_fields=["met_on", "status", "met_recorded_by", "met_recorded_at"])
    return milestone


@transaction.atomic
def add_indicator(*, actor, activity: Activity, level, description, unit, baseline, target, direction) -> Indicator:
    _require_role(actor, PLANNER, message=_("Only planners may set indicators."))
    if activity.stage not in BEFORE_COMPLETION:
        raise ValidationError(_("Indicators are set before the activity is completed."), code="stage")
    check_work_open(activity)  # a new indicator changes the achievement score of a recorded year evaluation
    return Indicator.objects.create(
        activity=activity,
        level=level,
        description=description,
        unit=unit,
        baseline=Decimal(str(baseline)),
        target=Decimal(str(target)),
        direction=direction,
    )


@transaction.atomic
def record_indicator_value(*, actor, indicator: Indicator, period: dt.date, value) -> IndicatorValue:
    if not (has_role(actor, PLANNER) or is_head_of(actor, indicator.activity.department_id)):
        raise PermissionDenied(_("Only planners or the department head may record indicator values."))
    # An activity closed unfinished keeps its stage once evaluated: its evaluation, not its stage, says it is done.
    check_work_open(_locked(indicator.activity))
    item, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        period=period,
        # A value typed again is a new claim: whoever verified the old one did not check this one.
        defaults={
            "value": Decimal(str(value)),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
            "verified_by": None,
            "verified_at": None,
        },
    )
    return item


@transaction.atomic
def complete_activity(*, actor, activity: Activity, completed_on: dt.date, note: str = "") -> Activity:
    """The department head closes execution once physical progress reaches 100%, naming the day the work was
    finished (handed over), which may be after the fiscal year but not before the start nor in the future;
    followers are told. Reports linked to it that are still open do not stop it (the work may be done while a report
    elsewhere in its area is still handled), but the activity returned names them (``open_reports``), for the page
    to warn: completing the work does not answer them."""
    _require_head(actor, activity)
    activity = _locked(activity)
    _require_stage(activity, Stage.IN_EXECUTION, message=_("Only an activity in execution can be completed."))
    if queries.physical_progress(activity) < 100:
        raise ValidationError(_("Report 100% physical progress before completing the activity."), code="stage")
    check_activity_date(activity, completed_on, field="completed_on", any_year=True)
    activity.completed_on = completed_on
    activity.save(update_fields=["completed_on"])
    _move(activity, Stage.COMPLETED, actor, note)
    _tell_followers(activity, Stage.COMPLETED, actor)
    activity.open_reports = queries.open_linked_reports(activity, user=actor)
    return activity
