"""REST API for plan → budget → execute → evaluate. Interface only.

Reading follows the planning pages: city staff only (``planning.views.PLANNING_ROLES``).
Every write calls the same ``planning.actions`` function as the pages, which checks the role
(planner, finance, department head, inspector) and the activity's stage.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import has_role
from complaints.api import NoBodySerializer
from services.models import Area, Department, Service
from smartcity import api_fields
from smartcity.api_errors import ErrorBodySerializer
from smartcity.api_idempotency import idempotent

from . import actions, queries
from .forms import complaint_indicator_warning
from .models import (
    AchievementBasis,
    Activity,
    BudgetLine,
    Evaluation,
    FiscalYear,
    Indicator,
    ProgressReport,
    Proposal,
    Realisation,
)
from .views import PLANNING_ROLES

ERRORS = {
    400: OpenApiResponse(ErrorBodySerializer, description="Invalid input or wrong stage."),
    401: OpenApiResponse(ErrorBodySerializer, description="Not signed in, or the token is unknown or its account off."),
    403: OpenApiResponse(ErrorBodySerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorBodySerializer, description="Not found."),
}

# Amounts of Rupiah in the API's writes. A number only: integrators send numbers, and DRF's "A valid number is
# required." left "Rp 1.500.000" (which the planning forms read) unexplained.
RUPIAH_AMOUNT = {
    "error_messages": {"invalid": _("Send the amount as a number in Rupiah, e.g. 1500000 or 1500000.50.")},
}


PROPOSAL_EXAMPLE = {
    "id": 7,
    "fiscal_year": 2027,
    "source": "musrenbang_kelurahan",
    "title": "Normalisasi drainase Jl. Veteran",
    "problem": "Genangan setiap hujan; 14 laporan warga dalam 12 bulan.",
    "area": "63.71.05.1003",
    "department": "pupr",
    "service": "drainase-tersumbat",
    "estimated_cost": "250000000.00",
    "status": "in_review",
    "activity": None,
    "created_at": "2027-02-10T09:00:00+08:00",
    "decided_at": None,
}

ACTIVITY_EXAMPLE = {
    "id": 1,
    "fiscal_year": 2026,
    "code": "1.03.02.2.01.0001",
    "name": "Normalisasi saluran drainase Kelurahan Mawar",
    "department": "pupr",
    "stage": "in_execution",
    "description": "",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "lat": -3.3186,
    "lng": 114.5944,
    "kelurahans": ["63.71.05.1003"],
    "carried_over_from": None,
    "continuation": None,
    "programme": "1.03.02",
    "programme_name": "Program Pengelolaan Sumber Daya Air",
    "budget_in_force": "1650000000.00",
    "realised": "412500000.50",
    "absorption_pct": "25.00",
    "physical_pct": "35.00",
    "physical_month": "2026-03-01",
    "physical_verified": False,
}

CLOSED_EXAMPLE = ACTIVITY_EXAMPLE | {"stage": "carried_over", "continuation": 31}

BUDGET_LINE_EXAMPLE = {
    "id": 3,
    "activity": 1,
    "version": "original",
    "account_code": "5.1.02",
    "fund_source": "pad",
    "description": "Belanja barang dan jasa",
    "amount": "1500000000.00",
    "updated_at": "2026-01-05T10:00:00+08:00",
}

REALISATION_EXAMPLE = {
    "id": 4,
    "activity": 1,
    "date": "2026-03-31",
    "amount": "50000000.00",
    "document_number": "SP2D-0042",
    "description": "Termin 1",
    "created_at": "2026-04-01T08:00:00+08:00",
}

PROGRESS_EXAMPLE = {
    "id": 5,
    "activity": 1,
    "month": "2026-03-01",
    "physical_pct": "35.00",
    "problems": "Hujan deras dua minggu.",
    "verified_at": None,
    "created_at": "2026-04-02T08:00:00+08:00",
}

INDICATOR_EXAMPLE = {
    "id": 6,
    "activity": 1,
    "level": "outcome",
    "description": "Genangan di kelurahan berkurang",
    "unit": "laporan/bulan",
    "baseline": "14.00",
    "target": "3.00",
    "direction": "decrease",
    "warnings": [],
}
# An indicator named after complaints is saved, with the warning the activity page gives (``forms``).
COMPLAINT_INDICATOR_EXAMPLE = INDICATOR_EXAMPLE | {
    "id": 8,
    "description": "Jumlah pengaduan genangan",
    "warnings": [
        "“Jumlah pengaduan genangan” looks like a count of complaints or reports: the portal computes those from "
        "citizens' reports (the activity page's service indicators), and a typed figure can disagree with them while "
        "it counts in the evaluation's achievement score. Prefer an indicator of what the activity delivers (e.g. "
        "metres of drain normalised, lights installed)."
    ],
}

EVALUATION_EXAMPLE = {
    "id": 2,
    "fiscal_year": 2026,
    "activity": 1,
    "department": "pupr",
    "indicator_achievement_pct": "90.00",
    "achievement_basis": "indicators",
    "budget_absorption_pct": "85.50",
    "timeliness_pct": "100.00",
    "score": "91.20",
    "grade": "very_high",
    "findings": "Selesai tepat waktu.",
    "recommendations": "Lanjutkan pemeliharaan.",
    "created_at": "2027-01-20T10:00:00+08:00",
}
DEPARTMENT_EVALUATION_EXAMPLE = EVALUATION_EXAMPLE | {
    "id": 3,
    "activity": None,
    "score": "78.40",
    "grade": "high",
    "findings": "Serapan rendah di triwulan I.",
    "recommendations": "Percepat lelang.",
}


def _shown(name, value):
    return [OpenApiExample(name, value=value, response_only=True)]


class IsPlanningStaff(permissions.BasePermission):
    """Same rule as the planning pages: city staff (planner, finance, inspector, administrator, heads, staff)."""

    message = _("The planning data is for city staff.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and has_role(request.user, *PLANNING_ROLES))


def _documented(
    serializer,
    *,
    example,
    list_summary,
    retrieve_summary,
    create_summary=None,
    create_example=None,
    create_request=None,
    create_description=None,
    create_responses=None,
    more_examples=(),
):
    """The OpenAPI text of a planning viewset: a summary and an example on list, retrieve and (if any) create.

    ``example`` is ``(name, value)`` of a response (``more_examples`` more of them); ``create_example`` is
    ``(name, value)`` of a request body, ``create_request`` its serializer when it is not ``serializer``, and
    ``create_responses`` the answers besides the errors (201 with ``serializer`` unless given).
    """
    shown = [*_shown(*example), *(OpenApiExample(n, value=v, response_only=True) for n, v in more_examples)]
    views = {
        "list": extend_schema(
            summary=list_summary,
            responses={200: serializer(many=True), 401: ERRORS[401], 403: ERRORS[403]},
            examples=shown,
        ),
        "retrieve": extend_schema(
            summary=retrieve_summary,
            responses={200: serializer, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
            examples=shown,
        ),
    }
    if create_summary:
        name, value = create_example
        views["create"] = extend_schema(
            summary=create_summary,
            description=create_description,
            request=create_request or serializer,
            responses={**(create_responses or {201: serializer}), **ERRORS},
            examples=[OpenApiExample(name, value=value, request_only=True)],
        )
    return extend_schema_view(**views)


# List and read one. (Comments, not docstrings: a viewset's docstring would become its OpenAPI description.)
class _PlanningReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsPlanningStaff]
    filterset_fields: list[str] = []


# List, read one, and create through a ``planning.actions`` function (it checks the role and the stage). The body
# is read with ``input_serializer_class`` when the answer's fields differ from what is sent (an evaluation).
class _PlanningWriteViewSet(mixins.CreateModelMixin, _PlanningReadViewSet):
    input_serializer_class = None

    @idempotent
    def create(self, request, *args, **kwargs):
        created = self.perform_action(request.user, self._input(request))
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def _input(self, request) -> dict:
        if self.input_serializer_class is not None:
            serializer = self.input_serializer_class(data=request.data, context=self.get_serializer_context())
        else:
            serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def perform_action(self, actor, data):
        raise NotImplementedError


def _activity_field():
    return serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())


class ProposalSerializer(api_fields.RefusesUnknownFields, api_fields.ModelSerializer):
    """A proposal for the plan (from Musrenbang, a department or complaint evidence) as it goes through review;
    once accepted, `activity` is the activity it became."""

    fiscal_year = serializers.SlugRelatedField(slug_field="year", queryset=FiscalYear.objects.all())
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "fiscal_year",
            "source",
            "title",
            "problem",
            "area",
            "department",
            "service",
            "estimated_cost",
            "status",
            "activity",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["status", "activity", "created_at", "decided_at"]
        extra_kwargs = {"estimated_cost": RUPIAH_AMOUNT}


@_documented(
    ProposalSerializer,
    example=("A proposal", PROPOSAL_EXAMPLE),
    list_summary="Proposals (Musrenbang, departments, complaint evidence)",
    retrieve_summary="One proposal",
    create_summary="Enter a proposal (planners, staff of the department)",
    create_example=(
        "Musrenbang proposal",
        {
            "fiscal_year": 2027,
            "source": "musrenbang_kelurahan",
            "title": "Normalisasi drainase Jl. Veteran",
            "problem": "Genangan setiap hujan; 14 laporan warga dalam 12 bulan.",
            "area": "63.71.05.1003",
            "department": "pupr",
            "service": "drainase-tersumbat",
            "estimated_cost": "250000000.00",
        },
    ),
)
class ProposalViewSet(_PlanningWriteViewSet):
    serializer_class = ProposalSerializer
    queryset = Proposal.objects.select_related("fiscal_year", "area", "department", "service").order_by("-id")
    filterset_fields = ["status", "source"]

    def perform_action(self, actor, data):
        return actions.submit_proposal(
            actor=actor,
            fiscal_year=data["fiscal_year"],
            source=data["source"],
            title=data["title"],
            problem=data["problem"],
            area=data["area"],
            department=data["department"],
            estimated_cost=data.get("estimated_cost", 0),
            service=data.get("service"),
        )


def _rupiah(**kwargs):
    """A read-only amount in Rupiah written as the API's stored amounts are (a budget line's ``amount``):
    "1500000000.00"."""
    return serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True, **kwargs)


class LatestPhysicalPctField(serializers.DecimalField):
    """The latest monthly report's physical progress; None (null) when no month was reported: the activity pages
    say "No report yet" there, never 0 %."""

    def get_attribute(self, activity):
        figures = activity.figures
        return figures["physical_pct"] if figures["physical_reported"] else None


class ActivitySerializer(api_fields.ModelSerializer):
    """An activity (sub-kegiatan) of the city's plan: its department, programme, stage, dates and kelurahan, and
    its money and progress as the activity page shows them (the budget in force, payments, absorption, the latest
    physical progress), read-only."""

    fiscal_year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    kelurahans = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    # Unfinished work carried over at the year's end: the activity of the year before that this one continues, and
    # the next year's activity that continues this one (closing the year sets them; ``close-year`` below).
    carried_over_from = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Id of the previous year's activity whose unfinished work this one continues.",
    )
    continuation = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Id of the next year's activity that continues this one's unfinished work.",
    )
    programme = serializers.CharField(
        source="programme.code",
        read_only=True,
        allow_null=True,
        help_text="Code of the programme the activity belongs to; null when it is not under a programme.",
    )
    programme_name = serializers.CharField(
        source="programme.name", read_only=True, allow_null=True, help_text="Name of that programme."
    )
    # The activity page's figures (``queries.figures_of`` over ``queries.with_figures``' sums): an integrator adding
    # up budget lines counted the indicative ceiling, lines awaiting approval, or the original beside its revision.
    budget_in_force = _rupiah(
        source="figures.budget",
        help_text="The budget the activity is held to, in Rupiah: the revised budget (APBD-P, every `revised` line) "
        "once there is one, else the original (APBD murni, every `original` line); 0.00 until finance approves it. "
        "The indicative ceiling and lines awaiting approval (`draft`) are not counted.",
    )
    realised = _rupiah(
        source="figures.realised", help_text="The payments recorded for the activity (realisations), in Rupiah."
    )
    absorption_pct = serializers.DecimalField(
        source="figures.financial_pct",
        max_digits=None,
        decimal_places=2,
        rounding=ROUND_HALF_UP,
        read_only=True,
        help_text="Budget absorption: `realised` as a percentage of `budget_in_force`, to two decimals (half up, as "
        "an evaluation keeps it; the activity page shows one); 0.00 without a budget in force.",
    )
    physical_pct = LatestPhysicalPctField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Physical progress (0-100) of the latest month reported, verified or not (`physical_verified`); "
        "null when no month has been reported.",
    )
    physical_month = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The month of that report (its first day); null when none.",
    )
    physical_verified = serializers.BooleanField(
        source="figures.physical_verified",
        read_only=True,
        help_text="Whether a planner or an inspector has verified that report; until then `physical_pct` is the "
        "department's own report. false when no month has been reported.",
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "fiscal_year",
            "code",
            "name",
            "department",
            "stage",
            "description",
            "start_date",
            "end_date",
            "lat",
            "lng",
            "kelurahans",
            "carried_over_from",
            "continuation",
            "programme",
            "programme_name",
            "budget_in_force",
            "realised",
            "absorption_pct",
            "physical_pct",
            "physical_month",
            "physical_verified",
        ]

    def to_representation(self, activity):
        # Annotated by the viewset's queryset (``queries.with_figures``): no query per activity.
        activity.figures = queries.figures_of(activity)
        return super().to_representation(activity)


class CloseYearSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """How an activity's unfinished work ends with its fiscal year."""

    outcome = serializers.ChoiceField(
        choices=["lapsed", "carried_over"],
        help_text="lapsed: the work stops; carried_over: it continues in the next fiscal year.",
    )
    reason = serializers.CharField(max_length=500, allow_blank=True, help_text="Why the work did not finish.")
    start_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="carried_over into a new activity: its start within the next fiscal year. Not used when the next "
        "year already has an activity of the same code (it keeps its own dates).",
    )
    end_date = serializers.DateField(required=False, allow_null=True, help_text="Its end, likewise.")


@_documented(
    ActivitySerializer,
    example=("An activity", ACTIVITY_EXAMPLE),
    list_summary="Activities of the plan",
    retrieve_summary="One activity",
)
class ActivityViewSet(_PlanningReadViewSet):
    serializer_class = ActivitySerializer
    queryset = (
        queries.with_figures(Activity.objects.all())
        .select_related("fiscal_year", "department", "programme", "continuation")
        .prefetch_related("kelurahans")
        .order_by("id")
    )
    filterset_fields = ["stage", "fiscal_year__year", "department__code"]

    @extend_schema(
        summary="Close the year of unfinished work (department head, planners)",
        description="From the first day of the last month of the activity's fiscal year, an activity still planned, "
        "budgeted or in execution stops (lapsed) or is carried over into the next fiscal year: into the activity of "
        "the same code and department that year already has (it keeps its own budget, dates and stage), else into a "
        "new planned activity from start_date to end_date. The answer is the activity closed; `continuation` is the "
        "next year's activity.",
        request=CloseYearSerializer,
        responses={200: ActivitySerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Carried over",
                value={
                    "outcome": "carried_over",
                    "reason": "Kontraktor terlambat; sisa pekerjaan 20% dilanjutkan.",
                    "start_date": "2027-02-01",
                    "end_date": "2027-06-30",
                },
                request_only=True,
            ),
            *_shown("Closed", CLOSED_EXAMPLE),
        ],
    )
    @idempotent
    @action(detail=True, methods=["post"], url_path="close-year")
    def close_year(self, request, pk=None):
        data = CloseYearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        closed = actions.close_year(actor=request.user, activity=self.get_object(), **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=closed.pk)).data)


class BudgetLineSerializer(api_fields.ModelSerializer):
    """A line of an activity's budget in one version (indicative ceiling, original, revised; `draft`: original
    awaiting approval, which counts as no budget yet), in Rupiah."""

    class Meta:
        model = BudgetLine
        fields = ["id", "activity", "version", "account_code", "fund_source", "description", "amount", "updated_at"]


@_documented(
    BudgetLineSerializer,
    example=("A budget line", BUDGET_LINE_EXAMPLE),
    list_summary="Budget lines (indicative ceiling, original, revised)",
    retrieve_summary="One budget line",
)
class BudgetLineViewSet(_PlanningReadViewSet):
    serializer_class = BudgetLineSerializer
    queryset = BudgetLine.objects.order_by("activity_id", "version", "account_code")
    filterset_fields = ["activity", "version", "fund_source"]


class RealisationSerializer(api_fields.RefusesUnknownFields, api_fields.ModelSerializer):
    """A payment made for an activity (financial realisation), in Rupiah, with its document (SP2D)."""

    activity = _activity_field()

    class Meta:
        model = Realisation
        fields = ["id", "activity", "date", "amount", "document_number", "description", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"amount": RUPIAH_AMOUNT}


@_documented(
    RealisationSerializer,
    example=("A payment", REALISATION_EXAMPLE),
    list_summary="Financial realisation (payments)",
    retrieve_summary="One payment",
    create_summary="Record a payment (department head or finance)",
    create_example=(
        "Payment",
        {"activity": 1, "date": "2027-03-31", "amount": "50000000.00", "document_number": "SP2D-0042"},
    ),
)
class RealisationViewSet(_PlanningWriteViewSet):
    serializer_class = RealisationSerializer
    queryset = Realisation.objects.order_by("activity_id", "date", "id")
    filterset_fields = ["activity"]

    def perform_action(self, actor, data):
        return actions.record_realisation(
            actor=actor,
            activity=data["activity"],
            date=data["date"],
            amount=data["amount"],
            document_number=data["document_number"],
            description=data.get("description", ""),
        )


class ProgressReportSerializer(api_fields.RefusesUnknownFields, api_fields.ModelSerializer):
    """An activity's physical progress in a month (0-100 %), reported by its department's head; it can be corrected
    until a planner or inspector verifies it."""

    activity = _activity_field()
    month = serializers.DateField(help_text="Any day of the month reported; kept as the month's first day.")

    class Meta:
        model = ProgressReport
        fields = ["id", "activity", "month", "physical_pct", "problems", "verified_at", "created_at"]
        read_only_fields = ["verified_at", "created_at"]
        # Without DRF's check that (activity, month) is new: reporting a month again corrects its report until it is
        # verified (``planning.actions.report_progress`` decides, and says so when it is verified). The check
        # refused the 1st of a reported month before any other check, while the 15th of the same month went through.
        validators = []


@_documented(
    ProgressReportSerializer,
    example=("A progress report", PROGRESS_EXAMPLE),
    list_summary="Monthly physical progress reports",
    retrieve_summary="One report",
    create_summary="Report a month's physical progress (department head)",
    create_description="One report per activity and month: reporting a month that has a report corrects it (200, "
    "the corrected report) until a planner or inspector verifies it; then it is a 400 saying so. A month without a "
    "report gets one (201).",
    create_example=("Progress", {"activity": 1, "month": "2027-03-01", "physical_pct": "35.00"}),
    create_responses={
        201: OpenApiResponse(ProgressReportSerializer, description="The month's report, new."),
        200: OpenApiResponse(ProgressReportSerializer, description="The month's report, corrected."),
    },
)
class ProgressReportViewSet(_PlanningWriteViewSet):
    serializer_class = ProgressReportSerializer
    queryset = ProgressReport.objects.order_by("activity_id", "month")
    filterset_fields = ["activity"]

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._input(request)
        with transaction.atomic():
            # Under the activity's lock, which the action takes too: whether the month had a report decides between
            # "created" and "corrected", and no other report of the month can come in between.
            activity = Activity.objects.select_for_update().get(pk=data["activity"].pk)
            corrected = activity.progress_reports.filter(month=data["month"].replace(day=1)).exists()
            report = self.perform_action(request.user, data)
        return Response(
            self.get_serializer(report).data, status=status.HTTP_200_OK if corrected else status.HTTP_201_CREATED
        )

    def perform_action(self, actor, data):
        return actions.report_progress(
            actor=actor,
            activity=data["activity"],
            month=data["month"],
            physical_pct=data["physical_pct"],
            problems=data.get("problems", ""),
        )

    @extend_schema(
        summary="Verify a progress report",
        request=None,
        responses={200: ProgressReportSerializer, **ERRORS},
        examples=_shown("Verified", PROGRESS_EXAMPLE),
    )
    @idempotent
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        NoBodySerializer(data=request.data).is_valid(raise_exception=True)
        report = actions.verify_progress(actor=request.user, report=self.get_object())
        return Response(self.get_serializer(report).data)


class IndicatorSerializer(api_fields.RefusesUnknownFields, api_fields.ModelSerializer):
    """A performance indicator of an activity: what is measured, from which baseline, to which target."""

    activity = _activity_field()
    warnings = serializers.SerializerMethodField(
        help_text="What the activity page warns of when it saves this indicator, in the request's language; empty "
        "when nothing. A description about complaints or reports (pengaduan, aduan, laporan, keluhan) is warned of: "
        "the portal computes those from citizens' reports (the activity's service indicators), and a typed figure "
        "can disagree with them while it counts in the evaluation's achievement score. A warning, not a refusal: "
        "the indicator is saved."
    )

    class Meta:
        model = Indicator
        fields = ["id", "activity", "level", "description", "unit", "baseline", "target", "direction", "warnings"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, indicator) -> list[str]:
        # The page's own words (``forms.complaint_indicator_warning``): the API saved such an indicator unwarned.
        warning = complaint_indicator_warning(indicator.description)
        return [warning] if warning else []


@_documented(
    IndicatorSerializer,
    example=("An indicator", INDICATOR_EXAMPLE),
    more_examples=[("An indicator about complaints, saved with a warning", COMPLAINT_INDICATOR_EXAMPLE)],
    list_summary="Performance indicators",
    retrieve_summary="One indicator",
    create_summary="Set an indicator (planners)",
    create_description="An indicator whose description is about complaints or reports is saved all the same (201), "
    "with the activity page's warning in `warnings`: the portal computes complaint figures from citizens' reports.",
    create_example=(
        "Outcome indicator",
        {
            "activity": 1,
            "level": "outcome",
            "description": "Genangan di kelurahan berkurang",
            "unit": "laporan/bulan",
            "baseline": "14.00",
            "target": "3.00",
            "direction": "decrease",
        },
    ),
)
class IndicatorViewSet(_PlanningWriteViewSet):
    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.order_by("activity_id", "id")
    filterset_fields = ["activity", "level"]

    def perform_action(self, actor, data):
        return actions.add_indicator(actor=actor, **data)


class EvaluationSerializer(api_fields.ModelSerializer):
    """The evaluation of one activity, or of a department's fiscal year across its activities (`activity` null):
    the scores computed from the plan's figures, the grade they give, and the evaluator's words."""

    fiscal_year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True, help_text="Code of the department.")
    activity = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The activity evaluated; null for a department's evaluation of its fiscal year.",
    )
    score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        help_text="0-100: achievement (50 %), budget absorption (25 %) and timeliness (25 %); when timeliness "
        "could not be measured (null) achievement counts two-thirds and absorption one-third. A department's year "
        "weighs its activities by budget. The grade follows from the fiscal year's bands.",
    )
    achievement_basis = serializers.ChoiceField(
        choices=AchievementBasis.choices,
        read_only=True,
        help_text="What `indicator_achievement_pct` was computed from: `indicators`; `physical`, the latest physical "
        "progress verified by a planner or inspector (the activity has no indicators); `mixed`, a department's "
        "year with both; `physical_unverified` and `mixed_unverified`, evaluations recorded before verification "
        "counted, which took the latest progress reported, verified or not.",
    )
    timeliness_pct = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Milestones met on time, in %; without milestones 0 for work not finished in its year, 50 for work "
        "completed after its planned end, and null (not measured) for work completed by it.",
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "fiscal_year",
            "activity",
            "department",
            "indicator_achievement_pct",
            "achievement_basis",
            "budget_absorption_pct",
            "timeliness_pct",
            "score",
            "grade",
            "findings",
            "recommendations",
            "created_at",
        ]
        read_only_fields = fields


class EvaluationCreateSerializer(api_fields.RefusesUnknownFields, serializers.Serializer):
    """An evaluation of an activity: completed, or closed unfinished at its year's end. The scores are computed."""

    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    recommendations = serializers.CharField(required=False, allow_blank=True, default="")


@_documented(
    EvaluationSerializer,
    example=("An activity's evaluation", EVALUATION_EXAMPLE),
    more_examples=[("A department's year", DEPARTMENT_EVALUATION_EXAMPLE)],
    list_summary="Evaluations of activities and departments",
    retrieve_summary="One evaluation",
    create_summary="Evaluate a completed activity (inspectors, planners)",
    create_request=EvaluationCreateSerializer,
    create_example=("Evaluation", {"activity": 1, "findings": "Selesai tepat waktu.", "recommendations": "Lanjutkan."}),
)
class EvaluationViewSet(_PlanningWriteViewSet):
    serializer_class = EvaluationSerializer
    input_serializer_class = EvaluationCreateSerializer
    queryset = Evaluation.objects.select_related("fiscal_year", "department").order_by("-id")
    filterset_fields = ["activity", "grade", "fiscal_year__year", "department__code"]

    def perform_action(self, actor, data):
        return actions.evaluate_activity(
            actor=actor,
            activity=data["activity"],
            findings=data.get("findings", ""),
            recommendations=data.get("recommendations", ""),
        )
