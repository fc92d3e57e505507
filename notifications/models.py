"""Follows, notices and their deliveries (the outbox).

A *notice* is one thing one person is told (shown in the site). Each channel it goes out on
besides the site (e-mail, LINE) is one *delivery* row, unique per (notice, channel): the row is
the outbox entry, claimed by a worker before sending, retried with backoff, and never sent
twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    AGENCY = "agency", _("Agency")
    CATEGORY = "category", _("Category")


class Follow(models.Model):
    """A person follows a consultation, an agency or a category (``key``: its id or code).
    Stopping keeps the row with ``active=False``, so commenting does not follow it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=12, choices=Target.choices)
    key = models.CharField(max_length=40)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "target", "key"], name="follow_unique")
        ]
        indexes = [models.Index(fields=["target", "key", "active"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.target} {self.key}"


class Kind(models.TextChoices):
    NEW_CONSULTATION = "new", _("A new consultation from an agency or category I follow")
    CLOSING_SOON = "closing", _("A consultation I follow closes in 3 days")
    CLOSED = "closed", _("A consultation I follow has closed")
    REPORT = "report", _("The hearing report of a consultation I follow is published")
    REPLY = "reply", _("A reply to my comment")
    MODERATION = "moderation", _("A moderation decision on my comment or appeal")
    QUEUE_DIGEST = "queue", _("New items in my moderation queue (daily digest)")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("One daily digest")
    OFF = "off", _("Never")


class Preferences(models.Model):
    """How a person wants to be told. No row: the defaults (every kind, e-mail at once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    language = models.CharField(max_length=8, default="th")
    email_mode = models.CharField(
        max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    line = models.BooleanField(default=False)
    follow_on_comment = models.BooleanField(default=True)
    kinds_off = models.JSONField(default=list, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def wants(self, kind: str) -> bool:
        return kind not in self.kinds_off


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    #: What happened, once per person: "reply:<comment id>", "closed:<consultation id>" ...
    key = models.CharField(max_length=80)
    consultation = models.ForeignKey(
        "topics.Consultation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} ({self.key})"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LINE = "line", "LINE"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    FALLBACK = "fallback", _("Sent by e-mail instead")
    SKIPPED = "skipped", _("Not sent")


class Delivery(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.state} (notice {self.notice_id})"


class LineLink(models.Model):
    """A LINE user who added the Official Account as a friend (from the signed webhook), and
    the account it belongs to once known (signed in with LINE, or LINE linked on the profile)."""

    line_user_id = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="line_link",
    )
    friend = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"LINE {self.line_user_id[:6]}… friend={self.friend}"


class FanOut(models.Model):
    """An event whose notices have all been written (so periodic jobs do not repeat it)."""

    key = models.CharField(max_length=80, primary_key=True)
    recipients = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
