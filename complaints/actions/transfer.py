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

Asked to (``copy_setup``, what a merge wants), it also copies the old department's canned responses and shared saved
filters to the new one (``copy_department_setup``): its staff keep their ready-made replies and shared queue views.
Copies, not moves: the old department keeps its own. Planning work (activities, proposals) is never moved here: an
activity's budget lines are its year's accounts, moved knowingly in the planning admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Department, Service, StaffMembership

from ..events import new_event
from ..models import OPEN_STATUSES, CannedResponse, EventType, SavedFilter, Status, Ticket, TicketEvent
from ..notifications import NotificationBatch, followers_of, notify_followers

__all__ = [
    "TRANSFER_STATUSES",
    "copy_department_setup",
    "department_setup",
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
class SetupCopied:
    """What ``copy_department_setup`` copied to the new department."""

    canned: int  # canned responses copied
    canned_skipped: int  # canned responses the new department already had a title for
    filters: int  # shared saved filters copied


@dataclass(frozen=True)
class TransferOutcome:
    moved: int
    unassigned: int  # of them, reports whose assignee was cleared
    notified: int  # emails queued to reporters and followers
    copied: SetupCopied | None = None  # None: the department's set-up was not asked to be copied


def department_setup(department: Department) -> tuple[int, int]:
    """(canned responses, shared saved filters) of ``department``: what ``copy_department_setup`` would copy."""
    return (
        CannedResponse.objects.filter(department=department).count(),
        SavedFilter.objects.filter(department=department, shared=True).count(),
    )


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def rewrite_department(query: str, *, source: Department, target: Department) -> str:
    """A saved filter's stored query (the queue's query string, ``staff_views.save_filter``) with its ``department``
    parameter naming ``target`` where it named ``source``; every other parameter as it was."""
    data = QueryDict(query, mutable=True)
    if "department" not in data:
        return query
    values = data.getlist("department")
    data.setlist("department", [str(target.pk) if value == str(source.pk) else value for value in values])
    return data.urlencode()


def copy_department_setup(*, source: Department, target: Department) -> SetupCopied:
    """Copy the canned responses and the shared saved filters of ``source`` to ``target`` (copies: ``source`` keeps
    its own). A canned response whose title ``target`` already has (in any case and spacing) is skipped; a saved
    filter whose stored query filters on ``source`` filters on ``target`` in its copy, and one ``target`` already has
    (same owner, name and query: a second run) is not copied again. The owner of a copied filter stays its owner."""
    titles = {
        _title_key(title) for title in CannedResponse.objects.filter(department=target).values_list("title", flat=True)
    }
    canned, skipped = [], 0
    for response in CannedResponse.objects.filter(department=source).order_by("title", "pk"):
        key = _title_key(response.title)
        if key in titles:
            skipped += 1
            continue
        titles.add(key)
        canned.append(CannedResponse(department=target, title=response.title, body=response.body))
    CannedResponse.objects.bulk_create(canned)
    existing = set(SavedFilter.objects.filter(department=target).values_list("owner_id", "name", "query"))
    filters = []
    for saved in SavedFilter.objects.filter(department=source, shared=True).order_by("pk"):
        query = rewrite_department(saved.query, source=source, target=target)[
            : SavedFilter._meta.get_field("query").max_length
        ]
        if (saved.owner_id, saved.name, query) in existing:
            continue
        existing.add((saved.owner_id, saved.name, query))
        filters.append(
            SavedFilter(owner_id=saved.owner_id, department=target, name=saved.name, query=query, shared=True)
        )
    SavedFilter.objects.bulk_create(filters)
    return SetupCopied(canned=len(canned), canned_skipped=skipped, filters=len(filters))


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
    *,
    source: Department,
    target: Department,
    reason: str,
    actor,
    services=None,
    copy_setup: bool = False,
    batch_size: int = BATCH_SIZE,
) -> TransferOutcome:
    """Move every report of ``source`` (of ``services`` only, when given) that is open or resolved to ``target``,
    keeping everything but the department (and an assignee who is not a member of ``target``). One transaction:
    the reports are locked first, then written ``batch_size`` at a time with a few statements each; the emails are
    queued as rows in the same transaction and sent by ``send_notifications`` tasks after the commit. With
    ``copy_setup`` the canned responses and shared saved filters of ``source`` are copied to ``target`` in the same
    transaction (``copy_department_setup``)."""
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
        copied = copy_department_setup(source=source, target=target) if copy_setup else None
    return TransferOutcome(moved=moved, unassigned=unassigned, notified=notified, copied=copied)


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
