"""Moderation reads: the queue a moderator sees, one item in full, an author's comments, and
the public transparency report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from comments.models import Comment, Status
from moderation.models import (
    Action,
    Appeal,
    AppealState,
    Flag,
    Kind,
    LogEntry,
    QueueItem,
    ReasonCode,
    State,
    Suspension,
    reason_label,
)
from moderation.services import claim_timeout, policy_for
from topics.models import Agency, Consultation, Membership, Role

AGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    reason: str = ""
    consultation: str = ""  # slug
    age: str = ""  # older than: one of AGES
    escalated: bool = False

    @classmethod
    def parse(cls, params) -> QueueFilters:
        kind = params.get("kind", "")
        reason = params.get("reason", "")
        age = params.get("age", "")
        return cls(
            kind=kind if kind in Kind.values else "",
            reason=reason if reason in ReasonCode.values else "",
            consultation=params.get("consultation", "")[:120],
            age=age if age in AGES else "",
            escalated=params.get("escalated") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.reason or self.consultation or self.age or self.escalated)


def moderated_scope(user) -> Q | None:
    """The queue items ``user`` may see, as a filter; ``None`` when none. Decided by the
    permission predicates: platform-wide, or agency by agency."""
    if user.has_perm("moderation.view_platform_queue"):
        return Q()
    agency_ids = [
        agency.pk
        for agency in Agency.objects.filter(
            memberships__user=user, memberships__role=Role.MODERATOR
        ).distinct()
        if user.has_perm("topics.moderate", agency)
    ]
    return Q(agency_id_copy__in=agency_ids) if agency_ids else None


def moderated_agency_ids(user) -> list[int] | None:
    """Agencies whose queue ``user`` follows live; ``None`` means all (platform)."""
    if user.has_perm("moderation.view_platform_queue"):
        return None
    return list(
        Membership.objects.filter(user=user, role=Role.MODERATOR, agency__isnull=False)
        .values_list("agency_id", flat=True)
        .distinct()
    )


def queue(user, filters: QueueFilters) -> QuerySet[QueueItem]:
    """Open items this moderator may take (not claimed by someone else), oldest first."""
    scope = moderated_scope(user)
    if scope is None:
        return QueueItem.objects.none()
    now = timezone.now()
    qs = QueueItem.objects.filter(scope, state=State.OPEN).filter(
        Q(claimed_by__isnull=True) | Q(claimed_by=user) | Q(claimed_at__lt=now - claim_timeout())
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.consultation:
        qs = qs.filter(consultation__slug=filters.consultation)
    if filters.age:
        qs = qs.filter(created_at__lte=now - AGES[filters.age])
    if filters.escalated:
        qs = qs.filter(escalated=True)
    return qs.order_by("created_at", "id")


def queue_rows(items: list[QueueItem]) -> list[QueueItem]:
    """Load what the queue shows for a page of items (comment, author, screening, reports)."""
    ids = [i.pk for i in items]
    rows = list(
        QueueItem.objects.filter(pk__in=ids)
        .select_related("comment__author", "comment__screening", "consultation", "claimed_by")
        .order_by("created_at", "id")
    )
    comment_ids = [r.comment_id for r in rows]
    reports = dict(
        Flag.objects.filter(comment_id__in=comment_ids, resolved=False)
        .values_list("comment_id")
        .annotate(n=Count("id"))
        .values_list("comment_id", "n")
    )
    for row in rows:
        row.report_count = reports.get(row.comment_id, 0)
    return rows


def queue_item(comment_id: int) -> QueueItem | None:
    return (
        QueueItem.objects.filter(comment_id=comment_id, state=State.OPEN)
        .select_related("claimed_by")
        .first()
    )


def comment_for_moderator(comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("author", "consultation__agency", "section", "parent")
        .filter(pk=comment_id)
        .first()
    )


def comment_history(comment: Comment) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(comment=comment)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def comment_flags(comment: Comment) -> list[Flag]:
    return list(Flag.objects.filter(comment=comment).select_related("user").order_by("created_at"))


def active_suspension(user) -> Suspension | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Suspension.objects.filter(user=user, until__gt=timezone.now(), lifted_at__isnull=True)
        .order_by("-until")
        .first()
    )


def own_comments(user, limit: int = 200) -> list[Comment]:
    """An author's comments with their moderation status, newest first."""
    comments = list(
        Comment.objects.filter(author=user)
        .select_related("consultation", "appeal")
        .order_by("-created_at", "-id")[:limit]
    )
    return comments


# --- the public report ------------------------------------------------------------------------


@dataclass
class Report:
    consultation: Consultation
    comments_total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    decisions: list[tuple[str, str, int]] = field(default_factory=list)  # action, label, count
    reasons: list[tuple[str, str, int]] = field(default_factory=list)
    automatic: list[tuple[str, str, int]] = field(default_factory=list)
    flags: list[tuple[str, str, int]] = field(default_factory=list)
    median_decision: timedelta | None = None
    decided: int = 0
    pending: int = 0
    appeals: dict[str, int] = field(default_factory=dict)
    policy: object = None
    recent: list[LogEntry] = field(default_factory=list)


MODERATOR_ACTIONS = (
    Action.APPROVE,
    Action.HIDE,
    Action.REMOVE,
    Action.RESTORE,
    Action.ESCALATE,
    Action.APPEAL_UPHELD,
    Action.APPEAL_OVERTURNED,
)
AUTOMATIC_ACTIONS = (
    Action.SCREEN_MASK,
    Action.SCREEN_HOLD,
    Action.POLICY_HOLD,
    Action.FLAG_HIDE,
    Action.PURGE,
)


def transparency_report(consultation: Consultation) -> Report:
    """Counts by decision and reason, median time to decision, appeals and their outcomes."""
    report = Report(consultation=consultation, policy=policy_for(consultation))
    statuses = dict(
        Comment.objects.filter(consultation=consultation)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    report.by_status = {s: statuses.get(s, 0) for s in Status.values}
    report.comments_total = sum(statuses.values())
    log = LogEntry.objects.filter(consultation=consultation)
    counts = dict(log.values_list("action").annotate(n=Count("id")).values_list("action", "n"))
    labels = dict(Action.choices)
    report.decisions = [(a, labels[a], counts[a]) for a in MODERATOR_ACTIONS if counts.get(a)]
    report.automatic = [(a, labels[a], counts[a]) for a in AUTOMATIC_ACTIONS if counts.get(a)]
    reasons = (
        log.filter(action__in=[*MODERATOR_ACTIONS, *AUTOMATIC_ACTIONS])
        .exclude(reason="")
        .values_list("reason")
        .annotate(n=Count("id"))
        .values_list("reason", "n")
        .order_by("-n", "reason")
    )
    report.reasons = [(r, reason_label(r), n) for r, n in reasons]
    flags = (
        Flag.objects.filter(comment__consultation=consultation)
        .values_list("reason")
        .annotate(n=Count("id"))
        .values_list("reason", "n")
        .order_by("-n", "reason")
    )
    report.flags = [(r, reason_label(r), n) for r, n in flags]
    waits = list(log.filter(waited_seconds__isnull=False).values_list("waited_seconds", flat=True))
    report.decided = len(waits)
    if waits:
        report.median_decision = timedelta(seconds=statistics.median(waits))
    report.pending = QueueItem.objects.filter(consultation=consultation, state=State.OPEN).count()
    appeals = dict(
        Appeal.objects.filter(comment__consultation=consultation)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    report.appeals = {s: appeals.get(s, 0) for s in AppealState.values}
    report.recent = list(
        log.filter(action__in=MODERATOR_ACTIONS)
        .select_related("comment")
        .order_by("-created_at", "-id")[:50]
    )
    return report
