"""Site-wide pages: the 403 and 404 pages in the site's layout and the person's language, and
the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consult.errors import Refused


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else ""
    links = exception.links if isinstance(exception, Refused) else []
    return render(request, "403.html", {"message": message, "links": links}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]  # our own Http404 messages ("No such consultation.")
    return render(request, "404.html", {"message": message}, status=404)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})
