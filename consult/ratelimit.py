"""A small fixed-window rate limiter on the cache (local memory by default, Redis in
production), per account and per IP address. Used by the comment, vote and position views;
allauth limits its own views (sign-up, login, password reset) with ``ACCOUNT_RATE_LIMITS``.

Rates are "count/seconds" strings in ``settings.RATE_LIMITS[action]`` under "user" and "ip".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from consult.security import client_ip


@dataclass(frozen=True)
class Limited:
    retry_after: int


def parse_rate(rate: str) -> tuple[int, int]:
    count, _sep, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


__all__ = ["Limited", "client_ip", "hit", "parse_rate", "too_many"]


def hit(request: HttpRequest, action: str) -> Limited | None:
    """Count one attempt of ``action``; return ``Limited`` when a limit is exceeded."""
    rates = settings.RATE_LIMITS.get(action, {})
    now = time.time()
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
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        if used > count:
            worst = max(worst, int((window + 1) * seconds - now) + 1)
    return Limited(retry_after=worst) if worst else None


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
