"""Writes for analytics: analysis runs, the live opinion map, importing comments from a file.

A run reads the published comments and the latest votes on them, finds campaigns (form
letters), themes (text clusters) and opinion groups (vote clusters), and stores everything it
found, with its parameters, as a new ``AnalysisRun``; it never changes an earlier run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics import conf, selectors
from analytics.campaigns import find_campaigns
from analytics.models import AnalysisRun, OpinionMap, RunComment, RunStatus, RunTrigger
from analytics.opinion import OpinionResult, compute_opinion_groups
from analytics.themes import NOT_ENOUGH_TEXT, ThemeInput, find_themes
from comments import events
from comments.models import Comment, CommentStance, Status
from comments.services import comment_create
from consult.errors import ServiceError
from consult.models import User
from topics.models import Agency, Category, Consultation, Kind, Section

log = logging.getLogger(__name__)

MAX_THEMES = 40


# --- runs ---------------------------------------------------------------------------------------


def _run_params(*, n_themes: int | None, seed: int, min_votes: int | None) -> dict[str, Any]:
    if n_themes is not None and not 1 <= n_themes <= MAX_THEMES:
        raise ServiceError(
            _("The number of themes must be between 1 and %(max)s.") % {"max": MAX_THEMES},
            code="n_themes",
            field="n_themes",
        )
    min_votes = conf.get("ANALYTICS_MIN_VOTES") if min_votes is None else min_votes
    if min_votes < 1:
        raise ServiceError(_("The vote threshold must be at least 1."), code="min_votes")
    return {"n_themes": n_themes, "seed": seed, "min_votes": min_votes}


@transaction.atomic
def run_request(
    *,
    consultation: Consultation,
    requested_by: User | None,
    trigger: str = RunTrigger.MANUAL,
    n_themes: int | None = None,
    seed: int = 0,
    min_votes: int | None = None,
) -> AnalysisRun:
    """Queue a run in the background (one at a time per consultation)."""
    from analytics.tasks import run_analysis

    params = _run_params(n_themes=n_themes, seed=seed, min_votes=min_votes)
    # Lock the consultation row: two analysts pressing the button queue one run, not two.
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    if selectors.active_run(consultation) is not None:
        raise ServiceError(_("An analysis of this consultation is already under way."), code="busy")
    run = AnalysisRun.objects.create(
        consultation=consultation, trigger=trigger, requested_by=requested_by, params=params
    )
    transaction.on_commit(lambda: _enqueue(run_analysis, run.pk))
    return run


def analyze_now(
    *,
    consultation: Consultation,
    requested_by: User | None = None,
    n_themes: int | None = None,
    seed: int = 0,
    min_votes: int | None = None,
) -> AnalysisRun:
    """Run an analysis here and now (the ``analyze`` command); returns the finished run."""
    params = _run_params(n_themes=n_themes, seed=seed, min_votes=min_votes)
    run = AnalysisRun.objects.create(
        consultation=consultation,
        trigger=RunTrigger.COMMAND,
        requested_by=requested_by,
        params=params,
    )
    return run_execute(run_id=run.pk)


def run_execute(*, run_id: int) -> AnalysisRun:
    """Carry out a queued run. A run already claimed by another worker is left alone.

    On failure the run is marked failed with the reason, and the error is raised again.
    """
    now = timezone.now()
    claimed = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, stage="loading", progress=2
    )
    run = AnalysisRun.objects.select_related("consultation").get(pk=run_id)
    if not claimed:
        return run
    with _Heartbeat(run.pk):
        return _execute_claimed(run)


class _Heartbeat:
    """While a run is carried out, a thread refreshes its ``heartbeat_at`` every few seconds."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"run-{run_id}", daemon=True)

    def _beat(self) -> None:
        seconds = conf.get("ANALYTICS_RUN_HEARTBEAT_SECONDS")
        while not self.stop.wait(seconds):
            try:
                AnalysisRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except Exception:  # the database is away for a moment: beat again later
                log.warning("heartbeat of run %s not recorded", self.run_id, exc_info=True)
            finally:
                connections.close_all()  # this thread's own connection

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def _execute_claimed(run: AnalysisRun) -> AnalysisRun:
    try:
        outcome = _analyse(run)
        with transaction.atomic():
            RunComment.objects.bulk_create(
                (
                    RunComment(run_id=run.pk, comment_id=pk, theme=theme, campaign=campaign)
                    for pk, (theme, campaign) in outcome.rows.items()
                ),
                batch_size=5000,
            )
            AnalysisRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                stage="done",
                progress=100,
                finished_at=timezone.now(),
                params=outcome.params,
                results=outcome.results,
                n_comments=outcome.n_comments,
                n_votes=outcome.n_votes,
                n_participants=outcome.n_participants,
            )
    except Exception as exc:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        log.exception("analysis run %s failed", run.pk)
        raise
    run.refresh_from_db()
    return run


@dataclass
class _Outcome:
    params: dict[str, Any]
    results: dict[str, Any]
    rows: dict[int, tuple[int | None, int | None]]  # comment pk -> (theme, campaign)
    n_comments: int
    n_votes: int
    n_participants: int


def _progress(run: AnalysisRun, stage: str, percent: int) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(
        stage=stage, progress=percent, heartbeat_at=timezone.now()
    )


def runs_abandon(*, now: datetime | None = None) -> list[int]:
    """Mark failed, with the reason, every running analysis whose worker stopped answering
    (no heartbeat for ``ANALYTICS_RUN_STALE_SECONDS``); returns their ids. A later run of the
    same consultation can then start. A periodic job calls this every minute."""
    from django.db.models import Q

    from consult import metrics

    now = now or timezone.now()
    stale = conf.get("ANALYTICS_RUN_STALE_SECONDS")
    cutoff = now - timedelta(seconds=stale)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    ids = list(
        AnalysisRun.objects.filter(silent, status=RunStatus.RUNNING).values_list("pk", flat=True)
    )
    if not ids:
        return []
    reason = _(
        "The worker carrying out this analysis stopped (no sign of life for %(n)s seconds). "
        "Start the analysis again."
    ) % {"n": stale}
    done = AnalysisRun.objects.filter(silent, pk__in=ids, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, finished_at=now, error=reason
    )
    if done:
        metrics.STALE_RUNS.inc(done)
        log.warning("analysis runs %s abandoned by their worker: marked failed", ids)
    return ids


def _analyse(run: AnalysisRun) -> _Outcome:
    consultation = run.consultation
    params = dict(run.params)
    seed = int(params.get("seed", 0))
    timings: dict[str, float] = {}

    started = time.perf_counter()
    comments = selectors.published_comments(consultation)
    sections = list(consultation.sections.order_by("position", "id"))
    timings["load_comments"] = time.perf_counter() - started

    _progress(run, "campaigns", 10)
    started = time.perf_counter()
    ids = [c.public_id for c in comments]
    campaigns = find_campaigns(ids, [c.body for c in comments], seed=seed) if comments else []
    timings["campaigns"] = time.perf_counter() - started

    _progress(run, "themes", 25)
    started = time.perf_counter()
    if comments:
        themes = find_themes(
            [
                ThemeInput(
                    id=c.public_id,
                    text=c.body,
                    stance=c.stance,
                    section=str(c.section_id or ""),
                    created=c.created_at,
                )
                for c in comments
            ],
            n_themes=params.get("n_themes"),
            seed=seed,
            campaigns=campaigns,
        ).to_dict()
    else:
        themes = {
            "status": NOT_ENOUGH_TEXT,
            "themes": [],
            "unassigned_ids": [],
            "n_themes_chosen": 0,
            "params": {},
        }
    timings["themes"] = time.perf_counter() - started

    _progress(run, "opinion", 60)
    started = time.perf_counter()
    matrix = selectors.vote_matrix(consultation)
    timings["load_votes"] = time.perf_counter() - started
    started = time.perf_counter()
    opinion = _opinion(
        matrix,
        min_votes=params["min_votes"],
        seed=seed,
        previous=selectors.previous_groups(consultation),
    )
    timings["opinion"] = time.perf_counter() - started

    _progress(run, "saving", 90)
    pk_of = {c.public_id: c.pk for c in comments}
    theme_of: dict[str, int] = {}
    for theme in themes["themes"]:
        for cid in theme["comment_ids"]:
            theme_of[cid] = theme["id"]
    campaign_of: dict[str, int] = {}
    for campaign in campaigns:
        for cid in campaign.member_ids:
            campaign_of[cid] = campaign.id
    rows = {pk_of[cid]: (theme_of.get(cid), campaign_of.get(cid)) for cid in ids}

    params["themes"] = themes.pop("params", {})
    params["n_themes_chosen"] = themes.pop("n_themes_chosen", 0)
    params["opinion"] = {"k": opinion["k"], "silhouette": opinion["silhouette"]}
    params["timings"] = {name: round(seconds, 3) for name, seconds in timings.items()}
    return _Outcome(
        params=params,
        results={
            "overview": _overview(comments, sections),
            "themes": themes["themes"],
            "themes_status": themes["status"],
            "unassigned_ids": themes["unassigned_ids"],
            "campaigns": [c.to_dict() for c in campaigns],
            "opinion": opinion,
        },
        rows=rows,
        n_comments=len(comments),
        n_votes=matrix.n_votes,
        n_participants=len(matrix.participant_ids),
    )


def _opinion(
    matrix: selectors.VoteMatrix, *, min_votes: int, seed: int, previous: dict[str, int]
) -> dict[str, Any]:
    if matrix.n_votes == 0:
        result = OpinionResult({}, [], [], [], {}, {}, 0, 0.0)
    else:
        result = compute_opinion_groups(
            matrix.participant_ids,
            matrix.comment_ids,
            matrix.rows,
            matrix.cols,
            matrix.values,
            min_votes=min_votes,
            seed=seed,
            previous=previous or None,
        )
    data = result.to_dict()
    data["min_votes"] = min_votes
    data["n_participants"] = len(matrix.participant_ids)
    return data


def _overview(comments: Sequence[selectors.CommentRow], sections: list[Section]) -> dict[str, Any]:
    """Volume per day, stance overall and per section, with the ids to drill down by."""
    days: Counter[str] = Counter(
        timezone.localtime(c.created_at).date().isoformat() for c in comments
    )
    stance: Counter[str] = Counter(c.stance for c in comments)
    by_section: dict[int | None, Counter[str]] = defaultdict(Counter)
    for c in comments:
        if c.stance:
            by_section[c.section_id][c.stance] += 1
    rows = [{"id": None, "label": "", "stance": dict(by_section.get(None, {}))}]
    rows += [
        {"id": s.pk, "label": str(s), "stance": dict(by_section.get(s.pk, {}))} for s in sections
    ]
    return {
        "days": sorted(days.items()),
        # Only stances people gave: a comment without one is not counted as an opinion.
        "stance": {value: stance.get(value, 0) for value in CommentStance.values if value},
        "sections": rows,
    }


def auto_run_consider(*, consultation: Consultation) -> AnalysisRun | None:
    """Queue a run when enough comments were published since the last one."""
    threshold = conf.get("ANALYTICS_AUTO_RUN_NEW_COMMENTS")
    if threshold <= 0 or selectors.active_run(consultation) is not None:
        return None
    published = Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED).count()
    last = selectors.latest_run(consultation)
    seen = last.n_comments if last is not None else 0
    if published - seen < threshold:
        return None
    try:
        return run_request(
            consultation=consultation,
            requested_by=None,
            trigger=RunTrigger.AUTO,
            n_themes=(last.params.get("n_themes") if last is not None else None),
        )
    except ServiceError:  # another process queued one meanwhile
        return None


# --- the live opinion map ---------------------------------------------------------------------


def opinion_map_refresh(*, consultation: Consultation) -> OpinionMap:
    """Recompute the consultation's opinion groups from the current votes; tell open pages."""
    matrix = selectors.vote_matrix(consultation)
    min_votes = conf.get("ANALYTICS_MIN_VOTES")
    started = time.perf_counter()
    result = _opinion(
        matrix, min_votes=min_votes, seed=0, previous=selectors.previous_groups(consultation)
    )
    elapsed = time.perf_counter() - started
    with transaction.atomic():
        current = OpinionMap.objects.select_for_update().filter(consultation=consultation).first()
        if current is None:
            current = OpinionMap(consultation=consultation, version=0)
        current.version += 1
        current.computed_at = timezone.now()
        current.n_votes = matrix.n_votes
        current.params = {"min_votes": min_votes, "seed": 0, "seconds": round(elapsed, 3)}
        current.result = result
        current.save()
        events.opinion_map_changed(consultation.pk, current.version)
    return current


# --- the task queue -----------------------------------------------------------------------------


def _enqueue(task: Any, *args: Any, delay: float = 0) -> None:
    """Put a task on the queue; a queue that is down must not break the write that asked."""
    try:
        if delay > 0 and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        task.enqueue(*args)
    except Exception:
        log.warning("could not enqueue %s%r", getattr(task, "name", task), args, exc_info=True)


# --- importing comments from a file ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    line: int
    text: str
    external_id: str = ""
    author: str = ""
    stance: str = ""
    section: str = ""
    created: datetime | None = None


def _row_error(row: ImportRow, reason: str) -> ServiceError:
    return ServiceError(
        _("Line %(line)s: %(reason)s") % {"line": row.line, "reason": reason}, code="line"
    )


def consultation_for_import(*, slug: str, title: str, agency_slug: str = "") -> Consultation:
    """A new closed-record consultation to hold imported comments (``import_comments --create``)."""
    if Consultation.objects.filter(slug=slug).exists():
        raise ServiceError(
            _("A consultation with the slug %(slug)s already exists.") % {"slug": slug},
            code="slug",
        )
    if not title.strip():
        raise ServiceError(_("A new consultation needs a title (--title)."), code="title")
    if agency_slug:
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            raise ServiceError(
                _("No agency with the slug %(slug)s.") % {"slug": agency_slug}, code="agency"
            )
    else:
        agency, _created = Agency.objects.get_or_create(
            slug="imported",
            defaults={"name_th": "ความคิดเห็นที่นำเข้า", "name_en": "Imported comments"},
        )
    now = timezone.now()
    consultation = Consultation(
        agency=agency,
        slug=slug,
        title=title.strip()[:300],
        kind=Kind.PRINCIPLES,
        category=Category.OTHER,
        opens_at=now,
        closes_at=now + timedelta(days=15),
        published_at=None,  # a draft until an editor publishes it
    )
    consultation.full_clean(exclude=["slug"])
    consultation.save()
    return consultation


@transaction.atomic
def comments_import(
    *,
    consultation: Consultation | None,
    rows: Sequence[ImportRow],
    create_slug: str = "",
    create_title: str = "",
    agency_slug: str = "",
) -> tuple[Consultation, list[Comment]]:
    """Import comments (channel ``import``), all or nothing.

    Each row goes through ``comments.services.comment_create``, so imported comments meet the
    same checks and screening as comments written on the site. Any refused row raises a
    ``ServiceError`` naming its line, and nothing is kept. With ``create_slug`` a new
    consultation is made first (in the same transaction); sections named in the file are
    created in the order they first appear.
    """
    if not rows:
        raise ServiceError(_("The file holds no comments."), code="empty")
    creating = consultation is None
    if creating:
        consultation = consultation_for_import(
            slug=create_slug, title=create_title, agency_slug=agency_slug
        )
    assert consultation is not None
    sections = {s.number.strip().casefold(): s for s in consultation.sections.all()}
    by_position = {
        str(i + 1): s for i, s in enumerate(consultation.sections.order_by("position", "id"))
    }
    taken = set(
        Comment.objects.filter(consultation=consultation)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    seen: dict[str, int] = {}
    created: list[Comment] = []
    for row in rows:
        if row.external_id:
            if row.external_id in seen:
                raise _row_error(
                    row,
                    _("the external id %(id)s is also on line %(other)s.")
                    % {"id": row.external_id, "other": seen[row.external_id]},
                )
            if row.external_id in taken:
                raise _row_error(
                    row,
                    _("a comment with the external id %(id)s was already imported.")
                    % {"id": row.external_id},
                )
            seen[row.external_id] = row.line
        section = None
        if row.section:
            key = row.section.strip().casefold()
            section = sections.get(key) or by_position.get(key)
            if section is None and creating:
                section = Section.objects.create(
                    consultation=consultation,
                    position=len(sections),
                    number=row.section.strip()[:40],
                )
                sections[key] = section
            if section is None:
                raise _row_error(
                    row, _("this draft has no section %(section)s.") % {"section": row.section}
                )
        try:
            comment = comment_create(
                consultation=consultation,
                author=None,
                author_name=row.author[:120],
                body=row.text,
                stance=row.stance or CommentStance.UNSTATED,
                section=section,
                channel="import",
                external_id=row.external_id,
                created_at=row.created,
            )
        except ServiceError as exc:
            raise _row_error(row, exc.message) from exc
        created.append(comment)
    return consultation, created
