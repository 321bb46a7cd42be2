"""The year's end of unfinished work: an activity still planned, budgeted or in execution is closed either as lapsed
(the work stops) or carried over (kegiatan lanjutan: it continues as a new activity of the next fiscal year).

An activity stays within one fiscal year (``Activity.date_errors``): the budget of a year pays for that year's work.
Carrying over does not move money: what was budgeted and realised stays in the old year's accounts, and the new
activity starts planned, to be budgeted from the next year's APBD by the usual gates.

Who: the head of the activity's department, or a planner (Bappeda). When: from the first day of the month in which
the fiscal year's execution ends (December for a calendar year), not only after it: the continuation has to be in
the next year's plan, and lapsed work known, while the city prepares the next year's DPA in December, not after the
year has already started without it. The last payments and progress of the year should be recorded first: once
closed, the old activity takes no more.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import PLANNER, has_role

from .. import queries
from ..models import (
    BEFORE_COMPLETION,
    Activity,
    ActivityTicket,
    FiscalYear,
    Indicator,
    Milestone,
    Partner,
    Programme,
    Stage,
    StageChange,
)
from .base import _locked, _move, _require_stage, _tell_followers, is_head_of

OUTCOMES = (Stage.LAPSED, Stage.CARRIED_OVER)
REASON_LENGTH = 500  # StageChange.note


def may_close_year(user, activity: Activity) -> bool:
    """The head of the activity's department or a planner."""
    return is_head_of(user, activity.department_id) or has_role(user, PLANNER)


def year_end_opens(activity: Activity) -> dt.date:
    """The first day an activity's year may be closed: the first of the month its fiscal year's execution ends."""
    return activity.fiscal_year.execution_end.replace(day=1)


def year_end_open(activity: Activity, on: dt.date | None = None) -> bool:
    """Whether the page offers closing the year now (the action checks everything again)."""
    return activity.stage in BEFORE_COMPLETION and (on or queries.today()) >= year_end_opens(activity)


def _next_fiscal_year(activity: Activity) -> FiscalYear:
    year = activity.fiscal_year.year + 1
    next_year = FiscalYear.objects.filter(year=year).first()
    if next_year is None:
        raise ValidationError(
            _(
                "Fiscal year %(year)s is not set up yet: an administrator adds it under Planning and budget › "
                "Fiscal years in the administration before work can be carried over into it."
            )
            % {"year": year},
            code="fiscal_year",
        )
    return next_year


def _continuation(*, actor, activity: Activity, next_year: FiscalYear, start_date, end_date) -> Activity:
    """The new activity of ``next_year`` that continues ``activity``: what describes the work is copied (name,
    code, department, programme of the same code, place, services, linked reports, indicators from their last
    measured value, partners); money, payments, progress, milestones (dated in the old year) and stage history are
    not."""
    errors = {}
    if start_date is None:
        errors["start_date"] = _("Give the start date of the work in %(year)s.") % {"year": next_year.year}
    if end_date is None:
        errors["end_date"] = _("Give the end date of the work in %(year)s.") % {"year": next_year.year}
    errors = errors or Activity.date_errors(next_year.year, start_date, end_date)
    if errors:
        raise ValidationError(errors, code="date")
    if Activity.objects.filter(fiscal_year=next_year, code=activity.code).exists():
        raise ValidationError(
            _(
                "Fiscal year %(year)s already has an activity with the code %(code)s: the work cannot be carried "
                "over under it. Ask a planner to check the %(year)s plan."
            )
            % {"year": next_year.year, "code": activity.code},
            code="code",
        )
    programme = None
    if activity.programme_id:
        programme = Programme.objects.filter(fiscal_year=next_year, code=activity.programme.code).first()
    continuation = Activity.objects.create(
        fiscal_year=next_year,
        programme=programme,
        code=activity.code,
        name=activity.name,
        department=activity.department,
        lat=activity.lat,
        lng=activity.lng,
        description=activity.description,
        start_date=start_date,
        end_date=end_date,
        stage=Stage.PLANNED,
        carried_over_from=activity,
    )
    continuation.kelurahans.set(activity.kelurahans.all())
    continuation.services.set(activity.services.all())
    ActivityTicket.objects.bulk_create(
        [
            ActivityTicket(activity=continuation, ticket_id=link.ticket_id, added_by=actor)
            for link in activity.ticket_links.all()
        ]
    )
    # The continuation starts where the old year left the work: an indicator's last measured value is its new
    # baseline. Restarting from the old baseline would credit the next year's evaluation with this year's work.
    Indicator.objects.bulk_create(
        [
            Indicator(
                activity=continuation,
                level=indicator.level,
                description=indicator.description,
                unit=indicator.unit,
                baseline=indicator.baseline if indicator.actual is None else indicator.actual,
                target=indicator.target,
                direction=indicator.direction,
            )
            for indicator in queries.indicators_with_actuals(activity)
        ]
    )
    Partner.objects.bulk_create(
        [
            Partner(activity=continuation, name=p.name, role=p.role, contribution=p.contribution)
            for p in activity.partners.all()
        ]
    )
    StageChange.objects.create(
        activity=continuation,
        from_stage="",
        to_stage=Stage.PLANNED,
        actor=actor,
        note=(_("Carried over from fiscal year %(year)s.") % {"year": activity.fiscal_year.year})[:REASON_LENGTH],
    )
    return continuation


@transaction.atomic
def close_year(
    *,
    actor,
    activity: Activity,
    outcome: str,
    reason: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Activity:
    """Close an unfinished activity at its year's end: ``outcome`` ``lapsed`` (the work stops) or ``carried_over``
    (it continues in the next fiscal year, from ``start_date`` to ``end_date``, as a new planned activity linked by
    ``carried_over_from``). The reason is required and kept on the stage change; the linked reports' followers are
    told. Returns the activity closed (its ``continuation`` when carried over)."""
    if not may_close_year(actor, activity):
        raise PermissionDenied(
            _("Only the head of %(department)s or a planner may close the year of this activity.")
            % {"department": activity.department}
        )
    activity = _locked(activity)
    _require_stage(
        activity,
        *BEFORE_COMPLETION,
        message=_("Only an activity that is planned, budgeted or in execution can be closed unfinished."),
    )
    opens = year_end_opens(activity)
    if queries.today() < opens:
        raise ValidationError(
            _(
                "The year of an activity can be closed from %(day)s, in the last month of fiscal year %(year)s; "
                "until then report payments and progress as usual."
            )
            % {"day": date_format(opens), "year": activity.fiscal_year.year},
            code="date",
        )
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": _("Choose whether the work stops or continues next year.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the work did not finish in %(year)s.") % {"year": activity.fiscal_year.year}}
        )
    if outcome == Stage.CARRIED_OVER:
        next_year = _next_fiscal_year(activity)
        _continuation(actor=actor, activity=activity, next_year=next_year, start_date=start_date, end_date=end_date)
    _move(activity, outcome, actor, reason[:REASON_LENGTH])
    # Its milestones still pending were not met in the activity's year: missed, so the board and the department's page
    # stop listing them as overdue (timeliness counts them the same either way).
    activity.milestones.filter(status=Milestone.Status.PENDING).update(status=Milestone.Status.MISSED)
    _tell_followers(activity, outcome, actor)
    return activity
