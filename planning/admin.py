"""Admin for every planning table. Gates and money move through the staff pages (actions);
the admin is for the calendar, reference data and corrections, and shows the audit rows read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from smartcity.admin_inlines import AddAnotherInSentenceCase

from .forms import INDICATOR_HELP, complaint_indicator_warning
from .models import (
    Activity,
    ActivityTicket,
    BudgetChange,
    BudgetLine,
    Evaluation,
    FiscalYear,
    ImportJob,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    Programme,
    ProgressPhoto,
    ProgressReport,
    Proposal,
    ProposalPhoto,
    ProposalReview,
    Realisation,
    StageChange,
)
from .templatetags.money import format_rupiah


def rupiah_column(model, field: str):
    """A list column showing ``model``'s money ``field`` as the city writes it ("Rp 125.453.000"), sortable by it
    and named like the field; the bare column read "125453000,00"."""

    def column(obj):
        return format_rupiah(getattr(obj, field))

    column.__name__ = f"{field}_rupiah"
    return admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)(column)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "musrenbang_start",
        "rkpd_by",
        "kuappas_end",
        "apbd_by",
        "execution_start",
        "evaluation_end",
    ]
    fieldsets = [
        (None, {"fields": ["year"]}),
        (_("Musrenbang"), {"fields": [("musrenbang_start", "musrenbang_end")]}),
        (_("RKPD and KUA-PPAS"), {"fields": ["rkpd_by", ("kuappas_start", "kuappas_end")]}),
        (_("APBD"), {"fields": ["apbd_by"]}),
        (
            _("Execution and evaluation"),
            {"fields": [("execution_start", "execution_end"), ("evaluation_start", "evaluation_end")]},
        ),
        (_("Grades"), {"fields": ["grade_bands"]}),
    ]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "fiscal_year"]
    list_filter = ["fiscal_year", "department"]
    search_fields = ["code", "name"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    readonly_fields = ["version", "account_code", "fund_source", "amount", "description"]
    can_delete = False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IndicatorDescriptionHelp:
    """The indicator's description says what to type: what the activity delivers, not complaints (computed)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "description" and field is not None:
            field.help_text = INDICATOR_HELP
        return field


def warn_of_complaint_indicators(request, indicators) -> None:
    """A warning (not a refusal) for each indicator saved whose name is about complaints or reports, which the
    portal computes from the tickets (``forms.complaint_indicator_warning``)."""
    for indicator in indicators:
        warning = complaint_indicator_warning(indicator.description)
        if warning:
            messages.warning(request, warning)


class IndicatorInline(IndicatorDescriptionHelp, admin.TabularInline):
    model = Indicator
    extra = 0


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "actor", "note", "created_at"]
    can_delete = False


class ActivityTicketInline(admin.TabularInline):
    model = ActivityTicket
    extra = 0
    raw_id_fields = ["ticket"]
    readonly_fields = ["added_by", "added_at"]


@admin.register(Activity)
class ActivityAdmin(AddAnotherInSentenceCase, admin.ModelAdmin):
    list_display = ["code", "name", "department", "stage", "start_date", "end_date", "fiscal_year"]
    list_filter = ["fiscal_year", "stage", "department"]
    search_fields = ["code", "name"]
    filter_horizontal = ["kelurahans", "services"]
    readonly_fields = ["stage", "stage_changed_at"]
    inlines = [
        PartnerInline,
        BudgetLineInline,
        MilestoneInline,
        IndicatorInline,
        ActivityTicketInline,
        StageChangeInline,
    ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Indicator:
            changed = [obj for obj, fields in formset.changed_objects if "description" in fields]
            warn_of_complaint_indicators(request, [*formset.new_objects, *changed])

    def get_readonly_fields(self, request, obj=None):
        # An activity's budget lines, payments and progress are that year's money: moving it to another year mixed
        # two years' accounts. Its dates may still be corrected, within its year (Activity.clean).
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "fiscal_year"] if obj is not None else fields


class ProposalReviewInline(admin.TabularInline):
    model = ProposalReview
    extra = 0
    readonly_fields = ["level", "decision", "amount", "note", "reviewer", "created_at"]
    can_delete = False


class ProposalPhotoInline(admin.TabularInline):
    model = ProposalPhoto
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(AddAnotherInSentenceCase, admin.ModelAdmin):
    list_display = [
        "title",
        "source",
        "status",
        "area",
        "department",
        rupiah_column(Proposal, "estimated_cost"),
        "fiscal_year",
    ]
    list_filter = ["fiscal_year", "status", "source", "department"]
    search_fields = ["title", "problem"]
    raw_id_fields = ["tickets", "activity"]
    readonly_fields = ["status", "decided_at"]
    inlines = [ProposalReviewInline, ProposalPhotoInline]


@admin.register(ProposalReview)
class ProposalReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "level", "decision", rupiah_column(ProposalReview, "amount"), "reviewer", "created_at"]
    list_filter = ["level", "decision"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["activity", "version", "account_code", "fund_source", rupiah_column(BudgetLine, "amount")]
    list_filter = ["version", "fund_source", "activity__fiscal_year"]
    search_fields = ["activity__code", "account_code"]
    readonly_fields = ["amount"]  # amounts change through finance's actions, which keep the history


@admin.register(BudgetChange)
class BudgetChangeAdmin(admin.ModelAdmin):
    list_display = [
        "line",
        rupiah_column(BudgetChange, "old_amount"),
        rupiah_column(BudgetChange, "new_amount"),
        "actor",
        "created_at",
    ]
    readonly_fields = ["line", "old_amount", "new_amount", "actor", "reason", "created_at"]


@admin.register(Realisation)
class RealisationAdmin(admin.ModelAdmin):
    list_display = ["activity", "date", rupiah_column(Realisation, "amount"), "document_number", "recorded_by"]
    list_filter = ["activity__fiscal_year", "activity__department"]
    search_fields = ["document_number", "activity__code"]


class ProgressPhotoInline(admin.TabularInline):
    model = ProgressPhoto
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(AddAnotherInSentenceCase, admin.ModelAdmin):
    list_display = ["activity", "month", "physical_pct", "reported_by", "verified_by"]
    list_filter = ["activity__fiscal_year", "activity__department"]
    inlines = [ProgressPhotoInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["name", "activity", "due_date", "met_on", "status"]
    list_filter = ["status"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AddAnotherInSentenceCase, IndicatorDescriptionHelp, admin.ModelAdmin):
    list_display = ["description", "activity", "level", "unit", "baseline", "target", "direction"]
    list_filter = ["level", "direction"]
    inlines = [IndicatorValueInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "description" in form.changed_data:
            warn_of_complaint_indicators(request, [obj])


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "department", "activity", "score", "grade", "evaluator", "created_at"]
    list_filter = ["fiscal_year", "grade", "department"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["activity", "from_stage", "to_stage", "actor", "created_at"]
    readonly_fields = ["activity", "from_stage", "to_stage", "actor", "note", "created_at"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "activity"]
    list_filter = ["role"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "state", "total", "imported", "owner", "created_at"]
    readonly_fields = ["errors"]


@admin.register(ActivityTicket)
class ActivityTicketAdmin(admin.ModelAdmin):
    list_display = ["activity", "ticket", "added_by", "added_at"]
    raw_id_fields = ["activity", "ticket"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "recorded_by"]


@admin.register(ProposalPhoto)
class ProposalPhotoAdmin(admin.ModelAdmin):
    list_display = ["proposal", "created_at"]


@admin.register(ProgressPhoto)
class ProgressPhotoAdmin(admin.ModelAdmin):
    list_display = ["report", "created_at"]
