"""A Redis cache that degrades to "no cache" instead of failing the request.

Every page, fragment and rate limit goes through the cache, so a Redis that is down or
hangs would otherwise turn the whole site into 500s. The first error opens a breaker for
``RETRY_SECONDS``: meanwhile this process answers as if every key were missing and drops
writes, without waiting on the network; then it tries Redis again.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("knowaml.cache")

RETRY_SECONDS = 5.0
# Run once Redis answers again after this process dropped writes to it: a save made while
# Redis was out of reach forgot nothing, so everything it might have shown is forgotten.
AFTER_LOST_WRITES = []


def after_lost_writes(callback):
    AFTER_LOST_WRITES.append(callback)
    return callback


class ReusedClients(RedisCacheClient):
    """Django builds a new redis-py client for every command; building one costs more than
    a page-cache hit's round trip. A client is safe to share: it borrows a connection from
    the pool for each command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._lost_writes = False
        self._recovering = False

    @property
    def available(self):
        return time.monotonic() >= self._down_until

    def _recover(self):
        self._recovering, self._lost_writes = True, False
        try:
            for callback in AFTER_LOST_WRITES:
                callback()
        finally:
            self._recovering = False

    def _guard(self, operation, fallback, *args, write=False, **kwargs):
        if self._lost_writes and self.available and not self._recovering:
            self._recover()
        if not self.available:
            self._lost_writes |= write
            return fallback()
        try:
            return operation(*args, **kwargs)
        except ValueError:  # a missing key for incr(): an answer, not an outage
            raise
        except Exception as error:  # redis.exceptions.* and socket errors alike
            self._lost_writes |= write
            with self._lock:
                if self.available:
                    logger.warning(
                        "Cache unavailable (%s: %s); serving without it for %.0f s",
                        type(error).__name__,
                        error,
                        RETRY_SECONDS,
                    )
                self._down_until = time.monotonic() + RETRY_SECONDS
            return fallback()

    def ping(self):
        """'ok' or 'unavailable', asking Redis itself (for /health/)."""
        try:
            self._cache.get_client(write=False).ping()
        except Exception:
            return "unavailable"
        return "ok"

    def get(self, key, default=None, version=None):
        return self._guard(super().get, lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, dict, keys, version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, lambda: False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, lambda: False, key, value, timeout, version, write=True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set, lambda: None, key, value, timeout, version, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set_many, lambda: list(data), data, timeout, version, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, lambda: False, key, timeout, version, write=True)

    def delete(self, key, version=None):
        return self._guard(super().delete, lambda: False, key, version, write=True)

    def delete_many(self, keys, version=None):
        return self._guard(super().delete_many, lambda: None, keys, version, write=True)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable).")

        return self._guard(super().incr, missing, key, delta, version, write=True)

    def clear(self):
        from .localpages import forget_here

        cleared = self._guard(super().clear, lambda: False, write=True)
        forget_here()  # Redis tells the other processes
        return cleared
