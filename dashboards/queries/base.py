"""Building blocks every dashboard figure shares: filters, tables, rates, medians in SQL, caching."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import pickle
import statistics
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Aggregate, FloatField, Func, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

WITA = ZoneInfo("Asia/Makassar")
# Below this many decided tickets a rate or a median is not shown ("not enough data"):
# a department with 3 tickets must not top or bottom the city ranking by chance.
MIN_SAMPLE = 10
CACHE_SECONDS = 300
# How long the figures a page showed stay downloadable as they were (``snapshot``): a file downloaded from a page
# opened up to this long ago holds the page's figures, not ones computed since (an escalation sweep in between moved
# tickets to level 2 while the page still showed level 1). Later, a download holds the figures of then, and says when.
SNAPSHOT_SECONDS = 3600
DEFAULT_RANGE_DAYS = 182
# Columns holding Rupiah: tables show them as "Rp 1.250.000", charts' tooltips too.
MONEY_COLUMNS = ("budget", "realised")
# A rate's row holds, beside ``<column>``, the count it is a share of and that count's base (``rate_counts``): the page
# shows "73.7 (210 of 285)", the JSON both numbers.
COUNT_SUFFIX, BASE_SUFFIX = "_count", "_base"
# An average's row holds, beside ``<column>``, how many values it averages: the page shows "4.2 n = 12", the JSON the
# number, the files a column of it. An average rating without its number could rest on 10 ratings or on 10,000.
SAMPLE_SUFFIX = "_n"
LICENCE = "CC BY 4.0, Pemerintah Kota Banjarmasin"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the dashboard to. Dates are WITA calendar days, both inclusive; ``fiscal_year`` (a
    year number) is the plan the planning figures show, None for the default one (``plan.default_fiscal_year``)."""

    date_from: dt.date
    date_to: dt.date
    department_id: int | None = None
    kecamatan_id: int | None = None
    kelurahan_id: int | None = None
    service_id: int | None = None
    fiscal_year: int | None = None

    @classmethod
    def default(cls, *, today: dt.date | None = None, **extra) -> Filters:
        today = today or timezone.localdate()
        return cls(date_from=today - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1), date_to=today, **extra)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=WITA)

    @property
    def end(self) -> dt.datetime:
        """Exclusive end: midnight after ``date_to``."""
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=WITA)

    def where(self, *, prefix: str = "", dates: bool = True) -> Q:
        """The ticket condition (``prefix`` reaches the ticket through a relation, e.g. ``ticket__``)."""
        q = Q()
        if dates:
            q &= Q(**{f"{prefix}created_at__gte": self.start, f"{prefix}created_at__lt": self.end})
        if self.department_id:
            q &= Q(**{f"{prefix}department_id": self.department_id})
        if self.kelurahan_id:
            q &= Q(**{f"{prefix}area_id": self.kelurahan_id})
        elif self.kecamatan_id:
            q &= Q(**{f"{prefix}area__parent_id": self.kecamatan_id})
        if self.service_id:
            q &= Q(**{f"{prefix}service_id": self.service_id})
        return q

    def cache_key(self) -> str:
        raw = json.dumps(
            [
                str(self.date_from),
                str(self.date_to),
                self.department_id,
                self.kecamatan_id,
                self.kelurahan_id,
                self.service_id,
                self.fiscal_year,
            ]
        )
        return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass
class Table:
    """One figure as rows: what a chart draws and what the CSV/JSON download contains."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    note: str = ""
    # The page's filters its figures follow, by their URL parameter (``tahun``, ``department``...); None: every one.
    # Its links and files carry, and name, only these: a file of the plan named a kecamatan it was not narrowed by.
    follows: tuple[str, ...] | None = None
    # The figure's totals, by column: the table's foot on the page and ``totals`` in the JSON, never a CSV row (a
    # spreadsheet would sum it with the rows).
    totals: dict | None = None
    # Columns only the files carry, after ``columns``: what a reader joins the figure with (an id, a code, dates, an
    # address), which the page already shows as a link or does not need. Last, so the columns before never move.
    download_columns: tuple[tuple[str, str], ...] = ()

    @property
    def file_columns(self) -> list[tuple[str, str]]:
        """The columns of the CSV, XLSX and JSON: the page's, then ``download_columns``."""
        return [*self.columns, *self.download_columns]

    def as_dict(self) -> dict:
        described = {
            "key": self.key,
            "title": str(self.title),
            "columns": [{"key": k, "label": str(label)} for k, label in self.file_columns],
            "rows": self.rows,
            "note": str(self.note),
        }
        if self.totals is not None:
            described["totals"] = self.totals
        return described

    def column(self, key: str) -> list:
        return [row.get(key) for row in self.rows]


NOT_ENOUGH_DATA = _("not enough data")


def rate(part: int | None, whole: int | None, *, minimum: int = MIN_SAMPLE) -> float | None:
    """Percentage rounded to 0.1, or None when the sample is below ``minimum`` (never divides by zero)."""
    if not whole or whole < minimum:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600.0, 1)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


class Median(Aggregate):
    """The median with ``percentile_cont`` (PostgreSQL); FILTER works as on any aggregate."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Seconds(Func):
    """Seconds from ``start`` to ``end`` (two datetime expressions), as a float, in SQL."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def _parts(self, compiler):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        return end_sql, start_sql, [*end_params, *start_params]

    def as_postgresql(self, compiler, connection, **extra):
        end_sql, start_sql, params = self._parts(compiler)
        return f"EXTRACT(EPOCH FROM ({end_sql} - {start_sql}))::double precision", params

    def as_sqlite(self, compiler, connection, **extra):
        end_sql, start_sql, params = self._parts(compiler)
        return f"((julianday({end_sql}) - julianday({start_sql})) * 86400.0)", params

    def as_sql(self, compiler, connection, **extra):  # other backends: not supported by the project
        return self.as_sqlite(compiler, connection, **extra)


@dataclass(frozen=True)
class MedianSpec:
    """A duration median: ``end - start`` over rows matching ``condition``."""

    end: str
    start: str
    condition: Q


def grouped_medians(queryset, group: str | None, specs: dict[str, MedianSpec]) -> dict:
    """Medians per group value (or for the whole queryset when ``group`` is None), in seconds.

    PostgreSQL: one query with ``percentile_cont``. SQLite has no percentile aggregate, so
    there (only there) the sorted durations are read and the middle taken in Python.
    Returns ``{group_value: {name: seconds_or_None}}`` (group_value None when ungrouped).
    """
    result: dict = {}
    if is_postgres():
        annotations = {
            name: Median(Seconds(spec.end, spec.start), filter=spec.condition) for name, spec in specs.items()
        }
        if group is None:
            result[None] = queryset.order_by().aggregate(**annotations)
        else:
            for row in queryset.order_by().values(group).annotate(**annotations):
                result[row.pop(group)] = row
        return result
    for name, spec in specs.items():
        values: dict = {}
        rows = (
            queryset.filter(spec.condition, **{f"{spec.end}__isnull": False, f"{spec.start}__isnull": False})
            .order_by()
            .annotate(_seconds=Seconds(spec.end, spec.start))
            .values_list(group or "pk", "_seconds")
        )
        for key, seconds in rows:
            values.setdefault(None if group is None else key, []).append(seconds)
        for key, found in values.items():
            result.setdefault(key, {})[name] = statistics.median(found) if found else None
        if group is None:
            result.setdefault(None, {}).setdefault(name, None)
    return result


@contextmanager
def analytic_session():
    """Run a dashboard's aggregates in one read transaction tuned for them (PostgreSQL only).

    JIT compilation costs seconds on these wide aggregates and saves nothing at this size, and the
    grouped sorts need more than the default 4 MB of work memory; ``SET LOCAL`` ends with the transaction.
    """
    if not is_postgres():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        yield


def _full_key(key: str) -> str:
    # Keyed by the active language too: the tables hold translated titles and labels.
    return f"dashboards:{get_language() or settings.LANGUAGE_CODE}:{key}"


def _cache_get(full_key: str):
    try:
        stored = cache.get(full_key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a reason to fail the page
        logger.warning("dashboard cache unavailable", exc_info=True)
        return None
    # Kept pickled by ``_cache_set``; anything else was kept before it did so, and counts as a miss.
    return pickle.loads(stored) if isinstance(stored, bytes) else None


def _cache_set(value, *kept: tuple[str, int]) -> None:
    """Keep ``value`` under each ``(full key, seconds)``, pickled once: a page's figures are kept twice (the page's
    cache and its snapshot), and pickling the public page's thousand activities (their Decimals) took 29 ms each
    time, at 1,000,000 tickets."""
    stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    try:
        for full_key, seconds in kept:
            cache.set(full_key, stored, seconds)
    except Exception:  # noqa: BLE001
        logger.warning("dashboard cache unavailable", exc_info=True)


def stamp_of(moment: dt.datetime) -> str:
    """A snapshot's name in a download's address (``?snapshot=``): when it was computed, in microseconds."""
    return str(int(moment.timestamp() * 1_000_000))


def cached(key: str, compute, *, seconds: int = CACHE_SECONDS):
    """``(value, computed_at)`` from the cache, computing on a miss. A broken cache only costs time.

    Keyed by the active language too: the tables hold translated titles and labels."""
    return _cached(key, compute, seconds)


def snapshot(
    key: str, compute, stamp: str | None = None, *, seconds: int = CACHE_SECONDS, pinned_as: str | None = None
):
    """``(value, computed_at)``: the snapshot ``stamp`` names (``stamp_of(computed_at)``) while it is kept, else the
    cached one, computing on a miss. Each computed value is kept under its stamp for ``SNAPSHOT_SECONDS`` as well,
    so that the downloads of a page hold the figures it showed (``pin``, ``pinned``); ``pinned_as``: the key its
    snapshots are kept under, when not ``key`` (the plan's figures are cached under their generation, which a
    snapshot outlives: ``plan_generation``)."""
    pinned_as = pinned_as or key
    if stamp:
        hit = pinned(pinned_as, stamp)
        if hit is not None:
            return hit
    return _cached(key, compute, seconds, pinned_as=pinned_as)


def _cached(key: str, compute, seconds: int, *, pinned_as: str | None = None):
    full_key = _full_key(key)
    hit = _cache_get(full_key)
    if hit is not None:
        return hit
    with analytic_session():
        value = (compute(), timezone.now())
    if pinned_as:
        _cache_set(value, (full_key, seconds), (_pinned_key(pinned_as, stamp_of(value[1])), SNAPSHOT_SECONDS))
    else:
        _cache_set(value, (full_key, seconds))
    return value


# The plan's generation: a name for the plan's current state, part of the cache key of every page's plan figures and
# renamed once each change to the plan commits (``bump_plan_generation``). A finance officer who approves a budget,
# or a head who completes an activity, sees the dashboards' plan figures agree with the plan's own pages at once,
# not up to ``CACHE_SECONDS`` later; the ticket figures, far costlier to compute, keep their cache.
PLAN_GENERATION_KEY = "dashboards:plan-generation"


def plan_generation() -> str:
    """The plan's current generation, named once if the cache has none (first use, evicted, flushed): a new name, so
    that no plan figures kept under an older one are read as current. '' when the cache is unavailable."""
    try:
        generation = cache.get(PLAN_GENERATION_KEY)
        if generation is None:
            cache.add(PLAN_GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(PLAN_GENERATION_KEY)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a reason to fail the page
        logger.warning("dashboard cache unavailable", exc_info=True)
        return ""
    return str(generation or "")


def bump_plan_generation() -> None:
    """Give the plan a new generation: every page's plan figures are computed again when next read."""
    try:
        cache.set(PLAN_GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001
        logger.warning("dashboard cache unavailable: the plan's figures may be up to %ss old", CACHE_SECONDS)


def _pinned_key(key: str, stamp: str) -> str:
    return f"{_full_key(key)}@{stamp}"


def pin(key: str, stamp: str, value) -> None:
    """Keep ``value`` as the snapshot ``stamp`` of ``key`` for ``SNAPSHOT_SECONDS``."""
    _cache_set(value, (_pinned_key(key, stamp), SNAPSHOT_SECONDS))


def pinned(key: str, stamp: str):
    """The snapshot ``stamp`` of ``key`` (``pin``), or None once it is no longer kept (or never was)."""
    if not stamp.isdigit():
        return None
    return _cache_get(_pinned_key(key, stamp))
