"""Reads for analytics: what a run analyses, runs themselves, and drill-down to comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet
from django.utils import timezone

from analytics.models import AnalysisRun, OpinionMap, RunComment, RunStatus
from comments.models import Comment, Status, Vote
from topics.models import Consultation


@dataclass(frozen=True)
class CommentRow:
    pk: int
    public_id: str
    body: str
    stance: str
    section_id: int | None
    created_at: datetime


def public_ids(pairs: list[tuple[int, str]]) -> dict[int, str]:
    """Comment pk -> the id analytics uses: the external id when it has one, else its own id.

    Should an imported external id equal a web comment's own id in the same consultation, the
    web comment's id is written ``c<id>`` so that ids stay unique.
    """
    external = {ext for _pk, ext in pairs if ext}
    ids: dict[int, str] = {}
    for pk, ext in pairs:
        if ext:
            ids[pk] = ext
        else:
            ids[pk] = f"c{pk}" if str(pk) in external else str(pk)
    return ids


def published_comments(consultation: Consultation) -> list[CommentRow]:
    """Every published comment and reply, oldest first."""
    rows = list(
        Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED)
        .order_by("created_at", "id")
        .values_list("pk", "external_id", "body", "stance", "section_id", "created_at")
    )
    ids = public_ids([(r[0], r[1]) for r in rows])
    return [
        CommentRow(
            pk=pk, public_id=ids[pk], body=body, stance=stance, section_id=sid, created_at=at
        )
        for pk, _ext, body, stance, sid, at in rows
    ]


@dataclass(frozen=True)
class VoteMatrix:
    """Latest votes on published comments, in the COO form ``compute_opinion_groups`` takes."""

    participant_ids: list[str]
    comment_ids: list[str]
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    values: npt.NDArray[np.int64]

    @property
    def n_votes(self) -> int:
        return int(self.values.size)


def participant_id(user_id: int | None, external_voter: str) -> str:
    """Imported votes keep the source's voter id; web votes are the voter's user id."""
    return external_voter or ("" if user_id is None else str(user_id))


def vote_matrix(consultation: Consultation) -> VoteMatrix:
    """Votes on published comments only (a hidden comment's votes take no part).

    A vote row is already the person's latest vote on that comment. Votes whose voter deleted
    their account (no user, no external id) cannot be attributed and are left out.
    """
    id_of = public_ids(
        list(
            Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED)
            .order_by("id")
            .values_list("pk", "external_id")
        )
    )
    votes = (
        Vote.objects.filter(consultation=consultation, comment__status=Status.PUBLISHED)
        .order_by("id")
        .values_list("user_id", "external_voter", "comment_id", "value")
    )
    people: dict[str, int] = {}
    columns: dict[int, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[int] = []
    for user_id, external, comment_id, value in votes.iterator(chunk_size=20_000):
        pid = participant_id(user_id, external)
        if not pid or comment_id not in id_of:
            continue
        rows.append(people.setdefault(pid, len(people)))
        cols.append(columns.setdefault(comment_id, len(columns)))
        values.append(value)
    return VoteMatrix(
        participant_ids=list(people),
        comment_ids=[id_of[pk] for pk in columns],
        rows=np.asarray(rows, dtype=np.int64),
        cols=np.asarray(cols, dtype=np.int64),
        values=np.asarray(values, dtype=np.int64),
    )


def latest_run(consultation: Consultation, *, finished: bool = True) -> AnalysisRun | None:
    runs = AnalysisRun.objects.filter(consultation=consultation)
    if finished:
        runs = runs.filter(status=RunStatus.DONE)
    return runs.order_by("-id").first()


def runs_of(consultation: Consultation, limit: int = 20) -> list[AnalysisRun]:
    return list(
        AnalysisRun.objects.filter(consultation=consultation)
        .select_related("requested_by")
        .defer("results")
        .order_by("-id")[:limit]
    )


def active_run(consultation: Consultation) -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(
            consultation=consultation, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        )
        .defer("results")
        .order_by("-id")
        .first()
    )


def opinion_map(consultation: Consultation) -> OpinionMap | None:
    return OpinionMap.objects.filter(consultation=consultation).first()


def previous_groups(consultation: Consultation) -> dict[str, int]:
    """The latest participant -> group assignment (live map or finished run, whichever is newer),
    so that group labels stay the same from one computation to the next."""
    live = opinion_map(consultation)
    run = latest_run(consultation)
    run_at = run.finished_at if run is not None else None
    if live is not None and (run_at is None or live.computed_at >= run_at):
        return dict(live.result.get("participants", {}))
    if run is not None:
        return dict(run.results.get("opinion", {}).get("participants", {}))
    return {}


@dataclass(frozen=True)
class DrillDown:
    """Which comments of a run a figure stands for; every field is optional."""

    theme: int | None = None
    campaign: int | None = None
    unassigned: bool = False
    stance: str = ""
    section: str = ""  # a section id, or "general" for comments on the whole draft
    day: date | None = None
    comment: str = ""  # a public id

    @property
    def is_empty(self) -> bool:
        return self == DrillDown()


def run_comments(run: AnalysisRun, where: DrillDown) -> QuerySet[Comment]:
    """The comments behind a figure of ``run``, oldest first."""
    rows = RunComment.objects.filter(run=run)
    if where.theme is not None:
        rows = rows.filter(theme=where.theme)
    if where.unassigned:
        rows = rows.filter(theme__isnull=True)
    if where.campaign is not None:
        rows = rows.filter(campaign=where.campaign)
    comments = Comment.objects.filter(pk__in=rows.values("comment_id"))
    if where.stance:
        comments = comments.filter(stance=where.stance)
    if where.section == "general":
        comments = comments.filter(section__isnull=True)
    elif where.section.isdigit():
        comments = comments.filter(section_id=int(where.section))
    if where.day is not None:
        start = timezone.make_aware(datetime.combine(where.day, datetime.min.time()))
        comments = comments.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
    if where.comment:
        if where.comment.startswith("c") and where.comment[1:].isdigit():
            comments = comments.filter(pk=int(where.comment[1:]))
        elif where.comment.isdigit():
            comments = comments.filter(external_id=where.comment) | comments.filter(
                external_id="", pk=int(where.comment)
            )
        else:
            comments = comments.filter(external_id=where.comment)
    return comments.select_related("section", "author").order_by("created_at", "id")


def comments_by_public_id(consultation: Consultation, ids: list[str]) -> dict[str, Comment]:
    """Comments of the consultation by their public id (external id, else own id)."""
    wanted = set(ids)
    if not wanted:
        return {}
    own = [int(i.lstrip("c")) for i in wanted if i.lstrip("c").isdigit()]
    found = Comment.objects.filter(consultation=consultation).filter(
        Q(external_id__in=wanted) | Q(external_id="", pk__in=own)
    )
    ids_of = public_ids([(c.pk, c.external_id) for c in found])
    return {ids_of[c.pk]: c for c in found if ids_of[c.pk] in wanted}


TOP_THEME_SAMPLE = 200  # comments per fine theme read to place it (as the hearing report does)


def top_themes(consultation: Consultation, run: AnalysisRun) -> list[dict]:
    """The run's readable top level (5-12 themes per language, ``analytics.hierarchy``), each
    with its fine themes as sub-themes, largest first. A finished run never changes, so the
    grouping is computed once per run and cached."""
    from django.core.cache import cache

    from analytics.hierarchy import theme_hierarchy

    def compute() -> list[dict]:
        fine = [t for t in (run.results or {}).get("themes", []) if t.get("comment_ids")]
        if not fine:
            return []
        comments = comments_by_public_id(
            consultation, [cid for t in fine for cid in t["comment_ids"][:TOP_THEME_SAMPLE]]
        )
        texts = {cid: c.body for cid, c in comments.items()}
        by_id = {int(t["id"]): t for t in fine}
        total = sum(int(t["size"]) for t in fine) or 1
        out = []
        for top in theme_hierarchy(fine, texts, sample=TOP_THEME_SAMPLE):
            out.append(
                {
                    **top.to_dict(),
                    "percent": round(100 * top.size / total, 1),
                    "subthemes": [
                        {"id": fid, "label": by_id[fid]["label"], "size": by_id[fid]["size"]}
                        for fid in top.fine_ids
                    ],
                }
            )
        return out

    return cache.get_or_set(f"analytics:top-themes:{run.pk}", compute, 7 * 24 * 3600)
