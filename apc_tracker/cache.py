"""The cache every app server shares, and what the site does when it does not answer.

Django's Redis cache raises when Redis is stopped, and waits when it is silent, so a page that
reads the cache would fail or hang with it. Here a cache that fails is a cache that misses: the
page is computed afresh and nothing is stored. After a failure the cache is left alone for a few
seconds (a circuit breaker), so that requests do not each wait out the timeout; the first
request after that tries it again, and the cache is back in use as soon as one answer comes.
Each process decides for itself (each thread, as Django keeps a cache object per thread): the
shared cache is no place to share that it does not answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import RedisError
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Redis answers in well under a millisecond on the servers' network: one that takes a quarter
# of a second to take a connection or to answer is treated as down.
TIMEOUT_SECONDS = 0.25
# How long the cache is left alone after a failure: at most one request per process pays the
# timeout in that time, and the cache is back in use at most this long after Redis is.
RETRY_SECONDS = 10
# While the cache stays down, each process says so again at most this often.
LOG_SECONDS = 60


def redis_cache(location: str) -> dict:
    """The CACHES entry of the Redis cache at `location` (a redis:// URL) that every server shares."""
    return {
        "BACKEND": "apc_tracker.cache.FailSoftRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "apc-tracker",
        "OPTIONS": {
            "socket_connect_timeout": TIMEOUT_SECONDS,
            "socket_timeout": TIMEOUT_SECONDS,
            # No retry: it would add its wait to the timeout's, and the breaker tries again later.
            # A pooled connection that Redis closed on restart is replaced before use, not retried.
            "retry": Retry(NoBackoff(), 0),
            "RETRY_SECONDS": RETRY_SECONDS,
            "LOG_SECONDS": LOG_SECONDS,
        },
    }


def cache_state(cache: BaseCache) -> str:
    """What the health check says of the cache: "up" or "down" for Redis, "local" for each process's memory."""
    return cache.state() if isinstance(cache, FailSoftRedisCache) else "local"


class Breaker:
    """Whether to use the cache now, from what it did lately; says in the log when that changes."""

    def __init__(self, name: str, retry_seconds: float, log_seconds: float):
        self.name = name
        self.retry_seconds = retry_seconds
        self.log_seconds = log_seconds
        self.down_since: float | None = None
        self.retry_at = self.logged_at = 0.0
        self.skipped = 0

    def allows(self) -> bool:
        """Yes while the cache answers, and once per retry interval while it does not."""
        if self.down_since is None:
            return True
        now = time.monotonic()
        if now >= self.retry_at:
            self.retry_at = now + self.retry_seconds
            return True
        self.skipped += 1
        return False

    def failed(self, error: RedisError) -> None:
        now = time.monotonic()
        self.retry_at = now + self.retry_seconds
        if self.down_since is None:
            self.down_since = self.logged_at = now
            logger.warning(
                "The cache at %s does not answer (%s): pages are served without it, and it is tried again every %g s",
                self.name,
                error,
                self.retry_seconds,
            )
        elif now - self.logged_at >= self.log_seconds:
            self.logged_at = now
            logger.warning(
                "The cache at %s still does not answer (%s), for %.0f s now: %d reads and writes went without it",
                self.name,
                error,
                now - self.down_since,
                self.skipped,
            )

    def succeeded(self) -> None:
        if self.down_since is not None:
            logger.info(
                "The cache at %s answers again after %.0f s: pages are cached again",
                self.name,
                time.monotonic() - self.down_since,
            )
            self.down_since = None
            self.skipped = 0


def _without_credentials(location: str) -> str:
    """The server's address as the log may show it: a password in the URL stays out."""
    parts = urlsplit(location)
    host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or ""
    return f"{parts.scheme}://{host}{parts.path}"


class ReusedClients(RedisCacheClient):
    """Django's Redis client maker, keeping one client per connection pool.

    Django makes a new client object for every cache call, about a fifth of a millisecond each:
    as much as the rest of a page served from the cache. A client holds no connection of its
    own (its pool does), and is safe to share between threads.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._made: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._made.get(id(pool))
        if client is None:
            client = self._made[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, for which Redis not answering is a miss, never an error.

    Reads answer their default, writes store nothing, and the next reads and writes are not
    even tried until the breaker's retry interval has passed. Errors other than Redis's own
    (a value that cannot be pickled) are the caller's and still raise.
    """

    def __init__(self, server: str, params: dict):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = options.pop("RETRY_SECONDS", RETRY_SECONDS)
        log_seconds = options.pop("LOG_SECONDS", LOG_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClients
        self.breaker = Breaker(_without_credentials(self._servers[0]), retry_seconds, log_seconds)

    def _attempt(self, operation: Callable[..., Any], fallback: Any, *args: Any) -> Any:
        if not self.breaker.allows():
            return fallback
        try:
            result = operation(*args)
        except RedisError as error:
            self.breaker.failed(error)
            return fallback
        self.breaker.succeeded()
        return result

    def state(self) -> str:
        """ "up" when Redis answers a PING now; "down" when it does not, or failed within the retry interval."""
        return "up" if self._attempt(lambda: self._cache.get_client().ping(), False) else "down"

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._attempt(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._attempt(super().incr, missing, key, delta, version)
        if value is missing:
            # As for a key that is not there: a counter kept in the cache starts again.
            raise ValueError(f"Key '{key}' not found: the cache does not answer.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that could not be stored, as BaseCache.set_many says.
        return self._attempt(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._attempt(super().delete_many, None, keys, version)

    def clear(self):
        return self._attempt(super().clear, False)
