"""What admin pages post: the service page's fields from a service, or any change form sent back as it was shown."""

from __future__ import annotations

from django.forms import MultiWidget


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


def _values(form, data: dict) -> None:
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[key] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[key] = getattr(value, "pk", value)


def change_form_data(page) -> dict:
    """What the admin's change form would post back unchanged (main form and inline formsets)."""
    data = {}
    _values(page.context["adminform"].form, data)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        for inline_form in formset.forms:
            _values(inline_form, data)
    return data
