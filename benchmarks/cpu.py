"""CPU time each kind of process spent during a measurement, read from /proc (Linux).

Throughput on this machine is bounded by CPU: the figure that says why one endpoint is slower than another is
where its CPU goes per request: the gunicorn workers (Python), PostgreSQL, Redis, the load generator.

Workers come and go during a run (gunicorn recycles them after max_requests, PostgreSQL backends end with their
connection). A process that ended was reaped by its parent, whose "children" CPU (cutime, cstime) then holds its
whole life: counting that and subtracting what the process had already used at the start keeps every second
counted once.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

# Process names (comm, as the kernel truncates them) to the group a report shows.
GROUPS = {"gunicorn": "gunicorn", "postgres": "postgres", "redis-server": "redis", "wrk": "wrk"}


@dataclass(frozen=True)
class _Proc:
    name: str
    parent: int
    own: int  # utime + stime, in clock ticks
    children: int  # cutime + cstime: reaped children's whole lives


def _snapshot() -> dict[int, _Proc]:
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue  # ended between listdir and open
        # The name is in parentheses and may hold spaces; the numbers follow the last ")".
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        procs[int(entry)] = _Proc(
            name=name,
            parent=int(fields[1]),
            own=int(fields[11]) + int(fields[12]),
            children=int(fields[13]) + int(fields[14]),
        )
    return procs


def _group(name: str) -> str:
    return next((group for prefix, group in GROUPS.items() if name.startswith(prefix)), "other")


class ProcessCpu:
    """``with ProcessCpu() as cpu: ...`` then ``cpu.seconds`` ({group: CPU seconds}); ``None`` off Linux.

    The load generator runs as this process's child: its CPU arrives in this process's children time, and is
    reported as "wrk"; the harness's own CPU (it only waits meanwhile) is left out."""

    def __init__(self):
        self.seconds: dict[str, float] | None = None
        self._before: dict[int, _Proc] = {}

    def __enter__(self) -> ProcessCpu:
        if os.path.isdir("/proc/self"):
            self._before = _snapshot()
        return self

    def __exit__(self, *exc) -> None:
        if not self._before:
            return
        after = _snapshot()
        me = os.getpid()

        def group(pid: int) -> str:
            return "wrk" if pid == me else _group(after[pid].name)

        ticks: Counter = Counter()
        for pid, proc in after.items():
            start = self._before.get(pid)
            if pid != me:
                ticks[group(pid)] += proc.own - (start.own if start else 0)
            ticks[group(pid)] += proc.children - (start.children if start else 0)
        for pid, proc in self._before.items():
            if pid not in after and proc.parent in after:
                # Ended meanwhile: its parent's children time counted its whole life; take back the part before.
                ticks[group(proc.parent)] -= proc.own + proc.children
        self.seconds = {group: round(value / TICKS, 2) for group, value in ticks.items() if value > 0}

    def per_request_ms(self, requests: int) -> dict[str, float] | None:
        if self.seconds is None or not requests:
            return None
        shown = {group: round(1000 * s / requests, 2) for group, s in self.seconds.items() if group != "other"}
        shown["total"] = round(1000 * sum(self.seconds.values()) / requests, 2)
        return shown
