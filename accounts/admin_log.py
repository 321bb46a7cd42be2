"""The admin's audit trail: every change made in the admin, by whom and when (Administration → Log entries), for the
city's administrators alone. The index showed only "My actions" and ``/admin/admin/logentry/`` was 404.

Read-only for everyone, superusers included: a trail someone can edit is no trail.

Django stores a change message's field names in English as the form labelled them ("Default department", "Active",
"Full name") and translates them on display through the catalogue, whose msgids are the lowercase verbose names: the
Indonesian admin read "Default department dan Response SLA (working days) berubah.". ``change_message`` names them
from the model's fields as they are now, in the page's language; the stored rows are not rewritten.
"""

from __future__ import annotations

import json
from functools import cache

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from services.calendar import WITA

from .roles import ADMINISTRATOR, roles_of


def _in_english(text) -> str:
    """``text`` as Django stores it in a change message: untranslated."""
    with translation.override(None):
        return str(text)


@cache
def _models_by_stored_name() -> dict[str, type]:
    """Every model by the name a change message stores for it (an inline's rows: "department membership")."""
    return {_in_english(model._meta.verbose_name): model for model in apps.get_models()}


@cache
def _fields_by_stored_label(model) -> dict[str, object]:
    """``model``'s fields by the label a change message stores for them ("Default department")."""
    fields = model._meta.get_fields()
    return {capfirst(_in_english(field.verbose_name)): field for field in fields if hasattr(field, "verbose_name")}


def field_label(model, stored: str) -> str:
    """The field a change message names ``stored``, as ``model``'s form labels it now, in the page's language. A
    name that is no field of the model (a form's own field) is translated as Django would, or through its lowercase
    msgid, which is how the portal writes verbose names."""
    field = _fields_by_stored_label(model).get(stored) if model is not None else None
    if field is not None:
        return str(capfirst(field.verbose_name))
    translated = gettext(stored)
    if translated != stored or not stored:
        return translated
    lowercase = stored[0].lower() + stored[1:]
    translated = gettext(lowercase)
    return capfirst(translated) if translated != lowercase else stored


def change_message(entry: LogEntry) -> str:
    """``entry``'s change message in the page's language (``LogEntry.get_change_message`` with its field names
    worded from the models: see the module's docstring)."""
    try:
        parts = json.loads(entry.change_message) if entry.change_message.startswith("[") else None
    except json.JSONDecodeError:
        parts = None
    if not isinstance(parts, list):
        return entry.get_change_message()
    model = entry.content_type.model_class() if entry.content_type_id else None
    for part in parts:
        for detail in part.values() if isinstance(part, dict) else ():
            if isinstance(detail, dict) and isinstance(detail.get("fields"), list):
                # An inline's row names its model ("name"); the object's own fields name none.
                named = _models_by_stored_name().get(detail["name"]) if "name" in detail else model
                detail["fields"] = [field_label(named, str(name)) for name in detail["fields"]]
    return LogEntry(change_message=json.dumps(parts)).get_change_message()


def is_administrator(user) -> bool:
    """The city's administrators (the ``administrator`` role, superusers) read the trail; nobody else does."""
    return user.is_active and user.is_staff and ADMINISTRATOR in roles_of(user)


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Every change made in the admin, newest first; nothing is added, changed or deleted here."""

    list_display = ("when", "who", "object", "action_flag", "message")
    list_filter = (
        ("user", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "action_flag",
        "action_time",
    )
    list_select_related = ("user", "content_type")
    search_fields = ("object_repr", "change_message", "user__email", "user__full_name")
    search_help_text = _("The object's name, the message, or the email or name of who made the change")
    date_hierarchy = "action_time"
    ordering = ("-action_time",)
    fields = ("when", "who", "content_type", "object", "action_flag", "message")
    readonly_fields = fields

    @admin.display(description=_("time (WITA)"), ordering="action_time")
    def when(self, entry):
        return formats.localize(timezone.localtime(entry.action_time, WITA))

    @admin.display(description=LogEntry._meta.get_field("user").verbose_name, ordering="user__email")
    def who(self, entry):
        """By name and email, as the admin's messages name people: two may share a name."""
        from .admin import person  # (accounts.admin imports this module)

        return person(entry.user)

    @admin.display(description=_("object"), ordering="object_repr")
    def object(self, entry):
        """The object by its name when the change was made, linked to its page while it exists."""
        url = None if entry.is_deletion() else entry.get_admin_url()
        return format_html('<a href="{}">{}</a>', url, entry.object_repr) if url else entry.object_repr

    @admin.display(description=LogEntry._meta.get_field("change_message").verbose_name)
    def message(self, entry):
        return change_message(entry)

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
