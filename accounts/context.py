"""Template context: whether to show the workspace link."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts import selectors


def account(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "show_workspace": SimpleLazyObject(
            lambda: bool(user is not None and selectors.is_staff_member(user))
        )
    }
