"""Telling a ticket's followers how the city's plan answers it (the only way planning touches tickets).

One public ``plan_update`` event per ticket × activity × stage, and one email per
person × activity × stage: a citizen who filed or supports several linked tickets
hears about the activity once, not once per ticket.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from ..event_text import plan_update_message
from ..events import record_event
from ..models import EventType, Notification, Subscription, Ticket, TicketEvent
from ..notifications import follower_recipient, queue_email, ticket_url

__all__ = ["tell_followers_about_plan"]


def _message(stage: str, activity, details: dict) -> str:
    # Kept in the payload in the site's language for API readers; pages and emails say it in their reader's
    # language from the payload's stage, activity and department (complaints.event_text).
    with translation.override(settings.LANGUAGE_CODE):
        return plan_update_message(
            stage=stage,
            activity=activity.name,
            department=activity.department.short_name,
            year=activity.fiscal_year.year,
            grade=details.get("grade"),
        )


def tell_followers_about_plan(*, tickets, activity, stage: str, actor=None, details: dict | None = None) -> int:
    """Record the plan update on each ticket's timeline and email each follower once; returns emails queued.
    ``details`` go into the payload too (an evaluation's ``grade`` code, which the message names in words).

    Safe to call twice: tickets that already carry this activity × stage update are skipped,
    and the email key (activity × stage × address) never repeats.
    """
    details = details or {}
    message = _message(stage, activity, details)
    payload = {
        **details,
        "activity_id": activity.pk,
        "activity": activity.name,
        "activity_code": activity.code,
        "department": activity.department.short_name,
        "stage": stage,
        "fiscal_year": activity.fiscal_year.year,
        "message": message,
    }
    queued = 0
    for ticket in Ticket.objects.filter(pk__in=[t.pk for t in tickets]).select_related("department"):
        already = TicketEvent.objects.filter(
            ticket=ticket, type=EventType.PLAN_UPDATE, payload__activity_id=activity.pk, payload__stage=stage
        ).exists()
        if already:
            continue
        event = record_event(ticket=ticket, type=EventType.PLAN_UPDATE, actor=actor, payload=payload)
        context = {
            "reference": ticket.reference,
            "title": ticket.title,
            "event_type": event.type,
            "payload": payload,
            # "Handled by" in the email: the report's department (the activity's is named in the message).
            "department": ticket.department.short_name if ticket.department_id else "",
            "url": ticket_url(ticket),
        }
        for subscription in Subscription.objects.filter(ticket=ticket, active=True).select_related("user"):
            recipient = follower_recipient(ticket, subscription, context)
            if recipient is None:
                continue
            notification = queue_email(
                key=f"plan_update:{activity.pk}:{stage}:{recipient['email'].lower()}",
                template=Notification.Template.TICKET_UPDATE,
                ticket=ticket,
                **recipient,
            )
            if notification is not None:
                notification.event = event
                notification.save(update_fields=["event"])
                queued += 1
    return queued
