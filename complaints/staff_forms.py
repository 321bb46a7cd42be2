"""Forms of the staff pages: the queue's filters, bulk actions and the actions on one ticket.

Forms only validate input; the actions in ``complaints.actions`` decide.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMINISTRATOR, INSPECTOR, roles_of
from services.models import Area, Department, Service
from smartcity.widgets import DatePicker

from . import queries
from .actions.dispatch import SERVICE_REQUIRED
from .actions.handling import ANY_ASSIGNEE
from .actions.handling import MAX_PHOTOS as MAX_RESOLUTION_PHOTOS
from .forms import (
    PHOTO_TYPES,
    KeepsPhotos,
    MultipleFileInput,
    MultiplePhotoField,
    check_date_range,
    kelurahan_choices,
    refuse_kelurahan_outside_kecamatan,
)
from .models import CannedResponse, SavedFilter, Status
from .photos import MAX_PHOTO_BYTES, MAX_SIDE

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
# The queue's "Escalated" value for tickets that were ever escalated to the inspectorate (``queries.
# escalated_to_inspectorate``), whatever their escalation level now; 1 and 2 are the level now.
ESCALATED_EVER = "ever"


def _escalation_choice(value):
    return value if value == ESCALATED_EVER else int(value)


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open")), ("all", _("All")), *Status.choices]
    ASSIGNEE_FIXED = [("", _("Anyone")), ("mine", _("Mine")), ("unassigned", _("Unassigned"))]
    SORT_CHOICES = [
        ("next", _("Urgent first, then next due date")),
        ("due", _("Resolution due date, soonest first")),
        ("-due", _("Resolution due date, latest first")),
        ("priority", _("Priority, highest first")),
        ("-priority", _("Priority, lowest first")),
        ("age", _("Oldest first")),
        ("-age", _("Newest first")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, empty_label=_("Any")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, empty_label=_("Any")
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Area.objects.none(), required=False, empty_label=_("Any")
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"), queryset=Area.objects.none(), required=False, empty_label=_("Any")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=[("", _("Any"))] + Service.Priority.choices, coerce=int, required=False
    )
    assignee = forms.ChoiceField(label=_("Assignee"), choices=ASSIGNEE_FIXED, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # Ticket.escalation_level: 1 = the head was told, 2 = the inspectorate too. The value is the lowest level listed.
    # That is only the state now: answering the deadline ends it, so "ever" reads the escalations that happened (the
    # inspectorate's audit: who answered late, still open or not), and so do the escalation dates.
    escalated = forms.TypedChoiceField(
        label=_("Escalated"),
        choices=[
            ("", _("Any")),
            (1, _("Escalated (to the head or further)")),
            (2, _("Escalated to the inspectorate: now")),
            (ESCALATED_EVER, _("Escalated to the inspectorate: ever")),
        ],
        coerce=_escalation_choice,
        required=False,
    )
    escalated_from = forms.DateField(label=_("Escalated to the inspectorate from"), required=False, widget=DatePicker())
    escalated_until = forms.DateField(
        label=_("Escalated to the inspectorate until"), required=False, widget=DatePicker()
    )
    date_from = forms.DateField(label=_("Filed from"), required=False, widget=DatePicker())
    date_to = forms.DateField(label=_("Filed until"), required=False, widget=DatePicker())
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, widget=forms.HiddenInput)
    page_size = forms.TypedChoiceField(
        label=_("Rows"), choices=[(n, n) for n in PAGE_SIZES], coerce=int, required=False
    )

    def __init__(self, *args, members=(), other_holders=(), multi_department: bool = False, **kwargs):
        """``members``: the department's officers; ``other_holders``: people outside it still holding its tickets
        (``staff_views._other_holders``), offered to filter on, marked as the workload table marks them."""
        super().__init__(*args, **kwargs)
        # Withdrawn services too: their open tickets stay in the queue (the list marks them "inactive").
        self.fields["service"].queryset = Service.objects.order_by("name_id")
        # Names only: the boundaries are large GeoJSON documents.
        areas = Area.objects.defer("boundary").order_by("name")
        self.fields["kecamatan"].queryset = areas.filter(level=Area.Level.KECAMATAN)
        # With its kecamatan: a kelurahan outside the kecamatan chosen is refused by both names (``clean``).
        self.fields["kelurahan"].queryset = kelurahan_choices()
        self.fields["assignee"].choices = [
            *self.ASSIGNEE_FIXED,
            *((str(person.pk), str(person)) for person in members),
            *(
                (str(person.pk), gettext("%(name)s (not in the department any more)") % {"name": person})
                for person in other_holders
            ),
        ]
        if multi_department:
            self.fields["department"].queryset = Department.objects.filter(active=True)
        else:
            del self.fields["department"]
        for name, field in self.fields.items():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-select form-select-sm"
            if isinstance(field.widget, forms.TextInput | forms.DateInput):
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def clean(self):
        # A kelurahan outside the kecamatan chosen is left out, said so by name, and the kecamatan still filters:
        # both together listed nothing, and said nothing about why.
        data = check_date_range(self, super().clean())
        data = check_date_range(self, data, "escalated_from", "escalated_until")
        return refuse_kelurahan_outside_kecamatan(self, data)

    def _usable(self) -> dict:
        # A refused filter (a former member's id in an old link, a mistyped date) is named on the page and left
        # out; the others still apply, instead of the whole queue showing as if nothing had been asked.
        self.is_valid()
        return self.cleaned_data if self.is_bound else {}

    def filters(self) -> dict:
        """Keyword arguments for ``queries.queue_tickets`` (a refused filter is left out)."""
        data = self._usable()
        assignee = data.get("assignee") or None
        if assignee not in (None, "mine", "unassigned"):
            assignee = int(assignee)
        escalated = data.get("escalated") or None
        ever = escalated == ESCALATED_EVER
        return {
            "status": data.get("status") or self.default_status(),
            "service": data.get("service"),
            "department": data.get("department"),
            "kecamatan": data.get("kecamatan"),
            "kelurahan": data.get("kelurahan"),
            "priority": data.get("priority") or None,
            "assignee": assignee,
            "overdue": bool(data.get("overdue")),
            "escalated": None if ever else escalated,
            "escalated_ever": ever,
            "escalated_from": data.get("escalated_from"),
            "escalated_to": data.get("escalated_until"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "q": data.get("q") or "",
            "sort": data.get("sort") or queries.QUEUE_DEFAULT_SORT,
        }

    def active_filter_count(self) -> int:
        """How many filters narrow the list (the default "open" status, the sort and the page size do not): the
        phone's folded filter card says it, so a list narrowed by a filter out of sight is not taken for the queue."""
        applied = self.filters()
        narrowing = [name for name in applied if name not in ("status", "sort") and applied[name]]
        return len(narrowing) + (applied["status"] != self.default_status())

    def default_status(self) -> str:
        """The status listed when none is chosen: open tickets, or all of them when the list asks for tickets that
        were escalated to the inspectorate (a link or saved filter with ``escalated=ever``): many were answered
        since, late, which is what the list is for."""
        data = self._usable()
        ever = data.get("escalated") == ESCALATED_EVER or data.get("escalated_from") or data.get("escalated_until")
        return "all" if ever else "open"

    def paging(self) -> tuple[int, int]:
        data = self._usable()
        return data.get("page") or 1, data.get("page_size") or DEFAULT_PAGE_SIZE


class SavedFilterForm(forms.ModelForm):
    class Meta:
        model = SavedFilter
        fields = ["name", "shared"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control form-control-sm"})}


# --- actions on one ticket ----------------------------------------------------------------------


def _text(label, rows=3, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class MessageForm(forms.Form):
    message = _text(_("Message"))


class ReplyForm(forms.Form):
    canned_response = forms.ModelChoiceField(
        label=_("Canned response"),
        queryset=CannedResponse.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    message = _text(_("Reply to the citizen"), rows=4, required=False)

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ticket is not None:
            self.fields["canned_response"].queryset = CannedResponse.objects.filter(department_id=ticket.department_id)

    def clean(self):
        data = super().clean()
        # A message refused for itself (too long) is not a missing one: saying both sent the officer looking for
        # a reply he had written.
        if not data.get("message") and not data.get("canned_response") and "message" not in self.errors:
            raise forms.ValidationError(_("Write a reply or choose a canned response."))
        return data


class ReasonForm(forms.Form):
    reason = _text(_("Reason"))


# How the assign forms write "nobody held it" in the assignee they saw (a hidden field, where "" is a page drawn
# before the forms carried it).
SEEN_POOL = "pool"


def seen_assignee_value(assignee_id: int | None) -> str:
    """Who holds a ticket, as the assign forms carry it: a user id, or ``SEEN_POOL``."""
    return str(assignee_id) if assignee_id else SEEN_POOL


def _seen_assignee_id(value: str):
    """The assignee a form was drawn with, for ``assign_ticket``'s ``seen_assignee_id``: a user id, ``None`` for
    the pool, ``ANY_ASSIGNEE`` (no check) for anything else."""
    if value == SEEN_POOL:
        return None
    return int(value) if value.isdigit() else ANY_ASSIGNEE


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("Department pool (nobody)"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    # Who held the ticket when the page was drawn: if someone else assigns it before this form is sent, the action
    # refuses instead of overwriting their choice unseen.
    seen_assignee = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members=None, ticket=None, **kwargs):
        if ticket is not None:
            seen = seen_assignee_value(ticket.assignee_id)
            kwargs.setdefault("initial", {"assignee": ticket.assignee_id, "seen_assignee": seen})
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["assignee"].queryset = members if members is not None else User.objects.none()

    def clean_seen_assignee(self):
        return _seen_assignee_id(self.cleaned_data["seen_assignee"])

    def refresh_seen_assignee(self, ticket) -> None:
        """A refused form drawn again keeps the officer's choice but is checked, when sent again, against who holds
        the ticket now: the page shows them (and the refusal named them)."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_assignee")] = seen_assignee_value(ticket.assignee_id)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Service.Priority.choices,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ResolveForm(KeepsPhotos, forms.Form):
    max_kept_photos = MAX_RESOLUTION_PHOTOS
    note = _text(_("What was done"), rows=4)
    # Sent one by one as they are picked, shrunk on the phone first (static/js/photo-upload.js): the form then carries
    # their tokens. A phone's original photo sent with the form took minutes on a slow link and was cut off.
    photos = MultiplePhotoField(
        label=_("Photos of the result (optional)"),
        widget=MultipleFileInput(
            attrs={
                "class": "form-control",
                "accept": PHOTO_TYPES,
                "data-max-bytes": MAX_PHOTO_BYTES,
                "data-max-side": MAX_SIDE,
                "data-max-photos": MAX_RESOLUTION_PHOTOS,
            }
        ),
    )


class DepartmentChoiceField(forms.ModelChoiceField):
    """A department as "DLH – Dinas Lingkungan Hidup": the abbreviation alone told a new officer nothing."""

    def label_from_instance(self, obj):
        return f"{obj.short_name} – {obj.name}"


class ForwardForm(forms.Form):
    department = DepartmentChoiceField(
        label=_("Forward to"),
        queryset=Department.objects.none(),
        empty_label=_("Choose a department"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    # The services listed under their departments; the action refuses one the department chosen does not handle.
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        help_text=_("The new due dates count from this service's working days."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = _text(_("Reason (e.g. not our authority)"))

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(active=True)
        if ticket is not None and ticket.department_id:
            departments = departments.exclude(pk=ticket.department_id)
        self.fields["department"].queryset = departments
        services = Service.objects.filter(active=True, default_department__active=True).select_related(
            "default_department"
        )
        field = self.fields["service"]
        field.queryset = services
        # A report without a service (filed as "Not sure", at the triage desk) gets one when it is forwarded: without
        # it the new department's due dates were the triage desk's defaults and duplicates were never looked for.
        field.required = ticket is not None and not ticket.service_id
        field.error_messages["required"] = SERVICE_REQUIRED  # the action's rule and words (REST API too)
        groups: dict[str, list] = {}
        for service in sorted(services, key=lambda service: service.name.lower()):
            department = service.default_department
            groups.setdefault(f"{department.short_name} – {department.name}", []).append((service.pk, service.name))
        empty = _("Choose a service") if field.required else _("Keep the current service")
        field.choices = [("", empty), *sorted(groups.items())]


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into (reference)"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "BJM-2026-000123"}),
    )


class EmptyForm(forms.Form):
    pass


BULK_ACTIONS = [
    ("assign", _("Assign")),
    ("priority", _("Change priority")),
    ("acknowledge", _("Verify")),
    ("start", _("Start work")),
    ("reject", _("Reject")),
    ("resolve", _("Resolve")),
    ("merge", _("Merge into…")),
]


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    assignee = forms.IntegerField(  # empty = the department pool, else a user id
        required=False, error_messages={"invalid": _("Choose a person.")}
    )
    priority = forms.TypedChoiceField(
        choices=Service.Priority.choices,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a priority from the list.")},
    )
    note = forms.CharField(required=False, max_length=4000)
    # The reference of the ticket the ticked ones are merged into (typed, or picked from the ticked ones).
    into = forms.CharField(required=False, max_length=20)
    # Who held each ticket of the page when it was drawn, "<ticket id>:<seen_assignee_value>" separated by spaces
    # (``seen_assignees_field``): assign refuses a ticket someone else assigned since.
    seen_assignees = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Which ids are acceptable is decided by the queue's visibility, not by the form.
        self.fields["ids"].valid_value = lambda value: True

    def clean_seen_assignees(self) -> dict:
        """Ticket id → its ``seen_assignee_id`` for ``assign_ticket`` (a ticket left out is not checked)."""
        seen = {}
        for pair in self.cleaned_data["seen_assignees"].split():
            ticket_id, _colon, value = pair.partition(":")
            if ticket_id.isdigit():
                seen[int(ticket_id)] = _seen_assignee_id(value)
        return seen

    def clean_into(self) -> str:
        return self.cleaned_data["into"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("action") == "merge" and not data.get("into") and "into" not in self.errors:
            self.add_error("into", _("Name the ticket to merge into: its reference, e.g. BJM-2026-000123."))
        # The priority list starts empty: it showed "Normal" chosen, and "Change priority" applied without a look
        # lowered every urgent ticket ticked.
        if data.get("action") == "priority" and data.get("priority") is None and "priority" not in self.errors:
            self.add_error("priority", _("Choose the new priority."))
        return data

    def refusal(self) -> str:
        """Why nothing was done, for a form that is not valid: what was chosen wrongly, else what is missing."""
        for name in ("assignee", "priority", "note", "into"):
            if name in self.errors:
                return " ".join(self.errors[name])
        return str(_("Choose an action and at least one ticket."))


def seen_assignees_field(tickets) -> str:
    """The bulk form's ``seen_assignees`` for the tickets of a queue page."""
    return " ".join(f"{ticket.pk}:{seen_assignee_value(ticket.assignee_id)}" for ticket in tickets)


def queue_filter_form(user, data) -> tuple[QueueFilterForm, list]:
    """The queue's filter form for ``user`` on ``data`` and the department's members it offers: the queue page, its
    exports (in the request and by the worker) and the dashboards' links to the queue read the filter the same way."""
    department_ids = queries.department_ids_of(user)
    spans_city = bool(roles_of(user) & {INSPECTOR, ADMINISTRATOR})
    multi = len(department_ids) != 1 or spans_city
    members_of = department_ids[0] if len(department_ids) == 1 else None
    if multi:
        # A queue over several departments narrowed to one lists that department's officers, to filter on and to
        # assign to: the inspectorate's and administrators' queues span the city, a member's only their own.
        chosen = str(data.get("department") or "")
        if chosen.isdigit() and (spans_city or int(chosen) in department_ids):
            members_of = int(chosen)
    members = list(queries.department_members(members_of)) if members_of else []
    holders = (
        queries.other_ticket_holders(user, members_of, members, chosen=str(data.get("assignee") or ""))
        if members_of
        else []
    )
    form = QueueFilterForm(data, members=members, other_holders=holders, multi_department=multi)
    return form, members
