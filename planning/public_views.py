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

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from complaints.forms import kelurahan_choices, kelurahan_label, refuse_kelurahan_outside_kecamatan
from complaints.queries import public_tickets
from dashboards.queries.base import LICENCE, LICENCE_URL
from services.models import Area, Service
from smartcity.form_errors import add_action_errors
from smartcity.pagination import RememberedCountPaginator

from . import queries
from .actions import community
from .forms import CommunityProposalForm
from .models import (
    REVIEW_CHAIN,
    STAGE_ORDER,
    UNFINISHED_STAGES,
    Activity,
    FiscalYear,
    Proposal,
    ProposalReview,
    ReviewLevel,
    Stage,
    StageChange,
)

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
        "rows": [(proposal, my_standing(proposal)) for proposal in proposals],
    }
    context["community_year"], context["community_closed"] = community.community_window(community.community_year())
    return render(request, "planning/public_my_proposals.html", context)
