"""A readable top level over fine themes: 5-12 top themes per language, each with sub-themes.

Theme discovery may split a consultation finely (dozens of themes when people wrote about
eight things). Nobody reads 34 themes in a report, so the fine themes are grouped: each fine
theme is the centroid of its comments' TF-IDF vectors, and centroids are merged by average-
linkage agglomerative clustering on cosine distance (scipy). The number of top themes per
language is chosen in ``[MIN_TOP, MAX_TOP]`` by the silhouette of the fine themes (weighted by
their size) in that cut, a criterion that does not reward fragmentation; a language with at
most ``MAX_TOP`` fine themes keeps them as they are (each is its own top theme).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from analytics.text import detect_language, tokenize_many

MIN_TOP = 5
MAX_TOP = 12


@dataclass
class TopTheme:
    id: int  # 1..n, largest first
    language: str
    fine_ids: list[int]  # the fine themes' ids, largest first
    size: int
    label: str
    terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "fine_ids": list(self.fine_ids),
            "size": self.size,
            "label": self.label,
            "terms": list(self.terms),
        }


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def choose_groups(
    centroids: np.ndarray,
    sizes: Sequence[int],
    *,
    min_top: int = MIN_TOP,
    max_top: int = MAX_TOP,
) -> np.ndarray:
    """A group number (0..g-1) for every centroid (rows L2-normalised)."""
    k = len(centroids)
    if k <= max_top:
        return np.arange(k)
    distances = pdist(centroids, metric="cosine")
    distances = np.nan_to_num(np.clip(distances, 0, 2), nan=1.0)
    tree = linkage(distances, method="average")
    square = squareform(distances)
    weights = np.asarray(sizes, dtype=float)
    best, best_score = None, -np.inf
    for g in range(min(min_top, k), min(max_top, k) + 1):
        labels = fcluster(tree, t=g, criterion="maxclust") - 1
        score = _weighted_silhouette(square, labels, weights)
        if score > best_score + 1e-9:
            best, best_score = labels, score
    assert best is not None
    return _renumber(best)


def _weighted_silhouette(d: np.ndarray, labels: np.ndarray, w: np.ndarray) -> float:
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    scores = np.zeros(len(labels))
    for i in range(len(labels)):
        own = labels == labels[i]
        own_others = own.copy()
        own_others[i] = False
        if not own_others.any():
            continue  # a singleton scores 0
        a = np.average(d[i, own_others], weights=w[own_others])
        b = min(
            np.average(d[i, labels == g], weights=w[labels == g]) for g in groups if g != labels[i]
        )
        scores[i] = (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return float(np.average(scores, weights=w))


def _renumber(labels: np.ndarray) -> np.ndarray:
    mapping: dict[int, int] = {}
    out = np.empty_like(labels)
    for i, label in enumerate(labels):
        out[i] = mapping.setdefault(int(label), len(mapping))
    return out


def theme_hierarchy(
    themes: Sequence[Mapping[str, Any]],
    texts: Mapping[str, str],
    *,
    min_top: int = MIN_TOP,
    max_top: int = MAX_TOP,
    sample: int = 200,
) -> list[TopTheme]:
    """Top themes over ``themes`` (fine themes as a run stores them: ``id``, ``size``,
    ``comment_ids``, ``terms``), using ``texts`` (comment id -> text) for the centroids.

    At most ``sample`` comments per fine theme are read (the first ones, in input order)."""
    if not themes:
        return []
    members = [[cid for cid in t["comment_ids"] if cid in texts][:sample] for t in themes]
    languages = []
    for ids in members:
        votes = Counter(detect_language(texts[cid]) for cid in ids[:25])
        languages.append("th" if votes.get("th", 0) >= votes.get("en", 0) else "en")
    flat = [texts[cid] for ids in members for cid in ids]
    tops: list[TopTheme] = []
    try:
        x = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(
            tokenize_many(flat)
        )
    except ValueError:  # no words at all: every fine theme is its own top theme
        x = None
    start = 0
    centroids = []
    for ids in members:
        if x is None or not ids:
            centroids.append(None)
        else:
            block = x[start : start + len(ids)]
            centroids.append(np.asarray(block.mean(axis=0)).ravel())
        start += len(ids)
    for language in ("th", "en"):
        idx = [i for i, lang in enumerate(languages) if lang == language]
        if not idx:
            continue
        with_vec = [i for i in idx if centroids[i] is not None]
        without = [i for i in idx if centroids[i] is None]
        groups: list[list[int]] = []
        if with_vec:
            c = l2_normalize(np.vstack([centroids[i] for i in with_vec]))
            labels = choose_groups(
                c, [themes[i]["size"] for i in with_vec], min_top=min_top, max_top=max_top
            )
            for g in range(int(labels.max()) + 1):
                groups.append([with_vec[j] for j in np.flatnonzero(labels == g)])
        groups.extend([i] for i in without)
        for group in groups:
            group.sort(key=lambda i: -themes[i]["size"])
            terms: list[str] = []
            for i in group:
                for term in themes[i].get("terms", [])[:3]:
                    if term not in terms:
                        terms.append(term)
            head = themes[group[0]]
            tops.append(
                TopTheme(
                    id=0,
                    language=language,
                    fine_ids=[int(themes[i]["id"]) for i in group],
                    size=sum(int(themes[i]["size"]) for i in group),
                    label=str(head.get("label") or " · ".join(terms[:3])),
                    terms=terms[:6],
                )
            )
    tops.sort(key=lambda t: (-t.size, t.fine_ids[0]))
    for number, top in enumerate(tops, start=1):
        top.id = number
    return tops
