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
        EventType.TRANSFERRED,
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


def new_event(
    *, ticket: Ticket, type: str, actor=None, payload: dict | None = None, public: bool | None = None
) -> TicketEvent:
    """One unsaved event (to ``bulk_create`` many); ``public`` defaults to whether its type is public."""
    if public is None:
        public = type in PUBLIC_EVENT_TYPES
    return TicketEvent(
        ticket=ticket,
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        payload=payload or {},
        public=public,
    )


def record_event(
    *, ticket: Ticket, type: str, actor=None, payload: dict | None = None, public: bool | None = None
) -> TicketEvent:
    """Append one event (see ``new_event``)."""
    event = new_event(ticket=ticket, type=type, actor=actor, payload=payload, public=public)
    event.save(force_insert=True)
    return event
