"""Forms of the planning pages: they validate input only; the rules live in ``actions``."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import photos as photo_files
from complaints.forms import (
    PHOTO_TYPES,
    KeepsPhotos,
    MultipleFileInput,
    MultiplePhotoField,
    kelurahan_choices,
    kelurahan_label,
    refuse_kelurahan_outside_kecamatan,
)
from services.models import Area, Department, Service
from smartcity.widgets import DatePicker

from . import queries
from .actions.proposals import programme_for_code
from .models import (
    FiscalYear,
    FundSource,
    Indicator,
    Partner,
    Programme,
    Proposal,
    ProposalReview,
    ReviewLevel,
    Stage,
)
from .money import parse_rupiah, rupiah_digits

DATE = DatePicker()
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class RupiahInput(forms.TextInput):
    """An amount the server fills in (a proposal's estimated cost offered for a review) is written as the city
    writes it, "1.500.000", not "1500000.00"."""

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return rupiah_digits(value)
        return super().format_value(value)


class GroupedDecimalField(forms.DecimalField):
    """A number typed as people in the city write it, with or without thousands separators: "1.200" is one thousand
    two hundred, "1,5" one and a half (``planning.money.parse_rupiah``, which reads money the same way). Django's
    own field read "1.200" as 1.2 and refused it for its three decimals."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_rupiah(value)
            except ValueError:
                # Only what parse_rupiah reads: DecimalField alone would take "1e6" for 1.000.000.
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class MoneyField(GroupedDecimalField):
    """An amount in Rupiah, typed with or without thousands separators (a number input would refuse "1.500.000"
    and send nothing). ``positive`` where the action refuses Rp 0 (a payment, a ceiling, an original line): the field
    says "more than zero" at once, where Django's "greater than or equal to 0" told finance that 0 was fine, and the
    action then refused it with another message."""

    default_error_messages = {
        "invalid": _("Please enter an amount in Rupiah, for example 1.500.000."),
        "too_large": _("An amount has at most %(digits)s digits before the cents: up to Rp %(largest)s."),
        # The actions' own words (``actions.base._money``, ``add_realisation``), so a refusal reads the same anywhere.
        "negative": _("The amount cannot be negative."),
        "not_positive": _("The amount must be more than zero."),
    }

    def __init__(self, *, positive: bool = False, **kwargs):
        self.positive = positive
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", RupiahInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def validate(self, value):
        """Below zero (or at zero when ``positive``) in the actions' words; the limit in Rupiah: the column's 18
        digits count the two of the cents, so Django's "no more than 18 digits" refused a 17-digit amount while
        naming a limit it did not reach."""
        super().validate(value)
        if value is not None and value.is_finite():
            if self.positive and value <= 0:
                raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
            if value < 0:
                raise forms.ValidationError(self.error_messages["negative"], code="negative")
        whole_digits = self.max_digits - self.decimal_places
        if value is not None and value.is_finite() and abs(value) >= 10**whole_digits:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="max_whole_digits",
                params={"digits": whole_digits, "largest": rupiah_digits(Decimal(10**whole_digits - 1))},
            )


class ProposalCostField(MoneyField):
    """A proposal's estimated cost: a whole number of Rupiah, more than nothing and not absurd. "1,5" reads as
    Rp 1,50 (the comma marks cents), which a facilitator meaning one and a half million never wants; Rp 0 told the
    reviewers nothing. A proposal from complaint evidence starts at Rp 0 (``actions.propose_from_evidence``) and gets
    its cost through this field when edited."""

    # No single proposal costs more than the city's whole yearly budget (about Rp 2 trillion): a larger figure is
    # a slip of the keyboard (zeros too many, or a number pasted twice).
    largest = Decimal("1000000000000")
    default_error_messages = {
        "not_positive": _("The estimated cost must be more than Rp 0. Type it in whole Rupiah, for example 1.500.000."),
        "not_whole": _(
            "Type the estimated cost in whole Rupiah with all its digits, for example 1.500.000 for one and a half "
            "million: a comma marks cents, not millions."
        ),
        "absurd": _("The estimated cost is at most Rp %(largest)s: check the number of zeros."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", None)  # refused below, with a message that says what to type
        kwargs.setdefault("help_text", _("In whole Rupiah, for example 1.500.000."))
        super().__init__(**kwargs)

    def validate(self, value):
        if value is not None and value.is_finite():
            if value <= 0:
                raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
            if value != value.to_integral_value():
                raise forms.ValidationError(self.error_messages["not_whole"], code="not_whole")
            if value > self.largest:
                raise forms.ValidationError(
                    self.error_messages["absurd"], code="absurd", params={"largest": rupiah_digits(self.largest)}
                )
        super().validate(value)


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month picker) or a full date."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = MONTH


def grouped_area_choices(areas, empty_label) -> list:
    """The areas a proposal may be for, grouped per kecamatan (optgroups, by name): the kecamatan itself first,
    "Banjarmasin Barat (whole kecamatan)", then its kelurahan as every list names them, "Basirih (Banjarmasin
    Barat)" (``kelurahan_label``), so a closed list still says which is which. One alphabetical list put
    "Banjarmasin Barat" between two kelurahan without saying it was a kecamatan. Any other area comes first."""
    areas = list(areas)
    kelurahans = defaultdict(list)
    for area in areas:
        if area.level == Area.Level.KELURAHAN and area.parent_id:
            kelurahans[area.parent_id].append(area)
    kecamatans = sorted((a for a in areas if a.level == Area.Level.KECAMATAN), key=lambda area: area.name)
    in_groups = {a.pk for a in kecamatans}
    loose = sorted((a for a in areas if a.pk not in in_groups and a.parent_id not in in_groups), key=lambda a: a.name)
    choices = [("", empty_label), *((area.pk, area.name) for area in loose)]
    for kecamatan in kecamatans:
        whole = gettext("%(kecamatan)s (whole kecamatan)") % {"kecamatan": kecamatan.name}
        members = sorted(kelurahans[kecamatan.pk], key=lambda area: area.name)
        choices.append((kecamatan.name, [(kecamatan.pk, whole), *((k.pk, kelurahan_label(k)) for k in members)]))
    return choices


class ProposalForm(KeepsPhotos, forms.Form):
    """A proposal entered by hand. Its photos survive a refusal as a citizen's do (``KeepsPhotos``): a facilitator
    who mistyped the cost no longer picks the site photo again."""

    # A community proposal is one a citizen sent online (``CommunityProposalForm``), never entered by staff.
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(value, label) for value, label in Proposal.Source.choices if value != Proposal.Source.COMMUNITY],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem statement"), widget=forms.Textarea(attrs={"rows": 4}))
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.select_related("parent").defer("boundary", "parent__boundary").order_by("name"),
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(active=True))
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.filter(active=True), required=False)
    estimated_cost = ProposalCostField(label=_("Estimated cost (Rp)"))
    photos = MultiplePhotoField(label=photo_files.PHOTOS_LABEL, widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES}))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        area = self.fields["area"]
        area.choices = grouped_area_choices(area.queryset, area.empty_label)

    def clean_photos(self):
        """Each new photo checked as the action will check it, so an unusable one is named with the other fields'
        reasons (``keep_photos`` keeps only the usable ones)."""
        uploads = self.cleaned_data["photos"]
        for upload in uploads:
            try:
                photo_files.check_photo(upload)
            except forms.ValidationError as refused:
                self.add_error("photos", refused)
        return uploads

    def clean(self):
        data = super().clean()  # the photos kept from a refused attempt, then the new ones
        if len(data.get("photos", [])) > self.max_kept_photos:
            self.add_error("photos", photo_files.too_many_photos(self.max_kept_photos))
        return data


class CommunityProposalTextForm(forms.Form):
    """What a citizen writes of their proposal in their words: sent with it (``CommunityProposalForm``), and
    corrected on "My proposals" until its first review (``actions.proposals.edit_proposal``). The cost may stay
    empty: Rp 0, "Not estimated yet"."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("In a few words, e.g. “Street lights for Gang Mawar”."),
    )
    problem = forms.CharField(
        label=_("The problem, in your words"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is wrong, where exactly, who it affects and what you propose."),
    )
    estimated_cost = ProposalCostField(
        label=_("Estimated cost (Rp, optional)"),
        required=False,
        help_text=_("Leave it empty if you do not know: the reviewers estimate it."),
    )


class CommunityProposalForm(KeepsPhotos, CommunityProposalTextForm):
    """A proposal a citizen sends online (``actions.community.send_community_proposal``): what they can answer,
    in their words. Its photos survive a refusal as on the staff form (``KeepsPhotos``)."""

    field_order = ("title", "problem", "area", "service", "group_name", "show_group_name", "estimated_cost", "photos")

    area = forms.ModelChoiceField(label=_("Kelurahan"), queryset=kelurahan_choices(), empty_label=_("Choose…"))
    service = forms.ModelChoiceField(
        label=_("Service it concerns (optional)"),
        queryset=Service.objects.filter(active=True),
        required=False,
        empty_label=_("Not sure"),
        help_text=_("It tells which department reviews the proposal; if you are not sure, the city places it."),
    )
    group_name = forms.CharField(
        label=_("Who proposes (optional)"),
        max_length=200,
        required=False,
        help_text=_("The RT/RW, community group, campus team or business association sending it."),
    )
    show_group_name = forms.BooleanField(
        label=_("Show our group's name on the public proposals page"),
        required=False,
        help_text=_("Your own name is never shown publicly."),
    )
    photos = MultiplePhotoField(label=photo_files.PHOTOS_LABEL, widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label_from_instance = kelurahan_label

    clean_photos = ProposalForm.clean_photos

    def clean(self):
        data = super().clean()  # the photos kept from a refused attempt, then the new ones
        if len(data.get("photos", [])) > self.max_kept_photos:
            self.add_error("photos", photo_files.too_many_photos(self.max_kept_photos))
        if data.get("show_group_name") and not (data.get("group_name") or "").strip():
            self.add_error("group_name", _("Write your group's name, or untick the box to show it."))
        return data


class EvidenceProposalForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.all(), widget=forms.HiddenInput)
    area = forms.ModelChoiceField(queryset=Area.objects.filter(level="kelurahan"), widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ProposalReview.Decision.choices)
    amount = MoneyField(label=_("Recommended amount (Rp)"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class AcceptForm(forms.Form):
    # Years whose execution has not ended (``open_years``): a proposal filed into a year now over, or deferred, is
    # planned into another. Left out, the proposal's own year.
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"),
        queryset=FiscalYear.objects.none(),
        to_field_name="year",
        required=False,
        empty_label=None,
        help_text=_("The activity's start and end fall within it; the proposal moves to it."),
    )
    code = forms.CharField(label=_("Activity code"), max_length=40)
    # The programme the activity is filed under on the dashboards and in the open data (an activity accepted without
    # one was listed under "Other", with no programme code). Left empty, the one whose code starts the activity code.
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("By the activity code (the programme whose code starts it)"),
        help_text=_("The programmes of the proposal's department in the chosen fiscal year."),
    )
    name = forms.CharField(label=_("Activity name"), max_length=255, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)

    def __init__(self, *args, open_years=None, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        if open_years is not None:
            self.fields["fiscal_year"].queryset = open_years
        if department is not None:
            programmes = Programme.objects.filter(department=department).select_related("fiscal_year")
            if open_years is not None:
                programmes = programmes.filter(fiscal_year__in=open_years)
            field = self.fields["programme"]
            field.queryset = programmes.order_by("fiscal_year__year", "code")
            # Each programme belongs to one year: with more than one year offered, its label names it.
            if len({programme.fiscal_year_id for programme in field.queryset}) > 1:
                field.label_from_instance = lambda p: f"{p.fiscal_year.year} · {p.code} {p.name}"
        self._preselect_programme()

    def _programme_for_code(self, code: str, year) -> Programme | None:
        """The offered programme of ``year`` (a number) whose code starts the activity code."""
        offered = [p for p in self.fields["programme"].queryset if str(p.fiscal_year.year) == str(year)]
        return programme_for_code(code, offered)

    def _preselect_programme(self) -> None:
        """A refused form comes back with the programme its activity code names when none was chosen, so the planner
        sees where the activity will be filed."""
        if not self.is_bound or self.data.get(self.add_prefix("programme")):
            return
        year = self.data.get(self.add_prefix("fiscal_year")) or self.initial.get("fiscal_year")
        match = self._programme_for_code(self.data.get(self.add_prefix("code"), ""), year)
        if match is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("programme")] = str(match.pk)

    def clean(self):
        data = super().clean()
        if data.get("programme") is None and data.get("fiscal_year") is not None and data.get("code"):
            data["programme"] = self._programme_for_code(data["code"], data["fiscal_year"].year)
        return data


class ProposalEditForm(forms.Form):
    """A proposal corrected by its proposer or a planner before the first review."""

    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem statement"), widget=forms.Textarea(attrs={"rows": 4}))
    estimated_cost = ProposalCostField(label=_("Estimated cost (Rp)"))


class ProposalTicketsForm(forms.Form):
    references = forms.CharField(
        label=_("Report numbers"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("Separated by commas or on separate lines, for example BJM-2026-000341, BJM-2026-000342."),
    )


class UnlinkTicketForm(forms.Form):
    ticket = forms.IntegerField(widget=forms.HiddenInput)


class CeilingForm(forms.Form):
    amount = MoneyField(label=_("Ceiling (Rp)"), positive=True)
    fund_source = forms.ChoiceField(label=_("Fund source"), choices=FundSource.choices)
    account_code = forms.CharField(label=_("Account code"), max_length=40)


class BudgetLineForm(forms.Form):
    account_code = forms.CharField(label=_("Account code"), max_length=40)
    fund_source = forms.ChoiceField(label=_("Fund source"), choices=FundSource.choices)
    amount = MoneyField(label=_("Amount (Rp)"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)

    @staticmethod
    def line_of(data: dict) -> dict:
        """The budget line in a form's cleaned data, with its description ("Uraian"), as
        ``actions.write_budget_line`` takes it: picked by one list, so no field is dropped on the way."""
        return {k: data[k] for k in ("account_code", "fund_source", "amount", "description")}


class ApproveBudgetForm(BudgetLineForm):
    """Approving the original budget may add one line, or approve the lines already there (imported) as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("account_code", "amount"):
            self.fields[name].required = False
        self.fields["amount"].positive = True  # an original line of Rp 0 budgets nothing
        self.fields["account_code"].help_text = _("Leave the line empty to approve the original lines already entered.")

    def clean(self):
        data = super().clean()
        typed = [name for name in ("account_code", "amount") if data.get(name) not in (None, "")]
        if len(typed) == 1:
            missing = "amount" if typed == ["account_code"] else "account_code"
            self.add_error(missing, _("A budget line needs both its account code and its amount."))
        return data


class RevisionForm(BudgetLineForm):
    reason = forms.CharField(label=_("Reason for the revision"), max_length=500)
    # The budget in force on the page the revision was typed on: if another revision (another tab, a colleague)
    # changes it before this form is sent, the action refuses instead of overwriting it unseen.
    seen_budget = forms.DecimalField(required=False, max_digits=18, decimal_places=2, widget=forms.HiddenInput)

    def show_budget(self, budget) -> None:
        """The budget in force the page shows beside the form. A refused form drawn again keeps what was typed but
        is checked, when sent again, against the budget shown now (which the refusal named)."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_budget")] = str(budget)
        else:
            self.initial["seen_budget"] = budget


class RealisationForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = MoneyField(label=_("Amount (Rp)"), positive=True)
    document_number = forms.CharField(label=_("Payment document number (SP2D)"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class ProgressForm(forms.Form):
    month = MonthField(label=_("Month"))
    physical_pct = forms.DecimalField(label=_("Physical progress %"), min_value=0, max_value=100, decimal_places=2)
    problems = forms.CharField(label=_("Problems"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)


class CompleteForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Completed on"), widget=DATE, help_text=_("The day the work was handed over (PHO), not today's.")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EvaluationForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(label=_("Recommendations"), widget=forms.Textarea(attrs={"rows": 3}))


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=DATE)


class MilestoneMetForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    met_on = forms.DateField(label=_("Met on"), widget=DATE, required=False)


# Words of an indicator about citizens' complaints or reports (Indonesian and English), which the portal computes from
# the reports themselves (``queries.service_indicators``) rather than from a figure typed in.
COMPLAINT_WORDS = re.compile(r"\b(pengaduan|aduan|laporan|keluhan|complaint|report)", re.IGNORECASE)
INDICATOR_HELP = _(
    "What the activity delivers or changes, e.g. metres of drain normalised or street lights installed. Complaints "
    "and reports in its area are computed from citizens' reports (service indicators), not typed in."
)


def complaint_indicator_warning(description: str) -> str:
    """The warning for an indicator whose name is about complaints or reports: the activity page computes those from
    the tickets (service indicators: reports per month, days to resolve, SLA, satisfaction), and a typed count beside
    them disagreed with them (12 → 6 typed, 0.7 → 0.4 computed) while weighing in the evaluation's score. A warning,
    not a refusal: "laporan" may name something else (a report the activity delivers). Empty when there is none."""
    if not COMPLAINT_WORDS.search(description or ""):
        return ""
    return gettext(
        "“%(indicator)s” looks like a count of complaints or reports: the portal computes those from citizens' "
        "reports (the activity page's service indicators), and a typed figure can disagree with them while it counts "
        "in the evaluation's achievement score. Prefer an indicator of what the activity delivers (e.g. metres of "
        "drain normalised, lights installed)."
    ) % {"indicator": description}


class IndicatorNumberField(GroupedDecimalField):
    """An indicator's baseline, target or value (metres, units, hours): "1.200" or "1200", "1,5" or "1.5"."""

    default_error_messages = {
        "invalid": _("Please enter a number, for example 1.200 (one thousand two hundred) or 1,5 (one and a half)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)


class IndicatorForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Indicator.Level.choices)
    description = forms.CharField(label=_("Indicator"), max_length=255, help_text=INDICATOR_HELP)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    baseline = IndicatorNumberField(label=_("Baseline"))
    target = IndicatorNumberField(label=_("Target"))
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)


class IndicatorValueForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.DateField(label=_("Period end"), widget=DATE)
    value = IndicatorNumberField(label=_("Value"))


class VerifyValueForm(forms.Form):
    """An indicator value a planner or inspector verifies (``actions.evaluation.verify_indicator_value``)."""

    value = forms.IntegerField(widget=forms.HiddenInput)


class ActivityProgrammeForm(forms.Form):
    """The programme of an activity that has none (``actions.proposals.set_activity_programme``): its year's
    programmes of its department."""

    # Any programme is read back; the action refuses one of another year or department, with the reason.
    programme = ProgrammeChoiceField(label=_("Programme"), queryset=Programme.objects.all())

    def offer(self, programmes) -> None:
        """The programmes the page lists: the activity's year's, of its department."""
        self.fields["programme"].queryset = programmes


class VerifyForm(forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput)
    # The figure the page showed for the report: verifying checks it has not been corrected since.
    seen_pct = forms.DecimalField(required=False, max_digits=5, decimal_places=2, widget=forms.HiddenInput)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Partner.Role.choices)
    contribution = forms.CharField(label=_("Contribution"), max_length=255, required=False)


class ImportForm(forms.Form):
    # Activity codes repeat every year, so the year a file is for is asked, never assumed: a 2027 file imported in
    # December 2026 revised the 2026 activities of the same codes. Named like the pages' year parameter, so a refused
    # form comes back on the year chosen.
    tahun = forms.ModelChoiceField(
        label=_("Fiscal year of the file"),
        queryset=FiscalYear.objects.order_by("-year"),
        to_field_name="year",
        empty_label=None,
        help_text=_("The file's activity codes are looked up in this year only."),
    )
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=[("budget", _("Budget lines")), ("realisation", _("Realisation"))]
    )
    file = forms.FileField(label=_("CSV or XLSX file"))


class DepartmentEvaluationForm(EvaluationForm):
    pass


class CloseYearForm(forms.Form):
    """Closing the year of unfinished work: it stops (lapsed) or continues in the next fiscal year (carried over)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("carried_over", _("Carried over: the work continues in the next fiscal year")),
            ("lapsed", _("Not finished: the work stops")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    start_date = forms.DateField(label=_("Start date in the next year"), widget=DATE, required=False)
    end_date = forms.DateField(
        label=_("End date in the next year"),
        widget=DATE,
        required=False,
        help_text=_("Only when the work continues: its dates within the next fiscal year."),
    )


class ActivityFilterForm(forms.Form):
    """The activity list's choices, in the query string (``?tahap=in_execution&dinas=pupr``) so a list is a link."""

    tahap = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    dinas = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        to_field_name="code",
        empty_label=_("All departments"),
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dinas"].queryset = departments


class BoardFilterForm(forms.Form):
    """The planner's board's choice of proposals, in the query string so a list is a link (and the way back to it
    from a proposal, ``papan``). Fields named as on the public proposals page, the department as on the activity
    list."""

    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Area.objects.filter(level=Area.Level.KECAMATAN).defer("boundary").order_by("name"),
        required=False,
        empty_label=_("All kecamatan"),
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=kelurahan_choices().order_by("name", "parent__name"),
        required=False,
        empty_label=_("All kelurahan"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    dinas = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("short_name"),
        to_field_name="code",
        required=False,
        empty_label=_("All departments"),
    )
    source = forms.ChoiceField(label=_("Source"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", _("Newest first")),
            ("cost", _("Highest cost first")),
            ("cost_asc", _("Lowest cost first")),
            ("kelurahan", _("By kelurahan")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both area lists offered from one read of the kelurahan with their kecamatan (each field's queryset still
        # validates what is sent): the board is read often and its query count stays flat.
        kelurahans = list(self.fields["kelurahan"].queryset)
        kecamatans = sorted({area.parent for area in kelurahans if area.parent_id}, key=lambda area: area.name)
        self.fields["kelurahan"].choices = [
            ("", self.fields["kelurahan"].empty_label),
            *((area.pk, kelurahan_label(area)) for area in kelurahans),
        ]
        self.fields["kecamatan"].choices = [
            ("", self.fields["kecamatan"].empty_label),
            *((area.pk, area.name) for area in kecamatans),
        ]
        self.fields["status"].choices = [
            ("", gettext("Any status")),
            (queries.IN_REVIEW_ANY_LEVEL, gettext("In review, at any level")),
            *[
                (level, gettext("In review at the %(level)s level") % {"level": label})
                for level, label in ReviewLevel.choices
            ],
            (queries.TO_ACCEPT, gettext("Recommended at every level, to accept")),
            (Proposal.Status.ACCEPTED, Proposal.Status.ACCEPTED.label),
            (Proposal.Status.DECLINED, Proposal.Status.DECLINED.label),
        ]
        self.fields["source"].choices = [("", gettext("All sources")), *Proposal.Source.choices]

    def clean(self):
        return refuse_kelurahan_outside_kecamatan(self, super().clean())

    def filters(self) -> dict:
        """What ``queries.board_proposals`` takes, from the valid fields (a refused one is named and left out)."""
        data = self.cleaned_data
        return {
            "kecamatan": data.get("kecamatan"),
            "kelurahan": data.get("kelurahan"),
            "status": data.get("status", ""),
            "department": data.get("dinas"),
            "source": data.get("source", ""),
            "sort": data.get("sort", ""),
        }
