"""Written summaries without a language model: sentences taken from the comments themselves.

``split_sentences`` cuts a comment into sentences. Thai is written without full stops: a space
usually ends a clause, but not always (after ``ๆ``, before a connective such as ``และ`` or
``เพราะ``, around numbers and short particles), so a space between two Thai letters is a
boundary only when both sides are long enough to stand alone and the next piece does not start
with a connective. Latin text is cut after ``.``, ``!`` or ``?`` followed by a space.
(PyThaiNLP's CRF sentence model needs ``python-crfsuite``, which this project does not ship;
these rules give the same cuts on comments, which are short.)

``summarise`` picks 2-4 sentences that are central to a theme and cover its distinct points:
sentence-level TF-IDF (the analysis tokeniser, so Thai is segmented), relevance = cosine to
the theme's centroid, and Maximal Marginal Relevance (Carbonell & Goldstein, 1998) so that a
sentence too close to one already chosen is passed over. Each chosen sentence keeps the ids of
every comment it appears in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics.text import normalize, tokenize

_THAI = "\u0e01-\u0e4e"  # Thai letters, vowels and marks (not digits, not ๆ U+0E46 handled below)
_LATIN_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_SPACE = re.compile(r"\s+")
# A piece starting with one of these continues the sentence before it.
CONNECTIVES = (
    "และ",
    "แต่",
    "หรือ",
    "ซึ่ง",
    "เพราะ",
    "เนื่องจาก",
    "โดย",
    "เช่น",
    "จึง",
    "ก็",
    "เพื่อ",
    "ถ้า",
    "หาก",
    "แล้ว",
    "ว่า",
    "กับ",
    "ของ",
    "ให้",
    "ที่",
    "ใน",
    "คือ",
    "ได้แก่",
    "รวมถึง",
    "อย่าง",
    "ครับ",
    "ค่ะ",
    "คะ",
    "นะ",
)
MIN_PIECE = 12  # characters: a shorter piece is glued to its neighbour
MIN_SENTENCE_TOKENS = 2


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e" and ch != "\u0e46"


def split_sentences(text: str) -> list[str]:
    """The sentences of one comment, in order, without surrounding spaces."""
    out: list[str] = []
    for line in text.splitlines():
        for chunk in _LATIN_END.split(line.strip()):
            out.extend(_split_thai(chunk))
    return [s for s in out if s]


def _split_thai(chunk: str) -> list[str]:
    parts = _SPACE.split(chunk.strip())
    if not parts or parts == [""]:
        return []
    sentences = [parts[0]]
    for piece in parts[1:]:
        prev = sentences[-1]
        boundary = (
            _is_thai(prev[-1])
            and _is_thai(piece[0])
            and len(prev) >= MIN_PIECE
            and len(piece) >= MIN_PIECE
            and not piece.startswith(CONNECTIVES)
        )
        if boundary:
            sentences.append(piece)
        else:
            sentences[-1] = f"{prev} {piece}"
    # a short tail (a particle, "ครับ", a number) belongs to the sentence before it
    if len(sentences) > 1 and len(sentences[-1]) < MIN_PIECE:
        tail = sentences.pop()
        sentences[-1] = f"{sentences[-1]} {tail}"
    return sentences


@dataclass
class SummarySentence:
    text: str
    comment_ids: list[str]  # every comment the sentence appears in, in input order
    relevance: float = 0.0


@dataclass
class Summary:
    sentences: list[SummarySentence] = field(default_factory=list)
    redundancy: float = 0.0  # the largest cosine similarity between two chosen sentences

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def summarise(
    comments: Sequence[tuple[str, str]],
    *,
    max_sentences: int = 4,
    min_sentences: int = 2,
    diversity: float = 0.4,
    max_similarity: float = 0.5,
    max_candidates: int = 5000,
) -> Summary:
    """2-4 sentences from ``comments`` ((id, text) pairs) that are central and do not repeat.

    ``diversity`` is the MMR weight of novelty against relevance; a candidate whose cosine to a
    chosen sentence exceeds ``max_similarity`` is never taken. Identical sentences (after
    normalisation, e.g. in a form letter) are one candidate carrying every comment id.
    """
    by_norm: dict[str, SummarySentence] = {}
    weight: dict[str, int] = {}
    for cid, text in comments:
        for sentence in split_sentences(text):
            key = normalize(sentence)
            if not key:
                continue
            found = by_norm.get(key)
            if found is None:
                by_norm[key] = SummarySentence(text=sentence, comment_ids=[cid])
                weight[key] = 1
            elif not found.comment_ids or found.comment_ids[-1] != cid:
                found.comment_ids.append(cid)
                weight[key] += 1
    keys = [k for k in by_norm if len(tokenize(k, normalized=True)) >= MIN_SENTENCE_TOKENS]
    if not keys:
        keys = list(by_norm)
    if not keys:
        return Summary()
    if len(keys) > max_candidates:  # the most repeated first, then the order they came in
        keys = sorted(keys, key=lambda k: -weight[k])[:max_candidates]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    try:
        x = vectorizer.fit_transform([tokenize(k, normalized=True) for k in keys])
    except ValueError:  # no informative word at all
        return Summary(sentences=[by_norm[keys[0]]])
    w = np.array([weight[k] for k in keys], dtype=float)
    centroid = np.asarray(x.T @ w).ravel()
    norm = np.linalg.norm(centroid)
    if norm:
        centroid /= norm
    relevance = np.asarray(x @ centroid).ravel()
    closest = np.zeros(len(keys))  # cosine to the nearest chosen sentence
    chosen: list[int] = []
    redundancy = 0.0
    while len(chosen) < min(max_sentences, len(keys)):
        score = (1 - diversity) * relevance - diversity * closest
        score[chosen] = -np.inf
        score[closest > max_similarity] = -np.inf
        best = int(np.argmax(score))
        if not np.isfinite(score[best]):
            break
        if len(chosen) >= min_sentences and relevance[best] < 0.5 * relevance[chosen[0]]:
            break
        redundancy = max(redundancy, float(closest[best]))
        chosen.append(best)
        closest = np.maximum(closest, np.asarray((x @ x[best].T).todense()).ravel())
    sentences = []
    for i in chosen:
        s = by_norm[keys[i]]
        sentences.append(
            SummarySentence(text=s.text, comment_ids=s.comment_ids, relevance=float(relevance[i]))
        )
    return Summary(sentences=sentences, redundancy=round(redundancy, 4))
