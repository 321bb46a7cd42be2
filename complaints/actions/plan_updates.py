"""Telling a ticket's followers how the city's plan answers it (the only way planning touches tickets).

An activity: one public ``plan_update`` event per ticket × activity × stage, and one email per person × activity ×
stage: a citizen who filed or supports several linked tickets hears about the activity once, not once per ticket.
A proposal (usulan), before any activity exists: the same, per ticket × proposal × decision (``proposed`` when the
report is linked to it, ``declined`` when a review level turns it down); its acceptance is the activity's
``planned`` update.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from smartcity.site_links import absolute_url

from ..event_text import event_message
from ..events import record_event
from ..models import EventType, Notification, Subscription, Ticket, TicketEvent
from ..notifications import follower_recipient, queue_email, ticket_url

__all__ = ["tell_followers_about_plan", "tell_followers_about_proposal"]


def _with_message(payload: dict) -> dict:
    # Kept in the payload in the site's language for API readers; pages and emails say it in their reader's
    # language from the payload's codes and names (complaints.event_text).
    with translation.override(settings.LANGUAGE_CODE):
        return {**payload, "message": event_message(EventType.PLAN_UPDATE, payload)}


def tell_followers_about_plan(*, tickets, activity, stage: str, actor=None, details: dict | None = None) -> int:
    """Record the plan update on each ticket's timeline and email each follower once; returns emails queued.
    ``details`` go into the payload too (an evaluation's ``grade`` code, which the message names in words).

    Safe to call twice: tickets that already carry this activity × stage update are skipped,
    and the email key (activity × stage × address) never repeats.
    """
    payload = _with_message(
        {
            **(details or {}),
            "activity_id": activity.pk,
            "activity": activity.name,
            "activity_code": activity.code,
            "department": activity.department.short_name,
            "stage": stage,
            "fiscal_year": activity.fiscal_year.year,
        }
    )
    return _tell(
        tickets,
        payload,
        actor=actor,
        about={"payload__activity_id": activity.pk},
        key=f"plan_update:{activity.pk}:{stage}",
        # Every activity has a public page (budget, progress, results), which the ticket page links too.
        links={"activity_url": absolute_url(reverse("planning:public_activity", args=[activity.pk]))},
    )


def tell_followers_about_proposal(
    *, tickets, proposal, stage: str, actor=None, level: str = "", reason: str = ""
) -> int:
    """Record on each ticket's timeline what became of the proposal it is linked to, and email each follower once;
    returns emails queued. ``stage`` is ``proposed`` (the report was taken into it) or ``declined`` (``level``, a
    review level's code, turned it down for ``reason``, the reviewer's words). A proposal has no public page.

    Safe to call twice: tickets that already carry this proposal × stage update are skipped (a report unlinked and
    linked again hears of the proposal once), and the email key (proposal × stage × address) never repeats."""
    payload = {
        "proposal_id": proposal.pk,
        "proposal": proposal.title,
        "source": proposal.source,
        "stage": stage,
        "fiscal_year": proposal.fiscal_year.year,
    }
    if stage == "declined":
        payload.update(level=level, review_note=reason)
    return _tell(
        tickets,
        _with_message(payload),
        actor=actor,
        about={"payload__proposal_id": proposal.pk},
        key=f"plan_update:proposal:{proposal.pk}:{stage}",
    )


def _tell(tickets, payload: dict, *, actor, about: dict, key: str, links: dict | None = None) -> int:
    """One ``plan_update`` event with ``payload`` on each ticket not told yet (``about`` × the payload's stage), and
    one email per follower address (``key`` × the address). The event shows wherever the ticket does: on a
    confidential report's page, which only its reporter opens, and to its reporter alone by email
    (``follower_recipient``); nobody's name is in it, so an anonymous reporter stays unnamed."""
    queued = 0
    for ticket in Ticket.objects.filter(pk__in=[t.pk for t in tickets]).select_related("department"):
        already = TicketEvent.objects.filter(
            ticket=ticket, type=EventType.PLAN_UPDATE, payload__stage=payload["stage"], **about
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
            **(links or {}),
        }
        for subscription in Subscription.objects.filter(ticket=ticket, active=True).select_related("user"):
            recipient = follower_recipient(ticket, subscription, context)
            if recipient is None:
                continue
            notification = queue_email(
                key=f"{key}:{recipient['email'].lower()}",
                template=Notification.Template.TICKET_UPDATE,
                ticket=ticket,
                **recipient,
            )
            if notification is not None:
                notification.event = event
                notification.save(update_fields=["event"])
                queued += 1
    return queued
