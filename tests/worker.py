"""The real Celery worker fixture for tests (see tests/conftest.py pytest_plugins).

``live_worker`` starts ``celery -A smartcity worker --pool=solo`` as a subprocess against the
*test* database (same engine, host and user; the test database's name) and the same Redis,
purges the queue first, waits until the worker answers a ping, and stops it afterwards.
Use it with ``transactional_db`` (the worker must see committed rows) and ``@pytest.mark.worker``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 60


def database_url(db_settings: dict) -> str:
    """A DATABASE_URL for django-environ that points at the given (test) database."""
    user = quote(db_settings.get("USER") or "", safe="")
    password = quote(db_settings.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db_settings.get("HOST") or "127.0.0.1"
    port = db_settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db_settings['NAME']}"


@dataclass
class LiveWorker:
    process: subprocess.Popen
    hostname: str
    log_path: Path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""


def worker_env(**extra: str) -> dict:
    """The environment of a worker subprocess: this process's test database and Redis, test settings."""
    from django.conf import settings
    from django.db import connection

    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="smartcity.settings.test",
        CELERY_SKIP_CHECKS="1",
        PYTHONPATH=str(BASE_DIR),
        **extra,
    )
    env.pop("TEST_DATABASE_NAME", None)
    # REDIS_URL is already this xdist process's own database: the worker must not move it again.
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def celery_executable() -> list[str]:
    candidate = Path(sys.executable).with_name("celery")
    return [str(candidate)] if candidate.exists() else [sys.executable, "-m", "celery"]


def start_worker(
    *, env: dict, log_path: Path, pool: str = "solo", concurrency: int = 1, hostname: str | None = None
) -> LiveWorker:
    """Start a worker subprocess (its own process group) writing its log to ``log_path``."""
    hostname = hostname or f"test-{uuid.uuid4().hex[:8]}@localhost"
    log_file = open(log_path, "ab")  # noqa: SIM115 - owned by the subprocess for its lifetime
    process = subprocess.Popen(
        [
            *celery_executable(),
            "-A",
            "smartcity",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "-l",
            "info",
            "-n",
            hostname,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log_file.close()
    return LiveWorker(process=process, hostname=hostname, log_path=log_path)


def wait_for_ping(app, worker: LiveWorker, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {worker.process.returncode}:\n{worker.log()}")
        try:
            if app.control.ping(destination=[worker.hostname], timeout=0.5):
                return
        except Exception:  # the broker may still be starting
            time.sleep(0.2)
    raise RuntimeError(f"the Celery worker did not answer within {timeout:.0f} s:\n{worker.log()}")


def stop_worker(worker: LiveWorker, *, kill: bool = False, timeout: float = 15) -> None:
    if worker.process.poll() is not None:
        return
    try:
        os.killpg(worker.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        worker.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait(timeout=10)


def purge_queue(app) -> None:
    from django.core.cache import cache

    from complaints.tasks import ROUTING_QUEUED_KEY

    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)
    cache.delete(ROUTING_QUEUED_KEY)  # its task was just purged


@pytest.fixture
def live_worker(transactional_db, tmp_path):
    """A real Celery worker on the test database and the configured Redis; stopped after the test."""
    from django.conf import settings

    from smartcity.celery import app

    if not settings.USING_POSTGRES or not settings.REDIS_URL:
        pytest.skip("a live worker needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    env = worker_env()
    purge_queue(app)
    worker = start_worker(env=env, log_path=tmp_path / "worker.log")
    try:
        wait_for_ping(app, worker)
        yield worker
    finally:
        stop_worker(worker)
        purge_queue(app)
