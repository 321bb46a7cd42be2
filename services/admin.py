"""Django admin for the city's set-up: areas, departments, staff, catalogue, routing rules, days off and working
days."""

import datetime as dt
import json
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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


class AreaAutocompleteJsonView(AutocompleteJsonView):
    """The area picker's search: kecamatan first, then kelurahan, each by name, labelled by ``area_label``."""

    def get_queryset(self):
        return super().get_queryset().select_related("parent").order_by("level", "name", "code")

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": area_label(obj)}


class AreaAutocompleteSelect(AutocompleteSelect):
    def get_url(self):
        return reverse(f"{self.admin_site.name}:services_area_autocomplete")


class AreaPickerMixin:
    """An autocomplete field for an area uses the labelled picker (``area_label``)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.remote_field.model is Area and db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AreaAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
            kwargs.setdefault("queryset", Area.objects.select_related("parent"))
            kwargs.setdefault("form_class", AreaChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KecamatanFilter(admin.RelatedFieldListFilter):
    """The areas' parent filter offers kecamatan only: a kelurahan is nobody's parent (choosing one listed nothing)."""

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False, limit_choices_to={"level": Area.Level.KECAMATAN}, ordering=("name",)
        )


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
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


class StaffMembershipInline(admin.TabularInline):
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


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Deactivating a department (its form or the list's action) stops routing there at once (services.rules: its
    rules are skipped, its services' reports go to the triage desk); the page then says what still points at it.
    The last active triage desk cannot be switched off (``DepartmentForm``, and the action skips it)."""

    form = DepartmentForm
    list_display = ("short_name", "name", "code", "email", "is_triage", "auto_assign", "active")
    list_filter = ("active", "is_triage", "auto_assign")
    search_fields = ("short_name", "name", "code", "email")
    inlines = [StaffMembershipInline]
    actions = ["deactivate"]

    def warn_deactivated(self, request, department: Department) -> None:
        """Name what still points at a department just deactivated, with links to the lists to fix it."""
        services, rules, tickets = still_pointing_at(department)
        if not (services or rules or tickets):
            return
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
                escape(ngettext("%(count)d open report", "%(count)d open reports", tickets) % {"count": tickets})
            )
        text = gettext(
            "%(department)s is inactive and receives no new reports. Still pointing at it: %(what)s. Until you "
            "choose another department for those services and routing rules, their new reports go to the triage "
            "desk; forward its open reports to the department taking them over."
        )
        message = mark_safe(escape(text) % {"department": escape(department), "what": mark_safe(", ".join(parts))})
        self.message_user(request, message, messages.WARNING)

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
        departments = list(queryset.filter(active=True))
        kept = []
        if leaves_no_triage_desk([d.pk for d in departments]):
            kept = [d for d in departments if d.is_triage]
            departments = [d for d in departments if not d.is_triage]
        for department in kept:
            self.message_user(request, TRIAGE_DESK_NEEDED % {"department": department}, messages.ERROR)
        Department.objects.filter(pk__in=[d.pk for d in departments]).update(active=False)
        if departments or not kept:
            self.message_user(
                request,
                ngettext("%(count)d department deactivated.", "%(count)d departments deactivated.", len(departments))
                % {"count": len(departments)},
                messages.SUCCESS,
            )
        for department in departments:
            department.active = False
            self.warn_deactivated(request, department)


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "user_email", "department", "role", "active")
    list_filter = ("role", "active", "department")
    search_fields = ("user__email", "user__full_name", "department__short_name", "department__name")
    autocomplete_fields = ("user", "department")
    list_select_related = ("user", "department")

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


class RoutingRuleInline(AreaPickerMixin, admin.TabularInline):
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
class ServiceAdmin(admin.ModelAdmin):
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
class RoutingRuleAdmin(AreaPickerMixin, admin.ModelAdmin):
    list_display = ("service", "area_name", "department", "active", "note")
    list_filter = ("active", "department", "area__level")
    search_fields = ("service__code", "service__name_id", "service__name_en", "area__name", "area__code", "note")
    autocomplete_fields = ("service", "area", "department")
    list_select_related = ("service", "area__parent", "department")

    @admin.display(description=_("area"), ordering="area__name")
    def area_name(self, rule):
        return area_label(rule.area) if rule.area_id else gettext("Whole city")


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
