"""Staff need a second factor, in this session.

Every request and WebSocket connection marks its signed-in user with whether the session
completed the second factor (allauth's authentication records). Staff permissions ask for it
(``accounts.rules.has_mfa``). A staff member (anyone with an agency role, a platform
moderator, an admin) who asks for a staff page without it is sent to the second-factor step,
or to set one up if they have none.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import selectors

DEFAULT_STAFF_PREFIXES = ("/workspace/", "/admin/", "/moderation/", "/analytics/")


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "STAFF_PATH_PREFIXES", DEFAULT_STAFF_PREFIXES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        passed = selectors.session_passed_mfa(request.session, user)
        selectors.mark_session_mfa(user, passed)
        if passed or not request.path.startswith(self.prefixes):
            return self.get_response(request)
        if not selectors.is_staff_member(user):
            return self.get_response(request)
        if selectors.has_mfa(user):
            message = _(
                "Staff pages need two-step sign-in: please confirm with your second factor."
            )
            target = (
                f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}"
            )
        else:
            message = _(
                "Staff pages need two-step sign-in. Please set up an authenticator app or "
                "a security key first."
            )
            target = reverse("mfa_index")
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"ok": False, "error": message}, status=403)
        messages.warning(request, message)
        return redirect(target)


def mark_scope(scope: dict) -> None:
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        selectors.mark_session_mfa(user, selectors.session_passed_mfa(scope.get("session"), user))


class WebSocketSecondFactorMiddleware(BaseMiddleware):
    """The WebSocket side of the same mark (inside channels' ``AuthMiddlewareStack``), so a
    staff connection is allowed only when its session completed the second factor."""

    async def __call__(self, scope, receive, send):
        await database_sync_to_async(mark_scope)(scope)
        return await super().__call__(scope, receive, send)
