"""The address of the citizen behind a request, as the per-address rate limits count it.

Behind the README's nginx every request comes from 127.0.0.1: REMOTE_ADDR alone puts the whole city in one
bucket. The address the proxy saw is in X-Forwarded-For, which the client can also write. So this reads the
header the way allauth does for its sign-in limits, from the same setting (``ALLAUTH_TRUSTED_PROXY_COUNT``):
with N trusted proxies, each appends the address it was called from, so the N-th entry from the right was
written by our outermost proxy and the entries left of it by whoever called it. With 0 the header is never read.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address (normalised), or ``"unknown"``: one shared bucket rather than no limit at all."""
    trusted = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        # Fewer entries than proxies: the request did not come through all of them (a health check, a call
        # straight to gunicorn), and which entry, if any, one of ours wrote cannot be told. allauth answers that
        # with a server error; a report must still be filed, so the peer's own address counts.
        if len(hops) >= trusted:
            forwarded = _address(hops[-trusted])
            if forwarded:
                return forwarded
    return _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
