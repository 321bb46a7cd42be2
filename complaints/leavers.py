"""Someone who leaves: an administrator who switches off a staff account or a department membership in the admin is
told which open tickets that person still holds, with the way to hand them on (Admin → Tickets → Reassign all
tickets of a staff member). Saving said only "changed successfully" and the tickets stayed with someone who no longer
opens them (a former member gets 404 on their department's tickets).

``WarnsOfTicketsLeftBehind`` goes on the admins that switch people off: the user's (its memberships inline), the
memberships' own and the department's (its members inline).
"""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from services.models import StaffMembership

from .queries import open_tickets_assigned_to


def open_tickets_of(user, department=None) -> int:
    """How many open tickets are assigned to ``user`` (in ``department`` only, when given)."""
    return open_tickets_assigned_to(user, department).count()


def reassign_url(user, department=None) -> str:
    """The admin's page that moves the open tickets of ``user``, with them chosen: every one, or only those of
    ``department`` (the membership that ended; the person keeps working in their other departments)."""
    url = f"{reverse('admin:complaints_ticket_reassign')}?from_user={user.pk}"
    return url if department is None else f"{url}&department={department.pk}"


def warn_of_open_tickets(request, user, department=None) -> None:
    """An admin warning naming how many open tickets ``user`` still holds, with a link to reassign them."""
    count = open_tickets_of(user, department)
    if not count:
        return
    values = {"count": count, "name": user.full_name or user.email}
    if department is None:
        text = ngettext(
            "%(count)d open ticket is still assigned to %(name)s.",
            "%(count)d open tickets are still assigned to %(name)s.",
            count,
        )
    else:
        values["department"] = department.short_name
        text = ngettext(
            "%(count)d open ticket of %(department)s is still assigned to %(name)s.",
            "%(count)d open tickets of %(department)s are still assigned to %(name)s.",
            count,
        )
    link = ngettext("Reassign it", "Reassign them", count)
    messages.warning(
        request, format_html('{} <a href="{}">{}</a>', text % values, reassign_url(user, department), link)
    )


def _switched_off(form, field: str) -> bool:
    """Whether ``form`` unticked ``field`` (active, is_active) of an existing row."""
    return form.instance.pk is not None and field in form.changed_data and not form.cleaned_data.get(field)


class WarnsOfTicketsLeftBehind:
    """For a ModelAdmin of users, memberships or departments: after a save that switches a person off (the account's
    *Active*, a membership's *active*, or a membership deleted), warn of the open tickets they still hold."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        if isinstance(obj, StaffMembership) and _switched_off(form, "active"):
            warn_of_open_tickets(request, obj.user, obj.department)
        elif obj._meta.label == "accounts.User" and _switched_off(form, "is_active"):
            warn_of_open_tickets(request, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if isinstance(obj, StaffMembership):
            warn_of_open_tickets(request, obj.user, obj.department)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not StaffMembership:
            return
        if form.instance._meta.label == "accounts.User" and _switched_off(form, "is_active"):
            return  # the account's own warning counts every department's tickets
        deleted = set(formset.deleted_forms)
        left = [f.instance for f in formset.initial_forms if f not in deleted and _switched_off(f, "active")]
        for membership in [*left, *formset.deleted_objects]:
            warn_of_open_tickets(request, membership.user, membership.department)
