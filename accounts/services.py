"""Writes about people: consent, public identity, identity verification, account deletion,
the staff audit log and the retention purge."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Consent, IdentityVerification, NameKind, Profile
from consult.errors import ServiceError
from consult.memo import forget
from consult.models import User


@transaction.atomic
def consent_give(*, user: User, notice_version: str, language: str) -> Consent:
    if notice_version != settings.CONSENT_NOTICE_VERSION:
        raise ServiceError(
            _("The notice has changed since you opened it. Please read it again."), code="stale"
        )
    forget()
    return Consent.objects.create(
        user=user, notice_version=notice_version, language=language[:8], given=True
    )


@transaction.atomic
def consent_withdraw(*, user: User, language: str) -> Consent:
    forget()
    return Consent.objects.create(
        user=user,
        notice_version=settings.CONSENT_NOTICE_VERSION,
        language=language[:8],
        given=False,
    )


@transaction.atomic
def clean_display_name(value: str) -> str:
    """A name as shown beside comments, without invisible format and control characters
    (zero-width spaces and joiners, bidirectional overrides and isolates), which could make
    one name look like another or reverse the text around it; spaces collapsed. (Not NFKC:
    it would rewrite Thai SARA AM.)"""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(c for c in value if unicodedata.category(c) not in ("Cf", "Cc", "Co", "Cs"))
    return " ".join(value.split())


def profile_update(*, user: User, display_name: str, name_kind: str) -> User:
    display_name = clean_display_name(display_name)
    if len(display_name) > 80:
        raise ServiceError(
            _("A name can be at most 80 characters."), code="too_long", field="display_name"
        )
    if name_kind not in NameKind.values:
        raise ServiceError(_("Choose your name or a pseudonym."), field="name_kind")
    if display_name and "@" in display_name:
        raise ServiceError(
            _("Please do not use an e-mail address as your public name."),
            code="email",
            field="display_name",
        )
    user.display_name = display_name
    user.save(update_fields=["display_name"])
    Profile.objects.update_or_create(user=user, defaults={"name_kind": name_kind})
    return user


def identity_record(*, user: User, id_hash: str, provider: str) -> IdentityVerification:
    """Mark the account identity-verified. One national ID, one account."""
    existing = IdentityVerification.objects.filter(id_hash=id_hash).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise ServiceError(
                _("This identity is already verified on another account."), code="identity_taken"
            )
        return existing
    try:
        with transaction.atomic():
            verification, _created = IdentityVerification.objects.update_or_create(
                user=user, defaults={"id_hash": id_hash, "provider": provider}
            )
        forget()
    except IntegrityError as exc:
        raise ServiceError(
            _("This identity is already verified on another account."), code="identity_taken"
        ) from exc
    return verification


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        out[key] = value
    return out


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (call inside the transaction of the action)."""
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is None and obj.__class__.__name__ == "Agency":
        agency_id = obj.pk
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=f"user #{actor.pk}" if actor is not None and actor.pk else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        agency_id=agency_id,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        reason=reason,
        ip_address=ip_address or None,
    )


@transaction.atomic
def account_delete(*, user: User, remove_comments: bool) -> dict[str, int]:
    """Erase a person's account and personal data.

    Comments: removed (text erased) when the person asks and the consultation's legal basis is
    consent; otherwise kept under "Deleted user" with nothing linking them to the person.
    Votes, positions and answers to questions: kept only as anonymous results; free-text
    answers are deleted where comments are removed, otherwise kept unlinked. Returns what was done, for the page.
    """
    from comments.services import comments_detach_author
    from topics.models import Position
    from topics.services import answers_detach_user

    if user.is_superuser:
        raise ServiceError(
            _("A platform administrator account cannot be deleted here."), code="admin"
        )
    result = comments_detach_author(user=user, remove_where_allowed=remove_comments)
    from comments.models import Vote

    result["votes"] = Vote.objects.filter(user=user).update(user=None)
    result["positions"] = Position.objects.filter(user=user).update(user=None)
    result.update(answers_detach_user(user=user, remove_text_where_allowed=remove_comments))
    user.delete()  # e-mail addresses, sign-ins, authenticators, consents, profile: cascade
    return result


def purge_expired(*, now=None) -> dict[str, int]:
    """Apply the retention settings: IP addresses after RETENTION_IP_DAYS, audit entries after
    RETENTION_AUDIT_DAYS."""
    now = now or timezone.now()
    ip_cutoff = now - timedelta(days=settings.RETENTION_IP_DAYS)
    audit_cutoff = now - timedelta(days=settings.RETENTION_AUDIT_DAYS)
    with transaction.atomic():
        ips = AuditEntry.objects.filter(created_at__lt=ip_cutoff, ip_address__isnull=False).update(
            ip_address=None
        )
        audit, _counts = AuditEntry.objects.filter(created_at__lt=audit_cutoff).delete()
    return {"ip_addresses": ips, "audit_entries": audit}
