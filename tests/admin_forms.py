"""What the admin's service page posts: its fields from a service, changed by a test's own values."""

from __future__ import annotations


def service_form(service, *, rules=(), **fields) -> dict:
    """The service change (or add) form for ``service`` (saved or not), with no question and the city-wide routing
    rules to ``rules`` (departments) as new inline rows; ``fields`` override a field (None leaves it out)."""
    data = {
        "code": service.code,
        "kind": service.kind,
        "group": service.group,
        "active": "on" if service.active else None,
        "name_id": service.name_id,
        "name_en": service.name_en,
        "description_id": service.description_id,
        "description_en": service.description_en,
        "keywords": service.keywords,
        "default_department": service.default_department_id,
        "response_sla_days": service.response_sla_days,
        "resolution_sla_days": service.resolution_sla_days,
        "default_priority": service.default_priority,
        "default_privacy": service.default_privacy,
        "attributes-TOTAL_FORMS": 0,
        "attributes-INITIAL_FORMS": 0,
        "routing_rules-TOTAL_FORMS": len(rules),
        "routing_rules-INITIAL_FORMS": 0,
    }
    for i, department in enumerate(rules):
        data |= {f"routing_rules-{i}-area": "", f"routing_rules-{i}-department": department.pk}
        data[f"routing_rules-{i}-active"] = "on"
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}
