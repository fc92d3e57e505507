"""Reads that cross relations: thread pages, counts, a viewer's own votes."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from comments.models import IN_THREAD, Comment, Status, Vote
from topics.models import Consultation

Sort = Literal["newest", "agreed", "divisive"]
SORTS: dict[str, tuple[str, str]] = {
    "newest": ("created_at", "-created_at"),
    "agreed": ("agree_count", "-agree_count"),
    "divisive": ("divisiveness", "-divisiveness"),
}


class BadCursor(ValueError):
    pass


def encode_cursor(sort: str, comment: Comment) -> str:
    value = getattr(comment, SORTS[sort][0])
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, comment.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple[object, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if sort == "newest":
            value = datetime.fromisoformat(value)
        elif not isinstance(value, int | float):
            raise ValueError
        return value, int(pk)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
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
    rows = list(qs.order_by(order, "-id").select_related("author", "section")[: size + 1])
    next_cursor = encode_cursor(sort, rows[size - 1]) if len(rows) > size else None
    rows = rows[:size]
    return ThreadPage(comments=rows, replies=replies_for(rows), next_cursor=next_cursor)


def replies_for(roots: list[Comment], limit_per_thread: int = 50) -> dict[int, list[Comment]]:
    ids = [c.pk for c in roots if c.reply_count]
    if not ids:
        return {}
    out: dict[int, list[Comment]] = {}
    # Only the first ``limit_per_thread`` of each thread leave the database; the section is
    # joined because the comment template reads it for every reply.
    qs = (
        Comment.objects.filter(root_id__in=ids)
        .filter(IN_THREAD)
        .annotate(
            thread_position=Window(
                RowNumber(), partition_by=F("root_id"), order_by=[F("created_at"), F("id")]
            )
        )
        .filter(thread_position__lte=limit_per_thread)
        .select_related("author", "section")
        .order_by("created_at", "id")
    )
    for reply in qs:
        bucket = out.setdefault(reply.root_id, [])
        if len(bucket) < limit_per_thread:
            bucket.append(reply)
    return out


def own_pending(consultation: Consultation, user) -> list[Comment]:
    if not user.is_authenticated:
        return []
    return list(
        Comment.objects.filter(consultation=consultation, author=user, status=Status.PENDING)
        .select_related("section")
        .order_by("-created_at")[:20]
    )


def viewer_votes(user, comment_ids: list[int]) -> dict[int, int]:
    if not user.is_authenticated or not comment_ids:
        return {}
    return dict(
        Vote.objects.filter(user=user, comment_id__in=comment_ids).values_list(
            "comment_id", "value"
        )
    )


def vote_counts(comment_ids: list[int]) -> dict[str, dict[str, int]]:
    rows = Comment.objects.filter(pk__in=comment_ids).values_list(
        "pk", "agree_count", "disagree_count", "pass_count"
    )
    return {str(pk): {"agree": a, "disagree": d, "pass": p} for pk, a, d, p in rows}


def comments_after(consultation_id: int, after_id: int, limit: int = 50) -> QuerySet[Comment]:
    """Comments a reconnecting client missed (published since ``after_id``), oldest first."""
    return (
        Comment.objects.filter(
            consultation_id=consultation_id, pk__gt=after_id, status=Status.PUBLISHED
        )
        .select_related("author", "section")
        .order_by("id")[:limit]
    )
