"""Staff pages need a second factor. A staff member (anyone with an agency role, a platform
moderator, an admin) without a TOTP or WebAuthn authenticator who asks for a staff page is
sent to set one up; allauth then asks for it at every sign-in."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import selectors

DEFAULT_STAFF_PREFIXES = ("/workspace/", "/admin/", "/moderation/", "/analytics/")


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "STAFF_PATH_PREFIXES", DEFAULT_STAFF_PREFIXES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.prefixes) and request.user.is_authenticated:
            user = request.user
            if selectors.is_staff_member(user) and not selectors.has_mfa(user):
                message = _(
                    "Staff pages need two-step sign-in. Please set up an authenticator app or "
                    "a security key first."
                )
                if "application/json" in request.headers.get("Accept", ""):
                    return JsonResponse({"ok": False, "error": message}, status=403)
                messages.warning(request, message)
                return redirect("mfa_index")
        return self.get_response(request)
