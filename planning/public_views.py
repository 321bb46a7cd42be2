"""The public pages of the city's plan: an activity, and the proposals (usulan) it is chosen from.

The proposals page lists every proposal of a fiscal year (Musrenbang results are public documents): its title,
area, source, department, year, estimated cost, where its review stands in plain words (the level reviewing it, the
level that turned it down with the reason it gave, which the linked reports' citizens are told too, or the activity
it became), how many reports it answers and the public ones among them, and its photos (re-encoded without EXIF or
GPS when entered, and served from the public media folder like every planning photo). Never shown there: the problem
statement, who entered or reviewed it, a recommending level's note or amount, reports that are not public (counted
only).

The activity page is what a citizen whose report it answers may read.

APBD figures are public information, so anyone, signed in or not, reads an activity's year, place, dates, stage,
budget in force, realisation and physical progress, its evaluation's grade and score, the service indicators before
and since its start, and the linked reports that are public (``complaints.queries.public_tickets``; the others are
only counted). Never shown here: budget lines and their history, payment documents (SP2D numbers), progress reports'
problems and photos, stage notes, the proposal's problem statement (``Activity.description``), the inspector's
findings and recommendations, and anybody's name: the staff page (``planning.views.activity_detail``) keeps them.

Every activity row is public: it exists only once a proposal was accepted into the plan (or a planner entered it),
and its stage, whatever it is, is part of what the city owes the public.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from complaints.forms import kelurahan_choices, kelurahan_label, refuse_kelurahan_outside_kecamatan
from complaints.queries import public_tickets
from dashboards import filter_names
from dashboards.departments import choice_label, in_choosing_order, labelled
from dashboards.queries.base import LICENCE, LICENCE_URL
from services.models import Area, Department, Service
from smartcity.form_errors import add_action_errors
from smartcity.pagination import RememberedCountPaginator
from smartcity.spreadsheets import COMPUTED_AT_HEADER, CSV_TIME_FORMAT, as_text_cell, in_wita

from . import queries
from .actions import community
from .actions.proposals import edit_proposal
from .forms import CommunityProposalForm, CommunityProposalTextForm
from .models import (
    REVIEW_CHAIN,
    STAGE_ORDER,
    UNFINISHED_STAGES,
    Activity,
    FiscalYear,
    Grade,
    Proposal,
    ProposalReview,
    ReviewLevel,
    Stage,
    StageChange,
)
from .money import whole_rupiah
from .templatetags.money import one_decimal

# Linked public reports listed on the page, newest first; the count says how many there are in all.
PUBLIC_TICKETS_SHOWN = 50

# Proposals on one page of the public proposals list.
PROPOSALS_PER_PAGE = 25

# What each stage means, for a reader who does not know the planning cycle.
STAGE_MEANINGS = {
    Stage.PLANNED: gettext_lazy("The activity is in the city's plan; its budget is not approved yet."),
    Stage.BUDGETED: gettext_lazy("The budget is approved in the APBD; the work has not started yet."),
    Stage.IN_EXECUTION: gettext_lazy("The work is under way; the department reports spending and progress monthly."),
    Stage.COMPLETED: gettext_lazy("The work is finished; the evaluation comes next."),
    Stage.EVALUATED: gettext_lazy("The work is finished and the city has evaluated its results."),
    Stage.LAPSED: gettext_lazy(
        "The work did not finish within its fiscal year and has stopped; what was spent stays in that year's accounts."
    ),
    Stage.CARRIED_OVER: gettext_lazy(
        "The work did not finish within its fiscal year; it continues as an activity of the next year's plan."
    ),
}


def chart_series() -> dict:
    """The activity charts' series names, in the page's language (static/js/planning-activity-chart.js reads them);
    the staff and the public activity pages draw the same charts."""
    return {
        "financial": _("Financial realisation %"),
        "physical": _("Physical progress %"),
        "time": _("Time elapsed %"),
        "reports": _("Reports per month"),
    }


def stage_steps(activity: Activity) -> list[tuple[str, str, str]]:
    """The stepper of the activity pages: (stage, label, "done", "current" or "") for the five gates; an activity
    closed unfinished at the year's end shows the gates it passed, then how it ended (not finished, carried over)."""
    if activity.stage in UNFINISHED_STAGES:
        left = (
            StageChange.objects.filter(activity=activity, to_stage=activity.stage)
            .order_by("-created_at", "-id")
            .values_list("from_stage", flat=True)
            .first()
        )
        passed = STAGE_ORDER[: STAGE_ORDER.index(left) + 1] if left in STAGE_ORDER else []
        return [(stage, Stage(stage).label, "done") for stage in passed] + [
            (activity.stage, activity.get_stage_display(), "current")
        ]
    index = STAGE_ORDER.index(activity.stage)
    return [
        (stage, Stage(stage).label, "done" if i < index else "current" if i == index else "")
        for i, stage in enumerate(STAGE_ORDER)
    ]


def completed_on(activity: Activity):
    """The day the activity was completed (WITA), or None while it is not: ``Activity.completed_on`` where the model
    keeps it, else the day of its last move to the completed stage."""
    if activity.stage_index < Stage.values.index(Stage.COMPLETED):
        return None
    stored = getattr(activity, "completed_on", None)
    if stored is not None:
        return stored
    change = (
        StageChange.objects.filter(activity=activity, to_stage=Stage.COMPLETED).order_by("-created_at", "-id").first()
    )
    return timezone.localdate(change.created_at) if change else None


def linked_reports(activity: Activity) -> dict:
    """The reports linked to the activity: how many in all, and the public ones (newest first, at most
    ``PUBLIC_TICKETS_SHOWN``) with how many there are; the others are only counted."""
    total = activity.ticket_links.count()
    public = public_tickets().filter(activity_links__activity=activity)
    public_count = public.count() if total else 0
    shown = (
        list(
            public.select_related("service", "area")
            .defer("area__boundary", "description")
            .order_by("-created_at", "-id")[:PUBLIC_TICKETS_SHOWN]
        )
        if public_count
        else []
    )
    return {
        "total": total,
        "public_count": public_count,
        "not_public": total - public_count,
        "shown": shown,
        "more": public_count - len(shown),
    }


@require_safe
def public_activity(request, pk: int):
    activities = queries.with_figures(Activity.objects.filter(pk=pk)).prefetch_related(
        Prefetch("kelurahans", queryset=Area.objects.select_related("parent").defer("boundary", "parent__boundary")),
        "services",
    )
    activity = get_object_or_404(activities.select_related("fiscal_year", "carried_over_from__fiscal_year"))
    figures = queries.figures_of(activity)
    evaluation = activity.evaluations.order_by("-created_at", "-id").first()
    services = list(activity.services.all())
    context = {
        "activity": activity,
        "figures": figures,
        "budgeted": activity.original_total is not None or activity.revised_total is not None,
        "completed_on": completed_on(activity),
        "stage_meaning": STAGE_MEANINGS.get(activity.stage, ""),
        "stages": stage_steps(activity),
        # The year before's activity whose work this one continues, and the next year's that continues this one.
        "carried_over_from": activity.carried_over_from,
        "continuation": queries.continuation_of(activity),
        "kelurahans": activity.kelurahans.all(),
        "services": services,
        # The figures from the reports in the area count the public ones only: a confidential report never enters a
        # public figure, even as a count (``queries.activity_area_tickets``). The page says so, naming the services
        # whose reports are confidential unless the citizen chose otherwise (ODGJ, RTLH, puskesmas): their
        # activity's figures read "0.0 (n = 0)" while the staff page counted 8.
        "confidential_services": ", ".join(
            service.name for service in services if service.default_privacy == Service.Privacy.CONFIDENTIAL
        ),
        "evaluation": evaluation,
        # The proposal the activity was accepted from (none when a planner entered it directly), on its public page.
        "proposal": Proposal.objects.filter(activity=activity).only("pk", "title", "source").first(),
        "reports": linked_reports(activity),
        "service": queries.service_indicators(activity, public=True),
        "chart": queries.progress_chart(activity),
        "chart_series": chart_series(),
        # The figures are read at each request: the page says when, and under which licence they may be reused, as
        # the public dashboard does (its open data licence).
        "as_of": timezone.now(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }
    return render(request, "planning/public_activity.html", context)


class PublicProposalFilterForm(forms.Form):
    """The public proposals page's filters. ``tahun`` as on the public dashboard; without it (or with a year that has
    no proposals' calendar) the list is the year proposals are being collected for (``queries.proposal_year``)."""

    tahun = forms.TypedChoiceField(label=gettext_lazy("Fiscal year"), required=False, coerce=int, empty_value=None)
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"),
        queryset=Area.objects.filter(level=Area.Level.KECAMATAN).defer("boundary").order_by("name"),
        required=False,
        empty_label=gettext_lazy("All kecamatan"),
    )
    kelurahan = forms.ModelChoiceField(
        label=gettext_lazy("Kelurahan"),
        queryset=kelurahan_choices().order_by("name", "parent__name"),
        required=False,
        empty_label=gettext_lazy("All kelurahan"),
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        years = set(FiscalYear.objects.values_list("year", flat=True)) | {default_year}
        self.fields["tahun"].choices = [(year, str(year)) for year in sorted(years, reverse=True)]
        self.fields["kelurahan"].label_from_instance = kelurahan_label
        # Read once as a list (iter: list() of the queryset's choices would count them first, a query more each).
        for name in ("kecamatan", "kelurahan"):
            self.fields[name].choices = list(iter(self.fields[name].choices))
        self.fields["source"].choices = [("", _("All sources")), *Proposal.Source.choices]
        self.fields["status"].choices = [("", _("Any status")), *Proposal.Status.choices]

    def clean(self):
        return refuse_kelurahan_outside_kecamatan(self, super().clean())


def review_standing(proposal: Proposal) -> dict:
    """Where ``proposal`` stands, in plain words, from its ``public_reviews`` (``queries.public_proposals``): the
    levels that recommended it, then the level reviewing it now, the one that turned it down and its reason, or the
    activity of the plan it became. Never who reviewed, nor a recommending level's note."""
    reviews = proposal.public_reviews
    recommended_by = [
        ReviewLevel(review.level).label for review in reviews if review.decision == ProposalReview.Decision.RECOMMEND
    ]
    standing = {
        "recommended_by": recommended_by,
        "reason": "",
        "activity": None,
        # The linked reports beyond the public ones named (``queries.PUBLIC_PROPOSAL_TICKETS_SHOWN``), and those
        # nobody but the staff may open: counted only.
        "more_public": proposal.n_public_tickets - len(proposal.public_links),
        "not_public": proposal.n_tickets - proposal.n_public_tickets,
    }
    if proposal.status == Proposal.Status.ACCEPTED:
        standing["activity"] = proposal.activity
        standing["words"] = _("Accepted into the city's plan.")
    elif proposal.status == Proposal.Status.DECLINED:
        declined = next((r for r in reviews if r.decision == ProposalReview.Decision.DECLINE), None)
        if declined is None:
            standing["words"] = _("Turned down.")
        else:
            standing["words"] = _("Turned down at the %(level)s level.") % {"level": ReviewLevel(declined.level).label}
            standing["reason"] = declined.note
    else:
        done = {review.level for review in reviews}
        waiting = next((level for level in REVIEW_CHAIN if level not in done), None)
        if waiting is None:
            standing["words"] = _("Recommended at every level; waiting for Bappeda to accept it into the plan.")
        else:
            standing["words"] = _("Under review at the %(level)s level.") % {"level": ReviewLevel(waiting).label}
    return standing


@require_safe
def public_proposals(request):
    # The year whose Musrenbang runs today, read once: it is the default year then, the year shown most often, and
    # the one open to community proposals.
    running = queries.musrenbang_fiscal_year()
    default_year = running.year if running is not None else queries.proposal_year()
    form = PublicProposalFilterForm(request.GET or None, default_year=default_year, initial={"tahun": default_year})
    filters = {}
    if form.is_bound:
        form.is_valid()  # a refused field is named on the page; the others still filter (cleaned_data keeps them)
        filters = form.cleaned_data
    year = filters.get("tahun") or default_year
    proposals = queries.public_proposals(
        year=year,
        kecamatan=filters.get("kecamatan"),
        kelurahan=filters.get("kelurahan"),
        source=filters.get("source", ""),
        status=filters.get("status", ""),
    )
    page = RememberedCountPaginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # When the forums gather proposals and when the plan and budget decide them: citizens asked at the kelurahan
    # office, as the calendar was only on the planners' board.
    if running is not None and running.year == year:
        fiscal_year = running
    else:
        fiscal_year = FiscalYear.objects.filter(year=year).first()
    calendar = queries.calendar_position(fiscal_year) if fiscal_year else []
    # Citizens send proposals online while the Musrenbang runs; outside it, the page says when it opens next.
    community_year, community_closed = community.community_window(community.open_to_community(running))
    context = {
        "community_year": community_year,
        "community_closed": community_closed,
        "form": form,
        "year": year,
        "calendar": calendar,
        "musrenbang_now": next((s for s in calendar if s["code"] == "musrenbang" and s["state"] == "current"), None),
        "page": page,
        "rows": [(proposal, review_standing(proposal)) for proposal in page.object_list],
        "query": query.urlencode(),
        "as_of": timezone.now(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }
    return render(request, "planning/public_proposals.html", context)


@require_safe
def public_proposal(request, pk: int):
    """One proposal as the list shows it: the address the public activity page links back to."""
    proposal = get_object_or_404(queries.public_proposals().filter(pk=pk))
    context = {
        "proposal": proposal,
        "standing": review_standing(proposal),
        "as_of": timezone.now(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }
    return render(request, "planning/public_proposal.html", context)


# --- community proposals: a citizen sends one, and follows it ---------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def community_proposal_new(request):
    """The form a signed-in citizen sends a proposal with, while the Musrenbang runs. A refused form comes back with
    what was typed and its photos (400); outside the Musrenbang the page says when the next one opens, and a form
    sent then is refused with it."""
    fiscal_year = community.community_year()
    form = CommunityProposalForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if fiscal_year is None:
            form.is_valid()
            form.add_error(None, community.closed_message())
        elif form.is_valid():
            try:
                proposal = community.send_community_proposal(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
                if getattr(error, "code", None) == "rate":
                    status = 429  # too many today: said above the form, what was typed kept
            else:
                form.forget_kept_photos()
                messages.success(
                    request,
                    _(
                        "Thank you: your proposal was sent for fiscal year %(year)s. The kelurahan level reviews it "
                        "first; you get an email at each decision."
                    )
                    % {"year": proposal.fiscal_year.year},
                )
                return redirect(f"{reverse('planning:my_proposals')}#usulan-{proposal.pk}")
        form.keep_photos()  # the photos come back ticked instead of having to be picked again
        if form.errors and status == 200:
            status = 400
    context = {
        "form": form,
        "fiscal_year": fiscal_year,
        "closed": "" if fiscal_year else community.closed_message(),
    }
    return render(request, "planning/public_community_form.html", context, status=status)


def my_standing(proposal) -> dict:
    """Where the citizen's own proposal stands: ``review_standing``'s plain words (the public ones), read from the
    prefetched reviews."""
    proposal.public_reviews = list(proposal.reviews.all())
    proposal.n_public_tickets = proposal.n_tickets = 0
    proposal.public_links = []
    return review_standing(proposal)


@login_required
@require_safe
def my_proposals(request):
    """The community proposals the signed-in citizen sent, with their text, photos and where each stands: theirs
    alone (another citizen's are never listed here, and have no other private page)."""
    proposals = list(community.proposals_of(request.user))
    context = {
        "rows": [(proposal, my_standing(proposal), community.correctable(proposal)) for proposal in proposals],
    }
    context["community_year"], context["community_closed"] = community.community_window(community.community_year())
    return render(request, "planning/public_my_proposals.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_proposal_correct(request, pk: int):
    """The citizen corrects the title, problem and estimated cost of a proposal they sent, until its first review
    (``edit_proposal``'s rules and messages); another's proposal, or one entered by staff, is not found. A refused
    form comes back as typed (400); once a review is recorded the page says the proposal can no longer be changed."""
    proposal = get_object_or_404(community.proposals_of(request.user), pk=pk)
    correctable = community.correctable(proposal)
    form = None
    status = 200
    if request.method == "POST":
        form = CommunityProposalTextForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # Left empty, the cost is "not estimated yet" (Rp 0), as when the proposal was sent.
                edit_proposal(
                    actor=request.user,
                    proposal=proposal,
                    title=data["title"],
                    problem=data["problem"],
                    estimated_cost=data["estimated_cost"] or 0,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Your proposal was corrected."))
                return redirect(f"{reverse('planning:my_proposals')}#usulan-{proposal.pk}")
        status = 400
    elif correctable:
        form = CommunityProposalTextForm(
            initial={
                "title": proposal.title,
                "problem": proposal.problem,
                "estimated_cost": proposal.estimated_cost or None,
            }
        )
    context = {"proposal": proposal, "form": form, "correctable": correctable}
    return render(request, "planning/public_proposal_correct.html", context, status=status)


# --- the public list of the plan's activities, with its downloads ---------------------------------


# Activities on one page of the public activities list; its downloads hold every activity the filters keep.
ACTIVITIES_PER_PAGE = 25
ACTIVITY_FILE_FORMATS = ("csv", "json")
# The downloads' columns: what each activity's public page shows, plus the codes and the page's address a researcher
# joins other files with (the public dashboard's activities file has the same id, codes and address). Never a budget
# line, a payment document, a note, a finding or a name (the module's docstring). Rupiah as whole numbers.
PUBLIC_ACTIVITY_COLUMNS = (
    ("id", gettext_lazy("Activity id")),
    ("code", gettext_lazy("Activity code")),
    ("name", gettext_lazy("Activity")),
    ("department_code", gettext_lazy("Department code")),
    ("department", gettext_lazy("Department")),
    ("programme_code", gettext_lazy("Programme code")),
    ("programme", gettext_lazy("Programme")),
    ("kelurahan_codes", gettext_lazy("Kelurahan codes")),
    ("kelurahan", gettext_lazy("Kelurahan")),
    ("service_codes", gettext_lazy("Service codes")),
    ("services", gettext_lazy("Services")),
    ("fiscal_year", gettext_lazy("Fiscal year")),
    ("stage", gettext_lazy("Stage code")),
    ("stage_label", gettext_lazy("Stage")),
    ("start_date", gettext_lazy("Planned start")),
    ("end_date", gettext_lazy("Planned end")),
    ("budget", gettext_lazy("Current budget (Rp)")),
    ("realised", gettext_lazy("Realised (Rp)")),
    ("absorption", gettext_lazy("Budget absorption (%)")),
    ("physical", gettext_lazy("Physical progress (%)")),
    ("physical_verified", gettext_lazy("Physical progress verified")),
    ("grade", gettext_lazy("Evaluation grade code")),
    ("grade_label", gettext_lazy("Evaluation grade")),
    ("public_reports", gettext_lazy("Linked public reports")),
    ("page", gettext_lazy("Public page")),
)


class PublicActivityFilterForm(forms.Form):
    """The public activities list's filters, by code as on the public dashboard, so that an address a researcher
    writes reads what it lists (``?tahun=2026&department=pupr&kecamatan=63.71.05``). ``tahun`` defaults to the year
    in execution (``queries.current_fiscal_year``)."""

    tahun = forms.TypedChoiceField(label=gettext_lazy("Fiscal year"), required=False, coerce=int, empty_value=None)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=in_choosing_order(Department.objects.all()),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All departments"),
    )
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"),
        queryset=Area.objects.filter(level=Area.Level.KECAMATAN).defer("boundary").order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All kecamatan"),
    )
    kelurahan = forms.ModelChoiceField(
        label=gettext_lazy("Kelurahan"),
        queryset=kelurahan_choices().order_by("name", "parent__name"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All kelurahan"),
    )
    service = forms.ModelChoiceField(
        label=gettext_lazy("Service"),
        queryset=Service.objects.order_by("-active", "name_id"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All services"),
    )
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), required=False)

    def __init__(self, *args, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        years = set(FiscalYear.objects.values_list("year", flat=True)) | {default_year}
        self.fields["tahun"].choices = [(year, str(year)) for year in sorted(years, reverse=True)]
        self.fields["department"].label_from_instance = choice_label
        self.fields["kelurahan"].label_from_instance = kelurahan_label
        self.fields["service"].label_from_instance = lambda service: labelled(service.name, active=service.active)
        self.fields["stage"].choices = [("", _("Any stage")), *Stage.choices]

    def read_choices(self) -> None:
        """The pickers' choices read once as lists, for the page (iter: list() of a queryset's choices would count
        them first, a query more each); a download names its filters without reading them."""
        for name in ("department", "kecamatan", "kelurahan", "service"):
            self.fields[name].choices = list(iter(self.fields[name].choices))

    def clean(self):
        return refuse_kelurahan_outside_kecamatan(self, super().clean())

    def chosen(self, year: int) -> dict:
        """The filters applied, as the address names them (codes), for the JSON and the file's name."""
        data = getattr(self, "cleaned_data", {})
        chosen = {"tahun": year}
        for name in ("department", "kecamatan", "kelurahan", "service"):
            picked = data.get(name)
            chosen[name] = picked.code if picked is not None else None
        chosen["stage"] = data.get("stage") or None
        return chosen


def _as_number(value):
    """A one-decimal percentage (``one_decimal``, half up, as the pages round it) as a JSON number."""
    number = one_decimal(value)
    return float(number) if number is not None else None


def public_activity_row(activity: Activity, page: str) -> dict:
    """One activity of the list (``queries.public_activities``, its kelurahan and services prefetched) as the page
    and the files read it: what its public page shows, and ``page``, that page's address. A budget not approved yet
    and a physical progress nobody reported are None ("Not budgeted yet", "No report yet" on the pages), not 0."""
    figures = queries.figures_of(activity)
    budgeted = activity.original_total is not None or activity.revised_total is not None
    kelurahans = list(activity.kelurahans.all())
    services = list(activity.services.all())
    return {
        "id": activity.pk,
        "code": activity.code,
        "name": activity.name,
        "department_code": activity.department.code,
        "department": activity.department.name,
        "programme_code": activity.programme.code if activity.programme else None,
        "programme": activity.programme.name if activity.programme else None,
        "kelurahan_codes": [area.code for area in kelurahans],
        "kelurahan": [kelurahan_label(area) for area in kelurahans],
        "service_codes": [service.code for service in services],
        "services": [service.name for service in services],
        "fiscal_year": activity.fiscal_year.year,
        "stage": activity.stage,
        "stage_label": activity.get_stage_display(),
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "budget": whole_rupiah(figures["budget"]) if budgeted else None,
        "realised": whole_rupiah(figures["realised"]),
        "absorption": _as_number(figures["financial_pct"]) if budgeted else None,
        "physical": _as_number(figures["physical_pct"]) if figures["physical_reported"] else None,
        "physical_verified": figures["physical_verified"] if figures["physical_reported"] else None,
        "grade": activity.grade,
        "grade_label": Grade(activity.grade).label if activity.grade else None,
        "public_reports": activity.n_public_tickets,
        "page": page,
    }


def _csv_cell(value):
    """A cell of the CSV: lists joined by "; ", nothing for None, Yes/No, text that would start a formula as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return as_text_cell(value)


def _activities_file(fmt: str, rows: list[dict], *, title: str, chosen: dict, computed_at) -> HttpResponse:
    """The filtered list as CSV (a header and the rows, each ending with the time computed, nothing else: a title
    or a licence line would be read as one more row) or JSON (the rows with their columns, the filters, the time and
    the licence), named by what it holds, the licence in an HTTP ``Link`` header, as the public dashboard's files."""
    if fmt == "json":
        body = {
            "dataset": {
                "key": "activities",
                "title": title,
                "columns": [{"key": key, "label": str(label)} for key, label in PUBLIC_ACTIVITY_COLUMNS],
                "rows": rows,
                "count": len(rows),
            },
            "computed_at": timezone.localtime(computed_at).isoformat(),
            "filters": chosen,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        }
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel reads UTF-8 ("Rp", "–") only after a byte order mark
        writer = csv.writer(response)
        writer.writerow([*(str(label) for _key, label in PUBLIC_ACTIVITY_COLUMNS), str(COMPUTED_AT_HEADER)])
        stamp = in_wita(computed_at).strftime(CSV_TIME_FORMAT)
        for row in rows:
            writer.writerow([*(_csv_cell(row[key]) for key, _label in PUBLIC_ACTIVITY_COLUMNS), stamp])
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Last-Modified"] = http_date(computed_at.timestamp())
    parts = ["kegiatan", f"tahun-{chosen['tahun']}"]
    parts += [
        f"{name}-{re.sub(r'[^A-Za-z0-9._]+', '-', value)}"
        for name, value in chosen.items()
        if name != "tahun" and value
    ]
    parts.append(f"{in_wita(computed_at):%Y-%m-%d-%H%M}-WITA")
    response["Content-Disposition"] = f'attachment; filename="{"-".join(parts)}.{fmt}"'
    return response


def _refused_download(fmt: str, form_errors) -> HttpResponse:
    """400 naming each refused filter and why, as the public dashboard's downloads answer: the file without it would
    list more than was asked for, which a script would take for the answer."""
    errors = {name: [str(message) for message in messages] for name, messages in form_errors.items()}
    detail = _("These filters were refused, so nothing was computed: %(names)s.") % {"names": ", ".join(errors)}
    if fmt == "json":
        return JsonResponse({"detail": detail, "errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    lines = [detail, *(f"{name}: {message}" for name, messages in errors.items() for message in messages)]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


@require_safe
def public_activities(request):
    """The activities of the city's plan, anyone may browse and download: a fiscal year's (the year in execution
    unless ``tahun`` names another), by department, kecamatan or kelurahan, service and stage, 25 a page, each with
    what its public page shows (``public_activity_row``) and a link to it. ``?format=csv`` or ``json`` downloads
    every activity the filters keep; a refused filter refuses the download (400) rather than give a wider list."""
    fmt = request.GET.get("format", "")
    if fmt and fmt not in ACTIVITY_FILE_FORMATS:
        raise Http404
    current = queries.current_fiscal_year()
    default_year = current.year if current is not None else queries.today().year
    data = filter_names.canonical(request.GET)  # ``?dinas=pupr&tahap=...`` as on the staff activity list
    data.pop("format", None)
    data.pop("page", None)
    form = PublicActivityFilterForm(data or None, default_year=default_year, initial={"tahun": default_year})
    filters = {}
    if form.is_bound:
        form.is_valid()  # a refused field is named on the page; the others still filter (cleaned_data keeps them)
        filters = form.cleaned_data
    if fmt and (refused := {**filter_names.unknown(request.GET, [*form.fields, "format", "page"]), **form.errors}):
        return _refused_download(fmt, refused)
    year = filters.get("tahun") or default_year
    activities = queries.public_activities(
        year=year,
        department=filters.get("department"),
        kecamatan=filters.get("kecamatan"),
        kelurahan=filters.get("kelurahan"),
        service=filters.get("service"),
        stage=filters.get("stage", ""),
    ).prefetch_related(
        Prefetch("kelurahans", queryset=Area.objects.select_related("parent").defer("boundary", "parent__boundary")),
        "services",
    )
    computed_at = timezone.now()
    title = _("Activities of the city's plan, fiscal year %(year)s") % {"year": year}
    if fmt:
        rows = [
            public_activity_row(
                activity, request.build_absolute_uri(reverse("planning:public_activity", args=[activity.pk]))
            )
            for activity in activities
        ]
        return _activities_file(fmt, rows, title=title, chosen=form.chosen(year), computed_at=computed_at)
    form.read_choices()
    page = RememberedCountPaginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "year": year,
        "title": title,
        "page": page,
        "rows": [
            (activity, public_activity_row(activity, reverse("planning:public_activity", args=[activity.pk])))
            for activity in page.object_list
        ],
        "stage_meanings": [(Stage(stage).label, meaning) for stage, meaning in STAGE_MEANINGS.items()],
        "query": data.urlencode(),
        "as_of": computed_at,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }
    return render(request, "planning/public_activities.html", context)
