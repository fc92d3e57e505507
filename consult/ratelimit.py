"""A small fixed-window rate limiter on the cache (local memory by default, Redis in
production), per account and per IP address. Used by the comment, vote and position views;
allauth limits its own views (sign-up, login, password reset) with ``ACCOUNT_RATE_LIMITS``.

Rates are "count/seconds" strings in ``settings.RATE_LIMITS[action]`` under "user" and "ip".

When the shared cache (Redis) cannot be reached, attempts are counted in this process instead
(same windows and limits, per process rather than for the whole site) and the log says so:
a request is never refused or failed because the limiter's store is away.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from consult import metrics
from consult.security import client_ip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    retry_after: int


def parse_rate(rate: str) -> tuple[int, int]:
    count, _sep, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


__all__ = ["Limited", "client_ip", "hit", "parse_rate", "too_many"]


def _now() -> float:
    """The limiter's clock (tests align it to the start of a window)."""
    return time.time()


def hit(request: HttpRequest, action: str) -> Limited | None:
    """Count one attempt of ``action``; return ``Limited`` when a limit is exceeded."""
    rates = settings.RATE_LIMITS.get(action, {})
    now = _now()
    subjects = []
    if request.user.is_authenticated and rates.get("user"):
        subjects.append(("user", str(request.user.pk), rates["user"]))
    if rates.get("ip"):
        subjects.append(("ip", client_ip(request), rates["ip"]))
    worst = 0
    for kind, who, rate in subjects:
        count, seconds = parse_rate(rate)
        window = int(now // seconds)
        key = f"rl:{action}:{kind}:{who}:{window}"
        try:
            used = _shared_count(key, seconds)
        except Exception as exc:  # the shared cache is away: count here
            used = _local.count(key, window, exc)
        if used > count:
            worst = max(worst, int((window + 1) * seconds - now) + 1)
    return Limited(retry_after=worst) if worst else None


def _shared_count(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr (or the add was not stored)
        cache.set(key, 1, timeout=seconds + 1)
        if cache.get(key) is None:  # nothing was stored: the cache is not there
            raise
        return 1


class _LocalCounts:
    """Fixed-window counts in this process, used while the shared cache is away."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()
        self.warned_at = 0.0

    def count(self, key: str, window: int, exc: BaseException) -> int:
        metrics.RATE_LIMIT_LOCAL.inc()
        now = time.monotonic()
        with self.lock:
            if now - self.warned_at > 60:
                self.warned_at = now
                log.warning("rate limits counted per process: shared cache unavailable (%s)", exc)
            if len(self.counts) > 10000:  # drop finished windows
                self.counts = {k: v for k, v in self.counts.items() if v[0] >= window}
            seen_window, used = self.counts.get(key, (window, 0))
            used = used + 1 if seen_window == window else 1
            self.counts[key] = (window, used)
            return used


_local = _LocalCounts()


def too_many(request: HttpRequest, limited: Limited) -> HttpResponse:
    message = _("Too many attempts. Please try again in %(n)s seconds.") % {
        "n": limited.retry_after
    }
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(
            {"ok": False, "error": message, "retry_after": limited.retry_after}, status=429
        )
    else:
        response = render(
            request,
            "429.html",
            {"retry_after": limited.retry_after, "message": message},
            status=429,
        )
    response["Retry-After"] = str(limited.retry_after)
    return response
