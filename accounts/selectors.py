"""Reads about people: assurance level, consent, public identity, staff status, their data."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from accounts.models import Consent, IdentityVerification, Level, NameKind, Profile
from consult import viewer


def assurance_level(user) -> int:
    if not user.is_authenticated or not user.is_active:
        return Level.NONE
    known = viewer.facts(user.pk)
    if known.identity_verified:
        return Level.IDENTITY
    if known.social_account:
        return Level.SOCIAL
    if known.verified_email:
        return Level.EMAIL
    return Level.NONE


def has_consented(user) -> bool:
    """The person's latest consent is given, for the notice now in force."""
    if not user.is_authenticated:
        return False
    return viewer.facts(user.pk).consented


def name_kind(user) -> str:
    """'real', 'pseudonym', or 'none' (no display name: shown as 'Participant N')."""
    if user is None or not user.display_name:
        return "none"
    profile = Profile.objects.filter(user=user).values_list("name_kind", flat=True).first()
    return profile or NameKind.REAL


def is_staff_member(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    from topics.rules import roles_of

    return bool(roles_of(user))


def has_mfa(user) -> bool:
    """The person has set up a second factor (TOTP or a security key)."""
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


# Set on the signed-in user of every request and WebSocket connection (accounts/middleware.py):
# whether *this session* completed the second factor.
SESSION_MFA_ATTR = "_session_second_factor"


def session_passed_mfa(session, user) -> bool:
    """This session signed ``user`` in (or re-authenticated them) with a second factor, as
    allauth records it: an authentication record with method "mfa" for this user."""
    if session is None or not getattr(user, "is_authenticated", False):
        return False
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import get_authentication_records

    records = get_authentication_records(SimpleNamespace(session=session), user)
    return any(isinstance(r, dict) and r.get("method") == "mfa" for r in records)


def signed_in_recently(request) -> bool:
    """This session signed in or re-authenticated within ``REAUTHENTICATION_TIMEOUT``.
    Accounts with no password (social sign-in only) cannot re-authenticate here: allauth
    lets them through, and so does this."""
    import time

    from allauth.account import app_settings
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.account.internal.flows.reauthentication import get_reauthentication_flows

    user = request.user
    if not user.is_authenticated:
        return False
    if not get_reauthentication_flows(user):
        return True
    records = get_authentication_records(request, user)
    latest = max((r.get("at", 0) for r in records if isinstance(r, dict)), default=0)
    return time.time() - latest < app_settings.REAUTHENTICATION_TIMEOUT


def mark_session_mfa(user, passed: bool) -> None:
    if getattr(user, "is_authenticated", False):
        setattr(user, SESSION_MFA_ATTR, passed)


def second_factor_done(user) -> bool:
    """For permissions: the session of a request or WebSocket completed the second factor.
    A user object that came from neither (a management command, a task) has no session;
    then a configured second factor is what counts."""
    if not getattr(user, "is_authenticated", False):
        return False
    passed = getattr(user, SESSION_MFA_ATTR, None)
    if passed is not None:
        return bool(passed)
    return has_mfa(user)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user) -> dict[str, Any]:
    """Everything the platform holds about a person, as plain JSON-ready data."""
    from comments.models import Comment, Vote
    from topics.models import Answer, Membership, Position

    profile = Profile.objects.filter(user=user).first()
    verification = IdentityVerification.objects.filter(user=user).first()
    return {
        "format": "public-hearing-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "name_kind": profile.name_kind if profile else NameKind.REAL,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "assurance_level": int(assurance_level(user)),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("id")
        ],
        "sign_in_providers": [
            {
                "provider": a.provider,
                "uid": a.uid,
                "data": a.extra_data,
                "date_joined": _iso(a.date_joined),
                "last_login": _iso(a.last_login),
            }
            for a in SocialAccount.objects.filter(user=user).order_by("id")
        ],
        "identity_verification": (
            {
                "provider": verification.provider,
                "verified_at": _iso(verification.verified_at),
                "national_id": "stored only as a keyed hash",
                "national_id_hmac": verification.id_hash,
            }
            if verification
            else None
        ),
        "authenticators": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("id")
        ],
        "consents": [
            {
                "notice_version": c.notice_version,
                "language": c.language,
                "given": c.given,
                "at": _iso(c.created_at),
            }
            for c in Consent.objects.filter(user=user).order_by("created_at", "id")
        ],
        "roles": [
            {"role": m.role, "agency": m.agency.slug if m.agency else None}
            for m in Membership.objects.filter(user=user).select_related("agency")
        ],
        "comments": [
            {
                "id": c.pk,
                "consultation": c.consultation.slug,
                "consultation_title": c.consultation.title,
                "section": str(c.section) if c.section else None,
                "parent": c.parent_id,
                "stance": c.stance,
                "status": c.status,
                "body": c.body,
                "name_shown": c.author_name,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
            }
            for c in Comment.objects.filter(author=user)
            .select_related("consultation", "section")
            .order_by("created_at", "id")
        ],
        "votes": [
            {
                "comment": v.comment_id,
                "consultation": v.consultation.slug,
                "value": v.value,
                "created_at": _iso(v.created_at),
                "updated_at": _iso(v.updated_at),
            }
            for v in Vote.objects.filter(user=user).select_related("consultation").order_by("id")
        ],
        "positions": [
            {
                "consultation": p.consultation.slug,
                "value": p.value,
                "created_at": _iso(p.created_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in Position.objects.filter(user=user)
            .select_related("consultation")
            .order_by("id")
        ],
        "answers": [
            {
                "consultation": a.question.consultation.slug,
                "question_id": a.question_id,
                "question": a.question.prompt,
                "value": a.value,
                "created_at": _iso(a.created_at),
                "updated_at": _iso(a.updated_at),
            }
            for a in Answer.objects.filter(user=user)
            .select_related("question__consultation")
            .order_by("id")
        ],
    }
