"""With Redis out of reach, the cache misses instead of raising, so filing and rate limits keep working."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from smartcity.cache import ResilientRedisCache

DEAD_REDIS = {
    "default": {
        "BACKEND": "smartcity.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@override_settings(CACHES=DEAD_REDIS)
def test_unreachable_redis_reads_miss_and_writes_are_dropped():
    cache = caches.create_connection("default")
    assert isinstance(cache, ResilientRedisCache)
    assert cache.get("x", "fallback") == "fallback"
    assert cache.set("x", 1) is None
    assert cache.add("counter", 1) is True
    assert cache.incr("counter", 3) == 3
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("x") is False


@pytest.mark.redis
def test_live_redis_still_works_through_the_resilient_backend(settings):
    cache = caches.create_connection("default")
    cache.set("resilient-probe", "ok", 5)
    assert cache.get("resilient-probe") == "ok"


@override_settings(CACHES=DEAD_REDIS)
def test_citizen_files_through_the_api_and_open311_while_redis_is_down(citizen, city):
    """Throttles and per-key limits count in the cache: with it gone they let the filing through."""
    from rest_framework.test import APIClient

    from complaints.models import Ticket
    from open311.models import ApiKey

    api = APIClient()
    api.force_authenticate(citizen)
    response = api.post(
        "/api/v1/tickets/",
        {"title": "Lampu jalan mati", "description": "Sejak kemarin malam.", "area": "63.71.05.1003"},
        format="json",
    )
    assert response.status_code == 201, response.content
    _, raw_key = ApiKey.issue(name="Command centre")
    open311 = api.post(
        "/open311/v2/requests.json",
        {
            "api_key": raw_key,
            "service_code": "pju-mati",
            "lat": city.first().label_lat,
            "long": city.first().label_lng,
            "description": "Lampu mati di gang.",
        },
    )
    assert open311.status_code == 201, open311.content
    assert Ticket.objects.count() == 2
