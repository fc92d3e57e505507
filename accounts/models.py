"""Accounts: public identity, assurance, consent, identity verification and the staff audit log.

Assurance levels (lowest to highest): a verified e-mail address, a social sign-in (LINE,
Google), an identity verified through the national digital ID provider (ThaID). A national ID
number is never stored: only a keyed hash (HMAC-SHA256 with ``IDENTITY_HASH_KEY``), unique, so
one person cannot hold two verified accounts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    NONE = 0, _("Not verified")
    EMAIL = 1, _("Verified e-mail address")
    SOCIAL = 2, _("Signed in with LINE or Google")
    IDENTITY = 3, _("Identity verified with the national digital ID")


class NameKind(models.TextChoices):
    REAL = "real", _("My name")
    PSEUDONYM = "pseudonym", _("A pseudonym")


class Profile(models.Model):
    """How a person appears in public. Without a display name they appear as
    "Participant N", which counts as anonymous."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name_kind = models.CharField(
        _("the name shown is"), max_length=10, choices=NameKind.choices, default=NameKind.REAL
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.name_kind}"


class Consent(models.Model):
    """A person's explicit consent to the processing of their opinions (PDPA s.26), per notice
    version. Withdrawal is recorded too; the latest row decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    notice_version = models.CharField(max_length=20)
    language = models.CharField(max_length=8)
    given = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {'gave' if self.given else 'withdrew'} {self.notice_version}"


class IdentityVerification(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity"
    )
    provider = models.CharField(max_length=60)
    id_hash = models.CharField(max_length=64, unique=True)
    verified_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} via {self.provider}"


class AuditEntry(models.Model):
    """One staff action: who, what, on which object, when, before and after. Written only by
    ``accounts.services.audit_record``; read-only in the admin; purged after the retention
    period (``RETENTION_AUDIT_DAYS``)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=40)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=300)
    agency = models.ForeignKey(
        "topics.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.pop("_erase", False):
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are removed only by the retention purge.")
