#!/usr/bin/env python
"""Benchmark services.geo.locate_id(): calls per second and microseconds per call.

Uses DATABASE_URL when set (SQLite file otherwise), migrates and loads the areas if
they are missing, then times lookups over a fixed mix of points: inside every
kelurahan, in the gaps and rivers around the city, and far away. Target: < 200 µs.

    make bench-locate            # or: .venv/bin/python scripts/bench_locate.py --calls 200000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings.base")
TARGET_US = 200.0


def _setup() -> None:
    import django

    sys.path.insert(0, str(ROOT / "scripts"))
    from ensure_database import ensure_database

    ensure_database()

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from services.models import Area

    if Area._meta.db_table not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)
    if Area.objects.filter(level=Area.Level.KELURAHAN).count() != 52:
        from services.areas import load_areas

        load_areas()


def _points(seed: int, count: int) -> tuple[list[tuple[float, float]], int]:
    """``count`` points: about 70 % inside a kelurahan's bounding box, 20 % around the city, 10 % far away."""
    from services.models import Area

    rng = random.Random(seed)
    areas = list(Area.objects.filter(level=Area.Level.KELURAHAN))
    min_lat = min(a.min_lat for a in areas)
    max_lat = max(a.max_lat for a in areas)
    min_lng = min(a.min_lng for a in areas)
    max_lng = max(a.max_lng for a in areas)
    points = []
    for i in range(count):
        roll = i % 10
        if roll < 7:
            area = areas[rng.randrange(len(areas))]
            points.append((rng.uniform(area.min_lat, area.max_lat), rng.uniform(area.min_lng, area.max_lng)))
        elif roll < 9:
            points.append((rng.uniform(min_lat - 0.05, max_lat + 0.05), rng.uniform(min_lng - 0.05, max_lng + 0.05)))
        else:
            points.append((rng.uniform(-8.0, 2.0), rng.uniform(105.0, 125.0)))
    return points, len(areas)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000, help="lookups to time (default 200000)")
    parser.add_argument("--points", type=int, default=10_000, help="distinct points cycled through")
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()

    _setup()
    from django.db import connection

    from services.geo import locate_id, reset_index

    points, kelurahan = _points(args.seed, args.points)
    reset_index()
    started = time.perf_counter()
    locate_id(*points[0])  # loads the polygons once per process
    load_ms = (time.perf_counter() - started) * 1000

    found = 0
    n = len(points)
    started = time.perf_counter()
    for i in range(args.calls):
        lat, lng = points[i % n]
        if locate_id(lat, lng) is not None:
            found += 1
    elapsed = time.perf_counter() - started

    per_call_us = elapsed / args.calls * 1e6
    print(f"database:        {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"polygons:        {kelurahan} kelurahan, index built in {load_ms:.1f} ms")
    print(f"calls:           {args.calls:,} over {n:,} points ({found / args.calls:.0%} inside the city)")
    print(f"calls/second:    {args.calls / elapsed:,.0f}")
    print(f"µs per call:     {per_call_us:.1f}  (target < {TARGET_US:.0f} µs = 0.2 ms)")
    verdict = "OK" if per_call_us < TARGET_US else "SLOWER THAN TARGET"
    print(f"result:          {verdict}")
    return 0 if per_call_us < TARGET_US else 1


if __name__ == "__main__":
    sys.exit(main())
