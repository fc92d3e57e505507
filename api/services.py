"""Writes on API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Scope
from consult.errors import ServiceError
from consult.models import User

TOKEN_PREFIX = "ct_"
MAX_DAYS = 365
MAX_ACTIVE = 20


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token; the plaintext is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ServiceError(_("Give the token a name (at most 80 characters)."), field="name")
    if scope not in Scope.values:
        raise ServiceError(_("Choose read or write."), field="scope")
    if not 1 <= days <= MAX_DAYS:
        raise ServiceError(_("A token lasts 1 to %(n)s days.") % {"n": MAX_DAYS}, field="days")
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= MAX_ACTIVE:
        raise ServiceError(_("You have too many active tokens; revoke one first."))
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plaintext[:10],
        digest=token_digest(plaintext),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return token, plaintext


@transaction.atomic
def token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    if token.user_id != user.pk:
        raise ServiceError(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """The active token with this plaintext, its use recorded (at most once a minute)."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(plaintext)).first()
    now = timezone.now()
    if token is None or not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
