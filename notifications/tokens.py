"""Signed unsubscribe links: they work signed out and cannot be forged or altered."""

from __future__ import annotations

from django.core import signing

SALT = "notifications.unsubscribe"
ALL = "all"


def make(user_id: int, kind: str = ALL) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, str] | None:
    """``(user id, kind or "all")``, or ``None`` for a forged, altered or garbled token."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    user_id, kind = value.get("u"), value.get("k")
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind
