"""Shared checks of the planning actions: roles, stages, locks, money, photos, gates, followers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import has_role
from complaints import photos as photo_files
from complaints.actions.plan_updates import tell_followers_about_plan
from services.models import StaffMembership

from .. import queries
from ..models import (
    Activity,
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


def check_activity_date(activity: Activity, day: dt.date, *, field: str, any_year: bool = False) -> None:
    """A payment or a month's progress belongs to the activity's fiscal year (unless ``any_year``: a milestone may
    be met after the year's end) and has already happened, by today's date in Banjarmasin (WITA): a typo such as
    2027 for 2026 must not slip into the year's realised total. The form, the import and the REST API all pass
    through here."""
    year = activity.fiscal_year.year
    if not any_year and day.year != year:
        raise ValidationError(
            {field: _("The date must fall within the fiscal year %(year)s.") % {"year": year}}, code="date"
        )
    today = queries.today()
    if day > today:
        raise ValidationError(
            {field: _("The date cannot be later than today (%(today)s).") % {"today": date_format(today)}},
            code="date",
        )


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


def _tell_followers(activity: Activity, stage: str, actor) -> None:
    tickets = list(activity.tickets.all())
    if tickets:
        tell_followers_about_plan(tickets=tickets, activity=activity, stage=stage, actor=actor)


def rupiah_text(amount) -> str:
    from ..templatetags.money import format_rupiah

    return format_rupiah(amount)
