"""Request-level security shared by every app: the client's address behind proxies, safe
``next`` targets, and the Content Security Policy header with its report endpoint."""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = logging.getLogger("consult.csp")


# --- the client's address ------------------------------------------------------------------


def _ip(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request, for rate limits, audit entries and allauth.

    With ``TRUSTED_PROXY_COUNT`` = n > 0 reverse proxies in front, each appends the address it
    saw to ``X-Forwarded-For``; the entries a client wrote itself come first, so the client's
    address is the n-th entry from the right. Anything left of it could be forged and is never
    read. With n = 0 (no proxy) the header is ignored.
    """
    remote = _ip(request.META.get("REMOTE_ADDR", "")) or "unknown"
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if not entries:
        return remote
    # fewer entries than proxies: every entry was written by a trusted proxy
    candidate = entries[-count] if len(entries) >= count else entries[0]
    return _ip(candidate) or remote


# --- where to go back to ---------------------------------------------------------------------


def safe_next(request: HttpRequest, value: str | None, fallback: str) -> str:
    """``value`` if it is a path on this site ("/..."), else ``fallback``. A bare word such as
    ``x`` is refused too: ``redirect()`` would take it for a view name."""
    value = (value or "").strip()
    if (
        value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return fallback


def redirect_to(url: str) -> HttpResponseRedirect:
    """A redirect to a URL already checked (never resolved as a view name)."""
    return HttpResponseRedirect(url)


def admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """``/admin/login/`` goes to allauth's sign-in (rate limited, asks for the second
    factor); the admin's own password-only form is never served."""
    from urllib.parse import urlencode

    from django.urls import reverse

    target = safe_next(request, request.GET.get("next"), "/admin/")
    return redirect_to(f"{reverse('account_login')}?{urlencode({'next': target})}")


# --- Content Security Policy ---------------------------------------------------------------

CSP_REPORT_PATH = "/csp-report/"


def content_security_policy() -> str:
    """The policy: our own origin only, no inline script or style, no eval; WebSockets to
    this site; violations reported to ``CSP_REPORT_PATH``."""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": " ".join(["'self'", *getattr(settings, "LIVE_WEBSOCKET_ORIGINS", [])]),
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "report-uri": CSP_REPORT_PATH,
    }
    directives.update(getattr(settings, "CSP_EXTRA_DIRECTIVES", {}))
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = self.policy
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than ``MAX_REQUEST_BYTES`` (uploads
    included, which ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count) before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(status=400)
        if length > settings.MAX_REQUEST_BYTES:
            return HttpResponse(_("The request is too large."), status=413)
        return self.get_response(request)


MAX_REPORT_BYTES = 16 * 1024


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Browsers post violations here (``application/csp-report``); they go to the log."""
    if len(request.body) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    body = report.get("csp-report", report) if isinstance(report, dict) else {}
    if not isinstance(body, dict):
        return HttpResponse(status=400)
    log.warning(
        "CSP violation: %s blocked %s on %s",
        str(body.get("violated-directive", ""))[:200],
        str(body.get("blocked-uri", ""))[:200],
        str(body.get("document-uri", ""))[:200],
    )
    return HttpResponse(status=204)


# --- WebSocket origin ------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case without the default port; None if malformed."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parts.path not in ("", "/"):
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def websocket_origin_allowed(scope: dict) -> bool:
    """The page that opens a WebSocket must come from this site: same scheme, host and port as
    the connection (or ``SITE_URL`` / ``CSRF_TRUSTED_ORIGINS``). Browsers always send Origin."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    origin = normalise_origin(headers.get("origin", ""))
    if origin is None:
        return False
    secure = scope.get("scheme") == "wss"
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name = proxy_header[0].removeprefix("HTTP_").replace("_", "-").lower()
        secure = secure or headers.get(name, "").split(",")[0].strip() == proxy_header[1]
    host = headers.get("host", "")
    allowed = {normalise_origin(f"{'https' if secure else 'http'}://{host}")}
    for trusted in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]:
        allowed.add(normalise_origin(trusted))
    allowed.discard(None)
    return origin in allowed


async def deny_websocket(scope, receive, send) -> None:
    """Refuse a WebSocket before the handshake (the browser sees a 403). No consumer runs: a
    refused connection never listens on the channel layer (Channels' ``WebsocketDenier`` is
    a consumer that does, until the connection is gone)."""
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.close"})
            return
        if message["type"] == "websocket.disconnect":
            return


class WebSocketOriginValidator:
    """Refuses (403 before the handshake) a WebSocket whose Origin is not this site's."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not websocket_origin_allowed(scope):
            return await deny_websocket(scope, receive, send)
        return await self.application(scope, receive, send)
