"""Fixed-window counters in the shared Django cache (Redis in production, the database otherwise)."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# Allowances set for one block of code, by counter key: a caller that knows better than the rate's own count (the
# REST API filing for an account its administrator gave a filing limit of its own) raises or lowers it there, while
# the code counting the hits (the filing action) stays as it is. A context variable: one request's allowance never
# reaches another request served by the same thread or process.
_allowances: ContextVar[dict[str, int] | None] = ContextVar("ratelimit_allowances", default=None)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/h"`` → (10, 3600); ``"5/10m"`` → (5, 600)."""
    count, _, period = rate.partition("/")
    period = period.strip() or "h"
    multiplier = int(period[:-1]) if len(period) > 1 else 1
    return int(count), multiplier * UNITS[period[-1]]


@contextmanager
def allowance(key: str, limit: int):
    """Within this block, ``hit(key, rate)`` allows ``limit`` hits per window of ``rate`` instead of the rate's own
    count. The window stays the rate's, so ``seconds_left(rate)`` (a refusal's Retry-After) is still right."""
    reset = _allowances.set({**(_allowances.get() or {}), key: limit})
    try:
        yield
    finally:
        _allowances.reset(reset)


def hit(key: str, rate: str) -> bool:
    """Count one hit for ``key``; False once the window's allowance is used up."""
    limit, seconds = parse_rate(rate)
    limit = (_allowances.get() or {}).get(key, limit)
    window = int(time.time() // seconds)
    cache_key = f"rl:{key}:{window}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _hit_redis(backend, cache_key, seconds) <= limit
    # add() is atomic: the first hit of a window creates the counter.
    if cache.add(cache_key, 1, timeout=seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=seconds + 5)
            count = 1
    return count <= limit


def _hit_redis(backend: RedisCache, cache_key: str, seconds: int) -> int:
    """The window's count after this hit, in one round trip: create the counter with its expiry unless it
    exists, then increment it. Filing is hot; add() then incr() took two (incr checks that the key exists).
    Fails open like the cache itself: while Redis is away, nobody is limited."""
    key = backend.make_and_validate_key(cache_key)
    try:
        pipe = backend._cache.get_client(key, write=True).pipeline(transaction=False)
        pipe.set(key, 0, ex=seconds + 5, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]
    except (RedisError, OSError) as exc:
        log.warning("rate-limit counter unavailable: %s", exc.__class__.__name__)
        return 1


def peek(key: str, rate: str) -> int:
    """How many hits ``key`` has in the current window (without counting one)."""
    _, seconds = parse_rate(rate)
    return int(cache.get(f"rl:{key}:{int(time.time() // seconds)}") or 0)


def seconds_left(rate: str) -> int:
    """Seconds until the current window of ``rate`` ends and its allowance is free again (Retry-After)."""
    _, seconds = parse_rate(rate)
    return max(1, seconds - int(time.time()) % seconds)
