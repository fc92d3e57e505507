"""What a run says, in the shapes people take away: the JSON document and the CSV table.

The JSON document (``analyze --json`` and the dashboard's JSON export)::

    {"consultation": slug, "run": id, "created": iso, "parameters": {...},
     "themes": [{"id", "label", "terms", "size", "share", "stance", "comment_ids",
                 "representative_ids"}],
     "unassigned_ids": [...],
     "campaigns": [{"id", "size", "representative_id", "comment_ids"}],
     "opinion_groups": {"participants": {participant_id: group},
                        "groups": [{"id", "size", "representative": [{"comment_id", "direction"}]}],
                        "consensus": [{"comment_id", "direction"}]}}

Comment ids are strings: the comment's external id when it has one, else its own id. Every
published comment is in exactly one theme or in ``unassigned_ids``. Participants left out of
the clustering (fewer votes than the threshold) are absent from ``participants``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from analytics.models import AnalysisRun, RunComment
from analytics.selectors import public_ids
from comments.models import Comment
from consult.spreadsheets import spreadsheet_safe, stream_csv

THEME_KEYS = (
    "id",
    "label",
    "terms",
    "size",
    "share",
    "stance",
    "comment_ids",
    "representative_ids",
)


def run_document(run: AnalysisRun) -> dict[str, Any]:
    results = run.results
    opinion = results.get("opinion", {})
    return {
        "consultation": run.consultation.slug,
        "run": run.pk,
        "created": run.finished_at.isoformat() if run.finished_at else None,
        "parameters": {
            key: run.params.get(key) for key in ("n_themes", "seed", "min_votes", "n_themes_chosen")
        },
        "counts": {
            "comments": run.n_comments,
            "votes": run.n_votes,
            "participants": run.n_participants,
        },
        "themes": [{key: theme[key] for key in THEME_KEYS} for theme in results.get("themes", [])],
        "unassigned_ids": list(results.get("unassigned_ids", [])),
        "campaigns": [
            {
                "id": c["id"],
                "size": c["size"],
                "representative_id": c["representative_id"],
                "comment_ids": c["member_ids"],
            }
            for c in results.get("campaigns", [])
        ],
        "opinion_groups": {
            "participants": dict(opinion.get("participants", {})),
            "groups": [
                {
                    "id": g["id"],
                    "size": g["size"],
                    "representative": [
                        {"comment_id": r["comment_id"], "direction": r["direction"]}
                        for r in g.get("representative", [])
                    ],
                }
                for g in opinion.get("groups", [])
            ],
            "consensus": [
                {"comment_id": c["comment_id"], "direction": c["direction"]}
                for c in opinion.get("consensus", [])
            ],
        },
    }


CSV_HEADER = [
    "comment_id",
    "theme",
    "theme_label",
    "campaign",
    "stance",
    "section",
    "created",
    "channel",
    "agree",
    "disagree",
    "pass",
    "text",
]


def run_csv(run: AnalysisRun) -> Iterator[str]:
    """One row per comment the run read, streamed (UTF-8 with BOM so Excel reads Thai)."""
    labels = {t["id"]: t["label"] for t in run.results.get("themes", [])}
    return stream_csv(CSV_HEADER, _run_rows(run, labels))


def _run_rows(run: AnalysisRun, labels: dict) -> Iterator[list[object]]:
    rows = RunComment.objects.filter(run=run).order_by("comment_id")
    for start in range(0, rows.count(), 2000):
        chunk = list(rows[start : start + 2000].values_list("comment_id", "theme", "campaign"))
        comments = {
            c.pk: c
            for c in Comment.objects.filter(pk__in=[r[0] for r in chunk]).select_related("section")
        }
        ids = public_ids([(c.pk, c.external_id) for c in comments.values()])
        for pk, theme, campaign in chunk:
            c = comments[pk]
            yield [
                spreadsheet_safe(ids[pk]),
                "" if theme is None else theme,
                spreadsheet_safe(labels.get(theme, "")),
                "" if campaign is None else campaign,
                c.stance,
                spreadsheet_safe(str(c.section) if c.section else ""),
                timezone.localtime(c.created_at).isoformat(),
                c.channel,
                c.agree_count,
                c.disagree_count,
                c.pass_count,
                spreadsheet_safe(c.body),
            ]
