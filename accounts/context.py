"""Template context: whether to show the workspace link; the page's own path."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts import selectors


def account(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        # Where forms on the page send people back to (computed once, not per comment).
        "here": request.get_full_path(),
        "show_workspace": SimpleLazyObject(
            lambda: bool(user is not None and selectors.is_staff_member(user))
        ),
    }
