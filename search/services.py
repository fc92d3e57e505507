"""Keeping the search index up to date (called after commit by the receivers)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from search.backend import segmented
from search.models import DocKind, Document


def consultation_text(consultation) -> tuple[str, str]:
    """``(title, body)`` segmented: the body is the summary, the agency and every section."""
    parts = [consultation.summary, consultation.agency.name_th, consultation.agency.name_en]
    for number, heading, text in consultation.sections.order_by("position", "id").values_list(
        "number", "heading", "text"
    ):
        parts.extend((number, heading, text))
    return segmented(consultation.title), segmented("\n".join(p for p in parts if p))


@transaction.atomic
def index_consultation(consultation_id: int) -> bool:
    """Index a published consultation (drafts are not searchable); returns whether indexed."""
    from topics.models import Consultation

    consultation = Consultation.objects.select_related("agency").filter(pk=consultation_id).first()
    if consultation is None or consultation.published_at is None:
        Document.objects.filter(kind=DocKind.CONSULTATION, object_id=consultation_id).delete()
        return False
    title, body = consultation_text(consultation)
    Document.objects.update_or_create(
        kind=DocKind.CONSULTATION,
        object_id=consultation.pk,
        defaults={"consultation_id": consultation.pk, "title": title, "body": body},
    )
    return True


@transaction.atomic
def index_comments(comment_ids: Iterable[int]) -> int:
    """Index the published ones of these comments and drop the others; returns how many
    are indexed. (One statement writes them all: this runs after every comment post.)"""
    from comments.models import Comment, Status

    ids = list(comment_ids)
    rows = {
        pk: (cid, body)
        for pk, cid, body in Comment.objects.filter(pk__in=ids, status=Status.PUBLISHED)
        .exclude(body="")
        .values_list("pk", "consultation_id", "body")
    }
    gone = set(ids) - set(rows)
    if gone:
        Document.objects.filter(kind=DocKind.COMMENT, object_id__in=gone).delete()
    if rows:
        now = timezone.now()
        Document.objects.bulk_create(
            [
                Document(
                    kind=DocKind.COMMENT,
                    object_id=pk,
                    consultation_id=cid,
                    title="",
                    body=segmented(body),
                    updated_at=now,
                )
                for pk, (cid, body) in rows.items()
            ],
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["consultation_id", "title", "body", "updated_at"],
        )
    return len(rows)


def reindex_all() -> tuple[int, int]:
    from comments.models import Comment, Status
    from topics.models import Consultation

    consultations = sum(
        index_consultation(pk) for pk in Consultation.objects.values_list("pk", flat=True)
    )
    ids = list(Comment.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True))
    comments = 0
    for i in range(0, len(ids), 500):
        comments += index_comments(ids[i : i + 500])
    return consultations, comments
