"""gunicorn.conf.py as production runs it: the project is imported once, in the master (preload_app), and every
worker is forked from it, including the ones that replace workers recycled after max_requests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _remote_ports(pid: int) -> set[int]:
    """Remote TCP ports of the sockets process ``pid`` holds (from /proc: its fds and the namespace's tcp table)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[2].rsplit(":", 1)[1], 16))
    return ports


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture
def gunicorn(tmp_path):
    db = connection.settings_dict
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="smartcity.settings.base",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        # With the configured jitter (up to 200 more) a worker serves at most 205 requests before it is replaced.
        GUNICORN_MAX_REQUESTS="5",
        GUNICORN_ACCESSLOG="/dev/null",
    )
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "smartcity.wsgi:application"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(url + "/healthz")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
    yield proc, url, log
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_workers_forked_from_the_preloaded_master_serve_through_recycles(gunicorn):
    proc, url, log = gunicorn
    answers = [_get(url + "/healthz") for _ in range(300)]

    failed = [(status, body[:200]) for status, body in answers if status != 200 or b'"status": "ok"' not in body]
    assert not failed, f"{len(failed)} of 300 health checks failed, first: {failed[0]}"
    boots = log.read_text().count("Booting worker")
    assert boots > 1, f"300 requests to one worker should have recycled it at least once (booted {boots})"
    # A connection opened while the master imports the project would be shared by every forked worker.
    shared = _remote_ports(proc.pid) & {
        int(connection.settings_dict["PORT"] or 5432),
        urllib.parse.urlsplit(settings.REDIS_URL).port or 6379,
    }
    assert not shared, f"the gunicorn master holds connections to ports {shared}"
