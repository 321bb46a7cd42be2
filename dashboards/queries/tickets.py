"""Ticket figures: volumes, age of the open queue, SLA compliance, medians, satisfaction, reopen rate, hotspots.

Every function takes a ticket queryset already scoped by the caller (one department, the city, or
the public tickets) plus the filters, and answers with aggregate queries; nothing loops over tickets.

SLA rules (due dates were computed in working days by ``services.calendar`` at routing time):
- response met: the ticket was verified (``acknowledged_at``) by ``response_due_at``;
- resolution met: ``resolved_at`` by ``resolution_due_at``;
- a ticket still waiting past its due date counts as missed; one still waiting before it is not yet decided
  and is left out of the rate. Rejected, duplicate and unrouted tickets have no SLA outcome.
- while the department waits for the citizen's answer the ticket's clock is paused (``past_due``): it is overdue,
  and its SLA missed, only for a due date it had already missed when the wait began, as in the staff queue.

A report merged into another (status ``duplicate``) is not a problem of its own: the city answers it with the report
it went into. It counts as filed (``total``) and apart (``merged``); the share resolved or closed is of the problems
(``problems``: filed less merged), and the SLA rates give it no outcome (above), so merging a surge's duplicates lowers
no rate.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Case, CharField, Count, Exists, F, Min, OuterRef, Q, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import OPEN_STATUSES, EventType, Status, Ticket, TicketEvent

from .base import MIN_SAMPLE, WITA, Median, MedianSpec, Seconds, grouped_medians, hours, is_postgres, rate

NO_SLA_STATUSES = (Status.SUBMITTED, Status.REJECTED, Status.DUPLICATE)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)
SLA_WINDOWS = (30, 90)

# (key, label, how many whole WITA days up to today the bucket reaches back: see ``window_start``; None: older)
AGE_BUCKETS = [
    ("0-2", _("0–2 days"), 3),
    ("3-7", _("3–7 days"), 8),
    ("8-30", _("8–30 days"), 31),
    ("31+", _("over 30 days"), None),
]


def open_condition() -> Q:
    return Q(status__in=OPEN_STATUSES)


def past_due(due: str, now: dt.datetime) -> Q:
    """The due date ``due`` (``response_due_at`` or ``resolution_due_at``) has passed: before ``now`` on a running
    clock, before the wait began on a paused one. An open ticket waiting for the citizen's answer
    (``Ticket.waiting_for_citizen_since``) is late only for a date it had already missed when it was asked, as the
    staff queue's "Overdue only" has it (``complaints.queries.overdue_filter``); the wait's end moves its dates.

    Said as "before ``now``, and not one of the paused tickets still on time when their clock stopped": that small
    set is read once through its partial index (``ticket_waiting_citizen_idx``), so the covering indexes the figures
    are counted from, which hold no wait, still answer them index-only. The roll-ups say the same in SQL
    (``due < least(waiting since, now())``, complaints migration 0027); the two must change together."""
    on_time_when_paused = Ticket.objects.filter(
        waiting_for_citizen_since__isnull=False, **{f"{due}__gte": F("waiting_for_citizen_since")}
    ).values("pk")
    return Q(**{f"{due}__lt": now}) & ~Q(pk__in=on_time_when_paused)


def overdue_condition(now: dt.datetime) -> Q:
    """Open and past a due date (``past_due``): not verified by the response due date, or not resolved by the
    resolution one."""
    return open_condition() & (
        past_due("resolution_due_at", now) | (Q(acknowledged_at__isnull=True) & past_due("response_due_at", now))
    )


def _sla_conditions(now: dt.datetime, kind: str) -> tuple[Q, Q]:
    """(met, missed) conditions for ``kind`` ``response`` or ``resolution``."""
    done, due = ("acknowledged_at", "response_due_at") if kind == "response" else ("resolved_at", "resolution_due_at")
    counted = ~Q(status__in=NO_SLA_STATUSES) & Q(**{f"{due}__isnull": False})
    met = counted & Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})
    missed = counted & (
        Q(**{f"{done}__isnull": False, f"{done}__gt": F(due)}) | (Q(**{f"{done}__isnull": True}) & past_due(due, now))
    )
    if kind == "response":
        # Resolved or closed without the verify step: answered no later than resolution.
        met |= counted & Q(acknowledged_at__isnull=True, resolved_at__isnull=False, resolved_at__lte=F(due))
        missed = counted & (
            Q(acknowledged_at__isnull=False, acknowledged_at__gt=F(due))
            | Q(acknowledged_at__isnull=True, resolved_at__isnull=False, resolved_at__gt=F(due))
            | (Q(acknowledged_at__isnull=True, resolved_at__isnull=True) & past_due(due, now))
        )
    return met, missed


def reopened_condition() -> Q:
    return Q(Exists(TicketEvent.objects.filter(ticket=OuterRef("pk"), type=EventType.REOPENED)))


def age_bucket(now: dt.datetime) -> Case:
    """The ``AGE_BUCKETS`` key of a ticket by its filing day, so the roll-up (per filing day) agrees exactly."""
    whens = [
        When(created_at__gte=window_start(now, days), then=Value(key))
        for key, _label, days in AGE_BUCKETS
        if days is not None
    ]
    return Case(*whens, default=Value(AGE_BUCKETS[-1][0]), output_field=CharField())


def open_by_age(queryset, *, now: dt.datetime, counted: list[tuple] | None = None) -> dict:
    """The open queue now: counts per age bucket × status, and how many are overdue.

    One query, or none when ``counted`` (``(bucket, status, open, overdue)`` rows, as ``rollup.open_by_age``
    reads them) is given."""
    if counted is None:
        counted = (
            queryset.filter(open_condition())
            .order_by()
            .annotate(bucket=age_bucket(now))
            .values("bucket", "status")
            .annotate(n=Count("id"), overdue=Count("id", filter=overdue_condition(now)))
            .values_list("bucket", "status", "n", "overdue")
        )
    grid = {key: {status: 0 for status in OPEN_STATUSES} for key, _label, _days in AGE_BUCKETS}
    total = overdue = 0
    for bucket, status, n, late in counted:
        grid[bucket][status] = n
        total += n
        overdue += late
    return {"grid": grid, "open": total, "overdue": overdue}


def workload_by_assignee(queryset, *, now: dt.datetime, resolved_from: dt.datetime, resolved_to: dt.datetime) -> dict:
    """Per assignee id (None: unassigned): open tickets now, overdue now, the oldest open one's filing time, and
    the tickets resolved from ``resolved_from`` up to (not including) ``resolved_to`` and not open again since
    (reopening clears ``resolved_at``; the open check keeps that true for any row written otherwise).

    Two grouped queries, each an index-only scan of its own index (complaints migration 0019): the open tickets
    through ``ticket_open_age_idx``, the resolved ones through ``ticket_dept_resolved_idx`` (docs/dashboards.md,
    "Workload per officer").
    Returns ``{assignee_id: {"open", "overdue", "oldest", "resolved"}}`` with only the assignees found."""
    held = (
        queryset.filter(open_condition())
        .order_by()
        .values("assignee_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_condition(now)), oldest=Min("created_at"))
    )
    resolved = (
        queryset.filter(resolved_at__gte=resolved_from, resolved_at__lt=resolved_to)
        .exclude(open_condition())
        .order_by()
        .values("assignee_id")
        .annotate(resolved=Count("*"))  # COUNT(*): the index holds no id, and needs none to count
    )
    found: dict = {}
    for row in held:
        found[row.pop("assignee_id")] = {**row, "resolved": 0}
    for row in resolved:
        found.setdefault(row["assignee_id"], {"open": 0, "overdue": 0, "oldest": None})["resolved"] = row["resolved"]
    return found


def window_start(now: dt.datetime, days: int) -> dt.datetime:
    """Where "the last ``days`` days" begin: midnight WITA of the first of ``days`` calendar days ending today.

    Whole WITA days, so the daily roll-up (``rollup.sla_windows``) answers the same question exactly."""
    first = timezone.localtime(now, WITA).date() - dt.timedelta(days=days - 1)
    return dt.datetime.combine(first, dt.time.min, tzinfo=WITA)


def sla_windows(queryset, *, now: dt.datetime, windows=SLA_WINDOWS, counted: dict | None = None) -> dict:
    """Response and resolution SLA compliance of tickets filed in the last N days (``window_start``).

    One query for all windows, or none when ``counted`` (``{"response_30_met": n, …}``, as
    ``rollup.sla_windows`` reads them) is given."""
    if counted is None:
        annotations = {}
        for days in windows:
            since = Q(created_at__gte=window_start(now, days), created_at__lt=now)
            for kind in ("response", "resolution"):
                met, missed = _sla_conditions(now, kind)
                annotations[f"{kind}_{days}_met"] = Count("id", filter=since & met)
                annotations[f"{kind}_{days}_missed"] = Count("id", filter=since & missed)
        oldest = window_start(now, max(windows))
        counted = queryset.filter(created_at__gte=oldest).order_by().aggregate(**annotations)
    result = {}
    for days in windows:
        for kind in ("response", "resolution"):
            met, missed = counted[f"{kind}_{days}_met"], counted[f"{kind}_{days}_missed"]
            result[f"{kind}_{days}"] = {
                "met": met,
                "missed": missed,
                "decided": met + missed,
                "rate": rate(met, met + missed),
            }
    return result


MEDIAN_SPECS = {
    "acknowledge": MedianSpec("acknowledged_at", "created_at", Q(acknowledged_at__isnull=False)),
    "resolve": MedianSpec("resolved_at", "created_at", Q(resolved_at__isnull=False)),
}


def summary_annotations(now: dt.datetime) -> dict:
    """The aggregate expressions behind ``summarise``: counts of outcomes, SLA and ratings (all additive)."""
    response_met, response_missed = _sla_conditions(now, "response")
    resolution_met, resolution_missed = _sla_conditions(now, "resolution")
    return {
        "total": Count("id"),
        "open": Count("id", filter=open_condition()),
        "overdue": Count("id", filter=overdue_condition(now)),
        "done": Count("id", filter=Q(status__in=DONE_STATUSES)),
        "rejected": Count("id", filter=Q(status=Status.REJECTED)),
        "merged": Count("id", filter=Q(status=Status.DUPLICATE)),
        "acknowledged_count": Count("id", filter=Q(acknowledged_at__isnull=False)),
        "resolved_count": Count("id", filter=Q(resolved_at__isnull=False)),
        "response_met": Count("id", filter=response_met),
        "response_missed": Count("id", filter=response_missed),
        "resolution_met": Count("id", filter=resolution_met),
        "resolution_missed": Count("id", filter=resolution_missed),
        **{f"rating_{score}": Count("id", filter=Q(rating__score=score)) for score in range(1, 6)},
    }


def _counts(queryset, *, now: dt.datetime, group: str | None) -> tuple[dict, dict]:
    """Additive counts per ``group`` value (or under None), reopenings included. Two queries.

    Reopenings are counted from the (small, partially indexed) ``reopened`` events of the selection,
    not with a per-ticket EXISTS, which costs an index probe for every ticket in the range.
    """
    annotations = summary_annotations(now)
    if is_postgres():
        # The medians ride along in the same pass over the tickets.
        annotations.update(
            {
                f"_median_{name}": Median(Seconds(spec.end, spec.start), filter=spec.condition)
                for name, spec in MEDIAN_SPECS.items()
            }
        )
    selection = queryset.order_by()
    if group is None:
        rows = {None: selection.aggregate(**annotations)}
    else:
        rows = {row.pop(group): row for row in selection.values(group).annotate(**annotations)}
    events = TicketEvent.objects.filter(type=EventType.REOPENED, ticket__in=selection.values("pk")).order_by()
    reopen = {
        "reopened": Count("ticket", distinct=True),
        "reopened_open": Count("ticket", distinct=True, filter=Q(ticket__resolved_at__isnull=True)),
    }
    if group is None:
        reopened = {None: events.aggregate(**reopen)}
    else:
        reopened = {row.pop(f"ticket__{group}"): row for row in events.values(f"ticket__{group}").annotate(**reopen)}
    medians = {}
    for key, row in rows.items():
        found = reopened.get(key, {})
        row["reopened"] = found.get("reopened", 0)
        row["ever_resolved"] = row["resolved_count"] + found.get("reopened_open", 0)
        medians[key] = {name: row.pop(f"_median_{name}") for name in MEDIAN_SPECS if f"_median_{name}" in row}
    if not is_postgres():
        medians = grouped_medians(queryset, group, MEDIAN_SPECS)
    return rows, medians


def period_summary(queryset, *, now: dt.datetime, counted: dict | None = None, medians: dict | None = None) -> dict:
    """Tickets filed in the period: volume, outcomes, SLA, medians, satisfaction and reopen rate.

    Two aggregate queries, medians included on PostgreSQL (on SQLite one more query per median).
    ``counted``: the additive counts already read from the roll-up (``rollup.counts``); then only the
    medians are computed here, live, in one query, unless ``medians`` (``{name: seconds}``) are given too.
    """
    if counted is not None:
        if medians is None:
            medians = grouped_medians(queryset, None, MEDIAN_SPECS)[None]
        return summarise(counted.get(None) or _empty_counts(now), medians)
    rows, medians = _counts(queryset, now=now, group=None)
    return summarise(rows[None], medians.get(None, {}))


# Each rate of ``summarise`` and the counts it divides: (part, whole), both in the summary.
RATE_PARTS = {
    "done_rate": ("done", "problems"),
    "response_rate": ("response_met", "response_decided"),
    "resolution_rate": ("resolution_met", "resolution_decided"),
    "reopen_rate": ("reopened", "ever_resolved"),
}


def summarise(row: dict, medians: dict) -> dict:
    """Rates and medians (hours) from counts; below the minimum sample a figure is None ("not enough data")."""
    ratings = [row.get(f"rating_{score}", 0) or 0 for score in range(1, 6)]
    rated = sum(ratings)
    decided_response = row["response_met"] + row["response_missed"]
    decided_resolution = row["resolution_met"] + row["resolution_missed"]
    problems = row["total"] - row["merged"]
    return {
        **row,
        "problems": problems,
        "response_decided": decided_response,
        "resolution_decided": decided_resolution,
        "response_rate": rate(row["response_met"], decided_response),
        "resolution_rate": rate(row["resolution_met"], decided_resolution),
        "done_rate": rate(row["done"], problems),
        "reopen_rate": rate(row["reopened"], row["ever_resolved"]),
        "rated": rated,
        "ratings": ratings,
        "rating_avg": (
            round(sum(score * n for score, n in enumerate(ratings, start=1)) / rated, 2)
            if rated >= MIN_SAMPLE
            else None
        ),
        "median_acknowledge_hours": (
            hours(medians.get("acknowledge")) if row["acknowledged_count"] >= MIN_SAMPLE else None
        ),
        "median_resolve_hours": hours(medians.get("resolve")) if row["resolved_count"] >= MIN_SAMPLE else None,
    }


def top_services(queryset, *, limit: int = 10) -> list[dict]:
    return list(
        queryset.filter(service__isnull=False)
        .order_by()
        .values("service_id", "service__code", "service__name_id", "service__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "service__code")[:limit]
    )


def services_and_kelurahan(queryset, *, limit: int = 10) -> tuple[list[dict], list[dict]]:
    """``top_services`` and the per-kelurahan counts (tickets, open) in one pass over the tickets (PostgreSQL,
    ``GROUPING SETS``), ordered as the separate queries order them."""
    inner, params = queryset.order_by().values_list("service_id", "area_id", "status").query.sql_with_params()
    grouped = f"""
        SELECT GROUPING(s.service_id) = 1, s.service_id, s.area_id, count(*),
               count(*) FILTER (WHERE s.status = ANY(%s))
        FROM ({inner}) AS s(service_id, area_id, status)
        GROUP BY GROUPING SETS ((s.service_id), (s.area_id))
    """  # noqa: S608 - the inner query is Django's, with its parameters
    return named_places(grouped, [[str(s) for s in OPEN_STATUSES], *params], limit=limit)


def named_places(grouped: str, params: list, *, limit: int) -> tuple[list[dict], list[dict]]:
    """The top ``limit`` services and every kelurahan, named, from ``grouped``: SQL whose rows are
    ``(by_area, service_id, area_id, tickets, open)`` (the live pass above or ``rollup.department_places``)."""
    sql = f"""
        SELECT g.by_area, g.service_id, g.area_id, g.n, g.open,
               svc.code, svc.name_id, svc.name_en, a.code, a.name, k.name
        FROM ({grouped}) AS g(by_area, service_id, area_id, n, open)
        LEFT JOIN services_service svc ON svc.id = g.service_id
        LEFT JOIN services_area a ON a.id = g.area_id
        LEFT JOIN services_area k ON k.id = a.parent_id
        ORDER BY g.n DESC, svc.code, a.code
    """  # noqa: S608 - ``grouped`` is this package's SQL, with its parameters
    services, areas = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for by_area, service_id, area_id, n, open_, code, name_id, name_en, area_code, area, kecamatan in cursor:
            if by_area and area_id is not None:
                areas.append(
                    {"id": area_id, "code": area_code, "kelurahan": area, "kecamatan": kecamatan, "n": n, "open": open_}
                )
            elif not by_area and service_id is not None and len(services) < limit:
                services.append(
                    {
                        "service_id": service_id,
                        "service__code": code,
                        "service__name_id": name_id,
                        "service__name_en": name_en,
                        "n": n,
                    }
                )
    return services, areas


def by_kelurahan(queryset) -> dict[int, dict]:
    """Tickets per kelurahan (area id → counts): the choropleth's data."""
    rows = (
        queryset.filter(area__isnull=False)
        .order_by()
        .values("area_id")
        .annotate(n=Count("id"), open=Count("id", filter=open_condition()))
    )
    return {row["area_id"]: {"n": row["n"], "open": row["open"]} for row in rows}


def by_kecamatan(queryset) -> dict[int, int]:
    rows = queryset.filter(area__isnull=False).order_by().values("area__parent_id").annotate(n=Count("id"))
    return {row["area__parent_id"]: row["n"] for row in rows}


def weekly_trend(queryset) -> list[dict]:
    """Tickets filed per week (Monday, WITA), how many of them were merged into other reports and how many are
    resolved or closed by now. The week is a date: the page writes it as every other date ("8 Jun 2026"), the CSV and
    JSON downloads as ISO (2026-06-08)."""
    rows = (
        queryset.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            filed=Count("id"),
            merged=Count("id", filter=Q(status=Status.DUPLICATE)),
            done=Count("id", filter=Q(status__in=DONE_STATUSES)),
        )
        .order_by("week")
    )
    return [
        {
            "week": row["week"].date() if hasattr(row["week"], "date") else row["week"],
            "filed": row["filed"],
            "merged": row["merged"],
            "done": row["done"],
        }
        for row in rows
    ]


def _empty_counts(now: dt.datetime) -> dict:
    return dict.fromkeys(summary_annotations(now).keys() | {"reopened", "ever_resolved"}, 0)


def medians_with_total(queryset, group: str) -> tuple[dict, dict]:
    """Medians per ``group`` value and over the whole queryset, in seconds: one pass on PostgreSQL
    (``GROUPING SETS``), two elsewhere. Returns ``({group_value: {name: seconds}}, {name: seconds})``."""
    if not is_postgres():
        return grouped_medians(queryset, group, MEDIAN_SPECS), grouped_medians(queryset, None, MEDIAN_SPECS)[None]
    names = list(MEDIAN_SPECS)
    fields = list(dict.fromkeys(f for spec in MEDIAN_SPECS.values() for f in (spec.end, spec.start)))
    inner, params = queryset.order_by().values_list(group, *fields).query.sql_with_params()
    columns = ["g", *fields]
    medians = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (s.{spec.end} - s.{spec.start})))"
        f" FILTER (WHERE s.{spec.end} IS NOT NULL AND s.{spec.start} IS NOT NULL)"
        for spec in MEDIAN_SPECS.values()
    )
    sql = (
        f"SELECT GROUPING(s.g), s.g, {medians} FROM ({inner}) AS s({', '.join(columns)}) "  # noqa: S608
        "GROUP BY GROUPING SETS ((s.g), ())"
    )
    per_group, overall = {}, dict.fromkeys(names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, key, *values in cursor.fetchall():
            found = dict(zip(names, values, strict=True))
            if grouping:
                overall = found
            else:
                per_group[key] = found
    return per_group, overall


def by_department(
    queryset, *, now: dt.datetime, counted: dict | None = None, medians: tuple[dict, dict] | None = None
) -> tuple[dict[int, dict], dict]:
    """``period_summary`` for every department at once, and for the whole selection.

    The totals add up the departments' counts (every count is additive); only the medians need their own query.
    ``counted``: the per-department counts already read from the roll-up; then only the medians are
    computed here (per department and overall in one query), unless ``medians`` (as ``medians_with_total``
    returns them) are given too.
    """
    if counted is not None:
        rows = counted
        per_department, overall = medians if medians is not None else medians_with_total(queryset, "department_id")
    else:
        rows, per_department = _counts(queryset, now=now, group="department_id")
        overall = grouped_medians(queryset, None, MEDIAN_SPECS).get(None, {})
    keys = next(iter(rows.values())).keys() if rows else _empty_counts(now).keys()
    total = {key: sum(row.get(key) or 0 for row in rows.values()) for key in keys}
    departments = {
        department_id: summarise(row, per_department.get(department_id, {}))
        for department_id, row in rows.items()
        if department_id is not None
    }
    return departments, summarise(total, overall)


def escalations_waiting(queryset) -> list[dict]:
    """Open escalated tickets per department and level (counts only: no ticket details)."""
    return list(
        queryset.filter(open_condition(), escalation_level__gt=0)
        .order_by()
        .values("department_id", "escalation_level")
        .annotate(n=Count("id"))
        .order_by("department_id", "escalation_level")
    )
