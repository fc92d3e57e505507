"""Operators' endpoints: liveness, readiness, Prometheus metrics (see consult/health.py)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from consult import health, metrics
from consult.middleware import database_unavailable, unavailable_response
from consult.ratelimit import client_ip


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    ready, report = health.readiness()
    response = JsonResponse(report, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "5"
    return response


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format; only from the addresses in ``METRICS_ALLOWED_IPS`` (if set)."""
    allowed = getattr(settings, "METRICS_ALLOWED_IPS", [])
    if allowed and client_ip(request) not in allowed:
        return HttpResponse(status=404)
    return HttpResponse(generate_latest(metrics.REGISTRY), content_type=CONTENT_TYPE_LATEST)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database outage anywhere (middleware, session, template) is a 503."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        return unavailable_response(request, exc)
    return defaults.server_error(request)
