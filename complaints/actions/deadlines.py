"""Deadlines already running follow the administrator's days off. See complaints/actions/__init__.py.

Every stored deadline (response due, resolution due, end of the closing window) is the end of the Nth working day
after a moment in the past, counted from the next working day. A day off added later than today inside that span
delays it by exactly one working day; removing one brings it one working day nearer. Today is inside the span of a
deadline whose count started before today (a surprise day off announced the same morning, for a flood or an
election), not of one started today. Days before today, weekends and national holidays or cuti bersama change no
count: a past day was already worked or not, and the deadlines it touched are history.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from services.calendar import WITA, is_working_day
from services.models import DayOff

from ..events import new_event
from ..models import OPEN_STATUSES, EventType, Status, Ticket, TicketEvent

__all__ = ["day_off_effect", "move_deadlines_for_day_off"]

BATCH = 1000

# Which deadline each field is, in the note recorded on the ticket (labels shared with the escalation's details).
DEADLINE_LABELS = {
    "response_due_at": gettext_noop("Response due"),
    "resolution_due_at": gettext_noop("Resolution due"),
    "close_window_ends_at": gettext_noop("Closing window ends"),
}
NOTE_ADDED = gettext_noop("Day off %(date)s (%(name)s) added: the deadlines below move one working day later.")
NOTE_REMOVED = gettext_noop("Day off %(date)s (%(name)s) removed: the deadlines below move one working day earlier.")


def day_off_effect(day: dt.date, *, today: dt.date | None = None) -> str:
    """Whether adding or removing ``day`` as a day off moves running deadlines:

    - ``"past"``: the day is before today, inside no window still to count;
    - ``"closed_anyway"``: a weekend day, national holiday or cuti bersama, never a working day;
    - ``"moves"``: a working day from today on, so deadlines counting it move (today: only those whose count
      started before today, as windows count from the day after their start).
    """
    today = today or timezone.now().astimezone(WITA).date()
    if day < today:
        return "past"
    if not is_working_day(day, admin_days_off=set()):
        return "closed_anyway"
    return "moves"


def _step(day: dt.date, direction: int, days_off: set[dt.date]) -> dt.date:
    day += dt.timedelta(days=direction)
    while not is_working_day(day, days_off):
        day += dt.timedelta(days=direction)
    return day


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)


def move_deadlines_for_day_off(day: dt.date, *, added: bool, actor=None, name: str = "") -> int:
    """Move the running deadlines that count ``day`` now that it is (``added``) or is no longer a day off.

    Open tickets' resolution due date, and their response due date while still awaiting verification (as the
    escalation and the queue's "overdue" read it), resolved tickets' end of the closing window: each one falling
    on or after the day added moves to the next working day, each one after the day removed to the previous
    working day, end of that day (23:59:59 WITA) as ``add_working_days`` gives. When ``day`` is today, only the
    deadlines counted from before today move: routed (or forwarded) before today and not reopened today for the
    response and resolution dates, resolved before today for the closing window. The calendar is the administrator's
    days off as stored, with ``day`` added or taken out, so the call may come before or after the row is saved or
    deleted, as long as any other day off changed with it is already stored (a changed date: remove the old one
    before saving, add the new one after).

    Each moved ticket gets one internal note saying what moved (no email). Returns how many tickets moved.
    """
    today = timezone.now().astimezone(WITA).date()
    if day_off_effect(day, today=today) != "moves":
        return 0
    days_off = set(DayOff.objects.filter(date__gte=day).values_list("date", flat=True))
    if added:
        days_off.add(day)
        threshold = dt.datetime.combine(day, dt.time.min, tzinfo=WITA)  # due on the day itself or later
        direction = 1
    else:
        days_off.discard(day)
        # A deadline on the day itself was counted without it as a day off: it stays.
        threshold = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=WITA)
        direction = -1

    counting = Q(status__in=OPEN_STATUSES, resolution_due_at__gte=threshold) | Q(
        status=Status.ROUTED, response_due_at__gte=threshold
    )
    closing = Q(status=Status.RESOLVED, close_window_ends_at__gte=threshold)
    start_of_day = dt.datetime.combine(day, dt.time.min, tzinfo=WITA)
    if day == today:
        # Today is counted only by windows started before it. Routing and forwarding set routed_at and both dates;
        # a reopening (Ticket.reopen, recorded as a "reopened" event) sets the resolution date from its own moment,
        # so a ticket routed earlier but reopened today started its count today. A ticket routed again after a
        # reopening has routed_at after it: the two checks together read the latest start. created_at stands in
        # for a start never stored.
        reopened_today = TicketEvent.objects.filter(
            ticket=OuterRef("pk"), type=EventType.REOPENED, created_at__gte=start_of_day
        )
        counting &= Q(started__lt=start_of_day) & ~Exists(reopened_today)
        closing &= Q(resolved__lt=start_of_day)
    candidates = (
        Ticket.objects.alias(
            started=Coalesce("routed_at", "created_at"), resolved=Coalesce("resolved_at", "created_at")
        )
        .filter(counting | closing)
        .only("id", "status", "response_due_at", "resolution_due_at", "close_window_ends_at")
        .order_by("pk")
    )

    now = timezone.now()
    moved_to: dict[dt.date, dt.date] = {}
    shown: dict[dt.date, str] = {}
    with translation.override(settings.LANGUAGE_CODE):  # the note is stored in the site's language
        header = _(NOTE_ADDED if added else NOTE_REMOVED) % {"date": format_date(day, "DATE_FORMAT"), "name": name}
        labels = {field: _(label) for field, label in DEADLINE_LABELS.items()}

        def show(value: dt.date) -> str:
            if value not in shown:
                shown[value] = format_date(value, "DATE_FORMAT")
            return shown[value]

        def fields_of(ticket: Ticket) -> list[str]:
            if ticket.status == Status.RESOLVED:
                return ["close_window_ends_at"]
            if ticket.status == Status.ROUTED:
                return ["response_due_at", "resolution_due_at"]
            return ["resolution_due_at"]

        count = 0
        tickets: list[Ticket] = []
        events: list[TicketEvent] = []

        def flush():
            Ticket.objects.bulk_update(
                tickets, ["response_due_at", "resolution_due_at", "close_window_ends_at", "updated_at"]
            )
            TicketEvent.objects.bulk_create(events)
            tickets.clear()
            events.clear()

        with transaction.atomic():
            for ticket in candidates.select_for_update().iterator(chunk_size=BATCH):
                lines, moved = [], {}
                for field in fields_of(ticket):
                    due = getattr(ticket, field)
                    if due is None or due < threshold:
                        continue
                    old_day = due.astimezone(WITA).date()
                    if old_day not in moved_to:
                        moved_to[old_day] = _step(old_day, direction, days_off)
                    new_due = _end_of(moved_to[old_day])
                    setattr(ticket, field, new_due)
                    moved[field] = [due.astimezone(WITA).isoformat(), new_due.isoformat()]
                    lines.append(f"{labels[field]}: {show(old_day)} → {show(moved_to[old_day])}")
                if not moved:
                    continue
                ticket.updated_at = now  # Open311 and the API's "updated since" see the new dates
                tickets.append(ticket)
                events.append(
                    new_event(
                        ticket=ticket,
                        type=EventType.NOTE,
                        actor=actor,
                        public=False,
                        payload={
                            "message": "\n".join([header, *lines]),
                            "day_off": day.isoformat(),
                            "day_off_added": added,
                            "moved": moved,
                        },
                    )
                )
                count += 1
                if len(tickets) >= BATCH:
                    flush()
            if tickets:
                flush()
    return count
