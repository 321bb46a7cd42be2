"""A Redis cache that fails open.

The cache holds rate-limit counters, throttles and page fragments: nothing a
citizen's filing depends on. When Redis is briefly away (restart, network) a
request must still succeed, so reads miss, writes are dropped and counters
start again; the broker outage itself is handled by the task sweep.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

_UNAVAILABLE = (RedisError, OSError)


def _fail_open(default):
    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE as exc:
                log.warning("cache unavailable during %s: %s", method.__name__, exc.__class__.__name__)
                return default(*args, **kwargs) if callable(default) else default

        return guarded

    return wrap


def _default_of_get(key, default=None, *args, **kwargs):
    return default


def _delta_of_incr(key, delta=1, *args, **kwargs):
    return delta


class _ClientPerPool(RedisCacheClient):
    """Django builds a new ``redis.Redis`` object for every cache call; building one copies its reply-parser
    tables (~0.3 ms). A client is a thin, thread-safe wrapper around its connection pool, so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool

    get = _fail_open(_default_of_get)(RedisCache.get)
    get_many = _fail_open({})(RedisCache.get_many)
    set = _fail_open(None)(RedisCache.set)
    set_many = _fail_open([])(RedisCache.set_many)
    # "Added" keeps rate limiters permissive while the counters are out of reach.
    add = _fail_open(True)(RedisCache.add)
    incr = _fail_open(_delta_of_incr)(RedisCache.incr)
    decr = _fail_open(0)(RedisCache.decr)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    clear = _fail_open(False)(RedisCache.clear)
