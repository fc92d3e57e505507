"""Middleware: the visitor's language; request ids and metrics; database outages as 503.

Language: the visitor's explicit choice (cookie set by the switcher), else the site default.

Thai is the default for everyone who has not chosen, whatever the browser's Accept-Language
says: the first audience reads Thai first, and a page must not change language by accident.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from consult import logs, metrics

log = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds: a PostgreSQL restart or fail-over usually takes a few
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", lang)
        return response


class RequestIdMiddleware:
    """Give every request an id (the proxy's ``X-Request-ID`` when it is sane, else a new one),
    put it on every log line written while the request is handled and on the response, and
    count the request and its duration for ``/metrics``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid
        # Kept until the response is closed (request_finished), so Django's own request log
        # line, written after the middleware returns, carries it too.
        logs.request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "other") if match else "unmatched"
        metrics.REQUESTS.labels(
            method=request.method if request.method in _METHODS else "other",
            view=view,
            status=f"{response.status_code // 100}xx",
        ).inc()
        metrics.LATENCY.labels(view=view).observe(time.perf_counter() - started)
        response["X-Request-ID"] = rid
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives "try again in a moment" (503 + Retry-After),
    not a 500. A safe request (GET, HEAD) whose connection dropped is tried once more on a
    fresh connection first. Errors raised outside views reach the same answer through
    ``handler500`` (consult.ops.server_error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> None:
        request._db_retry_view = (view, args, kwargs)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        _close_broken_connections()
        retry = getattr(request, "_db_retry_view", None)
        if request.method in ("GET", "HEAD") and retry is not None:
            request._db_retry_view = None
            view, args, kwargs = retry
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                return response
            except Exception as again:
                if not database_unavailable(again):
                    raise
                _close_broken_connections()
        return unavailable_response(request, exception)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def _close_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:
            log.debug("closing a broken connection", exc_info=True)


def unavailable_response(request: HttpRequest, exc: BaseException | None = None) -> HttpResponse:
    """503 with ``Retry-After``: JSON for scripts, the site's page otherwise. Touches neither
    the database nor the session (both may be what is away)."""
    metrics.DATABASE_UNAVAILABLE.inc()
    log.warning("database unavailable: %s %s: %s", request.method, request.path, exc)
    message = _("The service is busy for a moment. Please try again in a few seconds.")
    accept = request.headers.get("Accept", "")
    if "application/json" in accept or request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"ok": False, "error": message, "retry_after": RETRY_AFTER}, status=503
        )
    else:
        html = render_to_string(
            "503.html",
            {"request": request, "message": message, "retry_after": RETRY_AFTER},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
