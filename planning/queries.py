"""Reads of the planning cycle: money and progress figures, complaint evidence, service indicators, scores.

Service indicators are computed from tickets, never typed in. Tickets are read through the ORM;
which individual tickets a planner may list or attach comes from ``complaints.queries``
(public ones only: confidential reports never become planning evidence).
Medians use PostgreSQL's ``percentile_cont`` when available and Python otherwise.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.formats import date_format

from complaints.models import OPEN_STATUSES, Status, Ticket
from complaints.queries import (
    missed_deadlines,
    public_ticket_filter,
    public_tickets,
    staff_tickets,
    tickets_visible_to,
)
from dashboards.queries.base import MIN_SAMPLE

from .models import (
    DEFAULT_GRADE_BANDS,
    REVIEW_CHAIN,
    STAGE_ORDER,
    UNFINISHED_STAGES,
    AchievementBasis,
    Activity,
    ActivityTicket,
    BudgetLine,
    BudgetVersion,
    Evaluation,
    FiscalYear,
    Milestone,
    ProgressReport,
    Proposal,
    ProposalPhoto,
    ProposalReview,
    Realisation,
    Stage,
    StageChange,
    budget_in_force,
)
from .templatetags.money import one_decimal

HUNDRED = Decimal("100")
MONEY = DecimalField(max_digits=18, decimal_places=2)


def _q2(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def today() -> dt.date:
    return timezone.localdate()


# --- fiscal year and calendar -------------------------------------------------------------------


def current_fiscal_year(on: dt.date | None = None) -> FiscalYear | None:
    on = on or today()
    return FiscalYear.objects.filter(year=on.year).first() or FiscalYear.objects.order_by("-year").first()


def proposal_year(on: dt.date | None = None) -> int:
    """The fiscal year new proposals are for, set up or not: the one whose Musrenbang (proposal stage) runs today,
    else the first year whose execution has not started. Musrenbang for 2027 is held in January–March 2026, while
    2026 is being executed: a proposal entered then belongs to 2027, and so does one entered later in 2026 (the
    RKPD and KUA-PPAS being prepared are next year's) and in December, when 2026 has weeks left; one entered on
    1 January 2027 is for 2028. Execution lies within its calendar year, so next calendar year's has not started
    whether it is set up or not: a year not set up yet is named, never replaced by the one ending or over."""
    on = on or today()
    running = musrenbang_fiscal_year(on)
    if running is not None:
        return running.year
    upcoming = FiscalYear.objects.filter(execution_start__gt=on).order_by("year").values_list("year", flat=True).first()
    return min(upcoming, on.year + 1) if upcoming is not None else on.year + 1


def proposal_fiscal_year(on: dt.date | None = None) -> FiscalYear | None:
    """``proposal_year`` once it is set up; None until an administrator adds it. Pages that show execution keep
    ``current_fiscal_year``."""
    return FiscalYear.objects.filter(year=proposal_year(on)).first()


def open_fiscal_years(on: dt.date | None = None) -> QuerySet[FiscalYear]:
    """The years new work may still be planned into: their execution has not ended (``FiscalYear.is_over``)."""
    return FiscalYear.objects.filter(execution_end__gte=on or today()).order_by("year")


def musrenbang_fiscal_year(on: dt.date | None = None) -> FiscalYear | None:
    """The year whose Musrenbang runs on ``on`` (today), if any."""
    on = on or today()
    return FiscalYear.objects.filter(musrenbang_start__lte=on, musrenbang_end__gte=on).order_by("year").first()


def continuation_of(activity: Activity) -> Activity | None:
    """The next year's activity that continues ``activity`` (carried over at the year's end), if any: the reverse
    one-to-one accessor raises instead of answering None."""
    return Activity.objects.filter(carried_over_from=activity).select_related("fiscal_year").first()


def calendar_position(fiscal_year: FiscalYear, on: dt.date | None = None) -> list[dict]:
    """The year's stages with which are done, current or to come; 'where the city is now'."""
    on = on or today()
    rows = []
    for code, label, start, end in fiscal_year.calendar():
        state = "done" if end < on else ("current" if start <= on <= end else "upcoming")
        rows.append({"code": code, "label": label, "start": start, "end": end, "state": state})
    return rows


# --- money and progress ---------------------------------------------------------------------------


def budget_total(activity: Activity, version: str) -> Decimal | None:
    """The sum of one budget version; None when the version has no lines."""
    return BudgetLine.objects.filter(activity=activity, version=version).aggregate(t=Sum("amount"))["t"]


def current_budget(activity: Activity) -> Decimal:
    """The revised budget once there is one, else the original; zero before approval."""
    revised = budget_total(activity, BudgetVersion.REVISED)
    # The original is read only when there is no revision.
    original = budget_total(activity, BudgetVersion.ORIGINAL) if revised is None else None
    return budget_in_force(original, revised)


def realised_total(activity: Activity) -> Decimal:
    return Realisation.objects.filter(activity=activity).aggregate(t=Sum("amount"))["t"] or Decimal("0")


def physical_progress(activity: Activity) -> Decimal:
    latest = ProgressReport.objects.filter(activity=activity).order_by("-month").first()
    return latest.physical_pct if latest else Decimal("0")


def _pct(part, whole) -> Decimal:
    """``part`` as a percentage of ``whole``, not rounded: a page rounds it once, to the one decimal it shows (the
    ``pct`` filter, half up, as the dashboards do), and a score or an evaluation to the two decimals it keeps (``_q2``).
    Rounding here as well made Rp 31.864.347.000 of Rp 52.368.384.000 (60.8465%) 60.85, then 60.9% on the page."""
    if not whole:
        return Decimal("0")
    return Decimal(part) * HUNDRED / Decimal(whole)


def time_elapsed_pct(activity: Activity, on: dt.date | None = None) -> Decimal:
    on = on or today()
    span = (activity.end_date - activity.start_date).days or 1
    elapsed = min(max((on - activity.start_date).days, 0), span)
    return _pct(elapsed, span)


def amount_per_activity(model, **filters):
    """Subquery: the sum of ``amount`` of ``model`` rows (filtered) of the outer activity; NULL when none."""
    rows = (
        model.objects.filter(activity=OuterRef("pk"), **filters)
        .order_by()
        .values("activity")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(rows, output_field=MONEY)


def with_figures(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate ceiling, original, revised, realised and latest physical % in one query, with that report's month
    (``physical_month``, None without any report) and when it was verified (``physical_verified_at``, None while it is
    the department's own claim)."""
    latest = ProgressReport.objects.filter(activity=OuterRef("pk")).order_by("-month")
    latest_progress = latest.values("physical_pct")
    return activities.select_related("department", "programme").annotate(
        physical_month=Subquery(latest.values("month")[:1]),
        physical_verified_at=Subquery(latest.values("verified_at")[:1]),
        ceiling_total=amount_per_activity(BudgetLine, version=BudgetVersion.INDICATIVE),
        original_total=amount_per_activity(BudgetLine, version=BudgetVersion.ORIGINAL),
        revised_total=amount_per_activity(BudgetLine, version=BudgetVersion.REVISED),
        realised=Coalesce(amount_per_activity(Realisation), Value(Decimal("0")), output_field=MONEY),
        physical=Coalesce(
            Subquery(latest_progress[:1], output_field=DecimalField(max_digits=6, decimal_places=2)),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=6, decimal_places=2),
        ),
    )


def figures_of(activity: Activity, on: dt.date | None = None) -> dict:
    """Budget, realisation and progress of one annotated (``with_figures``) activity."""
    budget = budget_in_force(activity.original_total, activity.revised_total)
    return {
        "ceiling": activity.ceiling_total,
        "original": activity.original_total,
        "revised": activity.revised_total,
        "budget": Decimal(budget),
        "realised": activity.realised,
        "financial_pct": _pct(activity.realised, budget),
        "physical_pct": activity.physical,
        # Physical progress is what the department reports; it stays its own claim until a planner or an inspector
        # verifies the report (``actions.verify_progress``): the pages say which it is, and "no report yet" for 0%
        # that nobody reported.
        "physical_reported": activity.physical_month is not None,
        "physical_verified": activity.physical_verified_at is not None,
        "time_pct": time_elapsed_pct(activity, on),
    }


def year_activities(
    *, fiscal_year: FiscalYear, department=None, stage: str = "", on: dt.date | None = None
) -> list[Activity]:
    """The year's activities with their figures, of one department and/or one stage when given."""
    chosen = Activity.objects.filter(fiscal_year=fiscal_year)
    if department is not None:
        chosen = chosen.filter(department=department)
    if stage:
        chosen = chosen.filter(stage=stage)
    activities = list(with_figures(chosen))
    for activity in activities:
        activity.figures = figures_of(activity, on)
    return activities


def overdue_milestones(*, fiscal_year: FiscalYear, department=None, on: dt.date | None = None) -> QuerySet[Milestone]:
    on = on or today()
    qs = Milestone.objects.filter(
        activity__fiscal_year=fiscal_year, status=Milestone.Status.PENDING, due_date__lt=on
    ).select_related("activity", "activity__department")
    if department is not None:
        qs = qs.filter(activity__department=department)
    return qs.order_by("due_date")


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_label(month: dt.date) -> str:
    """A chart's month as the reader's language writes it ('Mei 2026'), not ISO."""
    return date_format(month, "M Y")


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _chart_pct(part, whole) -> float:
    """A percentage of the charts, rounded once as the page shows it (one decimal): their "Show the numbers" tables
    read these values, and a tooltip has no use for 60.8465036961."""
    return float(one_decimal(_pct(part, whole)))


def progress_chart(activity: Activity, on: dt.date | None = None) -> dict:
    """Per month: cumulative financial %, physical % and time elapsed %, on one scale (for Chart.js); and the months
    whose progress report nobody has verified yet (``unverified``: their labels), which the chart's numbers name."""
    on = on or today()
    budget = current_budget(activity)
    realisations = list(Realisation.objects.filter(activity=activity).values_list("date", "amount"))
    progress = list(
        ProgressReport.objects.filter(activity=activity, month__lte=on)
        .order_by("month")
        .values_list("month", "physical_pct", "verified_at")
    )
    reports = {month: pct for month, pct, _verified_at in progress}
    unverified = [_month_label(month) for month, _physical, verified_at in progress if verified_at is None]
    labels, financial, physical, elapsed = [], [], [], []
    last_physical = Decimal("0")
    for month in _month_starts(activity.start_date, activity.end_date):
        end = _month_end(month)
        labels.append(_month_label(month))
        span = (activity.end_date - activity.start_date).days or 1
        elapsed.append(_chart_pct(min(max((end - activity.start_date).days, 0), span), span))
        if month > on:
            financial.append(None)
            physical.append(None)
            continue
        spent = sum((amount for date, amount in realisations if date <= end), Decimal("0"))
        financial.append(_chart_pct(spent, budget))
        last_physical = reports.get(month, last_physical)
        physical.append(float(last_physical))
    return {"labels": labels, "financial": financial, "physical": physical, "time": elapsed, "unverified": unverified}


# --- complaint evidence ---------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's continuous median."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_to_resolve():
    return Func(
        F("resolved_at"),
        F("created_at"),
        template="EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def _use_postgres() -> bool:
    return connection.vendor == "postgresql"


def _round1(value) -> float | None:
    return None if value is None else round(float(value), 1)


def median_days_to_resolve(tickets) -> float | None:
    """Median days from filing to resolution of the resolved ones among ``tickets`` (a queryset or a list)."""
    if isinstance(tickets, QuerySet):
        resolved = tickets.filter(resolved_at__isnull=False)
        if _use_postgres():
            return _round1(resolved.aggregate(m=Median(_days_to_resolve()))["m"])
        pairs = resolved.values_list("created_at", "resolved_at")
    else:
        pairs = [(t.created_at, t.resolved_at) for t in tickets if t.resolved_at]
    days = [(resolved - created).total_seconds() / 86400 for created, resolved in pairs]
    return _round1(statistics.median(days)) if days else None


def evidence_since(on: dt.date | None = None) -> dt.datetime:
    return (
        timezone.now() - dt.timedelta(days=365)
        if on is None
        else timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=365), dt.time.min))
    )


def evidence_candidates() -> QuerySet[Ticket]:
    """Tickets that may be attached to a proposal: public ones, duplicates left out (confidential reports never
    become planning evidence). A proposal's reports linked by reference number may be of any age."""
    return public_tickets().exclude(status=Status.DUPLICATE)


def evidence_tickets() -> QuerySet[Ticket]:
    """Tickets that may serve as planning evidence: public ones of the last 12 months, duplicates left out."""
    return evidence_candidates().filter(created_at__gte=evidence_since())


# An activity in one of these stages answers the reports linked to it (they are in the plan, or were carried out);
# a report of an activity in any other stage (lapsed, carried over unfinished…) may be planned again.
LIVE_STAGES = (Stage.PLANNED, Stage.BUDGETED, Stage.IN_EXECUTION, Stage.COMPLETED, Stage.EVALUATED)


def answered_filter() -> Q:
    """Tickets already answered by a live activity of any year (``LIVE_STAGES``)."""
    return Q(Exists(ActivityTicket.objects.filter(ticket=OuterRef("pk"), activity__stage__in=LIVE_STAGES)))


def not_yet_answered(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.exclude(answered_filter())


def live_activities_of(ticket_ids) -> dict[int, Activity]:
    """For each of ``ticket_ids`` already answered by a live activity: that activity (the latest year's)."""
    links = (
        ActivityTicket.objects.filter(ticket_id__in=list(ticket_ids), activity__stage__in=LIVE_STAGES)
        .select_related("activity__fiscal_year")
        .order_by("activity__fiscal_year__year", "activity_id")
    )
    return {link.ticket_id: link.activity for link in links}


# A linked report is answered once it is resolved or closed, or merged into a report that is; it is still open while
# it (or the report it was merged into) is being handled. A rejected one is neither.
ANSWERED_STATUSES = (Status.RESOLVED, Status.CLOSED)


def answered_report_filter(prefix: str = "") -> Q:
    """Tickets (through ``prefix``, e.g. ``ticket__``) resolved or closed, or merged into one that is."""
    return Q(**{f"{prefix}status__in": ANSWERED_STATUSES}) | Q(
        **{f"{prefix}status": Status.DUPLICATE, f"{prefix}duplicate_of__status__in": ANSWERED_STATUSES}
    )


def open_report_filter(prefix: str = "") -> Q:
    """Tickets (through ``prefix``) still being handled, or merged into one that still is."""
    return Q(**{f"{prefix}status__in": OPEN_STATUSES}) | Q(
        **{f"{prefix}status": Status.DUPLICATE, f"{prefix}duplicate_of__status__in": OPEN_STATUSES}
    )


def open_linked_reports(activity: Activity, *, user=None, now: dt.datetime | None = None) -> list[Ticket]:
    """The reports linked to ``activity`` that are still open (``open_report_filter``), oldest first, in one query:
    completing or evaluating the work does not answer them, and the activity page, its completion and its evaluation
    name them. Each carries ``handling``, the report being handled (itself, or the one it was merged into), and
    ``overdue`` (a due date of that one missed, as the staff queue says it); with ``user``, ``visible`` (they may open
    it: the others are only counted) and ``staff_page`` (they may open it on the staff side)."""
    now = now or timezone.now()
    tickets = (
        Ticket.objects.filter(open_report_filter(), activity_links__activity=activity)
        .select_related("department", "duplicate_of__department")
        .defer("description", "duplicate_of__description")
        .order_by("created_at", "pk")
    )
    if user is not None:
        tickets = tickets.annotate(
            visible=Exists(tickets_visible_to(user).filter(pk=OuterRef("pk"))),
            staff_page=Exists(staff_tickets(user).filter(pk=OuterRef("pk"))),
        )
    tickets = list(tickets)
    for ticket in tickets:
        ticket.handling = ticket.duplicate_of if ticket.status == Status.DUPLICATE else ticket
        ticket.overdue = bool(missed_deadlines(ticket.handling, now))
    return tickets


def cluster_tickets(*, service, area) -> QuerySet[Ticket]:
    return evidence_tickets().filter(service=service, area=area)


def evidence_clusters(*, fiscal_year: FiscalYear | None = None, min_count: int = 2, limit: int = 40) -> list[dict]:
    """Service × kelurahan clusters of the last 12 months, biggest first, with counts and median days to resolve."""
    base = evidence_tickets().filter(service__isnull=False, area__isnull=False)
    rows = (
        base.order_by()
        .values("service_id", "area_id")
        .annotate(
            count=Count("id"),
            open=Count("id", filter=Q(status__in=(Status.ROUTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS))),
            answered=Count("id", filter=answered_filter()),
            **({"median": Median(_days_to_resolve(), filter=Q(resolved_at__isnull=False))} if _use_postgres() else {}),
        )
        .filter(count__gte=min_count)
        .order_by("-count", "service_id", "area_id")[:limit]
    )
    rows = list(rows)
    if rows and not _use_postgres():
        wanted = {(r["service_id"], r["area_id"]) for r in rows}
        durations = defaultdict(list)
        for service_id, area_id, created, resolved in base.filter(resolved_at__isnull=False).values_list(
            "service_id", "area_id", "created_at", "resolved_at"
        ):
            if (service_id, area_id) in wanted:
                durations[(service_id, area_id)].append((resolved - created).total_seconds() / 86400)
        for row in rows:
            days = durations.get((row["service_id"], row["area_id"]))
            row["median"] = statistics.median(days) if days else None
    from services.models import Area, Service

    services = Service.objects.in_bulk({r["service_id"] for r in rows})
    areas = (
        Area.objects.select_related("parent")
        .defer("boundary", "parent__boundary")
        .in_bulk({r["area_id"] for r in rows})
    )
    proposed = set()
    if fiscal_year is not None:
        proposed = set(
            Proposal.objects.filter(fiscal_year=fiscal_year, source=Proposal.Source.EVIDENCE).values_list(
                "service_id", "area_id"
            )
        )
    planned = _cluster_activities(base, rows)
    return [
        {
            "service": services[r["service_id"]],
            "area": areas[r["area_id"]],
            "count": r["count"],
            "open": r["open"],
            "median_days": _round1(r["median"]),
            "proposed": (r["service_id"], r["area_id"]) in proposed,
            # Reports already answered by a live activity (any year): proposing leaves them out.
            "answered": r["answered"],
            "new": r["count"] - r["answered"],
            # Every activity (any year, any stage) its reports are linked to, with how many of them.
            "activities": planned.get((r["service_id"], r["area_id"]), []),
        }
        for r in rows
    ]


# Reports listed per cluster on the evidence page, newest first; the count says how many there are in all.
CLUSTER_REPORTS_SHOWN = 50


def _cluster_filter(clusters: list[dict]) -> Q:
    pairs = Q(pk__in=[])
    for cluster in clusters:
        pairs |= Q(service_id=cluster["service"].pk, area_id=cluster["area"].pk)
    return pairs


def cluster_reports(clusters: list[dict], *, shown: int = CLUSTER_REPORTS_SHOWN) -> dict[tuple[int, int], list]:
    """Per (service, area) of ``clusters``: its evidence reports (public ones only, ``evidence_tickets``), newest
    first, at most ``shown`` of each, in one query."""
    if not clusters:
        return {}
    rows = (
        evidence_tickets()
        .filter(_cluster_filter(clusters))
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("service_id"), F("area_id")], order_by=[F("created_at").desc(), F("pk")]
            )
        )
        .filter(rank__lte=shown)
        .only("pk", "reference", "title", "status", "service_id", "area_id", "created_at")
        .order_by("service_id", "area_id", "rank")
    )
    result = defaultdict(list)
    for ticket in rows:
        result[(ticket.service_id, ticket.area_id)].append(ticket)
    return dict(result)


def cluster_departments(clusters: list[dict]) -> dict[tuple[int, int], set[int]]:
    """Per (service, area) of ``clusters``: the departments handling its reports."""
    if not clusters:
        return {}
    result = defaultdict(set)
    rows = (
        evidence_tickets()
        .filter(_cluster_filter(clusters), department__isnull=False)
        .order_by()
        .values_list("service_id", "area_id", "department_id")
        .distinct()
    )
    for service_id, area_id, department_id in rows:
        result[(service_id, area_id)].add(department_id)
    return dict(result)


def _cluster_activities(base: QuerySet[Ticket], rows: list[dict]) -> dict[tuple[int, int], list[dict]]:
    """Per (service, area) of ``rows``: the activities its evidence tickets are linked to, latest year first, each
    with how many of the cluster's reports it holds and whether it answers them (a live stage)."""
    if not rows:
        return {}
    wanted = {(r["service_id"], r["area_id"]) for r in rows}
    links = list(
        ActivityTicket.objects.filter(
            ticket__in=base.filter(service_id__in={s for s, _a in wanted}, area_id__in={a for _s, a in wanted}).values(
                "pk"
            )
        )
        .order_by()
        .values("ticket__service_id", "ticket__area_id", "activity_id")
        .annotate(n=Count("ticket_id", distinct=True))
    )
    links = [row for row in links if (row["ticket__service_id"], row["ticket__area_id"]) in wanted]
    activities = (
        Activity.objects.select_related("fiscal_year")
        .only("pk", "code", "name", "stage", "fiscal_year__year")
        .in_bulk({row["activity_id"] for row in links})
    )
    result = defaultdict(list)
    for row in links:
        activity = activities[row["activity_id"]]
        result[(row["ticket__service_id"], row["ticket__area_id"])].append(
            {"activity": activity, "count": row["n"], "live": activity.stage in LIVE_STAGES}
        )
    for items in result.values():
        items.sort(key=lambda item: (-item["activity"].fiscal_year.year, item["activity"].code))
    return dict(result)


# --- service indicators (computed from tickets, never typed in) ----------------------------------


def activity_area_tickets(activity: Activity, *, public: bool = False) -> QuerySet[Ticket]:
    """Complaints filed in the activity's kelurahan(s) about its services (every service when none is set).

    ``public``: only the tickets anyone may see, for a page without login: a confidential report never enters a
    public figure, even as a count (one filed in a small kelurahan moved the public activity page's monthly rate)."""
    area_ids = [a.pk for a in activity.kelurahans.all()]
    qs = Ticket.objects.filter(area_id__in=area_ids).exclude(
        status__in=(Status.SUBMITTED, Status.REJECTED, Status.DUPLICATE)
    )
    if public:
        qs = qs.filter(public_ticket_filter())
    service_ids = [s.pk for s in activity.services.all()]
    if service_ids:
        qs = qs.filter(service_id__in=service_ids)
    return qs


def ticket_stats(tickets: QuerySet[Ticket], *, months: int) -> dict:
    """Reports per month, median days to resolve, the share resolved within the SLA and the satisfaction of
    ``tickets``, each with how many tickets it is computed from: ``count``, ``resolved``, ``decided`` (resolved with a
    due date) and ``rated``. A median, rate or average from fewer than the dashboards' ``MIN_SAMPLE`` is None, "not
    enough data" as the dashboards say it: 100% from 4 reports says nothing about the service."""
    figures = tickets.aggregate(
        count=Count("id"),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        decided=Count("id", filter=Q(resolved_at__isnull=False, resolution_due_at__isnull=False)),
        on_time=Count("id", filter=Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due_at"))),
        rated=Count("rating__score"),
        satisfaction=Avg("rating__score"),
    )
    return {
        "count": figures["count"],
        "per_month": round(figures["count"] / months, 1) if months else None,
        "resolved": figures["resolved"],
        "median_days": median_days_to_resolve(tickets) if figures["resolved"] >= MIN_SAMPLE else None,
        "decided": figures["decided"],
        "sla_pct": float(_pct(figures["on_time"], figures["decided"])) if figures["decided"] >= MIN_SAMPLE else None,
        "rated": figures["rated"],
        "satisfaction": _round1(figures["satisfaction"]) if figures["rated"] >= MIN_SAMPLE else None,
    }


def execution_started(activity: Activity) -> bool:
    """Whether the activity's work has begun: it reached execution, where its first payment or progress report moves
    it (``actions.execution``). Its planned start date says nothing: a budgeted activity whose date passed has not
    started. One closed unfinished at the year's end began if it was in execution or has payments or progress."""
    if activity.stage in UNFINISHED_STAGES:
        return (
            StageChange.objects.filter(activity=activity, to_stage=Stage.IN_EXECUTION).exists()
            or Realisation.objects.filter(activity=activity).exists()
            or ProgressReport.objects.filter(activity=activity).exists()
        )
    return activity.stage_index >= STAGE_ORDER.index(Stage.IN_EXECUTION)


# The months compared before an activity's start, and at most after its completion.
COMPARED_MONTHS = 12


def completion_day(activity: Activity) -> dt.date | None:
    """The day the activity's work was completed (its hand-over as the head reported it, else the day it was moved to
    completed), or None while it is not: still before completion, or closed unfinished at the year's end."""
    if activity.stage not in (Stage.COMPLETED, Stage.EVALUATED):
        return None
    if activity.completed_on:
        return activity.completed_on
    change = activity.stage_changes.filter(to_stage=Stage.COMPLETED).order_by("-created_at", "-id").first()
    return timezone.localdate(change.created_at) if change else None


def _months_between(start: dt.datetime, end: dt.datetime) -> int:
    return round((end - start).days / 30.4)


def service_indicators(activity: Activity, on: dt.date | None = None, *, public: bool = False) -> dict:
    """Complaints in the activity's area, each figure with its sample (``ticket_stats``; ``public`` counts only the
    public ones, ``activity_area_tickets``): ``before``, the 12 months before its start; ``during``, the time of the
    work, from its start to its completion (or today, up to 12 months); ``after_completion``, from the day after its
    completion for as long as ``before`` (12 months), as far as today allows (``after_months``, how many so far; None
    until a month has passed), so a reader sees whether the complaints fell once the work was done. ``completed_on``
    is its completion day; ``unfinished`` says it was closed at the year's end without being completed (no "after
    completion" then). There is no ``during`` (None) before the planned start nor while the work has not started
    (``execution_started``): the months since the planned start of work not begun are still before it."""
    on = on or today()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(activity.start_date, dt.time.min))
    before_start = start - dt.timedelta(days=365)
    window_end = min(now, start + dt.timedelta(days=365))
    started = execution_started(activity)
    completed_on = completion_day(activity) if started else None
    done = (
        timezone.make_aware(dt.datetime.combine(completed_on + dt.timedelta(days=1), dt.time.min))
        if completed_on
        else None
    )
    during_end = min(now, done) if done else window_end
    tickets = activity_area_tickets(activity, public=public)
    before = tickets.filter(created_at__gte=before_start, created_at__lt=start)
    during = tickets.filter(created_at__gte=start, created_at__lt=during_end)
    months_during = max(1, _months_between(start, during_end)) if started and during_end > start else 0
    after_completion, after_months = None, 0
    if done is not None:
        # As long as "before" where the time since allows: a year after a hand-over of last month is not here yet.
        # Not before a month has passed: "0.0 a month" from the days since a hand-over says nothing yet.
        after_end = min(now, done + dt.timedelta(days=365))
        after_months = min(COMPARED_MONTHS, max(0, _months_between(done, after_end)))
        if after_months:
            after_completion = ticket_stats(
                tickets.filter(created_at__gte=done, created_at__lt=after_end), months=after_months
            )
    monthly = dict(
        tickets.filter(created_at__gte=before_start, created_at__lt=window_end)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    series_end = window_end.astimezone(tz).date() if window_end > start else activity.start_date
    months = _month_starts(before_start.astimezone(tz).date(), series_end)
    counts = [next((n for m, n in monthly.items() if _as_date(m) == month), 0) for month in months]
    return {
        "before": ticket_stats(before, months=COMPARED_MONTHS),
        "during": ticket_stats(during, months=months_during) if months_during else None,
        "after_completion": after_completion,
        "completed_on": completed_on,
        "after_months": after_months,
        "compared_months": COMPARED_MONTHS,
        "unfinished": activity.stage in UNFINISHED_STAGES,
        "min_sample": MIN_SAMPLE,
        "monthly": {
            "labels": [_month_label(month) for month in months],
            "counts": counts,
            # The chart greys the months before the activity started (static/js/planning-activity-chart.js): every
            # month while the work has not started.
            "before_start": [not started or month < activity.start_date.replace(day=1) for month in months],
        },
    }


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# --- scores and grades --------------------------------------------------------------------------


def grade_for(score, bands=None) -> str:
    """The grade of the highest band ``score`` reaches; the fiscal year's bands are validated to end at 0
    (``validate_grade_bands``), so only bands saved before that check leave a score below them all: it gets the
    lowest band's grade, not whichever band happened to be listed last."""
    ordered = sorted(bands or DEFAULT_GRADE_BANDS, key=lambda b: -Decimal(str(b[0])))
    for low, grade in ordered:
        if Decimal(score) >= Decimal(str(low)):
            return grade
    return ordered[-1][1]


def _achievement(indicator, actual) -> Decimal | None:
    """Achievement % of one indicator against its target, capped at 0–100 (over-achievement does not compensate),
    not rounded (``_pct``)."""
    if actual is None:
        return None
    actual, target = Decimal(actual), Decimal(indicator.target)
    if indicator.direction == "decrease":
        pct = (2 - actual / target) * HUNDRED if target else (HUNDRED if actual <= 0 else Decimal("0"))
    else:
        pct = actual / target * HUNDRED if target else HUNDRED
    return min(max(pct, Decimal("0")), HUNDRED)


def indicator_achievement(indicator, actual) -> Decimal | None:
    """``_achievement`` to two decimals, as a table of figures keeps it (the dashboards' indicator table)."""
    achievement = _achievement(indicator, actual)
    return None if achievement is None else _q2(achievement)


def indicators_with_actuals(activity: Activity) -> list:
    """The activity's indicators, each with its latest value (``actual``) and its ``achievement`` unrounded: the
    activity page rounds it once to show it, the score once to keep it."""
    indicators = list(activity.indicators.prefetch_related("values__recorded_by", "values__verified_by"))
    for indicator in indicators:
        values = list(indicator.values.all())
        indicator.actual = values[-1].value if values else None
        indicator.achievement = _achievement(indicator, indicator.actual)
    return indicators


def verified_physical_progress(activity: Activity) -> Decimal:
    """The latest physical progress a planner or inspector verified (``actions.verify_progress``); 0 when none is."""
    latest = (
        ProgressReport.objects.filter(activity=activity, verified_at__isnull=False)
        .order_by("-month")
        .values_list("physical_pct", flat=True)
        .first()
    )
    return latest if latest is not None else Decimal("0")


def unverified_progress(activity: Activity) -> list[ProgressReport]:
    """The activity's progress reports nobody has verified yet, oldest first: the evaluate card names them."""
    return list(ProgressReport.objects.filter(activity=activity, verified_at__isnull=True).order_by("month"))


def combined_score(achievement: Decimal, absorption: Decimal, timeliness: Decimal | None) -> Decimal:
    """50% achievement + 25% budget absorption (capped at 100) + 25% timeliness. When timeliness could not be
    measured (None: no milestones and no lateness to see), it is left out rather than guessed, and the other two
    keep their 2:1 weights over the whole score: two-thirds achievement, one-third absorption."""
    parts = [(achievement, 2), (min(absorption, HUNDRED), 1)]
    if timeliness is not None:
        parts.append((timeliness, 1))
    return _q2(sum(Decimal(value) * weight for value, weight in parts) / sum(weight for _value, weight in parts))


def activity_timeliness(activity: Activity) -> Decimal | None:
    """Milestones met on time, in %. Without milestones only lateness can be seen: work closed unfinished at the year's
    end was not delivered in its year at all (0), work completed after its planned end was late (50); work completed
    by its planned end has nothing to measure its timeliness by (None), its completion date being the department's
    own account."""
    milestones = list(activity.milestones.all())
    if milestones:
        on_time = sum(1 for m in milestones if m.met_on and m.met_on <= m.due_date)
        return _q2(_pct(on_time, len(milestones)))
    if activity.stage in UNFINISHED_STAGES:
        # The activity's evaluation and its department's year read the same.
        return Decimal("0")
    done_on = activity.completed_on or today()  # not completed yet: as if today
    return Decimal("50") if done_on > activity.end_date else None


def activity_scores(activity: Activity) -> dict:
    """Achievement, budget absorption and timeliness → score (``combined_score``) and five-band grade, with what the
    achievement was computed from: the indicators' achievement, or without indicators the latest *verified* physical
    progress (what the department reports is its own claim until a planner or inspector verifies it)."""
    achievements = [i.achievement for i in indicators_with_actuals(activity) if i.achievement is not None]
    if achievements:
        achievement, basis = _q2(sum(achievements) / len(achievements)), AchievementBasis.INDICATORS
    else:
        achievement, basis = verified_physical_progress(activity), AchievementBasis.PHYSICAL
    absorption = _q2(_pct(realised_total(activity), current_budget(activity)))
    timeliness = activity_timeliness(activity)
    score = combined_score(achievement, absorption, timeliness)
    return {
        "indicator_achievement_pct": achievement,
        "achievement_basis": basis,
        "budget_absorption_pct": absorption,
        "timeliness_pct": timeliness,
        "score": score,
        "grade": grade_for(score, activity.fiscal_year.grade_bands),
    }


def department_scores(*, fiscal_year: FiscalYear, department) -> dict:
    """A department's year: each activity's scores weighted by its current budget; timeliness over the activities
    where it was measured (None when it was in none)."""
    weighted = defaultdict(Decimal)
    total_weight = timed_weight = Decimal("0")
    bases = set()
    for activity in Activity.objects.filter(fiscal_year=fiscal_year, department=department).select_related(
        "fiscal_year"
    ):
        weight = current_budget(activity) or Decimal("1")
        scores = activity_scores(activity)
        for key in ("indicator_achievement_pct", "budget_absorption_pct"):
            weighted[key] += scores[key] * weight
        if scores["timeliness_pct"] is not None:
            weighted["timeliness_pct"] += scores["timeliness_pct"] * weight
            timed_weight += weight
        bases.add(scores["achievement_basis"])
        total_weight += weight
    achievement = _q2(weighted["indicator_achievement_pct"] / total_weight)
    absorption = _q2(weighted["budget_absorption_pct"] / total_weight)
    timeliness = _q2(weighted["timeliness_pct"] / timed_weight) if timed_weight else None
    score = combined_score(achievement, absorption, timeliness)
    return {
        "indicator_achievement_pct": achievement,
        "achievement_basis": bases.pop() if len(bases) == 1 else AchievementBasis.MIXED,
        "budget_absorption_pct": absorption,
        "timeliness_pct": timeliness,
        "score": score,
        "grade": grade_for(score, fiscal_year.grade_bands),
    }


# --- where an activity comes from -------------------------------------------------------------------


def proposal_origin(activity: Activity) -> dict | None:
    """The proposal ``activity`` was accepted from (None when a planner entered it directly), its review trail
    (kelurahan → kecamatan → department → Bappeda) and the amount the last level recommended: what finance sets the
    ceiling from."""
    proposal = Proposal.objects.filter(activity=activity).select_related("area", "department").first()
    if proposal is None:
        return None
    reviews = list(proposal.reviews.select_related("reviewer"))
    recommended = [review for review in reviews if review.decision == ProposalReview.Decision.RECOMMEND]
    return {
        "proposal": proposal,
        "reviews": reviews,
        "recommended": recommended[-1] if recommended else None,
    }


# --- board ----------------------------------------------------------------------------------------


# The board's orders (``sort``): the newest first unless asked; ties broken by the newest, so a page never repeats
# or skips a proposal between two requests.
BOARD_ORDERS = {
    "": ("-created_at", "-id"),
    "cost": ("-estimated_cost", "-created_at", "-id"),
    "cost_asc": ("estimated_cost", "-created_at", "-id"),
    "kelurahan": ("area__name", "-created_at", "-id"),
}
# What the board's status filter takes besides a level of the review chain (waiting for that level's review).
IN_REVIEW_ANY_LEVEL = "in_review"
TO_ACCEPT = "to_accept"


def waiting_at() -> Case:
    """The level of the review chain a proposal waits for: the first one that has not reviewed it, as
    ``actions.next_review_level`` reads it, or "" once every level has (Bappeda may accept it). Meaningful for a
    proposal in review only."""
    return Case(
        *[
            When(~Exists(ProposalReview.objects.filter(proposal=OuterRef("pk"), level=level)), then=Value(level))
            for level in REVIEW_CHAIN
        ],
        default=Value(""),
        output_field=CharField(),
    )


def board_proposals(
    fiscal_year: FiscalYear,
    *,
    kecamatan=None,
    kelurahan=None,
    status: str = "",
    department=None,
    source: str = "",
    sort: str = "",
) -> QuerySet[Proposal]:
    """The year's proposals as the planner's board lists them, filtered and in the order asked for, each with its
    area (and kecamatan), department, ``waiting_at`` (``waiting_at()``) and ``n_tickets``, the reports behind it
    (``proposal_report_counts``, with the proposal's and its activity's apart): one query for a page of them,
    whatever its length. ``status`` is a ``Proposal.Status``, a level of the review chain (waiting for that level),
    ``IN_REVIEW_ANY_LEVEL`` or ``TO_ACCEPT`` (recommended at every level)."""
    proposals = Proposal.objects.filter(fiscal_year=fiscal_year).annotate(waiting_at=waiting_at())
    if kelurahan is not None:
        proposals = proposals.filter(area=kelurahan)
    elif kecamatan is not None:
        proposals = proposals.filter(Q(area=kecamatan) | Q(area__parent=kecamatan))
    if department is not None:
        proposals = proposals.filter(department=department)
    if source:
        proposals = proposals.filter(source=source)
    if status in REVIEW_CHAIN:
        proposals = proposals.filter(status=Proposal.Status.IN_REVIEW, waiting_at=status)
    elif status == TO_ACCEPT:
        proposals = proposals.filter(status=Proposal.Status.IN_REVIEW, waiting_at="")
    elif status == IN_REVIEW_ANY_LEVEL:
        proposals = proposals.filter(status=Proposal.Status.IN_REVIEW)
    elif status:
        proposals = proposals.filter(status=status)
    return (
        proposals.select_related("area__parent", "department")
        .defer("problem", "area__boundary", "area__parent__boundary")
        .annotate(**proposal_report_counts())
        .order_by(*BOARD_ORDERS.get(sort, BOARD_ORDERS[""]))
    )


def _row_count(rows: QuerySet, group: str) -> Coalesce:
    """How many of ``rows`` (correlated to the outer query, grouped by ``group``) there are: 0 for none."""
    return Coalesce(Subquery(rows.order_by().values(group).annotate(n=Count("*")).values("n")), 0)


def proposal_report_counts(*, prefix: str = "n", public: bool = False) -> dict:
    """Annotations of a proposal's reports (``public``: only those anyone may open): ``<prefix>_tickets``, the reports
    behind it, those linked to the proposal and, once it is accepted, those linked to the activity it became, each
    counted once; ``<prefix>_proposal_tickets`` and ``<prefix>_activity_tickets``, the two links apart. An accepted
    proposal's reports are copied to its activity, which gathers more as the work is planned: the board read
    "Reports 0" for proposals whose activities held 13. One correlated count each, on the link tables' indexes."""
    on_proposal = Proposal.tickets.through.objects.filter(proposal=OuterRef("pk"))
    on_activity = ActivityTicket.objects.filter(activity=OuterRef("activity_id"))
    if public:
        on_proposal = on_proposal.filter(ticket__in=public_tickets().values("pk"))
        on_activity = on_activity.filter(ticket__in=public_tickets().values("pk"))
    on_both = on_proposal.filter(
        Exists(ActivityTicket.objects.filter(activity=OuterRef(OuterRef("activity_id")), ticket=OuterRef("ticket_id")))
    )
    own, activity = f"{prefix}_proposal_tickets", f"{prefix}_activity_tickets"
    return {
        own: _row_count(on_proposal, "proposal"),
        activity: _row_count(on_activity, "activity"),
        f"{prefix}_tickets": F(own) + F(activity) - _row_count(on_both, "proposal"),
    }


def proposal_reports(proposal: Proposal) -> Q:
    """The filter of the tickets behind ``proposal`` (``proposal_report_counts``): linked to it, or to its activity."""
    behind = Q(proposals=proposal)
    if proposal.activity_id:
        behind |= Q(activity_links__activity_id=proposal.activity_id)
    return behind


def proposal_sources(fiscal_year: FiscalYear) -> list[tuple[str, int]]:
    """How many of the year's proposals came from each source, every source named (the board's summary)."""
    counts = dict(
        Proposal.objects.filter(fiscal_year=fiscal_year)
        .order_by()
        .values("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in Proposal.Source.choices]


# Public reports named under each proposal on the public proposals page; the count says how many there are in all.
PUBLIC_PROPOSAL_TICKETS_SHOWN = 5
# Photos of a proposal shown on the public proposals page.
PUBLIC_PROPOSAL_PHOTOS_SHOWN = 3


def public_proposals(
    *, year: int | None = None, kecamatan=None, kelurahan=None, source: str = "", status: str = ""
) -> QuerySet:
    """The proposals (of fiscal year ``year``, if given) as the public proposals pages show them
    (``planning.public_views``), newest first, with what they show and nothing more: their area (and kecamatan),
    department, year and activity;
    ``n_tickets``, the reports behind them (linked to the proposal or to the activity it became,
    ``proposal_report_counts``), and ``n_public_tickets``, those anyone may open; the reviews' level, decision and
    note, never the reviewer (``public_reviews``); the public reports (``public_links``, at most
    ``PUBLIC_PROPOSAL_TICKETS_SHOWN``, ``public_proposal_links``) and photos (``public_photos``). The lists come in
    a flat number of queries for the page read, whatever its length."""
    proposals = Proposal.objects.all()
    if year is not None:
        proposals = proposals.filter(fiscal_year__year=year)
    if kelurahan is not None:
        proposals = proposals.filter(area=kelurahan)
    elif kecamatan is not None:
        proposals = proposals.filter(Q(area=kecamatan) | Q(area__parent=kecamatan))
    if source:
        proposals = proposals.filter(source=source)
    if status:
        proposals = proposals.filter(status=status)
    proposals = (
        proposals.select_related("fiscal_year", "area__parent", "department", "activity")
        .defer("problem", "proposer", "area__boundary", "area__parent__boundary")
        .annotate(**proposal_report_counts(), **proposal_report_counts(prefix="n_public", public=True))
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=ProposalReview.objects.only("proposal_id", "level", "decision", "note", "created_at"),
                to_attr="public_reviews",
            ),
            Prefetch(
                "photos",
                queryset=ProposalPhoto.objects.order_by("created_at", "id")[:PUBLIC_PROPOSAL_PHOTOS_SHOWN],
                to_attr="public_photos",
            ),
        )
        .order_by("-created_at", "-id")
    )
    # The public reports named come from the proposal and its activity alike (a prefetch follows one relation).
    proposals._iterable_class = _WithPublicLinks
    return proposals


class _WithPublicLinks(ModelIterable):
    """Proposals as read, each with ``public_links`` (``public_proposal_links``): one query for what was read."""

    def __iter__(self):
        proposals = list(super().__iter__())
        public_proposal_links(proposals)
        yield from proposals


def public_proposal_links(proposals: list[Proposal]) -> None:
    """Give each of ``proposals`` its ``public_links``: the newest public reports behind it (linked to it or to its
    activity, as ``proposal_report_counts`` counts them), at most ``PUBLIC_PROPOSAL_TICKETS_SHOWN``: one query for a
    page of proposals, whatever its length."""
    if not proposals:
        return
    shown = public_tickets().only("id", "reference", "title", "status", "created_at")
    # ``behind``: the proposal (or the activity) the ticket is linked to, read on the filter's own join.
    links = shown.filter(proposals__in=[p.pk for p in proposals]).annotate(
        behind=F("proposals"), via_activity=Value(False)
    )
    proposal_of = {p.activity_id: p.pk for p in proposals if p.activity_id}  # one proposal per activity
    if proposal_of:
        on_activities = shown.filter(activity_links__activity__in=list(proposal_of)).annotate(
            behind=F("activity_links__activity"), via_activity=Value(True)
        )
        links = links.union(on_activities, all=True)
    listed = defaultdict(dict)  # proposal pk -> {ticket pk: ticket}, newest first, each ticket once
    for ticket in links.order_by("-created_at", "-id"):
        proposal_id = proposal_of[ticket.behind] if ticket.via_activity else ticket.behind
        listed[proposal_id].setdefault(ticket.pk, ticket)
    for proposal in proposals:
        proposal.public_links = list(listed[proposal.pk].values())[:PUBLIC_PROPOSAL_TICKETS_SHOWN]


def stage_counts(fiscal_year: FiscalYear) -> list[tuple[str, str, int]]:
    counts = dict(
        Activity.objects.filter(fiscal_year=fiscal_year)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in Stage]


def map_tiles() -> dict:
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


def public_activities(
    *, year: int, department=None, kecamatan=None, kelurahan=None, service=None, stage: str = ""
) -> QuerySet[Activity]:
    """The activities of fiscal year ``year`` as the public activities list shows them (``planning.public_views``),
    by code, with what the public activity page shows and nothing more: their figures (``with_figures``: budget in
    force, realised, latest physical %), ``grade``, the latest evaluation's (None before one), and
    ``n_public_tickets``, the linked reports anyone may open. Narrowed to a department, a kecamatan or one of its
    kelurahan (an activity in any of them; a city-wide one has none), a service, a stage when given. One query for
    any number of activities: the counts and the grade are correlated subqueries, as the figures are."""
    activities = Activity.objects.filter(fiscal_year__year=year)
    if department is not None:
        activities = activities.filter(department=department)
    places = Activity.kelurahans.through.objects.filter(activity=OuterRef("pk"))
    if kelurahan is not None:
        activities = activities.filter(Exists(places.filter(area=kelurahan)))
    elif kecamatan is not None:
        activities = activities.filter(Exists(places.filter(area__parent=kecamatan)))
    if service is not None:
        activities = activities.filter(
            Exists(Activity.services.through.objects.filter(activity=OuterRef("pk"), service=service))
        )
    if stage:
        activities = activities.filter(stage=stage)
    latest_evaluation = Evaluation.objects.filter(activity=OuterRef("pk")).order_by("-created_at", "-id")
    public_links = ActivityTicket.objects.filter(activity=OuterRef("pk"), ticket__in=public_tickets().values("pk"))
    return (
        with_figures(activities)
        .select_related("fiscal_year")
        .defer("description")
        .annotate(
            grade=Subquery(latest_evaluation.values("grade")[:1]),
            n_public_tickets=_row_count(public_links, "activity"),
        )
        .order_by("code", "id")
    )
