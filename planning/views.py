"""Staff pages of the planning cycle: they parse input, call actions and queries, and render.

A form that is refused (bad input, or an action's ``ValidationError``) comes back as its page with status 400, the
typed values kept and each reason next to its field, as on the staff ticket page; only success and a refused role
(``PermissionDenied``) redirect, with a message.
"""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.roles import CITY_STAFF_ROLES, INSPECTOR, PLANNER, has_role, sees_citizens
from complaints.forms import kelurahan_label
from complaints.queries import headed_department_ids, staff_tickets, tickets_visible_to
from services.areas import boundaries_geojson
from services.models import Department
from smartcity.form_errors import add_action_errors
from smartcity.pagination import RememberedCountPaginator
from smartcity.views import NotSetUpYet

from . import actions, forms, imports, queries
from .actions.evaluation import department_year_refusal
from .actions.year_end import carry_over_target, left_open, left_open_by_stage
from .models import (
    Activity,
    BudgetChange,
    BudgetLine,
    BudgetVersion,
    Evaluation,
    FiscalYear,
    ImportJob,
    IndicatorValue,
    Milestone,
    ProgressReport,
    Proposal,
    ReviewLevel,
)
from .public_views import chart_series, stage_steps

# Every city worker may read the plan; what each may change is checked per action.
PLANNING_ROLES = CITY_STAFF_ROLES
BUDGET_HISTORY_SHOWN = 30
LINKED_REPORTS_SHOWN = 50
INLINE_ACTION_FORMS = {"verify", "verify_value", "indicator_value", "milestone_met"}
# Proposals on one page of the board (Musrenbang across 52 kelurahan brings hundreds).
BOARD_PAGE_SIZE = 25
# What of a query string is the board's: its year, filters, order and page. A proposal page carries it (``papan``)
# so its way back is to the list as the planner left it.
BOARD_QUERY_KEYS = ("tahun", *forms.BoardFilterForm.base_fields, "page")
BOARD_QUERY_LONGEST = 1000


def _staff_only(user) -> None:
    if not has_role(user, *PLANNING_ROLES):
        raise PermissionDenied(_("The planning pages are for city staff."))


def _year(request) -> FiscalYear:
    """The year asked for (``tahun``), else the current year. For the planning menu, a year not asked for is marked
    ``defaulted`` (its other pages pick their own default instead of carrying this one along), and
    ``proposal_year`` is the year its "New proposal" and "Complaint evidence" open: the year asked for while its
    execution has not started, else the planning cycle's (``queries.proposal_year``), set up or not."""
    year = request.GET.get("tahun") or request.POST.get("tahun")
    chosen = bool(year and year.isdigit())
    fiscal_year = FiscalYear.objects.filter(year=year).first() if chosen else queries.current_fiscal_year()
    if fiscal_year is None:
        if FiscalYear.objects.exists():
            raise Http404()  # a year asked for that is not there
        raise NotSetUpYet(
            _(
                "No fiscal year has been set up yet. An administrator adds one, with its grade bands and stage "
                "calendar, under Planning and budget › Fiscal years in the administration."
            ),
            setup_url=reverse("admin:planning_fiscalyear_add"),
        )
    return _menu_year(fiscal_year, chosen=chosen)


def _menu_year(fiscal_year: FiscalYear, *, chosen: bool = True) -> FiscalYear:
    """``fiscal_year`` ready for the planning menu (``_nav.html``): ``defaulted`` when nobody chose it, and the year its
    "New proposal" and "Complaint evidence" open (``proposal_year``): this one while its execution has not started
    (a chosen year still being planned), else the planning cycle's (``queries.proposal_year``), as the README says of
    both pages. An activity's or a proposal's page shows the menu of its year: the evidence link there opened the
    activity's year in execution (2026), the board's the year being planned (2027)."""
    fiscal_year.defaulted = not chosen
    planning_it = chosen and fiscal_year.execution_start > queries.today()
    fiscal_year.proposal_year = fiscal_year.year if planning_it else queries.proposal_year()
    return fiscal_year


def _proposal_year(request) -> tuple[FiscalYear | None, object, str]:
    """The fiscal year a new proposal is for (new proposal, complaint evidence): the one asked for (``tahun``), else
    the planning cycle's (``queries.proposal_year``: in December 2026 and January 2027 not the year ending or over).
    Returns that year, or None when it is not set up yet or is over; the year the planning menu shows (a stand-in
    with its number when it is not set up); and what the page says when there is nothing to file into, naming who
    sets the year up: the page never falls back on another year in silence."""
    asked = request.GET.get("tahun") or request.POST.get("tahun")
    chosen = bool(asked and asked.isdigit())
    number = int(asked) if chosen else queries.proposal_year()
    fiscal_year = FiscalYear.objects.filter(year=number).first()
    notice = ""
    if fiscal_year is None:
        notice = _(
            "New proposals are for fiscal year %(year)s, which has not been set up yet. An administrator adds it, "
            "with its stage calendar and grade bands, under Planning and budget › Fiscal years in the "
            "administration; until then no proposal can be entered for it."
        ) % {"year": number}
        menu_year = SimpleNamespace(year=number, defaulted=True, proposal_year=number)
        return None, menu_year, notice
    fiscal_year.defaulted = not chosen
    fiscal_year.proposal_year = number
    if fiscal_year.is_over(queries.today()):
        notice = actions.proposals.year_over_message(fiscal_year)
        fiscal_year.proposal_year = queries.proposal_year()
        return None, fiscal_year, notice
    return fiscal_year, fiscal_year, notice


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _refused(form) -> str:
    """What the page says above a refused form: every reason, with its field's label (the small inline forms of
    the activity page have no room for them next to their inputs), one sentence each: reasons end with a full stop,
    and joining them with "; " read "… 18 digits.; Date: …"."""
    return " ".join(
        _sentence(f"{form.fields[field].label}: {' '.join(errors)}")
        if field in form.fields and form.fields[field].label
        else _sentence(" ".join(errors))
        for field, errors in form.errors.items()
    )


@login_required
def board(request):
    _staff_only(request.user)
    fiscal_year = _year(request)
    stages = queries.stage_counts(fiscal_year)
    # The year is over and work is neither completed nor closed: the planner sees it city-wide, by stage, as the
    # department pages list it (no department's year can be evaluated over it).
    left_open_stages = left_open_by_stage(fiscal_year, stages)
    context = {
        "fiscal_year": fiscal_year,
        "years": FiscalYear.objects.values_list("year", flat=True),
        "calendar": queries.calendar_position(fiscal_year),
        "stages": stages,
        "left_open": left_open_stages,
        "left_open_total": sum(n for _value, _label, n in left_open_stages),
        **_board_proposals(request, fiscal_year),
        "clusters": queries.evidence_clusters(fiscal_year=fiscal_year, limit=8),
        "departments": Department.objects.filter(activities__fiscal_year=fiscal_year).distinct(),
        "overdue": queries.overdue_milestones(fiscal_year=fiscal_year)[:10],
        "is_planner": has_role(request.user, PLANNER),
    }
    return render(request, "planning/board.html", context)


def _board_query(data: QueryDict) -> str:
    """The board's part of ``data`` as a query string (``BOARD_QUERY_KEYS``, empty values left out)."""
    kept = QueryDict(mutable=True)
    for key in BOARD_QUERY_KEYS:
        if value := data.get(key, ""):
            kept[key] = value
    query = kept.urlencode()
    return query if len(query) <= BOARD_QUERY_LONGEST else ""


def _carried_board_query(request) -> str:
    """The board's query string a proposal page carries (``papan``: in its address, and in its forms)."""
    return _board_query(QueryDict(request.GET.get("papan") or request.POST.get("papan") or ""))


def _standing(proposal: Proposal) -> str:
    """Where a proposal of the board stands, in the public proposals page's words: the level it waits for, or its
    decision."""
    if proposal.status != Proposal.Status.IN_REVIEW:
        return proposal.get_status_display()
    if proposal.waiting_at:
        return _("Under review at the %(level)s level.") % {"level": ReviewLevel(proposal.waiting_at).label}
    return _("Recommended at every level; waiting for Bappeda to accept it into the plan.")


def _board_proposals(request, fiscal_year: FiscalYear) -> dict:
    """The board's proposals section: the filters as chosen (a refused one is named, the others still filter), a
    page of the proposals, and the query strings its pages and its proposals' way back keep."""
    form = forms.BoardFilterForm(request.GET)
    form.is_valid()
    proposals = queries.board_proposals(fiscal_year, **form.filters())
    page = RememberedCountPaginator(proposals, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.standing = _standing(proposal)
        proposal.place = kelurahan_label(proposal.area)
    pages = request.GET.copy()
    pages.pop("page", None)
    return {
        "filter_form": form,
        "page": page,
        "query": _board_query(pages),
        "board_query": _board_query(request.GET),
        "sources": queries.proposal_sources(fiscal_year),
    }


@login_required
def evidence(request):
    _staff_only(request.user)
    fiscal_year, menu_year, notice = _proposal_year(request)
    clusters = queries.evidence_clusters(fiscal_year=fiscal_year, limit=60)
    _show_cluster_reports(request.user, clusters)
    points = [
        {
            "lat": c["area"].label_lat,
            "lng": c["area"].label_lng,
            "count": c["count"],
            "label": f"{c['service'].name} · {c['area'].name}: {c['count']}",
        }
        for c in clusters
    ]
    context = {
        # The menu's year; ``proposal_year`` is the year proposed into, None when there is none (``notice``).
        "fiscal_year": menu_year,
        "proposal_year": fiscal_year,
        "notice": notice,
        "clusters": clusters,
        "map_data": {"boundaries": boundaries_geojson(), "points": points, "tiles": queries.map_tiles()},
        "is_planner": has_role(request.user, PLANNER),
    }
    return render(request, "planning/evidence.html", context)


def _show_cluster_reports(user, clusters: list[dict]) -> None:
    """Which reports make up each cluster, for planners and inspectors, and for a department head the clusters of
    their department (the service's default department, or one handling a report of the cluster). Each report links
    to its staff page when the user may open it there, else to its public page: evidence is public reports only, so
    no confidential one is ever listed."""
    if has_role(user, PLANNER, INSPECTOR):
        shown = clusters
    else:
        heads = headed_department_ids(user)
        if not heads:
            return
        departments = queries.cluster_departments(clusters)
        shown = [
            c
            for c in clusters
            if heads & ({c["service"].default_department_id} | departments.get((c["service"].pk, c["area"].pk), set()))
        ]
    reports = queries.cluster_reports(shown)
    _mark_staff_pages(user, [ticket for items in reports.values() for ticket in items])
    for cluster in shown:
        items = reports.get((cluster["service"].pk, cluster["area"].pk), [])
        cluster["reports"] = items
        cluster["more_reports"] = cluster["count"] - len(items)


def _mark_staff_pages(user, tickets) -> list:
    """The reports a planning page lists, each marked ``staff_page`` when ``user`` may open it on the staff side
    (``staff_tickets``: the department handling it, the inspectorate), where its internal history is; else it links
    to its public page. One query for the whole list. Which reports are listed at all is the caller's rule."""
    tickets = list(tickets)
    openable = set(staff_tickets(user).filter(pk__in=[t.pk for t in tickets]).values_list("pk", flat=True))
    for ticket in tickets:
        ticket.staff_page = ticket.pk in openable
    return tickets


@login_required
@require_POST
def propose_from_evidence(request):
    fiscal_year, _menu_year, notice = _proposal_year(request)
    form = forms.EvidenceProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cluster of reports."))
        return redirect("planning:evidence")
    if fiscal_year is None:
        messages.error(request, notice)
        return redirect("planning:evidence")
    try:
        proposal = actions.propose_from_evidence(actor=request.user, fiscal_year=fiscal_year, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
        return redirect("planning:evidence")
    messages.success(request, _("Proposal created with %(n)s reports attached.") % {"n": proposal.tickets.count()})
    if proposal.left_out:
        messages.info(
            request,
            ngettext(
                "%(n)s report of this cluster was left out: it is already linked to an activity in the plan.",
                "%(n)s reports of this cluster were left out: they are already linked to activities in the plan.",
                proposal.left_out,
            )
            % {"n": proposal.left_out},
        )
    return redirect("planning:proposal", pk=proposal.pk)


@login_required
def proposal_new(request):
    _staff_only(request.user)
    departments = actions.proposing_departments(request.user)
    if not departments.exists():
        # Asked before anything is typed: finance and the inspectorate used to fill the form in to be refused.
        raise PermissionDenied(_("Only planners or staff of the department may enter a proposal."))
    fiscal_year, menu_year, notice = _proposal_year(request)
    form = forms.ProposalForm(request.POST or None, request.FILES or None, departments=departments)
    status = 200
    if request.method == "POST" and fiscal_year is None:
        form.add_error(None, notice)
    elif request.method == "POST" and form.is_valid():
        try:
            proposal = actions.submit_proposal(actor=request.user, fiscal_year=fiscal_year, **form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            status = 403
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            form.forget_kept_photos()
            messages.success(request, _("Proposal entered."))
            return redirect("planning:proposal", pk=proposal.pk)
    if request.method == "POST":
        form.keep_photos()  # the photos come back ticked instead of having to be picked again
    if form.errors:
        status = 400
    context = {
        "form": form,
        "fiscal_year": menu_year,
        "proposal_year": fiscal_year,
        "notice": notice,
        "error": _refused(form) if form.errors else "",
    }
    return render(request, "planning/proposal_form.html", context, status=status)


def _linked_reports(user, *behind, **link) -> list:
    """The first reports linked to a proposal or an activity (``behind``, ``link``: the filter naming it) that
    ``user`` may open (``tickets_visible_to``: a confidential one only to whom it is shown elsewhere), each linking to
    its staff page when the user may open it there (``_mark_staff_pages``). The page's count says how many are
    linked."""
    listed = tickets_visible_to(user).filter(*behind, **link).distinct().select_related("area")
    return _mark_staff_pages(user, listed[:LINKED_REPORTS_SHOWN])


def _proposal_page(request, pk: int, *, bound: dict | None = None, status: int = 200):
    """The proposal page; ``bound`` holds the refused review or accept form, shown as the user left it."""
    _staff_only(request.user)
    bound = bound or {}
    proposal = get_object_or_404(
        Proposal.objects.select_related("area", "department", "service", "fiscal_year", "activity", "proposer"), pk=pk
    )
    _menu_year(proposal.fiscal_year)
    level = actions.next_review_level(proposal) if proposal.status == Proposal.Status.IN_REVIEW else None
    can_accept = proposal.status == Proposal.Status.IN_REVIEW and level is None and has_role(request.user, PLANNER)
    review_form = accept_form = None
    if level and actions.may_review(request.user, proposal, level):
        # Each level starts from the amount the level before it recommended (the kecamatan's Rp 900.000.000, not
        # the original estimate); the first level from the estimate.
        latest = proposal.reviews.filter(decision="recommend").order_by("-created_at", "-id").first()
        amount = latest.amount if latest else proposal.estimated_cost
        review_form = bound.get("review") or forms.ReviewForm(initial={"amount": amount})
    year_over = proposal.status == Proposal.Status.IN_REVIEW and proposal.fiscal_year.is_over(queries.today())
    if can_accept:
        # Offered in its own year while that is open, else in the year new proposals are for.
        accept_year = proposal.fiscal_year
        if year_over:
            accept_year = queries.proposal_fiscal_year() or queries.open_fiscal_years().first() or accept_year
        accept_form = bound.get("accept") or forms.AcceptForm(
            open_years=queries.open_fiscal_years(),
            department=proposal.department,
            initial={
                "fiscal_year": accept_year.year,
                "name": proposal.title,
                "start_date": accept_year.execution_start,
                "end_date": accept_year.execution_end,
            },
        )
    reviews = list(proposal.reviews.select_related("reviewer"))
    # Its proposer and planners correct it while it is in review: the reports any time, the text and cost until
    # the first review.
    in_review = proposal.status == Proposal.Status.IN_REVIEW
    editor = in_review and actions.proposals.may_edit_proposal(request.user, proposal)
    edit_form = link_form = None
    if editor and not reviews:
        edit_form = bound.get("edit") or forms.ProposalEditForm(
            prefix="edit",
            initial={"title": proposal.title, "problem": proposal.problem, "estimated_cost": proposal.estimated_cost},
        )
    if editor:
        link_form = bound.get("link") or forms.ProposalTicketsForm(prefix="link")
    refused = next(iter(bound.values()), None)
    board_query = _carried_board_query(request)
    way_on = None
    if review_form is None and accept_form is None:
        way_on = _way_on(request.user, proposal, reviews, board_query)
    context = {
        "proposal": proposal,
        # A council member reads the proposal, not who sent it online (a citizen) nor their group kept from the public.
        "sees_citizens": sees_citizens(request.user),
        "board_query": board_query,
        "board_url": reverse("planning:board") + "?" + (board_query or f"tahun={proposal.fiscal_year.year}"),
        "way_on": way_on,
        "reviews": reviews,
        # The reports behind it: linked to it, and once accepted to its activity (each once), the two counted apart.
        "tickets": _linked_reports(request.user, queries.proposal_reports(proposal)),
        "reports": Proposal.objects.filter(pk=proposal.pk).values(**queries.proposal_report_counts()).get(),
        "next_level": ReviewLevel(level).label if level else None,
        "review_form": review_form,
        "accept_form": accept_form,
        "editor": editor,
        "edit_form": edit_form,
        "edit_open": "edit" in bound,
        "link_form": link_form,
        # Filed into a year now over: it is accepted into another (the accept form's year).
        "year_over": actions.proposals.year_over_message(proposal.fiscal_year) if year_over else "",
        "error": _refused(refused) if refused is not None else "",
    }
    return render(request, "planning/proposal_detail.html", context, status=status)


def _way_on(user, proposal: Proposal, reviews: list, board_query: str) -> dict | None:
    """Where a reviewer goes once they have decided on ``proposal`` (its latest review is theirs) and nothing more
    waits for them here: the next proposal waiting for their review at the same level, first in the board's list as
    they left it (its year, area, department and source, in its order; any status, since the level says which), or
    the board itself. None for anyone else: the page then has nothing new to offer."""
    if not reviews or reviews[-1].reviewer_id != user.pk:
        return None
    level = reviews[-1].level
    chosen = QueryDict(board_query)
    form = forms.BoardFilterForm(chosen)
    form.is_valid()
    year = chosen.get("tahun", "")
    fiscal_year = FiscalYear.objects.filter(year=year).first() if year.isdigit() else None
    listed = queries.board_proposals(fiscal_year or proposal.fiscal_year, **{**form.filters(), "status": ""})
    waiting = actions.proposals.reviewable_by(user, level, listed).exclude(pk=proposal.pk)
    following = waiting.first()
    if following is not None:
        following.place = kelurahan_label(following.area)
    return {"level": ReviewLevel(level).label, "proposal": following}


def _to_proposal(pk: int, board_query: str, anchor: str = ""):
    """Back to the proposal page after a change, keeping its way back to the board (``papan``)."""
    url = reverse("planning:proposal", args=[pk])
    if board_query:
        url += "?" + urlencode({"papan": board_query})
    return redirect(url + anchor)


@login_required
def proposal_detail(request, pk: int):
    return _proposal_page(request, pk)


def _proposal_form(request, pk: int, name: str, form, run):
    """A form of the proposal page, ``name`` in its ``bound`` forms: ``run(proposal, cleaned_data)`` calls the action,
    says what happened and returns where to go. A refused role goes back to the page with the reason; refused input
    shows the page again (400) with the form as typed and its errors. City staff only, like the page: a citizen who
    sent a proposal online is its proposer, and corrects it on "My proposals" (``public_views.my_proposal_correct``)."""
    _staff_only(request.user)
    proposal = get_object_or_404(Proposal, pk=pk)
    if form.is_valid():
        try:
            return run(proposal, form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            return redirect("planning:proposal", pk=pk)
        except ValidationError as error:
            add_action_errors(form, error)
    return _proposal_page(request, pk, bound={name: form}, status=400)


@login_required
@require_POST
def proposal_review(request, pk: int):
    def review(proposal, data):
        actions.review_proposal(
            actor=request.user,
            proposal=proposal,
            level=actions.next_review_level(proposal) or "",
            decision=data["decision"],
            note=data["note"],
            amount=data["amount"],
        )
        messages.success(request, _("Review recorded."))
        return _to_proposal(pk, _carried_board_query(request))

    return _proposal_form(request, pk, "review", forms.ReviewForm(request.POST), review)


@login_required
@require_POST
def proposal_edit(request, pk: int):
    def edit(proposal, data):
        actions.proposals.edit_proposal(actor=request.user, proposal=proposal, **data)
        messages.success(request, _("Proposal updated."))
        return _to_proposal(pk, _carried_board_query(request))

    return _proposal_form(request, pk, "edit", forms.ProposalEditForm(request.POST, prefix="edit"), edit)


@login_required
@require_POST
def proposal_link_tickets(request, pk: int):
    def link(proposal, data):
        tickets = actions.proposals.link_proposal_tickets(
            actor=request.user, proposal=proposal, references=data["references"]
        )
        messages.success(
            request, ngettext("%(n)s report linked.", "%(n)s reports linked.", len(tickets)) % {"n": len(tickets)}
        )
        return _to_proposal(pk, _carried_board_query(request), "#linked-tickets")

    return _proposal_form(request, pk, "link", forms.ProposalTicketsForm(request.POST, prefix="link"), link)


@login_required
@require_POST
def proposal_unlink_ticket(request, pk: int):
    _staff_only(request.user)
    proposal = get_object_or_404(Proposal, pk=pk)
    form = forms.UnlinkTicketForm(request.POST)
    page = reverse("planning:proposal", args=[pk]) + "#linked-tickets"
    if not form.is_valid():
        raise Http404
    ticket = get_object_or_404(proposal.tickets, pk=form.cleaned_data["ticket"])
    try:
        actions.proposals.unlink_proposal_ticket(actor=request.user, proposal=proposal, ticket=ticket)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Report %(reference)s is no longer linked.") % {"reference": ticket})
    return redirect(page)


@login_required
@require_POST
def proposal_accept(request, pk: int):
    def accept(proposal, data):
        activity = actions.accept_proposal(actor=request.user, proposal=proposal, **data)
        messages.success(request, _("The proposal is now a planned activity."))
        return redirect("planning:activity", pk=activity.pk)

    _staff_only(request.user)
    department = get_object_or_404(Proposal.objects.select_related("department"), pk=pk).department
    form = forms.AcceptForm(request.POST, open_years=queries.open_fiscal_years(), department=department)
    return _proposal_form(request, pk, "accept", form, accept)


ACTIVITY_FORMS = {
    "ceiling": forms.CeilingForm,
    "approve_budget": forms.ApproveBudgetForm,
    "revise": forms.RevisionForm,
    "realisation": forms.RealisationForm,
    "progress": forms.ProgressForm,
    "complete": forms.CompleteForm,
    "evaluate": forms.EvaluationForm,
    "milestone": forms.MilestoneForm,
    "milestone_met": forms.MilestoneMetForm,
    "indicator": forms.IndicatorForm,
    "indicator_value": forms.IndicatorValueForm,
    "verify": forms.VerifyForm,
    "verify_value": forms.VerifyValueForm,
    "programme": forms.ActivityProgrammeForm,
    "partner": forms.PartnerForm,
    "close_year": forms.CloseYearForm,
}


def _run(name: str, user, activity: Activity, data: dict):
    if name == "ceiling":
        return actions.set_ceiling(actor=user, activity=activity, **data)
    if name == "approve_budget":
        # An empty line approves the original lines already entered (imported) as they are.
        line = forms.ApproveBudgetForm.line_of(data)
        return actions.approve_budget(actor=user, activity=activity, lines=[line] if line["account_code"] else None)
    if name == "revise":
        return actions.revise_budget(
            actor=user,
            activity=activity,
            lines=[forms.RevisionForm.line_of(data)],
            reason=data["reason"],
            seen_budget=data["seen_budget"],
        )
    if name == "realisation":
        return actions.record_realisation(actor=user, activity=activity, **data)
    if name == "progress":
        photo = data.pop("photo")
        return actions.report_progress(actor=user, activity=activity, photos=[photo] if photo else [], **data)
    if name == "complete":
        return actions.complete_activity(actor=user, activity=activity, **data)
    if name == "evaluate":
        return actions.evaluate_activity(actor=user, activity=activity, **data)
    if name == "milestone":
        return actions.add_milestone(actor=user, activity=activity, **data)
    if name == "milestone_met":
        milestone = get_object_or_404(Milestone, pk=data["milestone"], activity=activity)
        return actions.mark_milestone(actor=user, milestone=milestone, met_on=data["met_on"])
    if name == "indicator":
        return actions.add_indicator(actor=user, activity=activity, **data)
    if name == "indicator_value":
        indicator = get_object_or_404(activity.indicators, pk=data["indicator"])
        return actions.record_indicator_value(
            actor=user, indicator=indicator, period=data["period"], value=data["value"]
        )
    if name == "verify":
        report = get_object_or_404(ProgressReport, pk=data["report"], activity=activity)
        return actions.verify_progress(actor=user, report=report, seen_pct=data["seen_pct"])
    if name == "verify_value":
        value = get_object_or_404(IndicatorValue, pk=data["value"], indicator__activity=activity)
        return actions.evaluation.verify_indicator_value(actor=user, value=value)
    if name == "programme":
        return actions.proposals.set_activity_programme(actor=user, activity=activity, programme=data["programme"])
    if name == "partner":
        return actions.add_partner(actor=user, activity=activity, **data)
    if name == "close_year":
        return actions.close_year(actor=user, activity=activity, **data)
    raise Http404


def _year_end_card(activity: Activity, form):
    """Where carrying the work over would take it, told on the year-end card before the user submits
    (``year_end.CarryOver``): into the next year's activity of the same code, which keeps its own dates (the card
    then asks for none), or into a new one with the dates typed; or why it cannot."""
    if form is None:
        return None
    target = carry_over_target(activity)
    if target.into is not None and not target.refusal:
        for name in ("start_date", "end_date"):
            form.fields.pop(name, None)
    return target


def _activity_page(request, pk: int, *, bound: dict | None = None, status: int = 200):
    """The activity page; ``bound`` holds the refused action form, shown as the user left it with its errors."""
    _staff_only(request.user)
    bound = bound or {}
    activity = get_object_or_404(
        queries.with_figures(Activity.objects.filter(pk=pk)).select_related(
            "fiscal_year", "carried_over_from__fiscal_year"
        )
    )
    _menu_year(activity.fiscal_year)
    allowed = actions.allowed_activity_actions(request.user, activity)
    lines = list(BudgetLine.objects.filter(activity=activity))
    versions = [
        (label, [ln for ln in lines if ln.version == value], sum((ln.amount for ln in lines if ln.version == value), 0))
        for value, label in BudgetVersion.choices
    ]
    forms_shown = {name: bound.get(name) or ACTIVITY_FORMS[name](prefix=name) for name in sorted(allowed)}
    refused = next(iter(bound.items()), None)
    figures = queries.figures_of(activity)
    if "revise" in forms_shown:
        forms_shown["revise"].show_budget(figures["budget"])
    if "programme" in forms_shown:
        forms_shown["programme"].offer(
            actions.proposals.activity_programmes(fiscal_year=activity.fiscal_year, department=activity.department)
        )
    year_end = _year_end_card(activity, forms_shown.get("close_year"))
    changes = BudgetChange.objects.filter(line__activity=activity)
    indicators = queries.indicators_with_actuals(activity)
    milestones = list(activity.milestones.select_related("recorded_by", "met_recorded_by"))
    to_check = actions.evaluation.evidence_to_check(milestones, indicators)
    open_reports = queries.open_linked_reports(activity, user=request.user)
    context = {
        "activity": activity,
        "figures": figures,
        "versions": versions,
        # Original lines entered but not approved: not the current budget, so the page says they wait.
        "awaiting": sum((ln.amount for ln in lines if ln.version == BudgetVersion.DRAFT), 0) or None,
        # Newest first: the history is cut, and what finance just changed must be in it.
        "changes": changes.select_related("line", "actor").order_by("-created_at", "-id")[:BUDGET_HISTORY_SHOWN],
        "change_count": changes.count(),
        "realisations": activity.realisations.select_related("recorded_by"),
        "reports": activity.progress_reports.select_related("reported_by", "verified_by").prefetch_related("photos"),
        "milestones": milestones,
        "indicators": indicators,
        "service": queries.service_indicators(activity),
        "tickets": _linked_reports(request.user, activity_links__activity=activity),
        "ticket_count": activity.ticket_links.count(),
        # Linked reports still open (or merged into one still open): completing and evaluating the activity do not
        # answer them, and its page, its completion card and its evaluation card name them.
        "open_reports": open_reports,
        "open_reports_hidden": sum(1 for ticket in open_reports if not ticket.visible),
        "evaluations": activity.evaluations.select_related("evaluator"),
        "history": activity.stage_changes.select_related("actor"),
        "partners": activity.partners.all(),
        "kelurahans": activity.kelurahans.all(),
        "services": activity.services.all(),
        "chart": queries.progress_chart(activity),
        "chart_series": chart_series(),
        "forms": forms_shown,
        # The section of action cards; the other forms sit in their rows (verify a report, record a value).
        "has_action_cards": bool(set(forms_shown) - INLINE_ACTION_FORMS),
        # The evaluation the card would record, unsaved, shown with the same words as a recorded one; and the
        # progress reports nobody verified yet, which the score leaves out: the inspector hears it before recording.
        "score_preview": Evaluation(**queries.activity_scores(activity)) if "evaluate" in allowed else None,
        "unverified": queries.unverified_progress(activity) if "evaluate" in allowed else [],
        # Evidence the score counts that nobody vouches for: milestones typed after their due date (marked in the
        # list too), indicator values nobody verified. Named on the evaluate card before the inspector records.
        "to_check": to_check,
        # Where the activity comes from: the proposal, its reviews and the amount last recommended (finance sets the
        # ceiling from it). Readers of this page may open the proposal page too (both are for city staff).
        "origin": queries.proposal_origin(activity),
        "today": queries.today(),
        "stages": stage_steps(activity),
        # Unfinished work carried over at the year's end: the next year's activity, and the year before's.
        "continuation": queries.continuation_of(activity),
        "next_year": activity.fiscal_year.year + 1,
        "year_end": year_end,
        # The year is over and the work is neither completed nor closed: the page says so.
        "left_open": left_open(activity),
        "failed_action": refused[0] if refused else "",
        "error": _refused(refused[1]) if refused else "",
    }
    return render(request, "planning/activity_detail.html", context, status=status)


@login_required
def activity_detail(request, pk: int):
    return _activity_page(request, pk)


@login_required
@require_POST
def activity_action(request, pk: int, name: str):
    activity = get_object_or_404(Activity, pk=pk)
    form_class = ACTIVITY_FORMS.get(name)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, prefix=name)
    if form.is_valid():
        try:
            result = _run(name, request.user, activity, dict(form.cleaned_data))
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            return redirect(reverse("planning:activity", args=[pk]) + f"#{name}")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            _warn_after(request, name, result)
            return redirect(reverse("planning:activity", args=[pk]) + f"#{name}")
    return _activity_page(request, pk, bound={name: form}, status=400)


def _warn_after(request, name: str, result) -> None:
    """What a saved action leaves to know: the linked reports still open after completing or evaluating the activity
    (a warning, not a refusal: the work may be done while a report in its area is still handled), and an indicator
    typed about complaints, which the page computes from the reports."""
    open_reports = getattr(result, "open_reports", None)
    if name in ("complete", "evaluate") and open_reports:
        shown = [ticket.reference for ticket in open_reports if ticket.visible]
        hidden = len(open_reports) - len(shown)
        references = ", ".join(shown)
        if hidden:
            more = ngettext("%(n)s you may not open", "%(n)s you may not open", hidden) % {"n": hidden}
            references = f"{references}, {more}" if references else more
        messages.warning(
            request,
            ngettext(
                "%(n)s report linked to this activity is still open (%(references)s): completing or evaluating the "
                "work does not answer it. The page lists it with the linked reports.",
                "%(n)s reports linked to this activity are still open (%(references)s): completing or evaluating the "
                "work does not answer them. The page lists them with the linked reports.",
                len(open_reports),
            )
            % {"n": len(open_reports), "references": references},
        )
    if name == "indicator" and result is not None:
        warning = forms.complaint_indicator_warning(result.description)
        if warning:
            messages.warning(request, warning)


def _money_totals(activities: list[Activity]) -> dict:
    budget = sum((a.figures["budget"] for a in activities), 0)
    realised = sum((a.figures["realised"] for a in activities), 0)
    return {"total_budget": budget, "total_realised": realised, "absorption": queries._pct(realised, budget)}


@login_required
def activities(request):
    """The year's activities, by stage and department: where the board's stage counts lead."""
    _staff_only(request.user)
    fiscal_year = _year(request)
    departments = Department.objects.filter(activities__fiscal_year=fiscal_year).distinct().order_by("short_name")
    form = forms.ActivityFilterForm(request.GET, departments=departments)
    # A stage or department the list does not know (an old or mistyped link) shows nothing rather than everything,
    # with the reason, so no one reads the whole year as the stage they asked for.
    chosen = form.cleaned_data if form.is_valid() else None
    listed = (
        queries.year_activities(fiscal_year=fiscal_year, department=chosen["dinas"], stage=chosen["tahap"])
        if chosen is not None
        else []
    )
    context = {
        "fiscal_year": fiscal_year,
        "form": form,
        "activities": listed,
        "error": "" if chosen is not None else _refused(form),
        **_money_totals(listed),
    }
    return render(request, "planning/activities.html", context, status=200 if chosen is not None else 400)


def _department_page(request, code: str, *, bound=None, status: int = 200):
    """The department's year; ``bound`` is the refused evaluation form, shown as the inspector left it."""
    _staff_only(request.user)
    department = get_object_or_404(Department, code=code)
    fiscal_year = _year(request)
    activities = queries.year_activities(fiscal_year=fiscal_year, department=department)
    evaluator = has_role(request.user, INSPECTOR, PLANNER)
    evaluations = list(
        department.evaluations.filter(fiscal_year=fiscal_year, activity__isnull=True).select_related("evaluator")
    )
    # Before the year is evaluated, once: what it would score, and what keeps it from being evaluated yet (the form
    # is offered only when nothing does, or to show the refused one).
    card = evaluator and activities and not evaluations
    refusal = department_year_refusal(fiscal_year=fiscal_year, department=department) if card else []
    form_shown = card and (bound is not None or not refusal)
    context = {
        "department": department,
        "fiscal_year": fiscal_year,
        "activities": activities,
        **_money_totals(activities),
        "overdue": queries.overdue_milestones(fiscal_year=fiscal_year, department=department),
        "evaluations": evaluations,
        "left_open": [activity for activity in activities if left_open(activity, fiscal_year=fiscal_year)],
        "year_refusal": refusal,
        "score_preview": Evaluation(**queries.department_scores(fiscal_year=fiscal_year, department=department))
        if card
        else None,
        "evaluation_form": (bound or forms.DepartmentEvaluationForm()) if form_shown else None,
        "error": _refused(bound) if bound is not None else "",
    }
    return render(request, "planning/department_detail.html", context, status=status)


@login_required
def department_detail(request, code: str):
    return _department_page(request, code)


@login_required
@require_POST
def department_evaluate(request, code: str):
    department = get_object_or_404(Department, code=code)
    fiscal_year = _year(request)
    form = forms.DepartmentEvaluationForm(request.POST)
    page = reverse("planning:department", args=[code]) + f"?tahun={fiscal_year.year}"
    if form.is_valid():
        try:
            actions.evaluate_department_year(
                actor=request.user, fiscal_year=fiscal_year, department=department, **form.cleaned_data
            )
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            return redirect(page)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Evaluation recorded."))
            return redirect(page)
    return _department_page(request, code, bound=form, status=400)


def _import_form(request, *args, **kwargs) -> forms.ImportForm:
    """The import form offering each person only the kinds of file they may import (a department head no budget
    lines), by the rule the upload applies."""
    form = forms.ImportForm(*args, **kwargs)
    kind = form.fields["kind"]
    kind.choices = [(value, label) for value, label in kind.choices if imports.may_import(request.user, value)]
    return form


@login_required
def import_page(request):
    _staff_only(request.user)
    fiscal_year = _year(request)
    form = _import_form(request, request.POST or None, request.FILES or None, initial={"tahun": fiscal_year})
    status = 200
    posted_kind = request.POST.get("kind", "")
    refusal = imports.import_refusal(request.user, posted_kind) if posted_kind in ImportJob.Kind.values else ""
    if refusal:  # a kind the page does not offer this person (an old tab): refused by role, 403, as the upload was
        messages.error(request, refusal)
        form = _import_form(request, initial={"tahun": fiscal_year})
        status = 403
    elif request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(
                actor=request.user,
                fiscal_year=form.cleaned_data["tahun"],
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            status = 403
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("planning:import_job", pk=job.pk)
    if form.errors:
        status = 400
    jobs = ImportJob.objects.filter(owner=request.user)[:10]
    context = {
        "form": form,
        "fiscal_year": fiscal_year,
        "jobs": jobs,
        # The columns of the kinds offered only: a department head imports payments, never budget lines.
        "budget_columns": imports.BUDGET_COLUMNS if imports.may_import(request.user, "budget") else None,
        "realisation_columns": imports.REALISATION_COLUMNS if imports.may_import(request.user, "realisation") else None,
        "threshold": imports.ASYNC_THRESHOLD,
        "may_import": bool(form.fields["kind"].choices),
        "error": _refused(form) if form.errors else "",
    }
    return render(request, "planning/import.html", context, status=status)


@login_required
def import_job(request, pk: int):
    job = get_object_or_404(ImportJob.objects.select_related("fiscal_year"), pk=pk, owner=request.user)
    if not request.htmx:  # the page's menu; the progress it polls has none
        _menu_year(job.fiscal_year)
    template = "planning/_import_progress.html" if request.htmx else "planning/import_job.html"
    return render(request, template, {"job": job})


@login_required
def export(request, kind: str, fmt: str):
    _staff_only(request.user)
    if kind not in ImportJob.Kind.values or fmt not in ("csv", "xlsx"):
        raise Http404
    fiscal_year = _year(request)
    table = imports.export_table(fiscal_year=fiscal_year, kind=kind)
    if fmt == "csv":
        response = HttpResponse(imports.as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            imports.as_xlsx(table, title=f"{ImportJob.Kind(kind).label} {fiscal_year.year}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{kind}-{fiscal_year.year}.{fmt}"'
    return response
