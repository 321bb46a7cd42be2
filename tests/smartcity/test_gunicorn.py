"""gunicorn.conf.py as production runs it: the project is imported once, in the master (preload_app), and every
worker is forked from it, including the ones that replace workers recycled after max_requests."""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from benchmarks.common import Gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


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
    """gunicorn.conf.py on a loopback port, started and stopped the way the benchmarks do it."""
    db = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="smartcity.settings.base",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        # With the configured jitter (up to 200 more) a worker serves at most 205 requests before it is replaced.
        GUNICORN_MAX_REQUESTS="5",
        GUNICORN_ACCESSLOG="/dev/null",
    )
    server = Gunicorn(env, workers=1, logfile=tmp_path / "gunicorn.log")
    try:
        server.start()
    except RuntimeError as exc:
        server.stop()
        pytest.fail(f"gunicorn did not start: {exc}\n{server.logfile.read_text()[-3000:]}")
    yield server
    server.stop()


def test_workers_forked_from_the_preloaded_master_serve_through_recycles(gunicorn):
    answers = [_get(gunicorn.url + "/healthz") for _ in range(300)]

    failed = [(status, body[:200]) for status, body in answers if status != 200 or b'"status": "ok"' not in body]
    assert not failed, f"{len(failed)} of 300 health checks failed, first: {failed[0]}"
    boots = gunicorn.logfile.read_text().count("Booting worker")
    assert boots > 1, f"300 requests to one worker should have recycled it at least once (booted {boots})"
    # A connection opened while the master imports the project would be shared by every forked worker.
    shared = _remote_ports(gunicorn.proc.pid) & {
        int(connection.settings_dict["PORT"] or 5432),
        urllib.parse.urlsplit(settings.REDIS_URL).port or 6379,
    }
    assert not shared, f"the gunicorn master holds connections to ports {shared}"
