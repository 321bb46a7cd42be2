"""The dashboard filters: date range, fiscal year, department, kecamatan/kelurahan, service (by code, so links are
readable)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.models import FiscalYear
from services.models import Area, Department, Service
from smartcity.widgets import DatePicker

from .departments import choice_label, in_choosing_order, labelled
from .queries.base import DEFAULT_RANGE_DAYS, Filters
from .queries.plan import default_fiscal_year

MAX_RANGE_DAYS = 3 * 366


class DepartmentChoiceField(forms.ModelChoiceField):
    """A department picker that says which departments are no longer active (``dashboards.departments``)."""

    def label_from_instance(self, obj):
        return choice_label(obj)


class ServiceChoiceField(forms.ModelChoiceField):
    """A service picker that keeps withdrawn services, after the others and said to be no longer active: their past
    reports stay on the dashboards, as a department's do once switched off."""

    def label_from_instance(self, obj):
        return labelled(obj.name, active=obj.active)


class FilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePicker())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePicker())
    # The plan the planning figures show (a year number, as in the URL); choices are set per form from the years
    # that exist, newest first.
    tahun = forms.TypedChoiceField(label=_("Fiscal year"), required=False, coerce=int, empty_value=None)
    # Every department, those switched off included: their past figures stay open to whoever sees every
    # department's (the public, the city roles); the department page narrows it to the viewer's own.
    department = DepartmentChoiceField(
        label=_("Department"),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
        queryset=in_choosing_order(Department.objects.all()),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
        queryset=Area.objects.filter(level="kecamatan").defer("boundary"),
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
        queryset=Area.objects.filter(level="kelurahan").defer("boundary"),
    )
    service = ServiceChoiceField(
        label=_("Service"),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
        queryset=Service.objects.order_by("-active", "group", "name_id"),
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        years = list(FiscalYear.objects.order_by("-year").values_list("year", flat=True))
        # A year asked for that has no plan (?tahun=2025, ?tahun=abc): the page shows the default year and says so; a
        # download refuses it (``refused(year=True)``).
        self.unavailable_year = None
        self.plan_years = years
        if years:
            self.fields["tahun"].choices = [(year, str(year)) for year in years]
            asked = self.data.get("tahun")
            if asked not in {str(year) for year in years}:
                # The field shows the year applied, as the date fields show the window: with nothing chosen, or a
                # year without a plan, that is the default year, which is the previous one while it is being
                # evaluated. Left as typed, the year was refused with every other filter, and the links and
                # downloads kept the year asked for while the page showed the default one.
                if asked:
                    self.unavailable_year = str(asked)[:20]
                default = default_fiscal_year(timezone.localdate())
                self.data = self.data.copy()
                self.data["tahun"] = str(default.year) if default else ""
        else:
            del self.fields["tahun"]  # no plan yet: nothing to choose, and the pages show no planning figures
            if self.data.get("tahun"):  # named, as a year without a plan is when others have one
                self.unavailable_year = str(self.data["tahun"])[:20]
                self.data = self.data.copy()
                self.data["tahun"] = ""
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def non_field_errors(self):
        """The refused filters the page names above the figures, with a year asked for that has no plan. That one
        is not a form error: the form stays valid, so the other filters still apply to the default year shown."""
        errors = super().non_field_errors()
        if self.unavailable_year is None:
            return errors
        shown = self.data.get("tahun")
        if shown:
            notice = _("Fiscal year “%(year)s” is not available; showing %(shown)s.") % {
                "year": self.unavailable_year,
                "shown": shown,
            }
        else:
            notice = _("Fiscal year “%(year)s” is not available.") % {"year": self.unavailable_year}
        return self.error_class([*errors, notice], error_class="nonfield", renderer=self.renderer)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1)
        refused = None
        if date_from > date_to:
            refused = _("The start date must not be after the end date.")
        elif (date_to - date_from).days > MAX_RANGE_DAYS:
            refused = _("Choose a range of at most three years.")
        if refused:
            # Only the dates are refused: the other filters still apply, to the default window. Raised instead,
            # the whole form fell back to the defaults and the page showed the city's figures under the place
            # still chosen in its fields.
            self.add_error(None, refused)
            default = Filters.default(today=today)
            date_from, date_to = default.date_from, default.date_to
        data["date_from"], data["date_to"] = date_from, date_to
        # The date fields show the window applied: left blank they read as "all dates" while every figure
        # counted the last DEFAULT_RANGE_DAYS days, and the city's "Overdue" disagreed with the queue's for no
        # visible reason.
        self.data = self.data.copy()
        self.data["date_from"], self.data["date_to"] = date_from.isoformat(), date_to.isoformat()
        return data

    def refused(self, *, year: bool = False) -> dict[str, list[str]]:
        """The filters not applied, by the parameter that asked for them (``dates`` for a refused window), each with
        why; empty when every filter applies. A year without a plan is one of them only with ``year``, as the
        downloads ask: the page shows the default year and names it (``non_field_errors``), while a file of the
        default year under ``?tahun=2025`` carried no year in its rows, only in its name, and read as 2025's."""
        refused = {("dates" if name == NON_FIELD_ERRORS else name): errors for name, errors in self.errors.items()}
        if year and self.unavailable_year is not None:
            if self.plan_years:
                why = _("There is no plan for fiscal year “%(year)s”; the years with one: %(years)s.") % {
                    "year": self.unavailable_year,
                    "years": ", ".join(str(plan_year) for plan_year in self.plan_years),
                }
            else:
                why = _("There is no plan for fiscal year “%(year)s”, nor for any year yet.") % {
                    "year": self.unavailable_year
                }
            refused["tahun"] = [why]
        return refused

    def filters(self) -> Filters:
        """The filters applied: each valid one as chosen, a refused one left out (``refused`` names it); refused
        dates give way to the default window (``clean``). Falling back to the defaults for every filter when one was
        refused showed the whole city's figures under the place, service or department still chosen."""
        self.is_valid()
        data = self.cleaned_data

        def chosen(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return Filters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            department_id=chosen("department"),
            kecamatan_id=chosen("kecamatan"),
            kelurahan_id=chosen("kelurahan"),
            service_id=chosen("service"),
            fiscal_year=data.get("tahun"),
        )
