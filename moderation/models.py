"""Moderation: per-consultation policy, screening records, flags, the queue, appeals,
suspensions and the append-only log.

Comments themselves carry their moderation status (``comments.Comment.status``); nothing is
ever hard-deleted. Every change of status made here goes through
``comments.services.comment_set_status`` so open pages update live.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moderation.screening import Outcome, Reason, ScreenPolicy


class Mode(models.TextChoices):
    POST = "post", _("Post-moderation: publish, review what is flagged")
    PRE = "pre", _("Pre-moderation: hold every comment for review")
    HOLD_UNVERIFIED = (
        "hold_unverified",
        _("Hold comments from anonymous, pseudonymous or unverified authors"),
    )


class ReasonCode(models.TextChoices):
    """Why something was held, hidden or removed: screening reasons, flag reasons and policy."""

    PROFANITY = "profanity", _("Profanity")
    ABUSE = "abuse", _("Abuse, insults or threats")
    IMPOLITE = "impolite", _("Impolite language")
    LINK_SPAM = "link_spam", _("Link spam")
    PERSONAL_DATA = "personal_data", _("Personal data")
    FLOODING = "flooding", _("Flooding")
    DUPLICATE = "duplicate", _("Repeated text")
    SPAM = "spam", _("Spam")
    OFF_TOPIC = "off_topic", _("Off-topic")
    MISINFORMATION = "misinformation", _("Misinformation")
    DEFAMATION = "defamation", _("Defamation")
    ILLEGAL = "illegal", _("Unlawful content")
    PRE_MODERATION = "pre_moderation", _("Every comment is reviewed first")
    UNVERIFIED = "unverified", _("Author not identified")
    FLAGGED = "flagged", _("Reported by several people")
    OTHER = "other", _("Other")


class FlagReason(models.TextChoices):
    """The reasons a reader can give; the same codes and labels as ``ReasonCode``, so a
    reason reads the same in the report form, the moderator's decision and the public report."""

    SPAM = "spam", ReasonCode.SPAM.label
    ABUSE = "abuse", ReasonCode.ABUSE.label
    PERSONAL_DATA = "personal_data", ReasonCode.PERSONAL_DATA.label
    OFF_TOPIC = "off_topic", ReasonCode.OFF_TOPIC.label
    MISINFORMATION = "misinformation", ReasonCode.MISINFORMATION.label
    OTHER = "other", ReasonCode.OTHER.label


# Status reasons set outside moderation (account deletion, imports).
OTHER_REASONS = {
    "author_erased": _("The author deleted their account"),
    "source_moderation": _("Moderated in the original conversation"),
}


def reason_label(code: str) -> str:
    """The one person-readable label of a reason code, wherever it is shown."""
    if not code:
        return ""
    return str(dict(ReasonCode.choices).get(code) or OTHER_REASONS.get(code) or code)


class Action(models.TextChoices):
    # Automatic
    SCREEN_PUBLISH = "screen_publish", _("Published after screening")
    SCREEN_MASK = "screen_mask", _("Published with personal data masked")
    SCREEN_HOLD = "screen_hold", _("Held for review by screening")
    POLICY_HOLD = "policy_hold", _("Held for review by the consultation's policy")
    FLAG = "flag", _("Reported")
    FLAG_HIDE = "flag_hide", _("Hidden after several reports")
    PURGE = "purge", _("Original text with personal data purged")
    POLICY_CHANGE = "policy_change", _("Moderation rules changed")
    # Moderators
    APPROVE = "approve", _("Approved")
    HIDE = "hide", _("Hidden")
    REMOVE = "remove", _("Removed")
    RESTORE = "restore", _("Restored")
    ESCALATE = "escalate", _("Escalated")
    SUSPEND = "suspend", _("Author suspended")
    LIFT_SUSPENSION = "lift_suspension", _("Suspension lifted")
    # Authors
    EDIT = "edit", _("Edited by the author")
    APPEAL = "appeal", _("Appealed by the author")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal rejected: decision upheld")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal accepted: decision overturned")


# What a moderator can decide on a queue item.
DECISIONS = (Action.APPROVE, Action.HIDE, Action.REMOVE, Action.RESTORE, Action.ESCALATE)


class ModerationPolicy(models.Model):
    """A consultation's moderation rules. A consultation without one uses the defaults."""

    consultation = models.OneToOneField(
        "topics.Consultation", on_delete=models.CASCADE, related_name="moderation_policy"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.POST)
    trusted_level = models.PositiveSmallIntegerField(
        _("authors below this assurance level count as unverified"),
        default=3,
        help_text=_("1 verified e-mail, 2 LINE or Google sign-in, 3 national digital ID."),
    )
    flag_threshold = models.PositiveSmallIntegerField(
        _("distinct reports that hide a comment pending review"), default=3
    )
    max_links = models.PositiveSmallIntegerField(_("links allowed in a comment"), default=2)
    flood_limit = models.PositiveSmallIntegerField(
        _("comments one person may post within the flood window"), default=5
    )
    flood_window_seconds = models.PositiveIntegerField(_("flood window (seconds)"), default=60)
    hold_profanity = models.BooleanField(_("hold comments with profanity or abuse"), default=True)
    hold_impolite = models.BooleanField(_("hold comments with impolite language"), default=False)
    hold_links = models.BooleanField(_("hold comments with link spam"), default=True)
    hold_personal_data = models.BooleanField(
        _("hold comments with personal data (they are always masked)"), default=False
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days the unmasked original is kept for moderators"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation policy")
        verbose_name_plural = _("moderation policies")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.mode}"

    def screen_policy(self) -> ScreenPolicy:
        def hold(flag: bool) -> Outcome:
            return Outcome.HOLD if flag else Outcome.PUBLISH

        return ScreenPolicy(
            max_links=self.max_links,
            flood_limit=self.flood_limit,
            flood_window=timedelta(seconds=self.flood_window_seconds),
            max_length=settings.COMMENT_MAX_LENGTH,
            actions={
                Reason.PROFANITY: hold(self.hold_profanity),
                Reason.ABUSE: hold(self.hold_profanity),
                Reason.IMPOLITE: hold(self.hold_impolite),
                Reason.LINK_SPAM: hold(self.hold_links),
                Reason.PERSONAL_DATA: hold(self.hold_personal_data),
            },
        )

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)


class Screening(models.Model):
    """What the automatic screen found in one comment. ``original_text`` (the text before
    personal data was masked) is visible only to moderators and emptied after
    ``purge_after``."""

    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="screening"
    )
    outcome = models.CharField(max_length=10, choices=[(o.value, o.value) for o in Outcome])
    reasons = models.JSONField(default=list)
    findings = models.JSONField(default=list)
    original_text = models.TextField(blank=True)
    purge_after = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    duplicate_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["purge_after"],
                condition=Q(purge_after__isnull=False, purged_at__isnull=True),
                name="screening_to_purge",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.comment_id} {self.outcome} {self.reasons}"


class Flag(models.Model):
    """One person's report of one comment."""

    comment = models.ForeignKey("comments.Comment", on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.CharField(_("details (optional)"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a moderator decides on the comment: later reports count afresh.
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="flag_one_per_person",
            )
        ]
        indexes = [models.Index(fields=["comment", "resolved"], name="flag_open")]

    def __str__(self) -> str:
        return f"{self.reason} on #{self.comment_id}"


class Kind(models.TextChoices):
    HELD = "held", _("Held")
    FLAGGED = "flagged", _("Reported")
    APPEAL = "appeal", _("Appeal")


class State(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


class QueueItem(models.Model):
    """Something a moderator must decide. At most one open item per comment.

    Claiming is a conditional UPDATE (see ``services.queue_claim``): of two moderators who
    claim at once, exactly one gets the row. A claim lapses after ``MODERATION_CLAIM_SECONDS``.
    """

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="queue_items"
    )
    consultation = models.ForeignKey(
        "topics.Consultation", on_delete=models.CASCADE, related_name="queue_items"
    )
    agency_id_copy = models.BigIntegerField(db_index=True)  # the consultation's agency
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=ReasonCode.choices, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    escalated = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Action.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment"], condition=Q(state="open"), name="queue_one_open_per_comment"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at", "id"], condition=Q(state="open"), name="queue_open_oldest"
            ),
            models.Index(
                fields=["agency_id_copy", "created_at", "id"],
                condition=Q(state="open"),
                name="queue_open_agency",
            ),
            models.Index(fields=["consultation", "state"], name="queue_consultation"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.comment_id} ({self.state})"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003
        raise PermissionError("The moderation log is append-only.")

    def delete(self):
        raise PermissionError("The moderation log is append-only.")


class LogEntry(models.Model):
    """One line of the public moderation log: who did what, when and why. Append-only."""

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for automatic actions.",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    consultation = models.ForeignKey(
        "topics.Consultation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_log",
    )
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person acted upon (suspensions).",
    )
    reason = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)
    queue_kind = models.CharField(max_length=10, blank=True)
    # For decisions on queue items: seconds from the item entering the queue to the decision.
    waited_seconds = models.PositiveIntegerField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["consultation", "action"], name="log_report")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} #{self.comment_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The moderation log is append-only.")


class AppealState(models.TextChoices):
    OPEN = "open", _("Awaiting a decision")
    UPHELD = "upheld", _("Decision upheld")
    OVERTURNED = "overturned", _("Decision overturned")


class Appeal(models.Model):
    """An author's one appeal against a decision on their comment."""

    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="appeal"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("why the decision should change"), max_length=1000)
    # Whoever made the decision appealed against; they may not decide the appeal.
    original_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    original_action = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=12, choices=AppealState.choices, default=AppealState.OPEN)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"appeal on #{self.comment_id} ({self.state})"


class Suspension(models.Model):
    """A person may not comment or vote until ``until``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    until = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=ReasonCode.choices)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "until"], name="suspension_active")]

    def __str__(self) -> str:
        return f"{self.user_id} until {self.until:%Y-%m-%d}"
