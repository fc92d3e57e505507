"""Idempotency keys: a client that sends the same submission again (a retry after a timeout,
a 503, a double click) gets the first result, not a second copy.

A form that creates something carries a random token (``{% form_token %}``, field ``token``);
scripts may send an ``Idempotency-Key`` header instead. The key stored with the created row is
a hash of the token and of what was submitted, so a form whose page was not reloaded (the
script resets it after a post) still creates a new row for a new text.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.http import HttpRequest

TOKEN_FIELD = "token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def fresh_token() -> str:
    return secrets.token_urlsafe(18)


def valid_token(token: str) -> bool:
    return bool(_TOKEN.fullmatch(token or ""))


def request_key(request: HttpRequest, *parts: object) -> str:
    """The idempotency key of this submission ("" when the client sent no valid token)."""
    token = request.headers.get("Idempotency-Key", "") or request.POST.get(TOKEN_FIELD, "")
    if not valid_token(token):
        return ""
    digest = hashlib.sha256(token.encode())
    for part in parts:
        digest.update(b"\0" + str("" if part is None else part).encode())
    return digest.hexdigest()[:40]
