"""The Redis cache, as an accelerator that may be away.

While Redis is down or restarting, reads miss (the caller computes the value from the
database), writes are skipped, and ``add`` reports "not added". After a failure the cache is
not tried again for ``RETRY_SECONDS``, so requests do not each wait for a connection timeout;
one log line says when Redis went away and one when it came back. ``incr`` raises
:class:`CacheUnavailable` instead, because a counter that silently reads 0 would switch a rate
limit off: the rate limiter catches it and counts locally (consult/ratelimit.py).

allauth's rate limits (sign-in, sign-up, password reset) keep their history and a short lock
in the cache under ``allauth:rl:...``: while Redis is away those keys live in this process's
memory instead, so the limits keep counting (per process) and a sign-in neither waits for a
lock that can never be taken nor is refused for it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from consult import metrics

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
LOCAL_WHILE_AWAY = ("allauth:rl:",)  # keys kept in the process while Redis is away


class CacheUnavailable(Exception):
    """The shared cache cannot be reached just now."""


class _Breaker:
    """Remembers that Redis failed, so the next ``RETRY_SECONDS`` do not try it."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.down = False
        self.lock = threading.Lock()

    def open(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, exc: BaseException) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_SECONDS
            if not self.down:
                self.down = True
                metrics.CACHE_OUTAGES.inc()
                log.warning("cache unavailable, falling back to the database: %s", exc)

    def worked(self) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    log.warning("cache available again")


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.breaker = _Breaker()
        self.local = LocMemCache("consult-cache-away", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    def _try(self, method: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if self.breaker.open():
            return self._away(method, fallback, *args, **kwargs)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except FAILURES as exc:
            self.breaker.failed(exc)
            return self._away(method, fallback, *args, **kwargs)
        self.breaker.worked()
        return result

    def _away(self, method: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        key = args[0] if args else None
        if isinstance(key, str) and key.startswith(LOCAL_WHILE_AWAY):
            return getattr(self.local, method)(*args, **kwargs)
        return fallback

    @property
    def available(self) -> bool:
        return not self.breaker.open()

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._try("add", False, key, value, timeout, version)

    def get(self, key: str, default: Any = None, version: Any = None) -> Any:
        return self._try("get", default, key, default, version)

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._try("set", None, key, value, timeout, version)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._try("touch", False, key, timeout, version)

    def delete(self, key: str, version: Any = None) -> bool:
        return self._try("delete", False, key, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        return self._try("get_many", {}, keys, version)

    def has_key(self, key: str, version: Any = None) -> bool:
        return self._try("has_key", False, key, version)

    def set_many(self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list:
        return self._try("set_many", list(data), data, timeout, version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._try("delete_many", None, keys, version)

    def incr(self, key: str, delta: int = 1, version: Any = None) -> int:
        if self.breaker.open():
            raise CacheUnavailable("cache unavailable")
        try:
            result = super().incr(key, delta, version)
        except FAILURES as exc:
            self.breaker.failed(exc)
            raise CacheUnavailable(str(exc)) from exc
        self.breaker.worked()
        return result

    def ping(self) -> bool:
        """Whether Redis answers now (the readiness check); does not consult the breaker."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except FAILURES as exc:
            self.breaker.failed(exc)
            return False
