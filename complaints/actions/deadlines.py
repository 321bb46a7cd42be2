"""Deadlines already running follow the administrator's corrections to the calendar. See
complaints/actions/__init__.py.

Every stored deadline (response due, resolution due, end of the closing window) is the end of the Nth working day
after a moment in the past, counted from the next working day. A day that stops being a working day later than
today inside that span (a day off added, or a working-day correction of a listed holiday removed) delays it by
exactly one working day; a day that becomes one (the day off removed, a listed holiday made a working day) brings it
one working day nearer. Today is inside the span of a deadline whose count started before today (a surprise day off
announced the same morning, for a flood or an election), not of one started today. Days before today, and a
correction that leaves the day as it was (a day off on a weekend, a national holiday or cuti bersama), change no
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

from services.calendar import PACKAGE_CALENDAR, WITA, Corrections, is_weekend, is_working_day
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
# The note's first line: (kind, added) → text.
NOTES = {
    (DayOff.Kind.DAY_OFF, True): gettext_noop(
        "Day off %(date)s (%(name)s) added: the deadlines below move one working day later."
    ),
    (DayOff.Kind.DAY_OFF, False): gettext_noop(
        "Day off %(date)s (%(name)s) removed: the deadlines below move one working day earlier."
    ),
    (DayOff.Kind.WORKING_DAY, True): gettext_noop(
        "Working day %(date)s (%(name)s) added: the holiday the calendar lists is worked, the deadlines below move "
        "one working day earlier."
    ),
    (DayOff.Kind.WORKING_DAY, False): gettext_noop(
        "Working day %(date)s (%(name)s) removed: it is a holiday again, the deadlines below move one working day "
        "later."
    ),
}


def day_off_effect(day: dt.date, *, kind: str = DayOff.Kind.DAY_OFF, today: dt.date | None = None) -> str:
    """Whether adding or removing a correction of this ``kind`` on ``day`` moves running deadlines:

    - ``"past"``: the day is before today, inside no window still to count;
    - ``"closed_anyway"``: a day off on a weekend day, national holiday or cuti bersama, never a working day;
    - ``"unchanged"``: a working day where the calendar lists no holiday on a weekday (the admin refuses it);
    - ``"moves"``: the day is a working day with the correction and not without it, or the reverse, from today on,
      so deadlines counting it move (today: only those whose count started before today, as windows count from
      the day after their start).
    """
    today = today or timezone.now().astimezone(WITA).date()
    if day < today:
        return "past"
    if kind == DayOff.Kind.WORKING_DAY:
        return "unchanged" if is_weekend(day) or is_working_day(day, PACKAGE_CALENDAR) else "moves"
    if not is_working_day(day, PACKAGE_CALENDAR):
        return "closed_anyway"
    return "moves"


def _step(day: dt.date, direction: int, corrections: Corrections) -> dt.date:
    day += dt.timedelta(days=direction)
    while not is_working_day(day, corrections):
        day += dt.timedelta(days=direction)
    return day


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=WITA)


def move_deadlines_for_day_off(
    day: dt.date, *, added: bool, actor=None, name: str = "", kind: str = DayOff.Kind.DAY_OFF
) -> int:
    """Move the running deadlines that count ``day`` now that a correction of this ``kind`` is ``added`` on it
    or removed: a day off added or a working day removed closes the day, the reverse opens it.

    Open tickets' resolution due date, and their response due date while still awaiting verification (as the
    escalation and the queue's "overdue" read it), the end of the closing window of resolved tickets and of those
    the reporter closed within it (they may rate until then): each one falling on or after a day that closes moves
    to the next working day, each one after a day that opens to the previous working day, end of that day
    (23:59:59 WITA) as ``add_working_days`` gives. When ``day`` is today, only the deadlines counted from before
    today move: routed (or forwarded) before today and not reopened today for the response and resolution dates,
    resolved before today for the closing window. The calendar is the administrator's corrections as stored, with
    ``day`` opened or closed, so the call may come before or after the row is saved or deleted, as long as any
    other correction changed with it is already stored (a changed date: remove the old one before saving, add
    the new one after).

    Each moved ticket gets one internal note saying what moved (no email). Returns how many tickets moved.
    """
    kind = DayOff.Kind(kind)
    today = timezone.now().astimezone(WITA).date()
    if day_off_effect(day, kind=kind, today=today) != "moves":
        return 0
    closes = added == (kind == DayOff.Kind.DAY_OFF)
    corrections = Corrections.stored(day).with_day(day, working=not closes)
    if closes:
        threshold = dt.datetime.combine(day, dt.time.min, tzinfo=WITA)  # due on the day itself or later
        direction = 1
    else:
        # A deadline on the day itself was counted without it as a working day: it stays.
        threshold = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=WITA)
        direction = -1

    counting = Q(status__in=OPEN_STATUSES, resolution_due_at__gte=threshold) | Q(
        status=Status.ROUTED, response_due_at__gte=threshold
    )
    closing = Q(status__in=(Status.RESOLVED, Status.CLOSED), close_window_ends_at__gte=threshold)
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
        header = _(NOTES[kind, added]) % {"date": format_date(day, "DATE_FORMAT"), "name": name}
        labels = {field: _(label) for field, label in DEADLINE_LABELS.items()}

        def show(value: dt.date) -> str:
            if value not in shown:
                shown[value] = format_date(value, "DATE_FORMAT")
            return shown[value]

        def fields_of(ticket: Ticket) -> list[str]:
            if ticket.status in (Status.RESOLVED, Status.CLOSED):
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
                        moved_to[old_day] = _step(old_day, direction, corrections)
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
                            "kind": kind.value,
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
