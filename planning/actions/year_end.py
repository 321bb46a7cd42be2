"""The year's end of unfinished work: an activity still planned, budgeted or in execution is closed either as lapsed
(the work stops) or carried over (kegiatan lanjutan: it continues in the next fiscal year, in the activity of the same
code when the next year's plan already has one, else in a new one).

An activity stays within one fiscal year (``Activity.date_errors``): the budget of a year pays for that year's work.
Carrying over does not move money: what was budgeted and realised stays in the old year's accounts, and a new
activity starts planned, to be budgeted from the next year's APBD by the usual gates (an existing one keeps its own
budget, dates and stage).

Who: the head of the activity's department, or a planner (Bappeda). When: from the first day of the month in which
the fiscal year's execution ends (December for a calendar year), not only after it: the continuation has to be in
the next year's plan, and lapsed work known, while the city prepares the next year's DPA in December, not after the
year has already started without it. The last payments and progress of the year should be recorded first: once
closed, the old activity takes no more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


def left_open(activity: Activity, on: dt.date | None = None, *, fiscal_year: FiscalYear | None = None) -> bool:
    """Its fiscal year's execution has ended (by ``on``, today in Banjarmasin, WITA) while the work is neither
    completed nor closed at the year's end: the activity and department pages say so, as nothing else did.
    ``fiscal_year``, the activity's, saves a query per activity on a page listing the year."""
    if activity.stage not in BEFORE_COMPLETION:
        return False
    return (fiscal_year or activity.fiscal_year).is_over(on or queries.today())


def left_open_by_stage(fiscal_year: FiscalYear, stage_counts, on: dt.date | None = None) -> list[tuple]:
    """``left_open`` over a whole year, from its stage counts (``queries.stage_counts``: (stage, label, n)): the
    stages still holding work after the year's execution ended, for the planner's board."""
    if not fiscal_year.is_over(on or queries.today()):
        return []
    return [(stage, label, n) for stage, label, n in stage_counts if n and stage in BEFORE_COMPLETION]


@dataclass(frozen=True)
class CarryOver:
    """Where carrying ``activity`` over would take the work, as the year-end card shows it before the user submits
    and as the action decides: ``next_year`` (None while it is not set up), the activity of that year that already
    holds the same code (``into``; the APBD import brings next year's plan with this year's codes), and why the
    work cannot be carried over into it (``refusal``, empty when it can)."""

    next_year: FiscalYear | None
    into: Activity | None = None
    refusal: str = ""

    @property
    def creates(self) -> bool:
        """A new planned activity of the next year continues the work."""
        return self.next_year is not None and self.into is None


def carry_over_target(activity: Activity, *, lock: bool = False) -> CarryOver:
    """Where carrying ``activity`` over would take the work (``CarryOver``). Budget codes repeat every year, so the
    next year often holds an activity with the same code: the work continues into it when it is the same
    department's, not yet completed and not already the continuation of another activity."""
    next_year = FiscalYear.objects.filter(year=activity.fiscal_year.year + 1).first()
    if next_year is None:
        return CarryOver(next_year=None)
    same_code = Activity.objects.filter(fiscal_year=next_year, code=activity.code)
    if lock:
        same_code = same_code.select_for_update(of=("self",))
    into = same_code.select_related("department", "carried_over_from__fiscal_year").first()
    if into is None:
        return CarryOver(next_year=next_year)
    names = {"code": into.code, "name": into.name, "year": next_year.year}
    refusal = ""
    if into.department_id != activity.department_id:
        refusal = _(
            "Activity %(code)s %(name)s of %(year)s has the same code but belongs to %(department)s: the work "
            "cannot continue in it. Ask a planner to check the %(year)s plan."
        ) % (names | {"department": into.department})
    elif into.stage not in BEFORE_COMPLETION:
        refusal = _(
            "Activity %(code)s %(name)s of %(year)s has the same code but its stage is %(stage)s: the work can "
            "continue only in an activity still planned, budgeted or in execution. Ask a planner to check the "
            "%(year)s plan."
        ) % (names | {"stage": into.get_stage_display()})
    elif into.carried_over_from_id is not None:
        refusal = _(
            "Activity %(code)s %(name)s of %(year)s has the same code but already continues the work of "
            "%(other)s (fiscal year %(other_year)s): the work cannot continue in it. Ask a planner to check the "
            "%(year)s plan."
        ) % (names | {"other": into.carried_over_from, "other_year": into.carried_over_from.fiscal_year.year})
    return CarryOver(next_year=next_year, into=into, refusal=refusal)


def _next_programme(activity: Activity, next_year: FiscalYear) -> Programme | None:
    """The programme of ``next_year`` with the code of ``activity``'s programme, created when that year has none
    yet: programme codes repeat every year like activity codes, and a continuation without its programme dropped
    out of the programme's totals."""
    if not activity.programme_id:
        return None
    old = activity.programme
    programme, _created = Programme.objects.get_or_create(
        fiscal_year=next_year, code=old.code, defaults={"name": old.name, "department_id": old.department_id}
    )
    return programme


def _carried_over_note(activity: Activity) -> str:
    return (_("Carried over from fiscal year %(year)s.") % {"year": activity.fiscal_year.year})[:REASON_LENGTH]


def _continuation(*, actor, activity: Activity, start_date, end_date) -> Activity:
    """The activity of the next fiscal year that continues ``activity``: the one that already holds its code (see
    ``_continue_into``), else a new one. What describes the work is copied (name, code, department, programme of
    the same code, created if the next year lacks it, place, services, linked reports, indicators from their last
    measured value, partners); money, payments, progress, milestones (dated in the old year) and stage history are
    not."""
    target = carry_over_target(activity, lock=True)
    if target.next_year is None:
        year = activity.fiscal_year.year + 1
        raise ValidationError(
            _(
                "Fiscal year %(year)s is not set up yet: an administrator adds it under Planning and budget › "
                "Fiscal years in the administration before work can be carried over into it."
            )
            % {"year": year},
            code="fiscal_year",
        )
    if target.refusal:
        raise ValidationError(target.refusal, code="code")
    if target.into is not None:
        return _continue_into(actor=actor, activity=activity, into=target.into)
    next_year = target.next_year
    errors = {}
    if start_date is None:
        errors["start_date"] = _("Give the start date of the work in %(year)s.") % {"year": next_year.year}
    if end_date is None:
        errors["end_date"] = _("Give the end date of the work in %(year)s.") % {"year": next_year.year}
    errors = errors or Activity.date_errors(next_year.year, start_date, end_date)
    if errors:
        raise ValidationError(errors, code="date")
    continuation = Activity.objects.create(
        fiscal_year=next_year,
        programme=_next_programme(activity, next_year),
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
    _copy_links(actor=actor, activity=activity, continuation=continuation)
    _copy_indicators(activity=activity, continuation=continuation)
    Partner.objects.bulk_create(
        [
            Partner(activity=continuation, name=p.name, role=p.role, contribution=p.contribution)
            for p in activity.partners.all()
        ]
    )
    StageChange.objects.create(
        activity=continuation, from_stage="", to_stage=Stage.PLANNED, actor=actor, note=_carried_over_note(activity)
    )
    return continuation


def _continue_into(*, actor, activity: Activity, into: Activity) -> Activity:
    """Make ``into``, the next year's activity of the same code (planned from the next APBD), the continuation of
    ``activity``. It keeps what is its own (name, money, dates, stage, programme, and its indicators when it has
    any: the next year's targets were set for it) and gains what describes the unfinished work: the linked
    reports, kelurahans and services (added), the partners it lacks, and the indicators, from their last measured
    value, only when it has none."""
    into.carried_over_from = activity
    into.save(update_fields=["carried_over_from"])
    into.kelurahans.add(*activity.kelurahans.all())
    into.services.add(*activity.services.all())
    _copy_links(actor=actor, activity=activity, continuation=into)
    if not into.indicators.exists():
        _copy_indicators(activity=activity, continuation=into)
    has = {(p.name.strip().casefold(), p.role) for p in into.partners.all()}
    Partner.objects.bulk_create(
        [
            Partner(activity=into, name=p.name, role=p.role, contribution=p.contribution)
            for p in activity.partners.all()
            if (p.name.strip().casefold(), p.role) not in has
        ]
    )
    # Its stage does not change; the history still says when and by whom the work came in.
    StageChange.objects.create(
        activity=into, from_stage=into.stage, to_stage=into.stage, actor=actor, note=_carried_over_note(activity)
    )
    return into


def _copy_links(*, actor, activity: Activity, continuation: Activity) -> None:
    """The reports linked to ``activity`` become evidence of its continuation too (those it has stay once)."""
    ActivityTicket.objects.bulk_create(
        [
            ActivityTicket(activity=continuation, ticket_id=link.ticket_id, added_by=actor)
            for link in activity.ticket_links.all()
        ],
        ignore_conflicts=True,
    )


def _copy_indicators(*, activity: Activity, continuation: Activity) -> None:
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
    (it continues in the next fiscal year, linked by ``carried_over_from``: in the activity of the same code when
    that year has one, which keeps its own dates, else in a new planned activity from ``start_date`` to
    ``end_date``). The reason is required and kept on the stage change; the linked reports' followers are
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
        _continuation(actor=actor, activity=activity, start_date=start_date, end_date=end_date)
    _move(activity, outcome, actor, reason[:REASON_LENGTH])
    # Its milestones still pending were not met in the activity's year: missed, so the board and the department's page
    # stop listing them as overdue (timeliness counts them the same either way).
    activity.milestones.filter(status=Milestone.Status.PENDING).update(status=Milestone.Status.MISSED)
    _tell_followers(activity, outcome, actor)
    return activity
