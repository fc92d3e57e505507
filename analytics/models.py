"""Analysis runs and the live opinion map.

A run is one analysis of one consultation at one moment, with its parameters and results.
Runs are never changed once finished: a new analysis is a new run, so a report can cite
``run #n`` and anyone can look at exactly what it said. ``RunComment`` keeps, per run, every
comment the run read with its theme and campaign, so every figure links back to its comments.

The opinion map shown to the public is recomputed as votes arrive; it is a live view, not a
citable record, so there is one per consultation and each refresh replaces it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from topics.models import Consultation


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    MANUAL = "manual", _("Started by an analyst")
    AUTO = "auto", _("Started after new comments")
    COMMAND = "command", _("Command line")


class AnalysisRun(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What was asked for (n_themes, seed, min_votes, ...) and what the methods reported.
    params = models.JSONField(default=dict)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    stage = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Refreshed by the worker while the run is running; a run whose worker stopped (killed,
    # machine lost) stops refreshing it and is marked failed (services.runs_abandon).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    n_comments = models.PositiveIntegerField(default=0)
    n_votes = models.PositiveIntegerField(default=0)
    n_participants = models.PositiveIntegerField(default=0)
    # overview, themes, unassigned_ids, campaigns, opinion (see analytics.services).
    results = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["consultation", "status", "-id"], name="run_latest")]

    def __str__(self) -> str:
        return f"run #{self.pk} of {self.consultation_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return (
            reverse("analytics:dashboard", kwargs={"slug": self.consultation.slug})
            + f"?run={self.pk}"
        )

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class RunComment(models.Model):
    """One comment as one run saw it: its theme and campaign (``None``: none)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="rows")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    theme = models.IntegerField(null=True)
    campaign = models.IntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "comment"], name="run_comment_once")]
        indexes = [
            models.Index(fields=["run", "theme"], name="run_theme"),
            models.Index(fields=["run", "campaign"], name="run_campaign"),
        ]

    def __str__(self) -> str:
        return f"#{self.comment_id} in run {self.run_id}: theme {self.theme}"


class OpinionMap(models.Model):
    """The consultation's current opinion groups and map, refreshed as votes arrive."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="opinion_map"
    )
    version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    n_votes = models.PositiveIntegerField(default=0)
    params = models.JSONField(default=dict)
    result = models.JSONField(default=dict)  # analytics.opinion.OpinionResult.to_dict()

    def __str__(self) -> str:
        return f"opinion map of {self.consultation_id} v{self.version}"
