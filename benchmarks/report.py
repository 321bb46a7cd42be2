"""Write docs/benchmarks.md (a table a reader takes in at a glance) and docs/benchmarks.json (every figure)."""

from __future__ import annotations

import json
from pathlib import Path

# (figure, target description, check(figures) -> (value, met) or None when not measured)
TARGETS = [
    # (label, figure names in order of preference — "prefix:*" means the worst of them —, key, target, op)
    ("REST filing ≥ 50% of the bare-insert ceiling", ["rest_filing"], "ratio_to_ceiling", 0.5, ">="),
    ("End-to-end ≥ 300 routed/s (one worker)", ["routing:full load", "end_to_end_routed"], "routed_per_s", 300, ">="),
    (
        "Commit-to-routed p95 < 1 s at 50 filings/s",
        ["routing:latency", "commit_to_routed_at_50_per_s"],
        "p95_ms",
        1000,
        "<",
    ),
    ("Queue page p95 < 150 ms at 1M tickets (worst scenario)", ["queue:*", "page:staff queue"], "p95_ms", 150, "<"),
    ("Dashboards p95 < 300 ms at 1M tickets (worst dashboard)", ["dashboard:*", "page:dashboard*"], "p95_ms", 300, "<"),
]

# What changed each figure: kept by hand as tuning lands.
TUNING = [
    (
        "all HTTP figures",
        "gunicorn.conf.py as shipped (workers 2×cores+1 = 5, 1 thread, keep-alive 5 s); access log sent to "
        "/dev/null for every run (ceiling included), so logging costs the same nothing everywhere; "
        "CONN_MAX_AGE=60 with health checks (base settings) keeps one PostgreSQL connection per worker.",
    ),
    (
        "end-to-end, commit-to-routed",
        "CELERY_DB_REUSE_MAX=1000 (base settings) keeps the worker's PostgreSQL connection across tasks; "
        "prefetch 1 with acks_late and reject_on_worker_lost, so a killed worker loses no ticket (see make faults).",
    ),
    (
        "REST / Open311 filing",
        "the filing limits (FILING_RATE_LIMIT, the API key's hourly limit) are raised for the benchmark client "
        "only, so the figure is the portal's throughput, not the limiter's.",
    ),
    (
        "pages at volume",
        "the queue and dashboards are measured by their owners' scripts (bench_queue, bench_dashboards) on the "
        "same 1M-ticket database; `ANALYZE` runs after seeding so the planner sees the real table sizes.",
    ),
]

# Why a target is missed and what would move it (measured with cProfile / captured queries on this machine).
FINDINGS = [
    (
        "REST filing vs ceiling",
        "the ceiling is one INSERT; a REST filing is 14 SQL statements (token, service, kelurahan, attributes, "
        "insert, reference update, subscription, event, commit, 3 role look-ups and the re-read for the response) "
        "plus a Redis publish and the throttle's cache round trips. Largest cheap wins: `services.geo.locate()` "
        "loads the kelurahan and its kecamatan with their boundary polygons on every filing "
        "(`.defer('boundary', 'parent__boundary')` — services owner); the create response re-reads the ticket and "
        "the user's roles (build the response from the saved object — API owner); assign_reference is a second "
        "UPDATE that a sequence-backed default would fold into the INSERT (complaints owner).",
    ),
    (
        "routed per second",
        "one prefork worker on a 2-core machine shared with gunicorn, PostgreSQL, Redis and the load generator; "
        "each routed ticket also queues and sends two notifications in the same worker, so the worker runs three "
        "tasks per ticket. Ways up: `-P threads`/gevent for the I/O-bound notification tasks on their own queue, "
        "a batch route task, or more cores; 300/s on 2 cores needs routing well under 3 ms of CPU per ticket.",
    ),
    (
        "broker outage (make faults)",
        "the Django cache is the same Redis as the broker; DRF's filing throttle and the Open311 key limiter read "
        "the cache before filing, so when Redis is unreachable citizens get HTTP 500 although the ticket would have "
        "been saved and the sweep would route it. Fix (foundation + API + Open311 owners): a fail-open cache "
        "wrapper for rate limits (treat a cache error as 'allowed' and log it), or a CACHE_URL on another Redis.",
    ),
    (
        "worker and broker restarts (make faults)",
        "the Celery worker exits with kombu's AttributeError ('NoneType' object has no attribute 'hostname') when "
        "Redis goes away; run it under a supervisor (systemd Restart=always), as the fault suite does. Routing "
        "under concurrency logged a PostgreSQL deadlock once (retried by the task's autoretry) — routing owner.",
    ),
]


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pick(figures: dict, names: list[str], key: str, op: str):
    for name in names:
        if name.endswith("*"):
            values = [(f[key], n) for n, f in figures.items() if n.startswith(name[:-1]) and f.get(key) is not None]
            if values:
                return max(values) if op == "<" else min(values)
        elif figures.get(name, {}).get(key) is not None:
            return figures[name][key], name
    return None, None


def evaluate(figures: dict) -> list[dict]:
    rows = []
    for label, names, key, target, op in TARGETS:
        value, source = _pick(figures, names, key, op)
        if value is None:
            rows.append({"target": label, "value": None, "met": None})
            continue
        met = value >= target if op == ">=" else value < target
        if op == ">=":
            miss = None if met else f"{(1 - value / target) * 100:.0f}% short"
        else:
            miss = None if met else f"{(value / target - 1) * 100:.0f}% over"
        rows.append({"target": label, "value": value, "source": source, "met": met, "miss": miss})
    return rows


# Figures compared with the previous run in "Before → after": (label, figure, key).
COMPARED = [
    ("ceiling, req/s", "ceiling_insert", "req_per_s"),
    ("REST filing, ok/s", "rest_filing", "ok_per_s"),
    ("REST filing, ratio to ceiling", "rest_filing", "ratio_to_ceiling"),
    ("REST filing, p95 ms", "rest_filing", "p95_ms"),
    ("Open311 filing, ok/s", "open311_filing", "ok_per_s"),
    ("Open311 filing, ratio to ceiling", "open311_filing", "ratio_to_ceiling"),
    ("end-to-end routed/s", "end_to_end_routed", "routed_per_s"),
    ("routing at full load, routed/s (bench_routing)", "routing:full load", "routed_per_s"),
    ("commit-to-routed p50 ms at 50/s", "commit_to_routed_at_50_per_s", "p50_ms"),
    ("commit-to-routed p95 ms at 50/s", "commit_to_routed_at_50_per_s", "p95_ms"),
    ("commit-to-routed p95 ms (bench_routing)", "routing:latency", "p95_ms"),
    ("queue page p95 ms (worst scenario)", "queue:*", "p95_ms"),
    ("staff queue page p95 ms", "page:staff queue", "p95_ms"),
    ("staff ticket page p95 ms", "page:staff ticket page", "p95_ms"),
    ("public ticket page p95 ms", "page:public ticket page", "p95_ms"),
    ("public map data p95 ms", "page:public map data", "p95_ms"),
    ("dashboard p95 ms (worst)", "page:dashboard*", "p95_ms"),
    ("locate() calls/s", "locate", "calls_per_s"),
    ("photos/s", "photo_processing", "per_s"),
]


def _value(figures: dict, name: str, key: str):
    if name.endswith("*"):
        values = [f[key] for n, f in figures.items() if n.startswith(name[:-1]) and f.get(key) is not None]
        return max(values) if values else None
    return figures.get(name, {}).get(key)


def _previous(out_path: Path) -> dict | None:
    """The run the report on disk describes (kept as "previous" so a re-render still compares with it)."""
    js = out_path.with_suffix(".json")
    if not js.exists():
        return None
    try:
        old = json.loads(js.read_text())
    except ValueError:
        return None
    return {"machine": old.get("machine", {}), "figures": old.get("figures", {})}


def record_run(kind: str, data: dict, out: str | None = None) -> None:
    """Add a ``make load`` / ``make faults`` result to docs/benchmarks.json and re-render docs/benchmarks.md."""
    import datetime as dt
    import os

    out_path = Path(out or Path(__file__).resolve().parent.parent / "docs" / "benchmarks")
    js = out_path.with_suffix(".json")
    if not js.exists():
        return
    results = json.loads(js.read_text())
    data = dict(data, date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), loadavg_end=os.getloadavg())
    results[kind] = data
    write_report(results, str(out_path))


def write_report(results: dict, out: str) -> tuple[Path, Path]:
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if "previous" not in results:
        previous = _previous(out_path)
        if previous:
            results["previous"] = previous
    figures = results.get("figures", {})
    results["targets"] = evaluate(figures)
    results["tuning"] = [{"figure": f, "change": c} for f, c in TUNING]
    results["findings"] = [{"figure": f, "finding": c} for f, c in FINDINGS]
    js = out_path.with_suffix(".json")
    js.write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")

    m = results.get("machine", {})
    cfg = results.get("config", {})
    v = m.get("versions", {})
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`benchmarks/run.py`); every figure is also in `docs/benchmarks.json`.",
        "Do not edit by hand: change the code, run `make bench`, commit both files.",
        "",
        "## Machine and run",
        "",
        f"- Date: {m.get('date')} · commit `{m.get('commit')}`",
        f"- Machine: {m.get('cores')} cores ({m.get('cpu')}), {m.get('memory_gib')} GiB memory, "
        f"Linux {m.get('kernel')}",
        f"- Versions: Python {v.get('python')}, Django {v.get('django')}, {v.get('postgresql')}, {v.get('redis')}, "
        f"{v.get('gunicorn')}, celery {v.get('celery')}",
        f"- Data: {_fmt(results.get('seed', {}).get('tickets'))} tickets with events, "
        f"{_fmt(results.get('activities'))} planning activities (requested {_fmt(cfg.get('tickets_requested'))} / "
        f"{_fmt(cfg.get('activities_requested'))})",
        f"- Load generator: {cfg.get('generator')} ({v.get('wrk')}), {cfg.get('wrk_connections')} connections, "
        f"{cfg.get('wrk_seconds')} s per run",
        f"- Server: {cfg.get('server')}; {cfg.get('gunicorn_workers', '?')} workers",
        "",
        "## Targets",
        "",
        "| target | measured | from | met |",
        "|---|---|---|---|",
    ]
    for row in results["targets"]:
        met = "not measured" if row["met"] is None else ("yes" if row["met"] else f"**no** ({row.get('miss')})")
        lines.append(f"| {row['target']} | {_fmt(row['value'])} | {row.get('source') or ''} | {met} |")

    lines += ["", "## Throughput", "", "| figure | req/s | ok/s | p50 ms | p95 ms | p99 ms | errors | vs ceiling |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for name, label in (
        ("ceiling_insert", "Ceiling: bare insert view"),
        ("rest_filing", "REST API filing (POST /api/v1/tickets/)"),
        ("open311_filing", "Open311 filing (POST requests.json)"),
    ):
        f = figures.get(name)
        if not f:
            lines.append(f"| {label} | not measured | | | | | | |")
            continue
        lines.append(
            f"| {label} | {_fmt(f.get('req_per_s'))} | {_fmt(f.get('ok_per_s'))} | {_fmt(f.get('p50_ms'))} | "
            f"{_fmt(f.get('p95_ms'))} | {_fmt(f.get('p99_ms'))} | {_fmt(f.get('errors'))} | "
            f"{_fmt(f.get('ratio_to_ceiling'))} |"
        )

    lines += ["", "## Routing", ""]
    e2e = figures.get("end_to_end_routed")
    if e2e:
        lines.append(
            f"- End-to-end with one worker: {_fmt(e2e['routed'])} of {_fmt(e2e['tickets'])} filed tickets routed in "
            f"{e2e['seconds']} s = **{_fmt(e2e['routed_per_s'])} routed/s** ({e2e.get('note')})."
        )
    lat = figures.get("commit_to_routed_at_50_per_s")
    if lat:
        lines.append(
            f"- Commit-to-routed at {lat['filing_rate_per_s']} filings/s: p50 {_fmt(lat.get('p50_ms'))} ms, "
            f"**p95 {_fmt(lat.get('p95_ms'))} ms**, p99 {_fmt(lat.get('p99_ms'))} ms "
            f"({lat['routed']} of {lat['filed']} routed)."
        )
    if not (e2e or lat):
        lines.append("- not measured")

    lines += ["", "## Pages at volume (server time, in-process, production settings)", ""]
    lines += ["| page | p50 ms | p95 ms | SQL queries | measured by |", "|---|---|---|---|---|"]
    for name, f in figures.items():
        if name.startswith(("queue:", "dashboard:")):
            how = f"`{f.get('source')}`" + (" (cold cache)" if f.get("cache") == "cold" else "")
            lines.append(f"| {name} | {_fmt(f['p50_ms'])} | {_fmt(f['p95_ms'])} | {f['queries']} | {how} |")
    for name, f in figures.items():
        if name.startswith("page:"):
            lines.append(
                f"| {name[5:]} `{f['url']}` | {_fmt(f['p50_ms'])} | {_fmt(f['p95_ms'])} | {f['queries']} | "
                "benchmarks/pages.py (warm) |"
            )

    lines += ["", "## Other figures", ""]
    photo = figures.get("photo_processing")
    if photo:
        lines.append(
            f"- Photo processing (`{photo['function']}`, 12-MP JPEG of {photo['input_mb']} MB): "
            f"**{photo['per_s']} photos/s** on one core."
        )
    loc = figures.get("locate")
    if loc:
        lines.append(
            f"- locate(): **{_fmt(loc.get('calls_per_s'))} calls/s** ({loc.get('us_per_call')} µs per call, "
            f"`{loc.get('source')}`)"
        )
    for name in ("routing:full load", "routing:latency"):
        if name in figures:
            lines.append(f"- {name} (`scripts/bench_routing.py`, own database and Redis): {json.dumps(figures[name])}")
    for name, f in figures.items():
        if not (
            name.startswith("page:")
            or name
            in (
                "ceiling_insert",
                "rest_filing",
                "open311_filing",
                "end_to_end_routed",
                "commit_to_routed_at_50_per_s",
                "photo_processing",
                "locate",
            )
        ):
            lines.append(f"- {name}: {json.dumps(f)}")

    load_avg = results.get("load_average", {})
    if load_avg:
        lines += ["", "## Load average during the run (1-minute, sampled every 5 s)", ""]
        lines += ["| step | start | mean | max | end |", "|---|---|---|---|---|"]
        for step, la in load_avg.items():
            lines.append(f"| {step} | {la['start']:.2f} | {la['mean']:.2f} | {la['max']:.2f} | {la['end']:.2f} |")
        lines.append(
            "\nThe machine is shared: other sessions' tests and servers run beside the benchmark, so a load "
            "above 2 (the core count) means the figures were measured with less than the whole machine."
        )

    lines += _load_section(results.get("load"))
    lines += _faults_section(results.get("faults"))

    previous = results.get("previous")
    if previous:
        pm = previous.get("machine", {})
        lines += [
            "",
            f"## Before → after (previous report: {pm.get('date')}, commit `{pm.get('commit')}`)",
            "",
            "| figure | before | after |",
            "|---|---|---|",
        ]
        for label, name, key in COMPARED:
            before, after = _value(previous.get("figures", {}), name, key), _value(figures, name, key)
            if before is None and after is None:
                continue
            lines.append(f"| {label} | {_fmt(before)} | {_fmt(after)} |")

    lines += ["", "## What changed each figure", ""]
    lines += [f"- **{f}**: {c}" for f, c in TUNING]
    lines += ["", "## Why targets are missed, and what would change them", ""]
    lines += [f"- **{f}**: {c}" for f, c in FINDINGS]

    skipped = results.get("skipped", {})
    if skipped:
        lines += ["", "## Not measured in this run", ""]
        lines += [f"- {k}: {v}" for k, v in sorted(skipped.items())]

    owner = results.get("owner_scripts", {})
    if owner:
        lines += ["", "## Output of the owners' benchmark scripts", ""]
        for name, o in owner.items():
            lines += [f"### {name} (exit {o['returncode']}, {o['seconds']} s)", "", "```", o["output"], "```", ""]
    steps = results.get("step_seconds", {})
    if steps:
        lines += ["", "Step durations (s): " + ", ".join(f"{k} {v}" for k, v in steps.items())]
    md = out_path.with_suffix(".md")
    md.write_text("\n".join(lines) + "\n")
    return md, js


def _load_section(load: dict | None) -> list[str]:
    if not load:
        return []
    total = load.get("total", {})
    lines = [
        "",
        f"## Load test (`make load`, {load.get('date')})",
        "",
        f"locust ({load.get('locust')}) with the mix of `loadtest/locustfile.py`: {load.get('users')} users for "
        f"{load.get('seconds')} s on loopback, locust pinned to one CPU, gunicorn and one Celery worker as in "
        f"production. **{total.get('requests')} requests, {load.get('error_rate_pct')}% errors "
        f"({load.get('server_errors')} server errors)**, p50 {total.get('p50_ms')} ms, p95 {total.get('p95_ms')} ms, "
        f"p99 {total.get('p99_ms')} ms, {total.get('rps', 0):.1f} req/s; load average at the end "
        f"{', '.join(f'{x:.2f}' for x in load.get('loadavg_end', []))}.",
        "",
        "| request | count | failures | p50 ms | p95 ms | p99 ms | req/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in sorted(load.get("rows", []), key=lambda r: -r["requests"]):
        lines.append(
            f"| {row['type']} {row['name']} | {row['requests']} | {row['failures']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['rps']:.1f} |"
        )
    for f in total.get("failure_detail", [])[:10]:
        lines.append(f"- failure: {f['name']}: {f['error'][:160]} ×{f['count']}")
    return lines


def _faults_section(faults: dict | None) -> list[str]:
    if not faults:
        return []
    lines = [
        "",
        f"## Fault suite (`make faults`, {faults.get('date')}): **{'OK' if faults.get('ok') else 'FAILED'}** "
        f"in {faults.get('seconds')} s",
        "",
        "Own PostgreSQL cluster and Redis server; citizens file over HTTP while a worker process is killed with "
        "SIGKILL (then the whole worker), Redis restarts without persistence, PostgreSQL restarts and the broker "
        "is unreachable; then the beat sweeps run and every ticket and notification is counted.",
        "",
        "```",
        *faults.get("lines", []),
        "```",
    ]
    return lines
