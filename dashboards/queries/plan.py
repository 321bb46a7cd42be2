"""Planning figures (activities, budget absorption, progress, milestones, indicators, evaluations).

Filled in once the ``planning`` app's models exist; until then every dashboard shows its ticket part only.
"""

from __future__ import annotations


def available() -> bool:
    from django.apps import apps

    try:
        apps.get_model("planning", "Activity")
    except LookupError:
        return False
    return True


def department_tables(department, filters, *, now) -> list:
    return []


def city_tables(filters, ticket_period, *, now) -> list:
    return []


def public_tables(filters, *, now) -> list:
    return []
