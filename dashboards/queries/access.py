"""Who may open which dashboard. The public page needs no login.

- department dashboard: active staff and heads see their own department(s); planners, inspectors and
  administrators choose any department; everyone else is refused.
- city dashboard: planners (Bappeda), inspectors and administrators. The mayor and the mayor's office
  get the planner or inspector role: there is no separate "mayor" role to keep in sync.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import ADMINISTRATOR, INSPECTOR, PLANNER, roles_of
from complaints.queries import department_ids_of
from services.models import Department

CITY_VIEWERS = frozenset({PLANNER, INSPECTOR, ADMINISTRATOR})


def can_see_city(user) -> bool:
    return bool(roles_of(user) & CITY_VIEWERS)


def dashboard_departments(user) -> QuerySet[Department]:
    """The departments whose dashboard ``user`` may open (empty for citizens and the public)."""
    if can_see_city(user):
        return Department.objects.filter(active=True)
    ids = department_ids_of(user)
    return Department.objects.filter(pk__in=ids) if ids else Department.objects.none()


def has_department_dashboard(user) -> bool:
    """Whether ``dashboard_departments(user)`` holds any department, without reading the departments."""
    return can_see_city(user) or bool(department_ids_of(user))
