"""``make bench``: prepare data, measure every figure in one run, write docs/benchmarks.md and .json.

    .venv/bin/python -m benchmarks.run                  # 1,000,000 tickets (default)
    BENCH_TICKETS=20000 .venv/bin/python -m benchmarks.run --seconds 5   # a quick rehearsal

Every step is independent: a step that cannot run (a part of the portal not
there yet, a failure) is recorded with its reason and the rest still runs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import traceback

from .common import (
    BENCH_DB,
    BENCH_REDIS,
    GENERATOR_CPU,
    PG_URL,
    PY,
    ROOT,
    CeleryWorker,
    Gunicorn,
    free_port,
    log,
    machine,
    run_wrk,
    server_env,
    summary_ms,
    timed,
    wrk_post_script,
)

# Inside Banjarmasin (Mawar, Banjarmasin Tengah) so locate() finds a kelurahan.
LAT, LNG = -3.3190, 114.5920
SERVICE_CODE = os.environ.get("BENCH_SERVICE", "sampah-menumpuk")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=int(os.environ.get("BENCH_TICKETS", 1_000_000)))
    parser.add_argument("--activities", type=int, default=int(os.environ.get("BENCH_ACTIVITIES", 2000)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 15)), help="per wrk run")
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 16)))
    parser.add_argument("--page-requests", type=int, default=int(os.environ.get("BENCH_PAGE_REQUESTS", 30)))
    parser.add_argument("--only", default="", help="comma-separated steps to run (default: all)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks"), help="writes OUT.md and OUT.json")
    return parser.parse_args(argv)


class LoadSampler:
    """The machine's 1-minute load average while a step runs (sampled every 5 s): start, mean, max, end."""

    def __init__(self, every: float = 5.0):
        self.samples = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float):
        while not self._stop.wait(every):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(timeout=1)
        self.samples.append(os.getloadavg()[0])
        s = self.samples
        return {"start": s[0], "mean": round(sum(s) / len(s), 2), "max": max(s), "end": s[-1]}


class Bench:
    def __init__(self, args):
        self.args = args
        self.database_url = f"{PG_URL}/{BENCH_DB}"
        self.env = server_env(database_url=self.database_url, redis_url=BENCH_REDIS)
        self.results: dict = {
            "figures": {},
            "skipped": {},
            "config": {
                "tickets_requested": args.tickets,
                "activities_requested": args.activities,
                "wrk_seconds": args.seconds,
                "wrk_connections": args.connections,
                "generator": f"wrk, 1 thread, pinned with taskset to CPU {GENERATOR_CPU}; server, worker and "
                "PostgreSQL unpinned",
                "server": "gunicorn with gunicorn.conf.py (workers = GUNICORN_WORKERS or 2*cores+1), production "
                "settings, access log off, loopback",
                "database": self.database_url,
                "redis": BENCH_REDIS,
            },
        }
        self.accounts: dict = {}

    # --- plumbing ------------------------------------------------------------

    def setup_django(self):
        os.environ.update(
            {k: v for k, v in self.env.items() if k.isupper() and k not in ("PATH",)},
        )
        os.environ["BENCHMARK_CEILING"] = "1"
        import django

        django.setup()

    def step(self, name, fn):
        only = [s for s in self.args.only.split(",") if s]
        if only and name not in only and name != "prepare":
            return
        log(f"--- {name}")
        sampler = LoadSampler()
        try:
            with timed(self.results, name):
                fn()
        except Exception as exc:  # noqa: BLE001 - a failing step is reported, the others still run
            self.results["skipped"][name] = f"{exc.__class__.__name__}: {str(exc)[:400]}"
            log(f"{name} not measured: {exc}")
            traceback.print_exc(file=sys.stdout)
        finally:
            self.results.setdefault("load_average", {})[name] = sampler.stop()

    def fig(self, name: str, **values):
        self.results["figures"][name] = values
        log(f"{name}: {values}")

    # --- steps -----------------------------------------------------------------

    def prepare(self):
        from .prepare import (
            bench_accounts,
            ensure_database,
            flush_bench_redis,
            schema_and_city,
            seed_activities,
            seed_tickets,
        )

        ensure_database(self.database_url)
        schema_and_city(self.env)
        self.setup_django()
        flush_bench_redis(BENCH_REDIS)
        try:
            seed_tickets(self.env, self.args.tickets, self.results)
        except Exception as exc:  # noqa: BLE001 - measure what can be measured on the data there is
            self.results["skipped"]["seed"] = str(exc)[:400]
            self.results["seed"] = {"tickets": _count_tickets()}
        try:
            seed_activities(self.env, self.args.activities, self.results)
        except Exception as exc:  # noqa: BLE001
            self.results["skipped"]["activities"] = str(exc)
        self.accounts = bench_accounts()
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    def _submitted_ids(self) -> set[int]:
        from complaints.models import Ticket

        return set(Ticket.objects.filter(status="submitted").values_list("pk", flat=True))

    def http_filing(self):
        """Ceiling, REST filing and Open311 filing against one gunicorn, one after the other."""
        args = self.args
        self.last_seeded_id = _last_ticket_id()
        before = self._submitted_ids()
        self.results["_submitted_before"] = len(before)
        with Gunicorn(dict(self.env, BENCHMARK_CEILING="1")) as server:
            self.results["config"]["gunicorn_workers"] = int(
                self.env.get("GUNICORN_WORKERS", 0) or (os.cpu_count() or 1) * 2 + 1
            )
            # Warm every worker up once, then measure.
            run_wrk(server.url + "/_bench/insert", seconds=2, connections=args.connections)
            ceiling = run_wrk(server.url + "/_bench/insert", seconds=args.seconds, connections=args.connections)
            self.fig("ceiling_insert", **ceiling)

            token = self.accounts.get("token")
            pins = _kelurahan_pins()
            # A Lua expression: a JSON body with a fresh title per request, pinned at a random kelurahan.
            rest_body = (
                f'\'{{"service": "{SERVICE_CODE}", "title": "Benchmark \' .. n .. \'", '
                f'"description": "Sampah menumpuk di pinggir jalan sejak kemarin.", '
                f"\"lat\": ' .. lat .. ', \"lng\": ' .. lng .. '}}'"
            )
            rest_script = wrk_post_script(
                "/api/v1/tickets/",
                body_lua=rest_body,
                headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
                pins=pins,
            )
            try:
                rest = run_wrk(
                    server.url + "/api/v1/tickets/",
                    seconds=args.seconds,
                    connections=args.connections,
                    script=rest_script,
                )
                if rest["requests"] and rest["errors"] >= rest["requests"] * 0.5:
                    raise RuntimeError(f"REST filing mostly failed: {rest}")
                rest["ratio_to_ceiling"] = round(rest["ok_per_s"] / ceiling["req_per_s"], 3)
                self.fig("rest_filing", **rest)
            except Exception as exc:  # noqa: BLE001
                self.results["skipped"]["rest_filing"] = str(exc)[:400]

            form = f"api_key={self.accounts.get('api_key', '')}&service_code={SERVICE_CODE}"
            open311_script = wrk_post_script(
                "/open311/v2/requests.json",
                body_lua=(
                    f"'{form}&lat=' .. lat .. '&long=' .. lng .. "
                    "'&email=bench.open311%40example.id&description=Lampu+jalan+mati+' .. n"
                ),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                pins=pins,
            )
            try:
                o311 = run_wrk(
                    server.url + "/open311/v2/requests.json",
                    seconds=args.seconds,
                    connections=args.connections,
                    script=open311_script,
                )
                if o311["requests"] and o311["errors"] >= o311["requests"] * 0.5:
                    raise RuntimeError(f"Open311 filing mostly failed: {o311}")
                o311["ratio_to_ceiling"] = round(o311["ok_per_s"] / ceiling["req_per_s"], 3)
                self.fig("open311_filing", **o311)
            except Exception as exc:  # noqa: BLE001
                self.results["skipped"]["open311_filing"] = str(exc)[:400]
        self.backlog = self._submitted_ids() - before

    def end_to_end(self):
        """One worker drains the tickets filed over HTTP: routed per second, then latency at 50 filings/s."""
        from complaints.models import Ticket

        backlog = getattr(self, "backlog", set())
        if not backlog:
            raise RuntimeError("no tickets waiting from the HTTP filing step")
        worker = CeleryWorker(self.env, concurrency=1)
        worker.start()
        try:
            started = time.monotonic()
            deadline = started + float(os.environ.get("BENCH_DRAIN_SECONDS", 150))
            ids = list(backlog)
            remaining = len(ids)
            while time.monotonic() < deadline:
                remaining = Ticket.objects.filter(pk__in=ids, status="submitted").count()
                if remaining == 0:
                    break
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            routed = len(ids) - remaining
            routed_events = Ticket.objects.filter(pk__in=ids, events__type="routed").count()
            self.fig(
                "end_to_end_routed",
                tickets=len(ids),
                routed=routed,
                seconds=round(elapsed, 1),
                routed_per_s=round(routed / elapsed, 1) if elapsed else 0,
                routed_events=routed_events,
                note="includes worker start-up and the notification tasks routing queues",
            )
            if not (ROOT / "scripts" / "bench_routing.py").exists():  # it measures the same, more carefully
                self.latency_at_rate(rate=50, seconds=int(os.environ.get("BENCH_RATE_SECONDS", 10)))
        finally:
            worker.stop()

    def forget_filed(self):
        """Delete the tickets the filing and routing steps created, so the pages and the owners' scripts measure
        the seeded million, and a second ``make bench`` finds the same data (every filing lands on one pin:
        left in place, they pile up into a hot spot that is the benchmark's, not the city's)."""
        from django.db import connection

        from complaints.models import Ticket

        last = getattr(self, "last_seeded_id", None)
        if last is None:
            return
        deleted, by_model = Ticket.objects.filter(pk__gt=last).delete()
        # Settle the database before measuring pages: the deletes (and routing's updates) left dead rows and
        # cleared visibility-map bits, which autovacuum and the checkpointer would otherwise work off in the
        # middle of the next step (seen as 300 ms outliers in index-only queue pages).
        tables = {_table_of_model(label) for label in by_model} | {Ticket._meta.db_table}
        with connection.cursor() as cur:
            for table in sorted(t for t in tables if t):
                cur.execute(f'VACUUM (ANALYZE) "{table}"')
            cur.execute("CHECKPOINT")
        self.results["forgotten_rows"] = deleted

    def latency_at_rate(self, *, rate: int, seconds: int):
        """File at a steady rate in-process (the real action) while one worker routes; commit-to-routed."""
        from django.utils import timezone

        from complaints.actions import file_ticket
        from complaints.models import Channel, Ticket
        from services.models import Service

        service = Service.objects.get(code=SERVICE_CODE)
        citizen = self.accounts["citizen"]
        committed: dict[int, float] = {}
        interval = 1.0 / rate
        start = time.monotonic()
        for i in range(rate * seconds):
            target = start + i * interval
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            ticket = file_ticket(
                title=f"Latency {i}",
                description="Jalan berlubang di depan sekolah.",
                service=service,
                lat=LAT,
                lng=LNG,
                reporter=citizen,
                channel=Channel.API,
            )
            committed[ticket.pk] = timezone.now().timestamp()
        achieved = len(committed) / (time.monotonic() - start)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not Ticket.objects.filter(pk__in=committed, routed_at__isnull=True).exists():
                break
            time.sleep(0.5)
        latencies = [
            max(0.0, routed_at.timestamp() - committed[pk])
            for pk, routed_at in Ticket.objects.filter(pk__in=committed, routed_at__isnull=False).values_list(
                "pk", "routed_at"
            )
        ]
        stats = summary_ms(latencies)
        self.fig(
            "commit_to_routed_at_50_per_s",
            filed=len(committed),
            routed=len(latencies),
            filing_rate_per_s=round(achieved, 1),
            **stats,
        )

    def pages(self):
        from .pages import measure_pages

        figures = measure_pages(self.accounts, requests=self.args.page_requests)
        for name, values in figures.items():
            if "error" in values:
                self.results["skipped"][f"page:{name}"] = values["error"]
            else:
                self.fig(f"page:{name}", **values)

    def photos(self):
        from PIL import Image

        from complaints import photos

        width, height = 4000, 3000  # 12 MP, like a phone camera
        # Noise compresses like a real photo (several MB), a flat picture would not.
        noise = Image.effect_noise((width, height), 40)
        gradient = Image.linear_gradient("L").resize((width, height))
        image = Image.merge("RGB", (noise, gradient, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        data = buffer.getvalue()
        count, started = 0, time.monotonic()
        while time.monotonic() - started < 10 and count < 20:
            photos.reencode(data)
            count += 1
        elapsed = time.monotonic() - started
        self.fig(
            "photo_processing",
            photos=count,
            per_s=round(count / elapsed, 2),
            input_mb=round(len(data) / 1e6, 1),
            function="complaints.photos.reencode",
        )

    def external_scripts(self):
        """The owners' own benchmark scripts, run as they are on the same data; their figures are parsed into
        the report and their output kept verbatim. bench_dashboards also seeds the 2,000 planned activities."""
        n = str(self.args.tickets)
        scripts = [
            ("dashboards", "scripts/bench_dashboards.py", ["--tickets", n, "--activities", str(self.args.activities)]),
            ("queue", "scripts/bench_queue.py", ["--department", "dlh", "--runs", "30"]),
            ("locate", "scripts/bench_locate.py", ["--calls", "100000"]),
            ("routing", "scripts/bench_routing.py", []),
        ]
        only = [s for s in self.args.only.split(",") if s]
        outputs = self.results.setdefault("owner_scripts", {})
        for name, path, script_args in scripts:
            if only and f"script:{name}" not in only and "scripts" not in only:
                continue
            if not (ROOT / path).exists():
                self.results["skipped"][f"script:{name}"] = f"{path} not in the repository yet"
                continue
            log(f"running {path} {' '.join(script_args)}")
            started = time.monotonic()
            # The scripts use Django's test client (host "testserver").
            env = dict(self.env, DJANGO_SETTINGS_MODULE="smartcity.settings.base", ALLOWED_HOSTS="testserver,127.0.0.1")
            env.pop("BENCH_SECONDS", None)  # bench_routing reads its own BENCH_SECONDS
            env.setdefault("BENCH_BACKLOG", os.environ.get("BENCH_ROUTING_BACKLOG", "3000"))
            env.setdefault("BENCH_REDIS_PORT", str(free_port()))  # never collide with another run's Redis
            try:
                out = subprocess.run(
                    [PY, path, *script_args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
                )
            except subprocess.TimeoutExpired:
                self.results["skipped"][f"script:{name}"] = "timed out after 600 s"
                continue
            text = (out.stdout + ("\n" + out.stderr[-1500:] if out.returncode else "")).strip()
            outputs[name] = {
                "command": f"{path} {' '.join(script_args)}",
                "returncode": out.returncode,
                "seconds": round(time.monotonic() - started, 1),
                "output": text[-3000:],
            }
            try:
                for figure, values in PARSERS[name](out.stdout).items():
                    self.fig(figure, source=path, **values)
            except Exception as exc:  # noqa: BLE001 - keep the raw output when the format changed
                self.results["skipped"][f"parse:{name}"] = str(exc)[:200]

    def run(self):
        self.results["machine"] = machine()
        self.step("prepare", self.prepare)
        if "prepare" in self.results["skipped"]:
            # Nothing was measured: the committed report stays as it is.
            log(f"FAILED: no data to measure ({self.results['skipped']['prepare']})")
            return 1
        self.step("http_filing", self.http_filing)
        self.step("end_to_end", self.end_to_end)
        self.step("forget_filed", self.forget_filed)
        self.step("scripts", self.external_scripts)
        self.step("pages", self.pages)
        self.step("photos", self.photos)
        try:
            from planning.models import Activity

            self.results["activities"] = Activity.objects.count()
        except Exception:  # noqa: BLE001
            pass
        return self.finish()

    def finish(self):
        from .report import write_report

        self.results.pop("_submitted_before", None)
        md, js = write_report(self.results, self.args.out)
        log(f"wrote {md} and {js}")
        if self.results["skipped"]:
            # The report names what was not measured; the command fails so nobody takes it for a full run.
            log(f"FAILED: not measured: {', '.join(self.results['skipped'])}")
            return 1
        return 0


def _parse_queue(text: str) -> dict:
    found = {}
    for line in text.splitlines():
        m = re.match(r"^(.{32}) +([\d.]+) +([\d.]+) +([\d.]+) +(\d+)  (ok|SLOW)", line)
        if m:
            found[f"queue:{m.group(1).strip()}"] = {
                "p50_ms": float(m.group(2)),
                "p95_ms": float(m.group(3)),
                "max_ms": float(m.group(4)),
                "queries": int(m.group(5)),
            }
    return found


def _parse_dashboards(text: str) -> dict:
    found = {}
    for line in text.splitlines():
        m = re.match(r"^(\S.{0,25}?) +(\d+) +(\d+) +(\d+)  (\d+)\s*$", line)
        if m:
            found[f"dashboard:{m.group(1).strip()}"] = {
                "p50_ms": float(m.group(2)),
                "p95_ms": float(m.group(3)),
                "queries": int(m.group(5)),
                "cache": "cold",
            }
    return found


def _parse_locate(text: str) -> dict:
    calls = re.search(r"calls/second:\s+([\d,]+)", text)
    per_call = re.search(r"µs per call:\s+([\d.]+)", text)
    if not calls:
        return {}
    return {"locate": {"calls_per_s": int(calls.group(1).replace(",", "")), "us_per_call": float(per_call.group(1))}}


def _parse_routing(text: str) -> dict:
    full = re.search(r"full load:\s+(\d+) routed tickets/s \((\d+) tickets", text)
    lat = re.search(r"latency at (\d+)/s:\s+p50 (\d+) ms, p95 (\d+) ms, max (\d+) ms over (\d+)", text)
    worker = re.search(r"worker:\s+(.+)", text)
    cpu = re.search(
        r"worker CPU:\s+([\d.]+) ms per ticket until.*?; ([\d.]+) ms with .*?queue empty ([\d.]+) s later", text
    )
    found = {}
    if full:
        found["routing:full load"] = {
            "routed_per_s": float(full.group(1)),
            "tickets": int(full.group(2)),
            "worker": worker.group(1) if worker else "",
        }
        if cpu:
            found["routing:full load"].update(
                cpu_ms_per_ticket_routing=float(cpu.group(1)),
                cpu_ms_per_ticket_all_tasks=float(cpu.group(2)),
                queue_empty_after_s=float(cpu.group(3)),
            )
    if lat:
        found["routing:latency"] = {
            "rate_per_s": float(lat.group(1)),
            "p50_ms": float(lat.group(2)),
            "p95_ms": float(lat.group(3)),
            "max_ms": float(lat.group(4)),
            "n": int(lat.group(5)),
        }
    return found


PARSERS = {"queue": _parse_queue, "dashboards": _parse_dashboards, "locate": _parse_locate, "routing": _parse_routing}


def _table_of_model(label: str) -> str | None:
    """The table of a model given as "app_label.ModelName" (what QuerySet.delete() reports)."""
    from django.apps import apps

    try:
        return apps.get_model(label)._meta.db_table
    except LookupError:
        return None


def _kelurahan_pins() -> list[tuple[float, float]]:
    """Each kelurahan's label point: filings spread over the city as citizens' do. All on one pin, every
    routed ticket found thousands of "duplicates" within 250 m, a hot spot no city has."""
    from services.models import Area

    return [
        (lat, lng)
        for lat, lng in Area.objects.filter(level=Area.Level.KELURAHAN).values_list("label_lat", "label_lng")
        if lat is not None and lng is not None
    ] or [(LAT, LNG)]


def _last_ticket_id() -> int:
    from django.db.models import Max

    from complaints.models import Ticket

    return Ticket.objects.aggregate(last=Max("pk"))["last"] or 0


def _count_tickets() -> int:
    from complaints.models import Ticket

    return Ticket.objects.count()


def _json_lines(text: str):
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                found.append(json.loads(line))
            except ValueError:
                pass
    if not found:
        try:
            return json.loads(text)
        except ValueError:
            return None
    return found[-1] if len(found) == 1 else found


def main(argv=None):
    args = parse_args(argv)
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
