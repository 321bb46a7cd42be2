"""Shared checks of the planning actions: roles, stages, locks, money, photos, gates, followers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import has_role
from complaints import photos as photo_files
from complaints.actions.plan_updates import tell_followers_about_plan
from services.models import StaffMembership

from .. import queries
from ..models import (
    UNFINISHED_STAGES,
    Activity,
    Evaluation,
    Stage,
    StageChange,
)


def is_head_of(user, department_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    return StaffMembership.objects.filter(
        user=user, department_id=department_id, role=StaffMembership.Role.HEAD, active=True
    ).exists()


def is_member_of(user, department_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    return StaffMembership.objects.filter(user=user, department_id=department_id, active=True).exists()


def _require_role(user, *roles: str, message: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(message)


def _require_head(user, activity: Activity, *, also: tuple[str, ...] = ()) -> None:
    if is_head_of(user, activity.department_id) or (also and has_role(user, *also)):
        return
    raise PermissionDenied(
        _("Only the head of %(department)s may report on this activity.") % {"department": activity.department}
    )


def _require_stage(activity: Activity, *stages: str, message: str) -> None:
    if activity.stage not in stages:
        raise ValidationError(message, code="stage")


def _locked(activity: Activity) -> Activity:
    """Re-read the activity under a row lock so two gates never pass at once."""
    return Activity.objects.select_for_update().select_related("department").get(pk=activity.pk)


# Why a day before the activity's start is refused, by the field it was typed in: money paid, or progress reported,
# before the work starts made the public page say both "in execution, Rp 330 jt spent" and "not started yet".
BEFORE_START_MESSAGES = {
    "date": gettext_lazy("A payment cannot be dated before the activity starts (%(start)s)."),
    "month": gettext_lazy("Progress cannot be reported for a month before the activity starts (%(start)s)."),
    "completed_on": gettext_lazy("The activity cannot be completed before it starts (%(start)s)."),
}


def check_activity_date(
    activity: Activity, day: dt.date, *, field: str, any_year: bool = False, from_start: bool = True
) -> None:
    """A payment or a month's progress belongs to the activity's fiscal year (unless ``any_year``: a milestone may
    be met, or the work handed over, after the year's end), not before the activity starts (unless not
    ``from_start``: a milestone such as the tender may be met before the work starts; a month is compared by its
    month, so the month of the start may be reported) and has already happened, by today's date in Banjarmasin
    (WITA): a typo such as 2027 for 2026 must not slip into the year's realised total. The form, the import and the
    REST API all pass through here."""
    year = activity.fiscal_year.year
    if not any_year and day.year != year:
        raise ValidationError(
            {field: _("The date must fall within the fiscal year %(year)s.") % {"year": year}}, code="date"
        )
    start = activity.start_date
    if from_start and day < (start.replace(day=1) if field == "month" else start):
        message = BEFORE_START_MESSAGES.get(field, BEFORE_START_MESSAGES["date"])
        raise ValidationError({field: message % {"start": date_format(start)}}, code="date")
    today = queries.today()
    if day > today:
        raise ValidationError(
            {field: _("The date cannot be later than today (%(today)s).") % {"today": date_format(today)}},
            code="date",
        )


def year_closed_reason(activity: Activity) -> str:
    """Why nothing more is recorded on an activity whose year was closed unfinished ('' when it was not): the budget
    was approved, and saying it was not misled finance."""
    if activity.stage not in UNFINISHED_STAGES:
        return ""
    return _("The year of this activity is closed (%(stage)s): nothing more can be recorded on it.") % {
        "stage": activity.get_stage_display()
    }


def year_evaluation(fiscal_year_id: int, department_id: int) -> Evaluation | None:
    """The department's recorded evaluation of the year (an evaluation without activity), if any."""
    return (
        Evaluation.objects.filter(fiscal_year_id=fiscal_year_id, department_id=department_id, activity__isnull=True)
        .order_by("created_at")
        .first()
    )


# What a recorded evaluation keeps from changing, worded for each kind of figure (the activity's own evaluation, then
# its department's year): its money (the absorption score) or its work (the timeliness score from milestones, the
# achievement score from indicators or verified physical progress). Telling a head marking a milestone that "the
# budget and payments" can no longer change was not true of what was refused.
MONEY, WORK = "money", "work"
EVALUATED_MESSAGES = {
    MONEY: (
        gettext_lazy(
            "This activity is already evaluated: its budget and payments can no longer change, or they would no "
            "longer match its evaluation."
        ),
        gettext_lazy(
            "The %(year)s evaluation of %(department)s was recorded on %(day)s: the budget and payments of its "
            "activities can no longer change, or they would no longer match it."
        ),
    ),
    WORK: (
        gettext_lazy(
            "This activity is already evaluated: its progress, milestones and indicators can no longer change, or "
            "they would no longer match its evaluation."
        ),
        gettext_lazy(
            "The %(year)s evaluation of %(department)s was recorded on %(day)s: the progress, milestones and "
            "indicators of its activities can no longer change, or they would no longer match it."
        ),
    ),
}


def evaluation_over(activity: Activity) -> tuple[bool, dt.datetime | None] | None:
    """The recorded evaluation whose scores were computed from ``activity``'s figures (None while there is none):
    ``(True, None)`` for the activity's own, ``(False, recorded_at)`` for its department's year."""
    if activity.stage == Stage.EVALUATED:
        return True, None
    # One query for both: the activity's own evaluation and its department's year.
    evaluations = list(
        Evaluation.objects.filter(
            Q(activity_id=activity.pk)
            | Q(activity__isnull=True, fiscal_year_id=activity.fiscal_year_id, department_id=activity.department_id)
        )
        .order_by("created_at")
        .values_list("activity_id", "created_at")
    )
    if any(activity_id for activity_id, _day in evaluations):
        return True, None
    if evaluations:
        return False, evaluations[0][1]
    return None


def evaluated_reason(activity: Activity, frozen: str = MONEY) -> str:
    """Why the ``frozen`` figures of ``activity`` (``MONEY`` or ``WORK``) no longer change ('' while they may): it is
    evaluated, or its department's year is. The evaluation's scores were computed from them; a revision, a late
    payment, a milestone met or a progress report afterwards left the recorded evaluation beside a page with other
    figures."""
    over = evaluation_over(activity)
    if over is None:
        return ""
    own, day = over
    activity_message, year_message = EVALUATED_MESSAGES[frozen]
    if own:
        return str(activity_message)
    return year_message % {
        "year": activity.fiscal_year.year,
        "department": activity.department.short_name,
        "day": recorded_on(day),
    }


def recorded_on(moment) -> str:
    """The day an evaluation was recorded, in Banjarmasin (WITA)."""
    return date_format(timezone.localtime(moment).date())


def check_unchanged_since_seen(seen, current, message: str, current_text: str) -> None:
    """Refuse to act on a figure the user never saw: a planner verifying the 70% on his page verified the 40% the
    head had corrected it to meanwhile, and a second finance tab's revision overwrote the first's, each told
    "Saved.". ``seen`` is the figure the form was drawn with, ``None`` when the caller does not say (the import, the
    REST API, the demo): no check. ``message`` names the figure now (``%(current)s``, given as ``current_text``), so
    the user can check it and act again knowingly."""
    if seen is None or seen == current:
        return
    raise ValidationError(message % {"current": current_text}, code="changed_meanwhile")


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError({field: _("Enter an amount in Rupiah.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    return amount


# Planning photos show a site in more detail than a report's (1600 px).
PHOTO_SIDE = 2000


def clean_photo(upload) -> ContentFile:
    """A proposal's or progress report's photo, checked and re-encoded as the citizens' photos are: no metadata
    survives (EXIF, GPS, a JPEG comment) and a decompression bomb is refused before it is decoded in the request."""
    try:
        return ContentFile(photo_files.clean_jpeg(upload, max_side=PHOTO_SIDE), name=f"{uuid.uuid4().hex}.jpg")
    except ValidationError as refused:
        raise ValidationError({"photos": refused.messages}) from refused


def _move(activity: Activity, to_stage: str, actor, note: str = "") -> None:
    StageChange.objects.create(activity=activity, from_stage=activity.stage, to_stage=to_stage, actor=actor, note=note)
    activity.stage = to_stage
    activity.stage_changed_at = timezone.now()
    activity.save(update_fields=["stage", "stage_changed_at"])


def _tell_followers(activity: Activity, stage: str, actor, **details) -> None:
    tickets = list(activity.tickets.all())
    if tickets:
        tell_followers_about_plan(tickets=tickets, activity=activity, stage=stage, actor=actor, details=details)


def rupiah_text(amount) -> str:
    from ..templatetags.money import format_rupiah

    return format_rupiah(amount)
