"""Who may open which dashboard. The public page needs no login.

- department dashboard: active staff and heads see their own department(s); planners, inspectors, administrators
  and council members (DPRD) choose any department; everyone else is refused. Its workload table names every
  officer with their open and overdue tickets: that is for whoever oversees the departments' work (the council
  oversees the executive), not for finance.
- city dashboard: planners (Bappeda), finance (BPKPAD), inspectors, administrators and council members. It shows
  aggregates only (no ticket, no name); its list of escalated tickets comes from each viewer's own staff scope,
  which finance and the council do not have (nor do their figures link to the staff queue: ``links.QueueLinks``).
  The mayor and the mayor's office get the planner or inspector role: there is no separate "mayor" role to keep in
  sync.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import ADMINISTRATOR, COUNCIL, FINANCE, INSPECTOR, PLANNER, roles_of
from complaints.queries import department_ids_of
from services.models import Department

from ..departments import in_choosing_order

CITY_VIEWERS = frozenset({PLANNER, FINANCE, INSPECTOR, ADMINISTRATOR, COUNCIL})
ANY_DEPARTMENT_VIEWERS = frozenset({PLANNER, INSPECTOR, ADMINISTRATOR, COUNCIL})


def can_see_city(user) -> bool:
    return bool(roles_of(user) & CITY_VIEWERS)


def can_choose_any_department(user) -> bool:
    return bool(roles_of(user) & ANY_DEPARTMENT_VIEWERS)


def dashboard_departments(user) -> QuerySet[Department]:
    """The departments whose dashboard ``user`` may open (empty for citizens and the public), active ones first.
    Those who may choose any department may choose one switched off too: its past figures stay open to them, as
    the city table still shows its row. Staff and heads keep their own department(s), active or not."""
    if can_choose_any_department(user):
        return in_choosing_order(Department.objects.all())
    ids = department_ids_of(user)
    return in_choosing_order(Department.objects.filter(pk__in=ids)) if ids else Department.objects.none()


def has_department_dashboard(user) -> bool:
    """Whether ``dashboard_departments(user)`` holds any department, without reading the departments."""
    return can_choose_any_department(user) or bool(department_ids_of(user))
