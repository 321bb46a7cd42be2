"""The department's work on a ticket: verify, start, reply, ask, note, assign, prioritise, resolve, reject,
merge, reopen, and moving a leaving colleague's tickets. See complaints/actions/__init__.py.

Every action takes keyword arguments, runs in one transaction on a locked row, records one
``TicketEvent`` per ticket it changes, asks ``complaints.workflow`` whether the actor may do it,
and returns the ticket. Refusals: ``PermissionDenied`` (not yours) or ``ValidationError`` (not now,
or something missing) and nothing is changed.
"""

from __future__ import annotations

import string
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from services.models import Service, StaffMembership

from .. import workflow
from ..events import record_event
from ..models import (
    OPEN_STATUSES,
    Attachment,
    CannedResponse,
    EventType,
    Status,
    Subscription,
    Ticket,
)
from ..notifications import (
    heads_and_assignee,
    notify_followers,
    notify_handover,
    notify_raised_to_urgent,
    notify_staff,
)
from ..queries import followers_may_see, headed_department_ids, is_staff_for, open_tickets_assigned_to
from ..routing import PRIORITY_URGENT, close_window_end, raised_response_due
from .deadlines import end_citizen_wait, start_citizen_wait

__all__ = [
    "acknowledge_ticket",
    "start_work",
    "reply_publicly",
    "ask_for_information",
    "add_internal_note",
    "ask_department_for_explanation",
    "assign_ticket",
    "set_priority",
    "resolve_ticket",
    "reject_ticket",
    "merge_ticket",
    "check_merge_target",
    "staff_reopen_ticket",
    "reassign_all",
    "render_canned_response",
]

MAX_MESSAGE = 4000
MAX_PHOTOS = 5


# --- guards ------------------------------------------------------------------------------------


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",)).select_related("department", "service", "area").get(pk=ticket.pk)
    )


def _ensure_staff(actor, ticket: Ticket) -> None:
    """Only people who see the ticket in staff pages and work it (staff, head, administrator) act on it."""
    if not is_staff_for(actor, ticket) or not (workflow.relations_of(actor, ticket) & set(workflow.STAFF)):
        raise PermissionDenied(_("You may not work on this ticket."))


def _ensure_may(actor, ticket: Ticket, change: str) -> None:
    """``change`` (a name of ``workflow.CHANGES``) by someone who sees the ticket in staff pages and whose relation to
    it allows the change: a note by its department or the inspectorate, an explanation asked by the inspectorate."""
    if not is_staff_for(actor, ticket) or not (workflow.relations_of(actor, ticket) & workflow.CHANGES[change]):
        raise PermissionDenied(_("You may not work on this ticket."))
    if not workflow.may(actor, change, ticket):
        raise ValidationError(_("This ticket is no longer open, so it cannot be changed."), code="not_open")


def _note_payload(actor, ticket: Ticket, text: str) -> dict:
    """A note's payload: ``by: "inspectorate"`` when the inspectorate writes it (not as a member of the department),
    so the department's staff read it as the inspectorate's."""
    relations = workflow.relations_of(actor, ticket)
    from_inspectorate = workflow.INSPECTORATE in relations and not relations & {workflow.HANDLER, workflow.HEAD}
    return {"message": text, **({"by": "inspectorate"} if from_inspectorate else {})}


ROLE_MAY_NOT = _("Your role may not do “%(action)s” on this ticket.")


def _check_transition(actor, ticket: Ticket, name: str) -> workflow.Transition:
    transition = workflow.TRANSITIONS[name]
    _ensure_staff(actor, ticket)
    if ticket.status not in transition.sources:
        raise ValidationError(
            _("A ticket that is %(status)s cannot be changed with “%(action)s”."),
            code="invalid_transition",
            params={"status": ticket.get_status_display().lower(), "action": transition.label},
        )
    if not workflow.can(actor, name, ticket):
        refused = PermissionDenied(ROLE_MAY_NOT % {"action": transition.label})
        refused.transition = name  # the REST API names its endpoint instead of the staff page's button
        raise refused
    return transition


def _check_change(actor, ticket: Ticket) -> None:
    _ensure_staff(actor, ticket)
    if not workflow.can_change(actor, ticket):
        raise ValidationError(_("This ticket is no longer open, so it cannot be changed."), code="not_open")


def _required_text(value: str | None, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message}, code="required")
    if len(text) > MAX_MESSAGE:
        raise ValidationError({field: _("Keep it under 4000 characters.")}, code="max_length")
    return text


# --- canned responses ----------------------------------------------------------------------------


class _Fields(dict):
    def __missing__(self, key):  # unknown placeholders stay as typed
        return "{" + key + "}"


def render_canned_response(*, canned: CannedResponse, ticket: Ticket) -> str:
    """Fill ``{reference}``, ``{service}``, ``{kelurahan}``, ``{department}``, ``{due_date}`` from the ticket.

    In the site's language, whatever the officer's page speaks: the department writes its texts in it, and a
    public reply in two languages (an English service name in an Indonesian sentence) reached citizens. The due
    date in words ("10 Desember 2026"): "10-12-2026" reads as 12 October to an English reader."""
    due = ticket.resolution_due_at
    with translation.override(settings.LANGUAGE_CODE):
        fields = _Fields(
            reference=ticket.reference or "",
            service=ticket.service.name if ticket.service_id else "",
            kelurahan=ticket.area.name if ticket.area_id else "",
            department=ticket.department.short_name if ticket.department_id else "",
            due_date=date_format(timezone.localtime(due), "j F Y") if due else "",
            title=ticket.title,
        )
    # Only plain {name} placeholders: attribute or index access in a department's text must not reach objects.
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(canned.body):
        parts.append(literal)
        if name is not None:
            parts.append(fields[name] if name.isidentifier() else "{" + name + "}")
    return "".join(parts)


# --- photos ------------------------------------------------------------------------------------


def _reencode(upload) -> tuple[bytes, bytes, int, int]:
    """The photo checked and redrawn as a fresh JPEG (metadata, GPS included, is gone), with a thumbnail."""
    from .. import photos

    try:
        photos.check_photo(upload)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}, code="invalid_image")
    upload.seek(0)
    return photos.reencode(upload.read())


def _store_photos(*, ticket: Ticket, event, photos: Iterable, actor, purpose: str) -> list[Attachment]:
    stored = []
    for upload in photos:
        full, thumb, width, height = _reencode(upload)
        name = uuid.uuid4().hex
        attachment = Attachment(
            ticket=ticket,
            event=event,
            purpose=purpose,
            state=Attachment.State.READY,
            width=width,
            height=height,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.image.save(f"{name}.jpg", ContentFile(full), save=False)
        attachment.thumbnail.save(f"{name}.jpg", ContentFile(thumb), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


# --- transitions ---------------------------------------------------------------------------------


def _end_wait(ticket: Ticket, now) -> tuple[list[str], dict]:
    """Moving the ticket on ends a wait for the citizen's answer (before its status changes): the fields to save and
    what the event's payload gains (``deadlines.end_citizen_wait``)."""
    fields, clock = end_citizen_wait(ticket, now=now, reason="staff")
    return fields, ({"clock": clock} if clock else {})


def _take_from_pool(ticket: Ticket, actor) -> list[str]:
    """A member of the department who starts or resolves a ticket nobody holds takes it: the work is theirs, and the
    head's workload per officer credits them instead of "Unassigned". Returns the fields to save."""
    if ticket.assignee_id is not None or not (
        StaffMembership.objects.filter(user=actor, department_id=ticket.department_id, active=True).exists()
    ):
        return []
    ticket.assignee = actor
    record_event(
        ticket=ticket,
        type=EventType.ASSIGNED,
        actor=actor,
        payload={"from": "", "to": str(actor), "to_id": actor.pk},
        public=False,
    )
    return ["assignee"]


@transaction.atomic
def acknowledge_ticket(*, ticket: Ticket, actor) -> Ticket:
    """Verify a routed ticket: the department confirms it is theirs and real."""
    ticket = _lock(ticket)
    _check_transition(actor, ticket, "acknowledge")
    now = timezone.now()
    waited, payload = _end_wait(ticket, now)
    ticket.status = Status.ACKNOWLEDGED
    ticket.acknowledged_at = now
    ticket.save(update_fields=["status", "acknowledged_at", "updated_at", *waited, *ticket.end_answered_escalation()])
    event = record_event(ticket=ticket, type=EventType.ACKNOWLEDGED, actor=actor, payload=payload)
    notify_followers(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def start_work(*, ticket: Ticket, actor) -> Ticket:
    """Work has started; starting a ticket that was never verified also verifies it."""
    ticket = _lock(ticket)
    _check_transition(actor, ticket, "start")
    now = timezone.now()
    waited, payload = _end_wait(ticket, now)
    ticket.status = Status.IN_PROGRESS
    ticket.acknowledged_at = ticket.acknowledged_at or now
    fields = ["status", "acknowledged_at", "updated_at", *waited, *ticket.end_answered_escalation()]
    ticket.save(update_fields=[*fields, *_take_from_pool(ticket, actor)])
    event = record_event(ticket=ticket, type=EventType.STARTED, actor=actor, payload=payload)
    notify_followers(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def reply_publicly(
    *, ticket: Ticket, actor, message: str = "", canned_response: CannedResponse | None = None
) -> Ticket:
    """A public reply to the citizen; a canned response of the ticket's department may supply the text."""
    ticket = _lock(ticket)
    _check_change(actor, ticket)
    if canned_response is not None:
        if canned_response.department_id != ticket.department_id:
            raise ValidationError({"canned_response": _("Choose a canned response of this ticket's department.")})
        if not (message or "").strip():
            message = render_canned_response(canned=canned_response, ticket=ticket)
    text = _required_text(message, "message", _("Write a reply."))
    payload = {"message": text}
    if canned_response is not None:
        payload["canned_response"] = canned_response.pk
    event = record_event(ticket=ticket, type=EventType.REPLY, actor=actor, payload=payload)
    ticket.save(update_fields=["updated_at"])
    notify_followers(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def ask_for_information(*, ticket: Ticket, actor, message: str) -> Ticket:
    """A public question to the citizen; their answer arrives as a ``citizen_info`` event. The ticket's clock stops
    until then (at most ``INFO_WAIT_WORKING_DAYS`` working days; see ``deadlines.start_citizen_wait``)."""
    ticket = _lock(ticket)
    _check_change(actor, ticket)
    text = _required_text(message, "message", _("Write your question to the citizen."))
    waiting, clock = start_citizen_wait(ticket, now=timezone.now())
    payload = {"message": text, **({"clock": clock} if clock else {})}
    event = record_event(ticket=ticket, type=EventType.INFO_REQUESTED, actor=actor, payload=payload)
    ticket.save(update_fields=["updated_at", *waiting])
    notify_followers(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def add_internal_note(*, ticket: Ticket, actor, message: str) -> Ticket:
    """A note for colleagues only: never on the public timeline, never emailed to citizens."""
    ticket = _lock(ticket)
    _ensure_may(actor, ticket, "note")  # notes stay possible on closed tickets (audit remarks)
    text = _required_text(message, "message", _("Write a note."))
    record_event(
        ticket=ticket, type=EventType.NOTE, actor=actor, payload=_note_payload(actor, ticket, text), public=False
    )
    ticket.save(update_fields=["updated_at"])
    return ticket


@transaction.atomic
def ask_department_for_explanation(*, ticket: Ticket, actor, message: str) -> Ticket:
    """The inspectorate asks the handling department to explain (a late answer, a rejection, a resolution that did
    not hold): an internal note, never on the public timeline, emailed to the department's heads and the ticket's
    assignee through the staff notification outbox (never to the person asking). Open or closed tickets alike."""
    ticket = _lock(ticket)
    _ensure_may(actor, ticket, "ask_explanation")
    text = _required_text(message, "message", _("Write what the department should explain."))
    users = heads_and_assignee(ticket)
    if not users:
        raise ValidationError(
            {"message": _("Nobody in the department can be asked: it has no active head and the ticket no assignee.")},
            code="nobody_to_ask",
        )
    payload = {**_note_payload(actor, ticket, text), "explanation_requested": True}
    event = record_event(ticket=ticket, type=EventType.NOTE, actor=actor, payload=payload, public=False)
    ticket.save(update_fields=["updated_at"])
    notify_staff(ticket=ticket, event=event, users=users, include_department_email=False)
    return ticket


# One answer for "no such person" and "not a member": naming whoever an arbitrary user id belongs to would let any
# staff member list the city's accounts (the REST API takes a user id).
NOT_AN_ACTIVE_MEMBER = _("The chosen person is not an active member of this department.")


def _check_assignee(ticket: Ticket, assignee) -> None:
    if assignee is None:
        return
    if not (
        assignee.is_active
        and StaffMembership.objects.filter(user=assignee, department_id=ticket.department_id, active=True).exists()
    ):
        raise ValidationError({"assignee": ValidationError(NOT_AN_ACTIVE_MEMBER, code="not_member")})


# ``assign_ticket``'s ``seen_assignee_id`` when the caller does not say who held the ticket when its officer chose
# (the demo, a page drawn before its forms carried it, an API call without ``expected_assignee``): no check.
ANY_ASSIGNEE = object()


def _check_unchanged_since_seen(ticket: Ticket, seen_assignee_id) -> None:
    """Refuse to overwrite an assignment the officer never saw: when two officers who opened the same ticket both
    assigned it, the second one's "Assignment saved." silently undid the first's. The refusal names who holds the
    ticket now, so the officer can choose again knowingly."""
    if seen_assignee_id is ANY_ASSIGNEE or seen_assignee_id == ticket.assignee_id:
        return
    if ticket.assignee_id is None:
        message = _(
            "Meanwhile this ticket was given back to the department pool. Choose again if it should still change."
        )
        params = None
    else:
        message = _("Meanwhile this ticket was assigned to %(person)s. Choose again if it should still change.")
        params = {"person": str(ticket.assignee)}
    raise ValidationError({"assignee": ValidationError(message, code="assigned_meanwhile", params=params)})


@transaction.atomic
def assign_ticket(*, ticket: Ticket, actor, assignee=None, seen_assignee_id=ANY_ASSIGNEE) -> Ticket:
    """Give the ticket to a member of its department, or back to the department's pool (``assignee=None``).

    ``seen_assignee_id``: who held the ticket on the page the officer chose on (a user id, ``None`` for the pool).
    If someone else has assigned it since, nothing changes (``ValidationError`` on ``assignee``, code
    ``assigned_meanwhile``); choosing whoever holds it now is no change and no error, whatever was seen."""
    ticket = _lock(ticket)
    _check_change(actor, ticket)
    _check_assignee(ticket, assignee)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    _check_unchanged_since_seen(ticket, seen_assignee_id)
    previous = ticket.assignee
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee", "updated_at"])
    event = record_event(
        ticket=ticket,
        type=EventType.ASSIGNED,
        actor=actor,
        payload={
            "from": str(previous) if previous else "",
            "to": str(assignee) if assignee else "",
            "to_id": assignee.pk if assignee else None,
        },
        public=False,
    )
    if assignee is not None:
        notify_staff(ticket=ticket, event=event, users=[assignee], include_department_email=False)
    return ticket


@transaction.atomic
def set_priority(*, ticket: Ticket, actor, priority: int) -> Ticket:
    ticket = _lock(ticket)
    _check_change(actor, ticket)
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        priority = None
    if priority not in Service.Priority.values:
        raise ValidationError({"priority": _("Choose a priority from the list.")}, code="invalid_choice")
    if priority == ticket.priority:
        return ticket
    previous = ticket.priority
    ticket.priority = priority
    # Raised to urgent before anyone verified it: due for verification within URGENT_RESPONSE_HOURS from now, as if
    # routed urgent (never later than it was), so the escalation sweep tells the head over the weekend.
    response_due = raised_response_due(
        now=timezone.now(),
        priority=priority,
        response_due_at=ticket.response_due_at,
        awaiting_response=ticket.status == Status.ROUTED,
    )
    payload = {"from": previous, "to": priority}
    if response_due is not None:
        ticket.response_due_at = response_due
        payload["response_due_at"] = response_due.isoformat()
    ticket.save(update_fields=["priority", "response_due_at", "updated_at"])
    event = record_event(ticket=ticket, type=EventType.PRIORITY_CHANGED, actor=actor, payload=payload, public=False)
    if priority == PRIORITY_URGENT:
        # The heads hear of a new emergency at once, as of one routed urgent, not when the sweep escalates it.
        notify_raised_to_urgent(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def resolve_ticket(*, ticket: Ticket, actor, note: str, photos: Iterable = ()) -> Ticket:
    """The work is done: a resolution note (required) and optional photos; the citizen's closing window opens."""
    ticket = _lock(ticket)
    _check_transition(actor, ticket, "resolve")
    text = _required_text(note, "note", _("Describe what was done to resolve it."))
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Attach at most 5 photos.")}, code="too_many")
    now = timezone.now()
    waited, payload = _end_wait(ticket, now)
    ticket.status = Status.RESOLVED
    ticket.resolved_at = now
    ticket.close_window_ends_at = close_window_end(now)
    fields = ["status", "resolved_at", "close_window_ends_at", "updated_at", *waited, *_take_from_pool(ticket, actor)]
    ticket.save(update_fields=[*fields, *ticket.end_answered_escalation()])
    event = record_event(ticket=ticket, type=EventType.RESOLVED, actor=actor, payload={"note": text, **payload})
    attachments = _store_photos(
        ticket=ticket, event=event, photos=photos, actor=actor, purpose=Attachment.Purpose.RESOLUTION
    )
    if attachments:
        event.payload["photos"] = [a.pk for a in attachments]
        event.save(update_fields=["payload"])
    notify_followers(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def reject_ticket(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """Refuse a ticket (not a real problem, spam, outside the city): the reason is public."""
    ticket = _lock(ticket)
    _check_transition(actor, ticket, "reject")
    text = _required_text(reason, "reason", _("Give the reason for rejecting it."))
    now = timezone.now()
    waited, payload = _end_wait(ticket, now)
    ticket.status = Status.REJECTED
    ticket.closed_at = now
    ticket.save(update_fields=["status", "closed_at", "updated_at", *waited, *ticket.end_answered_escalation()])
    event = record_event(ticket=ticket, type=EventType.REJECTED, actor=actor, payload={"reason": text, **payload})
    notify_followers(ticket=ticket, event=event)
    return ticket


@transaction.atomic
def staff_reopen_ticket(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """A head (or administrator) reopens a resolved or rejected ticket; the department is told."""
    ticket = _lock(ticket)
    _check_transition(actor, ticket, "reopen")
    text = _required_text(reason, "reason", _("Give the reason for reopening it."))
    ticket.save(update_fields=ticket.reopen(timezone.now()))
    event = record_event(
        ticket=ticket, type=EventType.REOPENED, actor=actor, payload={"reason": text, "by": "department"}
    )
    notify_followers(ticket=ticket, event=event)
    notify_staff(ticket=ticket, event=event, users=[ticket.assignee] if ticket.assignee_id else [])
    return ticket


def check_merge_target(*, into: Ticket, actor) -> None:
    """Refuse a ticket nothing may be merged into, whichever the duplicate: outside the actor's queue, or no longer
    open. ``merge_ticket`` checks it on the locked row; the queue's bulk merge asks once before merging each ticked
    duplicate, instead of refusing every one of them for the same reason."""
    if not is_staff_for(actor, into):
        raise ValidationError({"into": _("No ticket with that reference in your queue.")}, code="not_found")
    if into.status not in OPEN_STATUSES:
        raise ValidationError({"into": _("The ticket to merge into must still be open.")}, code="target_closed")


@transaction.atomic
def merge_ticket(*, ticket: Ticket, into: Ticket, actor) -> Ticket:
    """Merge a duplicate into another open ticket.

    The duplicate becomes ``duplicate`` (pointing at the target); its reporter and supporters follow the
    target from now on, and count as its supporters. Both timelines say so and the citizen is told.

    Moving followers never widens who sees a ticket: a follower may open what they follow, and a confidential
    ticket is seen by its reporter, its department and the inspectorate only (``queries.followers_may_see``). Into
    a confidential ticket nobody moves: the duplicate's followers stay on it, and its public timeline does not name
    the target (its page says it was merged into a report that is not public). Into a public or anonymous ticket,
    which everyone sees, they move; a confidential duplicate merged into a public ticket stays confidential (its
    text and reporter stay on it, the target's timeline names no reference to the public).
    """
    if into is None or into.pk == ticket.pk:
        raise ValidationError({"into": _("Choose another ticket to merge into.")}, code="same_ticket")
    # Lock both rows in id order so two merges cannot deadlock.
    first, second = sorted([ticket.pk, into.pk])
    locked = {
        t.pk: t
        for t in Ticket.objects.select_for_update(of=("self",))
        .select_related("department", "service", "area")
        .filter(pk__in=[first, second])
    }
    ticket, into = locked[ticket.pk], locked[into.pk]
    _check_transition(actor, ticket, "merge")
    check_merge_target(into=into, actor=actor)
    if into.duplicate_of_id == ticket.pk:
        raise ValidationError({"into": _("That ticket was merged into this one.")}, code="cycle")

    now = timezone.now()
    waited, clock = _end_wait(ticket, now)
    ticket.status = Status.DUPLICATE
    ticket.duplicate_of = into
    ticket.closed_at = now
    ticket.save(
        update_fields=["status", "duplicate_of", "closed_at", "updated_at", *waited, *ticket.end_answered_escalation()]
    )
    followers_move = followers_may_see(into)
    merged_event = record_event(
        ticket=ticket,
        type=EventType.MERGED,
        actor=actor,
        # The public timeline names the target only when its followers may open it (staff read it on the ticket).
        payload={**({"into": into.reference, "into_id": into.pk} if followers_move else {"into_id": into.pk}), **clock},
    )
    # The old ticket's followers hear it before they move.
    notify_followers(ticket=ticket, event=merged_event)

    moved = 0
    for subscription in Subscription.objects.filter(ticket=ticket, active=True) if followers_move else ():
        if subscription.user_id:
            existing = Subscription.objects.filter(ticket=into, user_id=subscription.user_id).first()
        else:
            existing = Subscription.objects.filter(ticket=into, user__isnull=True, email=subscription.email).first()
        if existing is None and not (subscription.user_id and subscription.user_id == into.reporter_id):
            Subscription.objects.create(
                ticket=into,
                user_id=subscription.user_id,
                email=subscription.email,
                reason=Subscription.Reason.SUPPORTER,
            )
            moved += 1
        elif existing is not None and not existing.email_confirmed and subscription.email_confirmed:
            # A "me too" on the target still waiting for its confirmation: the address is confirmed on this ticket,
            # so it follows the target now (it would have lost its updates until confirming there). Its voice is in
            # the support moved below; confirming its link later counts nothing twice.
            existing.email_confirmed = existing.active = True
            existing.save(update_fields=["email_confirmed", "active"])
            moved += 1
        subscription.active = False
        subscription.save(update_fields=["active"])
    # The duplicate's reporter is one more voice for the target, plus whoever supported the duplicate.
    added = ticket.support_count + 1
    into.support_count = into.support_count + added
    into.save(update_fields=["support_count", "updated_at"])
    record_event(
        ticket=into,
        type=EventType.MERGED_IN,
        actor=actor,
        payload={"from": ticket.reference, "from_id": ticket.pk, "supporters_added": added, "followers_moved": moved},
    )
    return ticket


@transaction.atomic
def reassign_all(*, from_user, to_user=None, actor, department=None) -> int:
    """Move every open ticket assigned to a leaving staff member to a colleague or to the pool.

    Tickets are never deleted. Where ``to_user`` is not an active member of a ticket's
    department the ticket goes to that department's pool. With ``department``, only that
    department's tickets move (someone who leaves one department keeps the others' tickets).
    Returns how many tickets moved.
    """
    from accounts.roles import ADMINISTRATOR, roles_of

    is_admin = ADMINISTRATOR in roles_of(actor)
    headed = headed_department_ids(actor)
    tickets = list(
        open_tickets_assigned_to(from_user, department)
        .select_for_update(of=("self",))
        .select_related("department")
        .order_by("pk")
    )
    if not is_admin and any(t.department_id not in headed for t in tickets):
        raise PermissionDenied(_("Only an administrator or the head of the department may reassign these tickets."))
    member_of = set()
    if to_user is not None:
        member_of = set(
            StaffMembership.objects.filter(user=to_user, active=True).values_list("department_id", flat=True)
        )
    handed, first_handed = [], None
    for ticket in tickets:
        target = to_user if (to_user is not None and to_user.is_active and ticket.department_id in member_of) else None
        ticket.assignee = target
        ticket.save(update_fields=["assignee", "updated_at"])
        event = record_event(
            ticket=ticket,
            type=EventType.ASSIGNED,
            actor=actor,
            payload={
                "from": str(from_user),
                "to": str(target) if target else "",
                "to_id": target.pk if target else None,
                "reason": "reassign_all",
            },
            public=False,
        )
        if target is not None:
            handed.append(ticket)
            first_handed = first_handed or event
    # The colleague hears of them as of a ticket assigned to them, in one email however many they got (keyed by the
    # first one's assignment).
    if handed:
        notify_handover(tickets=handed, event=first_handed, from_user=from_user, to_user=to_user, actor=actor)
    return len(tickets)
