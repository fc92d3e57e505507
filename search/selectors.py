"""Search reads: consultations across every agency, and the comments of one consultation."""

from __future__ import annotations

from collections.abc import Sequence
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


class Ranked(Sequence[int]):
    """The ids of every match, best first, read from the database a slice at a time: what a
    ``Paginator`` needs (``count()`` and slicing), so a page asks for one page of ids. The
    count comes with the first page (one query, not two); the first page is kept."""

    FIRST = 20  # the page read to count: a results page

    def __init__(self, kind: str, q: str, within_sql: str, within_params: tuple) -> None:
        self.kind, self.q = kind, q
        self.within_sql, self.within_params = within_sql, within_params
        self._count: int | None = None
        self._first: list[int] | None = None

    def _page(self, limit: int, offset: int) -> list[int]:
        ids, total = backend.ranked_page(
            self.kind,
            self.q,
            within_sql=self.within_sql,
            within_params=self.within_params,
            limit=limit,
            offset=offset,
        )
        if total is not None:
            self._count = total
        return ids

    def count(self) -> int:  # type: ignore[override]
        if self._count is None:
            self._first = self._page(self.FIRST, 0)  # counts, an empty one too
        return self._count or 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop, index.step or 1
            if stop is None or start < 0 or stop < 0:
                start, stop, step = index.indices(self.count())
            if step != 1:
                raise ValueError("search results are read in runs")
            first = self._first
            if first is not None and (stop <= len(first) or len(first) == self._count):
                return first[start:stop]
            return self._page(max(0, stop - start), start)
        ids = self[index : index + 1] if index >= 0 else []
        if not ids:
            raise IndexError(index)
        return ids[0]


def consultation_results(filters: ListFilters) -> Ranked:
    """Every published consultation matching ``filters.q`` (and the other filters), best
    first, as ids read a page at a time."""
    within = consultation_list(ListFilters(**{**filters.__dict__, "q": ""})).values("pk")
    within.query.clear_ordering(force=True)
    sql, params = within.query.sql_with_params()
    return Ranked(DocKind.CONSULTATION, filters.q, sql, tuple(params))


def consultation_ids(filters: ListFilters, *, limit: int = MAX_RESULTS) -> list[int]:
    """Ids of the best ``limit`` published consultations matching ``filters.q`` (and the
    other filters), best first."""
    return consultation_results(filters)[0:limit] if limit > 0 else []


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


def comment_results(consultation, q: str) -> Ranked:
    """Every indexed comment of ``consultation`` matching ``q``, best first, as ids."""
    return Ranked(DocKind.COMMENT, q, "SELECT %s AS pk", (consultation.pk,))


def comment_hits(consultation, ids: list[int], ws: list[str]) -> list[Hit]:
    """The comments shown (a page of ids), published ones only, words marked."""
    from comments.models import Comment, Status

    by_id = Comment.objects.filter(status=Status.PUBLISHED, consultation=consultation).in_bulk(ids)
    return [
        Hit(obj=by_id[i], title=highlight.mark(by_id[i].body, ws), excerpt=None)
        for i in ids
        if i in by_id
    ]


def comments(consultation, q: str, *, limit: int = MAX_RESULTS) -> tuple[list[Hit], list[str]]:
    """Published comments of ``consultation`` matching ``q``, best first, marked."""
    ws = backend.query_words(q)
    ids = comment_results(consultation, q)[0:limit] if limit > 0 else []
    return comment_hits(consultation, ids, ws), ws
