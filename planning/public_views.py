"""The public page of an activity in the city's plan: what a citizen whose report it answers may read.

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

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from complaints.queries import public_tickets
from dashboards.queries.base import LICENCE, LICENCE_URL
from services.models import Area

from . import queries
from .models import STAGE_ORDER, UNFINISHED_STAGES, Activity, Stage, StageChange

# Linked public reports listed on the page, newest first; the count says how many there are in all.
PUBLIC_TICKETS_SHOWN = 50

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
        "services": activity.services.all(),
        "evaluation": evaluation,
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
