"""/healthz names a Redis outage in its cache check as the broker's check does ("ConnectionError"): the portal's
cache fails open, and the check read the missing value as "RuntimeError", which sent the operator looking for a bug
instead of at Redis."""

import pytest

pytestmark = pytest.mark.django_db

CLOSED_PORT_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_the_cache_check_names_the_connection_error_while_redis_is_down(client, settings):
    settings.REDIS_URL = CLOSED_PORT_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "smartcity.cache.ResilientRedisCache",  # as the settings configure it with REDIS_URL
            "LOCATION": CLOSED_PORT_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    checks = client.get("/healthz").json()["checks"]
    assert checks["cache"] == {"ok": False, "error": "ConnectionError"}
    assert checks["broker"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.redis
def test_the_cache_check_passes_through_the_portals_redis_cache(client, settings):
    assert settings.CACHES["default"]["BACKEND"] == "smartcity.cache.ResilientRedisCache"
    assert client.get("/healthz").json()["checks"]["cache"]["ok"] is True
