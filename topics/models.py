"""Agencies, consultations, the draft's sections, and people's positions on a draft."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from moderation.sanitize import clean_rich_text


class Agency(models.Model):
    slug = models.SlugField(unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if translation.get_language() == "th":
            return self.name_th or self.name_en
        return self.name_en or self.name_th


class Kind(models.TextChoices):
    DRAFT_ACT = "draft_act", _("Draft act")
    SUBORDINATE = "subordinate", _("Subordinate regulation")
    PRINCIPLES = "principles", _("Principles")
    EVALUATION = "evaluation", _("Ex-post evaluation of a law")


class Category(models.TextChoices):
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    AGRICULTURE = "agriculture", _("Agriculture")
    WELFARE = "welfare", _("Welfare")
    PARTICIPATION = "participation", _("Participation & transparency")
    SME = "sme", _("SMEs")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PublicState(models.TextChoices):
    """What the public list shows: a closed consultation is under consideration until its
    hearing report is published."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (under consideration)")
    REPORTED = "reported", _("Result reported")


class Assurance(models.IntegerChoices):
    """Mirrors ``accounts.models.Level`` (the minimum a consultation asks of participants)."""

    EMAIL = 1, _("A verified e-mail address")
    SOCIAL = 2, _("Sign-in with LINE or Google")
    IDENTITY = 3, _("Identity verified with the national digital ID")


class UnnamedPolicy(models.TextChoices):
    PUBLISH = "publish", _("Publish directly")
    HOLD = "hold", _("Hold for review")


class LegalBasis(models.TextChoices):
    LEGAL_DUTY = "legal_duty", _("Hearing required by law (comments are part of the record)")
    CONSENT = "consent", _("Consent (comments can be withdrawn)")


class Consultation(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consultations")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Rich text; cleaned on save."))
    language = models.CharField(
        _("language of the draft"), max_length=8, choices=settings.LANGUAGES, default="th"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    short_period_reason = models.TextField(
        _("reason for a period shorter than 15 days"), blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    source_note = models.TextField(_("source and attribution"), blank=True)
    min_assurance = models.PositiveSmallIntegerField(
        _("who may comment and vote"), choices=Assurance.choices, default=Assurance.EMAIL
    )
    unnamed_comments = models.CharField(
        _("comments under a pseudonym or without a name"),
        max_length=10,
        choices=UnnamedPolicy.choices,
        default=UnnamedPolicy.PUBLISH,
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=12, choices=LegalBasis.choices, default=LegalBasis.LEGAL_DUTY
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # When the first hearing report was published (set by the reports app through
    # topics.services.consultation_mark_reported).
    reported_at = models.DateTimeField(_("result reported"), null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # People's positions on the draft, counted by topics.services.position_set in the same
    # transaction as the position itself, so the page reads them without counting every row.
    support_count = models.PositiveIntegerField(default=0, editable=False)
    oppose_count = models.PositiveIntegerField(default=0, editable=False)
    undecided_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["published_at", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body = clean_rich_text(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("topics:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at:
            if self.closes_at <= self.opens_at:
                raise ValidationError(
                    {"closes_at": _("The closing date must be after the opening date.")}
                )
            if (
                self.period < timedelta(days=settings.MIN_CONSULTATION_DAYS)
                and not self.short_period_reason.strip()
            ):
                raise ValidationError(
                    {
                        "short_period_reason": _(
                            "A consultation shorter than %(days)s days needs a stated reason."
                        )
                        % {"days": settings.MIN_CONSULTATION_DAYS}
                    }
                )

    @property
    def period(self) -> timedelta:
        return self.closes_at - self.opens_at

    def phase_at(self, when: datetime) -> Phase:
        if self.published_at is None or self.published_at > when:
            return Phase.DRAFT
        if when < self.opens_at:
            return Phase.UPCOMING
        if when < self.closes_at:
            return Phase.OPEN
        return Phase.CLOSED

    @property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    @property
    def public_state(self) -> PublicState | None:
        """Upcoming, open, closed (under consideration) or result reported; ``None`` while
        the consultation is a draft."""
        phase = self.phase
        if phase == Phase.DRAFT:
            return None
        if self.reported_at is not None:
            return PublicState.REPORTED
        return PublicState(phase.value)

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN


class Section(models.Model):
    """One article of the draft, in order."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(default=0)
    number = models.CharField(
        _("number"), max_length=40, help_text=_("e.g. 'Section 3' or 'มาตรา 3'")
    )
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["consultation", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="section_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    CHOICE = "choice", _("One choice")
    SCALE = "scale", _("Scale 1-5")
    TEXT = "text", _("Free text")


class Question(models.Model):
    """An optional structured question asked alongside the draft."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    prompt = models.CharField(_("question"), max_length=500)
    choices = models.TextField(_("choices (one per line)"), blank=True)

    class Meta:
        ordering = ["consultation", "position", "id"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


ANSWER_TEXT_MAX = 2000
SCALE_VALUES = ("1", "2", "3", "4", "5")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Answer(models.Model):
    """One person's answer to one question (changeable while the consultation is open).

    ``value`` is "yes"/"no", the text of the chosen choice, "1".."5", or plain text (at most
    ``ANSWER_TEXT_MAX`` characters, rendered escaped)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Kept without a person when they delete their account (see accounts.services).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    value = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="answer_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on question {self.question_id}"


class Stance(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    UNDECIDED = "undecided", _("Undecided")


class Position(models.Model):
    """One person's support / oppose / undecided on the whole draft."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="positions"
    )
    # Kept as an anonymous count when the person deletes their account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
    )
    value = models.CharField(max_length=12, choices=Stance.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="position_one_per_person")
        ]
        indexes = [models.Index(fields=["consultation", "value"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value} on {self.consultation_id}"


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    ANALYST = "analyst", _("Analyst")
    MODERATOR = "moderator", _("Moderator")


class Membership(models.Model):
    """A person's role in an agency. A moderator membership without an agency moderates
    every consultation on the platform."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(role="moderator"),
                name="membership_platform_role_is_moderator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.agency_id or 'platform'}"
