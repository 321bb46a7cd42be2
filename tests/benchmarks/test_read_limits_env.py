"""`make bench`, `make load` and `make faults` make every REST API read from one address and one token: their servers
must run with read limits (API_ANONYMOUS_READ_RATE, API_ACCOUNT_READ_RATE) no benchmark meets, or a measured read
would be a 429."""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.common import ROOT, server_env
from complaints.ratelimit import parse_rate

RATES = ("API_ANONYMOUS_READ_RATE", "API_ACCOUNT_READ_RATE")


def test_the_benchmark_servers_read_limits_are_out_of_reach(monkeypatch):
    for name in RATES:
        monkeypatch.delenv(name, raising=False)  # only what server_env gives
    env = server_env(database_url="postgres://postgres@127.0.0.1:5432/unused", redis_url="redis://127.0.0.1:6379/15")
    env["ENV_FILE"] = "/dev/null"
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {RATES!r}}}))"
    )
    run = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    rates = json.loads(run.stdout.strip().splitlines()[-1])
    for name, rate in rates.items():
        count, seconds = parse_rate(rate)
        assert count / seconds >= 100_000, (name, rate)  # per second, far beyond what wrk or locust send
