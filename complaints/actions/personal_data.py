"""A citizen's rights over their personal data, as writes (UU 27/2022 PDP): correcting it (Pasal 6), withdrawing the
consent to be named with a public report (Pasal 9), and removing it when their account goes (Pasal 8). Whose rows
are theirs, and the reads of the "Your data" page, are ``complaints.personal_data``.

The city keeps the reports themselves, with what was written in them: they are its record of the public service (a
ticket is closed, rejected or merged, never deleted). What goes is who filed them: the contact copies, the name shown,
the subscriptions and the emails.

accounts/ knows nothing of tickets (ARCHITECTURE): its profile, "Your data" and deletion views, the user admin and
its receiver of allauth's "email changed" call these functions explicitly, the one place where accounts reaches into
complaints. Each change leaves an internal note on the ticket, so staff reading a blank contact or a changed number
or address know why; it names the reporter's account only where the ticket may. An anonymous report gets no note:
its staff see no contact to explain, and the same note at the same second on it and on the citizen's
named reports would tell staff handling both whose the anonymous one is.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..events import new_event, record_event
from ..models import EventType, Notification, Privacy, Subscription, Ticket, TicketEvent
from ..personal_data import notification_filter, reporter_filter, subscription_filter, verified_addresses

__all__ = ["PERSONAL_ROWS", "copy_profile_to_reports", "forget_reporter", "hide_reporter_name"]

# Rows that are only the person's and go with them (``forget_reporter`` deletes them): whoever may delete an account
# needs no permission of their own on these (the email log is read-only in the admin).
PERSONAL_ROWS = (Subscription, Notification)

CONTACT_CORRECTED = _(
    "The reporter corrected their name or phone number in their profile; this report's contact details now show it."
)
EMAIL_CHANGED = _(
    "The reporter changed their account's email address; this report's contact details now show the new one."
)
NAME_HIDDEN = _("The reporter asked not to show their name with the public report any more.")
ACCOUNT_DELETED = _(
    "The reporter deleted their account: their name, email address and phone number were removed from this report."
)
ACCOUNT_DELETED_BY_ADMINISTRATOR = _(
    "An administrator deleted the reporter's account: their name, email address and phone number were removed from "
    "this report."
)


def _note(text) -> str:
    """An internal note's text, kept in the portal's language: the staff who read it work in it (as plan updates)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _reporter_as_actor(ticket: Ticket, user):
    # An anonymous ticket never names its reporter, not even as an event's actor (staff read the timeline).
    return None if ticket.privacy == Privacy.ANONYMOUS else user


def _names_in_public(ticket: Ticket) -> bool:
    """Whether the public pages and APIs show a name with this ticket: changing it is a change of the public ticket
    (``updated_at`` moves, so API clients that sync by it fetch it again)."""
    return ticket.privacy == Privacy.PUBLIC and ticket.show_name


def copy_profile_to_reports(*, user) -> int:
    """The citizen changed their name or phone number in their profile, or their account's (primary) email address
    (``accounts.receivers``): the copies on the reports they filed with their account follow (staff call the number
    and write to the address they read there; a report that shows their name shows the new one), and so do the
    emails to the account not sent yet. Reports filed without the account keep what was typed there. Returns how
    many reports changed."""
    name, phone, email = user.full_name, user.phone, user.email
    unchanged = Q(reporter_name=name, reporter_phone=phone)
    if email:  # an account always has one; never blank the reports' copy
        unchanged &= Q(reporter_email__iexact=email)
    with transaction.atomic():
        if email:
            # Emails to the account still waiting to be sent (the mail server was down, a retry is due) go to the
            # address it has now, not to the one it left.
            Notification.objects.filter(recipient_id=user.pk, state=Notification.State.PENDING).exclude(
                email__iexact=email
            ).update(email=email)
        tickets = list(
            Ticket.objects.select_for_update()
            .filter(reporter_id=user.pk)
            .exclude(unchanged)
            .only("pk", "privacy", "show_name", "reporter_name", "reporter_phone", "reporter_email")
            .order_by("pk")
        )
        if not tickets:
            return 0
        copies = {"reporter_name": name, "reporter_phone": phone}
        if email:
            copies["reporter_email"] = email
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(**copies)
        renamed = [t.pk for t in tickets if _names_in_public(t) and t.reporter_name != name]
        Ticket.objects.filter(pk__in=renamed).update(updated_at=timezone.now())
        corrected, changed_email = _note(CONTACT_CORRECTED), _note(EMAIL_CHANGED)

        def note(ticket: Ticket) -> str:
            said = []
            if (ticket.reporter_name, ticket.reporter_phone) != (name, phone):
                said.append(corrected)
            if email and ticket.reporter_email.lower() != email.lower():
                said.append(changed_email)
            return " ".join(said)

        TicketEvent.objects.bulk_create(
            [
                new_event(
                    ticket=ticket,
                    type=EventType.NOTE,
                    actor=_reporter_as_actor(ticket, user),
                    payload={"message": note(ticket), "by": "reporter"},
                    public=False,
                )
                for ticket in tickets
                if ticket.privacy != Privacy.ANONYMOUS  # no note on an anonymous report (module docstring)
            ]
        )
    return len(tickets)


def hide_reporter_name(*, ticket: Ticket, actor) -> Ticket:
    """The reporter withdraws "show my name": the public page, the REST API (and Open311, which never names anyone)
    show no name from now on. Safe to repeat."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please log in."))
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(reporter_filter(actor), pk=ticket.pk).first()
        if ticket is None:
            raise PermissionDenied(_("Only the reporter can change how their report names them."))
        if not ticket.show_name:
            return ticket
        ticket.show_name = False
        ticket.save(update_fields=["show_name", "updated_at"])
        record_event(
            ticket=ticket,
            type=EventType.NOTE,
            actor=_reporter_as_actor(ticket, actor),
            payload={"message": _note(NAME_HIDDEN), "by": "reporter"},
            public=False,
        )
    return ticket


def forget_reporter(*, user, actor=None) -> int:
    """Before ``user``'s account is deleted, by them (``actor`` None or themselves) or by an administrator
    (``actor``): on every report they filed, signed in or from one of their verified addresses, the reporter's name,
    email address and phone number are blanked and "show my name" is off; their subscriptions ("me too" included)
    and the emails written to them are deleted. The reports, their texts and photos stay. The caller deletes the
    account in the same transaction. Returns how many reports were cleared."""
    addresses = verified_addresses(user)  # read before the account's addresses go with it
    by_administrator = actor is not None and actor.pk != user.pk
    note = _note(ACCOUNT_DELETED_BY_ADMINISTRATOR if by_administrator else ACCOUNT_DELETED)
    with transaction.atomic():
        tickets = list(
            Ticket.objects.select_for_update()
            .filter(reporter_filter(user, addresses))
            .only("pk", "reference", "privacy", "show_name")
            .order_by("pk")
        )
        ids = [ticket.pk for ticket in tickets]
        Ticket.objects.filter(pk__in=ids).update(
            reporter=None,
            reporter_name="",
            reporter_email="",
            reporter_phone="",
            show_name=False,
            notify_reporter=False,
        )
        Ticket.objects.filter(pk__in=[t.pk for t in tickets if _names_in_public(t)]).update(updated_at=timezone.now())
        TicketEvent.objects.bulk_create(
            [
                new_event(
                    ticket=ticket,
                    type=EventType.NOTE,
                    actor=actor if by_administrator else None,
                    payload={"message": note, "by": "administrator" if by_administrator else "reporter"},
                    public=False,
                )
                for ticket in tickets
                if ticket.privacy != Privacy.ANONYMOUS  # no note on an anonymous report (module docstring)
            ]
        )
        Subscription.objects.filter(subscription_filter(user, addresses)).delete()
        Notification.objects.filter(notification_filter(user, addresses)).delete()
        _forget_kept_answers([ticket.reference for ticket in tickets])
    return len(ids)


def _forget_kept_answers(references: list[str]) -> None:
    """The REST API keeps the answers to staff writes sent with an Idempotency-Key for 24 hours
    (``smartcity.api_idempotency``); an answer about a ticket shows its contact copy as its staff saw it. Those about
    ``references`` go now, with the contact details themselves (a retry of one then runs as a new request)."""
    from accounts.models import IdempotentRequest

    if references:
        ticket_paths = "/tickets/(" + "|".join(re.escape(reference) for reference in references) + ")/"
        IdempotentRequest.objects.filter(path__regex=ticket_paths).delete()
