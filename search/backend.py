"""Thai-aware full-text search over pre-segmented text.

Thai has no spaces between words, so a database's own word splitting cannot find a word
inside a sentence. Every text is segmented here (PyThaiNLP's dictionary, through the same
segmenter as the analytics) and stored with spaces between words; the query is segmented the
same way. Each query word matches as a prefix (a partial word typed without a typo still
finds the whole word), and all query words must appear somewhere in the document (a
consultation's title, summary, agency and all its sections are one document).

- PostgreSQL: ``to_tsvector('simple', ...)`` in a generated column, a GIN index,
  ``ts_rank_cd`` with the title weighted over the body.
- SQLite: an FTS5 table (``unicode61`` keeping Thai vowel and tone marks inside words),
  ``bm25`` with the same weighting.
- Neither available (SQLite built without FTS5): every query word must appear in the
  segmented text (a ``LIKE`` match), ranked by title first.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection as default_connection

from analytics.text import segment_thai

_RUNS = re.compile(r"([\u0E01-\u0E4E]+)|([^\W_]+)", re.UNICODE)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MAX_QUERY_WORDS = 8


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``; Thai runs segmented into dictionary words."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", text).translate(_THAI_DIGITS).lower()
    out: list[str] = []
    for thai, other in _RUNS.findall(text):
        if thai:
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
    for w in words(query[:200]):
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


def ranked_ids(
    kind: str, query: str, *, within_sql: str, within_params: tuple, limit: int = 200
) -> list[tuple[int, int]]:
    """``(object id, consultation id)`` of the best ``limit`` documents of ``kind`` matching
    ``query`` whose consultation is in the subquery ``within_sql``; best first."""
    ws = query_words(query)
    if not ws:
        return []
    which = engine()
    with default_connection.cursor() as cursor:
        if which == "postgres":
            cursor.execute(
                f"""SELECT d.object_id, d.consultation_id
                    FROM search_document d, to_tsquery('simple', %s) q
                    WHERE d.kind = %s AND d.vector @@ q AND d.consultation_id IN ({within_sql})
                    ORDER BY ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', d.vector, q) DESC, d.object_id DESC
                    LIMIT %s""",
                (_tsquery(ws), kind, *within_params, limit),
            )
        elif which == "fts5":
            cursor.execute(
                f"""SELECT d.object_id, d.consultation_id
                    FROM search_fts JOIN search_document d ON d.id = search_fts.rowid
                    WHERE search_fts MATCH %s AND d.kind = %s
                      AND d.consultation_id IN ({within_sql})
                    ORDER BY bm25(search_fts, 4.0, 1.0), d.object_id DESC
                    LIMIT %s""",
                (_fts5_query(ws), kind, *within_params, limit),
            )
        else:
            clauses = " AND ".join(["(' ' || d.title || ' ' || d.body || ' ') LIKE %s"] * len(ws))
            like = [f"% {w}%" for w in ws]
            cursor.execute(
                f"""SELECT d.object_id, d.consultation_id FROM search_document d
                    WHERE d.kind = %s AND {clauses} AND d.consultation_id IN ({within_sql})
                    ORDER BY (' ' || d.title) LIKE %s DESC, d.object_id DESC LIMIT %s""",
                (kind, *like, *within_params, like[0], limit),
            )
        return [(int(a), int(b)) for a, b in cursor.fetchall()]
