"""Writers of ``TicketEvent`` rows: the timeline and the audit trail are the same rows.

Which event types the public sees is decided here, once.
"""

from .models import EventType, Ticket, TicketEvent

# Events the citizen and the public timeline see. Everything else is staff-only.
PUBLIC_EVENT_TYPES = frozenset(
    {
        EventType.SUBMITTED,
        EventType.ROUTED,
        EventType.FORWARDED,
        EventType.ACKNOWLEDGED,
        EventType.STARTED,
        EventType.REPLY,
        EventType.INFO_REQUESTED,
        EventType.CITIZEN_INFO,
        EventType.RESOLVED,
        EventType.CONFIRMED,
        EventType.REOPENED,
        EventType.RATED,
        EventType.CLOSED,
        EventType.REJECTED,
        EventType.MERGED,
        EventType.MERGED_IN,
        EventType.PLAN_UPDATE,
    }
)


def record_event(
    *, ticket: Ticket, type: str, actor=None, payload: dict | None = None, public: bool | None = None
) -> TicketEvent:
    """Append one event. ``public`` defaults to whether the type belongs on the public timeline."""
    if public is None:
        public = type in PUBLIC_EVENT_TYPES
    return TicketEvent.objects.create(
        ticket=ticket,
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        payload=payload or {},
        public=public,
    )
