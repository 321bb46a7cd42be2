"""Readable, stable reference numbers: ``BJM-2026-000123`` (prefix, year filed in WITA, ticket id)."""

from django.conf import settings
from django.utils import timezone


def _format(ticket_id: int, moment) -> str:
    return f"{settings.REFERENCE_PREFIX}-{timezone.localtime(moment).year}-{ticket_id:06d}"


def reference_for(ticket) -> str:
    return _format(ticket.pk, ticket.created_at)


def reference_for_new(ticket_id: int | None) -> str | None:
    """The reference of a ticket about to be inserted with this id (reserved from the sequence first), so the
    INSERT carries it. The alternative, an UPDATE after the INSERT, rewrote the new row in every one of the
    ticket table's indexes (the reference is indexed, so the update cannot be HOT). Without an id yet (SQLite
    assigns it on INSERT) there is none, and ``assign_reference`` sets it after the INSERT.
    """
    return _format(ticket_id, timezone.now()) if ticket_id is not None else None


def assign_reference(ticket) -> str:
    """Give an inserted ticket its reference unless it already has the right one (needs the id: an UPDATE).

    A reference reserved a moment before the INSERT can name the previous year when the INSERT lands just
    after midnight on New Year's Eve (WITA); the UPDATE corrects it.
    """
    from .models import Ticket

    reference = reference_for(ticket)
    if ticket.reference != reference:
        ticket.reference = reference
        Ticket.objects.filter(pk=ticket.pk).update(reference=reference)
    return ticket.reference
