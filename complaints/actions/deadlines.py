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

One deadline is not counted in working days: an urgent ticket's verification time, due ``URGENT_RESPONSE_HOURS`` on
the clock after its routing (``complaints.routing.urgent_response_due``; ``counts_on_the_clock``). Nights, weekends
and holidays are included in it, so a day off never moves it (the fallen tree on the power lines is no less urgent on
the city's anniversary), and the wait for the citizen's answer gives it back the hours waited, not working days.
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

from services.calendar import PACKAGE_CALENDAR, WITA, Corrections, add_working_days, is_weekend, is_working_day
from services.models import DayOff

from .. import routing
from ..events import new_event, record_event
from ..models import OPEN_STATUSES, EventType, Status, Ticket, TicketEvent

__all__ = [
    "counts_on_the_clock",
    "day_off_effect",
    "end_citizen_wait",
    "info_wait_working_days",
    "move_deadlines_for_day_off",
    "resume_expired_waits",
    "start_citizen_wait",
    "working_days_waited",
]

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


def counts_on_the_clock(ticket: Ticket) -> bool:
    """Whether the ticket's verification time is counted on the clock, not in working days: an urgent ticket while
    ``URGENT_RESPONSE_HOURS`` is not 0 (``routing.urgent_response_due``). Its resolution date counts working days."""
    return ticket.priority == routing.PRIORITY_URGENT and routing.urgent_response_hours() > 0


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

    An urgent ticket's verification time counted on the clock (``counts_on_the_clock``) stays: a 24-hour emergency
    answer is due in 24 hours, holidays included, whatever day the administrator closes.

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
        .only("id", "status", "priority", "response_due_at", "resolution_due_at", "close_window_ends_at")
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
            if ticket.status == Status.ROUTED and not counts_on_the_clock(ticket):
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


# --- the clock paused while the department waits for the citizen ----------------------------------------------
#
# A question to the citizen ("request info") stops the ticket's clock: ``Ticket.waiting_for_citizen_since`` is set,
# and the escalation sweep leaves the ticket alone. The wait ends when the citizen answers, when staff move the
# ticket on (verify, start, resolve, reject, merge; forwarding gives new due dates from then on anyway), or by itself
# after ``INFO_WAIT_WORKING_DAYS`` working days; its open due dates then move later by the working days it lasted,
# at most that many. The event that ends it records the shift under ``payload["clock"]``
# (``complaints.event_text.clock_lines`` says it in words).


def info_wait_working_days() -> int:
    """How many working days of waiting for the citizen may pause a ticket's clock at most (0: questions pause
    nothing)."""
    return max(int(getattr(settings, "INFO_WAIT_WORKING_DAYS", 10)), 0)


def working_days_waited(since: dt.datetime, until: dt.datetime) -> int:
    """The working days a wait from ``since`` to ``until`` lasted, counted as due dates count them: each working day
    after the day it started, up to and including the day it ended (WITA). Asked and answered the same day: 0; asked
    on Friday, answered on Monday: 1."""
    first, last = since.astimezone(WITA).date(), until.astimezone(WITA).date()
    if last <= first:
        return 0
    corrections = Corrections.stored(first, last)
    day, count = first, 0
    while day < last:
        day += dt.timedelta(days=1)
        if is_working_day(day, corrections):
            count += 1
    return count


def _wait_limit(since: dt.datetime, days: int) -> dt.datetime:
    """When a wait that started at ``since`` stops pausing the clock: the end of its last working day."""
    return add_working_days(since, days)


def start_citizen_wait(ticket: Ticket, *, now: dt.datetime) -> tuple[list[str], dict | None]:
    """Staff asked the citizen a question: the ticket's clock stops, unless it already waits (a second question does
    not restart the wait) or is not in the department's hands. Returns the fields to save and the question event's
    ``clock`` payload (None: the clock does not stop)."""
    from ..workflow import WORKING

    days = info_wait_working_days()
    if ticket.status not in WORKING or days == 0:
        return [], None
    fields = []
    continued = ticket.waiting_for_citizen_since is not None
    if not continued:
        ticket.waiting_for_citizen_since = now
        fields.append("waiting_for_citizen_since")
    since = ticket.waiting_for_citizen_since
    clock = {
        "paused": True,
        "since": since.astimezone(WITA).isoformat(),
        "max_working_days": days,
        "resumes_by": _wait_limit(since, days).isoformat(),
    }
    if continued:
        clock["continued"] = True
    return fields, clock


def end_citizen_wait(
    ticket: Ticket, *, now: dt.datetime, reason: str, shift: bool = True
) -> tuple[list[str], dict | None]:
    """End the ticket's wait for the citizen, if it waits: its open due dates (the response due date while still
    awaiting verification, the resolution due date) move later by the working days waited, at most
    ``INFO_WAIT_WORKING_DAYS``; an urgent verification time counted on the clock (``counts_on_the_clock``) moves by
    the time waited instead, up to the wait's limit (``payload["clock"]["response_minutes_waited"]``): the clock that
    stopped runs again with the hours it had left, not from the end of a working day. Call it on the locked row
    before changing its status. ``reason``: ``answer`` (the citizen answered), ``staff`` (staff moved the ticket on),
    ``limit`` (the sweep, after the most days a wait may pause); ``shift=False`` (forwarding: new due dates follow)
    only clears the wait.

    Returns the fields to save and the event's ``clock`` payload (None: it was not waiting)."""
    since = ticket.waiting_for_citizen_since
    if since is None:
        return [], None
    ticket.waiting_for_citizen_since = None
    fields = ["waiting_for_citizen_since"]
    if not shift:
        return fields, None
    days = min(working_days_waited(since, now), info_wait_working_days())
    clock = {"since": since.astimezone(WITA).isoformat(), "ended": reason, "working_days": days}
    if ticket.status not in OPEN_STATUSES:
        return fields, clock
    due_fields = ["response_due_at", "resolution_due_at"] if ticket.status == Status.ROUTED else ["resolution_due_at"]
    on_the_clock = counts_on_the_clock(ticket)
    for field in due_fields:
        due = getattr(ticket, field)
        if due is None:
            continue
        if field == "response_due_at" and on_the_clock:
            waited = _time_waited(since, now)
            clock["response_minutes_waited"] = round(waited.total_seconds() / 60)
            if waited:
                due += waited
                setattr(ticket, field, due)
                fields.append(field)
        elif days:
            due = add_working_days(due, days)
            setattr(ticket, field, due)
            fields.append(field)
        clock[field] = due.astimezone(WITA).isoformat()
    return fields, clock


def _time_waited(since: dt.datetime, until: dt.datetime) -> dt.timedelta:
    """The time a wait from ``since`` to ``until`` paused a clock that counts hours: all of it, up to the wait's
    limit (the sweep ends a wait there, an answer may come before the sweep has run)."""
    most = info_wait_working_days()
    if not most:
        return dt.timedelta(0)
    return max(min(until, _wait_limit(since, most)) - since, dt.timedelta(0))


def resume_expired_waits(*, now: dt.datetime | None = None) -> int:
    """The periodic sweep: tickets waiting for the citizen for more than ``INFO_WAIT_WORKING_DAYS`` working days
    get their clock back. The wait ends at its limit, the due dates move by that many working days, and an
    internal note says so; staff decide what comes next (they may resolve or reject). Each ticket in its own
    transaction; safe to run twice. Returns how many waits ended."""
    now = now or timezone.now()
    days = info_wait_working_days()
    # N working days span at least N calendar days: a cheap prefilter on the (small) index of waiting tickets.
    waiting = (
        Ticket.objects.filter(waiting_for_citizen_since__lte=now - dt.timedelta(days=days))
        .order_by("waiting_for_citizen_since")
        .values_list("pk", "waiting_for_citizen_since")
    )
    ended = 0
    for ticket_id, since in list(waiting):
        limit = _wait_limit(since, days)
        if limit >= now:
            continue
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(of=("self",))
                .filter(pk=ticket_id, waiting_for_citizen_since=since)
                .first()
            )
            if ticket is None:  # answered or moved on meanwhile
                continue
            fields, clock = end_citizen_wait(ticket, now=limit, reason="limit")
            ticket.save(update_fields=[*fields, "updated_at"])
            record_event(ticket=ticket, type=EventType.NOTE, payload={"clock": clock}, public=False)
            ended += 1
    return ended
