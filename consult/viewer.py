"""What every page needs to know about the person making the request, read in one query.

Whether someone may comment, vote or answer, and what a page shows them, depends on facts
kept by several apps: how well we know who they are and whether they consented to the current
privacy notice (accounts), whether a moderator suspended them (moderation), their roles in
agencies (topics) and whether they have comments awaiting review (comments). Asked one by one
that is five round trips on every page a signed-in person opens; here it is one statement,
kept for the rest of the request (consult.memo). The apps read their facts from here; the
services that change a fact call ``consult.memo.forget``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from consult.memo import remember


@dataclass(frozen=True)
class Facts:
    identity_verified: bool = False
    social_account: bool = False
    verified_email: bool = False
    consented: bool = False
    suspended: bool = False
    roles: frozenset[tuple[str, int | None]] = frozenset()
    has_pending_comments: bool = False


def facts(user_id: int) -> Facts:
    return remember(("viewer", user_id), lambda: _read(user_id))


def _read(user_id: int) -> Facts:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from accounts.models import Consent, IdentityVerification
    from comments.models import Comment, Status
    from moderation.models import Suspension
    from topics.models import Membership

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    concat = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    sql = (
        f"SELECT EXISTS(SELECT 1 FROM {table(IdentityVerification)} WHERE user_id = %s), "
        f"EXISTS(SELECT 1 FROM {table(SocialAccount)} WHERE user_id = %s), "
        f"EXISTS(SELECT 1 FROM {table(EmailAddress)} WHERE user_id = %s AND verified), "
        # The latest consent row decides: given, and for the notice in force.
        f"(SELECT CASE WHEN given AND notice_version = %s THEN 1 ELSE 0 END "
        f"FROM {table(Consent)} WHERE user_id = %s ORDER BY created_at DESC, id DESC LIMIT 1), "
        f"EXISTS(SELECT 1 FROM {table(Suspension)} "
        f"WHERE user_id = %s AND until > %s AND lifted_at IS NULL), "
        # Roles as "role:agency id" (empty for a platform-wide role), comma-separated.
        f"(SELECT {concat}(role || ':' || COALESCE(CAST(agency_id AS TEXT), ''), ',') "
        f"FROM {table(Membership)} WHERE user_id = %s), "
        f"EXISTS(SELECT 1 FROM {table(Comment)} WHERE author_id = %s AND status = %s)"
    )
    params = [
        *(user_id, user_id, user_id),
        *(settings.CONSENT_NOTICE_VERSION, user_id),
        *(user_id, now),
        user_id,
        *(user_id, Status.PENDING),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        identity, social, email, consented, suspended, roles, pending = cursor.fetchone()
    return Facts(
        identity_verified=bool(identity),
        social_account=bool(social),
        verified_email=bool(email),
        consented=bool(consented),
        suspended=bool(suspended),
        roles=frozenset(_role(item) for item in (roles or "").split(",") if item),
        has_pending_comments=bool(pending),
    )


def _role(item: str) -> tuple[str, int | None]:
    role, _sep, agency = item.partition(":")
    return role, int(agency) if agency else None
