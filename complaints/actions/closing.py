"""The citizen closes the loop: confirm the fix, reopen it or rate it within the window, switch emails off.
See complaints/actions/__init__.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import follow, queries, routing, workflow
from ..events import record_event
from ..models import Attachment, EventType, Rating, Status, Subscription, Ticket
from ..notifications import notify_followers, notify_staff

__all__ = [
    "close_window_end",
    "confirm_resolution",
    "citizen_reopen",
    "email_off_subscription_id",
    "email_off_url",
    "rate_ticket",
    "rating_ends_at",
    "set_ticket_emails",
    "stop_emails_by_token",
]

MAX_REASON = 2000


def close_window_end(ticket: Ticket) -> dt.datetime | None:
    """When the citizen's window to reopen ends: as set at resolution, else 10 working days after it."""
    if ticket.close_window_ends_at:
        return ticket.close_window_ends_at
    if ticket.resolved_at:
        return routing.close_window_end(ticket.resolved_at)
    return None


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("department").get(pk=ticket.pk)


def _citizen_actor(ticket: Ticket, actor):
    # An anonymous ticket's reporter is never recorded as an event's actor (staff read the timeline); a reporter
    # without an account (their follow link) has no user to record.
    return queries.citizen_actor(actor, ticket)


def _department_people(ticket: Ticket):
    from services.models import StaffMembership

    if ticket.assignee_id:
        return [ticket.assignee]
    return [
        m.user
        for m in StaffMembership.objects.filter(department_id=ticket.department_id, active=True).select_related("user")
    ]


def confirm_resolution(*, ticket: Ticket, actor) -> Ticket:
    """The reporter confirms a resolved ticket is fixed: it closes now."""
    with transaction.atomic():
        ticket = _lock(ticket)
        if not workflow.can(actor, "confirm", ticket):
            if queries.is_reporter(actor, ticket):
                raise ValidationError(_("Only a resolved report can be confirmed."))
            raise PermissionDenied(_("Only the reporter can confirm this report."))
        now = timezone.now()
        ticket.status = Status.CLOSED
        ticket.closed_at = now
        ticket.save(update_fields=["status", "closed_at", "updated_at"])
        event = record_event(
            ticket=ticket, type=EventType.CONFIRMED, actor=_citizen_actor(ticket, actor), payload={"by": "reporter"}
        )
        notify_followers(ticket=ticket, event=event)
    return ticket


def citizen_reopen(*, ticket: Ticket, actor, reason: str, photos=()) -> Ticket:
    """The reporter says it is not fixed: back to ``in_progress`` within the closing window; the department is told.

    Up to ``complaints.photos.MAX_PHOTOS`` photos may show it is still broken: checked and kept as the citizen's other
    photos are (re-encoded by a worker, without EXIF or GPS), on the "Reopened" event, where the citizen's timeline and
    the staff page show them.
    """
    from .intake import _photo_errors, attach_photos

    reason = (reason or "").strip()
    photos = list(photos or [])
    photo_errors = _photo_errors(photos)  # read before the ticket is locked: decoding a photo takes a while
    with transaction.atomic():
        ticket = _lock(ticket)
        if not workflow.can(actor, "citizen_reopen", ticket):
            if queries.is_reporter(actor, ticket):
                raise ValidationError(_("Only a resolved report can be reopened."))
            raise PermissionDenied(_("Only the reporter can reopen this report."))
        errors: dict[str, list] = {}
        if not reason:
            errors["reason"] = [_("Please tell the department what is still wrong.")]
        elif len(reason) > MAX_REASON:
            errors["reason"] = [_("Please keep the reason under 2,000 characters.")]
        if photo_errors:
            errors["photos"] = photo_errors
        if errors:
            raise ValidationError(errors)
        window_end = close_window_end(ticket)
        if window_end is not None and timezone.now() > window_end:
            raise ValidationError(_("The time to reopen this report has passed. Please file a new report."))
        ticket.save(update_fields=ticket.reopen(timezone.now()))
        event = record_event(
            ticket=ticket,
            type=EventType.REOPENED,
            actor=_citizen_actor(ticket, actor),
            payload={"reason": reason, "by": "reporter"},
        )
        # The citizen's photos, as "add information" keeps them (never naming an anonymous report's reporter).
        attach_photos(ticket=ticket, photos=photos, event=event, purpose=Attachment.Purpose.INFO, validated=True)
        notify_staff(ticket=ticket, event=event, users=_department_people(ticket))
        notify_followers(ticket=ticket, event=event)
    return ticket


def rating_ends_at(ticket: Ticket) -> dt.datetime | None:
    """Until when the reporter may rate this ticket, or change their rating: the end of its closing window, the
    moment reopening ends, also once they confirmed the fix (closed) within it. After it the rating stays as given:
    satisfaction figures already published do not move. None while the ticket is not resolved or closed, or for a
    closed ticket that never had a window."""
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    return close_window_end(ticket)


def rate_ticket(*, ticket: Ticket, actor, score: int, comment: str = "") -> Rating:
    """The reporter rates the handling 1–5 once it is resolved, until the end of its closing window
    (``rating_ends_at``); rating again within it replaces the rating, and the same rating again changes nothing."""
    comment = (comment or "").strip()
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": [_("Please choose from 1 to 5 stars.")]})
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("Please keep the comment under 2,000 characters.")]})
    with transaction.atomic():
        ticket = _lock(ticket)
        if not queries.is_reporter(actor, ticket):
            raise PermissionDenied(_("Only the reporter can rate this report."))
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            raise ValidationError(_("You can rate a report once it is resolved."))
        ends_at = rating_ends_at(ticket)
        if ends_at is None or timezone.now() > ends_at:
            raise ValidationError(_("The time to rate this report has passed."))
        rating = Rating.objects.filter(ticket=ticket).first()
        if rating is not None and (rating.score, rating.comment) == (score, comment):
            # The form stays on the page with the stars filled in: sending it again unchanged (a second press, a
            # reload) is not a new rating, and added a second "Rated" entry to the timeline.
            return rating
        rating, _created = Rating.objects.update_or_create(ticket=ticket, defaults={"score": score, "comment": comment})
        # A changed rating is recorded as a new "Rated" entry: the timeline keeps what the citizen said, and when.
        record_event(
            ticket=ticket,
            type=EventType.RATED,
            actor=_citizen_actor(ticket, actor),
            # Who rated, as confirming and reopening say it: on an anonymous report the event names no actor, and
            # the reporter's data export and the staff timeline read this to know it was the reporter's.
            payload={"score": score, "comment": comment, "by": "reporter"},
        )
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    return rating


def set_ticket_emails(*, ticket: Ticket, actor, enabled: bool) -> Subscription:
    """Switch this ticket's update emails on or off for the reporter or a follower.

    A reporter without an account (their follow link) switches the emails to the ticket's reporter address.
    A preference, not a change of the ticket: no timeline event.
    """
    is_reporter = queries.is_reporter(actor, ticket)
    if is_reporter and follow.has_follow_link(ticket):
        whose = {"user": None, "email": ticket.reporter_email}
    elif actor is not None and actor.is_authenticated:
        whose = {"user": actor}
    else:
        raise PermissionDenied(_("Please log in."))
    with transaction.atomic():
        _lock(ticket)  # two clicks at once: the second finds the subscription the first created
        subscription = Subscription.objects.select_for_update().filter(ticket=ticket, **whose).first()
        if subscription is None:
            if not is_reporter:
                raise PermissionDenied(_("You do not follow this report."))
            subscription = Subscription.objects.create(ticket=ticket, reason=Subscription.Reason.REPORTER, **whose)
        subscription.active = bool(enabled)
        subscription.save(update_fields=["active"])
        if is_reporter:
            Ticket.objects.filter(pk=ticket.pk).update(notify_reporter=bool(enabled))
            ticket.notify_reporter = bool(enabled)
    return subscription


EMAIL_OFF_SALT = "complaints.email_off"


def email_off_url(subscription: Subscription) -> str:
    """A link that switches one ticket's emails off for one subscriber, without logging in."""
    token = signing.dumps(subscription.pk, salt=EMAIL_OFF_SALT)
    return f"{settings.SITE_URL.rstrip('/')}/lapor/berhenti/{token}/"


def email_off_subscription_id(token: str) -> int | None:
    """Whose emails an ``email_off_url`` link stops (a subscription's id), or None for a link we did not sign."""
    try:
        return signing.loads(token, salt=EMAIL_OFF_SALT)
    except signing.BadSignature:
        return None


def stop_emails_by_token(*, token: str) -> Subscription:
    """The signed link from an email: stop this ticket's emails for that subscriber (safe to repeat)."""
    subscription_id = email_off_subscription_id(token)
    if subscription_id is None:
        raise ValidationError(_("This link is not valid."))
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None:
            raise ValidationError(_("This link is not valid."))
        subscription.active = False
        subscription.save(update_fields=["active"])
        if subscription.reason == Subscription.Reason.REPORTER:
            Ticket.objects.filter(pk=subscription.ticket_id).update(notify_reporter=False)
    return subscription
