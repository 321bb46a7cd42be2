"""Which department handles a service in an area: the routing rules, as one pure decision."""

from __future__ import annotations

from django.db.models import Q

from .models import Area, Department, RoutingRule, Service


def department_for(*, service: Service, area: Area | None) -> tuple[Department, RoutingRule | None]:
    """The department in charge of ``service`` at ``area`` and the rule that decided it.

    The most specific active rule wins: a rule for the kelurahan itself, else one for
    its kecamatan, else a city-wide rule (no area); with no rule the service's default
    department handles it (and the rule returned is None). Rules pointing at an
    inactive department are ignored.
    """
    # Most specific first: the kelurahan, its kecamatan, the whole city.
    order: list[int | None] = [a for a in ((area.pk, area.parent_id) if area is not None else ()) if a] + [None]
    where = Q(area__isnull=True)
    if len(order) > 1:
        where |= Q(area_id__in=order[:-1])
    rules = {
        rule.area_id: rule
        for rule in RoutingRule.objects.filter(
            where, service=service, active=True, department__active=True
        ).select_related("department")
    }
    for area_id in order:
        rule = rules.get(area_id)
        if rule is not None:
            return rule.department, rule
    return service.default_department, None
