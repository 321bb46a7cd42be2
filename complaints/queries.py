"""Reads of tickets. The one definition of who may see which ticket lives here.

- public: privacy public or anonymous, past submission (routed or later), not a rejected spam;
  confidential tickets are never public.
- a citizen: the public ones, plus the ones they filed or support.
- staff/head: their departments' tickets (all privacy levels).
- inspector: every ticket.
- administrator: every ticket except confidential ones of other departments.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.roles import ADMINISTRATOR, INSPECTOR, roles_of

from .models import Privacy, Status, Subscription, Ticket

PUBLIC_STATUSES = (
    Status.ROUTED,
    Status.ACKNOWLEDGED,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.CLOSED,
    Status.DUPLICATE,
)


def public_ticket_filter() -> Q:
    return Q(privacy__in=(Privacy.PUBLIC, Privacy.ANONYMOUS), status__in=PUBLIC_STATUSES)


def public_tickets() -> QuerySet[Ticket]:
    """Tickets anyone may see, without login."""
    return Ticket.objects.filter(public_ticket_filter())


def department_ids_of(user) -> list[int]:
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_department_ids", None)
    if cached is None:
        from services.models import StaffMembership

        cached = list(StaffMembership.objects.filter(user=user, active=True).values_list("department_id", flat=True))
        user._department_ids = cached
    return cached


def staff_ticket_filter(user) -> Q | None:
    """The tickets a user sees in staff pages (queue, staff ticket page, exports, staff API); None = none."""
    roles = roles_of(user)
    if INSPECTOR in roles:
        return Q()
    department_ids = department_ids_of(user)
    own = Q(department_id__in=department_ids) if department_ids else None
    if ADMINISTRATOR in roles:
        not_confidential = ~Q(privacy=Privacy.CONFIDENTIAL)
        return not_confidential | own if own is not None else not_confidential
    return own


def staff_tickets(user) -> QuerySet[Ticket]:
    condition = staff_ticket_filter(user)
    if condition is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(condition)


def is_staff_for(user, ticket: Ticket) -> bool:
    condition = staff_ticket_filter(user)
    return condition is not None and staff_tickets(user).filter(pk=ticket.pk).exists()


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Every ticket ``user`` may open: public ones, their own and followed ones, and their staff scope."""
    condition = public_ticket_filter()
    if user is not None and user.is_authenticated:
        condition |= Q(reporter_id=user.pk)
        condition |= Q(Exists(Subscription.objects.filter(ticket=OuterRef("pk"), user_id=user.pk)))
        staff = staff_ticket_filter(user)
        if staff is not None:
            condition |= staff
    return Ticket.objects.filter(condition)


def can_see_reporter(user, ticket: Ticket) -> bool:
    """Who may see the reporter's identity and contact details.

    The reporter always; staff in scope unless the ticket is anonymous. Never the public.
    """
    if user is None or not user.is_authenticated:
        return False
    if ticket.reporter_id and ticket.reporter_id == user.pk:
        return True
    if ticket.privacy == Privacy.ANONYMOUS:
        return False
    return staff_ticket_filter(user) is not None and is_staff_for(user, ticket)
