"""The shared cache on Redis, degrading to "no cache" while Redis is unreachable: a cache is an
optimisation, so a Redis outage slows pages down (figures are computed afresh) instead of failing them."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            log.warning("cache %s skipped: Redis is unreachable (%s)", name, error)
            return fallback(args, kwargs) if callable(fallback) else fallback

    call.__name__ = name
    return call


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", lambda args, kwargs: args[1] if len(args) > 1 else kwargs.get("default"))
    get_many = _tolerant("get_many", lambda args, kwargs: {})
    has_key = _tolerant("has_key", False)
    set = _tolerant("set", None)
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    set_many = _tolerant("set_many", lambda args, kwargs: [])
    delete_many = _tolerant("delete_many", None)
