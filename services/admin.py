"""Django admin for the city's set-up: areas, departments, staff, catalogue, routing rules, days off and working
days."""

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import PersonChoiceField, person
from smartcity.admin_inlines import AddAnotherInSentenceCase

from .calendar import is_weekend, listed_holiday
from .geo import polygons_of
from .models import Area, DayOff, Department, RoutingRule, Service, ServiceAttribute, StaffMembership


def area_label(area: Area) -> str:
    """An area as the admin's pickers name it: its kind, and a kelurahan's kecamatan ("Kec. Banjarmasin Utara",
    "Kel. Belitung Utara (Banjarmasin Barat)"); the names alone look alike. Public pages keep ``str(area)``."""
    if area.level == Area.Level.KECAMATAN:
        return gettext("Kec. %(name)s") % {"name": area.name}
    if area.parent_id is not None:
        return gettext("Kel. %(name)s (%(kecamatan)s)") % {"name": area.name, "kecamatan": area.parent.name}
    return gettext("Kel. %(name)s") % {"name": area.name}


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return area_label(obj)


def department_label(department: Department) -> str:
    """A department as the admin's pickers name it: its short name and its full name ("DKP – Dinas Ketahanan
    Pangan"); short names alone look alike ("DKP" and "DKP3" side by side). Elsewhere ``str()`` stays the short
    name."""
    if department.name and department.name != department.short_name:
        return f"{department.short_name} – {department.name}"
    return str(department)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return department_label(obj)


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete search (its permission checks included), each result labelled by ``label``."""

    label = staticmethod(str)

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": self.label(obj)}


class AreaAutocompleteJsonView(LabelledAutocompleteJsonView):
    """The area picker's search: kecamatan first, then kelurahan, each by name, labelled by ``area_label``."""

    label = staticmethod(area_label)

    def get_queryset(self):
        return super().get_queryset().select_related("parent").order_by("level", "name", "code")


class DepartmentAutocompleteJsonView(LabelledAutocompleteJsonView):
    """The department picker's search (the department admin's search fields), labelled by ``department_label``."""

    label = staticmethod(department_label)


class PersonAutocompleteJsonView(LabelledAutocompleteJsonView):
    """The user picker's search (the user admin's search fields: email, name, phone), labelled name and email."""

    label = staticmethod(person)


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete widget asking ``url_name`` (a ``LabelledAutocompleteJsonView``) instead of the admin's own
    search; the selected value is labelled by the form field's ``label_from_instance``."""

    def __init__(self, url_name: str, field, admin_site, **kwargs):
        self.url_name = url_name
        super().__init__(field, admin_site, **kwargs)

    def get_url(self):
        return reverse(f"{self.admin_site.name}:{self.url_name}")


@dataclass(frozen=True)
class LabelledPicker:
    url_name: str
    choice_field: type[forms.ModelChoiceField]
    select_related: tuple[str, ...] = ()


def labelled_picker(model) -> LabelledPicker | None:
    """The labelled picker of ``model``, if it has one: areas (``area_label``), departments (``department_label``),
    and people by name and email (``accounts.admin.person``; chosen, with their departments too): two members may
    share a name, and the wrong one gets the department's confidential reports. ``User.__str__`` (the name alone, as
    citizen and staff pages show it) stays."""
    if model is Area:
        return LabelledPicker("services_area_autocomplete", AreaChoiceField, ("parent",))
    if model is Department:
        return LabelledPicker("services_department_autocomplete", DepartmentChoiceField)
    if model is get_user_model():
        return LabelledPicker("services_person_autocomplete", PersonChoiceField)
    return None


class LabelledPickersMixin:
    """An autocomplete field for an area or a person uses its labelled picker (``labelled_picker``), in the search's
    results and in the value shown once chosen."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        picker = labelled_picker(model)
        if picker is not None and db_field.name in self.get_autocomplete_fields(request):
            widget = LabelledAutocompleteSelect(picker.url_name, db_field, self.admin_site, using=kwargs.get("using"))
            kwargs.setdefault("widget", widget)
            kwargs.setdefault("queryset", model._default_manager.select_related(*picker.select_related))
            kwargs.setdefault("form_class", picker.choice_field)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KecamatanFilter(admin.RelatedFieldListFilter):
    """The areas' parent filter offers kecamatan only: a kelurahan is nobody's parent (choosing one listed nothing)."""

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False, limit_choices_to={"level": Area.Level.KECAMATAN}, ordering=("name",)
        )


class AreaForm(forms.ModelForm):
    """Only the name is editable (``AreaAdmin``); one already used by an area of the same level in the same
    kecamatan (or another kecamatan's name) is refused, in any case and spacing: the filing form would offer two
    identical "Basirih (Banjarmasin Barat)"."""

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        area = self.instance
        siblings = Area.objects.filter(level=area.level, parent_id=area.parent_id).exclude(pk=area.pk)
        taken = siblings.filter(name__iexact=name).only("name").first()
        if taken is not None:
            if area.level == Area.Level.KELURAHAN and area.parent_id is not None:
                message = gettext(
                    "%(kecamatan)s already has a kelurahan named “%(name)s”: choose another name, or the filing form "
                    "offers two alike."
                ) % {"kecamatan": area.parent.name, "name": taken.name}
            else:
                message = gettext(
                    "Another area of this level is already named “%(name)s”: choose another name, or the filing form "
                    "offers two alike."
                ) % {"name": taken.name}
            raise ValidationError(message)
        return name


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaForm
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level", ("parent", KecamatanFilter))
    search_fields = ("code", "name")
    ordering = ("code",)
    list_select_related = ("parent",)
    # Boundaries come from the shipped GeoJSON (manage.py load_areas); editing them by hand would break locate().
    # Only the display name is editable here.
    fields = ("code", "name", "level", "parent", "boundary_summary", "min_lat", "max_lat", "min_lng", "max_lng")
    readonly_fields = ("code", "level", "parent", "boundary_summary", "min_lat", "max_lat", "min_lng", "max_lng")

    @admin.display(description=_("boundary"))
    def boundary_summary(self, obj):
        if not obj or not obj.boundary:
            return "-"
        geometry = obj.boundary
        rings = [ring for polygon in polygons_of(geometry) for ring in polygon]
        points = sum(len(r) for r in rings)
        preview = json.dumps(geometry)[:300]
        return format_html(
            "{} · {} {} · {} {}<br><code class='small'>{}…</code>",
            geometry["type"],
            len(rings),
            _("rings"),
            points,
            _("points"),
            preview,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Tickets and statistics point at areas: they are replaced by the loader, not deleted.
        return False

    def get_urls(self):
        picker = self.admin_site.admin_view(AreaAutocompleteJsonView.as_view(admin_site=self.admin_site))
        return [path("autocomplete/", picker, name="services_area_autocomplete"), *super().get_urls()]


class StaffMembershipInline(LabelledPickersMixin, admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "active")


def still_pointing_at(department: Department) -> tuple[int, int, int]:
    """(active services whose default department it is, active routing rules of active services naming it, open
    tickets it holds): what an administrator who deactivates it still has to move."""
    from complaints.models import OPEN_STATUSES, Ticket

    return (
        Service.objects.filter(default_department=department, active=True).count(),
        RoutingRule.objects.filter(department=department, active=True, service__active=True).count(),
        Ticket.objects.filter(department=department, status__in=OPEN_STATUSES).count(),
    )


def running_fiscal_year_ids() -> list[int]:
    """The fiscal years whose execution has not ended: their activities are the planning work still open."""
    from planning.models import FiscalYear

    today = timezone.localdate()
    return list(FiscalYear.objects.filter(execution_end__gte=today).order_by("year").values_list("pk", flat=True))


def planning_still_with(department: Department) -> tuple[int, int]:
    """(activities of fiscal years whose execution has not ended, proposals under review) of ``department``: the
    planning work a reorganisation leaves to move in the planning admin (the transfer moves reports only)."""
    from planning.models import Activity, Proposal

    return (
        Activity.objects.filter(department=department, fiscal_year__in=running_fiscal_year_ids()).count(),
        Proposal.objects.filter(department=department, status=Proposal.Status.IN_REVIEW).count(),
    )


def planning_admin_url(model: str, department: Department) -> str:
    """The planning admin's list of ``department``'s open planning work: its activities of the fiscal years still
    running (``planning_still_with``), or its proposals under review; the lists the warnings' counts come from."""
    query = [("department__id__exact", department.pk)]
    if model == "activity":
        query.append(("fiscal_year__id__in", ",".join(map(str, running_fiscal_year_ids()))))
    else:
        query.append(("status__exact", "in_review"))
    return f"{reverse(f'admin:planning_{model}_changelist')}?{urlencode(query)}"


def transfer_url(
    source: Department | None = None, *, services=(), target: Department | None = None, area: Area | None = None
) -> str:
    """The page that moves a department's reports to another (``DepartmentAdmin.transfer_view``), pre-filled."""
    query = [("source", source.pk)] if source is not None else []
    query += [("service", service.pk) for service in services]
    query += [("area", area.pk)] if area is not None else []
    query += [("target", target.pk)] if target is not None else []
    url = reverse("admin:services_department_transfer")
    return f"{url}?{urlencode(query)}" if query else url


def warn_reports_left_behind(
    model_admin,
    request,
    said,
    *,
    previous: Department | None,
    department: Department,
    service: Service,
    area: Area | None = None,
) -> None:
    """A new ``department`` (a service's default, a routing rule's) takes new reports only: the open or resolved ones
    of ``service`` (in ``area``, a rule's) stay with ``previous``. Say how many (``said(count)``: the sentence), with
    the page that moves them pre-filled (a reorganisation moves them; a correction may not)."""
    from complaints.actions.transfer import transferable_tickets

    if previous is None:
        return
    count = transferable_tickets(previous, [service], area).count()
    if not count:
        return
    link = ngettext("Move it to %(department)s", "Move them to %(department)s", count) % {"department": department}
    url = transfer_url(previous, services=[service], target=department, area=area)
    model_admin.message_user(request, format_html('{} <a href="{}">{}</a>', said(count), url, link), messages.WARNING)


def leaves_no_triage_desk(department_ids) -> bool:
    """Whether switching off the departments ``department_ids`` would leave no active triage desk: the reports the
    routing cannot place ("not sure" below the threshold, or every department that could take them inactive) would
    then stay submitted (complaints.actions.dispatch logs an error)."""
    return not Department.objects.filter(is_triage=True, active=True).exclude(pk__in=department_ids).exists()


TRIAGE_DESK_NEEDED = _(
    "%(department)s is the city's only active triage desk: reports the routing cannot place go there, and without it "
    "they would stay unrouted. Tick “city triage desk” on another active department first; then this one can be "
    "switched off."
)


class DepartmentForm(forms.ModelForm):
    """Refuses to switch off the last active triage desk (unticking *active* or *city triage desk*). The admin
    builds the form's fields (no ``Meta`` here)."""

    def clean(self):
        data = super().clean()
        department = self.instance
        if (
            department.pk is None
            or not Department.objects.filter(pk=department.pk, is_triage=True, active=True).exists()
        ):
            return data
        still = {
            name: data.get(name) if name in self.fields else getattr(department, name)
            for name in ("active", "is_triage")
        }
        if not (still["active"] and still["is_triage"]) and leaves_no_triage_desk([department.pk]):
            field = "active" if not still["active"] else "is_triage"
            self.add_error(field, TRIAGE_DESK_NEEDED % {"department": department})
        return data


def _pk(value) -> int | None:
    """A primary key from a query string, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ServiceCountChoiceField(forms.ModelMultipleChoiceField):
    """Services, each named with how many of the source department's reports a transfer would move."""

    counts: dict[int, int] = {}

    def label_from_instance(self, obj):
        count = self.counts.get(obj.pk, 0)
        return ngettext(
            "%(service)s (%(code)s): %(count)d report", "%(service)s (%(code)s): %(count)d reports", count
        ) % {
            "service": obj.name,
            "code": obj.code,
            "count": count,
        }


class TransferForm(forms.Form):
    """What the administrator moves in a reorganisation (``complaints.actions.transfer``): the reports of a
    department, of some services or all, to another active department, with the reason the citizens read."""

    source = DepartmentChoiceField(label=_("Move the reports of"), queryset=Department.objects.order_by("short_name"))
    services = ServiceCountChoiceField(
        label=_("Only of these services"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The services the department's open reports are of. Tick none to move all of them, whatever their "
            "service (the reports without one too)."
        ),
    )
    area = AreaChoiceField(
        label=_("Only in this area"),
        queryset=Area.objects.select_related("parent").defer("boundary", "parent__boundary").order_by("level", "name"),
        required=False,
        help_text=_(
            "Empty: the whole city. A kecamatan takes in its kelurahan. For a routing rule whose department changed: "
            "the reports of its area."
        ),
    )
    target = DepartmentChoiceField(
        label=_("To the department"), queryset=Department.objects.filter(active=True).order_by("short_name")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Citizens read it on their reports and in the email telling them of the move, e.g. “Perwali No. 12 of "
            "2025 on the city's departments (SOTK)”."
        ),
    )
    copy_setup = forms.BooleanField(
        label=_("Copy its canned responses and shared saved filters"),
        required=False,
        help_text=_(
            "For a merge: the new department's staff get the old department's ready-made replies and shared queue "
            "views. Copies: the old department keeps its own. A canned response whose title the new department "
            "already has is skipped; a saved filter on the old department's reports shows the new department's."
        ),
    )

    def __init__(self, *args, **kwargs):
        from complaints.actions.transfer import department_setup, transferable_tickets

        super().__init__(*args, **kwargs)
        chosen = self.data.getlist("services") if self.is_bound else self.initial.get("services") or []
        source_id = _pk(self.data.get("source") if self.is_bound else self.initial.get("source"))
        self.chosen_source = Department.objects.filter(pk=source_id).first() if source_id else None
        counts = {}
        if self.chosen_source is not None:
            rows = transferable_tickets(self.chosen_source).exclude(service=None).order_by().values_list("service_id")
            counts = dict(rows.annotate(count=Count("pk")))
        field = self.fields["services"]
        field.counts = counts
        wanted = [pk for pk in map(_pk, chosen) if pk is not None]
        field.queryset = Service.objects.filter(Q(pk__in=counts) | Q(pk__in=wanted)).order_by("code")
        if self.chosen_source is not None:
            canned, filters = department_setup(self.chosen_source)
            has = gettext("%(source)s has %(canned)s and %(filters)s.") % {
                "source": self.chosen_source,
                "canned": ngettext("%(count)d canned response", "%(count)d canned responses", canned)
                % {"count": canned},
                "filters": ngettext("%(count)d shared saved filter", "%(count)d shared saved filters", filters)
                % {"count": filters},
            }
            self.fields["copy_setup"].help_text = f"{has} {self.fields['copy_setup'].help_text}"

    def clean(self):
        from complaints.actions.transfer import validate_transfer

        data = super().clean()
        if all(data.get(name) for name in ("source", "target", "reason")):
            try:
                data["reason"] = validate_transfer(source=data["source"], target=data["target"], reason=data["reason"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


def transfer_messages(outcome, *, source: Department, target: Department) -> list[tuple[int, str]]:
    """What a transfer did, in sentences for the admin's messages: the reports moved, then the canned responses and
    saved filters copied (when asked to)."""
    return _moved_messages(outcome, source=source, target=target) + _copied_messages(
        outcome.copied, source=source, target=target
    )


def _copied_messages(copied, *, source: Department, target: Department) -> list[tuple[int, str]]:
    if copied is None:
        return []
    if not (copied.canned or copied.canned_skipped or copied.filters):
        text = gettext("%(source)s had no canned response or shared saved filter to copy.")
        return [(messages.INFO, text % {"source": source})]
    values = {"source": source, "target": target}
    said = []
    if copied.canned:
        text = ngettext(
            "%(count)d canned response of %(source)s copied to %(target)s.",
            "%(count)d canned responses of %(source)s copied to %(target)s.",
            copied.canned,
        )
        said.append((messages.SUCCESS, text % {**values, "count": copied.canned}))
    if copied.canned_skipped:
        text = ngettext(
            "%(count)d canned response not copied: %(target)s already has one of the same title.",
            "%(count)d canned responses not copied: %(target)s already has ones of the same titles.",
            copied.canned_skipped,
        )
        said.append((messages.INFO, text % {**values, "count": copied.canned_skipped}))
    if copied.filters:
        text = ngettext(
            "%(count)d shared saved filter of %(source)s copied to %(target)s: its staff find it in their queue.",
            "%(count)d shared saved filters of %(source)s copied to %(target)s: its staff find them in their queue.",
            copied.filters,
        )
        said.append((messages.SUCCESS, text % {**values, "count": copied.filters}))
    return said


def _moved_messages(outcome, *, source: Department, target: Department) -> list[tuple[int, str]]:
    if not outcome.moved:
        text = gettext("%(source)s had no open or resolved report to move: nothing was moved.")
        return [(messages.INFO, text % {"source": source})]
    values = {"count": outcome.moved, "source": source, "target": target}
    said = [
        (
            messages.SUCCESS,
            ngettext(
                "%(count)d report moved from %(source)s to %(target)s. Its status, due dates and escalation stay as "
                "they were.",
                "%(count)d reports moved from %(source)s to %(target)s. Their status, due dates and escalation stay "
                "as they were.",
                outcome.moved,
            )
            % values,
        )
    ]
    if outcome.unassigned:
        text = ngettext(
            "%(count)d of them was assigned to someone who is not a member of %(target)s: it is in the pool of "
            "%(target)s now, for its head to assign.",
            "%(count)d of them were assigned to people who are not members of %(target)s: they are in the pool of "
            "%(target)s now, for its head to assign.",
            outcome.unassigned,
        )
        said.append((messages.WARNING, text % {**values, "count": outcome.unassigned}))
    if outcome.notified:
        text = ngettext(
            "%(count)d email tells their reporters and followers of the move.",
            "%(count)d emails tell their reporters and followers of the move.",
            outcome.notified,
        )
        said.append((messages.INFO, text % {"count": outcome.notified}))
    return said + _received_messages(outcome.received, target=target)


def _received_messages(received, *, target: Department) -> list[tuple[int, str]]:
    """Whom the receiving department's summary email went to (``transfer.tell_receiving_department``), or that it
    went to nobody: then nobody there knows of the overdue reports it now has."""
    if received is None:
        return []
    counts = {
        "target": target,
        "overdue": received.overdue,
        "escalated": received.escalated,
        "in_pool": received.in_pool,
    }
    if received.told:
        text = ngettext(
            "%(count)d email tells the heads of %(target)s and its contact address what it received (overdue: "
            "%(overdue)d, already escalated: %(escalated)d, in its pool: %(in_pool)d). It is the new head's notice "
            "of the overdue ones.",
            "%(count)d emails tell the heads of %(target)s and its contact address what it received (overdue: "
            "%(overdue)d, already escalated: %(escalated)d, in its pool: %(in_pool)d). It is the new head's notice "
            "of the overdue ones.",
            received.told,
        )
        return [(messages.INFO, text % {**counts, "count": received.told})]
    text = gettext(
        "%(target)s has no active head and no contact address: nobody there was told what it received (overdue: "
        "%(overdue)d, already escalated: %(escalated)d, in its pool: %(in_pool)d). Add its head to its members and "
        "tell them."
    )
    return [(messages.WARNING, text % counts)]


@admin.register(Department)
class DepartmentAdmin(AddAnotherInSentenceCase, admin.ModelAdmin):
    """Deactivating a department (its form or the list's action) stops routing there at once (services.rules: its
    rules are skipped, its services' reports go to the triage desk); the page then says what still points at it.
    The last active triage desk cannot be switched off (``DepartmentForm``, and the action skips it)."""

    form = DepartmentForm
    list_display = ("short_name", "name", "code", "email", "is_triage", "auto_assign", "active")
    list_filter = ("active", "is_triage", "auto_assign")
    search_fields = ("short_name", "name", "code", "email")
    inlines = [StaffMembershipInline]
    actions = ["deactivate", "move_reports"]

    def has_transfer_permission(self, request, obj=None) -> bool:
        from complaints.actions.transfer import may_transfer

        return may_transfer(request.user)

    def get_urls(self):
        transfer = self.admin_site.admin_view(self.transfer_view)
        # The department pickers of the services, routing rules and memberships: short and full name.
        picker = self.admin_site.admin_view(DepartmentAutocompleteJsonView.as_view(admin_site=self.admin_site))
        return [
            path("transfer/", transfer, name="services_department_transfer"),
            path("autocomplete/", picker, name="services_department_autocomplete"),
            *super().get_urls(),
        ]

    def log_transfer(self, request, outcome, *, source, target, services, area, reason: str) -> None:
        """Both departments' histories say who moved what, and why: "Moved 15 reports from Perkim to Disperkim:
        Perwali No. 12 of 2025"."""
        if not outcome.moved:
            return
        message = ngettext(
            "Moved %(count)d report from %(source)s to %(target)s: %(reason)s",
            "Moved %(count)d reports from %(source)s to %(target)s: %(reason)s",
            outcome.moved,
        ) % {"count": outcome.moved, "source": source, "target": target, "reason": reason}
        if services or area:
            narrowed = [", ".join(service.name for service in services)] if services else []
            narrowed += [area_label(area)] if area is not None else []
            message = f"{message} ({'; '.join(narrowed)})"
        for department in (source, target):
            self.log_change(request, department, message)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The department's page links to moving its reports (templates/admin/services/department/change_form.html).
        extra_context = dict(extra_context or {})
        department = self.get_object(request, object_id)
        if department is not None and self.has_transfer_permission(request):
            extra_context["transfer_url"] = transfer_url(department)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Move open reports to another department"), permissions=["transfer"])
    def move_reports(self, request, queryset):
        departments = list(queryset[:2])
        if len(departments) > 1:
            self.message_user(request, gettext("Choose one department to move reports from."), messages.ERROR)
            return None
        return redirect(transfer_url(departments[0]))

    def transfer_view(self, request):
        """The reorganisation's page: moves a department's open reports (all, or of some services) to another
        department in one go, keeping their handling and due dates (``complaints.actions.transfer``). Before
        moving it counts them, confidential ones included, and shows nothing of them."""
        from complaints.actions.transfer import transfer_preview, transfer_tickets

        if not self.has_transfer_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = TransferForm(request.POST)
        else:
            initial = {
                "source": request.GET.get("source"),
                "services": request.GET.getlist("service"),
                "area": request.GET.get("area"),
                "target": request.GET.get("target"),
                # All of the department's reports: a merge, which wants its replies and queue views along.
                "copy_setup": not (request.GET.getlist("service") or request.GET.get("area")),
            }
            form = TransferForm(initial=initial)
        preview = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            chosen = {
                "source": data["source"],
                "target": data["target"],
                "services": list(data["services"]),
                "area": data["area"],
            }
            if "move" in request.POST:
                try:
                    outcome = transfer_tickets(
                        **chosen, reason=data["reason"], actor=request.user, copy_setup=data["copy_setup"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.log_transfer(request, outcome, **chosen, reason=data["reason"])
                    for level, text in transfer_messages(outcome, source=data["source"], target=data["target"]):
                        self.message_user(request, text, level)
                    self.remind_of_routing(request, data["source"], chosen["services"])
                    if not data["source"].active or not (chosen["services"] or chosen["area"]):
                        # Emptied (all its reports moved) or switched off: its planning work has to move too. A
                        # department giving up some services carries on with its plans.
                        self.warn_of_planning(request, data["source"])
                    return redirect("admin:services_department_changelist")
            else:
                preview = transfer_preview(**chosen)
        elif not form.is_bound and form.chosen_source is not None:
            target = Department.objects.filter(pk=_pk(form.initial["target"]) or 0, active=True).first()
            services = form.fields["services"].queryset.filter(pk__in=[_pk(pk) for pk in form.initial["services"]])
            area = Area.objects.filter(pk=_pk(form.initial["area"]) or 0).first()
            preview = transfer_preview(source=form.chosen_source, target=target, services=list(services), area=area)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Move open reports to another department"),
            "opts": self.model._meta,
            "form": form,
            "preview": preview,
            "source": form.chosen_source,
            "ready": form.is_bound and preview is not None,
        }
        return TemplateResponse(request, "admin/services/department/transfer.html", context)

    def remind_of_routing(self, request, source: Department, services: list[Service]) -> None:
        """Moving reports leaves routing as it is: the services moved whose new reports still go to ``source`` (its
        default department) are named, with the list to change them."""
        still = [service for service in services if service.default_department_id == source.pk]
        if not still or not source.active:
            return
        text = ngettext(
            "New reports of %(services)s still go to %(source)s: change its default department to move them too.",
            "New reports of %(services)s still go to %(source)s: change their default department to move them too.",
            len(still),
        ) % {"services": ", ".join(service.name for service in still), "source": source}
        url = f"{reverse('admin:services_service_changelist')}?default_department__id__exact={source.pk}"
        self.message_user(request, format_html('{} <a href="{}">{}</a>', text, url, gettext("Services")), messages.INFO)

    def warn_deactivated(self, request, department: Department) -> None:
        """Name what still points at a department just deactivated, with links to the lists to fix it and to the
        page that moves its open reports; and the planning work it still holds."""
        services, rules, tickets = still_pointing_at(department)
        if services or rules or tickets:
            self.message_user(
                request, self._still_pointing_message(department, services, rules, tickets), messages.WARNING
            )
        self.warn_of_planning(request, department)

    def warn_of_planning(self, request, department: Department) -> None:
        """The planning work ``department`` still holds (a transfer moves reports only, deactivating moves nothing),
        linked to the planning admin's lists of it for whoever may open them."""
        activities, proposals = planning_still_with(department)
        if activities or proposals:
            self.message_user(
                request, self._planning_message(request, department, activities, proposals), messages.WARNING
            )

    @staticmethod
    def _still_pointing_message(department, services: int, rules: int, tickets: int):
        parts = []
        if services:
            parts.append(
                format_html(
                    '<a href="{}?default_department__id__exact={}&amp;active__exact=1">{}</a>',
                    reverse("admin:services_service_changelist"),
                    department.pk,
                    ngettext(
                        "%(count)d active service (as its default department)",
                        "%(count)d active services (as their default department)",
                        services,
                    )
                    % {"count": services},
                )
            )
        if rules:
            parts.append(
                format_html(
                    '<a href="{}?department__id__exact={}&amp;active__exact=1">{}</a>',
                    reverse("admin:services_routingrule_changelist"),
                    department.pk,
                    ngettext("%(count)d active routing rule", "%(count)d active routing rules", rules)
                    % {"count": rules},
                )
            )
        if tickets:
            parts.append(
                format_html(
                    '<a href="{}">{}</a>',
                    transfer_url(department),
                    ngettext("%(count)d open report", "%(count)d open reports", tickets) % {"count": tickets},
                )
            )
        text = gettext(
            "%(department)s is inactive and receives no new reports. Still pointing at it: %(what)s. Until you "
            "choose another department for those services and routing rules, their new reports go to the triage "
            "desk. Move its open reports to the department taking them over: their due dates stay as they were."
        )
        return mark_safe(escape(text) % {"department": escape(department), "what": mark_safe(", ".join(parts))})

    @staticmethod
    def _planning_message(request, department, activities: int, proposals: int):
        """The planning work of the department, with links to the planning admin's lists for whoever may open
        them (planners); moving it is done there, one row at a time."""
        parts = []
        for count, model, text in (
            (
                activities,
                "activity",
                ngettext(
                    "%(count)d activity of a fiscal year still running",
                    "%(count)d activities of fiscal years still running",
                    activities,
                ),
            ),
            (
                proposals,
                "proposal",
                ngettext("%(count)d proposal under review", "%(count)d proposals under review", proposals),
            ),
        ):
            if not count:
                continue
            if request.user.has_perm(f"planning.view_{model}"):
                url = planning_admin_url(model, department)
                parts.append(format_html('<a href="{}">{}</a>', url, text % {"count": count}))
            else:
                parts.append(escape(text % {"count": count}))
        text = gettext(
            "%(department)s still has planning work: %(what)s. Moving reports does not move it: change their "
            "department in the planning admin (or ask Bappeda to)."
        )
        return mark_safe(escape(text) % {"department": escape(department), "what": mark_safe(", ".join(parts))})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "active" in form.changed_data and not obj.active:
            self.warn_deactivated(request, obj)

    def get_deleted_objects(self, objs, request):
        # Deleting the last active triage desk (its page or "delete selected") is refused like switching it off: the
        # confirmation page lists it as what prevents the deletion and offers no button.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        desks = [department for department in objs if department.is_triage and department.active]
        if desks and leaves_no_triage_desk([department.pk for department in objs]):
            protected = [*protected, *(TRIAGE_DESK_NEEDED % {"department": department} for department in desks)]
        return deleted, counts, perms_needed, protected

    @admin.action(description=_("Deactivate selected departments"), permissions=["change"])
    def deactivate(self, request, queryset):
        """First a page saying what each department still has (``still_pointing_at``) and asking to confirm; then
        each is switched off and its history says who did it, with those counts."""
        departments = list(queryset.filter(active=True).order_by("short_name"))
        kept = []
        if leaves_no_triage_desk([d.pk for d in departments]):
            kept = [d for d in departments if d.is_triage]
            departments = [d for d in departments if not d.is_triage]
        if request.POST.get("confirmed") != "yes":
            return self.confirm_deactivation(request, departments, kept)
        for department in kept:
            self.message_user(request, TRIAGE_DESK_NEEDED % {"department": department}, messages.ERROR)
        with transaction.atomic():
            for department in departments:
                department.active = False
                department.save(update_fields=["active"])
                services, rules, tickets = still_pointing_at(department)
                self.log_change(
                    request,
                    department,
                    gettext(
                        "Deactivated with the department list's action. Still pointing at it: %(services)d active "
                        "services, %(rules)d active routing rules, %(tickets)d open reports."
                    )
                    % {"services": services, "rules": rules, "tickets": tickets},
                )
        if departments or not kept:
            self.message_user(
                request,
                ngettext("%(count)d department deactivated.", "%(count)d departments deactivated.", len(departments))
                % {"count": len(departments)},
                messages.SUCCESS,
            )
        for department in departments:
            self.warn_deactivated(request, department)

    def confirm_deactivation(self, request, departments: list[Department], kept: list[Department]):
        """The action's confirmation page: each department with what still points at it, the triage desk it may not
        switch off, and the button that does it (re-posting the action with ``confirmed``)."""
        rows = [(department, *still_pointing_at(department)) for department in departments]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Deactivate departments?"),
            "opts": self.model._meta,
            "rows": rows,
            "kept": [TRIAGE_DESK_NEEDED % {"department": department} for department in kept],
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/services/department/deactivate_confirmation.html", context)


@admin.register(StaffMembership)
class StaffMembershipAdmin(LabelledPickersMixin, admin.ModelAdmin):
    list_display = ("user", "user_email", "department", "role", "active")
    list_filter = ("role", "active", "department")
    search_fields = ("user__email", "user__full_name", "department__short_name", "department__name")
    autocomplete_fields = ("user", "department")
    list_select_related = ("user", "department")

    def get_urls(self):
        # The people picker of the memberships (here and in a department's members): name and email.
        picker = self.admin_site.admin_view(PersonAutocompleteJsonView.as_view(admin_site=self.admin_site))
        return [path("people/autocomplete/", picker, name="services_person_autocomplete"), *super().get_urls()]

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, membership):
        return membership.user.email


class ServiceAttributeInline(admin.TabularInline):
    model = ServiceAttribute
    extra = 0
    fields = (
        "order",
        "code",
        "datatype",
        "required",
        "private",
        "description",
        "description_en",
        "datatype_description",
        "datatype_description_en",
        "values",
    )


class RoutingRuleFormSet(BaseInlineFormSet):
    """One city-wide rule per service (RoutingRule.Meta), checked here for the service page: its rows skip the
    model's check (Django leaves the service, the inline's own key, out of each row's validation), and two new
    city-wide rows in one save would each pass it anyway."""

    def clean(self):
        super().clean()
        city_wide = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("area") is None
            and not form.errors
        ]
        stored = 0
        if self.instance.pk is not None:  # rules of the service not on the page (all are, unless added meanwhile)
            shown = [form.instance.pk for form in self.initial_forms]
            stored = RoutingRule.objects.filter(service=self.instance, area__isnull=True).exclude(pk__in=shown).count()
        if len(city_wide) + stored > 1:
            raise ValidationError(
                _(
                    "Only one city-wide routing rule (no area) per service: choose an area for the others, or "
                    "remove them."
                )
            )


class RoutingRuleInline(LabelledPickersMixin, admin.TabularInline):
    model = RoutingRule
    formset = RoutingRuleFormSet
    extra = 0
    autocomplete_fields = ("area", "department")
    fields = ("area", "department", "active", "note")


# What the "not sure" classifier learns from (complaints.classifier.retrain: names, descriptions, keywords of the
# active services): a change to one of these queues a retrain.
CLASSIFIER_FIELDS = {"code", "name_id", "name_en", "description_id", "description_en", "keywords", "active"}


def shared_keywords(service: Service) -> dict[str, list[Service]]:
    """The service's keywords that are also keywords of other active services, with those services."""
    mine = {" ".join(word.split()) for word in service.keyword_list}
    shared: dict[str, list[Service]] = {}
    if not mine:
        return shared
    others = Service.objects.filter(active=True).exclude(pk=service.pk).only("code", "name_id", "name_en", "keywords")
    for other in others:
        for word in {" ".join(word.split()) for word in other.keyword_list} & mine:
            shared.setdefault(word, []).append(other)
    return dict(sorted(shared.items()))


@admin.register(Service)
class ServiceAdmin(LabelledPickersMixin, AddAnotherInSentenceCase, admin.ModelAdmin):
    """Saving a service whose names, keywords or activity changed (or a new one) queues a retrain of the "not sure"
    classifier after the commit (complaints.tasks.request_retrain: one pending at a time), and says so; a keyword
    another active service has too is pointed out."""

    list_display = (
        "code",
        "name_id",
        "name_en",
        "group",
        "kind",
        "default_department",
        "response_sla_days",
        "resolution_sla_days",
        "default_priority",
        "default_privacy",
        "active",
    )
    list_filter = ("active", "kind", "group", "default_department", "default_priority", "default_privacy")
    search_fields = ("code", "name_id", "name_en", "keywords", "description_id", "description_en")
    list_select_related = ("default_department",)
    autocomplete_fields = ("default_department",)
    inlines = [ServiceAttributeInline, RoutingRuleInline]
    fieldsets = (
        (None, {"fields": ("code", "kind", "group", "group_en", "active")}),
        (_("Names"), {"fields": ("name_id", "name_en", "description_id", "description_en", "keywords")}),
        (
            _("Handling"),
            {
                "fields": (
                    "default_department",
                    "response_sla_days",
                    "resolution_sla_days",
                    "default_priority",
                    "default_privacy",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "default_department" in form.changed_data:
            self.warn_reports_left_behind(
                request, obj, Department.objects.filter(pk=form.initial.get("default_department")).first()
            )
        if change:
            self.tell_of_open_reports(request, obj, form)
        if not change or CLASSIFIER_FIELDS & set(form.changed_data):
            from complaints.tasks import request_retrain

            transaction.on_commit(request_retrain)
            self.message_user(
                request,
                gettext(
                    "Text-based routing (reports filed as “not sure”) learns this change once the classifier has "
                    "been retrained: that is queued now and takes about a minute."
                ),
                messages.INFO,
            )
        if obj.active:
            shared = shared_keywords(obj)
            if shared:
                listed = "; ".join(
                    gettext("“%(keyword)s” (%(services)s)")
                    % {"keyword": word, "services": ", ".join(f"{other.name} ({other.code})" for other in others)}
                    for word, others in shared.items()
                )
                self.message_user(
                    request,
                    gettext(
                        "Keywords this service shares with other active services: %(shared)s. A report's text with "
                        "one of them counts for each of those services, so routing may choose another one."
                    )
                    % {"shared": listed},
                    messages.WARNING,
                )

    def warn_reports_left_behind(self, request, service: Service, previous: Department | None) -> None:
        """A new default department: the service's open reports stay with ``previous`` (see the module's
        ``warn_reports_left_behind``)."""

        def said(count):
            return ngettext(
                "%(count)d open or resolved report of this service stays with %(previous)s: only new reports go to "
                "%(department)s.",
                "%(count)d open or resolved reports of this service stay with %(previous)s: only new reports go to "
                "%(department)s.",
                count,
            ) % {"count": count, "previous": previous, "department": service.default_department}

        warn_reports_left_behind(
            self, request, said, previous=previous, department=service.default_department, service=service
        )

    def tell_of_open_reports(self, request, service: Service, form) -> None:
        """Retiring a service, or changing its SLA, changes nothing for its reports already filed: say so, with how
        many are open (an administrator feared they would be dropped, or their due dates moved)."""
        from complaints.models import OPEN_STATUSES, Ticket

        retired = "active" in form.changed_data and not service.active
        sla_changed = {"response_sla_days", "resolution_sla_days"} & set(form.changed_data)
        if not (retired or sla_changed):
            return
        count = Ticket.objects.filter(service=service, status__in=OPEN_STATUSES).count()
        if retired:
            text = ngettext(
                "The service is retired: citizens can no longer choose it. Its %(count)d open report carries on with "
                "its department as before.",
                "The service is retired: citizens can no longer choose it. Its %(count)d open reports carry on with "
                "their departments as before.",
                count,
            )
            self.message_user(request, text % {"count": count}, messages.INFO)
        if sla_changed:
            text = ngettext(
                "The new response and resolution times count for new reports: the %(count)d open report of this "
                "service keeps its due dates.",
                "The new response and resolution times count for new reports: the %(count)d open reports of this "
                "service keep their due dates.",
                count,
            )
            self.message_user(request, text % {"count": count}, messages.INFO)


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    """Every extra question across the catalogue (edited inline on the service, listed here to compare)."""

    list_display = ("service", "order", "code", "datatype", "required", "description", "description_en")
    list_filter = ("datatype", "required", "service__group")
    search_fields = ("code", "description", "description_en", "service__code", "service__name_id", "service__name_en")
    autocomplete_fields = ("service",)
    list_select_related = ("service",)
    ordering = ("service__code", "order")


@admin.register(RoutingRule)
class RoutingRuleAdmin(LabelledPickersMixin, admin.ModelAdmin):
    list_display = ("service", "area_name", "department", "active", "note")
    list_filter = ("active", "department", "area__level")
    search_fields = ("service__code", "service__name_id", "service__name_en", "area__name", "area__code", "note")
    autocomplete_fields = ("service", "area", "department")
    list_select_related = ("service", "area__parent", "department")

    @admin.display(description=_("area"), ordering="area__name")
    def area_name(self, rule):
        return area_label(rule.area) if rule.area_id else gettext("Whole city")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "department" in form.changed_data:
            previous = Department.objects.filter(pk=form.initial.get("department")).first()
            self.warn_reports_left_behind(request, obj, previous)

    def warn_reports_left_behind(self, request, rule: RoutingRule, previous: Department | None) -> None:
        """The rule's new department takes the new reports it routes: the open ones of its service in its area stay
        with the department it named before (``warn_reports_left_behind``, as a service's new default does)."""
        where = area_label(rule.area) if rule.area_id else gettext("the whole city")

        def said(count):
            return ngettext(
                "%(count)d open or resolved report of %(service)s in %(area)s stays with %(previous)s: only new "
                "reports go to %(department)s.",
                "%(count)d open or resolved reports of %(service)s in %(area)s stay with %(previous)s: only new "
                "reports go to %(department)s.",
                count,
            ) % {
                "count": count,
                "service": rule.service.name,
                "area": where,
                "previous": previous,
                "department": rule.department,
            }

        warn_reports_left_behind(
            self, request, said, previous=previous, department=rule.department, service=rule.service, area=rule.area
        )


@dataclass(frozen=True)
class BuiltInDay:
    """A date the built-in calendar lists (a national holiday or cuti bersama), and the administrator's entry on it."""

    date: dt.date
    name: str
    entry: DayOff | None

    @property
    def weekend(self) -> bool:
        return is_weekend(self.date)

    @property
    def worked(self) -> bool:
        """Offices open: the administrator made it a working day (refused on a weekend, see ``DayOff.clean``)."""
        return self.entry is not None and self.entry.kind == DayOff.Kind.WORKING_DAY


def calendar_year(asked: str | None) -> int:
    """The year asked for in a query string; this year when none, or one the calendar does not cover (the
    ``holidays`` package knows Indonesia from 1946 to 2100)."""
    try:
        year = int(asked or "")
    except ValueError:
        return timezone.localdate().year
    return year if 1946 <= year <= 2100 else timezone.localdate().year


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    """The administrator's corrections to the calendar: days off, and working days on dates the ``holidays``
    package lists (a working day where it would change nothing is refused by ``DayOff.clean``). Adding, changing
    or deleting one moves the deadlines already running that count its date
    (``complaints.actions.move_deadlines_for_day_off``), in the same transaction, and says how many moved."""

    list_display = ("date", "kind", "name", "listed_as")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)
    fields = ("date", "kind", "name")
    radio_fields = {"kind": admin.VERTICAL}

    @admin.display(description=_("listed in the calendar as"))
    def listed_as(self, obj):
        return obj.listed_as or "–"

    def get_urls(self):
        built_in = path("built-in/", self.admin_site.admin_view(self.built_in_view), name="services_dayoff_built_in")
        return [built_in, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # The list links to the built-in calendar of the year it shows (its date hierarchy), else of this year.
        extra_context = {**(extra_context or {}), "built_in_year": calendar_year(request.GET.get("date__year"))}
        return super().changelist_view(request, extra_context)

    def built_in_view(self, request):
        """The national holidays and cuti bersama the calendar counts as days off in a year (services/calendar.py),
        with the administrator's entry on each date: the list to check against the year's SKB, which the entries
        alone (this model's list) never showed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        asked = request.GET.get("year", "").strip()
        year = calendar_year(asked)
        if asked and asked != str(year):
            messages.warning(
                request,
                gettext("There is no calendar for “%(asked)s”: this is %(year)s. Type a year from 1946 to 2100.")
                % {"asked": asked, "year": year},
            )
        entries = {entry.date: entry for entry in DayOff.objects.filter(date__year=year)}
        # listed_holiday, as the list's "listed in the calendar as" and DayOff.clean read it, in the page's language.
        dates = (dt.date(year, 1, 1) + dt.timedelta(days=offset) for offset in range(366))
        days = [
            BuiltInDay(day, name, entries.get(day))
            for day in dates
            if day.year == year and (name := listed_holiday(day)) is not None
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Built-in calendar for %(year)s") % {"year": year},
            "opts": self.model._meta,
            "year": year,
            "days": days,
            "other_entries": len(entries.keys() - {day.date for day in days}),
            "may_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/services/dayoff/built_in_calendar.html", context)

    def _moved_text(self, count, *, kind, added):
        if kind == DayOff.Kind.WORKING_DAY:
            if added:
                return ngettext(
                    "Deadlines of %(count)d report moved to the previous working day: %(date)s is a working day now.",
                    "Deadlines of %(count)d reports moved to the previous working day: %(date)s is a working day now.",
                    count,
                )
            return ngettext(
                "Deadlines of %(count)d report moved to the next working day: %(date)s is a holiday again.",
                "Deadlines of %(count)d reports moved to the next working day: %(date)s is a holiday again.",
                count,
            )
        if added:
            return ngettext(
                "Deadlines of %(count)d report moved to the next working day: %(date)s is a day off now.",
                "Deadlines of %(count)d reports moved to the next working day: %(date)s is a day off now.",
                count,
            )
        return ngettext(
            "Deadlines of %(count)d report moved to the previous working day: %(date)s is no longer a day off.",
            "Deadlines of %(count)d reports moved to the previous working day: %(date)s is no longer a day off.",
            count,
        )

    def _move_deadlines(self, request, day_off, day, kind, *, added):
        from complaints.actions import day_off_effect, move_deadlines_for_day_off

        count = move_deadlines_for_day_off(day, added=added, actor=request.user, name=day_off.name, kind=kind)
        shown = date_format(day, "DATE_FORMAT")
        if count:
            text = self._moved_text(count, kind=kind, added=added)
            self.message_user(request, text % {"count": count, "date": shown}, messages.SUCCESS)
            return
        effect = day_off_effect(day, kind=kind)
        if effect == "past":
            text, level = gettext("No deadline moved: %(date)s is before today."), messages.WARNING
        elif effect == "closed_anyway":
            text = gettext(
                "No deadline moved: %(date)s is not a working day anyway (weekend, national holiday or cuti bersama)."
            )
            level = messages.INFO
        elif effect == "unchanged":
            # A working day stored before the calendar stopped listing its date (a newer holidays release).
            text = gettext("No deadline moved: the calendar lists no holiday on %(date)s, a weekday.")
            level = messages.INFO
        elif day == timezone.localdate():
            # Windows count from the day after their start: today is inside only those that started before it.
            text = gettext("No deadline moved: no report counting since before today is due on or after %(date)s.")
            level = messages.INFO
        else:
            text, level = gettext("No deadline moved: no report is due on or after %(date)s."), messages.INFO
        self.message_user(request, text % {"date": shown}, level)

    def save_model(self, request, obj, form, change):
        old = DayOff.objects.filter(pk=obj.pk).values_list("date", "kind").first() if change else None
        changed = old != (obj.date, obj.kind)
        if old is not None and changed:
            # The old correction first, while the new one is not stored yet: each step is one day's change.
            self._move_deadlines(request, obj, *old, added=False)
        super().save_model(request, obj, form, change)
        if changed:
            self._move_deadlines(request, obj, obj.date, obj.kind, added=True)

    def delete_model(self, request, obj):
        day, kind = obj.date, obj.kind
        super().delete_model(request, obj)
        self._move_deadlines(request, obj, day, kind, added=False)

    def delete_queryset(self, request, queryset):
        # One day at a time, each deleted before its deadlines move, so each step sees the days still stored;
        # the "delete selected" action runs outside the admin's transaction, so it gets its own.
        with transaction.atomic():
            for day_off in queryset.select_for_update().order_by("date"):
                self.delete_model(request, day_off)
