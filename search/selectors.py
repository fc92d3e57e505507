"""Search reads: consultations across every agency, and the comments of one consultation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from search import backend, highlight
from search.models import DocKind
from topics.selectors import ListFilters, consultation_list

MAX_RESULTS = 200


@dataclass
class Hit:
    obj: object
    title: SafeString
    excerpt: SafeString | None


def consultation_ids(filters: ListFilters, *, limit: int = MAX_RESULTS) -> list[int]:
    """Ids of the published consultations matching ``filters.q`` (and the other filters),
    best first."""
    within = consultation_list(ListFilters(**{**filters.__dict__, "q": ""})).values("pk")
    within.query.clear_ordering(force=True)
    sql, params = within.query.sql_with_params()
    ranked = backend.ranked_ids(
        DocKind.CONSULTATION, filters.q, within_sql=sql, within_params=params, limit=limit
    )
    return [object_id for object_id, _c in ranked]


def consultation_hits(ids: list[int], ws: list[str]) -> list[Hit]:
    """The consultations shown (a page of ids), titles marked, with an excerpt each: from the
    summary, else the first section that matches."""
    from topics.models import Consultation, Section

    by_id = Consultation.objects.select_related("agency").in_bulk(ids)
    sections: dict[int, list[str]] = {}
    for cid, heading, text in (
        Section.objects.filter(consultation_id__in=ids)
        .order_by("position", "id")
        .values_list("consultation_id", "heading", "text")
    ):
        sections.setdefault(cid, []).extend((heading, text))
    hits = []
    for i in ids:
        c = by_id.get(i)
        if c is None:
            continue
        excerpt = highlight.snippet([c.summary, c.agency.name, *sections.get(i, [])], ws)
        hits.append(Hit(obj=c, title=highlight.mark(c.title, ws), excerpt=excerpt))
    return hits


def comments(consultation, q: str, *, limit: int = MAX_RESULTS) -> tuple[list[Hit], list[str]]:
    """Published comments of ``consultation`` matching ``q``, best first, marked."""
    from comments.models import Comment, Status

    ws = backend.query_words(q)
    ranked = backend.ranked_ids(
        DocKind.COMMENT, q, within_sql="%s", within_params=(consultation.pk,), limit=limit
    )
    ids = [object_id for object_id, _c in ranked]
    by_id = Comment.objects.filter(status=Status.PUBLISHED, consultation=consultation).in_bulk(ids)
    return [
        Hit(obj=by_id[i], title=highlight.mark(by_id[i].body, ws), excerpt=None)
        for i in ids
        if i in by_id
    ], ws
