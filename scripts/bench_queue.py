#!/usr/bin/env python
"""Staff queue page server time with many tickets: p50/p95 and SQL query count per scenario.

Needs PostgreSQL with seeded data (see README "Staff queue"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcity .venv/bin/python manage.py seed_bulk \\
        --reset --count 1000000 --department-share dlh:100000
    DATABASE_URL=... .venv/bin/python scripts/bench_queue.py --department dlh --runs 40

The page is requested through Django's test client with a logged-in staff member of the
department, so the time is the server's (view, queries, template), without network or browser.
Target: p95 under 150 ms for every scenario.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGET_P95_MS = 150.0


def scenarios(user_id: int, kelurahan_id: int, service_id: int) -> list[tuple[str, str]]:
    return [
        ("unfiltered (open, urgent then next due)", ""),  # the default work order
        ("all statuses, newest first", "status=all&sort=-age"),
        ("priority sort", "sort=priority"),
        ("status + priority filter", "status=in_progress&priority=3"),
        ("kelurahan + service", f"kelurahan={kelurahan_id}&service={service_id}&status=all"),
        ("overdue only", "overdue=on"),
        ("unassigned, oldest first", "assignee=unassigned&sort=age"),
        ("date range", "status=all&date_from=2026-01-01&date_to=2026-03-31"),
        ("text search", "status=all&q=jembatan"),
        ("page 20 of 50 rows", "status=all&page=20"),
        ("htmx partial, 100 rows", "page_size=100"),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--department", default="dlh", help="department code (default dlh)")
    parser.add_argument("--runs", type=int, default=30, help="requests per scenario (default 30)")
    args = parser.parse_args()

    if not settings.USING_POSTGRES:
        print("bench_queue needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    settings.ALLOWED_HOSTS = ["*"]

    from accounts.models import User
    from complaints.models import Ticket
    from services.models import Department, StaffMembership

    department = Department.objects.get(code=args.department)
    user, _ = User.objects.get_or_create(email=f"bench.{department.code}@banjarmasinkota.go.id")
    StaffMembership.objects.get_or_create(user=user, department=department)
    sample = Ticket.objects.filter(department=department).order_by("-id").values("area_id", "service_id").first()
    if sample is None:
        print(f"no tickets in {department}: run seed_bulk first", file=sys.stderr)
        return 2
    total = Ticket.objects.count()
    in_department = Ticket.objects.filter(department=department).count()

    client = Client()
    client.force_login(user)
    rows = []
    for name, query in scenarios(user.pk, sample["area_id"], sample["service_id"]):
        url = "/staf/antrian/" + (f"?{query}" if query else "")
        headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in name else {}
        for _ in range(3):  # warm caches and connections
            client.get(url, **headers)
        timings = []
        queries = 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"{name}: HTTP {response.status_code}", file=sys.stderr)
                return 1
            queries = len(captured)
        rows.append((name, statistics.median(timings), percentile(timings, 0.95), max(timings), queries))

    print(f"Queue benchmark: {total:,} tickets in the database, {in_department:,} in {department.short_name}")
    print(f"{args.runs} requests per scenario, Django test client, server time only\n")
    header = f"{'scenario':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}  verdict"
    print(header)
    print("-" * len(header))
    failures = 0
    for name, p50, p95, worst, queries in rows:
        ok = p95 < TARGET_P95_MS
        failures += not ok
        print(f"{name:32} {p50:8.1f} {p95:8.1f} {worst:8.1f} {queries:8d}  {'ok' if ok else 'SLOW'}")
    print(f"\ntarget p95 < {TARGET_P95_MS:.0f} ms: {'met' if not failures else f'{failures} scenario(s) over'}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
