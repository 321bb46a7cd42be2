"""Moving a department's reports to another department when the city reorganises its departments (SOTK, often on
1 January): Dinas PUPR split into PUPR and a new Disperkim, Perkim merged into Disperkim.

Unlike forwarding (``dispatch.forward_ticket``, for a report sent to the wrong department), a transfer is nobody's
mistake and not the citizen's doing: the status, the verification, the due dates, the escalation and the paused
clock all carry on. Only the department changes, and the assignee when they are not a member of the new one (the
report goes to its pool). Each report gets a public ``transferred`` event (its reporter and followers are emailed
once through the notification outbox, as for any event) and, when its assignee is cleared, an internal
``assigned`` one.

Only the city's administrator may do it (``may_transfer``): it moves confidential reports, which the administrator
never reads, so the page counts them and shows nothing of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Department, Service, StaffMembership

from ..events import new_event
from ..models import OPEN_STATUSES, EventType, Status, Ticket, TicketEvent
from ..notifications import NotificationBatch, followers_of, notify_followers

__all__ = [
    "TRANSFER_STATUSES",
    "may_transfer",
    "transfer_preview",
    "transfer_tickets",
    "transferable_tickets",
    "validate_transfer",
]

# The open reports, and the resolved ones their citizen may still reopen within the closing window: left behind,
# a reopening would take them back to the old department.
TRANSFER_STATUSES = (*OPEN_STATUSES, Status.RESOLVED)
# Reports written per statement: a split moves hundreds, which one request writes in a few statements each.
BATCH_SIZE = 500
MAX_REASON = 2000


def may_transfer(user) -> bool:
    """The city's administrator (the administrator group, or a superuser) who may change departments in the admin;
    a department's head or staff may not, whatever admin rights they were given."""
    from accounts.roles import ADMINISTRATOR, roles_of

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return ADMINISTRATOR in roles_of(user) and user.has_perm("services.change_department")


def transferable_tickets(source: Department, services=None) -> QuerySet[Ticket]:
    """The reports of ``source`` that a transfer moves: open or resolved, of ``services`` when some are given."""
    tickets = Ticket.objects.filter(department=source, status__in=TRANSFER_STATUSES)
    if services:
        tickets = tickets.filter(service__in=list(services))
    return tickets


def _member_ids(department: Department) -> set[int]:
    return set(
        StaffMembership.objects.filter(department=department, active=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


@dataclass(frozen=True)
class TransferPreview:
    """What a transfer would move, in counts only (confidential reports included, nothing of them shown)."""

    open: int
    resolved: int
    # (service, count) of the reports that would move, most first; None: reports without a service (triage).
    by_service: list[tuple[Service | None, int]]
    # Reports whose assignee is not an active member of the target: they go to its pool.
    unassigned: int

    @property
    def total(self) -> int:
        return self.open + self.resolved


def transfer_preview(*, source: Department, target: Department | None, services=None) -> TransferPreview:
    tickets = transferable_tickets(source, services)
    by_status = dict(tickets.order_by().values_list("status").annotate(count=Count("pk")))
    resolved = by_status.pop(Status.RESOLVED, 0)
    rows = tickets.order_by().values_list("service_id").annotate(count=Count("pk")).order_by("-count")
    catalogue = Service.objects.in_bulk([service_id for service_id, _count in rows if service_id is not None])
    unassigned = 0
    if target is not None:
        unassigned = tickets.exclude(assignee=None).exclude(assignee_id__in=_member_ids(target)).count()
    return TransferPreview(
        open=sum(by_status.values()),
        resolved=resolved,
        by_service=[(catalogue.get(service_id), count) for service_id, count in rows],
        unassigned=unassigned,
    )


@dataclass(frozen=True)
class TransferOutcome:
    moved: int
    unassigned: int  # of them, reports whose assignee was cleared
    notified: int  # emails queued to reporters and followers


def validate_transfer(*, source: Department | None, target: Department | None, reason: str) -> str:
    """The reason to record (stripped), or a ValidationError by field (``target``, ``reason``)."""
    text = (reason or "").strip()
    errors = {}
    if not text:
        errors["reason"] = _("Give the reason for the move, e.g. the regulation that reorganised the departments.")
    elif len(text) > MAX_REASON:
        errors["reason"] = _("Keep it under 2000 characters.")
    if target is None or not target.active:
        errors["target"] = _("Choose an active department.")
    elif source is not None and target.pk == source.pk:
        errors["target"] = _("Choose another department than the one the reports are with.")
    if errors:
        raise ValidationError(errors)
    return text


def transfer_tickets(
    *, source: Department, target: Department, reason: str, actor, services=None, batch_size: int = BATCH_SIZE
) -> TransferOutcome:
    """Move every report of ``source`` (of ``services`` only, when given) that is open or resolved to ``target``,
    keeping everything but the department (and an assignee who is not a member of ``target``). One transaction:
    the reports are locked first, then written ``batch_size`` at a time with a few statements each; the emails are
    queued as rows in the same transaction and sent by ``send_notifications`` tasks after the commit."""
    if not may_transfer(actor):
        raise PermissionDenied(_("Only the city's administrator may move reports between departments."))
    text = validate_transfer(source=source, target=target, reason=reason)
    moved = unassigned = notified = 0
    with transaction.atomic():
        # A report changed meanwhile (forwarded, closed) no longer matches once its lock is granted, and stays.
        ids = list(
            transferable_tickets(source, services)
            .select_for_update(of=("self",), no_key=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        members = _member_ids(target)
        for start in range(0, len(ids), batch_size):
            cleared, emails = _move_batch(
                ids[start : start + batch_size], source=source, target=target, members=members, reason=text, actor=actor
            )
            moved += len(ids[start : start + batch_size])
            unassigned += cleared
            notified += emails
    return TransferOutcome(moved=moved, unassigned=unassigned, notified=notified)


def _move_batch(ids: list[int], *, source, target, members: set[int], reason: str, actor) -> tuple[int, int]:
    """Write one batch: the department (and the cleared assignees), the events, the emails' rows. Returns how many
    assignees were cleared and how many emails were queued."""
    now = timezone.now()
    tickets = list(Ticket.objects.filter(pk__in=ids).select_related("assignee").order_by("pk"))
    cleared = [ticket for ticket in tickets if ticket.assignee_id is not None and ticket.assignee_id not in members]
    Ticket.objects.filter(pk__in=ids).update(department=target, updated_at=now)
    if cleared:
        Ticket.objects.filter(pk__in=[ticket.pk for ticket in cleared]).update(assignee=None)
    payload = {
        "from": source.short_name,
        "from_id": source.pk,
        "to": target.short_name,
        "to_id": target.pk,
        "reason": reason,
    }
    moves = [
        new_event(ticket=ticket, type=EventType.TRANSFERRED, actor=actor, payload=payload, public=True)
        for ticket in tickets
    ]
    # Who had it, on the staff timeline: the new department's pool has it now.
    pools = [
        new_event(
            ticket=ticket,
            type=EventType.ASSIGNED,
            actor=actor,
            payload={"from": str(ticket.assignee), "to": "", "to_id": None},
            public=False,
        )
        for ticket in cleared
    ]
    events = TicketEvent.objects.bulk_create(moves + pools)[: len(moves)]
    for ticket in tickets:
        ticket.department = target
    for ticket in cleared:
        ticket.assignee = None
    followers = followers_of(ids)
    batch = NotificationBatch()
    with batch.collecting():
        for ticket, event in zip(tickets, events):
            notify_followers(ticket=ticket, event=event, subscriptions=followers[ticket.pk])
    return len(cleared), len(batch.write_and_send_on_commit())
