"""Readable, stable reference numbers: ``BJM-2026-000123`` (prefix, year filed in WITA, ticket id)."""

from django.conf import settings
from django.db import connection
from django.utils import timezone


def _format(ticket_id: int, moment) -> str:
    return f"{settings.REFERENCE_PREFIX}-{timezone.localtime(moment).year}-{ticket_id:06d}"


def reference_for(ticket) -> str:
    return _format(ticket.pk, ticket.created_at)


def reserve() -> tuple[int | None, str | None]:
    """An id and its reference for a ticket about to be inserted, so the INSERT carries both.

    The alternative, an UPDATE after the INSERT, rewrote the new row in every one of the ticket table's
    indexes (the reference is indexed, so the update cannot be HOT). PostgreSQL hands out the next id
    from the table's sequence; elsewhere (SQLite) the answer is (None, None) and ``assign_reference``
    runs after the INSERT.
    """
    if connection.vendor != "postgresql":
        return None, None
    from .models import Ticket

    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Ticket._meta.db_table])
        ticket_id = cursor.fetchone()[0]
    return ticket_id, _format(ticket_id, timezone.now())


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
