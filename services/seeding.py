"""Creates the city's departments, role groups, service catalogue and routing rules (idempotent).

The administrator maintains these rows in the admin afterwards, and the release step runs ``seed_city`` on
every deploy. It gives each catalogue entry once and remembers it (``SeededEntry``): an entry is created the
first time, never again, so a department, service, question or routing rule the administrator deleted stays
deleted; a field is filled (where still empty) only the first time it is shipped, so one the administrator
emptied stays empty, while a field a later release adds is filled once on the rows already there. Nothing
that has a value is ever overwritten. An installation seeded before this memory existed is treated as never
seeded: its first run adds what is missing and fills empty text fields once, as every run did before.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from accounts.roles import ADMINISTRATOR, CITY_ROLES

from .catalogue import ATTRIBUTES, DEFAULT_PRIVACY, DEPARTMENTS, DESCRIPTION_EN, GROUP_EN, ROUTING_RULES, SERVICES
from .models import Area, Department, RoutingRule, SeededEntry, Service, ServiceAttribute

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


class _Memory:
    """What seed_city gave this city on earlier runs (``SeededEntry``), read once per run."""

    def __init__(self):
        self.entries = {(entry.kind, entry.key): entry for entry in SeededEntry.objects.all()}

    def never_given(self, kind: str, key: str, names) -> tuple[bool, list[str]]:
        """Whether the entry was never seeded, and which of the field ``names`` it was never given."""
        entry = self.entries.get((kind, key))
        if entry is None:
            return True, list(names)
        return False, [name for name in names if name not in entry.fields]

    def remember(self, kind: str, key: str, names) -> None:
        entry = self.entries.get((kind, key))
        if entry is None:
            self.entries[kind, key] = SeededEntry.objects.create(kind=kind, key=key, fields=sorted(names))
        elif not set(names) <= set(entry.fields):
            entry.fields = sorted({*entry.fields, *names})
            entry.save(update_fields=["fields"])


def _add_missing(memory: _Memory, kind: str, key: str, model, values: dict, *, creatable=True, fill=None, **lookup):
    """The row ``lookup`` names, or None. Created with ``values`` the first time unless it is there; where it is,
    ``fill`` gives it the fields among ``values`` it was never given (default: text fields still empty).
    ``creatable`` False: a row it would point at is gone, so it is not created (nor remembered: it comes once
    that row is back)."""
    first_time, fields = memory.never_given(kind, key, values)
    row = model.objects.filter(**lookup).first()
    if row is None:
        if not (first_time and creatable):
            return None
        row = model.objects.create(**lookup, **values)
    elif fields:
        (fill or _fill_empty)(row, values, fields)
    memory.remember(kind, key, values)
    return row


def _fill_empty(row, values: dict, fields: list[str]) -> None:
    empty = [name for name in fields if isinstance(values[name], str) and values[name] and getattr(row, name) == ""]
    for name in empty:
        setattr(row, name, values[name])
    if empty:
        row.save(update_fields=empty)


def _fill_service(service: Service, values: dict, fields: list[str]) -> None:
    """A service's text fields where empty, and its default privacy the first time it is shipped: every row a city
    had before that field came got "public" from the migration, a value nobody chose, so the shipped one replaces
    it there (a health or social-aid service becomes confidential once). One the administrator set otherwise
    before this run (anonymous) is kept, and from then on the field is never given again."""
    if "default_privacy" in fields and service.default_privacy == Service.Privacy.PUBLIC:
        if values["default_privacy"] != service.default_privacy:
            service.default_privacy = values["default_privacy"]
            service.save(update_fields=["default_privacy"])
    _fill_empty(service, values, [name for name in fields if name != "default_privacy"])


def _fill_question(question: ServiceAttribute, values: dict, fields: list[str]) -> None:
    """A question's English texts are filled only where empty and the Indonesian text is still the shipped one (a
    question or answer the administrator reworded keeps its English empty, which shows the Indonesian, rather than
    get the old wording's translation)."""
    changed = []
    for field in ("description", "datatype_description"):
        if field in fields and values.get(field) and not getattr(question, field):
            setattr(question, field, values[field])
            changed.append(field)
        english = values.get(f"{field}_en", "")
        if (
            f"{field}_en" in fields
            and english
            and not getattr(question, f"{field}_en")
            and getattr(question, field) == values.get(field, "")
        ):
            setattr(question, f"{field}_en", english)
            changed.append(f"{field}_en")
    if "values" in fields and isinstance(question.values, list):
        shipped_options = {option["key"]: option for option in values.get("values", [])}
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
    memory = _Memory()
    departments = {}
    for code, name, short_name, email, is_triage in DEPARTMENTS:
        departments[code] = _add_missing(
            memory,
            "department",
            code,
            Department,
            {"name": name, "short_name": short_name, "email": email, "is_triage": is_triage},
            code=code,
        )
    groups_now = dict(Service.objects.values_list("code", "group"))
    for code, name_id, name_en, group, kind, dept, response, resolution, priority, keywords, description in SERVICES:
        # A group the administrator renamed keeps its English name empty rather than get the old group's.
        group_en = GROUP_EN[group] if groups_now.get(code, group) == group else ""
        service = _add_missing(
            memory,
            "service",
            code,
            Service,
            code=code,
            creatable=departments[dept] is not None,
            fill=_fill_service,
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
                "description_en": DESCRIPTION_EN.get(code, name_en + "."),
                "default_privacy": DEFAULT_PRIVACY.get(code, Service.Privacy.PUBLIC),
            },
        )
        if service is None:
            continue
        for shipped in ATTRIBUTES.get(code, []):
            values = {name: value for name, value in shipped.items() if name != "code"}
            key = f"{code}/{shipped['code']}"
            _add_missing(
                memory,
                "question",
                key,
                ServiceAttribute,
                values,
                fill=_fill_question,
                service=service,
                code=shipped["code"],
            )
    for service_code, area_code, dept, note in ROUTING_RULES:
        service = Service.objects.filter(code=service_code).first()
        if service is None:
            continue
        _add_missing(
            memory,
            "rule",
            f"{service_code}/{area_code}",
            RoutingRule,
            {"department": departments[dept], "note": note},
            creatable=departments[dept] is not None,
            service=service,
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
