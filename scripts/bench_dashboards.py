#!/usr/bin/env python
"""Benchmark the three dashboards at city scale: server time p50/p95 with a cold cache, and query count.

Needs PostgreSQL (DATABASE_URL). Seeds, when the database has fewer, 1,000,000 tickets (``manage.py seed_bulk``
when that command exists, else the set-based SQL below) and 2,000 planned activities with budget lines,
realisations, progress reports, milestones, indicators and evaluations for the current fiscal year. Refreshes the
daily roll-ups (``complaints.tasks.refresh_dashboard_rollups``; ``--live`` ignores them instead). Then renders
each dashboard N times through Django's test client (whole request: filters, queries, template), clearing the
cache before every request, and reports p50/p95 and the number of SQL queries. Target: p95 < 300 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_dash REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python scripts/bench_dashboards.py --tickets 1000000 --activities 2000 --runs 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings.base")
TARGET_MS = 300.0


def setup() -> None:
    import django

    sys.path.insert(0, str(ROOT / "scripts"))
    from ensure_database import ensure_database

    ensure_database()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.USING_POSTGRES:
        sys.exit("bench_dashboards needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    from services.areas import load_areas
    from services.models import Area, Service
    from services.seeding import seed_city

    if not Area.objects.exists():
        load_areas()
    if not Service.objects.exists():
        seed_city()


# Set-based seeding: one INSERT … SELECT FROM generate_series per table, so a million rows take seconds.
TICKETS_SQL = """
WITH svc AS (
    SELECT row_number() OVER (ORDER BY id) AS n, id, default_department_id, kind FROM services_service
), kel AS (
    SELECT row_number() OVER (ORDER BY id) AS n, id, label_lat, label_lng FROM services_area WHERE level = 'kelurahan'
), counts AS (SELECT (SELECT count(*) FROM svc) AS s, (SELECT count(*) FROM kel) AS k),
raw AS (
    SELECT g,
           now() - (random() * interval '1095 days') AS created,
           1 + floor(random() * (SELECT s FROM counts))::int AS sn,
           1 + floor(random() * (SELECT k FROM counts))::int AS kn,
           random() AS r, random() AS p, random() AS e
    FROM generate_series(1, %(count)s) AS g
), shaped AS (
    SELECT raw.*,
           CASE WHEN r < 0.02 THEN 'routed' WHEN r < 0.04 THEN 'acknowledged' WHEN r < 0.07 THEN 'in_progress'
                WHEN r < 0.10 THEN 'resolved' WHEN r < 0.12 THEN 'rejected' WHEN r < 0.13 THEN 'duplicate'
                ELSE 'closed' END AS status
    FROM raw
)
INSERT INTO complaints_ticket (
    reference, kind, service_id, channel, title, description, attributes, status, priority, privacy, show_name,
    reporter_name, reporter_email, reporter_phone, email_confirmed, confirmation_token, notify_reporter,
    lat, lng, address, area_id, department_id, support_count, escalation_level,
    created_at, updated_at, routed_at, acknowledged_at, resolved_at, closed_at, response_due_at, resolution_due_at
)
SELECT 'BENCH-' || g, svc.kind, svc.id, 'web', 'Laporan uji beban', 'Data uji beban dasbor.', '{}', status, 2,
       CASE WHEN p < 0.85 THEN 'public' WHEN p < 0.95 THEN 'anonymous' ELSE 'confidential' END, false,
       'Pelapor', 'bench@example.id', '', true, gen_random_uuid(), false,
       kel.label_lat, kel.label_lng, '', kel.id, svc.default_department_id, 0,
       CASE WHEN status IN ('routed', 'acknowledged', 'in_progress') AND e < 0.15 THEN 1 + floor(e * 10)::int %% 2
            ELSE 0 END,
       created, created, created,
       CASE WHEN status = 'routed' THEN NULL ELSE created + random() * interval '5 days' END,
       CASE WHEN status IN ('resolved', 'closed') THEN created + interval '1 hour' + random() * interval '12 days'
            END,
       CASE WHEN status = 'closed' THEN created + interval '14 days' END,
       created + interval '3 days', created + interval '7 days'
FROM shaped JOIN svc ON svc.n = shaped.sn JOIN kel ON kel.n = shaped.kn
"""

RATINGS_SQL = """
INSERT INTO complaints_rating (ticket_id, score, comment, created_at)
SELECT id, 1 + floor(random() * 5)::int, '', coalesce(closed_at, now())
FROM complaints_ticket WHERE status = 'closed' AND random() < 0.25
ON CONFLICT DO NOTHING
"""

REOPENED_SQL = """
INSERT INTO complaints_ticketevent (ticket_id, type, payload, public, created_at)
SELECT id, 'reopened', '{}', true, resolved_at + interval '1 day'
FROM complaints_ticket t WHERE resolved_at IS NOT NULL AND random() < 0.03
  AND NOT EXISTS (SELECT 1 FROM complaints_ticketevent e WHERE e.ticket_id = t.id AND e.type = 'reopened')
"""


def seed_tickets(target: int) -> None:
    from django.core.management import get_commands
    from django.db import connection

    from complaints.models import Ticket

    have = Ticket.objects.count()
    if have >= target:
        print(f"tickets: {have:,} present")
        return
    missing = target - have
    started = time.perf_counter()
    if "seed_bulk" in get_commands():
        from django.core.management import call_command

        call_command("seed_bulk", count=missing)
    else:
        with connection.cursor() as cursor:
            for offset in range(0, missing, 250_000):
                batch = min(250_000, missing - offset)
                cursor.execute(
                    TICKETS_SQL.replace("'BENCH-' || g", f"'BENCH-' || (g + {have + offset})"), {"count": batch}
                )
    # Ratings and reopenings for the satisfaction and reopen figures (whichever seeder made the tickets).
    with connection.cursor() as cursor:
        cursor.execute(RATINGS_SQL)
        cursor.execute(REOPENED_SQL)
        cursor.execute("ANALYZE complaints_ticket; ANALYZE complaints_rating; ANALYZE complaints_ticketevent;")
    print(f"tickets: seeded {missing:,} in {time.perf_counter() - started:.0f} s")


def seed_planning(target: int) -> None:
    """2,000 activities for the current fiscal year, with money, progress, milestones, indicators, grades."""

    from django.db import connection
    from django.utils import timezone

    from planning.demo import set_up_fiscal_year
    from planning.models import Activity

    year_number = timezone.localdate().year
    year = set_up_fiscal_year(year_number)  # the demo's calendar
    have = Activity.objects.filter(fiscal_year=year).count()
    if have >= target:
        print(f"activities: {have:,} present")
        return
    started = time.perf_counter()
    y = year.pk
    statements = [
        f"""INSERT INTO planning_programme (fiscal_year_id, code, name, department_id)
            SELECT {y}, 'BP-' || d.code, 'Program ' || d.short_name, d.id FROM services_department d
            ON CONFLICT DO NOTHING""",
        f"""INSERT INTO planning_activity (fiscal_year_id, programme_id, code, name, department_id, description,
                start_date, end_date, stage, stage_changed_at, created_at, lat, lng)
            SELECT {y}, p.id, 'BA-' || g, 'Kegiatan uji ' || g, p.department_id, '',
                   make_date({year_number}, 1 + (g % 6), 1), make_date({year_number}, 7 + (g % 6), 28),
                   (ARRAY['planned','budgeted','in_execution','in_execution','completed','evaluated'])[1 + g % 6],
                   now(), now(), NULL, NULL
            FROM generate_series({have + 1}, {target}) g
            JOIN LATERAL (SELECT id, department_id FROM planning_programme WHERE fiscal_year_id = {y}
                          ORDER BY id OFFSET (g % (SELECT count(*) FROM planning_programme WHERE fiscal_year_id = {y}))
                          LIMIT 1) p ON true""",
        f"""INSERT INTO planning_activity_kelurahans (activity_id, area_id)
            SELECT a.id, k.id FROM planning_activity a
            JOIN LATERAL (SELECT id FROM services_area WHERE level = 'kelurahan'
                          ORDER BY md5(a.id::text || id::text) LIMIT 1 + a.id % 2) k ON true
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' ON CONFLICT DO NOTHING""",
        f"""INSERT INTO planning_budgetline (activity_id, version, account_code, fund_source, description, amount,
                updated_at)
            SELECT a.id, v.version, '5.2.02', 'pad', '', (50 + a.id % 950) * 1000000 * v.factor, now()
            FROM planning_activity a
            CROSS JOIN (VALUES ('indicative', 1.1), ('original', 1.0), ('revised', 0.9)) v(version, factor)
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' AND a.stage <> 'planned'
              AND (v.version <> 'revised' OR a.id % 3 = 0) ON CONFLICT DO NOTHING""",
        f"""INSERT INTO planning_realisation (activity_id, date, amount, document_number, description, created_at)
            SELECT a.id, make_date({year_number}, m, 15), (5 + a.id % 95) * 1000000, 'SP2D-' || a.id || '-' || m, '',
                   now()
            FROM planning_activity a CROSS JOIN generate_series(1, 3) m
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' AND a.stage IN ('in_execution','completed','evaluated')
            ON CONFLICT DO NOTHING""",
        f"""INSERT INTO planning_progressreport (activity_id, month, physical_pct, problems, created_at)
            SELECT a.id, make_date({year_number}, m, 1), least(100, m * (10 + a.id % 20)), '', now()
            FROM planning_activity a CROSS JOIN generate_series(1, 3) m
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' AND a.stage IN ('in_execution','completed','evaluated')
            ON CONFLICT DO NOTHING""",
        f"""INSERT INTO planning_milestone (activity_id, name, due_date, met_on, status)
            SELECT a.id, 'Tahap ' || m, a.start_date + (m * 45), NULL, 'pending'
            FROM planning_activity a CROSS JOIN generate_series(1, 2) m
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%'""",
        f"""INSERT INTO planning_indicator (activity_id, level, description, unit, baseline, target, direction)
            SELECT a.id, 'output', 'Keluaran kegiatan', 'unit', 0, 100, 'increase'
            FROM planning_activity a WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%'""",
        f"""INSERT INTO planning_indicatorvalue (indicator_id, period, value, created_at)
            SELECT i.id, make_date({year_number}, 3, 31), 20 + i.id % 80, now()
            FROM planning_indicator i JOIN planning_activity a ON a.id = i.activity_id
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' ON CONFLICT DO NOTHING""",
        f"""INSERT INTO planning_evaluation (fiscal_year_id, activity_id, department_id, indicator_achievement_pct,
                achievement_basis, budget_absorption_pct, timeliness_pct, score, grade, findings, recommendations,
                created_at)
            SELECT {y}, a.id, a.department_id, 80, 'indicators', 90, 100, 50 + a.id % 50,
                   (ARRAY['very_high','high','medium','low','very_low'])[1 + a.id % 5], '', '', now()
            FROM planning_activity a WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' AND a.stage = 'evaluated'""",
        f"""INSERT INTO planning_activityticket (activity_id, ticket_id, added_at)
            SELECT a.id, t.id, now() FROM planning_activity a
            JOIN LATERAL (SELECT id FROM complaints_ticket WHERE area_id IN
                            (SELECT area_id FROM planning_activity_kelurahans WHERE activity_id = a.id)
                          ORDER BY created_at DESC LIMIT 5) t ON true
            WHERE a.fiscal_year_id = {y} AND a.code LIKE 'BA-%%' AND a.stage IN ('completed','evaluated')
            ON CONFLICT DO NOTHING""",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    print(f"activities: seeded {target - have:,} in {time.perf_counter() - started:.0f} s")


def refresh_rollups(*, live: bool) -> None:
    """Refresh the dashboards' roll-ups as the beat task does every 5 minutes (or, ``live``, switch them off)."""
    if live:
        from dashboards.queries import rollup

        rollup.refreshed_at = lambda: None
        print("roll-ups: ignored (--live)")
        return
    from complaints.tasks import refresh_dashboard_rollups

    started = time.perf_counter()
    refresh_dashboard_rollups()
    print(f"roll-ups: refreshed in {time.perf_counter() - started:.1f} s (the beat task's cost every 5 minutes)")


def users():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from services.models import Department, StaffMembership

    inspector, _ = User.objects.get_or_create(email="bench.inspektur@banjarmasinkota.go.id")
    inspector.groups.add(Group.objects.get(name="inspector"))
    staff, _ = User.objects.get_or_create(email="bench.pupr@banjarmasinkota.go.id")
    StaffMembership.objects.get_or_create(user=staff, department=Department.objects.get(code="pupr"))
    return inspector, staff


def measure(path: str, user, runs: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    timings, queries, sql_ms = [], [], []
    for _ in range(runs):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured))
        sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "p50": statistics.median(timings),
        "p95": p95,
        "queries": sorted(set(queries)),
        "sql_p50": statistics.median(sql_ms),
        "slowest": [(q["time"], q["sql"][:160]) for q in slowest],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="print the three slowest queries of each page")
    parser.add_argument(
        "--live", action="store_true", help="ignore the daily roll-ups: every figure computed from the tickets"
    )
    args = parser.parse_args()
    setup()
    from django.conf import settings

    settings.DEBUG = False
    seed_tickets(args.tickets)
    seed_planning(args.activities)
    refresh_rollups(live=args.live)
    inspector, staff = users()
    pages = [
        ("public", "/dasbor/publik/", None),
        ("department (Dinas PUPR)", "/dasbor/dinas/", staff),
        ("city", "/dasbor/kota/", inspector),
    ]
    measure(pages[0][1], None, 1)  # warm the connection and the template cache
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
    print(
        f"{'dashboard':<26}{'p50 ms':>9}{'p95 ms':>9}  queries  (cold cache, {args.runs} runs, target p95 < "
        f"{TARGET_MS:.0f} ms)"
    )
    worst = 0.0
    for name, path, user in pages:
        result = measure(path, user, args.runs)
        worst = max(worst, result["p95"])
        print(
            f"{name:<26}{result['p50']:>9.0f}{result['p95']:>9.0f}{result['sql_p50']:>9.0f}  {max(result['queries'])}"
        )
        if len(result["queries"]) > 1:
            print(f"    query counts varied between runs: {result['queries']}")
        if args.verbose:
            for seconds, sql in result["slowest"]:
                print(f"    {float(seconds) * 1000:7.0f} ms  {sql}")
    print("PASS" if worst < TARGET_MS else f"over target: worst p95 {worst:.0f} ms")


if __name__ == "__main__":
    main()
