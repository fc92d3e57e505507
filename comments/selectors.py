"""Reads that cross relations: thread pages, counts, a viewer's own votes."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from comments.models import IN_THREAD, Channel, Comment, LiveEvent, LiveSequence, Status, Vote
from consult import viewer
from topics.models import Consultation

Sort = Literal["newest", "agreed", "divisive"]
SORTS: dict[str, tuple[str, str]] = {
    "newest": ("created_at", "-created_at"),
    "agreed": ("agree_count", "-agree_count"),
    "divisive": ("divisiveness", "-divisiveness"),
}


def for_cards(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments with what their cards show: the author's display name and the section's
    number, read in the same query as two columns (``Comment.display_author`` and
    ``Comment.section_number`` use them), not as whole user and section rows."""
    return qs.annotate(
        author_display_name=F("author__display_name"), section_label=F("section__number")
    )


class BadCursor(ValueError):
    pass


def encode_cursor(sort: str, comment: Comment) -> str:
    value = getattr(comment, SORTS[sort][0])
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, comment.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_BIGINT = 2**63 - 1


def _finite_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and abs(value) <= _BIGINT


def decode_cursor(sort: str, cursor: str) -> tuple[object, int]:
    """The (value, id) a page starts after; anything else (NaN, 1e999, a huge id, a naive
    date) is a ``BadCursor``, answered like no cursor at all."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if sort == "newest":
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError
        elif not _finite_number(value):
            raise ValueError
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 <= pk <= _BIGINT:
            raise ValueError
        return value, pk
    except (ValueError, TypeError, OverflowError, binascii.Error, json.JSONDecodeError):
        raise BadCursor(cursor) from None


@dataclass
class ThreadPage:
    comments: list[Comment]
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    next_cursor: str | None = None


def thread_page(
    consultation: Consultation,
    *,
    section_id: int | None = None,
    general_only: bool = False,
    sort: str = "newest",
    after: str | None = None,
    page_size: int | None = None,
) -> ThreadPage:
    """One page of top-level comments (keyset pagination) with their replies."""
    if sort not in SORTS:
        sort = "newest"
    size = page_size or settings.COMMENTS_PAGE_SIZE
    field_name, order = SORTS[sort]
    if section_id is not None:
        qs = Comment.objects.filter(section_id=section_id)
    else:
        qs = Comment.objects.filter(consultation=consultation)
        if general_only:
            qs = qs.filter(section__isnull=True)
    qs = qs.filter(parent__isnull=True).filter(IN_THREAD)
    if after:
        value, pk = decode_cursor(sort, after)
        # (value, pk) < cursor, written so the leading "<=" can bound the index range.
        qs = qs.filter(
            Q(**{f"{field_name}__lte": value}) & (Q(**{f"{field_name}__lt": value}) | Q(pk__lt=pk))
        )
    rows = list(for_cards(qs.order_by(order, "-id"))[: size + 1])
    next_cursor = encode_cursor(sort, rows[size - 1]) if len(rows) > size else None
    rows = rows[:size]
    return ThreadPage(comments=rows, replies=replies_for(rows), next_cursor=next_cursor)


def replies_for(
    roots: list[Comment], limit_per_thread: int | None = None
) -> dict[int, list[Comment]]:
    """The first replies of each thread, oldest first; the rest are on the thread's own page.

    One small ordered, limited scan of the ``thread_replies`` index per thread chooses the
    rows, all in one query: a thread of 600 replies costs no more than a thread of three.
    PostgreSQL runs the scans as a LATERAL join over an array of ids (one plan whatever the
    number of threads); SQLite, which has no LATERAL, as a UNION ALL of the scans.
    """
    if limit_per_thread is None:
        limit_per_thread = settings.COMMENTS_INLINE_REPLIES
    ids = [c.pk for c in roots if c.reply_count]
    if not ids or limit_per_thread <= 0:
        return {}
    table = connection.ops.quote_name(Comment._meta.db_table)
    limit = int(limit_per_thread)
    params: list[object]
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT t.id FROM unnest(%s::bigint[]) AS r(root_id) CROSS JOIN LATERAL "
            f"(SELECT id FROM {table} WHERE root_id = r.root_id AND status <> %s "
            f"ORDER BY created_at, id LIMIT {limit}) AS t"
        )
        params = [ids, Status.PENDING]
    else:
        one = (
            f"SELECT id FROM (SELECT id FROM {table} WHERE root_id = %s AND status <> %s "
            f"ORDER BY created_at, id LIMIT {limit}) AS t{{n}}"
        )
        sql = " UNION ALL ".join(one.format(n=n) for n in range(len(ids)))
        params = []
        for root_id in ids:
            params += [root_id, Status.PENDING]
    out: dict[int, list[Comment]] = {}
    qs = for_cards(Comment.objects.filter(pk__in=RawSQL(sql, params))).order_by("created_at", "id")
    for reply in qs:
        out.setdefault(reply.root_id, []).append(reply)
    return out


@dataclass
class RepliesPage:
    replies: list[Comment]
    earlier: bool = False
    next_from: int | None = None


def thread_replies(
    root: Comment, *, start: int | None = None, size: int | None = None
) -> RepliesPage:
    """One page of a thread's replies, oldest first, beginning at the reply ``start``.

    ``start`` is a reply id (the keyset is the reply's (created_at, id)); an id that is not a
    reply of this thread gives the first page.
    """
    size = size or settings.COMMENTS_THREAD_PAGE_SIZE
    qs = Comment.objects.filter(root=root).filter(IN_THREAD)
    first = None
    if start is not None:
        first = Comment.objects.filter(root=root, pk=start).values_list("created_at", "id").first()
    if first is not None:
        created, pk = first
        qs = qs.filter(Q(created_at__gte=created) & (Q(created_at__gt=created) | Q(pk__gte=pk)))
    rows = list(for_cards(qs.order_by("created_at", "id"))[: size + 1])
    return RepliesPage(
        replies=rows[:size],
        earlier=first is not None,
        next_from=rows[size].pk if len(rows) > size else None,
    )


def offline_count(consultation: Consultation) -> int:
    """Published comments here that arrived on paper, by phone, at a meeting or by e-mail (read
    through a partial index that holds only offline comments)."""
    return Comment.objects.filter(
        consultation=consultation, channel=Channel.OFFLINE, status=Status.PUBLISHED
    ).count()


def channel_counts(consultation: Consultation) -> dict[str, int]:
    """Published comments and replies by channel (web, import, offline), every channel named."""
    counts = dict(
        Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return {channel: counts.get(channel, 0) for channel in Channel.values}


def own_pending(consultation: Consultation, user) -> list[Comment]:
    """The person's own comments here that await review (the page lists their text)."""
    if not user.is_authenticated or not viewer.facts(user.pk).has_pending_comments:
        return []
    return list(
        Comment.objects.filter(consultation=consultation, author=user, status=Status.PENDING)
        .only("id", "body", "created_at")
        .order_by("-created_at")[:20]
    )


def viewer_votes(user, comment_ids: list[int]) -> dict[int, int]:
    """The person's vote on each of these comments (comment id -> value), in one small query.

    Written as SQL: a page asks about a hundred ids, and building that IN list through the ORM
    costs more than the query. PostgreSQL gets the ids as one array parameter."""
    if not user.is_authenticated or not comment_ids:
        return {}
    table = connection.ops.quote_name(Vote._meta.db_table)
    ids = [int(pk) for pk in comment_ids]
    if connection.vendor == "postgresql":
        sql = f"SELECT comment_id, value FROM {table} WHERE user_id = %s AND comment_id = ANY(%s)"
        params: list[object] = [user.pk, ids]
    else:
        marks = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT comment_id, value FROM {table} WHERE user_id = %s AND comment_id IN ({marks})"
        )
        params = [user.pk, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def vote_counts(
    comment_ids: list[int], consultation_id: int | None = None
) -> dict[str, dict[str, int]]:
    """Agree / disagree / pass counts by comment id. With ``consultation_id``: only that
    consultation's published comments (what anyone reading its page may see)."""
    qs = Comment.objects.filter(pk__in=comment_ids)
    if consultation_id is not None:
        qs = qs.filter(consultation_id=consultation_id, status=Status.PUBLISHED)
    rows = qs.values_list("pk", "agree_count", "disagree_count", "pass_count")
    return {str(pk): {"agree": a, "disagree": d, "pass": p} for pk, a, d, p in rows}


def live_position(consultation_id: int) -> int:
    """The number of the consultation's last live event: a page rendered now has seen it.
    Read it *before* the comments a page shows, so nothing falls between the two."""
    seq = (
        LiveSequence.objects.filter(consultation_id=consultation_id)
        .values_list("last_seq", flat=True)
        .first()
    )
    return int(seq or 0)


def live_events_after(consultation_id: int, seq: int, limit: int) -> list[LiveEvent]:
    """The consultation's live events numbered after ``seq``, in order, at most ``limit``."""
    return list(
        LiveEvent.objects.filter(consultation_id=consultation_id, seq__gt=seq).order_by("seq")[
            :limit
        ]
    )
