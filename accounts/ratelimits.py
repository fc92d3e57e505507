"""How long until allauth's rate limits (sign-up, login, failed logins, password reset) let a
request through again, so refusals can answer 429 with ``Retry-After``.

allauth keeps, per rate, a list of hit times (newest first) in the cache; a rate of N per D
seconds refuses while N hits are younger than D, so it frees up when the N-th newest expires.
"""

from __future__ import annotations

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

APP = "allauth.account"
# allauth's URL names -> the action its limiter counts.
ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_confirm_email": "confirm_email",
}


def retry_after(request: HttpRequest, action: str, *, key: str | None = None) -> int:
    """Seconds until ``action`` is allowed again (at least 1). Rates counted per key are read
    only when ``key`` is given; otherwise their full window is assumed."""
    now = time.time()
    wait = 0.0
    for rate in allauth_ratelimit.get_rates(app=APP, action=action):
        if rate.per == "user" and not request.user.is_authenticated:
            continue
        if rate.per == "key" and key is None:
            wait = max(wait, float(rate.duration))
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=APP, action=action, rate=rate, key=key
        )
        history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            history.sort(reverse=True)
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait))
