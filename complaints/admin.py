"""Django admin for tickets (read-mostly), canned responses, notifications, exports, and the
"reassign all tickets of a staff member" page for when someone leaves.

Tickets are changed through the staff pages and their actions, never edited here; the admin
lists only what ``complaints.queries.staff_tickets`` lets the administrator see.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.constants import LOOKUP_SEP
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

import services.admin  # noqa: F401  (its admins are registered before the end of this file adds warnings to them)
from accounts.admin import PersonChoiceField, person
from accounts.models import User
from services.admin import LabelledPickersMixin
from services.answers import answers_of
from services.models import Department, StaffMembership
from smartcity.admin_inlines import AddAnotherInSentenceCase

from . import queries
from .actions import reassign_all
from .leavers import WarnsOfTicketsLeftBehind, open_tickets_of
from .models import (
    OPEN_STATUSES,
    CannedResponse,
    ExportJob,
    Notification,
    Privacy,
    SavedFilter,
    Ticket,
    TicketEvent,
)

REPORTER_FIELDS = ("reporter", "reporter_name", "reporter_email", "reporter_phone")


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "type", "public", "actor", "payload")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ReassignForm(forms.Form):
    from_user = PersonChoiceField(
        label=_("Staff member who leaves"),
        # A member, or someone who still holds open tickets after their membership was deleted.
        queryset=User.objects.filter(Q(memberships__isnull=False) | Q(assigned_tickets__status__in=OPEN_STATUSES))
        .distinct()
        .order_by("email"),
    )
    department = forms.ModelChoiceField(
        label=_("Tickets of"),
        queryset=Department.objects.order_by("short_name"),
        required=False,
        empty_label=_("All departments"),
        help_text=_(
            "Choose a department when the person leaves only that one: their tickets of other departments stay theirs."
        ),
    )
    to_user = PersonChoiceField(
        label=_("Give their open tickets to"),
        queryset=User.objects.filter(is_active=True, memberships__active=True).distinct().order_by("email"),
        required=False,
        empty_label=_("The department's pool (nobody)"),
        help_text=_("Tickets of departments this person is not an active member of go to that department's pool."),
    )

    def clean(self):
        data = super().clean()
        if data.get("from_user") and data.get("from_user") == data.get("to_user"):
            raise forms.ValidationError(_("Choose a different person to receive the tickets."))
        return data


class FiltersOnlyFromTheSide:
    """A list narrowed by its own filters on the side (and its date hierarchy) only. The admin otherwise takes any
    field as a query parameter, so a hand-made ``?reporter_email=…&privacy=anonymous`` (tickets) or
    ``?email=…&ticket=…`` (emails) would find who filed an anonymous report without showing a hidden field."""

    def lookup_allowed(self, lookup, value, request=None):
        filters = {item if isinstance(item, str) else item[0] for item in self.list_filter}
        if lookup.split(LOOKUP_SEP, 1)[0] not in filters | {self.date_hierarchy}:
            return False
        return super().lookup_allowed(lookup, value, request)


@admin.register(Ticket)
class TicketAdmin(AddAnotherInSentenceCase, FiltersOnlyFromTheSide, admin.ModelAdmin):
    list_display = ("reference", "title", "service", "department", "status", "priority", "privacy", "created_at")
    list_filter = ("status", "priority", "privacy", "kind", "channel", "department", "service")
    search_fields = ("reference", "title")
    list_select_related = ("service", "department")
    date_hierarchy = "created_at"
    inlines = [TicketEventInline]
    actions = ["reassign_assignees"]
    show_full_result_count = False  # a million tickets: do not count them twice per page

    def get_queryset(self, request):
        return queries.staff_tickets(request.user)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.upper().startswith("BJM-"):
            return queryset.filter(reference__iexact=term), False
        return super().get_search_results(request, queryset, search_term)

    def get_object(self, request, object_id, from_field=None):
        ticket = super().get_object(request, object_id, from_field)
        if ticket is not None:
            # Who filed it, as the staff ticket page decides: its identity and the answers that identify the citizen
            # (a PDAM customer number) only for whoever ``can_see_reporter`` allows.
            ticket.reporter_shown = queries.can_see_reporter(request.user, ticket)
        return ticket

    def get_fields(self, request, obj=None):
        fields = [f.name for f in Ticket._meta.fields if f.name not in ("id", "confirmation_token")]
        fields = ["answers" if f == "attributes" else f for f in fields]
        if obj is not None and not getattr(obj, "reporter_shown", False):
            fields = [f for f in fields if f not in REPORTER_FIELDS]
        return fields

    @admin.display(description=_("extra answers"))
    def answers(self, ticket):
        shown = answers_of(ticket, private=getattr(ticket, "reporter_shown", False))
        return format_html_join(mark_safe("<br>"), "{}: {}", ((answer.question, answer.text) for answer in shown))

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # tickets are never deleted; they are closed, rejected or merged

    def get_urls(self):
        extra = [
            path(
                "reassign/",
                self.admin_site.admin_view(self.reassign_view),
                name="complaints_ticket_reassign",
            )
        ]
        return extra + super().get_urls()

    @admin.action(description=_("Reassign all open tickets of these tickets' assignees"))
    def reassign_assignees(self, request, queryset):
        assignee_ids = set(queryset.exclude(assignee=None).values_list("assignee_id", flat=True))
        url = reverse("admin:complaints_ticket_reassign")
        if len(assignee_ids) == 1:
            url += f"?from_user={assignee_ids.pop()}"
        return redirect(url)

    def reassign_view(self, request):
        """When a staff member leaves: move every open ticket assigned to them, never deleting one. With a department
        (the link of the warning that a membership ended chooses it), only that department's open tickets move."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        initial = {"from_user": request.GET.get("from_user"), "department": request.GET.get("department")}
        form = ReassignForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            from_user, to_user = form.cleaned_data["from_user"], form.cleaned_data["to_user"]
            department = form.cleaned_data["department"]
            try:
                outcome, kept = self._reassign(from_user, to_user, request.user, department)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                for level, message in _reassignment_messages(outcome, from_user, to_user, department, kept):
                    messages.add_message(request, level, message)
                return redirect("admin:complaints_ticket_changelist")
        open_count = None
        if form.is_bound and form.is_valid():
            open_count = open_tickets_of(form.cleaned_data["from_user"], form.cleaned_data["department"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reassign all tickets of a staff member"),
            "form": form,
            "open_count": open_count,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "staff/admin_reassign.html", context)

    @staticmethod
    def _reassign(from_user, to_user, actor, department=None) -> tuple[list[dict], int]:
        """Reassign through the action, then read where the tickets went: ``reassign_all`` gives a ticket to
        ``to_user`` only in departments they are an active member of, to the department's pool elsewhere. Rows of
        ``assignee_id`` (``to_user``'s, or None for the pool), ``pool`` (the department's short name) and
        ``count``; and how many open tickets ``from_user`` keeps (of other departments than ``department``)."""
        with transaction.atomic():
            # The rows the action is about to move, locked until it has moved them.
            moving = list(
                queries.open_tickets_assigned_to(from_user, department)
                .select_for_update(of=("self",))
                .values_list("pk", flat=True)
            )
            reassign_all(from_user=from_user, to_user=to_user, actor=actor, department=department)
            outcome = (
                Ticket.objects.filter(pk__in=moving)
                .values("assignee_id", pool=F("department__short_name"))
                .annotate(count=Count("pk"))
                .order_by("pool")
            )
            return list(outcome), (open_tickets_of(from_user) if department is not None else 0)


def _reassignment_messages(
    outcome: list[dict], from_user, to_user, department=None, kept: int = 0
) -> list[tuple[int, str]]:
    """What the reassignment did, in sentences: how many tickets the chosen person got, how many went to which
    department's pool (and why, when a person was chosen); with a department, how many the person keeps of the
    others."""
    names = {"from": person(from_user), "to": person(to_user) if to_user else ""}
    given = sum(row["count"] for row in outcome if row["assignee_id"] is not None)
    said = []
    if given and department is not None:
        text = ngettext(
            "%(count)d open ticket of %(department)s went from %(from)s to %(to)s.",
            "%(count)d open tickets of %(department)s went from %(from)s to %(to)s.",
            given,
        )
        said.append((messages.SUCCESS, text % {"count": given, "department": department.short_name, **names}))
    elif given:
        text = ngettext(
            "%(count)d open ticket of %(from)s went to %(to)s.",
            "%(count)d open tickets of %(from)s went to %(to)s.",
            given,
        )
        said.append((messages.SUCCESS, text % {"count": given, **names}))
    for row in outcome:
        if row["assignee_id"] is not None:
            continue
        values = {"count": row["count"], "department": row["pool"], **names}
        if to_user is None:
            text = ngettext(
                "%(count)d open ticket of %(from)s went to the pool of %(department)s.",
                "%(count)d open tickets of %(from)s went to the pool of %(department)s.",
                row["count"],
            )
            said.append((messages.SUCCESS, text % values))
        else:
            text = ngettext(
                "%(count)d open ticket of %(from)s went to the pool of %(department)s: %(to)s is not an active "
                "member of it.",
                "%(count)d open tickets of %(from)s went to the pool of %(department)s: %(to)s is not an active "
                "member of it.",
                row["count"],
            )
            said.append((messages.WARNING, text % values))
    if not said and department is not None:
        text = gettext("%(from)s had no open tickets of %(department)s: nothing was reassigned.")
        said.append((messages.INFO, text % {"department": department.short_name, **names}))
    elif not said:
        said.append((messages.INFO, gettext("%(from)s had no open tickets: nothing was reassigned.") % names))
    if department is not None and kept:
        text = ngettext(
            "%(count)d open ticket of other departments stays with %(from)s.",
            "%(count)d open tickets of other departments stay with %(from)s.",
            kept,
        )
        said.append((messages.INFO, text % {"count": kept, **names}))
    return said


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ("title", "department")
    list_filter = ("department",)
    search_fields = ("title", "body")
    fieldsets = [
        (
            None,
            {
                "fields": ("department", "title", "body"),
                "description": _(
                    "Placeholders filled in from the ticket: {reference}, {service}, {kelurahan}, "
                    "{department}, {due_date}."
                ),
            },
        )
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Reports whose emails' recipient and content only a superuser reads in the email log: an anonymous report's
# reporter is hidden from staff, and a confidential report is seen by its department and the inspectorate only
# (the administrator group sees neither on the ticket's own pages).
PRIVATE_PRIVACY = (Privacy.ANONYMOUS, Privacy.CONFIDENTIAL)
HIDDEN_FROM_ADMINISTRATORS = _("Hidden: about an anonymous or confidential report (superusers only)")


@admin.register(Notification)
class NotificationAdmin(FiltersOnlyFromTheSide, ReadOnlyAdmin):
    """The email log. About an anonymous or confidential report, administrators who are not superusers read when
    and which kind of email was sent and whether it went out, not to whom (the address, and the deduplication key
    that holds it) nor what it said (the context); their search does not look at those rows."""

    list_display = ("created_at", "recipient_email", "kind_of_email", "state", "attempts", "sent_at")
    list_filter = ("state", "template", "language")
    list_select_related = ("event",)
    search_fields = ("email", "dedup_key")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "recipient_email",
        "deduplication_key",
        "language",
        "kind_of_email",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "email_context",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        hidden = Value(False)
        if not request.user.is_superuser:
            hidden = Case(When(ticket__privacy__in=PRIVATE_PRIVACY, then=Value(True)), default=Value(False))
        return super().get_queryset(request).annotate(hidden=hidden)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip() and not request.user.is_superuser:
            found = found.filter(hidden=False)
        return found, may_have_duplicates

    def has_delete_permission(self, request, obj=None):
        # The log is the record of what was sent (README: read-only), a superuser's included. Its rows go with the
        # ticket or the person they belong to (accounts.admin counts them as the person's), and the retention job
        # blanks what they say.
        return False

    @admin.display(description=_("kind of email"), ordering="template")
    def kind_of_email(self, notification):
        """Every email to staff uses one template, whatever it reports (a new report, an escalation, the citizen's
        answer…): named by the ticket event it reports, as its subject line does, not by the template's label."""
        if notification.template == Notification.Template.STAFF_TICKET and notification.event_id:
            return gettext("To staff: %(event)s") % {"event": notification.event.get_type_display()}
        return notification.get_template_display()

    @admin.display(description=_("email"))
    def recipient_email(self, notification):
        return HIDDEN_FROM_ADMINISTRATORS if notification.hidden else notification.email

    @admin.display(description=_("deduplication key"))
    def deduplication_key(self, notification):
        return HIDDEN_FROM_ADMINISTRATORS if notification.hidden else notification.dedup_key

    @admin.display(description=_("context"))
    def email_context(self, notification):
        if notification.hidden:
            return HIDDEN_FROM_ADMINISTRATORS
        return format_html("<pre>{}</pre>", json.dumps(notification.context, indent=2, ensure_ascii=False))


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "owner", "format", "state", "done", "total", "finished_at")
    list_filter = ("state", "format")
    search_fields = ("owner__email",)
    list_select_related = ("owner",)


@admin.register(SavedFilter)
class SavedFilterAdmin(LabelledPickersMixin, admin.ModelAdmin):
    list_display = ("name", "owner", "department", "shared", "created_at")
    # The owner by name and email, searched (a plain list held every account, citizens too, and two "Rahmat
    # Hidayat" looked the same: found in the reorganisation walk).
    autocomplete_fields = ("owner", "department")
    list_filter = ("shared", "department")
    search_fields = ("name", "owner__email")
    list_select_related = ("owner", "department")


# A membership switched off or deleted on its own admin page or in a department's members warns of the tickets the
# person still holds, as the user's page does (complaints.leavers): the services app's admins, with that added.
for _model in (StaffMembership, Department):
    _registered = type(admin.site.get_model_admin(_model))
    admin.site.unregister(_model)
    admin.site.register(
        _model, type(_registered.__name__, (WarnsOfTicketsLeftBehind, _registered), {"__module__": __name__})
    )
