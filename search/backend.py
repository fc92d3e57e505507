"""Thai-aware full-text search over pre-segmented text.

Thai has no spaces between words, so a database's own word splitting cannot find a word
inside a sentence. Every text is segmented here (PyThaiNLP's dictionary, through the same
segmenter as the analytics) and stored with spaces between words; the query is segmented the
same way. Each query word matches as a prefix (a partial word typed without a typo still
finds the whole word), and all query words must appear somewhere in the document (a
consultation's title, summary, agency and all its sections are one document).

- PostgreSQL: ``to_tsvector('simple', ...)`` in a generated column, a GIN index,
  ``ts_rank`` with the title weighted over the body.
- SQLite: an FTS5 table (``unicode61`` keeping Thai vowel and tone marks inside words),
  ``bm25`` with the same weighting.
- Neither available (SQLite built without FTS5): every query word must appear in the
  segmented text (a ``LIKE`` match), ranked by title first.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.resources import files

from django.db import connection as default_connection
from django.db import transaction

from analytics.text import segment_thai

_RUNS = re.compile(r"([\u0E01-\u0E4E]+)|([^\W_]+)", re.UNICODE)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MAX_QUERY_WORDS = 8
# PostgreSQL reads the whole document's vector (to rank by the body) for this many matches.
RANK_CANDIDATES = 60


@lru_cache(maxsize=1)
def _dictionary() -> list[str]:
    """The segmenter's word list, sorted (PyThaiNLP's, as ``analytics.text`` loads it)."""
    text = files("pythainlp.corpus").joinpath("words_th.txt").read_text(encoding="utf-8")
    return sorted({unicodedata.normalize("NFC", w.strip()) for w in text.splitlines() if w.strip()})


def starts_a_word(run: str) -> bool:
    """Whether some dictionary word starts with ``run`` (or is ``run``)."""
    dictionary = _dictionary()
    i = bisect.bisect_left(dictionary, run)
    return i < len(dictionary) and dictionary[i].startswith(run)


def words(text: str, *, typed: bool = False) -> list[str]:
    """Lower-cased words of ``text``; Thai runs segmented into dictionary words.

    ``typed`` (a query): a Thai run that begins a dictionary word stays whole. A word typed
    in part ("ชาวประม" of "ชาวประมง") would otherwise be cut into short pieces ("ชาว",
    "ประ", "ม"), each a prefix found in nearly every long document: slow, and not what was
    typed."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", text).translate(_THAI_DIGITS).lower()
    out: list[str] = []
    for thai, other in _RUNS.findall(text):
        if thai and typed and starts_a_word(thai):
            out.append(thai)
        elif thai:
            out.extend(w for w in segment_thai(thai) if w.strip())
        else:
            out.append(other)
    return out


# A word may start at a consonant or a leading vowel (never inside a leading vowel's pair).
_STARTS = frozenset(chr(c) for c in (*range(0x0E01, 0x0E2F), *range(0x0E40, 0x0E45)))
_LEADING = frozenset("เแโใไ")
COMPOUND_MIN = 6


def _tails(word: str) -> list[str]:
    """The tails of a long Thai compound that start a syllable: "ภาษีรถยนต์" also stands
    for "รถยนต์", so a search for a word inside a dictionary compound finds it."""
    return [
        word[i:]
        for i in range(1, len(word) - 1)
        if word[i] in _STARTS and word[i - 1] not in _LEADING and len(word) - i >= 3
    ]


def segmented(text: str) -> str:
    """The text as indexed: its words, each long Thai compound followed by its tails."""
    out: list[str] = []
    for w in words(text):
        out.append(w)
        if len(w) >= COMPOUND_MIN and w[0] in _STARTS:
            out.extend(_tails(w))
    return " ".join(out)


def query_words(query: str) -> list[str]:
    seen: list[str] = []
    for w in words(query[:200], typed=True):
        if w not in seen:
            seen.append(w)
    return seen[:MAX_QUERY_WORDS]


def fts5_available(connection=default_connection) -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
            cursor.execute("DROP TABLE temp.fts5_probe")
        except Exception:
            return False
    return True


def engine(connection=default_connection) -> str:
    if connection.vendor == "postgresql":
        return "postgres"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'")
        return "fts5" if cursor.fetchone() else "like"


def _tsquery(ws: list[str]) -> str:
    return " & ".join("'" + w.replace("'", "''").replace("\\", "") + "':*" for w in ws)


def _fts5_query(ws: list[str]) -> str:
    return " AND ".join('"' + w.replace('"', '""') + '"*' for w in ws)


def _sql(
    which: str, kind: str, ws: list[str], within_sql: str, within_params: tuple
) -> tuple[str, list]:
    """``(ranked, params)``: the matching documents' object ids best first, each row with the
    number of matches beside it (a page of results and its count are one query); ``ranked``
    takes LIMIT and OFFSET after ``params``.

    ``within_sql`` selects a column ``pk``. Only the database ranks and counts; the caller
    adds LIMIT and OFFSET, so one page of ids leaves it. On SQLite each match's kind and
    consultation are read from the small index ``search_doc_ident`` rather than from the
    document row, whose long body sits before ``consultation_id``, and the consultation is
    looked up by its key (rather than the match compared with a list of every consultation)."""
    if which == "postgres":
        # Title matches first (the small title vector of every match), then the whole
        # document's rank, read only for the best RANK_CANDIDATES by title and recency.
        ranked = f"""WITH m AS MATERIALIZED (
                       SELECT d.id, d.object_id,
                              CASE WHEN d.title_vector @@ q THEN ts_rank(d.title_vector, q)
                              END AS title_rank
                       FROM search_document d, to_tsquery('simple', %s) q
                       WHERE d.kind = %s AND d.vector @@ q
                         AND d.consultation_id IN ({within_sql})),
                     best AS MATERIALIZED (
                       SELECT id FROM m ORDER BY title_rank DESC NULLS LAST, object_id DESC
                       LIMIT {RANK_CANDIDATES}),
                     scored AS MATERIALIZED (
                       SELECT best.id, ts_rank('{{0.1, 0.2, 0.4, 1.0}}', d.vector, q) AS rank
                       FROM best JOIN search_document d ON d.id = best.id,
                            to_tsquery('simple', %s) q)
                     SELECT m.object_id, (SELECT count(*) FROM m)
                     FROM m LEFT JOIN scored ON scored.id = m.id
                     ORDER BY m.title_rank IS NULL, scored.rank DESC NULLS LAST,
                              m.title_rank DESC NULLS LAST, m.object_id DESC LIMIT %s OFFSET %s"""
        return ranked, [_tsquery(ws), kind, *within_params, _tsquery(ws)]
    if which == "fts5":
        match = f"""FROM search_fts
                    JOIN search_document w INDEXED BY search_doc_ident ON w.id = search_fts.rowid
                    WHERE search_fts MATCH %s AND w.kind = %s
                      AND EXISTS (SELECT 1 FROM ({within_sql}) x WHERE x.pk = w.consultation_id)"""
        # Equal scores: the later indexed first. Only the page's rows are read in full.
        ranked = f"""WITH s AS MATERIALIZED (
                       SELECT search_fts.rowid AS doc, bm25(search_fts, 4.0, 1.0) AS score {match})
                     SELECT d.object_id, (SELECT count(*) FROM s)
                     FROM (SELECT doc, score FROM s ORDER BY score, doc DESC LIMIT %s OFFSET %s) f
                     JOIN search_document d ON d.id = f.doc
                     ORDER BY f.score, f.doc DESC"""
        return ranked, [_fts5_query(ws), kind, *within_params]
    like = [f"% {w}%" for w in ws]
    clauses = " AND ".join(["(' ' || d.title || ' ' || d.body || ' ') LIKE %s"] * len(ws))
    where = f"""FROM search_document d
                WHERE d.kind = %s AND {clauses} AND d.consultation_id IN ({within_sql})"""
    ranked = f"""SELECT d.object_id, count(*) OVER () {where}
                 ORDER BY (' ' || d.title) LIKE %s DESC, d.object_id DESC LIMIT %s OFFSET %s"""
    return ranked, [kind, *like, *within_params, like[0]]


@contextmanager
def _cursor(which: str) -> Iterator:
    """A cursor for a search query. On PostgreSQL the documents are matched through the GIN
    index only: the planner does not count the cost of reading each document's vector out of
    line (tens of kilobytes to decompress), so for a common word it would rather scan the
    table and read every vector; the bitmap of the index decides without reading one."""
    if which != "postgres":
        with default_connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(), default_connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        yield cursor


def ranked_page(
    kind: str,
    query: str,
    *,
    within_sql: str,
    within_params: tuple,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[int], int | None]:
    """Object ids of the documents of ``kind`` matching ``query`` whose consultation is in
    the subquery ``within_sql``, best first: ``limit`` of them after the first ``offset``;
    and how many documents match (``None`` when the page is empty past the first: unknown)."""
    ws = query_words(query)
    if not ws:
        return [], 0
    if limit <= 0:
        return [], None
    which = engine()
    ranked, params = _sql(which, kind, ws, within_sql, within_params)
    with _cursor(which) as cursor:
        cursor.execute(ranked, (*params, limit, max(0, offset)))
        rows = cursor.fetchall()
    if not rows:
        return [], 0 if offset <= 0 else None
    return [int(row[0]) for row in rows], int(rows[0][1])
