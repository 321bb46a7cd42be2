"""``make faults``: break things while citizens file, then prove nothing was lost, doubled or shown as a 500.

It never touches the shared services: it starts its own PostgreSQL cluster
(initdb into a temporary directory, run by the postgres user, port FAULTS_PG_PORT
default 5440) and its own Redis (port FAULTS_REDIS_PORT default 6391, no
persistence), gunicorn with gunicorn.conf.py and a Celery worker, and removes
them all at the end. The faults, one after another, while citizens file over HTTP:

1. ``kill -9`` a worker process in the middle of its tasks (and later the whole worker);
2. Redis restarted with persistence off (its queue is gone);
3. PostgreSQL restarted (web and worker connections go stale);
4. the broker unreachable while citizens keep filing.

Afterwards the periodic sweeps run (as beat would run them) and it checks: every
filed ticket routed exactly once, every notification sent exactly once (state
sent, one row per dedup key, one email each), and no HTTP 500 reached a citizen.
It prints the counts and exits non-zero on any failure.
"""

from __future__ import annotations

import inspect
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from .common import CeleryWorker, Gunicorn, log, manage, server_env

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", 5440))
REDIS_PORT = int(os.environ.get("FAULTS_REDIS_PORT", 6391))
PHASE_SECONDS = float(os.environ.get("FAULTS_PHASE_SECONDS", 12))
FILERS = int(os.environ.get("FAULTS_FILERS", 4))
LAT, LNG = -3.3190, 114.5920


def _as_postgres(cmd: list[str], **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, **kwargs)


class OwnPostgres:
    """A throwaway cluster: initdb, pg_ctl start/restart/stop, removed afterwards."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def start(self):
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"],
            stdout=subprocess.DEVNULL,
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                "fsync = on\nmax_connections = 100\nshared_buffers = 128MB\n"
            )
        self._ctl("start", "-w", "-l", str(self.dir / "log"))
        _as_postgres(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", "CREATE DATABASE faults"],
            stdout=subprocess.DEVNULL,
        )

    def _ctl(self, *args):
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args], stdout=subprocess.DEVNULL)

    def restart(self):
        self._ctl("restart", "-m", "fast", "-w", "-l", str(self.dir / "log"))

    def stop(self):
        try:
            self._ctl("stop", "-m", "fast", "-w")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults"


class OwnRedis:
    """A Redis of our own with persistence off: a restart empties it."""

    def __init__(self, port: int):
        self.port = port
        self.proc: subprocess.Popen | None = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("own redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def restart(self):
        self.stop()
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class Citizens:
    """Threads that file over HTTP (REST API with a citizen's token, Open311 with a key) and count answers."""

    def __init__(self, base_url: str, token: str, api_key: str):
        self.base_url = base_url
        self.token = token
        self.api_key = api_key
        self.statuses: Counter = Counter()
        self.by_phase: dict[str, Counter] = {}
        self.phase = "start"
        self.filed = 0
        self.errors: list[str] = []
        self._run = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(FILERS)]

    def _post(self, i: int, n: int) -> int:
        if (i + n) % 2 == 0:
            body = json.dumps(
                {
                    "service": "sampah-menumpuk",
                    "title": f"Faults {i}-{n}",
                    "description": "Sampah menumpuk di tepi sungai.",
                    "lat": LAT,
                    "lng": LNG,
                }
            ).encode()
            request = urllib.request.Request(
                self.base_url + "/api/v1/tickets/",
                data=body,
                headers={"Content-Type": "application/json", "Authorization": f"Token {self.token}"},
            )
        else:
            form = (
                f"api_key={self.api_key}&service_code=sampah-menumpuk&lat={LAT}&long={LNG}"
                f"&email=warga{i}%40example.id&description=Lampu+jalan+mati+{i}-{n}"
            )
            request = urllib.request.Request(
                self.base_url + "/open311/v2/requests.json",
                data=form.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 and len(self.errors) < 5:
                self.errors.append(" ".join(exc.read()[:400].decode(errors="replace").split())[:200])
            return exc.code
        except OSError:
            return -1  # no answer at all (connection refused / reset)

    def _loop(self, i: int):
        n = 0
        while not self._stop.is_set():
            if not self._run.wait(0.2):
                continue
            n += 1
            status = self._post(i, n)
            with self._lock:
                self.statuses[status] += 1
                self.by_phase.setdefault(self.phase, Counter())[status] += 1
                if status in (200, 201):
                    self.filed += 1
            time.sleep(random.uniform(0.02, 0.08))

    def start(self):
        for t in self.threads:
            t.start()

    def file_for(self, phase: str, seconds: float, watch=None):
        self.phase = phase
        self._run.set()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if watch:
                watch()
            time.sleep(min(1.0, max(0.0, end - time.monotonic())))

    def pause(self):
        self._run.clear()
        time.sleep(0.5)

    def stop(self):
        self._stop.set()
        self._run.clear()
        for t in self.threads:
            t.join(timeout=40)


def _sweeps():
    """Every periodic sweep task of the portal (``sweep_*`` in each app's tasks module)."""
    import importlib

    found = []
    for module_name in ("complaints.tasks", "open311.tasks", "planning.tasks", "dashboards.tasks"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name, obj in vars(module).items():
            if name.startswith("sweep") and hasattr(obj, "run"):
                found.append(obj)
    return found


def run_sweeps() -> dict:
    """Run the sweeps now (as beat would after their grace period); they enqueue to the restored broker."""
    done = {}
    for task in _sweeps():
        params = inspect.signature(task.run).parameters
        kwargs = {}
        for grace in ("grace_seconds", "grace", "older_than_seconds"):
            if grace in params:
                kwargs[grace] = 0
        try:
            done[task.name] = task.run(**kwargs)
        except Exception as exc:  # noqa: BLE001
            done[task.name] = f"failed: {exc}"
    return done


def verify(citizens: Citizens, start_pk: int, emails_dir: Path) -> tuple[bool, list[str]]:
    from django.db.models import Count

    from complaints.models import EventType, Notification, Ticket, TicketEvent

    tickets = Ticket.objects.filter(pk__gt=start_pk)
    total = tickets.count()
    still_submitted = tickets.filter(status="submitted").count()
    routed_events = Counter(
        dict(
            TicketEvent.objects.filter(ticket__pk__gt=start_pk, type=EventType.ROUTED)
            .values_list("ticket")
            .annotate(n=Count("id"))
            .values_list("ticket", "n")
        )
    )
    never_routed = total - len(routed_events)
    doubly_routed = sum(1 for n in routed_events.values() if n > 1)
    notes = Notification.objects.filter(ticket__pk__gt=start_pk)
    n_total = notes.count()
    n_sent = notes.filter(state="sent").count()
    n_pending = notes.filter(state="pending").count()
    n_failed = notes.filter(state="failed").count()
    dup_keys = notes.values("dedup_key").annotate(n=Count("id")).filter(n__gt=1).count()
    delivered = Counter()
    for path in emails_dir.glob("*"):
        text = path.read_text(errors="replace")
        for line in text.splitlines():
            if line.startswith("X-Portal-Notification:") or line.startswith("X-Notification-Id:"):
                for notification_id in line.split(":", 1)[1].split(","):  # a digest of escalations lists several
                    delivered[notification_id.strip()] += 1
    messages = sum(p.read_text(errors="replace").count("\nMessage-ID: ") for p in emails_dir.glob("*"))
    messages += sum(p.read_text(errors="replace").startswith("Message-ID: ") for p in emails_dir.glob("*"))
    status_500 = sum(c for s, c in citizens.statuses.items() if s >= 500)
    http_ok = citizens.filed

    lines = [
        f"HTTP answers to citizens: {dict(sorted(citizens.statuses.items()))} (-1 = no connection)",
        *(f"  phase {p}: {dict(sorted(c.items()))}" for p, c in citizens.by_phase.items()),
        f"tickets filed (HTTP 200/201): {http_ok}; ticket rows: {total}",
        f"routed exactly once: {total - never_routed - doubly_routed}; never routed: {never_routed}; "
        f"still submitted: {still_submitted}; routed twice or more: {doubly_routed}",
        f"notifications: {n_total} rows, {n_sent} sent, {n_pending} pending, {n_failed} failed, "
        f"{dup_keys} duplicate dedup keys; emails written: {messages}"
        + (f", per-notification headers doubled: {sum(1 for v in delivered.values() if v > 1)}" if delivered else ""),
        f"HTTP 500 seen by citizens: {status_500}",
    ]
    failures = []
    if http_ok == 0:
        failures.append("no ticket was filed at all")
    if total < http_ok:
        failures.append(f"{http_ok - total} acknowledged filings have no ticket row")
    if never_routed or still_submitted:
        failures.append(f"{never_routed} tickets never routed")
    if doubly_routed:
        failures.append(f"{doubly_routed} tickets routed twice")
    if n_pending or n_failed:
        failures.append(f"{n_pending + n_failed} notifications not sent")
    if dup_keys:
        failures.append("duplicate notification keys")
    if messages and messages != n_sent:
        failures.append(f"{messages} emails written for {n_sent} sent notifications")
    if delivered and any(v > 1 for v in delivered.values()):
        failures.append("a notification was emailed twice")
    if status_500:
        failures.append(f"{status_500} HTTP 5xx answers reached citizens")
    return not failures, lines + [f"FAILED: {f}" for f in failures]


class Supervisor:
    """Restarts the Celery worker when it exits, as systemd's Restart=always would; counts the restarts."""

    def __init__(self, env: dict, logfile: Path):
        self.env = env
        self.logfile = logfile
        self.worker = CeleryWorker(env, concurrency=2, logfile=logfile).start()
        self.restarts = 0

    def __call__(self):
        if self.worker.proc and self.worker.proc.poll() is not None:
            self.restarts += 1
            log(f"worker exited ({self.worker.proc.returncode}); supervisor starts a new one")
            self.worker = CeleryWorker(self.env, concurrency=2, logfile=self.logfile).start()

    def child_pids(self):
        return self.worker.child_pids()

    def stop(self, sig=signal.SIGTERM):
        self.worker.stop(sig)


def main() -> int:
    started = time.monotonic()
    pg, broker = OwnPostgres(PG_PORT), OwnRedis(REDIS_PORT)
    emails_dir = Path(tempfile.mkdtemp(prefix="faults-mail-"))
    web = worker = citizens = None
    ok = False
    try:
        log(f"own PostgreSQL on {PG_PORT}, own Redis on {REDIS_PORT} (no persistence)")
        pg.start()
        broker.start()
        env = server_env(
            database_url=pg.url,
            redis_url=broker.url,
            EMAIL_URL=f"filemail:///{emails_dir}",  # four slashes: an absolute path
            STAGING_LOCAL_EMAIL="true",  # production mode refuses a file backend otherwise
            GUNICORN_WORKERS=os.environ.get("FAULTS_WEB_WORKERS", 3),
            CONN_MAX_AGE=60,
        )
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("createcachetable", env=env)
        manage("seed_city", env=env, capture=True)
        os.environ.update({k: v for k, v in env.items() if k.isupper()})
        import django

        django.setup()
        from complaints.models import Ticket

        from .prepare import bench_accounts

        accounts = bench_accounts()
        start_pk = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        from django.db import connections

        connections.close_all()

        web = Gunicorn(env).start()
        worker = Supervisor(env, Path(tempfile.gettempdir()) / "faults-celery.log")
        watch = worker
        citizens = Citizens(web.url, accounts["token"], accounts["api_key"])
        citizens.start()

        log("phase 1: filing, then kill -9 a worker process mid-task")
        citizens.file_for("baseline", PHASE_SECONDS / 2, watch)
        children = worker.child_pids()
        if children:
            os.kill(random.choice(children), signal.SIGKILL)
        citizens.file_for("worker child killed", PHASE_SECONDS / 2, watch)
        log("phase 1b: kill -9 the whole worker (its children too); the supervisor starts a new one")
        children = worker.child_pids()
        worker.stop(signal.SIGKILL)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        citizens.file_for("worker killed", PHASE_SECONDS / 2, watch)

        log("phase 2: restart Redis with persistence off (its queue is lost)")
        citizens.file_for("before redis restart", PHASE_SECONDS / 2, watch)
        broker.restart()
        citizens.file_for("after redis restart", PHASE_SECONDS / 2, watch)

        log("phase 3: restart PostgreSQL (filing paused while it is down)")
        citizens.pause()
        pg.restart()
        citizens.file_for("after postgres restart", PHASE_SECONDS, watch)

        log("phase 4: broker unreachable while citizens file")
        broker.stop()
        citizens.file_for("broker down", PHASE_SECONDS, watch)
        broker.start()
        citizens.file_for("broker back", PHASE_SECONDS / 2, watch)
        citizens.pause()
        citizens.stop()

        log("recovery: the sweeps re-enqueue what the faults dropped; waiting for the worker")
        deadline = time.monotonic() + float(os.environ.get("FAULTS_RECOVERY_SECONDS", 180))
        from complaints.models import Notification

        while time.monotonic() < deadline:
            watch()
            log(f"sweeps: {run_sweeps()}")
            for _ in range(8):
                watch()
                time.sleep(1)
            waiting = Ticket.objects.filter(pk__gt=start_pk, status="submitted").count()
            pending = Notification.objects.filter(ticket__pk__gt=start_pk, state="pending").count()
            log(f"still submitted: {waiting}, notifications pending: {pending}")
            if not waiting and not pending:
                time.sleep(3)  # let in-flight duplicates (if any) show up
                break
        ok, lines = verify(citizens, start_pk, emails_dir)
        lines.append(f"worker restarts by the supervisor after it exited: {worker.restarts}")
        print()
        for line in lines:
            print(line)
        if citizens.errors:
            print("first 5xx bodies:", *citizens.errors, sep="\n  ")
        print(f"\n{'OK' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
        if os.environ.get("FAULTS_RECORD", "1") != "0":
            from .report import record_run

            record_run("faults", {"ok": ok, "seconds": round(time.monotonic() - started), "lines": lines})
    finally:
        if citizens:
            citizens.stop()
        for proc in (worker, web):
            if proc:
                proc.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001
            pass
        broker.stop()
        pg.stop()
        shutil.rmtree(emails_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
