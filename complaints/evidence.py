"""One ticket's whole history as evidence for an audit finding (the Inspektorat's LHP, BPKAD): its facts and due
dates, every event of its timeline (internal notes and the inspectorate's included: only staff read it), its photos
with their size and SHA-256, so a copy can be checked against the portal's file, and who printed or downloaded it,
when (WITA) and from where.

The staff page's print view (``staff_views.ticket_evidence``) and its XLSX and CSV downloads read the same
``Evidence``: the paper and the files say the same. The timeline names people as the staff ticket page does
(``queries.staff_ticket_timeline`` hides an anonymous reporter); the reporter's identity and contact details are
not part of it, as in the queue's export.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity import spreadsheets
from smartcity.spreadsheets import in_wita

from . import queries
from .event_text import event_details, event_message, event_reason
from .exports import CONTENT_TYPES, ESCALATION_WORDS, csv_cell, xlsx_cell
from .models import Attachment, EventType, Ticket, TicketEvent

FORMATS = ("xlsx", "csv")
HASH_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Fact:
    """One line of the ticket's facts: a text (``value``) or a time (``when``, shown in WITA)."""

    label: str
    value: str = ""
    when: dt.datetime | None = None


@dataclass(frozen=True)
class Entry:
    """One event of the timeline in words: who did what, the words they wrote, and what else the event says."""

    when: dt.datetime
    who: str
    what: str
    internal: bool
    text: str  # people's words (a reply, a note, a resolution): never translated
    details: list[str] = field(default_factory=list)  # a reason, a level, a forward's departments, the due dates


@dataclass(frozen=True)
class Photo:
    name: str
    purpose: str
    when: dt.datetime
    size: int | None  # None: the file is missing from storage
    sha256: str


@dataclass(frozen=True)
class Evidence:
    ticket: Ticket
    facts: list[Fact]
    description: str
    entries: list[Entry]
    photos: list[Photo]
    taken_by: str
    taken_at: dt.datetime
    site: str

    @property
    def safe_reference(self) -> str:
        """The reference in letters, digits and hyphens only, whatever a reference could hold: in the files' names,
        and as the CSS string the print stylesheet writes at the top of every page."""
        return re.sub(r"[^A-Za-z0-9-]+", "-", self.ticket.reference or "").strip("-")


# --- the timeline, as the staff ticket page says it ------------------------------------------------------------


def event_actor(event: TicketEvent) -> str:
    """Who acted, as the staff ticket page's timeline names them: the staff member (or citizen account) by name, the
    anonymous reporter without one, "System" for what the portal did by itself (routing, escalation, closing)."""
    payload = event.payload or {}
    if event.actor is not None:
        return str(event.actor)
    if getattr(event, "by_anonymous_reporter", False):
        return _("Anonymous reporter")
    if payload.get("by") == "reporter" or getattr(event, "by_reporter", False):
        return _("The reporter")
    if payload.get("by") == "follower":
        return _("A follower")
    return _("System")


def event_title(event: TicketEvent) -> str:
    payload = event.payload or {}
    if event.type == EventType.NOTE and payload.get("by") == "inspectorate":
        if payload.get("explanation_requested"):
            return _("Explanation asked by the inspectorate")
        return _("Inspectorate note")
    return str(event.get_type_display())


def _event_text(event: TicketEvent) -> str:
    payload = event.payload or {}
    words = [event_message(event.type, payload), payload.get("note") or ""]
    return "\n".join(text for text in words if text)


def _event_details(event: TicketEvent) -> list[str]:
    """The staff timeline's lines under an event, and, for an audit, the departments a forward moved it between and
    the photos it brought (listed with their hashes under the photos)."""
    payload = event.payload or {}
    lines = []
    reason = event_reason(event.type, payload)
    if reason:
        lines.append(f"{_('Reason')}: {reason}")
    if event.type == EventType.FORWARDED:
        lines.append(f"{payload.get('from') or '—'} → {payload.get('to') or '—'}")
    if payload.get("into"):
        lines.append(f"{_('Into')}: {payload['into']}")
    if payload.get("from") and event.type == EventType.MERGED_IN:
        lines.append(f"{_('From')}: {payload['from']}")
    if event.type == EventType.ASSIGNED:
        lines.append(f"{payload.get('from') or _('pool')} → {payload.get('to') or _('pool')}")
    lines += [str(line) for line in event_details(event.type, payload, message_shown=True)]
    photos = [_file_name(photo) for photo in event.attachments.all()]
    if photos:
        lines.append(_("Photos: %(names)s") % {"names": ", ".join(photos)})
    return lines


def _entry(event: TicketEvent) -> Entry:
    return Entry(
        when=event.created_at,
        who=event_actor(event),
        what=event_title(event),
        internal=not event.public,
        text=_event_text(event),
        details=_event_details(event),
    )


# --- photos ------------------------------------------------------------------------------------------------------


def _file_name(photo: Attachment) -> str:
    return photo.image.name.rsplit("/", 1)[-1]


def _photo(photo: Attachment) -> Photo:
    """The photo as served (re-encoded, without metadata), with its size and SHA-256 read from the file itself."""
    name, purpose = _file_name(photo), str(photo.get_purpose_display())
    digest = hashlib.sha256()
    size = 0
    try:
        if not photo.image.name:
            raise FileNotFoundError
        with photo.image.storage.open(photo.image.name, "rb") as stream:
            while chunk := stream.read(HASH_CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
    except OSError:  # gone from the storage: the evidence says so rather than failing to print
        return Photo(name, purpose, photo.created_at, None, "")
    return Photo(name, purpose, photo.created_at, size, digest.hexdigest())


# --- the whole record ----------------------------------------------------------------------------------------------


def _facts(ticket: Ticket) -> list[Fact]:
    area = ticket.area
    service = f"{ticket.service.name} ({ticket.get_kind_display()})" if ticket.service_id else "—"
    return [
        Fact(_("Reference"), ticket.reference or ""),
        Fact(_("Title"), ticket.title),
        Fact(_("Service"), service),
        Fact(_("Department"), ticket.department.short_name if ticket.department_id else "—"),
        Fact(_("Kelurahan"), area.name if area else "—"),
        Fact(_("Kecamatan"), area.parent.name if area and area.parent_id else "—"),
        Fact(_("Address"), ticket.address or "—"),
        Fact(_("Status"), str(ticket.get_status_display())),
        Fact(_("Priority"), str(ticket.get_priority_display())),
        Fact(_("Privacy"), str(ticket.get_privacy_display())),
        Fact(_("Channel"), str(ticket.get_channel_display())),
        Fact(_("Assignee"), str(ticket.assignee) if ticket.assignee_id else _("Department pool")),
        Fact(_("Escalation level"), str(ESCALATION_WORDS[min(ticket.escalation_level, 2)])),
        *([Fact(_("Merged into"), ticket.duplicate_of.reference or "")] if ticket.duplicate_of_id else []),
        Fact(_("Filed at (WITA)"), when=ticket.created_at),
        Fact(_("Verified at (WITA)"), when=ticket.acknowledged_at),
        Fact(_("Resolved at (WITA)"), when=ticket.resolved_at),
        Fact(_("Closed at (WITA)"), when=ticket.closed_at),
        Fact(_("Verification due (WITA)"), when=ticket.response_due_at),
        Fact(_("Resolution due (WITA)"), when=ticket.resolution_due_at),
    ]


def ticket_evidence(ticket: Ticket, *, user) -> Evidence:
    """The evidence of ``ticket`` (from ``queries.staff_ticket``: its service, area and department joined in) taken
    by ``user`` now. A few queries, however long the timeline (``queries.staff_ticket_timeline``)."""
    timeline = queries.staff_ticket_timeline(ticket)
    photos = Attachment.objects.filter(ticket=ticket, state=Attachment.State.READY).order_by("created_at", "pk")
    page = reverse("staff:ticket_evidence", args=[ticket.reference])
    return Evidence(
        ticket=ticket,
        facts=_facts(ticket),
        description=ticket.description,
        entries=[_entry(event) for event in timeline],
        photos=[_photo(photo) for photo in photos],
        taken_by=str(user),
        taken_at=timezone.now(),
        site=f"{settings.PORTAL_NAME} ({settings.SITE_URL.rstrip('/')}{page})",
    )


# --- the downloads -------------------------------------------------------------------------------------------------

# One table, so a spreadsheet's filter and ``csv.DictReader`` read every line alike: the facts, the timeline, the
# photos and the line saying who downloaded it, each row naming its section. (Header, XLSX width in characters.)
COLUMNS = [
    (gettext_lazy("Reference"), 18),
    (gettext_lazy("Section"), 12),
    (gettext_lazy("Time (WITA)"), 17),
    (gettext_lazy("By"), 24),
    (gettext_lazy("What"), 28),
    (gettext_lazy("Text"), 60),
    (gettext_lazy("Details"), 50),
    (gettext_lazy("Internal"), 9),
    (gettext_lazy("Size (bytes)"), 12),
    (gettext_lazy("SHA-256"), 66),
]


def rows(evidence: Evidence) -> list[list]:
    """The evidence as the downloads' rows, one value per column (``COLUMNS``): texts, times (aware), numbers and
    a yes/no (internal)."""
    reference = evidence.ticket.reference or ""
    table = [
        [reference, _("Ticket"), fact.when, "", fact.label, fact.value, "", "", None, ""] for fact in evidence.facts
    ]
    table.append([reference, _("Ticket"), None, "", _("Description"), evidence.description, "", "", None, ""])
    table += [
        [reference, _("Timeline"), e.when, e.who, e.what, e.text, "\n".join(e.details), e.internal, None, ""]
        for e in evidence.entries
    ]
    table += [
        [reference, _("Photo"), p.when, "", p.name, p.purpose, "" if p.size is not None else _("File missing"), "",
         p.size, p.sha256]
        for p in evidence.photos
    ]  # fmt: skip
    table.append(
        [reference, _("Download"), evidence.taken_at, evidence.taken_by, _("Downloaded from"), evidence.site]
        + ["", "", None, ""]
    )
    return table


def file_name(evidence: Evidence, fmt: str) -> str:
    """``bukti-BJM-2026-000123-2026-03-02-1405-WITA.xlsx``: the ticket and when it was taken, in WITA."""
    return f"bukti-{evidence.safe_reference}-{in_wita(evidence.taken_at):%Y-%m-%d-%H%M}-WITA.{fmt}"


def download(evidence: Evidence, fmt: str) -> HttpResponse:
    headers = [str(label) for label, _width in COLUMNS]
    if fmt == "xlsx":
        buffer = io.BytesIO()
        spreadsheets.write_xlsx(
            buffer,
            title=evidence.ticket.reference or str(_("Ticket")),
            headers=headers,
            rows=rows(evidence),
            widths=[width for _label, width in COLUMNS],
            cell=xlsx_cell,  # the queue export's cells: times in WITA, yes/no in words, never a formula
        )
        response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    else:
        response = HttpResponse(content_type=CONTENT_TYPES["csv"])
        response.write("\ufeff")  # Excel reads UTF-8 only after a byte order mark
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows([csv_cell(value) for value in row] for row in rows(evidence))
    response["Content-Disposition"] = f'attachment; filename="{file_name(evidence, fmt)}"'
    response["Cache-Control"] = "private, no-store"  # staff's internal notes: no shared cache keeps a copy
    return response
