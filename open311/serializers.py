"""Catalogue entries and tickets as GeoReport v2 records (plain dicts in the specification's field order).

Only fields the public may see: no names, no contact details, an anonymous report's pin rounded
(``complaints.queries.public_pin``), and the phone numbers, emails and NIKs a citizen typed into their own words
hidden (``complaints.redaction``): the description, and their reopening reason, added information and rating
comment. Tickets come from ``complaints.queries.tickets_visible_to_key``: the only confidential ones that get here
are those the asking key filed, and they show their status alone.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import queries
from complaints.event_text import event_message
from complaints.models import Attachment, EventType, Privacy, Status
from complaints.redaction import is_citizen_text, mask_contact_details

CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE)
# Public events whose text answers the citizen: the latest one is the request's status_notes. A forward or a move in a
# reorganisation is one: after it the report page's latest word is the new department's, and the old department's
# reply before it was stale ("the truck comes tomorrow" from a department that no longer handles the report).
NOTE_EVENT_TYPES = (
    EventType.REPLY,
    EventType.RESOLVED,
    EventType.REJECTED,
    EventType.REOPENED,
    EventType.MERGED,
    EventType.FORWARDED,
    EventType.TRANSFERRED,
)
_TEXT_KEYS = ("message", "text", "body", "note", "reply", "resolution", "reason", "comment")
# What a confidential report shows the key that filed it (no other key sees it): the outcome, and nothing about the
# citizen, the place or what was said, which a bridge could leak. Every other field is null.
STATUS_ONLY_FIELDS = (
    "service_request_id",
    "status",
    "service_name",
    "service_code",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
)


def iso(value) -> str | None:
    """ISO 8601 in WITA with its offset, e.g. ``2026-11-27T09:30:00+08:00``."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def open311_status(ticket) -> str:
    return "closed" if ticket.status in CLOSED_STATUSES else "open"


def event_text(event) -> str:
    payload = event.payload if isinstance(event.payload, dict) else {}
    for key in _TEXT_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def public_merge_target(ticket) -> str | None:
    """The reference of the request ``ticket`` was merged into, when that one is public (``queries.is_public``): a
    bridge may send its citizen there. Decided now, from the target itself, whatever ``ticket``'s own privacy and
    whatever the merge recorded: a confidential target is never named, nor one no longer public."""
    target = ticket.duplicate_of if ticket.duplicate_of_id else None
    return target.reference if target is not None and queries.is_public(target) else None


def merge_note(ticket) -> str:
    """Where a merged request went: the request to follow from now on, or that it is not public."""
    if reference := public_merge_target(ticket):
        return _("Merged into %(reference)s: follow that request from now on.") % {"reference": reference}
    return _("Merged into another request that is not public.")


def forward_note(payload: dict) -> str:
    """A forward as the report page tells it: from which department to which, and why."""
    values = {"from": payload.get("from") or "-", "to": payload.get("to") or "-"}
    text = _("Forwarded from %(from)s to %(to)s.") % values
    reason = payload.get("reason")
    return f"{text} {_('Reason')}: {reason.strip()}" if isinstance(reason, str) and reason.strip() else text


def transfer_note(payload: dict) -> str:
    """A move in a reorganisation as the report page tells it: which department handles it now, its handling and
    due dates carrying on (``complaints.event_text``'s words), and the reason given."""
    text = event_message(EventType.TRANSFERRED, payload)
    reason = payload.get("reason")
    return f"{text} {_('Reason')}: {reason.strip()}".strip() if isinstance(reason, str) and reason.strip() else text


def note_text(event, ticket) -> str:
    """What an event of ``ticket`` tells the citizen. A merge has no text of its own: it says where the report went
    (``merge_note``), so a bridge can tell the citizen which request to follow. A forward and a move in a
    reorganisation say where the report went and why, as the report page does."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    if event.type == EventType.MERGED:
        return merge_note(ticket)
    if event.type == EventType.FORWARDED:
        return forward_note(payload)
    if event.type == EventType.TRANSFERRED:
        return transfer_note(payload)
    if is_citizen_text(event.type, payload):
        return mask_contact_details(event_text(event))
    return event_text(event)


def service_record(service) -> dict:
    description = service.description
    if service.default_privacy == Privacy.CONFIDENTIAL:
        # Said before a client files: GET requests of such a report gives its filing key the status alone.
        confidential = _("Reports under this service are confidential: the key that filed one gets only its status.")
        description = f"{description} {confidential}" if description else confidential
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": description,
        "metadata": (
            service.attribute_count > 0 if hasattr(service, "attribute_count") else service.attributes.exists()
        ),
        "type": "realtime",
        "keywords": ", ".join(service.keyword_list),
        "group": service.group_name,
    }


def service_definition(service) -> dict:
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": True,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.hint or None,
                "order": attribute.order,
                "description": attribute.text,
                "values": [{"key": key, "name": name} for key, name in attribute.choices],
            }
            for attribute in service.attributes.all()
        ],
    }


def _public_events(ticket) -> list:
    # Prefetched by the view as ``public_events`` (public rows only, oldest first).
    events = getattr(ticket, "public_events", None)
    if events is None:
        events = list(ticket.events.filter(public=True).order_by("created_at", "id"))
    return events


def _media_url(ticket, request, events) -> str | None:
    photos = getattr(ticket, "ready_photos", None)
    if photos is None:
        photos = list(ticket.attachments.filter(state=Attachment.State.READY, purpose=Attachment.Purpose.REPORT))
    # The portal's checked address (complaints.photo_views) answers without login for a public ticket only, like
    # the ticket page: a key's own ticket that is not public (not routed yet, rejected) gets no link that 404s.
    for photo in photos if queries.is_public(ticket) else ():
        if photo.image:
            return request.build_absolute_uri(photo.url)
    # A link the filing system gave instead of a photo (Open311 media_url) is kept on the filing event.
    for event in events:
        if event.type == EventType.SUBMITTED and isinstance(event.payload, dict) and event.payload.get("media_url"):
            return str(event.payload["media_url"])
    return None


def _status_notes(ticket, events) -> str | None:
    """The latest public answer to the citizen; while the ticket waits for the citizen, the question they must
    answer (the ticket page shows it to the same readers: a public event)."""
    if ticket.waiting_for_citizen_since is not None:
        questions = [e for e in events if e.type == EventType.INFO_REQUESTED and event_text(e)]
        if questions:
            return event_text(questions[-1])
    notes = [text for e in events if e.type in NOTE_EVENT_TYPES and (text := note_text(e, ticket))]
    return notes[-1] if notes else None


def _status_only(record: dict, ticket) -> dict:
    """``record`` of a confidential ticket as its filing key sees it: STATUS_ONLY_FIELDS, the rest null. Merged, it
    says where it went, as a public one does (``merge_note``): the key's citizen was told so by email, and a bridge
    that learnt only "Duplicate" had no request to send its citizen to."""
    status_only = {name: value if name in STATUS_ONLY_FIELDS else None for name, value in record.items()}
    notes = _("Confidential report: %(status)s. Only its status is given.") % {"status": Status(ticket.status).label}
    if ticket.status == Status.DUPLICATE:
        notes = f"{notes} {merge_note(ticket)}"
    status_only["status_notes"] = notes
    return status_only


def request_record(ticket, request, *, extensions: bool = False) -> dict:
    confidential = ticket.privacy == Privacy.CONFIDENTIAL
    events = [] if confidential else _public_events(ticket)
    lat, lng = queries.public_pin(ticket.privacy, ticket.lat, ticket.lng)  # an anonymous report's pin, rounded
    record = {
        "service_request_id": ticket.reference,
        "status": open311_status(ticket),
        "status_notes": _status_notes(ticket, events),
        "service_name": ticket.service.name if ticket.service_id else None,
        "service_code": ticket.service.code if ticket.service_id else None,
        "description": mask_contact_details(ticket.description),
        "agency_responsible": ticket.department.name if ticket.department_id else None,
        "service_notice": None,
        "requested_datetime": iso(ticket.created_at),
        "updated_datetime": iso(ticket.updated_at),
        "expected_datetime": iso(ticket.resolution_due_at),
        # An anonymous report's typed address is left out as its pin is rounded: the kelurahan stands in.
        "address": queries.public_address(ticket.privacy, ticket.address)
        or (ticket.area.name if ticket.area_id else None),
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lng,
        "media_url": _media_url(ticket, request, events),
    }
    if confidential:
        record = _status_only(record, ticket)
    if extensions:
        record["extended_attributes"] = (
            None if confidential else {"kind": ticket.kind, "kelurahan": ticket.area.name if ticket.area_id else None}
        )
        record["notes"] = [
            {
                "datetime": iso(event.created_at),
                "type": event.type,
                "summary": str(EventType(event.type).label) if event.type in EventType.values else event.type,
                "description": note_text(event, ticket) or None,
            }
            for event in events
        ]
    return record
