"""Prepare the benchmark database: schema, the city, 1,000,000 tickets with events, 2,000 activities, users, keys.

Seeding is skipped when the database already holds the requested number of
tickets, so a second ``make bench`` goes straight to measuring.
"""

from __future__ import annotations

import subprocess
from urllib.parse import urlparse

from .common import ROOT, log, manage

BENCH_PASSWORD = "bench-rahasia-123"


def ensure_database(database_url: str) -> None:
    import psycopg2

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres", dbname="postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            log(f"creating database {name}")
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def schema_and_city(env: dict) -> None:
    """Migrations (with the ceiling app), the city catalogue, static files for production templates."""
    env = dict(env, BENCHMARK_CEILING="1")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("createcachetable", env=env)
    manage("seed_city", env=env, capture=True)
    manage("collectstatic", "--noinput", "-v", "0", env=env)


def _has_command(env: dict, name: str) -> bool:
    out = manage("help", "--commands", env=env, capture=True, check=False)
    return name in out.stdout.split()


def ticket_count() -> int:
    from django.db import connection

    from complaints.models import Ticket

    # reltuples is instant on 1M rows; fall back to count() on small tables.
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [Ticket._meta.db_table])
        row = cur.fetchone()
    estimate = int(row[0]) if row and row[0] and row[0] > 0 else 0
    return estimate if estimate > 200_000 else Ticket.objects.count()


def seed_tickets(env: dict, tickets: int, results: dict) -> None:
    have = ticket_count()
    if have >= tickets * 0.98:
        log(f"{have} tickets already there: seeding skipped")
        results["seed"] = {"tickets": have, "seeded_now": False}
        return
    if not _has_command(env, "seed_bulk"):
        raise RuntimeError("manage.py seed_bulk is not available yet (staff queue issue)")
    log(f"seeding {tickets} tickets with events (seed_bulk, COPY)")
    # A tenth in DLH: the queue benchmark's department has a known, realistic size.
    share = f"dlh:{tickets // 10}"
    out = manage(
        "seed_bulk", "--reset", "--count", str(tickets), "--department-share", share, env=env, capture=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"seed_bulk failed: {out.stderr[-1500:]}")
    results["seed"] = {"tickets": ticket_count(), "seeded_now": True, "output": out.stdout.strip()[-500:]}


def seed_activities(env: dict, activities: int, results: dict) -> None:
    """2,000 planned activities with their money, progress and grades, before any step measures.

    The owners' dashboard script (scripts/bench_dashboards.py) holds the one seeding of the plan; calling it
    here means every step sees the activities, not only those after that script runs."""
    import sys

    from planning.models import Activity

    if Activity.objects.count() < activities:
        sys.path.insert(0, str(ROOT / "scripts"))
        from bench_dashboards import seed_planning

        seed_planning(activities)
    results["activities"] = Activity.objects.count()


def bench_accounts() -> dict:
    """A citizen with an API token, staff of the busiest department, a head, an inspector, a planner, API key."""
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from accounts.models import User
    from accounts.tokens import issue_token
    from complaints.models import Ticket
    from open311.models import ApiKey
    from services.models import Department, StaffMembership

    def user(email, **extra):
        obj, created = User.objects.get_or_create(email=email, defaults={"full_name": email.split("@")[0], **extra})
        if created or not obj.check_password(BENCH_PASSWORD):
            obj.set_password(BENCH_PASSWORD)
            obj.save()
        try:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=obj, email=email, defaults={"verified": True, "primary": True})
        except Exception:  # noqa: BLE001 - allauth tables are optional for the harness
            pass
        return obj

    busiest = (
        Ticket.objects.filter(status__in=["routed", "acknowledged", "in_progress"])
        .values("department")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
        if Ticket.objects.exists()
        else None
    )
    department = Department.objects.get(pk=busiest["department"]) if busiest and busiest["department"] else None
    department = department or Department.objects.order_by("pk").first()
    citizen = user("bench.warga@example.id")
    staff = user("bench.petugas@banjarmasinkota.go.id")
    head = user("bench.kepala@banjarmasinkota.go.id")
    StaffMembership.objects.get_or_create(user=staff, department=department, defaults={"role": "staff"})
    StaffMembership.objects.get_or_create(user=head, department=department, defaults={"role": "head"})
    roles = {}
    for group in ("inspector", "planner", "administrator"):
        u = user(f"bench.{group}@banjarmasinkota.go.id")
        g = Group.objects.filter(name=group).first()
        if g:
            u.groups.add(g)
        roles[group] = u
    token = issue_token(citizen)  # a new one each run: the table keeps no key to read back
    ApiKey.objects.filter(name="benchmark").delete()
    _key, raw = ApiKey.issue(name="benchmark", rate_limit_per_hour=100_000_000)
    return {
        "citizen": citizen,
        "staff": staff,
        "head": head,
        "department": department,
        "token": token,
        "api_key": raw,
        **roles,
    }


def flush_bench_redis(redis_url: str) -> None:
    """Empty the benchmark's own Redis database (never the shared ones)."""
    import redis

    if not redis_url.rstrip("/").split("/")[-1].isdigit() or redis_url.rstrip("/").endswith("/0"):
        raise RuntimeError(f"refusing to flush {redis_url}: give the benchmark its own Redis database number")
    redis.Redis.from_url(redis_url).flushdb()


def git_changes() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""
