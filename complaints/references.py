"""Readable, stable reference numbers: ``BJM-2026-000123`` (prefix, year filed in WITA, ticket id)."""

from django.conf import settings
from django.utils import timezone


def reference_for(ticket) -> str:
    year = timezone.localtime(ticket.created_at).year
    return f"{settings.REFERENCE_PREFIX}-{year}-{ticket.pk:06d}"


def assign_reference(ticket) -> str:
    """Give a freshly inserted ticket its reference (needs the id, so it is a second, cheap update)."""
    from .models import Ticket

    ticket.reference = reference_for(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(reference=ticket.reference)
    return ticket.reference
