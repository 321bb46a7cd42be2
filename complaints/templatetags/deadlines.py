"""The deadlines as the citizen's "what happens next" card tells them (templates/complaints/_next_steps.html): a date
still ahead is a promise, a date passed is late (and says whom the escalation told), and an urgent report says what
urgent means. A page kept promising "verified by 14 December" on the 15th."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils import timezone

from complaints import routing
from complaints.models import Status

register = template.Library()


@dataclass(frozen=True)
class Deadline:
    due_at: object
    late: bool  # passed while the department's clock runs (a question to the citizen pauses it)


@dataclass(frozen=True)
class CitizenDeadlines:
    response: Deadline | None  # while the department has not verified it
    resolution: Deadline | None
    paused: bool  # passed while the department waits for the citizen's answer: neither late nor a promise
    alerted: int  # the escalation level: 1 the department's head, 2 the inspectorate too
    urgent: bool
    urgent_hours: int  # the hours to a first answer while it awaits verification (0: working days, as any other)

    @property
    def response_format(self) -> str:
        """The response due date's format: an urgent one is due at an hour, not at the end of a working day."""
        return r"j F Y, H:i \W\I\T\A" if self.urgent_hours else "j F Y"


@register.filter
def verification_on_the_clock(ticket) -> bool:
    """``{% if ticket|verification_on_the_clock %}``: the ticket's verification is due at an hour counted on the clock
    (urgent, ``URGENT_RESPONSE_HOURS`` not 0), not at the end of a working day. The staff ticket page then shows it
    with its weekday and time, as it may fall on a night, a weekend or a holiday ("Minggu, 13 Des 2026 22:26 WITA"),
    as the queue's due column does (``queue_rows``)."""
    from complaints.actions.deadlines import counts_on_the_clock

    return counts_on_the_clock(ticket)


@register.simple_tag
def citizen_deadlines(ticket) -> CitizenDeadlines:
    """``{% citizen_deadlines ticket as deadlines %}`` for an open ticket."""
    now = timezone.now()
    paused = ticket.waiting_for_citizen_since is not None

    def deadline(due_at):
        return Deadline(due_at, due_at < now and not paused) if due_at is not None else None

    response = deadline(ticket.response_due_at) if ticket.status == Status.ROUTED else None
    resolution = deadline(ticket.resolution_due_at)
    passed = [d for d in (response, resolution) if d is not None and d.due_at < now]
    late = any(d.late for d in passed)
    urgent = ticket.priority == routing.PRIORITY_URGENT
    return CitizenDeadlines(
        response=response,
        resolution=resolution,
        paused=paused and bool(passed),
        alerted=ticket.escalation_level if late else 0,
        urgent=urgent,
        urgent_hours=routing.urgent_response_hours() if urgent and ticket.status == Status.ROUTED else 0,
    )
