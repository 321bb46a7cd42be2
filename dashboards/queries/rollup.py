"""Ticket counts read from the daily roll-ups (PostgreSQL materialized views, complaints migrations 0005, 0014, 0015;
0027 redefines the views of 0005 and 0015 for a paused clock, as ``tickets.past_due``).

The views hold, per WITA filing day, every additive count the dashboards show, with "now" (SLA and overdue
conditions) taken at the refresh. ``complaints.tasks.refresh_dashboard_rollups`` refreshes them every few
minutes; the dashboards never write. They are used only when they answer the question exactly:

- PostgreSQL, no kecamatan/kelurahan/service filter (the views are per day × department × public flag,
  per day × kelurahan × public flag, per day × department × service or kelurahan and per day × department ×
  open status), and not asked for a given moment (``now``: tests, downloads of a past state);
- refreshed within ``MAX_AGE`` (a dead beat falls back to the live computation instead of showing old figures);
- not empty (a fresh database computes live).

Medians are not additive: ``dashboard_window_medians`` holds them for the default window as of the refresh
(used only when the filters ask for exactly that window); any other window computes them live.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .base import Filters, is_postgres
from .tickets import AGE_BUCKETS, named_places, window_start

MAX_AGE = dt.timedelta(minutes=20)
DAILY = "dashboard_ticket_daily"
AREA = "dashboard_ticket_area_daily"
PLACE = "dashboard_ticket_place_daily"
OPEN = "dashboard_ticket_open_daily"
MEDIANS = "dashboard_window_medians"
COUNT_COLUMNS = (
    "total",
    "open",
    "overdue",
    "done",
    "rejected",
    "acknowledged_count",
    "resolved_count",
    "response_met",
    "response_missed",
    "resolution_met",
    "resolution_missed",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "reopened",
    "reopened_open",
)
# The reports merged into others (``tickets.summary_annotations``'s ``merged``): the views hold no column of them, but
# every filed ticket is open, done, rejected or merged, so they are what the other three leave of the total.
MERGED = "total - open - done - rejected"
# What ``counts`` sums: each column, and the merged reports.
SUMMED = {**{column: column for column in COUNT_COLUMNS}, "merged": MERGED}


def refreshed_at() -> dt.datetime | None:
    """When the roll-ups were last refreshed (None: not on PostgreSQL, or no tickets at the last refresh)."""
    if not is_postgres():
        return None
    # The migrations create the views populated (over no tickets: empty, so the pages compute live until the
    # first refresh); an error here would abort the page's transaction, so none is caught.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT refreshed_at FROM {DAILY} LIMIT 1")  # noqa: S608 - constant name
        row = cursor.fetchone()
    return row[0] if row else None


def usable(filters: Filters, *, now: dt.datetime | None, moment: dt.datetime) -> dt.datetime | None:
    """The refresh time when the roll-ups can answer ``filters`` exactly, else None (compute live)."""
    if now is not None or filters.kecamatan_id or filters.kelurahan_id or filters.service_id:
        return None
    at = refreshed_at()
    if at is None or moment - at > MAX_AGE:
        return None
    return at


def _where(filters: Filters, *, public: bool, department: bool = True) -> tuple[str, list]:
    sql, params = ["day BETWEEN %s AND %s"], [filters.date_from, filters.date_to]
    if public:
        sql.append("public")
    if department and filters.department_id:
        sql.append("department_id = %s")
        params.append(filters.department_id)
    return " AND ".join(sql), params


def counts(filters: Filters, *, public: bool, by_department: bool) -> dict:
    """Additive counts as ``tickets._counts`` returns them: ``{department_id or None: row}``."""
    where, params = _where(filters, public=public)
    sums = ", ".join(f"coalesce(sum({expression}), 0)::bigint" for expression in SUMMED.values())
    group = "department_id" if by_department else "NULL::int"
    sql = f"SELECT {group}, {sums} FROM {DAILY} WHERE {where}"  # noqa: S608 - constant names
    if by_department:
        sql += " GROUP BY department_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows = {}
    for key, *values in fetched:
        row = dict(zip(SUMMED, (int(v) for v in values), strict=True))
        reopened_open = row.pop("reopened_open")
        row["ever_resolved"] = row["resolved_count"] + reopened_open
        rows[key or None] = row
    return rows


def sla_windows(department_id: int, at: dt.datetime, windows: tuple[int, ...]) -> dict:
    """One department's SLA met/missed counts over the last N whole WITA days up to the refresh, keyed as
    ``tickets.sla_windows`` aggregates them (``{"response_30_met": n, …}``); the windows start where
    ``tickets.window_start`` says, so the live computation at the refresh time gives the same counts."""
    # (the key tickets.sla_windows reads, the window's first day, the roll-up column) per counted figure
    figures = [
        (f"{kind}_{days}_{outcome}", window_start(at, days).date(), f"{kind}_{outcome}")
        for days in windows
        for kind in ("response", "resolution")
        for outcome in ("met", "missed")
    ]
    sums = ", ".join(f"coalesce(sum({column}) FILTER (WHERE day >= %s), 0)::bigint" for _key, _first, column in figures)
    sql = f"SELECT {sums} FROM {DAILY} WHERE department_id = %s AND day >= %s"  # noqa: S608 - constant names
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(first for _key, first, _column in figures), department_id, min(f[1] for f in figures)])
        values = cursor.fetchone()
    return {key: int(value) for (key, _first, _column), value in zip(figures, values, strict=True)}


def weekly(filters: Filters, *, public: bool) -> list[dict]:
    """Filed, merged and done per week (Monday of the WITA filing day), as ``tickets.weekly_trend``."""
    where, params = _where(filters, public=public)
    sql = (
        f"SELECT date_trunc('week', day)::date AS week, sum(total)::bigint, sum({MERGED})::bigint, "  # noqa: S608
        f"sum(done)::bigint FROM {DAILY} WHERE {where} GROUP BY 1 ORDER BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"week": week, "filed": int(n), "merged": int(m), "done": int(d)} for week, n, m, d in cursor.fetchall()
        ]


def kelurahan(filters: Filters, *, public: bool) -> list[dict] | None:
    """Tickets and open tickets per kelurahan, ordered as the live table; None with a department filter."""
    if filters.department_id:
        return None
    where, params = _where(filters, public=public, department=False)
    sql = f"""
        SELECT a.id, a.code, a.name, k.name, c.n, c.open
        FROM (SELECT area_id, sum(total)::bigint AS n, sum(open)::bigint AS open
              FROM {AREA} WHERE {where} GROUP BY area_id) c
        JOIN services_area a ON a.id = c.area_id
        LEFT JOIN services_area k ON k.id = a.parent_id
        ORDER BY c.n DESC, a.code
    """  # noqa: S608 - constant names
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"id": i, "code": code, "kelurahan": name, "kecamatan": parent, "n": int(n), "open": int(o)}
            for i, code, name, parent, n, o in cursor.fetchall()
        ]


def kecamatan(filters: Filters, *, public: bool) -> dict[int, int] | None:
    """Tickets per kecamatan (id → count), as ``tickets.by_kecamatan``; None with a department filter."""
    if filters.department_id:
        return None
    where, params = _where(filters, public=public, department=False)
    sql = f"""
        SELECT a.parent_id, sum(c.total)::bigint
        FROM {AREA} c JOIN services_area a ON a.id = c.area_id
        WHERE {where} GROUP BY a.parent_id
    """  # noqa: S608 - constant names
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {parent: int(n) for parent, n in cursor.fetchall()}


def department_places(filters: Filters, *, limit: int = 10) -> tuple[list[dict], list[dict]]:
    """One department's top services and tickets per kelurahan, as ``tickets.services_and_kelurahan``."""
    sql = f"""
        SELECT kind = 'area', CASE WHEN kind = 'service' THEN key_id END, CASE WHEN kind = 'area' THEN key_id END,
               sum(total)::bigint, sum(open)::bigint
        FROM {PLACE}
        WHERE department_id = %s AND day BETWEEN %s AND %s AND key_id <> 0
        GROUP BY kind, key_id
    """  # noqa: S608 - constant name
    return named_places(sql, [filters.department_id, filters.date_from, filters.date_to], limit=limit)


def open_by_age(department_id: int, at: dt.datetime) -> list[tuple]:
    """One department's open tickets and overdue ones as of the refresh ``at``, per age bucket × status, as
    ``tickets.open_by_age`` counts them (``(bucket, status, open, overdue)`` rows)."""
    starts = [(key, window_start(at, days).date()) for key, _label, days in AGE_BUCKETS if days is not None]
    whens = " ".join("WHEN day >= %s THEN %s" for _start in starts)
    sql = (
        f"SELECT CASE {whens} ELSE %s END AS bucket, status, sum(open)::bigint, sum(overdue)::bigint "  # noqa: S608
        f"FROM {OPEN} WHERE department_id = %s GROUP BY 1, 2"
    )
    params = [value for key, first in starts for value in (first, key)] + [AGE_BUCKETS[-1][0], department_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(bucket, status, int(n), int(late)) for bucket, status, n, late in cursor.fetchall()]


def medians(filters: Filters, *, public: bool) -> tuple[dict, dict] | None:
    """``({department_id or None: {name: seconds}}, {name: seconds})`` for the window computed at the refresh,
    or None when ``filters`` ask for another window or a department (then the medians are computed live)."""
    if filters.department_id:
        return None
    sql = (
        f"SELECT overall, department_id, acknowledge, resolve FROM {MEDIANS} "  # noqa: S608 - constant name
        "WHERE scope = %s AND date_from = %s AND date_to = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["public" if public else "all", filters.date_from, filters.date_to])
        fetched = cursor.fetchall()
    if not fetched:
        return None
    per_department, overall = {}, {"acknowledge": None, "resolve": None}
    for is_overall, department_id, acknowledge, resolve in fetched:
        found = {"acknowledge": acknowledge, "resolve": resolve}
        if is_overall:
            overall = found
        else:
            per_department[department_id or None] = found
    return per_department, overall
