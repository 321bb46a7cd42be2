"""Catalogue entries and tickets as GeoReport v2 records (plain dicts in the specification's field order).

Only fields the public may see: no names, no contact details, an anonymous report's pin rounded
(``complaints.queries.public_pin``); tickets come from ``complaints.queries.public_tickets`` so confidential ones
never get here.
"""

from __future__ import annotations

from django.utils import timezone

from complaints import queries
from complaints.models import Attachment, EventType, Status

CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE)
# Public events whose text answers the citizen: the latest one is the request's status_notes.
NOTE_EVENT_TYPES = (EventType.REPLY, EventType.RESOLVED, EventType.REJECTED, EventType.REOPENED, EventType.MERGED)
_TEXT_KEYS = ("message", "text", "body", "note", "reply", "resolution", "reason", "comment")


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


def service_record(service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
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


def request_record(ticket, request, *, extensions: bool = False) -> dict:
    events = _public_events(ticket)
    notes = [e for e in events if e.type in NOTE_EVENT_TYPES and event_text(e)]
    lat, lng = queries.public_pin(ticket.privacy, ticket.lat, ticket.lng)  # an anonymous report's pin, rounded
    record = {
        "service_request_id": ticket.reference,
        "status": open311_status(ticket),
        "status_notes": event_text(notes[-1]) if notes else None,
        "service_name": ticket.service.name if ticket.service_id else None,
        "service_code": ticket.service.code if ticket.service_id else None,
        "description": ticket.description,
        "agency_responsible": ticket.department.name if ticket.department_id else None,
        "service_notice": None,
        "requested_datetime": iso(ticket.created_at),
        "updated_datetime": iso(ticket.updated_at),
        "expected_datetime": iso(ticket.resolution_due_at),
        "address": ticket.address or (ticket.area.name if ticket.area_id else None),
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lng,
        "media_url": _media_url(ticket, request, events),
    }
    if extensions:
        record["extended_attributes"] = {"kind": ticket.kind, "kelurahan": ticket.area.name if ticket.area_id else None}
        record["notes"] = [
            {
                "datetime": iso(event.created_at),
                "type": event.type,
                "summary": str(EventType(event.type).label) if event.type in EventType.values else event.type,
                "description": event_text(event) or None,
            }
            for event in events
        ]
    return record
