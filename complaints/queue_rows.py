"""The staff queue's table rows as HTML, built in Python.

A page of 100 rows through the template engine resolved ~25 variables and tags per row, and that cost
more than all of the page's SQL (cProfile, 1,000,000 tickets). Here each row is one ``str.format`` of
values worked out once, each escaped by ``_html`` (what ``format_html`` does, without its lazy-string
wrapper on every value), and dates are written from month names translated once per page instead of
through ``dateformat``. The table around the rows, its header and the empty state stay in
``templates/staff/_queue_results.html``.
"""

from __future__ import annotations

import html

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from services.models import Service, StaffMembership

from .actions.deadlines import counts_on_the_clock
from .models import OPEN_STATUSES, EventType, Privacy, Status, TicketEvent
from .queries import missed_deadlines, next_deadline

STATUS_BADGES = {
    Status.ROUTED: "primary",
    Status.ACKNOWLEDGED: "info",
    Status.IN_PROGRESS: "warning",
    Status.RESOLVED: "success",
}

# ``data-label``: the column's name, which a phone writes before the value where the table's rows stack into cards
# (portal.css: a 360 px screen needed a sideways swipe for the table).
ROW = (
    '<tr data-reference="{reference}"{row_class}>'
    '<td><input class="form-check-input row-select" type="checkbox" name="ids" value="{pk}"{checked}'
    ' aria-label="{select} {reference}"></td>'
    '<td class="text-nowrap"><a href="{url}">{reference}</a>{privacy}'
    '<div class="text-muted text-truncate queue-title">{title}</div></td>'
    "<td>{service}{department}</td>"
    "<td>{kelurahan}</td>"
    '<td><span class="badge text-bg-{badge}">{status}</span>{reopened}{escalated}</td>'
    '<td data-label="{label_priority}">{priority}</td>'
    '<td class="text-nowrap" title="{filed}" data-label="{label_age}">{age_days}</td>'
    '<td class="queue-due" data-label="{label_due}">{due}</td>'
    '<td data-label="{label_assignee}">{assignee}</td>'
    '<td data-label="{label_supporters}">{supporters}</td>'
    '<td data-label="{label_duplicates}">{duplicates}</td>'
    "</tr>\n"
)


def with_assignee_membership(tickets: QuerySet) -> QuerySet:
    """The queue's tickets with ``assignee_is_member``: whether the assignee is an active member of the ticket's
    department, in the rows' own query (PostgreSQL leaves it out of the page's count, which does not read it)."""
    member = StaffMembership.objects.filter(
        user_id=OuterRef("assignee_id"), department_id=OuterRef("department_id"), active=True
    )
    return tickets.annotate(assignee_is_member=Exists(member))


def with_reopened(tickets: QuerySet) -> QuerySet:
    """The queue's tickets with ``was_reopened``: whether a citizen or officer ever reopened the ticket, in the rows'
    own query (event_reopened_idx answers it; the page's count leaves it out)."""
    reopened = TicketEvent.objects.filter(ticket_id=OuterRef("pk"), type=EventType.REOPENED)
    return tickets.annotate(was_reopened=Exists(reopened))


def assignee_has_left(ticket) -> bool:
    """An assignee whose account is switched off, or who is no longer an active member of the ticket's department
    (they get 404 on it): the ticket waits for someone to reassign it. ``assignee_is_member`` from
    ``with_assignee_membership``, else one query."""
    if not ticket.assignee_id:
        return False
    if not ticket.assignee.is_active:
        return True
    if not ticket.department_id:
        return False
    member = getattr(ticket, "assignee_is_member", None)
    if member is None:
        member = StaffMembership.objects.filter(
            user_id=ticket.assignee_id, department_id=ticket.department_id, active=True
        ).exists()
    return not member


def _html(value) -> str:
    """``value`` escaped for HTML unless it is already safe markup (``conditional_escape``)."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


class _Page:
    """What every row of one page shares: translated labels, the ticket URL prefix, the time."""

    def __init__(self, *, show_department: bool, ticked=frozenset()):
        self.now = timezone.now()
        self.show_department = show_department
        self.ticked = ticked
        self.ticket_base = reverse("staff:ticket", args=["REF"])[: -len("REF/")]
        # Translated once: get_FOO_display() hashes every lazy choice label on each call.
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.priority_labels = {value: str(label) for value, label in Service.Priority.choices}
        self.select = _("Select")
        self.overdue = _("overdue")
        # The date due next and what is due by it: "resolve by 9 Des 2026" on a ticket already verified hid that
        # an unverified one had to be verified today.
        self.due_by = {"response": _("verify by %(date)s"), "resolution": _("resolve by %(date)s")}
        self.also_resolve_by = _("resolution due %(date)s")
        self.missed = {"response": _("verification overdue"), "resolution": self.overdue}
        self.waiting = _("Waiting for the citizen since %(since)s WITA; the clock is paused.")
        self.privacy_badges = {
            Privacy.CONFIDENTIAL: format_html(' <span class="badge text-bg-dark">{}</span>', _("confidential")),
            Privacy.ANONYMOUS: format_html(' <span class="badge text-bg-secondary">{}</span>', _("anonymous")),
        }
        # Ticket.escalation_level in words (complaints.actions.dispatch): who was told the ticket is overdue.
        self.escalations = {
            1: format_html('<div class="escalated small">{}</div>', _("Escalated to the head")),
            2: format_html('<div class="escalated small">{}</div>', _("Escalated to the inspectorate")),
        }
        # In a list of tickets escalated to the inspectorate in the past (``queries.escalated_to_inspectorate``): when.
        self.escalated_on = _("Escalated to the inspectorate on %(date)s")
        # A reopened ticket came back after it was called solved: it stands out until it is solved again.
        self.reopened = format_html(' <span class="badge reopened text-bg-light border">{}</span>', _("Reopened"))
        self.pool = format_html('<span class="text-muted">{}</span>', _("pool"))
        self.inactive = _("%(person)s (inactive)")
        self.inactive_title = _("No longer an active member of this department: reassign the ticket.")
        # Urgent and high priority stand out in colour and words (portal.css: contrast of 4.5:1 or more); the others
        # stay plain text.
        self.priority_badges = {
            value: format_html(
                '<span class="badge priority-badge priority-{}">{}</span>', css, self.priority_labels[value]
            )
            for value, css in ((Service.Priority.URGENT, "urgent"), (Service.Priority.HIGH, "high"))
        }
        self.labels = {
            f"label_{name}": html.escape(str(label))
            for name, label in (
                ("priority", _("Priority")),
                ("age", _("Age (days)")),
                ("due", _("Due")),
                ("assignee", _("Assignee")),
                ("supporters", _("Supporters")),
                ("duplicates", _("Possible duplicates")),
            )
        }
        # The "M" of Django's date format: the month's three-letter name in the active language, titled.
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}
        self.weekdays = {number: str(name) for number, name in WEEKDAYS.items()}  # Monday is 0, as date.weekday()

    def day(self, moment) -> str:
        """``moment|date:"j M Y"`` in the current time zone, as every date on the site ("7 Des 2026")."""
        local = timezone.localtime(moment)
        return f"{local.day} {self.months[local.month]} {local.year}"

    def on_the_clock(self, moment) -> str:
        """An urgent verification time counted on the clock, as the ticket page shows it (``date:"l, j M Y H:i"``,
        see ``templatetags.deadlines``): "Minggu, 13 Des 2026 22:26 WITA". A date alone hid that it is due tonight."""
        local = timezone.localtime(moment)
        return f"{self.weekdays[local.weekday()]}, {self.day(local)} {local.hour:02d}:{local.minute:02d} WITA"

    def due(self, ticket, missed: list[str]) -> SafeString:
        """The date due next and what is due by it (``queries.next_deadline``: verify by, else resolve by), red when
        missed: a ticket nobody verified by its response due date is overdue before its resolution due date comes.
        While the department waits for the citizen's answer the row says so in words, and counts as overdue only for
        a date missed before the wait began."""
        due = self._due(ticket, missed)
        since = ticket.waiting_for_citizen_since
        if since is None:
            return due
        local = timezone.localtime(since)
        when = f"{self.day(local)} {local.hour:02d}:{local.minute:02d}"
        return format_html('{}<div class="waiting-for-citizen">{}</div>', due, self.waiting % {"since": when})

    def _due(self, ticket, missed: list[str]) -> SafeString:
        deadline = next_deadline(ticket)
        if deadline is None:
            return mark_safe("—")
        kind, moment = deadline
        shown_at = self.on_the_clock(moment) if kind == "response" and counts_on_the_clock(ticket) else self.day(moment)
        text = self.due_by[kind] % {"date": shown_at}
        if kind in missed:
            shown = format_html('<span class="overdue">⚠ {} ({})</span>', text, self.missed[kind])
        else:
            shown = format_html("<span>{}</span>", text)
        if kind == "response" and ticket.resolution_due_at is not None:
            # The resolution date is still owed after verifying: smaller, red once it is missed too.
            later = self.also_resolve_by % {"date": self.day(ticket.resolution_due_at)}
            css = "overdue small" if "resolution" in missed else "text-muted small"
            shown = format_html('{}<div class="{}">{}</div>', shown, css, later)
        return shown

    def assignee(self, ticket):
        if not ticket.assignee_id:
            return self.pool
        if assignee_has_left(ticket):
            text = self.inactive % {"person": ticket.assignee}
            return format_html('<span class="assignee-inactive" title="{}">{}</span>', self.inactive_title, text)
        return str(ticket.assignee)

    def escalated(self, ticket):
        escalated_at = getattr(ticket, "inspectorate_escalated_at", None)
        if escalated_at is None:
            return self.escalations.get(min(ticket.escalation_level, 2), "")
        text = self.escalated_on % {"date": self.day(escalated_at)}
        return format_html('<div class="escalated small">{}</div>', text)

    def row(self, ticket) -> str:
        missed = missed_deadlines(ticket, self.now)
        department = ""
        if self.show_department and ticket.department_id:
            department = format_html('<div class="text-muted">{}</div>', ticket.department.short_name)
        duplicates = ticket.duplicate_candidate_count
        filed = timezone.localtime(ticket.created_at)
        values = dict(
            reference=ticket.reference,
            row_class=mark_safe(' class="table-danger"') if missed else "",
            pk=ticket.pk,
            checked=mark_safe(" checked") if ticket.pk in self.ticked else "",
            select=self.select,
            url=f"{self.ticket_base}{ticket.reference}/",
            privacy=self.privacy_badges.get(ticket.privacy, ""),
            title=ticket.title,
            service=(ticket.service.name if ticket.service_id else "") or "—",
            department=department,
            kelurahan=(ticket.area.name if ticket.area_id else "") or "—",
            badge=STATUS_BADGES.get(ticket.status, "secondary"),
            status=self.status_labels.get(ticket.status, ticket.status),
            reopened=self.reopened if getattr(ticket, "was_reopened", False) and ticket.status in OPEN_STATUSES else "",
            escalated=self.escalated(ticket),
            priority=self.priority_badges.get(ticket.priority)
            or self.priority_labels.get(ticket.priority, ticket.priority),
            filed=f"{self.day(filed)} {filed.hour:02d}:{filed.minute:02d}",
            age_days=(self.now - ticket.created_at).days,
            due=self.due(ticket, missed),
            assignee=self.assignee(ticket),
            supporters=ticket.support_count,
            duplicates=(
                format_html('<span class="badge text-bg-warning">{}</span>', duplicates) if duplicates else "0"
            ),
        )
        return ROW.format(**self.labels, **{name: _html(value) for name, value in values.items()})


def queue_rows_html(rows, *, show_department: bool, ticked=frozenset()) -> SafeString:
    """The ``<tr>`` elements of one page of the queue (the rows of ``queries.queue_page``); ``ticked``: the ids of
    the tickets whose box is ticked (a refused bulk action's)."""
    page = _Page(show_department=show_department, ticked=ticked)
    return mark_safe("".join(page.row(ticket) for ticket in rows))
