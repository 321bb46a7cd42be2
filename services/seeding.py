"""Creates the city's departments, role groups, service catalogue and routing rules (idempotent).

The administrator maintains these rows in the admin afterwards, and the release step runs ``seed_city`` on
every deploy: it adds what is missing (rows, and text fields still empty, e.g. one a new version added) and
never overwrites what is there, so a department's address or a service's deadline changed in the admin stays.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from accounts.roles import ADMINISTRATOR, CITY_ROLES

from .catalogue import ATTRIBUTES, DEPARTMENTS, GROUP_EN, ROUTING_RULES, SERVICES
from .models import Area, Department, RoutingRule, Service, ServiceAttribute

# Django-admin permissions given to the administrator group: the city's set-up, not the tickets' content.
ADMIN_APPS = ("services", "accounts", "account", "open311", "django_celery_beat")
# Set-up rows of the planning app the administrator maintains (the year's stage calendar, grade bands,
# programmes); budgets, realisation and evaluations only change through the role-checked planning actions.
ADMIN_PLANNING_MODELS = ("fiscalyear", "programme")
# Ticket rows in the admin are read-only and scoped by complaints.queries.staff_tickets (no confidential
# tickets of other departments); "change" is what the reassign-all page checks.
ADMIN_COMPLAINTS_PERMISSIONS = (
    "add_cannedresponse",
    "change_cannedresponse",
    "delete_cannedresponse",
    "view_cannedresponse",
    "view_ticket",
    "change_ticket",
    "view_notification",
)


def _add_missing(model, values: dict, **lookup):
    """The row ``lookup`` names: created with ``values`` if missing; if there, only its empty text fields filled."""
    row, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        empty = [
            name for name, value in values.items() if getattr(row, name) == "" and isinstance(value, str) and value
        ]
        for name in empty:
            setattr(row, name, values[name])
        if empty:
            row.save(update_fields=empty)
    return row


def _add_question(service: Service, shipped: dict) -> None:
    """A catalogue question: added if missing; if there, its English texts filled only where still empty and the
    Indonesian text is still the shipped one (a question or answer the administrator reworded keeps its English
    empty, which shows the Indonesian, rather than get the old wording's translation)."""
    values = {k: v for k, v in shipped.items() if k != "code"}
    question = ServiceAttribute.objects.filter(service=service, code=shipped["code"]).first()
    if question is None:
        ServiceAttribute.objects.create(service=service, code=shipped["code"], **values)
        return
    changed = []
    for field in ("description", "datatype_description"):
        if values.get(field) and not getattr(question, field):
            setattr(question, field, values[field])
            changed.append(field)
        english = values.get(f"{field}_en", "")
        if english and not getattr(question, f"{field}_en") and getattr(question, field) == values.get(field, ""):
            setattr(question, f"{field}_en", english)
            changed.append(f"{field}_en")
    shipped_options = {option["key"]: option for option in values.get("values", [])}
    if isinstance(question.values, list):
        options = []
        for option in question.values:
            ours = shipped_options.get(option.get("key")) if isinstance(option, dict) else None
            if ours and ours.get("name_en") and not option.get("name_en") and option.get("name") == ours["name"]:
                option = {**option, "name_en": ours["name_en"]}
            options.append(option)
        if options != question.values:
            question.values = options
            changed.append("values")
    if changed:
        question.save(update_fields=changed)


@transaction.atomic
def seed_city() -> dict[str, int]:
    departments = {}
    for code, name, short_name, email, is_triage in DEPARTMENTS:
        departments[code] = _add_missing(
            Department, {"name": name, "short_name": short_name, "email": email, "is_triage": is_triage}, code=code
        )
    groups_now = dict(Service.objects.values_list("code", "group"))
    for code, name_id, name_en, group, kind, dept, response, resolution, priority, keywords, description in SERVICES:
        # A group the administrator renamed keeps its English name empty rather than get the old group's.
        group_en = GROUP_EN[group] if groups_now.get(code, group) == group else ""
        service = _add_missing(
            Service,
            code=code,
            values={
                "name_id": name_id,
                "name_en": name_en,
                "group": group,
                "group_en": group_en,
                "kind": kind,
                "default_department": departments[dept],
                "response_sla_days": response,
                "resolution_sla_days": resolution,
                "default_priority": priority,
                "keywords": keywords,
                "description_id": description,
                "description_en": name_en + ".",
            },
        )
        for attribute in ATTRIBUTES.get(code, []):
            _add_question(service, attribute)
    for service_code, area_code, dept, note in ROUTING_RULES:
        _add_missing(
            RoutingRule,
            {"department": departments[dept], "note": note},
            service=Service.objects.get(code=service_code),
            area=Area.objects.get(code=area_code),
        )
    for role in CITY_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role == ADMINISTRATOR:
            group.permissions.set(
                Permission.objects.filter(
                    Q(content_type__app_label__in=ADMIN_APPS)
                    | Q(content_type__app_label="planning", content_type__model__in=ADMIN_PLANNING_MODELS)
                    | Q(content_type__app_label="complaints", codename__in=ADMIN_COMPLAINTS_PERMISSIONS)
                )
            )
    return {"departments": len(departments), "services": len(SERVICES), "rules": len(ROUTING_RULES)}
