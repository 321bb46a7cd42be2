"""What the portal holds about one person, read for that person (UU 27/2022 PDP: the rights to information, to
access and a copy in a machine-readable form, Pasal 5, 7 and 13). The "Your data" page (``accounts.views``) shows and
downloads it; the writes that go with it (correction, withdrawing the name, forgetting) are
``complaints.actions.personal_data``.

Whose rows are theirs, in one definition for the reads and the writes: what their account holds (reports filed signed
in, events they made, their subscriptions and emails), and what carries one of the account's *verified* addresses
without an account (a report filed or a "me too" given before signing up, its emails). An unverified address proves
nothing: anyone can type someone else's address at sign-up.

The community proposals they sent online are theirs too: planning reads them (``planning.personal_data``), the one
thing of planning's this module asks for, so that the download holds everything about the person in one file.

Never someone else's data: a report's timeline is its public one (what the citizen page shows: no internal note, no
staff name, no routing detail), and for the reports of others that they supported only the reference and title.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from smartcity.site_links import absolute_url

from .event_text import event_message, event_reason
from .models import Attachment, Notification, Privacy, Subscription, Ticket, TicketEvent

__all__ = [
    "verified_addresses",
    "reporter_filter",
    "subscription_filter",
    "notification_filter",
    "their_tickets",
    "reports_showing_name",
    "export",
]

# Public event payload keys a citizen may read back: the citizen page shows them (the rest, such as a routing's
# reasons or an assignment's staff name, is for staff).
_EVENT_FIELDS = {
    "department": "department",
    "from": "from",
    "to": "to",
    "into": "into",
    "note": "note",
    "score": "score",
    "comment": "comment",
}


def verified_addresses(user) -> list[str]:
    """The account's confirmed email addresses, lower case (what reports filed without an account store)."""
    return sorted(
        {
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        }
    )


def _theirs(user, addresses: list[str] | None, *, account: str, email: str) -> Q:
    """Rows of ``user``: those whose ``account`` field is them, and those without an account whose ``email`` field
    is one of their verified ``addresses`` (read when not given)."""
    addresses = verified_addresses(user) if addresses is None else addresses
    condition = Q(**{f"{account}_id": user.pk})
    if addresses:
        condition |= Q(**{f"{account}__isnull": True}) & reduce(
            or_, (Q(**{f"{email}__iexact": address}) for address in addresses)
        )
    return condition


def reporter_filter(user, addresses: list[str] | None = None) -> Q:
    """The tickets ``user`` reported: signed in, or without an account from one of their verified addresses."""
    return _theirs(user, addresses, account="reporter", email="reporter_email")


def subscription_filter(user, addresses: list[str] | None = None) -> Q:
    """The subscriptions (reporter or "me too") that email ``user``: their account's, and those of their addresses."""
    return _theirs(user, addresses, account="user", email="email")


def notification_filter(user, addresses: list[str] | None = None) -> Q:
    """The emails the portal wrote to ``user``: to their account, and to their addresses without one."""
    return _theirs(user, addresses, account="recipient", email="email")


def their_tickets(user) -> QuerySet[Ticket]:
    return Ticket.objects.filter(reporter_filter(user))


def reports_showing_name(user) -> list[Ticket]:
    """Their reports that show (or, once routed, will show) a name to the public: public, "show my name" ticked."""
    return list(
        their_tickets(user)
        .filter(privacy=Privacy.PUBLIC, show_name=True)
        .select_related("reporter")
        .order_by("-created_at", "-id")
    )


def _when(moment) -> str | None:
    """A time as the pages show it: in WITA, here with its offset."""
    return timezone.localtime(moment).isoformat() if moment else None


def _public_event(event: TicketEvent, user) -> dict:
    payload = event.payload or {}
    row = {
        "type": event.type,
        "label": str(event.get_type_display()),
        "at": _when(event.created_at),
        "by_you": bool(user.pk and event.actor_id == user.pk) or payload.get("by") == "reporter",
    }
    if message := event_message(event.type, payload):
        row["message"] = message
    if reason := event_reason(event.type, payload):
        row["reason"] = reason
    for key, name in _EVENT_FIELDS.items():
        if payload.get(key) not in (None, ""):
            row[name] = payload[key]
    return row


def _rating(ticket: Ticket) -> dict | None:
    rating = getattr(ticket, "rating", None)
    return {"score": rating.score, "comment": rating.comment, "at": _when(rating.created_at)} if rating else None


def _report(ticket: Ticket, user, events: list[TicketEvent], photos: list[Attachment]) -> dict:
    return {
        "reference": ticket.reference,
        "filed_with_account": ticket.reporter_id == user.pk,
        "filed_at": _when(ticket.created_at),
        "channel": ticket.channel,
        "kind": ticket.kind,
        "service": ticket.service.name if ticket.service_id else None,
        "title": ticket.title,
        "description": ticket.description,
        "answers": ticket.attributes or {},
        "kelurahan": ticket.area.name if ticket.area_id else None,
        "address": ticket.address,
        "pin": {"lat": ticket.lat, "lng": ticket.lng} if ticket.lat is not None else None,
        "privacy": ticket.privacy,
        "show_name": ticket.show_name,
        "name_shown_publicly": ticket.public_reporter_name() or None,
        "contact_on_report": {
            "name": ticket.reporter_name,
            "email": ticket.reporter_email,
            "phone": ticket.reporter_phone,
        },
        "email_updates": ticket.notify_reporter,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "department": ticket.department.name if ticket.department_id else None,
        "photos": [{"url": absolute_url(photo.url), "added_at": _when(photo.created_at)} for photo in photos],
        "timeline": [_public_event(event, user) for event in events],
        "rating": _rating(ticket),
    }


def _subscription(subscription: Subscription) -> dict:
    ticket = subscription.ticket
    return {
        "reference": ticket.reference,
        "title": ticket.title,
        "reason": subscription.reason,
        "email_updates": subscription.active,
        "since": _when(subscription.created_at),
    }


def export(user) -> dict:
    """Everything the portal holds about ``user``, as the download of the "Your data" page (JSON-ready). Labels
    are in the active language; codes (status, privacy, event types) as the APIs give them."""
    from planning.personal_data import proposals_sent  # imported here: planning imports complaints

    addresses = verified_addresses(user)
    tickets = list(
        Ticket.objects.filter(reporter_filter(user, addresses))
        .select_related("service", "area", "department", "rating", "reporter")
        .order_by("created_at", "id")
    )
    ids = [ticket.pk for ticket in tickets]
    events_by_ticket: dict[int, list[TicketEvent]] = {pk: [] for pk in ids}
    for event in TicketEvent.objects.filter(ticket_id__in=ids, public=True).order_by("created_at", "id"):
        events_by_ticket[event.ticket_id].append(event)
    photos_by_ticket: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    shown = Q(purpose=Attachment.Purpose.REPORT) | Q(event__public=True)  # as the citizen page shows them
    for photo in Attachment.objects.filter(shown, ticket_id__in=ids, state=Attachment.State.READY):
        photos_by_ticket[photo.ticket_id].append(photo)

    subscriptions = list(
        Subscription.objects.filter(subscription_filter(user, addresses))
        .select_related("ticket")
        .order_by("created_at", "id")
    )
    # What they did on reports that are not theirs (a "me too" follower's information, a staff member's reply): the
    # public events they made, without the texts of reports they neither filed nor follow.
    followed = set(ids) | {subscription.ticket_id for subscription in subscriptions}
    caused = []
    for event in (
        TicketEvent.objects.filter(actor_id=user.pk, public=True).select_related("ticket").order_by("created_at", "id")
    ):
        row = {"reference": event.ticket.reference, "type": event.type, "label": str(event.get_type_display())}
        row["at"] = _when(event.created_at)
        if event.ticket_id in followed:
            row.update({key: value for key, value in _public_event(event, user).items() if key not in row})
        caused.append(row)
    emails = Notification.objects.filter(notification_filter(user, addresses)).select_related("ticket")

    return {
        "exported_at": _when(timezone.now()),
        "portal": settings.PORTAL_NAME,
        "controller": "Pemerintah Kota Banjarmasin (Diskominfotik)",
        "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
        "profile": {
            "email": user.email,
            "name": user.full_name,
            "phone": user.phone,
            "language": user.language,
            "joined_at": _when(user.date_joined),
            "last_login_at": _when(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "reports": [
            _report(ticket, user, events_by_ticket[ticket.pk], photos_by_ticket[ticket.pk]) for ticket in tickets
        ],
        "proposals": proposals_sent(user),
        "events": caused,
        "ratings": [{"reference": ticket.reference, **_rating(ticket)} for ticket in tickets if _rating(ticket)],
        "supports": [
            _subscription(subscription)
            for subscription in subscriptions
            if subscription.reason == Subscription.Reason.SUPPORTER
        ],
        "subscriptions": [_subscription(subscription) for subscription in subscriptions],
        "emails": [
            {
                "reference": email.ticket.reference if email.ticket_id else None,
                "kind": str(email.get_template_display()),
                "to": email.email,
                "language": email.language,
                "state": email.state,
                "queued_at": _when(email.created_at),
                "sent_at": _when(email.sent_at),
            }
            for email in emails.order_by("created_at", "id")
        ],
    }
