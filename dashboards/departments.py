"""The departments the dashboards offer to choose, in order and by name. A department switched off (merged into
another, closed) keeps its past tickets and plan, and the tables still show its row: where the viewer may see it,
it stays choosable, after the active ones and labelled as no longer active, so its past figures can be opened,
filtered and downloaded."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from services.models import Department


def in_choosing_order(departments: QuerySet[Department]) -> QuerySet[Department]:
    """The active departments first, then those switched off, each by short name."""
    return departments.order_by("-active", "short_name")


def choice_label(department: Department) -> str:
    """The department's name in a picker: its short name, said to be no longer active once switched off."""
    return labelled(department.short_name, active=department.active)


def labelled(name: str, *, active: bool) -> str:
    """A picker's name for an entry the city may have switched off (a department, a service withdrawn)."""
    if active:
        return name
    return _("%(name)s (no longer active)") % {"name": name}
