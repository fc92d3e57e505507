"""``/api/v1/``: the ninja API, wrapped by ``guard`` (tokens, ETag, CORS)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from accounts.selectors import mark_session_mfa
from api.api import api, problem_response
from api.services import token_authenticate
from consult import ratelimit


def _language(request: HttpRequest) -> str | None:
    """A program states its language in Accept-Language (a browser's cookie still wins)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return None


def guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        lang = _language(request)
        if lang is not None:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        header = request.headers.get("Authorization", "")
        request.api_token = None  # type: ignore[attr-defined]
        if header:
            scheme, _sep, value = header.partition(" ")
            token = token_authenticate(value.strip()) if scheme.lower() == "bearer" else None
            if token is None:
                return problem_response(
                    request,
                    401,
                    "invalid_token",
                    _("This API token is not valid: it may have expired or been revoked."),
                )
            request.user = token.user
            # A token is a password-like secret, not a second factor: no staff permission.
            mark_session_mfa(request.user, False)
            request.api_token = token  # type: ignore[attr-defined]
            # A token is not a browser session: no CSRF check applies to it.
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        if request.method in ("GET", "HEAD"):
            limited = ratelimit.hit(request, "api_read")
            if limited is not None:
                return problem_response(
                    request,
                    429,
                    "rate_limited",
                    _("Too many attempts. Please try again in %(n)s seconds.")
                    % {"n": limited.retry_after},
                    retry_after=limited.retry_after,
                )
        response = view(request, *args, **kwargs)
        if lang is not None:
            response["Content-Language"] = lang
        if request.method in ("GET", "HEAD"):
            anonymous = not header and not request.user.is_authenticated
            if anonymous:
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            patch_vary_headers(response, ["Accept-Language", "Authorization", "Cookie"])
            if response.status_code == 200 and not response.streaming:
                etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
                response["ETag"] = etag
                wanted = request.headers.get("If-None-Match", "")
                if etag in [t.strip() for t in wanted.split(",")] or wanted.strip() == "*":
                    not_modified = HttpResponseNotModified()
                    for name in ("ETag", "Vary", "Access-Control-Allow-Origin"):
                        if name in response:
                            not_modified[name] = response[name]
                    return not_modified
        return response

    return wrapped


patterns, _app_name, namespace = api.urls
app_name = namespace  # "api": the namespace ninja reverses its own urls in
for pattern in patterns:
    pattern.callback = guard(pattern.callback)  # type: ignore[attr-defined]

urlpatterns = patterns
