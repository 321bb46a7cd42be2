"""Which department handles a service in an area: the routing rules, as one pure decision."""

from __future__ import annotations

from django.db.models import Q

from .models import Area, Department, RoutingRule, Service


def department_for(*, service: Service, area: Area | None) -> tuple[Department | None, RoutingRule | None]:
    """The department in charge of ``service`` at ``area`` and the rule that decided it.

    The most specific active rule wins: a rule for the kelurahan itself, else one for
    its kecamatan, else a city-wide rule (no area); with no rule the service's default
    department handles it (and the rule returned is None). Rules pointing at an
    inactive department are ignored, and so is an inactive default department: with no
    active department left the answer is (None, None) and routing sends the ticket to the
    triage desk (complaints.actions.dispatch), as it does a "not sure" one.
    """
    where = Q(area__isnull=True)
    if area is not None:
        where |= Q(area_id__in=[a for a in (area.pk, area.parent_id) if a])
    rules = RoutingRule.objects.filter(where, service=service, active=True, department__active=True)
    # One rule per service and area (RoutingRule.Meta); were there two, the most recent (highest id) would win.
    return most_specific(
        service=service,
        area=area,
        rules={rule.area_id: rule for rule in rules.select_related("department").order_by("pk")},
    )


def active_rules() -> dict[int, dict[int | None, RoutingRule]]:
    """Every rule that can apply (active, to an active department), by service and area: for many decisions."""
    found: dict[int, dict[int | None, RoutingRule]] = {}
    rules = (
        RoutingRule.objects.filter(active=True, department__active=True)
        .select_related("department", "service", "area")  # the routed event names the rule (str)
        .defer("area__boundary")
        .order_by("pk")  # were there two rules for one service and area, the most recent (highest id) would win
    )
    for rule in rules:
        found.setdefault(rule.service_id, {})[rule.area_id] = rule
    return found


def most_specific(
    *, service: Service, area: Area | None, rules: dict[int | None, RoutingRule]
) -> tuple[Department | None, RoutingRule | None]:
    """``department_for`` given the service's applicable rules by area id (None: city-wide)."""
    # Most specific first: the kelurahan, its kecamatan, the whole city.
    order: list[int | None] = [a for a in ((area.pk, area.parent_id) if area is not None else ()) if a] + [None]
    for area_id in order:
        rule = rules.get(area_id)
        if rule is not None and rule.department.active:
            return rule.department, rule
    if service.default_department.active:
        return service.default_department, None
    return None, None  # every department that could take it is inactive: the triage desk's
