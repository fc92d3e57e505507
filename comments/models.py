"""Comments, replies and votes. Comments are never hard-deleted: status carries moderation."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consult.dates import format_date
from consult.models import public_name
from topics.models import Consultation, Phase, Section


class CommentStance(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    NEUTRAL = "neutral", _("Neutral")
    SUGGESTION = "suggestion", _("Suggestion")
    # No stance given (a reply, or a comment whose author chose none): never counted as one.
    UNSTATED = "", _("No stance given")


class Status(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting review")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REMOVED = "removed", _("Removed")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    IMPORT = "import", _("Import")
    OFFLINE = "offline", _("Offline")


class OfflineVia(models.TextChoices):
    """How an offline submission reached the agency."""

    PAPER = "paper", _("paper or post")
    PHONE = "phone", _("phone")
    MEETING = "meeting", _("a public meeting")
    EMAIL = "email", _("e-mail")


# Comments shown in a thread (a hidden or removed one leaves a placeholder).
IN_THREAD = ~Q(status=Status.PENDING)
TOP_LEVEL_IN_THREAD = Q(parent__isnull=True) & IN_THREAD


class Comment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    # Indexed below for non-null values only: an index holding every top-level comment under
    # NULL invites SQLite to answer "parent IS NULL" with it and sort the whole consultation.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        db_index=False,
    )
    # Looked up through the thread_replies index (root, created_at, id), which also keeps each
    # thread's replies in order; a plain index on root would only tempt the planner to sort.
    root = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="thread",
        db_index=False,
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    author_name = models.CharField(_("name shown"), max_length=120, blank=True)
    external_author = models.CharField(max_length=120, blank=True, db_index=True)
    body = models.TextField(_("comment"))
    stance = models.CharField(
        _("stance"),
        max_length=12,
        choices=CommentStance.choices,
        default=CommentStance.UNSTATED,
        blank=True,
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    status_reason = models.CharField(max_length=40, blank=True)
    status_note = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    # For channel "offline": how it arrived (created_at is then the day it was received).
    offline_via = models.CharField(
        max_length=10, choices=OfflineVia.choices, blank=True, default=""
    )
    external_id = models.CharField(max_length=120, blank=True)
    # The submission's idempotency key (consult/idempotency.py): a retry creates nothing new.
    client_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    pass_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    # min(agree, disagree) * (agree + disagree): high when many people split evenly.
    divisiveness = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "external_id"],
                condition=~Q(external_id=""),
                name="comment_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=~Q(client_key=""),
                name="comment_unique_client_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["consultation", "-created_at", "-id"],
                condition=TOP_LEVEL_IN_THREAD,
                name="thread_newest",
            ),
            models.Index(
                fields=["consultation", "-agree_count", "-id"],
                condition=TOP_LEVEL_IN_THREAD,
                name="thread_agreed",
            ),
            models.Index(
                fields=["consultation", "-divisiveness", "-id"],
                condition=TOP_LEVEL_IN_THREAD,
                name="thread_divisive",
            ),
            models.Index(
                fields=["section", "-created_at", "-id"],
                condition=TOP_LEVEL_IN_THREAD,
                name="section_newest",
            ),
            models.Index(
                fields=["section", "-agree_count", "-id"],
                condition=TOP_LEVEL_IN_THREAD,
                name="section_agreed",
            ),
            models.Index(
                fields=["section", "-divisiveness", "-id"],
                condition=TOP_LEVEL_IN_THREAD,
                name="section_divisive",
            ),
            models.Index(
                fields=["parent"], condition=Q(parent__isnull=False), name="comment_parent"
            ),
            models.Index(fields=["root", "created_at", "id"], name="thread_replies"),
            models.Index(fields=["consultation", "status", "id"], name="comment_status"),
            models.Index(fields=["author", "-created_at"], name="comment_author_recent"),
            # Few comments arrive offline: the page counts them through this small index.
            models.Index(
                fields=["consultation", "status"],
                condition=Q(channel="offline"),
                name="comment_offline",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.body[:40]}"

    @property
    def is_visible(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def display_author(self) -> str:
        if self.author_name:
            return self.author_name
        if self.channel == Channel.OFFLINE and self.author_id is None:
            return str(self.offline_summary)
        if self.author_id is None and self.external_author and self.channel == Channel.IMPORT:
            return str(_("Participant %(id)s") % {"id": self.external_author})
        if self.author_id is None:
            return str(_("Deleted user"))
        # comments.selectors.for_cards reads the author's display name with the comment.
        if "author_display_name" in self.__dict__:
            return str(public_name(self.__dict__["author_display_name"] or "", self.author_id))
        return str(self.author.public_name())

    @property
    def offline_summary(self) -> str:
        """How an offline submission is named when its sender did not agree to be named."""
        labels = {
            OfflineVia.PAPER: _("A submission received on paper"),
            OfflineVia.PHONE: _("A submission received by phone"),
            OfflineVia.MEETING: _("A submission made at a public meeting"),
            OfflineVia.EMAIL: _("A submission received by e-mail"),
        }
        return str(labels.get(self.offline_via, _("A submission received offline")))

    @property
    def offline_note(self) -> str:
        """ "received on paper, 12 Nov 2569" for an offline submission; "" otherwise."""
        if self.channel != Channel.OFFLINE:
            return ""
        notes = {
            OfflineVia.PAPER: _("received on paper, %(date)s"),
            OfflineVia.PHONE: _("received by phone, %(date)s"),
            OfflineVia.MEETING: _("made at a public meeting, %(date)s"),
            OfflineVia.EMAIL: _("received by e-mail, %(date)s"),
        }
        note = notes.get(self.offline_via, _("received offline, %(date)s"))
        return str(note) % {"date": format_date(self.created_at)}

    @property
    def section_number(self) -> str:
        """The number of the section it is about ("" for the whole draft)."""
        if self.section_id is None:
            return ""
        if "section_label" in self.__dict__:  # read with the comment (for_cards)
            return self.__dict__["section_label"] or ""
        return self.section.number

    def is_editable(
        self, now: datetime | None = None, consultation: Consultation | None = None
    ) -> bool:
        """Its author may still edit it: published or awaiting review, a web comment, within
        the edit window, while the consultation is open."""
        now = now or timezone.now()
        return (
            self.status in (Status.PUBLISHED, Status.PENDING)
            and self.channel == Channel.WEB
            and now < self.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES)
            and (consultation or self.consultation).phase_at(now) == Phase.OPEN
        )

    @property
    def public_id(self) -> str:
        """The id analytics and exports use: the source id when imported, else our own."""
        return self.external_id or str(self.pk)


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass")


class Vote(models.Model):
    """One person's agree / disagree / pass on one comment. Imported votes carry the source's
    voter id instead of a user."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="votes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
    )
    external_voter = models.CharField(max_length=120, blank=True)
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="vote_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "external_voter"],
                condition=~Q(external_voter=""),
                name="vote_one_per_external_voter",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "comment"], name="vote_matrix")]

    def __str__(self) -> str:
        return f"{self.value:+d} on #{self.comment_id}"


class CommentRevision(models.Model):
    """The text a comment had before its author edited it (kept for moderators)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"comment {self.comment_id} before {self.created_at:%Y-%m-%d %H:%M}"


class LiveSequence(models.Model):
    """The number of the last live event of a consultation. Taking the next number locks this
    row until the transaction ends, so a consultation's events are numbered in commit order
    without gaps (a rolled-back write gives its number back)."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"consultation {self.consultation_id} at {self.last_seq}"


class LiveEvent(models.Model):
    """What changed on a consultation's page, numbered per consultation (``seq``): a page says
    the last number it has seen and gets exactly what came after, whatever its sort order."""

    class Op(models.TextChoices):
        CREATED = "created"
        STATUS = "status"  # edited, held, hidden, removed, restored
        CHANGED = "changed"  # the consultation itself (e.g. its report was published)

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    op = models.CharField(max_length=10, choices=Op.choices)
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "seq"], name="live_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}#{self.seq} {self.op} {self.comment_id or self.detail}"
