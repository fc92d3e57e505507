"""Reads for hearing reports: the versions, the page's content, the comments behind a figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from analytics.models import AnalysisRun, RunStatus
from comments.models import Comment, CommentStance, Status
from reports.models import Decision, Issue, Report, ReportRef, ReportStatus
from topics.models import Consultation


def latest_published(consultation: Consultation) -> Report | None:
    return (
        Report.objects.filter(consultation=consultation, status=ReportStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )


def version_of(consultation: Consultation, version: int) -> Report | None:
    return (
        Report.objects.select_related("consultation__agency", "previous")
        .filter(consultation=consultation, version=version)
        .first()
    )


def published_versions(consultation: Consultation) -> list[Report]:
    return list(
        Report.objects.filter(consultation=consultation, status=ReportStatus.PUBLISHED)
        .only("id", "version", "published_at", "correction_note", "consultation_id")
        .order_by("-version")
    )


def all_versions(consultation: Consultation) -> list[Report]:
    return list(
        Report.objects.filter(consultation=consultation)
        .defer("generated", "edits")
        .order_by("-version")
    )


def finished_runs(consultation: Consultation, limit: int = 20) -> list[AnalysisRun]:
    return list(
        AnalysisRun.objects.filter(consultation=consultation, status=RunStatus.DONE)
        .defer("results", "params")
        .order_by("-id")[:limit]
    )


def issues_of(report: Report) -> list[Issue]:
    return list(report.issues.select_related("change_section").order_by("position", "id"))


def ref_ids(report: Report, key: str) -> list[int] | None:
    return (
        ReportRef.objects.filter(report=report, key=key)
        .values_list("comment_ids", flat=True)
        .first()
    )


def ref_comments(report: Report, ids: list[int]) -> QuerySet[Comment]:
    """The comments behind a figure that are still published (a comment hidden since is not
    shown, and says so by its absence from the count shown beside the list)."""
    return Comment.objects.filter(
        pk__in=ids, consultation_id=report.consultation_id, status=Status.PUBLISHED
    ).order_by("created_at", "id")


@dataclass
class TextItem:
    key: str
    text: str
    generated: str
    edited: bool


@dataclass
class ReportView:
    """Everything the page, the PDF and the DOCX show, resolved from the stored report."""

    report: Report
    consultation: Consultation
    part1: dict[str, Any]
    part2: dict[str, Any]
    opens_at: datetime
    closes_at: datetime
    overall: TextItem
    themes: list[dict[str, Any]]
    issues: list[Issue]
    quotes: dict[str, str]
    decisions: dict[str, int]
    accepted: list[Issue]


def report_view(report: Report) -> ReportView:
    content = report.generated
    generated_texts = content.get("texts", {})

    def item(key: str) -> TextItem:
        return TextItem(
            key=key,
            text=report.text(key),
            generated=generated_texts.get(key, ""),
            edited=report.is_edited(key),
        )

    part2 = dict(content["part2"])
    part2["sections"] = [
        {
            **s,
            "key": f"section-{s['id']}",
            "themes": [
                {
                    **t,
                    "sentences": [
                        {**sentence, "key": f"{t['key']}-s{n}"}
                        for n, sentence in enumerate(t["sentences"], start=1)
                    ],
                }
                for t in s.get("themes", [])
            ],
        }
        for s in part2["sections"]
    ]
    part2["campaigns"] = [{**c, "key": f"campaign-{c['id']}"} for c in part2["campaigns"]]
    themes = []
    for theme in content["part2"]["themes"]:
        themes.append(
            {
                **theme,
                "sentences": [
                    {**s, "key": f"{theme['key']}-s{n}"}
                    for n, s in enumerate(theme["sentences"], start=1)
                ],
                "subthemes": [{**s, "key": f"fine-{s['id']}"} for s in theme["subthemes"]],
                "headline": item(f"{theme['key']}-headline"),
                "summary": item(f"{theme['key']}-summary"),
            }
        )
    issues = issues_of(report)
    decisions = {d: sum(1 for i in issues if i.decision == d) for d in Decision.values}
    return ReportView(
        report=report,
        consultation=report.consultation,
        part1=content["part1"],
        part2=part2,
        opens_at=datetime.fromisoformat(content["part1"]["opens_at"]),
        closes_at=datetime.fromisoformat(content["part1"]["closes_at"]),
        overall=item("overall"),
        themes=themes,
        issues=issues,
        quotes=content["part2"].get("quotes", {}),
        decisions=decisions,
        accepted=[i for i in issues if i.decision in (Decision.ACCEPTED, Decision.PARTLY)],
    )


def checkpoint_covering(report: Report) -> Any | None:
    """The checkpoint of the public record that covers this report's publication, when the
    public record (the ``records`` app) is installed; ``None`` otherwise or when no
    checkpoint covers it yet."""
    if report.published_at is None or not apps.is_installed("records"):
        return None
    from records import selectors as records_selectors  # type: ignore[import-not-found]

    finder = getattr(records_selectors, "checkpoint_covering", None)
    if finder is None:
        return None
    return finder(consultation=report.consultation)


def stance_labels() -> dict[str, str]:
    labels = {value: str(label) for value, label in CommentStance.choices}
    labels["unspecified"] = _("No position stated")
    return labels
