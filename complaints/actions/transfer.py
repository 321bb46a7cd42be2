"""Moving a department's reports to another department when the city reorganises its departments (SOTK, often on
1 January): Dinas PUPR split into PUPR and a new Disperkim, Perkim merged into Disperkim.

Unlike forwarding (``dispatch.forward_ticket``, for a report sent to the wrong department), a transfer is nobody's
mistake and not the citizen's doing: the status, the verification, the due dates, the escalation and the paused
clock all carry on. Only the department changes, and the assignee when they are not a member of the new one (the
report goes to its pool). Each report gets a public ``transferred`` event (its reporter and followers are emailed
once through the notification outbox, as for any event) and, when its assignee is cleared, an internal
``assigned`` one.

The receiving department is told once (``tell_receiving_department``): one email to its heads and its contact
address with how many reports it received, how many are overdue, how many were already escalated and how many are
in its pool, linked to its queue filtered on them. The escalation level stays (the old head was told, and the
inspectorate is told next if a report stays overdue), so the escalation sweep would never tell the new head: this
email is the new head's notice of the overdue reports they now own, and what makes the citizen's page ("the head of
the department has been alerted") true of the department that has the report now.

Only the city's administrator may do it (``may_transfer``): it moves confidential reports, which the administrator
never reads, so the page counts them and shows nothing of them.

Asked to (``copy_setup``, what a merge wants), it also copies the old department's canned responses and shared saved
filters to the new one (``copy_department_setup``): its staff keep their ready-made replies and shared queue views.
Copies, not moves: the old department keeps its own. Planning work (activities, proposals) is never moved here: an
activity's budget lines are its year's accounts, moved knowingly in the planning admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Area, Department, Service, StaffMembership
from smartcity.site_links import absolute_url

from ..events import new_event
from ..models import (
    OPEN_STATUSES,
    CannedResponse,
    EventType,
    Notification,
    SavedFilter,
    Status,
    Ticket,
    TicketEvent,
)
from ..notifications import NotificationBatch, followers_of, notify_followers, queue_email
from ..queries import overdue_filter

__all__ = [
    "TRANSFER_STATUSES",
    "copy_department_setup",
    "department_setup",
    "may_transfer",
    "moved_in_reorganisation",
    "transfer_preview",
    "tell_receiving_department",
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


def transferable_tickets(source: Department, services=None, area: Area | None = None) -> QuerySet[Ticket]:
    """The reports of ``source`` that a transfer moves: open or resolved, of ``services`` when some are given, in
    ``area`` when given (a kelurahan, or a kecamatan's kelurahan: the area of a routing rule whose department
    changed)."""
    tickets = Ticket.objects.filter(department=source, status__in=TRANSFER_STATUSES)
    if services:
        tickets = tickets.filter(service__in=list(services))
    if area is not None:
        tickets = tickets.filter(Q(area=area) | Q(area__parent=area))
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


def transfer_preview(
    *, source: Department, target: Department | None, services=None, area: Area | None = None
) -> TransferPreview:
    tickets = transferable_tickets(source, services, area)
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
class Received:
    """What the receiving department's summary email says of the reports it received (``tell_receiving_department``)."""

    overdue: int  # past a due date while the department's clock runs (the queue's "Overdue only")
    escalated: int  # already escalated before the move: the old department's head was told (1), or the inspectorate
    escalated_to_inspectorate: int  # of them, the inspectorate too (level 2)
    in_pool: int  # open and assigned to nobody: the head assigns them
    told: int  # emails queued: the department's active heads and its contact address


@dataclass(frozen=True)
class TransferOutcome:
    moved: int
    unassigned: int  # of them, reports whose assignee was cleared
    notified: int  # emails queued to reporters and followers
    copied: SetupCopied | None = None  # None: the department's set-up was not asked to be copied
    received: Received | None = None  # what the receiving department was told (None: nothing moved)


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
    area: Area | None = None,
    copy_setup: bool = False,
    batch_size: int = BATCH_SIZE,
) -> TransferOutcome:
    """Move every report of ``source`` (of ``services`` only, in ``area`` only, when given) that is open or resolved
    to ``target``, keeping everything but the department (and an assignee who is not a member of ``target``). One
    transaction: the reports are locked first, then written ``batch_size`` at a time with a few statements each; the
    emails (the citizens', and the receiving department's summary) are queued as rows in the same transaction and
    sent by tasks after the commit. With ``copy_setup`` the canned responses and shared saved filters of ``source``
    are copied to ``target`` in the same transaction (``copy_department_setup``)."""
    if not may_transfer(actor):
        raise PermissionDenied(_("Only the city's administrator may move reports between departments."))
    text = validate_transfer(source=source, target=target, reason=reason)
    moved = unassigned = notified = 0
    first_event = None
    with transaction.atomic():
        # A report changed meanwhile (forwarded, closed) no longer matches once its lock is granted, and stays.
        ids = list(
            transferable_tickets(source, services, area)
            .select_for_update(of=("self",), no_key=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        members = _member_ids(target)
        for start in range(0, len(ids), batch_size):
            cleared, emails, event = _move_batch(
                ids[start : start + batch_size], source=source, target=target, members=members, reason=text, actor=actor
            )
            moved += len(ids[start : start + batch_size])
            unassigned += cleared
            notified += emails
            first_event = first_event or event
        copied = copy_department_setup(source=source, target=target) if copy_setup else None
        received = None
        if ids:
            received = tell_receiving_department(
                ids, source=source, target=target, services=services, reason=text, key=f"{first_event.pk}"
            )
    return TransferOutcome(moved=moved, unassigned=unassigned, notified=notified, copied=copied, received=received)


def moved_in_reorganisation(reference: str) -> bool:
    """Whether the ticket ``reference`` last left a department in a reorganisation (``transfer_tickets``) rather
    than by a forward: the old department's officer who opens it from an old link is told it was moved, not that
    someone forwarded it."""
    last = (
        TicketEvent.objects.filter(ticket__reference=reference, type__in=(EventType.FORWARDED, EventType.TRANSFERRED))
        .order_by("-created_at", "-pk")
        .values_list("type", flat=True)
        .first()
    )
    return last == EventType.TRANSFERRED


def _queue_link(target: Department, services, **narrowed) -> str:
    """The staff queue of ``target`` (its department filter, for whoever sees several), of the one service moved when
    only one was, narrowed by ``narrowed`` (the queue's own filters)."""
    query = [("department", target.pk)]
    services = list(services or [])
    if len(services) == 1:
        query.append(("service", services[0].pk))
    query += list(narrowed.items())
    return absolute_url(f"{reverse('staff:queue')}?{urlencode(query)}")


def tell_receiving_department(ids, *, source: Department, target: Department, services, reason: str, key: str):
    """Queue one summary email per active head of ``target`` and one to its contact address about the reports
    ``ids`` it just received from ``source``: how many, how many overdue, how many already escalated (and to the
    inspectorate), how many in its pool, each linked to its queue filtered that way. Written in the transfer's
    transaction and sent after its commit by the notification outbox (``queue_email``); ``key`` (the transfer's first
    event) makes each address get it once. Counts only: the administrator who reads the outbox never reads a
    confidential report, and the links open for the department's staff alone."""
    from .dispatch import _heads

    moved = Ticket.objects.filter(pk__in=ids)
    overdue = moved.filter(overdue_filter(timezone.now())).count()
    levels = dict(
        moved.filter(escalation_level__gte=1).order_by().values_list("escalation_level").annotate(n=Count("pk"))
    )
    in_pool = moved.filter(status__in=OPEN_STATUSES, assignee=None).count()
    received = {
        "overdue": overdue,
        "escalated": sum(levels.values()),
        "escalated_to_inspectorate": sum(count for level, count in levels.items() if level >= 2),
        "in_pool": in_pool,
    }
    context = {
        **received,
        "moved": len(ids),
        "source": department_name(source),
        "target": department_name(target),
        "reason": reason,
        "queue_url": _queue_link(target, services),
        "overdue_url": _queue_link(target, services, overdue="on"),
        "escalated_url": _queue_link(target, services, escalated=1),
        "pool_url": _queue_link(target, services, assignee="unassigned"),
    }
    recipients = {user.email.lower(): user for user in _heads(target.pk) if user.email}
    if target.email:
        recipients.setdefault(target.email.lower(), None)
    told = 0
    for email, user in recipients.items():
        if queue_email(
            key=f"{Notification.Template.STAFF_TRANSFER}:{key}:{email}",
            email=email,
            recipient=user,
            language=user.language if user is not None else "id",
            template=Notification.Template.STAFF_TRANSFER,
            context=context,
        ):
            told += 1
    return Received(**received, told=told)


def department_name(department: Department) -> str:
    """A department as a citizen or a new colleague reads it: its full name, with its abbreviation when that differs
    ("Dinas Perumahan dan Kawasan Permukiman (Disperkim)"); an abbreviation alone says nothing to someone who never
    heard of it."""
    if not department.name or department.name == department.short_name:
        return department.short_name or department.name
    return f"{department.name} ({department.short_name})" if department.short_name else department.name


def _move_batch(
    ids: list[int], *, source, target, members: set[int], reason: str, actor
) -> tuple[int, int, TicketEvent]:
    """Write one batch: the department (and the cleared assignees), the events, the emails' rows. Returns how many
    assignees were cleared, how many emails were queued and the batch's first move event."""
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
        # The full names, which the citizen reads (``event_text.TRANSFERRED_MESSAGE``): "DKP" says nothing to them.
        "from_name": department_name(source),
        "to_name": department_name(target),
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
    return len(cleared), len(batch.write_and_send_on_commit()), events[0]
