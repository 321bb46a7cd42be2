#!/usr/bin/env python
"""Fault test for routing: 500 tickets filed while the worker dies and the broker goes away.

Runs against PostgreSQL (its own database, default ``faults_routing``) and a Redis server it
starts itself on a spare port (default 6390, persistence off) — never the shared 6379. While a
thread files 500 tickets at a steady rate (through ``complaints.actions.file_ticket``):

  (a) the worker is killed with SIGKILL mid-run and a new one is started;
  (b) the Redis server is restarted with persistence off (every queued message is lost);
  (c) the Redis server is stopped for a few seconds, so some filings cannot publish at all.

Then the sweep (``route_pending``, what beat runs every minute) is called until nothing is left
submitted, and the script checks every one of the 500 tickets was routed exactly once (one
``routed`` event each), prints the counts and exits non-zero on any failure. Bounded: < 5 minutes.

    make faults-routing            # or: .venv/bin/python scripts/faults_routing.py
    FAULTS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other FAULTS_REDIS_PORT=6391 make faults-routing
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOTAL = int(os.environ.get("FAULTS_TICKETS", 500))
RATE = float(os.environ.get("FAULTS_RATE", 20))  # filings per second
DATABASE_URL = os.environ.get("FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/faults_routing")
REDIS_PORT = int(os.environ.get("FAULTS_REDIS_PORT", 6390))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
DEADLINE_SECONDS = 280


def configure() -> None:
    """This script's own database and Redis, set before Django reads its settings."""
    if REDIS_PORT == 6379:
        sys.exit("refusing to run against the shared Redis on 6379: pick another FAULTS_REDIS_PORT")
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="smartcity.settings.base",
        EMAIL_URL="memorymail://",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "ERROR"),
        FILING_RATE_LIMIT="1000000/s",
        FILING_IP_RATE_LIMIT="1000000/s",
    )


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_database(database_url: str | None = None) -> None:
    import psycopg2

    url = urlparse(database_url or os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    conn = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


class RedisServer:
    """A private redis-server without persistence, so a restart loses every queued message."""

    def __init__(self, port: int, workdir: Path):
        self.port, self.workdir, self.process = port, workdir, None

    def start(self) -> None:
        import socket

        binary = shutil.which("redis-server")
        if not binary:
            sys.exit("redis-server is not installed")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                sys.exit(f"port {self.port} is taken (another run of this script?): set another port")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on {self.port} did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # no shutdown save either
            self.process.wait(timeout=10)
        self.process = None


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from services.models import Area, Service

    call_command("migrate", "--noinput", verbosity=0)
    if not Area.objects.exists():
        call_command("load_areas", verbosity=0)
    if not Service.objects.exists():
        call_command("seed_city", verbosity=0)
    with connection.cursor() as cur:  # a clean slate for this run's counts
        cur.execute(
            "TRUNCATE complaints_ticket, complaints_ticketevent, complaints_notification, "
            "complaints_duplicatecandidate, complaints_subscription RESTART IDENTITY CASCADE"
        )


# Services without required extra questions, and "not sure" (None), across several kecamatan.
SAMPLES = [
    ("sampah-menumpuk", "63.71.05.1003", "Sampah belum diangkut", "Sudah tiga hari sampah menumpuk."),
    ("genangan-banjir", "63.71.01.1001", "Genangan di jalan", "Air setinggi lutut setelah hujan."),
    ("pju-mati", "63.71.02.1001", "Lampu jalan mati", "Gelap sejak minggu lalu."),
    ("air-mati", "63.71.03.1001", "Air tidak mengalir", "Sejak pagi air PDAM mati."),
    ("pohon-tumbang", "63.71.04.1001", "Dahan rawan patah", "Dahan besar menggantung di atas jalan."),
    (None, "63.71.05.1003", "Tolong", "sampah menumpuk di depan rumah"),
    (None, "63.71.02.1002", "Halo", "qwerty asdf zxcv"),
]


def file_one(i: int):
    from complaints import actions
    from services.models import Area, Service

    code, kelurahan, title, description = SAMPLES[i % len(SAMPLES)]
    area = Area.objects.get(code=kelurahan)
    service = Service.objects.get(code=code) if code else None
    # Spread the pins a little so duplicate detection has work of realistic size.
    lat = area.label_lat + ((i % 7) - 3) * 0.0003
    lng = area.label_lng + ((i % 5) - 2) * 0.0003
    file_ticket = getattr(actions, "file_ticket", None)
    if file_ticket is not None:
        return file_ticket(
            title=f"{title} #{i}",
            description=description,
            service=service,
            lat=lat,
            lng=lng,
            area=area,
            reporter_name="Uji Gangguan",
            reporter_email=f"warga{i}@example.id",
            channel="assisted",
        )
    from django.db import transaction

    from complaints.tasks import route_ticket
    from smartcity.taskqueue import enqueue_on_commit
    from tests.factories import make_ticket

    with transaction.atomic():
        ticket = make_ticket(
            service=service, kelurahan=area, status="submitted", title=f"{title} #{i}", description=description
        )
        enqueue_on_commit(route_ticket, ticket.pk)
    return ticket


class Filer(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.ids: list[int] = []
        self.errors: list[str] = []
        self.filing_seconds: list[float] = []

    def run(self):
        from django.db import connection

        start = time.monotonic()
        for i in range(TOTAL):
            wait = start + i / RATE - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            began = time.monotonic()
            try:
                self.ids.append(file_one(i).pk)
            except Exception as exc:  # a filing that fails is a lost ticket: counted, reported
                self.errors.append(f"{i}: {exc!r}")
            self.filing_seconds.append(time.monotonic() - began)
        connection.close()


def main() -> int:
    started = time.monotonic()
    signal.alarm(DEADLINE_SECONDS + 20)  # a hard stop even if something hangs
    configure()
    ensure_database()
    workdir = Path(tempfile.mkdtemp(prefix="faults-routing-"))
    redis_server = RedisServer(REDIS_PORT, workdir)
    redis_server.start()
    setup_django()

    from django.db.models import Count

    from complaints.actions.dispatch import route_pending
    from complaints.models import EventType, Status, Ticket, TicketEvent
    from smartcity.celery import app
    from tests.worker import purge_queue, start_worker, stop_worker, wait_for_ping

    env = dict(os.environ, PYTHONPATH=str(ROOT), CELERY_SKIP_CHECKS="1", LOG_LEVEL="WARNING")
    purge_queue(app)
    workers = [start_worker(env=env, log_path=workdir / "worker-1.log", pool="solo")]
    wait_for_ping(app, workers[0])
    log(f"filing {TOTAL} tickets at {RATE:.0f}/s; worker and redis-server :{REDIS_PORT} up")

    filer = Filer()
    filer.start()
    seconds = TOTAL / RATE
    faults = []
    try:
        time.sleep(seconds * 0.2)
        log("(a) SIGKILL the worker")
        stop_worker(workers[-1], kill=True)
        faults.append("worker killed")
        time.sleep(1)
        workers.append(start_worker(env=env, log_path=workdir / "worker-2.log", pool="solo"))
        wait_for_ping(app, workers[-1])
        log("    new worker answers")

        time.sleep(seconds * 0.15)
        log("(b) restart redis-server (persistence off: queued messages are gone)")
        redis_server.stop()
        redis_server.start()
        faults.append("redis restarted")

        time.sleep(seconds * 0.15)
        log("(c) broker unreachable for 4 s")
        redis_server.stop()
        time.sleep(4)
        redis_server.start()
        faults.append("broker unreachable 4 s")
        log("    broker back")
        filer.join(timeout=DEADLINE_SECONDS)
        log(f"filed {len(filer.ids)} tickets ({len(filer.errors)} filing errors)")

        # The sweep: what beat does every minute, with a short grace period here.
        sweeps = 0
        while time.monotonic() - started < DEADLINE_SECONDS:
            waiting = Ticket.objects.filter(pk__in=filer.ids, status=Status.SUBMITTED).count()
            if not waiting:
                break
            sent = route_pending(grace_seconds=5)
            sweeps += 1
            log(f"sweep {sweeps}: {waiting} still submitted, re-enqueued {sent}")
            time.sleep(3)
        # A last look a moment later: late redeliveries must not route anything twice.
        time.sleep(2)
    finally:
        for worker in workers:
            stop_worker(worker)

    ids = filer.ids
    routed = Ticket.objects.filter(pk__in=ids).exclude(status=Status.SUBMITTED).count()
    submitted = Ticket.objects.filter(pk__in=ids, status=Status.SUBMITTED).count()
    events = dict(
        TicketEvent.objects.filter(ticket_id__in=ids, type=EventType.ROUTED)
        .values_list("ticket_id")
        .annotate(n=Count("pk"))
        .values_list("ticket_id", "n")
    )
    once = sum(1 for pk in ids if events.get(pk) == 1)
    twice = sum(1 for pk in ids if events.get(pk, 0) > 1)
    never = sum(1 for pk in ids if pk not in events)
    lost = TOTAL - len(ids)
    slowest = max(filer.filing_seconds, default=0)
    redis_server.stop()
    shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"faults injected:          {', '.join(faults)}")
    print(f"tickets filed:            {len(ids)} of {TOTAL} (filing errors: {len(filer.errors)})")
    print(f"routed:                   {routed}")
    print(f"still submitted:          {submitted}")
    print(f"exactly one routed event: {once}")
    print(f"more than one:            {twice}")
    print(f"no routed event:          {never}")
    print(f"slowest filing:           {slowest:.2f} s (broker down must not block the citizen)")
    print(f"total time:               {time.monotonic() - started:.0f} s")
    for error in filer.errors[:5]:
        print(f"  filing error {error}")
    ok = lost == 0 and not filer.errors and routed == TOTAL and once == TOTAL and twice == 0 and never == 0
    ok = ok and slowest < 2.5
    print("RESULT: OK, every ticket routed exactly once" if ok else "RESULT: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
