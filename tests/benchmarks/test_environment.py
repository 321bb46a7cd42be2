"""The servers `make bench`, `make load` and `make faults` start get every setting production requires: when
production began to require SITE_URL, the benchmarks' migrate failed before measuring anything."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.common import ROOT, server_env

PRODUCTION_REQUIRES = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "SECRET_KEY", "ALLOWED_HOSTS")


def test_the_benchmark_servers_environment_loads_the_production_settings(monkeypatch):
    for name in (*PRODUCTION_REQUIRES, "BENCH_SITE_URL", "BENCH_EMAIL_URL"):
        monkeypatch.delenv(name, raising=False)  # only what server_env gives, nothing this shell happens to hold
    env = server_env(database_url="postgres://postgres@127.0.0.1:5432/unused", redis_url="redis://127.0.0.1:6379/15")
    env["ENV_FILE"] = "/dev/null"  # nor a developer's .env
    script = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    run = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "http://127.0.0.1"
