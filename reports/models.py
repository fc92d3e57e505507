"""Hearing reports: what a consultation heard, and the agency's response to each issue.

A report is generated from one finished analysis run (``Report.generated``, frozen at creation:
the figures, theme summaries and the comment ids behind them), then edited by the agency
(``Report.edits``: text overrides by key, so the generated text is kept and the page shows what
was edited) and answered issue by issue (``Issue``). Draft -> in review -> published; a
published report never changes again: a correction is a new version (``previous``) and both
stay public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from analytics.models import AnalysisRun
from topics.models import Consultation, Section


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


class Report(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    run = models.ForeignKey(AnalysisRun, on_delete=models.PROTECT, related_name="+")
    data_digest = models.CharField(max_length=64)
    generated = models.JSONField(default=dict)
    edits = models.JSONField(default=dict, blank=True)
    correction_note = models.TextField(_("what this version corrects"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["consultation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version"], name="report_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"report v{self.version} of {self.consultation.slug} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:version", kwargs={"slug": self.consultation.slug, "version": self.version}
        )

    @property
    def agency_id(self) -> int:  # the audit log files entries under the agency
        return self.consultation.agency_id

    @property
    def citation(self) -> str:
        return f"{self.consultation.slug} run {self.run_id}"

    @property
    def is_frozen(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    def text(self, key: str) -> str:
        """The text shown for ``key``: the agency's edit, else the generated text."""
        if key in self.edits:
            return self.edits[key]
        return self.generated.get("texts", {}).get(key, "")

    def is_edited(self, key: str) -> bool:
        return key in self.edits and self.edits[key] != self.generated.get("texts", {}).get(key)


class IssueKind(models.TextChoices):
    THEME = "theme", _("Theme")
    SECTION = "section", _("Section of the draft")
    MANUAL = "manual", _("Added by the agency")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOTED = "noted", _("Noted, out of scope")


class Issue(models.Model):
    """One issue raised in the hearing and the agency's response to it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="issues")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=IssueKind.choices)
    ref = models.CharField(max_length=40, blank=True)  # top theme id or section id
    title = models.CharField(_("issue"), max_length=300)
    refs_key = models.CharField(max_length=40, blank=True)  # the ReportRef behind it
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    change_section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("section that changes"),
    )
    change = models.TextField(_("how the draft changes"), blank=True)

    class Meta:
        ordering = ["report", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def answered(self) -> bool:
        return bool(self.decision and self.reasons.strip())


class ReportRef(models.Model):
    """The comments behind one figure or quote of a report (comment primary keys), kept apart
    from the report so the page does not read every id to show the figures."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="refs")
    key = models.CharField(max_length=40)  # "all", "theme-3", "section-12", "campaign-2", ...
    comment_ids = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_ref_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} of report {self.report_id}"
