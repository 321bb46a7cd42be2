"""What every harness step shares: environments, a gunicorn it starts and stops, wrk, percentiles, the machine."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .cpu import ProcessCpu

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BENCH_DB = os.environ.get("BENCH_DB", "bench")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
CPU_COUNT = os.cpu_count() or 1
# The load generator gets the last core; the server, workers and PostgreSQL share the rest (and that one).
GENERATOR_CPU = str(CPU_COUNT - 1)


def log(message: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(*, database_url: str, redis_url: str, **extra) -> dict:
    """Production settings on loopback: the configuration a city would run, minus TLS."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS", "benchmarks.settings"),
        SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        GUNICORN_ACCESSLOG="/dev/null",
        EMAIL_URL=os.environ.get("BENCH_EMAIL_URL", "dummymail://"),
        SITE_URL=os.environ.get("BENCH_SITE_URL", "http://127.0.0.1"),
        LOG_LEVEL="WARNING",
        FILING_RATE_LIMIT="1000000/s",
        FILING_IP_RATE_LIMIT="1000000/s",
        # One address and one token make every request: the REST API's read limits must never answer 429 there.
        API_ANONYMOUS_READ_RATE="1000000/s",
        API_ACCOUNT_READ_RATE="1000000/s",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(*args: str, env: dict, check: bool = True, capture: bool = False, timeout: float | None = None):
    cmd = [PY, str(ROOT / "manage.py"), *args]
    result = subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=capture, timeout=timeout)
    if check and result.returncode != 0:
        detail = (result.stderr or "")[-2000:] if capture else ""
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}) {detail}")
    return result


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
            last = exc
        except OSError as exc:
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout}s: {last}")


class Gunicorn:
    """The project's gunicorn.conf.py on a loopback port, started and stopped by the harness."""

    def __init__(self, env: dict, *, port: int | None = None, workers: int | None = None, logfile: Path | None = None):
        self.port = port or free_port()
        self.env = dict(env)
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.logfile = logfile or Path(tempfile.gettempdir()) / f"bench-gunicorn-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe: str = "/healthz") -> Gunicorn:
        out = open(self.logfile, "w")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "--no-control-socket",  # several harness servers may run side by side
                "smartcity.wsgi:application",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_http(self.url + probe)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class CeleryWorker:
    """One Celery worker (``concurrency`` processes) started by the harness."""

    def __init__(self, env: dict, *, concurrency: int = 1, logfile: Path | None = None, queues: str | None = None):
        self.env = env
        self.concurrency = concurrency
        self.queues = queues
        self.logfile = logfile or Path(tempfile.gettempdir()) / f"bench-celery-{os.getpid()}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> CeleryWorker:
        cmd = [str(VENV_BIN / "celery"), "-A", "smartcity", "worker", "-l", "warning", "-c", str(self.concurrency)]
        cmd += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        if self.queues:
            cmd += ["-Q", self.queues]
        out = open(self.logfile, "a")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def child_pids(self) -> list[int]:
        if not self.proc:
            return []
        try:
            out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        except FileNotFoundError:
            return []
        return [int(p) for p in out.split()]

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def percentile(values, pct: float) -> float | None:
    data = sorted(values)
    if not data:
        return None
    k = (len(data) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0}
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
    }


# --- wrk ---------------------------------------------------------------------

WRK_REPORT = r"""
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "WRK_JSON {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, \"status_errors\": %d, \"socket_errors\": %d, " ..
    "\"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.bytes, summary.errors.status, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def wrk_post_script(path: str, *, body_lua: str, headers: dict, pins: list[tuple[float, float]] = ()) -> str:
    """A Lua script whose request() POSTs a fresh body each time.

    ``body_lua`` is a Lua expression using ``n`` (the request's number) and, when ``pins`` are given,
    ``lat`` and ``lng``: one of the pins, chosen at random for each request.
    """
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    pin_table = ", ".join(f'{{"{lat:.6f}", "{lng:.6f}"}}' for lat, lng in pins) or '{"0", "0"}'
    return f"""
wrk.method = "POST"
{header_lines}
local counter = 0
local pins = {{{pin_table}}}
request = function()
  counter = counter + 1
  local n = counter
  local pin = pins[math.random(#pins)]
  local lat, lng = pin[1], pin[2]
  return wrk.format("POST", "{path}", nil, {body_lua})
end
{WRK_REPORT}
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed (make bench installs it with apt-get install wrk)")
    return found


def run_wrk(url: str, *, seconds: int, connections: int, script: str | None = None, threads: int = 1) -> dict:
    """wrk pinned to the generator core; returns req/s, latency percentiles and error counts."""
    ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script or WRK_REPORT)
        lua = fh.name
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", lua, url]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", GENERATOR_CPU, *cmd]
    with ProcessCpu() as cpu:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    os.unlink(lua)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if not line:
        raise RuntimeError(f"wrk printed no summary: {out.stdout[-800:]} {out.stderr[-800:]}")
    raw = json.loads(line[len("WRK_JSON ") :])
    duration = raw["duration_us"] / 1e6
    ok = raw["requests"] - raw["status_errors"]
    return {
        "requests": raw["requests"],
        "errors": raw["status_errors"] + raw["socket_errors"],
        "req_per_s": round(raw["requests"] / duration, 1) if duration else 0,
        "ok_per_s": round(ok / duration, 1) if duration else 0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "connections": connections,
        "seconds": seconds,
        "cpu_ms_per_request": cpu.per_request_ms(raw["requests"]),
    }


def wrk_version() -> str:
    if not shutil.which("wrk"):
        return "missing"
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (out.stdout + out.stderr).strip().splitlines()[0] if (out.stdout + out.stderr).strip() else "wrk"


# --- the machine -------------------------------------------------------------


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine() -> dict:
    mem_kb = 0
    cpu_model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    versions = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": _first_line(["psql", "--version"]),
        "redis": _first_line(["redis-server", "--version"]),
        "gunicorn": _first_line([str(VENV_BIN / "gunicorn"), "--version"]),
        "celery": _first_line([str(VENV_BIN / "celery"), "--version"]),
        "wrk": wrk_version(),
    }
    commit = _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    # Figures measured on edited code are not the commit's: say so (the report's own files excepted).
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/benchmarks.*"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if changed:
        commit += " with uncommitted changes"
    return {
        "cores": CPU_COUNT,
        "cpu": cpu_model,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "versions": versions,
        "commit": commit,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


@contextmanager
def timed(results: dict, key: str):
    started = time.monotonic()
    try:
        yield
    finally:
        results.setdefault("step_seconds", {})[key] = round(time.monotonic() - started, 1)
