"""Who is told what: turns ticket events into outgoing ``Notification`` rows.

Rows are written in the caller's transaction and sent by ``tasks.send_notification``
after commit; ``dedup_key`` (event × recipient) makes a change notify a person once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from smartcity.taskqueue import enqueue_on_commit

from .models import EventType, Notification, Subscription, Ticket, TicketEvent

# Events that citizens (reporter and supporters) are told about by email.
CITIZEN_EMAIL_EVENTS = frozenset(
    {
        EventType.ROUTED,
        EventType.ACKNOWLEDGED,
        EventType.REPLY,
        EventType.INFO_REQUESTED,
        EventType.FORWARDED,
        EventType.RESOLVED,
        EventType.REOPENED,
        EventType.CLOSED,
        EventType.REJECTED,
        EventType.MERGED,
        EventType.PLAN_UPDATE,
    }
)


def ticket_url(ticket: Ticket) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/laporan/{ticket.reference}/"


def _queue(*, ticket, event, email, recipient=None, language="id", template, context) -> Notification | None:
    key = f"{template}:{event.pk if event else ticket.pk}:{email.lower()}"
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                dedup_key=key[:200],
                ticket=ticket,
                event=event,
                recipient=recipient,
                email=email,
                language=language,
                template=template,
                context=context,
            )
    except IntegrityError:
        return None  # already queued for this change and person
    from .tasks import send_notification

    enqueue_on_commit(send_notification, notification.pk)
    return notification


def _event_context(ticket: Ticket, event: TicketEvent) -> dict:
    return {
        "reference": ticket.reference,
        "title": ticket.title,
        "event_type": event.type,
        "payload": event.payload,
        "department": ticket.department.short_name if ticket.department_id else "",
        "resolution_due_at": ticket.resolution_due_at.isoformat() if ticket.resolution_due_at else "",
        "url": ticket_url(ticket),
    }


def notify_followers(*, ticket: Ticket, event: TicketEvent) -> int:
    """Email the reporter and supporters who kept updates on, except the person who made the change."""
    if event.type not in CITIZEN_EMAIL_EVENTS:
        return 0
    context = _event_context(ticket, event)
    sent = 0
    subscriptions = Subscription.objects.filter(ticket=ticket, active=True).select_related("user")
    for subscription in subscriptions:
        user = subscription.user
        if user is not None and event.actor_id == user.pk:
            continue
        email = user.email if user is not None else subscription.email
        if not email:
            continue
        if subscription.reason == Subscription.Reason.REPORTER and not ticket.notify_reporter:
            continue
        language = user.language if user is not None else "id"
        # Every update carries its own one-click "stop these emails" link (works without an account).
        from .actions.closing import email_off_url

        if _queue(
            ticket=ticket,
            event=event,
            email=email,
            recipient=user,
            language=language,
            template="ticket_update",
            context={**context, "email_off_url": email_off_url(subscription)},
        ):
            sent += 1
    return sent


def notify_staff(*, ticket: Ticket, event: TicketEvent, users=(), include_department_email: bool = True) -> int:
    """Email department staff (given users, plus the department's contact address) about a ticket."""
    context = _event_context(ticket, event)
    sent = 0
    emails = {}
    for user in users:
        if user.email and user.pk != event.actor_id:
            emails[user.email.lower()] = user
    if include_department_email and ticket.department_id and ticket.department.email:
        emails.setdefault(ticket.department.email.lower(), None)
    for email, user in emails.items():
        language = user.language if user is not None else "id"
        if _queue(
            ticket=ticket,
            event=event,
            email=email,
            recipient=user,
            language=language,
            template="staff_ticket",
            context=context,
        ):
            sent += 1
    return sent


def queue_email(*, key: str, email: str, template: str, context: dict, ticket=None, recipient=None, language="id"):
    """A one-off email that belongs to no event (e.g. confirm your address)."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                dedup_key=key[:200],
                ticket=ticket,
                recipient=recipient,
                email=email,
                language=language,
                template=template,
                context=context,
            )
    except IntegrityError:
        return None
    from .tasks import send_notification

    enqueue_on_commit(send_notification, notification.pk)
    return notification
