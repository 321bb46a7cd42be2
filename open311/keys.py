"""API keys: finding the key a request names, and its hourly rate limit (kept in the Django cache)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from .models import ApiKey


def key_from_secret(raw: str | None) -> ApiKey | None:
    """The active key whose secret is ``raw``, or None."""
    if not raw or len(raw) > 200:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash(raw), active=True).first()


def seconds_until_reset() -> int:
    """Seconds until this hour's buckets end and every limit is free again (a 429's Retry-After)."""
    return 3600 - int(time.time()) % 3600


def _hit(bucket: str, limit: int) -> bool:
    """Count one request in this hour's bucket; False when the limit is already used up."""
    hour = int(time.time() // 3600)
    cache_key = f"open311:rate:{bucket}:{hour}"
    cache.add(cache_key, 0, timeout=3700)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=3700)
        count = 1
    return count <= limit


def allow(*, api_key: ApiKey | None, client_ip: str | None) -> bool:
    """Whether this request fits its rate limit: the key's own limit, else a per-address one for anonymous reads."""
    if api_key is not None:
        return _hit(f"key:{api_key.pk}", api_key.rate_limit_per_hour)
    limit = getattr(settings, "OPEN311_ANONYMOUS_RATE_LIMIT_PER_HOUR", 3600)
    return _hit(f"ip:{client_ip or 'unknown'}", limit)
