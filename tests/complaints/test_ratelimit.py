"""Fixed-window counters: the allowance holds per window, on Redis in one round trip, and fails open."""

import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from complaints import ratelimit

DEAD_REDIS = {
    "default": {
        "BACKEND": "smartcity.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _allowance(key: str) -> list[bool]:
    return [ratelimit.hit(key, "3/m") for _ in range(5)]


@pytest.mark.redis
def test_redis_counts_each_window_and_expires_the_counter(settings):
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    key = f"test:{uuid.uuid4().hex}"
    assert _allowance(key) == [True, True, True, False, False]
    assert ratelimit.peek(key, "3/m") == 5
    redis_key = next(iter(backend._cache.get_client().scan_iter(match=f"*rl:{key}:*")))
    assert 0 < backend._cache.get_client().ttl(redis_key) <= 65


@pytest.mark.redis
def test_one_round_trip_per_hit_on_redis(settings, monkeypatch):
    backend = caches["default"]
    client = backend._cache.get_client(write=True)
    sent = []
    original = type(client).pipeline

    def counting_pipeline(self, *args, **kwargs):
        pipe = original(self, *args, **kwargs)
        execute = pipe.execute
        pipe.execute = lambda *a, **k: sent.append(len(pipe.command_stack)) or execute(*a, **k)
        return pipe

    with monkeypatch.context() as patched:
        patched.setattr(type(client), "pipeline", counting_pipeline)
        # A command outside the pipeline would be another round trip (a pipeline queues its own commands).
        patched.setattr(type(client), "execute_command", lambda *a, **k: pytest.fail("a second round trip"))
        assert ratelimit.hit("test:round-trips", "10/m") is True
    assert sent == [2]


@override_settings(CACHES=LOCAL)
def test_other_caches_count_too():
    caches["default"].clear()
    assert _allowance("test:local") == [True, True, True, False, False]


@override_settings(CACHES=DEAD_REDIS)
def test_unreachable_redis_limits_nobody():
    assert _allowance("test:dead") == [True] * 5
