"""The ticket's state machine as data: which transition goes from where to where, and who may make it.

Actors are named by their relation to the ticket (see ``relations_of``), so
the same table answers the staff page, the API and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMINISTRATOR, INSPECTOR, roles_of

from .models import OPEN_STATUSES, Status
from .queries import is_reporter

# Relations a user can have to a ticket.
REPORTER = "reporter"
HANDLER = "handler"  # staff or head of the handling department
HEAD = "head"  # head of the handling department
INSPECTORATE = "inspector"
ADMIN = "administrator"
SYSTEM = "system"  # Celery tasks: routing, closing, escalation


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (e.g. forward lands in routed via routing)
    allowed: frozenset[str]
    needs_reason: bool = False


def _t(name, label, sources, target, allowed, needs_reason=False):
    return Transition(name, label, frozenset(sources), target, frozenset(allowed), needs_reason)


WORKING = (Status.ROUTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
STAFF = (HANDLER, HEAD, ADMIN)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("route", _("Route"), [Status.SUBMITTED], Status.ROUTED, [SYSTEM]),
        _t("acknowledge", _("Verify"), [Status.ROUTED], Status.ACKNOWLEDGED, STAFF),
        _t("start", _("Start work"), [Status.ROUTED, Status.ACKNOWLEDGED], Status.IN_PROGRESS, STAFF),
        _t("resolve", _("Resolve"), WORKING, Status.RESOLVED, STAFF, needs_reason=True),
        _t("reject", _("Reject"), WORKING, Status.REJECTED, STAFF, needs_reason=True),
        _t("forward", _("Forward to another department"), WORKING, Status.ROUTED, STAFF, needs_reason=True),
        _t("merge", _("Merge into another ticket"), WORKING, Status.DUPLICATE, STAFF),
        # Staff reopen a resolved or rejected ticket (e.g. the fix did not hold, the rejection was wrong).
        _t(
            "reopen",
            _("Reopen"),
            [Status.RESOLVED, Status.REJECTED],
            Status.IN_PROGRESS,
            (HEAD, ADMIN),
            needs_reason=True,
        ),
        _t("citizen_reopen", _("Reopen"), [Status.RESOLVED], Status.IN_PROGRESS, [REPORTER], needs_reason=True),
        _t("confirm", _("Confirm it is fixed"), [Status.RESOLVED], Status.CLOSED, [REPORTER]),
        _t("close", _("Close"), [Status.RESOLVED], Status.CLOSED, [SYSTEM]),
    ]
}

# Changes that keep the state, and who may make them. Working the ticket (assign, reprioritise, reply, ask the
# citizen) is its department's; an internal note is also the inspectorate's, on any ticket it sees (an "inspectorate
# note": the department's staff read it, never the public), and only the inspectorate asks the department for an
# explanation (a note emailed to the department's heads and the assignee).
CHANGES: dict[str, frozenset[str]] = {
    "assign": frozenset(STAFF),
    "priority": frozenset(STAFF),
    "reply": frozenset(STAFF),
    "ask_info": frozenset(STAFF),
    "note": frozenset({*STAFF, INSPECTORATE}),
    "ask_explanation": frozenset({INSPECTORATE}),
}
# Changes that keep the state but need the same rights as working the ticket.
STAFF_ONLY_CHANGES = frozenset(name for name, allowed in CHANGES.items() if allowed <= set(STAFF))
# Changes that stay possible once the ticket is closed (audit remarks, the inspectorate's questions about it).
CHANGES_WHILE_CLOSED = frozenset({"note", "ask_explanation"})


def relations_of(user, ticket) -> set[str]:
    """How ``user`` stands to ``ticket``: reporter, handler/head of its department, inspector, administrator."""
    relations: set[str] = set()
    # A reporter without an account (their follow link's grant) is the reporter too, and nothing else.
    if is_reporter(user, ticket):
        relations.add(REPORTER)
    if user is None or not user.is_authenticated:
        return relations
    roles = roles_of(user)
    if INSPECTOR in roles:
        relations.add(INSPECTORATE)
    if ADMINISTRATOR in roles:
        relations.add(ADMIN)
    if ticket.department_id:
        from services.models import StaffMembership

        membership_roles = _department_roles(user, ticket.department_id)
        if membership_roles:
            relations.add(HANDLER)
        if StaffMembership.Role.HEAD in membership_roles:
            relations.add(HEAD)
    return relations


def _department_roles(user, department_id: int) -> set[str]:
    cache = getattr(user, "_department_roles", None)
    if cache is None:
        from services.models import StaffMembership

        cache = {}
        for dept_id, role in StaffMembership.objects.filter(user=user, active=True).values_list(
            "department_id", "role"
        ):
            cache.setdefault(dept_id, set()).add(role)
        user._department_roles = cache
    return cache.get(department_id, set())


def can(user, transition_name: str, ticket, *, system: bool = False) -> bool:
    """Whether the transition is possible from the ticket's state and allowed for this actor."""
    transition = TRANSITIONS[transition_name]
    if ticket.status not in transition.sources:
        return False
    relations = {SYSTEM} if system else relations_of(user, ticket)
    return bool(relations & transition.allowed)


def can_change(user, ticket) -> bool:
    """Assign, reprioritise, reply, note, ask: staff of the handling department (or an administrator), while open."""
    return ticket.status in OPEN_STATUSES and bool(relations_of(user, ticket) & set(STAFF))


def works_tickets(user) -> bool:
    """Whether ``user`` works tickets at all (a member of a department, or an administrator): the queue offers its
    bulk actions (assign, verify, resolve…) to them only. The inspectorate sees every ticket and works none."""
    from .queries import department_ids_of

    return bool(department_ids_of(user)) or ADMINISTRATOR in roles_of(user)


def may(user, change: str, ticket) -> bool:
    """Whether ``user`` may make ``change`` (a name of ``CHANGES``) on ``ticket`` now: their relation to it allows it,
    and the ticket is open unless the change stays possible on a closed one (``CHANGES_WHILE_CLOSED``)."""
    if ticket.status not in OPEN_STATUSES and change not in CHANGES_WHILE_CLOSED:
        return False
    return bool(relations_of(user, ticket) & CHANGES[change])


def available_transitions(user, ticket) -> list[Transition]:
    relations = relations_of(user, ticket)
    return [
        t
        for t in TRANSITIONS.values()
        if ticket.status in t.sources and relations & t.allowed and SYSTEM not in t.allowed
    ]
