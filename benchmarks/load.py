"""``make load``: the realistic mix of loadtest/locustfile.py for a bounded time against a gunicorn it starts.

Prints the error rate and latencies per request type; exits non-zero when a
server error (5xx) happened or more than LOAD_MAX_ERROR_PCT (default 1) percent
of requests failed. Options come from the environment: LOAD_USERS (30),
LOAD_SECONDS (120), LOAD_SPAWN_RATE (5).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import (
    BENCH_DB,
    BENCH_REDIS,
    GENERATOR_CPU,
    PG_URL,
    ROOT,
    VENV_BIN,
    CeleryWorker,
    Gunicorn,
    log,
    server_env,
)


def prepare(env: dict) -> dict:
    from .prepare import bench_accounts, ensure_database, flush_bench_redis, schema_and_city, seed_tickets

    ensure_database(env["DATABASE_URL"])
    schema_and_city(env)
    os.environ.update({k: v for k, v in env.items() if k.isupper()})
    import django

    django.setup()
    flush_bench_redis(BENCH_REDIS)
    results: dict = {}
    try:
        seed_tickets(env, int(os.environ.get("LOAD_TICKETS", 20_000)), results)
    except Exception as exc:  # noqa: BLE001 - the mix still runs on whatever tickets exist
        log(f"no bulk tickets: {exc}")
    accounts = bench_accounts()
    from services.models import Service

    service = Service.objects.filter(code=os.environ.get("LOAD_SERVICE", "sampah-menumpuk")).first()
    return {
        "LOAD_PASSWORD": "bench-rahasia-123",
        "LOAD_CITIZEN_EMAIL": accounts["citizen"].email,
        "LOAD_STAFF_EMAIL": accounts["staff"].email,
        "LOAD_TOKEN": accounts["token"],
        "LOAD_API_KEY": accounts["api_key"],
        "LOAD_SERVICE_ID": str(service.pk) if service else "",
    }


def summarise(prefix: str) -> tuple[list[dict], dict]:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv"))) if Path(f"{prefix}_failures.csv").exists() else []
    table = []
    total = {}
    for row in rows:
        entry = {
            "type": row["Type"],
            "name": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": row.get("50%"),
            "p95_ms": row.get("95%"),
            "p99_ms": row.get("99%"),
            "rps": float(row["Requests/s"] or 0),
        }
        if row["Name"] == "Aggregated":
            total = entry
        else:
            table.append(entry)
    total["failure_detail"] = [{"name": f["Name"], "error": f["Error"], "count": f["Occurrences"]} for f in failures]
    return table, total


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", 30))
    seconds = int(os.environ.get("LOAD_SECONDS", 120))
    spawn = os.environ.get("LOAD_SPAWN_RATE", "5")
    env = server_env(database_url=f"{PG_URL}/{BENCH_DB}", redis_url=BENCH_REDIS)
    log("preparing the database and accounts")
    env.update(prepare(env))
    workdir = Path(tempfile.mkdtemp(prefix="load-"))
    prefix = str(workdir / "locust")
    with Gunicorn(env) as server, CeleryWorker(env, concurrency=1):
        log(f"{users} users for {seconds} s against {server.url} (locust pinned to CPU {GENERATOR_CPU})")
        cmd = [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            "--host",
            server.url,
            "-u",
            str(users),
            "-r",
            spawn,
            "-t",
            f"{seconds}s",
            "--csv",
            prefix,
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ]
        if shutil.which("taskset"):
            cmd = ["taskset", "-c", GENERATOR_CPU, *cmd]
        subprocess.run(cmd, env=env, cwd=ROOT, timeout=seconds + 180, stdout=subprocess.DEVNULL)
    table, total = summarise(prefix)
    print()
    print(f"{'request':34} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}")
    for row in sorted(table, key=lambda r: -r["requests"]):
        print(
            f"{row['type'] + ' ' + row['name']:34.34} {row['requests']:>7} {row['failures']:>5} {row['p50_ms']:>7} "
            f"{row['p95_ms']:>7} {row['p99_ms']:>7} {row['rps']:>7.1f}"
        )
    requests = total.get("requests", 0)
    failures = total.get("failures", 0)
    rate = 100.0 * failures / requests if requests else 100.0
    server_errors = sum(int(f["count"]) for f in total["failure_detail"] if "50" in f["error"][:40])
    print(
        f"\nTOTAL {requests} requests, {failures} failed ({rate:.2f}% error rate), "
        f"p50 {total.get('p50_ms')} ms, p95 {total.get('p95_ms')} ms, p99 {total.get('p99_ms')} ms, "
        f"{total.get('rps', 0):.1f} req/s"
    )
    for f in total["failure_detail"][:10]:
        print(f"  failure: {f['name']}: {f['error'][:120]} ×{f['count']}")
    max_rate = float(os.environ.get("LOAD_MAX_ERROR_PCT", 1))
    _record(users=users, seconds=seconds, table=table, total=total, rate=rate, server_errors=server_errors)
    if requests == 0 or rate > max_rate or server_errors:
        print(f"FAILED: error rate above {max_rate}% or server errors ({server_errors})")
        return 1
    print("OK")
    return 0


def _record(*, users, seconds, table, total, rate, server_errors) -> None:
    """Put the result beside the benchmark figures (docs/benchmarks.json and .md); LOAD_RECORD=0 skips it."""
    if os.environ.get("LOAD_RECORD", "1") == "0":
        return
    from .report import record_run

    version = subprocess.run([str(VENV_BIN / "locust"), "--version"], capture_output=True, text=True).stdout.strip()
    record_run(
        "load",
        {
            "users": users,
            "seconds": seconds,
            "locust": version,
            "rows": table,
            "total": total,
            "error_rate_pct": round(rate, 2),
            "server_errors": server_errors,
        },
    )


if __name__ == "__main__":
    sys.exit(main())
