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

# What changed each figure: kept by hand as tuning lands ("Before → after" below has the numbers).
TUNING = [
    (
        "all HTTP figures",
        "gunicorn.conf.py as shipped (workers 2×cores+1 = 5, 1 thread, keep-alive 5 s, max_requests 2000 ± 200); "
        "access log sent to /dev/null for every run (ceiling included); CONN_MAX_AGE=60 with health checks keeps "
        "one PostgreSQL connection per worker. The project is now imported once in the gunicorn master "
        "(preload_app) and smartcity/wsgi.py imports the URLconf and the Celery tasks at start (65635aa): the "
        "warm-up and ceiling runs send each worker about 2,000 requests, so all five used to be recycled early in "
        "the REST run and each spent ~1.8 s of CPU re-importing Django, DRF and drf-spectacular on its first "
        "request (REST right after the ceiling: 92–103 → 136–144 filings/s; a recycled worker's first filing "
        "537 → 83 ms CPU). The CPU-per-request table comes from /proc over each wrk run (benchmarks/cpu.py, "
        "7d0a738). The machine is shared with other sessions: compare ratios, not raw rates, and see the load "
        "average table.",
    ),
    (
        "REST filing",
        "earlier: no visibility/role look-ups in the create answer (c815089), `locate()` without boundary JSON "
        "(eaf2220); per-process copies of the service, its questions and the kelurahan (services/lookups.py), "
        "the answer is the ticket as filed, serializer fields built once per class, one Redis client per pool, "
        "the reference carried by the INSERT, 29 → 25 ticket indexes (655a89e, 3915e49, f1c4b08). This run, "
        "per filing: 8 → 4 PostgreSQL round trips (health check, token, one SELECT for the three ids, one "
        "statement batch for ticket, subscription and event that needs no BEGIN/COMMIT: smartcity/inserts.py, "
        "d54e3d3, 50ee926); the account's filing limit counted in file_ticket with one Redis round trip "
        "instead of DRF's throttle (two, 9838e79); the token checked with one raw join (0.4 → 0.12 ms CPU, "
        "28e02ba); and at the peak no publish at all while a routing task is already queued (request_routing, "
        "053e87a). Then: each model's one-row INSERT compiled once per process and kept (ticket 0.22 → 0.09 ms), "
        "serializer fields copied by hand (0.13 → 0.03 ms per serializer; 5e4f846). 2026-12-07: the answer's "
        "photo list, added with multipart photos, cost a query per filing (in process 3.0 → 4.2 ms CPU; a run at "
        "c734f10 gave 0.211 of the ceiling); a filing without photos now answers an empty list without it "
        "(a358429; 0.26 and 0.30 in two runs the same hour).",
    ),
    (
        "Open311 filing",
        "the service from the per-process copies (bceb576) and the filing changes above; the POST still "
        "re-reads status and reference to answer with a token or the request id.",
    ),
    (
        "REST / Open311 filing",
        "the filing limits (FILING_RATE_LIMIT, FILING_IP_RATE_LIMIT, the API key's hourly limit) and the REST "
        "API's read limits (API_ANONYMOUS_READ_RATE, API_ACCOUNT_READ_RATE) are raised for the benchmark client "
        "only, so the figure is the portal's throughput, not the limiter's (the limiters' Redis round trips stay).",
    ),
    (
        "routing (bench_routing and end-to-end)",
        "batches of ROUTING_BATCH_SIZE=50 with SKIP LOCKED (0c72ddd), now deciding every ticket first and writing "
        "once per table (a2b747f: one UPDATE … FROM unnest for the tickets, one LATERAL query for all duplicate "
        "shortlists, one INSERT each for links, events and notifications); rules read once per batch (a877d28); "
        "emails as two raw statements in one transaction each (a2b747f); a task whose ticket another batch "
        "already routed ends with one unlocked read (716dc68). In-process worker CPU per routed ticket 5.5 → "
        "1.2–1.7 ms, its two emails 6.0 → 1.8 ms. At 1M tickets the duplicate search read the service's and the "
        "open statuses' bitmaps (55 ms per ticket); the partial index ticket_open_near_idx (service, lat, lng, "
        "created_at, id) answers it in ~5 ms. CELERY_DB_REUSE_MAX=1000, prefetch 1, acks_late and "
        "reject_on_worker_lost as before. Routing has the default queue `celery` to itself; emails, photos, "
        "exports, imports, roll-ups and the retrain wait in `deferred`, and workers poll the queues in sorted "
        "order, so a burst's emails no longer hold a new ticket's routing back (d2d50c3, 98cae34). "
        "bench_routing starts its 50/s phase once the worker is idle: the full-load phase's leftover tasks "
        "(no-op route_ticket, ~3,000 notification tasks) used to queue ahead of it and gave 2–3.5 s stalls "
        "(2ede866).",
    ),
    (
        "queue page",
        "migration 0011 (4a4295d): a full-text GIN index ('simple' configuration) for text search, whole words, "
        "counted up to 200; (department, resolution_due_at, id, created_at) so a date range is checked in the "
        "index; rows built in Python instead of ~25 template nodes each (974f4c6, 786938c); a reference typed in "
        "the search box is a primary-key look-up (5f0546d). Text search p95 458 → ~75 ms, date range 272 → "
        "~70 ms, 100-row partial 167 → ~70 ms. 2026-12-07: the clock that pauses while a ticket waits for the "
        "citizen first made 'Overdue only' compare each overdue row's wait, which read every one from the table "
        "(p95 38 → 92–98 ms); it now excludes the few waiting tickets still on time when they were asked, read "
        "through their partial index (1ae8de8; p95 39–54 ms).",
    ),
    (
        "public list and API list",
        "counts of 10,000 or more are kept for 60 s, keyed by the query's SQL (smartcity/pagination.py, "
        "6d49f4c); the filter forms no longer load every area's boundary GeoJSON. In process at 1M tickets: "
        "/laporan/ 484 → 78 ms, /api/v1/tickets/ 492 → 81 ms. 2026-12-07: an integration following changes "
        "as the API documents (updated_after, ordering=updated_at) "
        "read every ticket at each poll; ticket_updated_idx (ecc90ff) makes it a range of the index (in process at 1M, "
        "0.7 s → 23 ms; 'API changes since a poll' in the pages table).",
    ),
    (
        "dashboards",
        "counts from daily roll-ups (materialized views refreshed every 5 minutes by beat, a808e72) and the "
        "department page's single GROUPING SETS pass (035a85d); table rows built by one template tag instead "
        "of two nested template loops (6e0a65e; ~2,700 cells per page cost more than the SQL): on a quiet "
        "machine public p50 217 → 164 ms, department p95 295 → 256 ms. Select boxes are rendered in Python with "
        "Django's exact HTML (smartcity/form_renderer.py, e932f3f): the filter forms' few hundred options cost a "
        "sixth of a cold dashboard's CPU (public p50 243 → 190 ms, city 241 → 171 ms on a slower day). Cold "
        "cache means the Django cache is cleared before every request. 2026-12-03 (7620f9f…117d6b5): the "
        "department page's 30/90-day SLA windows, open queue by age × status, top services and kelurahan table "
        "read roll-ups too (two new views, migrations 0014 and 0015; windows and ages in whole WITA days so "
        "roll-up and live agree), its SQL 171 → ~37 ms; the plan's money is read once per page in three "
        "grouped queries instead of four correlated subqueries per activity in each grouped query (city plan "
        "SQL ~94 → ~25 ms; public `public_tables` 179 → ~90 ms); table numbers grouped without intcomma's "
        "per-cell look-ups. Standalone before → after on the same 1M-ticket data: worst p95 311–374 → 222–267 "
        "ms (department 311 → 132–160). The 5-minute refresh grew from ~10 to ~20 s of database work. "
        "2026-12-06: the department page gained the workload per officer (two grouped queries, always live: the "
        "roll-ups hold no assignee). At 1M tickets they read the department's rows (the page 123 → 400–585 ms "
        "cold); migration 0019 adds the assignee to ticket_open_age_idx and a partial ticket_dept_resolved_idx, "
        "and the resolved count is COUNT(*) so that index needs no id: both are index-only scans (PUPR, 40,000 "
        "open and 27,500 resolved tickets: 17 and 12 ms after VACUUM; the resolved one was a 154–314 ms bitmap "
        "heap scan while it counted ids). 2026-12-07: the public page missed its target at 21:40 UTC (cold p95 "
        "324 ms, p50 232, on a 1,097 req/s ceiling) with SQL at 60 ms of its 190: it built its thousand activity "
        "links with a reverse() each (1,342 calls, 34 µs each; 956befb builds them from one per page) and pickled "
        "its figures twice, for the cache and the page's snapshot (29 ms each, the activities' Decimals; b6f0627 "
        "pickles once). Re-run at 22:59 on a 915 req/s ceiling: public p95 207 ms, p50 169.",
    ),
    (
        "pages at volume",
        "the queue and dashboards are measured by their owners' scripts (bench_queue, bench_dashboards) on the "
        "same 1M-ticket database; `ANALYZE` runs after seeding so the planner sees the real table sizes.",
    ),
    (
        "make faults",
        "HTTP 500 while Redis was down → 0: the Redis cache fails open for rate-limit counters (eaf2220). "
        "Duplicate emails → 0: one transaction per email, and an email that went out just before PostgreSQL "
        "restarted is recorded as sent once the database is back (complaints/mail.py, c815089).",
    ),
]

# Why a target is missed and what would move it (measured with cProfile / captured queries on this machine).
FINDINGS = [
    (
        "REST filing vs ceiling (target 0.5)",
        "both runs keep the 2 cores busy (cores busy ≈ 2 in the CPU table), so the ratio is the ceiling's CPU per"
        " request over the filing's; in the run of 18:40 UTC on 2026-12-03, 1.58 ms against 5.6 ms, of which 4.1 "
        "ms in the gunicorn workers and 1.2 ms in PostgreSQL. The ceiling is one INSERT into a one-index table "
        "behind the same gunicorn and middleware. In process the same day (process_time around each step, 2,000 "
        "filings at 1M tickets) a REST filing cost 2.4–2.8 ms against 0.56 ms for the ceiling; the steps it adds:"
        " the three INSERTs sent as one batch 0.43 ms, the token query 0.35 ms, the 27-field answer 0.26 ms, two "
        "Redis round trips (the account's filing limit, the routing mark that keeps routing exact) 0.18–0.19 ms "
        "each, validation 0.15 ms, the three ids 0.12 ms, locating the pin 0.04 ms; the rest is DRF's request, "
        "parsing and rendering. Five workers on two cores turn each in-process millisecond into about 1.5 (CPU "
        "table). PostgreSQL maintains 25 indexes on the ticket row plus the subscription's and the event's: on a "
        "copy of the 1M-ticket database, dropping all 17 of the queue, dashboard, duplicate-search and text-"
        "search indexes took PostgreSQL from 1.21–1.35 to 0.91–1.03 ms per filing and REST from 321–339 to "
        "341–389 filings/s (three runs each): with no index at all a filing still cost 5.1–5.9 ms of the "
        "machine's CPU, three times the ceiling. 0.5 asks the filing to cost at most twice a bare insert, 3.2 ms "
        "here: that means dropping nearly every step above (DRF, the answer body, the filing limit, the routing "
        "mark) as well as indexes the staff pages need. None is worth it for a city whose peak is a few filings "
        "per second; REST files 344–425/s here. The ratio has stayed at 0.26–0.34 across reports while the ceiling "
        "moved from 645 to 1,542 req/s with the machine's load, because both scale with it. On 2026-12-07 the "
        "morning's run gave 0.333 (1,421 req/s ceiling) and the afternoon's 0.268 (1,283), with a rerun of the "
        "filing step minutes later at 0.316 (844): that afternoon every figure, code untouched by the day included "
        "(the public ticket page, locate(), photos), ran 1.35–2.9 times slower. In process on the same database the "
        "REST filing cost the same before and after that day's changes (4.1–4.4 against 4.4 ms with Django's test "
        "client), as did the API's ticket lists. "
        "That evening's run (a3eeb18, on a machine just started with nothing else running, load average 1) gave "
        "0.276 with the highest ceiling yet, 1,542 req/s, and REST at 425/s: a quiet machine raises both figures, "
        "not their ratio.",
    ),
    (
        "end-to-end routing at full load (target 300/s)",
        "met with margin in this run (629 routed/s at 18:40 UTC on 2026-12-03), the first in which make bench "
        "drains a 3,000-ticket backlog (55ef2a7). With the earlier 1,500-ticket backlog, which drains in 4–5 s, a"
        " slow moment on this shared machine moved the figure by up to a quarter: the same code gave 298 routed/s"
        " (1% short) at 17:31 and 403 at 17:44 the same day. Earlier reports: 379–641.",
    ),
    (
        "worker and broker restarts (make faults)",
        "kombu's Redis transport can exit with an AttributeError when Redis restarts mid-poll (seen in an earlier "
        "run). No celery/kombu setting turns it into a reconnect — `broker_connection_max_retries=None` is already "
        "set and 5.7.0 is the newest release (celery/kombu#582, #659, #1552). Production runs workers and beat "
        "under systemd `Restart=always` (README, Deployment), as the fault suite's supervisor does; nothing is "
        "lost when it exits (late acks, sweeps).",
    ),
    (
        "load test latency (make load)",
        "no target is set for the mix; 30 users waiting 1–6 s between requests offer about 10 requests/s to a "
        "2-core machine that also runs PostgreSQL, Redis, the worker and locust. CPU-heavy requests dominate: "
        "photo filings (re-encoded by the worker at ~2.5 photos/s per core) and logins (PBKDF2 password "
        "hashing; every staff and integration user logs in during the first seconds).",
    ),
    (
        "emails exactly once (make faults)",
        "a worker killed with SIGKILL between the mail server accepting an email and the COMMIT that marks it "
        "sent (a few milliseconds per email) will send that one email again: SMTP has no two-phase commit. Every "
        "email carries `X-Notification-Id` so a relay or the suite can tell a repeat; the suite counts them.",
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
    ("bare insert, CPU ms per request (the machine's speed)", "ceiling_insert", "cpu_ms_per_request.total"),
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
    value = figures.get(name, {})
    for part in key.split("."):  # "cpu_ms_per_request.total": a nested figure
        value = value.get(part) if isinstance(value, dict) else None
    return value


# How far the bare insert's CPU time per request may move between runs before the report says the machine itself
# was slower or faster: the same request costing 2.4 times the CPU means a busier host, not slower code.
MACHINE_SPEED_TOLERANCE = 1.25


def _machine_speed_note(previous_figures: dict, figures: dict) -> list[str]:
    key = "cpu_ms_per_request.total"
    before, after = _value(previous_figures, "ceiling_insert", key), _value(figures, "ceiling_insert", key)
    if not before or not after:
        return []
    factor = after / before
    if 1 / MACHINE_SPEED_TOLERANCE <= factor <= MACHINE_SPEED_TOLERANCE:
        return []
    word = "slower" if factor > 1 else "faster"
    times = factor if factor > 1 else 1 / factor
    return [
        "",
        f"The machine was about {times:.1f} times {word} than in the previous run: the bare insert, the same "
        f"request both times, cost {after:g} CPU ms instead of {before:g}. Absolute rates and latencies move with "
        "it; the ratios to the ceiling and the targets met are what compare.",
    ]


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

    filing_rows = (
        ("ceiling_insert", "Ceiling: bare insert view"),
        ("rest_filing", "REST API filing (POST /api/v1/tickets/)"),
        ("open311_filing", "Open311 filing (POST requests.json)"),
    )
    lines += ["", "## Throughput", "", "| figure | req/s | ok/s | p50 ms | p95 ms | p99 ms | errors | vs ceiling |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for name, label in filing_rows:
        f = figures.get(name)
        if not f:
            lines.append(f"| {label} | not measured | | | | | | |")
            continue
        lines.append(
            f"| {label} | {_fmt(f.get('req_per_s'))} | {_fmt(f.get('ok_per_s'))} | {_fmt(f.get('p50_ms'))} | "
            f"{_fmt(f.get('p95_ms'))} | {_fmt(f.get('p99_ms'))} | {_fmt(f.get('errors'))} | "
            f"{_fmt(f.get('ratio_to_ceiling'))} |"
        )
    lines += _cpu_table(figures, filing_rows)

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
    full, steady = figures.get("routing:full load"), figures.get("routing:latency")
    if full:
        lines.append(
            f"- Routing at full load (`scripts/bench_routing.py`, {full.get('tickets')} waiting tickets, "
            f"{full.get('worker')}): **{_fmt(full.get('routed_per_s'))} routed/s**."
        )
        if "cpu_ms_per_ticket_all_tasks" in full:
            lines.append(
                f"  Worker CPU {_fmt(full['cpu_ms_per_ticket_routing'])} ms per ticket until every ticket was "
                f"routed, {_fmt(full['cpu_ms_per_ticket_all_tasks'])} ms once the tasks it left behind had run "
                f"(queue empty {_fmt(full['queue_empty_after_s'])} s later): one `route_ticket` per ticket, most "
                "finding their ticket already routed by a batch, and the notification tasks."
            )
    if steady:
        lines.append(
            f"- Commit-to-routed at {_fmt(steady.get('rate_per_s'))} filings/s (`scripts/bench_routing.py`, "
            f"{steady.get('n')} tickets): **p50 {_fmt(steady.get('p50_ms'))} ms, p95 {_fmt(steady.get('p95_ms'))} "
            f"ms**, max {_fmt(steady.get('max_ms'))} ms."
        )
    if not (e2e or lat or full or steady):
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
            "\nThe load includes the benchmark's own processes (5 gunicorn workers, wrk, PostgreSQL and the "
            "Celery worker); the machine is shared with other sessions, so the start of `prepare` (before any "
            "benchmark process ran) is the best measure of how quiet it was."
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
        lines += _machine_speed_note(previous.get("figures", {}), figures)

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


def _cpu_table(figures: dict, rows) -> list[str]:
    """Where each request's CPU went (benchmarks/cpu.py): on a CPU-bound machine the ratios follow from these."""
    measured = [(label, figures[name]) for name, label in rows if figures.get(name, {}).get("cpu_ms_per_request")]
    if not measured:
        return []
    lines = [
        "",
        "CPU per request in ms, every process on the machine during each run (from /proc, `benchmarks/cpu.py`); "
        "cores busy = CPU seconds spent per second of the run:",
        "",
        "| figure | gunicorn workers | PostgreSQL | Redis | wrk | all processes | cores busy |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, f in measured:
        cpu = f["cpu_ms_per_request"]
        busy = cpu.get("total", 0) * (f.get("req_per_s") or 0) / 1000
        lines.append(
            f"| {label} | {_fmt(cpu.get('gunicorn'))} | {_fmt(cpu.get('postgres'))} | {_fmt(cpu.get('redis', 0))} | "
            f"{_fmt(cpu.get('wrk'))} | {_fmt(cpu.get('total'))} | {busy:.2f} |"
        )
    return lines


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
