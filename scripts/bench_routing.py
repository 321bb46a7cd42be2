#!/usr/bin/env python
"""Routing benchmark: PostgreSQL, a private Redis and one Celery worker on this machine.

Two figures (targets: ≥ 300 routed/s at full load, p95 < 1 s at 50 filings/s):

1. full load: ``BENCH_BACKLOG`` submitted tickets are committed and their ``route_ticket`` tasks
   published at once; routed tickets per second while the worker drains them;
2. latency: once the worker is idle again, tickets filed at a steady 50/s for ``BENCH_SECONDS``, each asking
   for routing as a filing does (``request_routing``: one task at a time); commit-to-routed latency p50/p95
   (commit seen by the filer → the ``routed`` event's timestamp written by the worker).

Each ticket has a reporter subscription and a department address, so routing also queues and
sends two notifications (their tasks share the worker), as in production.

    make bench-routing
    BENCH_POOL=solo BENCH_CONCURRENCY=1 make bench-routing     # the strictest "one process" reading

Uses its own database (``bench_routing``) and starts its own redis-server (port 6392, no persistence).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

DATABASE_URL = os.environ.get("BENCH_ROUTING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_routing")
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", 6392))
BACKLOG = int(os.environ.get("BENCH_BACKLOG", 3000))
RATE = float(os.environ.get("BENCH_RATE", 50))
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
POOL = os.environ.get("BENCH_POOL", "prefork")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", os.cpu_count() or 1))

os.environ.update(
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
    DJANGO_SETTINGS_MODULE="smartcity.settings.base",
    EMAIL_URL="dummymail://",
    LOG_LEVEL="ERROR",
)
if REDIS_PORT == 6379:
    sys.exit("refusing to run against the shared Redis on 6379: pick another BENCH_REDIS_PORT")

from faults_routing import RedisServer, ensure_database, log, setup_django  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


PLACES = [
    ("sampah-menumpuk", "63.71.05.1003"),
    ("genangan-banjir", "63.71.01.1001"),
    ("pju-mati", "63.71.02.1001"),
    ("air-mati", "63.71.03.1001"),
    ("pohon-tumbang", "63.71.04.1001"),
    ("drainase-tersumbat", "63.71.01.1005"),
    ("parkir-liar", "63.71.05.1001"),
]


def build_tickets(count: int, start: int):
    """Unsaved submitted tickets spread over several services and kelurahan (pins scattered ~±500 m)."""
    import random

    from complaints.models import Ticket
    from services.models import Area, Service

    services = {s.code: s for s in Service.objects.filter(code__in=[p[0] for p in PLACES])}
    areas = {a.code: a for a in Area.objects.filter(code__in=[p[1] for p in PLACES])}
    rng = random.Random(start)
    tickets = []
    for i in range(start, start + count):
        code, area_code = PLACES[i % len(PLACES)]
        area, service = areas[area_code], services[code]
        tickets.append(
            Ticket(
                service=service,
                kind=service.kind,
                area=area,
                lat=area.label_lat + rng.uniform(-0.004, 0.004),
                lng=area.label_lng + rng.uniform(-0.004, 0.004),
                title=f"Laporan uji {i}",
                description="Pengujian kinerja routing.",
                reporter_email=f"warga{i}@example.id",
                reference=f"BENCH-{i:07d}",
            )
        )
    return tickets


def save_with_followers(tickets):
    from complaints.models import Subscription, Ticket

    saved = Ticket.objects.bulk_create(tickets)
    Subscription.objects.bulk_create(
        [Subscription(ticket=t, email=t.reporter_email, reason=Subscription.Reason.REPORTER) for t in saved]
    )
    return saved


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every live process in the worker's process group (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[2] is the process group id
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wait_routed(ids, timeout):
    from complaints.models import Status, Ticket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = Ticket.objects.filter(pk__in=ids, status=Status.SUBMITTED).count()
        if not left:
            return 0
        time.sleep(0.25)
    return left


def wait_queue_idle(timeout: float) -> float:
    """Seconds until the broker holds no waiting and no unacknowledged task (kombu's ``unacked`` hash)."""
    import redis
    from django.conf import settings

    from complaints.management.commands.routing_status import queue_depth

    client = redis.Redis(port=REDIS_PORT)
    queues = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not any(queue_depth(queue) for queue in queues) and not client.hlen("unacked"):
            break
        time.sleep(0.1)
    return time.monotonic() - started


def main() -> int:
    ensure_database()
    workdir = Path(tempfile.mkdtemp(prefix="bench-routing-"))
    redis_server = RedisServer(REDIS_PORT, workdir)
    redis_server.start()
    setup_django()

    from django.db import transaction

    from complaints.models import EventType, TicketEvent
    from complaints.tasks import request_routing, route_ticket
    from smartcity.celery import app
    from smartcity.taskqueue import enqueue
    from tests.worker import purge_queue, start_worker, stop_worker, wait_for_ping

    env = dict(os.environ, PYTHONPATH=str(ROOT), CELERY_SKIP_CHECKS="1", LOG_LEVEL="WARNING")
    purge_queue(app)
    worker = start_worker(env=env, log_path=workdir / "worker.log", pool=POOL, concurrency=CONCURRENCY)
    try:
        wait_for_ping(app, worker)
        # Warm up: the worker loads the geo index and caches before we measure.
        warm = save_with_followers(build_tickets(50, 0))
        for ticket in warm:
            enqueue(route_ticket, ticket.pk)
        wait_routed([t.pk for t in warm], 60)

        # 1. Full load: a backlog published at once.
        backlog = save_with_followers(build_tickets(BACKLOG, 100))
        ids = [t.pk for t in backlog]
        log(f"full load: publishing {BACKLOG} route_ticket tasks")
        cpu_before = group_cpu_seconds(worker.process.pid)
        started = time.monotonic()
        for pk in ids:
            enqueue(route_ticket, pk)
        published = time.monotonic() - started
        left = wait_routed(ids, 600)
        drained = time.monotonic() - started
        routed = BACKLOG - left
        throughput = routed / drained
        log(f"full load: {routed} routed in {drained:.1f} s (publishing took {published:.1f} s)")
        # The backlog's tasks outlive its routing: the ``route_ticket`` tasks of tickets a batch already
        # routed, and the notification tasks. The steady phase starts on an idle worker, or its tickets'
        # tasks would wait behind those (seconds); the CPU figure covers them all.
        cpu_routing = (group_cpu_seconds(worker.process.pid) - cpu_before) / max(routed, 1)
        idle_after = wait_queue_idle(600)
        cpu_per_ticket = (group_cpu_seconds(worker.process.pid) - cpu_before) / max(routed, 1)
        log(f"full load: queue empty {idle_after:.1f} s later")

        # 2. Latency at a steady rate.
        total = int(RATE * SECONDS)
        log(f"steady: filing {total} tickets at {RATE:.0f}/s")
        committed: dict[int, float] = {}
        start_index = 100 + BACKLOG

        def file_steady():
            from django.db import connection

            begin = time.monotonic()
            for n in range(total):
                pause = begin + n / RATE - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                with transaction.atomic():
                    (ticket,) = save_with_followers(build_tickets(1, start_index + n))
                    # As filing does: one routing task at a time (complaints.tasks.request_routing).
                    transaction.on_commit(lambda pk=ticket.pk: request_routing(pk))
                committed[ticket.pk] = time.time()
            connection.close()

        filer = threading.Thread(target=file_steady)
        filer.start()
        filer.join()
        wait_routed(list(committed), 120)
        routed_at = dict(
            TicketEvent.objects.filter(ticket_id__in=list(committed), type=EventType.ROUTED).values_list(
                "ticket_id", "created_at"
            )
        )
        latencies = [
            (routed_at[pk] - dt.datetime.fromtimestamp(at, dt.UTC)).total_seconds()
            for pk, at in committed.items()
            if pk in routed_at
        ]
    finally:
        stop_worker(worker)
        redis_server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    load = os.getloadavg()
    print()
    print(f"machine:             {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print(f"worker:              one worker, pool={POOL}, concurrency={CONCURRENCY if POOL == 'prefork' else 1}")
    print(f"full load:           {throughput:.0f} routed tickets/s ({BACKLOG} tickets; target ≥ 300)")
    print(
        f"worker CPU:          {cpu_routing * 1000:.1f} ms per ticket until all were routed; "
        f"{cpu_per_ticket * 1000:.1f} ms with the tasks left behind (no-op route_ticket, notifications: "
        f"queue empty {idle_after:.1f} s later) → at most {1 / cpu_per_ticket:.0f}/s per fully free core"
    )
    print(
        f"latency at {RATE:.0f}/s:    p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {max(latencies, default=0) * 1000:.0f} ms over {len(latencies)} tickets (target p95 < 1000 ms)"
    )
    print(f"mean latency:        {statistics.fmean(latencies) * 1000:.0f} ms" if latencies else "no latencies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
