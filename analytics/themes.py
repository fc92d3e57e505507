"""Theme discovery over public comments (Thai and English) with scikit-learn.

Pure Python, no Django. Every figure traces back to comment ids.

Pipeline
--------
1. Campaigns weigh once: members of a campaign other than its representative are left out
   of fitting and later get their representative's theme.
2. Text -> informative tokens (``analytics.text``; stance words such as "agree" and
   "เห็นด้วย" left out: stance is a field of its own), hashed into a sparse count matrix with a
   ``HashingVectorizer`` (stateless, so large inputs are tokenised by worker processes).
   Words found in fewer than ``min_df`` comments or in more than half of them are dropped.
3. Features: sublinear TF-IDF of the words, side by side with sublinear TF-IDF of the
   character 2- and 3-grams inside those words (sub-words: "smoke"/"smoking", Thai compounds
   segmented differently). Measured on the labelled sets in ``bench/data`` at the true number
   of topics: NMI 0.23 -> 0.28 (Thai), 0.26 -> 0.28 (English), and on hard planted sets
   0.87 -> 0.94 (Thai), 0.86 -> 0.90 (English).
4. LSA: ``TruncatedSVD`` (20-100 dimensions, fitted on at most 25,000 comments and applied to
   all, by chunks), rows L2-normalised, so that k-means on them is cosine clustering.
5. Thai and English comments share no words: left together, the most stable split would be
   the two languages. Comments whose tokens are mostly Thai and the others are clustered
   separately, each with its own number of themes.
6. Number of themes, when not given: the most reproducible k (k-means on pairs of random 80%
   subsamples agree, by adjusted Rand index), or the best silhouette when no k is
   reproducible; see ``_choose_k``.
7. k-means, seeded (beyond 20,000 comments: fitted on a sample of 20,000, all comments
   assigned to the nearest centroid, refined by two passes of Lloyd updates on all of them).
8. Per theme: distinctive terms (the largest contributions ``p(t|c) log(p(t|c)/p(t))``), a
   label from the top three, stance / section / per-day counts, representatives chosen by
   maximal marginal relevance (close to the centroid, different from each other) and 2-D map
   coordinates (PCA of the themes' mean TF-IDF word vectors).

Comments with no informative token (empty, "+1", "555", "เห็นด้วยค่ะ") or whose only tokens are
too rare to mean anything go to ``unassigned_ids``. Every input id is in exactly one theme or
in ``unassigned_ids``. Same input and seed -> identical output.
"""

from __future__ import annotations

import math
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import normalize as l2_normalize
from threadpoolctl import threadpool_limits

from analytics.campaigns import Campaign
from analytics.text import engine, map_chunks, pool_size, tokenize_many

__all__ = ["STANCES", "Theme", "ThemeInput", "ThemeResult", "find_themes"]

STANCES = ("support", "oppose", "neutral", "suggestion")
UNSPECIFIED = "unspecified"

# Words that say where a commenter stands, not what about: stance is a separate field.
_STANCE_WORDS = frozenset(
    """
    agree disagree agreed oppose opposed support supported object objection favor favour
    approve disapprove reject เห็นด้วย เห็นชอบ คัดค้าน ค้าน ไม่เห็นด้วย
    """.split()
)

_N_FEATURES = 2**20
_CHUNK = 20_000  # comments tokenised and hashed per step
_SVD_FIT_MAX = 25_000  # LSA is fitted on at most this many comments, then applied to all
_KMEANS_FULL_MAX = 20_000  # beyond this, k-means is fitted on a sample
_SELECT_SAMPLE = 1_000  # comments used to choose the number of themes
_STABLE_ENOUGH = 0.6
_MAX_THEMES = 40
_LSA_DIMS = 100


@dataclass(frozen=True)
class ThemeInput:
    """One comment to analyse."""

    id: str
    text: str
    stance: str = ""  # support / oppose / neutral / suggestion, or ""
    section: str = ""  # the section of the draft commented on, or ""
    created: datetime | None = None


@dataclass
class Theme:
    """A group of comments about the same thing."""

    id: int
    label: str
    terms: list[str]
    size: int
    share: float  # size / number of input comments
    stance: dict[str, int]  # support/oppose/neutral/suggestion/unspecified -> count
    sections: dict[str, int]  # section -> count (comments without a section not counted)
    comment_ids: list[str]  # input order
    representative_ids: list[str]
    trend: dict[str, int]  # ISO day -> count (empty if no dates were given)
    x: float
    y: float
    campaign_ids: list[int] = field(default_factory=list)  # campaigns inside this theme


THEMES_FOUND = "found"
NOT_ENOUGH_TEXT = "not_enough_text"


@dataclass
class ThemeResult:
    """Themes (largest first, ids 1..n), the comments in none, and how they were found.

    ``params`` records the parameters and decisions: seed, segmenter, ``min_df``, how many
    comments were folded into campaigns and clustered, per language (``languages``) the
    numbers of words and sub-words, LSA dimensions, the stability and silhouette of every k
    tried and how k was chosen, and wall-clock ``seconds`` per stage.
    """

    themes: list[Theme]
    unassigned_ids: list[str]
    n_themes_chosen: int
    params: dict[str, Any]

    @property
    def status(self) -> str:
        """ "found", or "not_enough_text" when the comments gave no theme (too few, too
        short, or only words every comment uses, such as "agree, thank you")."""
        return THEMES_FOUND if self.themes else NOT_ENOUGH_TEXT

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "themes": [asdict(t) for t in self.themes],
            "unassigned_ids": list(self.unassigned_ids),
            "n_themes_chosen": self.n_themes_chosen,
            "params": dict(self.params),
        }


def find_themes(
    items: Sequence[ThemeInput],
    *,
    n_themes: int | None = None,
    seed: int = 0,
    campaigns: Sequence[Campaign] = (),
) -> ThemeResult:
    """Discover themes in ``items``; ``n_themes=None`` lets the data choose how many."""
    n = len(items)
    ids = [it.id for it in items]
    if len(set(ids)) != n:
        raise ValueError("item ids must be unique")
    if n_themes is not None and n_themes < 1:
        raise ValueError("n_themes must be >= 1")
    # One BLAS/OpenMP thread, whatever the machine: identical results everywhere, and no
    # oversubscription. Measured on a shared 2-core machine: k-means on 20,000 x 100 took
    # 1.6 s on one thread and 18.7 s on two (OpenMP threads spinning while the other core was
    # busy). The parallel work is tokenising, in worker processes (analytics.text.map_chunks).
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # k-means on fewer distinct comments than k: empty themes are dropped afterwards
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _find_themes(items, ids, n_themes, seed, campaigns)


def _find_themes(
    items: Sequence[ThemeInput],
    ids: list[str],
    n_themes: int | None,
    seed: int,
    campaigns: Sequence[Campaign],
) -> ThemeResult:
    n = len(items)
    params: dict[str, Any] = {
        "threads": 1,
        "workers": pool_size(n, _CHUNK),
        "seed": seed,
        "n_items": n,
        "segmenter": engine(),
        "features": f"hashing({_N_FEATURES}) + sublinear tf-idf",
    }

    # 1. campaign members weigh once: fit on representatives and unique comments only
    index = {id_: i for i, id_ in enumerate(ids)}
    rep_of = np.arange(n)
    campaign_of: dict[int, int] = {}
    for c in campaigns:
        present = [index[m] for m in c.member_ids if m in index]
        if not present:
            continue
        rep = index.get(c.representative_id, present[0])
        for m in present:
            rep_of[m] = rep
        campaign_of[rep] = c.id
    fit_idx = np.flatnonzero(rep_of == np.arange(n))
    params["n_folded_campaign_members"] = int(n - len(fit_idx))

    # 2. tokens -> hashed word counts; informative = at least one word of the vocabulary
    clock = _Clock()
    raw, term_of, n_tokens, thai_share = _count_matrix([items[i].text for i in fit_idx])
    clock.lap("tokens")
    n_fit = len(fit_idx)
    # a word must be shared to count, except in tiny consultations where every word does
    min_df = 1 if n_fit < 50 else 2 if n_fit < 100_000 else 3
    max_df = 0.5
    word_cols = _kept_columns(raw, min_df, max_df)
    informative = (np.asarray(raw[:, word_cols].getnnz(axis=1)) > 0) & (n_tokens > 0)
    rows = np.flatnonzero(informative)
    docs = fit_idx[rows]  # item index of every clustered comment
    raw, thai_share = raw[rows], thai_share[rows]
    params.update(min_df=min_df, max_df=max_df, n_fit=int(n_fit), n_clustered=int(len(docs)))

    # 3. per language: features (words + sub-word n-grams, tf-idf) -> LSA -> k-means.
    # Thai and English comments share no words, so together the most stable "themes" would
    # be the two languages; each language is clustered on its own instead.
    groups = _language_groups(thai_share)
    quotas = _quotas(n_themes, [len(g) for _, g in groups])
    if quotas is None:  # fewer themes asked for than there are languages: cluster together
        groups, quotas = [("all", np.arange(len(docs)))], [n_themes]
    labels = np.zeros(len(docs), dtype=np.int64)
    emb_of: dict[int, np.ndarray] = {}  # theme -> embeddings of its clustered comments
    center_of: dict[int, np.ndarray] = {}
    params["languages"] = {}
    dropped = np.zeros(len(docs), dtype=bool)
    k = 0
    for (language, g_rows), quota in zip(groups, quotas, strict=True):
        g_params: dict[str, Any] = {"n_clustered": int(len(g_rows))}
        emb = _embed(raw[g_rows], word_cols, term_of, min_df, max_df, seed, g_params)
        clock.lap("features")
        if emb is None:  # no usable word or sub-word in this group: its comments stay out
            g_params["n_themes"] = 0
            params["languages"][language] = g_params
            dropped[g_rows] = True
            continue
        g_labels, centers, g_k, sel = _cluster(emb, quota, seed, clock)
        g_params.update(sel, n_themes=g_k)
        params["languages"][language] = g_params
        labels[g_rows] = g_labels + k
        for c in range(g_k):
            emb_of[k + c] = emb[g_labels == c]
            center_of[k + c] = centers[c]
        k += g_k

    if dropped.any():
        kept = ~dropped
        docs, raw, labels = docs[kept], raw[kept], labels[kept]
        params["n_clustered"] = int(len(docs))

    # 4. spread the labels back to campaign members, collect the unassigned
    theme_of = np.full(n, -1, dtype=np.int64)
    theme_of[docs] = labels
    theme_of = theme_of[rep_of]
    unassigned_ids = [ids[i] for i in np.flatnonzero(theme_of < 0)]

    # 5. describe the themes
    words = raw[:, word_cols].tocsr()
    vocabulary = [term_of.get(int(c), "") for c in word_cols]
    terms = _distinctive_terms(words, labels, k, vocabulary)
    coords = _map_coordinates(words, labels, k)
    themes: list[tuple[int, Theme]] = []
    for c in range(k):
        member_idx = np.flatnonzero(theme_of == c)
        if len(member_idx) == 0:
            continue
        rows_c = np.flatnonzero(labels == c)
        reps = _representatives(emb_of[c], center_of[c], words[rows_c])
        theme_terms = terms[c]
        themes.append(
            (
                int(member_idx[0]),
                Theme(
                    id=0,
                    label=_label(theme_terms),
                    terms=theme_terms,
                    size=len(member_idx),
                    share=round(len(member_idx) / n, 6),
                    stance=_stance_counts(items, member_idx),
                    sections=_section_counts(items, member_idx),
                    comment_ids=[ids[i] for i in member_idx],
                    representative_ids=[ids[docs[rows_c[r]]] for r in reps],
                    trend=_trend(items, member_idx),
                    x=float(coords[c, 0]),
                    y=float(coords[c, 1]),
                    campaign_ids=sorted(campaign_of[r] for r in docs[rows_c] if r in campaign_of),
                ),
            )
        )
    themes.sort(key=lambda ft: (-ft[1].size, ft[0]))
    for number, (_, theme) in enumerate(themes, start=1):
        theme.id = number
    clock.lap("describe")
    params["seconds"] = clock.laps
    return ThemeResult(
        themes=[theme for _, theme in themes],
        unassigned_ids=unassigned_ids,
        n_themes_chosen=len(themes),
        params=params,
    )


def _language_groups(thai_share: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Rows whose tokens are mostly Thai, and the others (English), the larger group first."""
    thai = thai_share >= 0.5
    groups = [("th", np.flatnonzero(thai)), ("en", np.flatnonzero(~thai))]
    groups = [g for g in groups if len(g[1])]
    groups.sort(key=lambda g: -len(g[1]))
    return groups or [("all", np.zeros(0, dtype=np.int64))]


def _quotas(n_themes: int | None, sizes: list[int]) -> list[int | None] | None:
    """Themes per language when the total is given: proportional to size, at least one each.

    ``None`` (the caller clusters all languages together) when fewer themes are asked for than
    there are languages; a list of ``None`` when the data chooses.
    """
    if n_themes is None:
        return [None] * len(sizes)
    if n_themes < len(sizes):
        return None
    total = sum(sizes)
    exact = [n_themes * s / total for s in sizes]
    quota = [max(1, math.floor(e)) for e in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
    for i in by_remainder[: max(0, n_themes - sum(quota))]:
        quota[i] += 1
    while sum(quota) > n_themes:  # the at-least-one rule overshot
        i = max((j for j in range(len(quota)) if quota[j] > 1), key=lambda j: quota[j])
        quota[i] -= 1
    return list(quota)


class _Clock:
    """Wall-clock seconds per stage, reported in ``params["seconds"]``."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self._last, 3)
        self._last = now


# --- features -----------------------------------------------------------------------------


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _hasher() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer=_identity,
        n_features=_N_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )


def _chunk_counts(
    texts: Sequence[str],
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, Counter[str]]:
    """One chunk: hashed term counts, tokens per comment, Thai share of them, term frequencies."""
    token_lists = [[t for t in tokens if t not in _STANCE_WORDS] for tokens in tokenize_many(texts)]
    n_tokens = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    n_thai = np.fromiter(
        (sum("\u0e00" < t[0] < "\u0e80" for t in tokens) for tokens in token_lists),
        dtype=np.int64,
        count=len(token_lists),
    )
    term_df: Counter[str] = Counter()
    for tokens in token_lists:
        term_df.update(set(tokens))
    thai_share = n_thai / np.maximum(n_tokens, 1)
    return _hasher().transform(token_lists), n_tokens, thai_share, term_df


def _count_matrix(
    texts: Sequence[str],
) -> tuple[sp.csr_matrix, dict[int, str], np.ndarray, np.ndarray]:
    """Hashed term counts (comments x 2^20), column -> most frequent term, tokens per comment
    and the share of them that are Thai. Large inputs are tokenised in worker processes."""
    parts = map_chunks(_chunk_counts, texts, _CHUNK)
    if not parts:
        empty = np.zeros(0)
        return sp.csr_matrix((0, _N_FEATURES), dtype=np.float32), {}, empty, empty
    counts = sp.vstack([p[0] for p in parts], format="csr")
    n_tokens = np.concatenate([p[1] for p in parts])
    thai_share = np.concatenate([p[2] for p in parts])
    term_df: Counter[str] = Counter()
    for part in parts:
        term_df.update(part[3])
    # the readable term of each column (hash collisions: the most frequent term wins)
    terms = sorted(term_df, key=lambda t: (-term_df[t], t))
    term_of: dict[int, str] = {}
    if terms:
        cols = _hasher().transform([[t] for t in terms]).indices
        for col, term in zip(cols.tolist(), terms, strict=True):
            term_of.setdefault(col, term)
    return counts, term_of, n_tokens, thai_share


def _kept_columns(counts: sp.csr_matrix, min_df: int, max_df: float) -> np.ndarray:
    """Columns of terms found in at least ``min_df`` and at most ``max_df`` of the rows."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.flatnonzero((df >= min_df) & (df <= max(max_df * n, min_df)))


def _ngram_map(term_of: dict[int, str]) -> sp.csr_matrix:
    """Word column -> counts of its character 2- and 3-grams (word padded with spaces).

    Applied to the word counts of a comment (a sparse product) it gives the comment's
    sub-word counts, each distinct word being cut into n-grams once. Sub-words make "smoke",
    "smoking" and "smoky", or Thai compounds segmented differently ("ควันดำ", "ควัน"), similar.
    """
    cols = sorted(term_of)
    grams: list[list[str]] = []
    for c in cols:
        padded = f" {term_of[c]} "
        grams.append([padded[i : i + n] for n in (2, 3) for i in range(len(padded) - n + 1)])
    per_word = _hasher().transform(grams).tocoo()
    rows = np.asarray(cols, dtype=np.int64)[per_word.row]
    return sp.csr_matrix(
        (per_word.data, (rows, per_word.col)), shape=(_N_FEATURES, _N_FEATURES), dtype=np.float32
    )


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf (1 + ln tf) times idf, rows L2-normalised (as TfidfTransformer does)."""
    if counts.shape[1] == 0:  # no word (or no sub-word) kept: nothing to weigh
        return sp.csr_matrix(counts.shape, dtype=np.float32)
    x = counts.astype(np.float32, copy=True)
    np.log(x.data, out=x.data)
    x.data += 1.0
    x = x.multiply(idf[None, :]).tocsr()
    return l2_normalize(x)


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _embed(
    raw: sp.csr_matrix,
    word_cols: np.ndarray,
    term_of: dict[int, str],
    min_df: int,
    max_df: float,
    seed: int,
    params: dict[str, Any],
) -> np.ndarray | None:
    """LSA embedding of every row: [tf-idf words | tf-idf character n-grams], L2-normalised.

    Built by chunks of rows, so that the n-gram matrix of a large corpus never exists whole;
    the SVD, and the document frequencies of the n-grams, come from at most ``_SVD_FIT_MAX``
    rows (a seeded sample) and the SVD is applied to all.
    """
    n = raw.shape[0]
    if n == 0:
        return np.zeros((0, 2), dtype=np.float32)
    grams = _ngram_map(term_of)
    chunks = [slice(a, min(a + _CHUNK, n)) for a in range(0, n, _CHUNK)]
    word_df = np.bincount(raw[:, word_cols].indices, minlength=len(word_cols))
    used = word_df > 0  # the other language's words are absent from this group
    word_cols, idf_w = word_cols[used], _idf(word_df[used], n)
    # sub-word document frequencies: on the rows the SVD is fitted on (all, or a sample)
    fit_rows = (
        np.arange(n)
        if n <= _SVD_FIT_MAX
        else np.sort(np.random.default_rng(seed).choice(n, _SVD_FIT_MAX, replace=False))
    )
    m = len(fit_rows)
    gram_df = np.bincount((raw[fit_rows] @ grams).indices, minlength=_N_FEATURES)
    gram_cols = np.flatnonzero((gram_df >= min_df) & (gram_df <= max(max_df * m, min_df)))
    idf_g = _idf(gram_df[gram_cols], m)

    def features(rows: slice | np.ndarray) -> sp.csr_matrix:
        part = raw[rows]
        words = _tfidf(part[:, word_cols], idf_w)
        subwords = _tfidf((part @ grams)[:, gram_cols], idf_g)
        return l2_normalize(sp.hstack([words, subwords], format="csr"))

    n_features = len(word_cols) + len(gram_cols)
    if n_features == 0:
        return None
    # about one dimension per ten comments, 20..100: measured on bench/data, few dimensions
    # generalise better on small sets of short comments, 100 is the usual LSA size
    dims = int(min(max(20, min(_LSA_DIMS, n // 10)), n - 1, n_features - 1))
    params.update(n_words=int(len(word_cols)), n_subwords=int(len(gram_cols)))
    if dims < 2:  # a handful of comments: the tf-idf vectors themselves
        params["lsa_components"] = 0
        return features(slice(0, n)).toarray().astype(np.float32)
    params["lsa_components"] = dims
    svd = TruncatedSVD(n_components=dims, random_state=seed)
    if m == n:
        return l2_normalize(svd.fit_transform(features(fit_rows))).astype(np.float32)
    svd.fit(features(fit_rows))
    emb = np.empty((n, dims), dtype=np.float32)
    for sl in chunks:
        emb[sl] = l2_normalize(svd.transform(features(sl)))
    return emb


def _k_candidates(n: int) -> list[int]:
    """Candidate numbers of themes: 2 .. about 2 * n^(1/3), at most 40, sparser when large."""
    k_max = int(min(_MAX_THEMES, max(2, round(2.0 * n ** (1.0 / 3.0))), max(2, n // 3)))
    steps = [*range(2, 13), 14, 16, 18, 20, 24, 28, 32, 36, 40]
    return [k for k in steps if k <= k_max]


def _kmeans(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Final labels: best of several seeded k-means runs; on large sets, fitted on a sample.

    Beyond ``_KMEANS_FULL_MAX`` rows, k-means is fitted on a random sample of that size, every
    row is assigned to its nearest centroid, and two passes of (cosine) Lloyd updates on all
    rows refine the centroids: the themes of a million comments in seconds.
    """
    n = len(x)
    if n <= _KMEANS_FULL_MAX:
        model = KMeans(n_clusters=k, random_state=seed, n_init=10 if n <= 5_000 else 3)
        return model.fit(x).labels_.astype(np.int64)
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, _KMEANS_FULL_MAX, replace=False))
    centers = KMeans(n_clusters=k, random_state=seed, n_init=3).fit(x[sample]).cluster_centers_
    labels = _nearest(x, centers)
    rows = np.arange(n)
    for _ in range(2):
        onehot = sp.csr_matrix((np.ones(n, dtype=np.float32), (labels, rows)), shape=(k, n))
        sums = np.asarray(onehot @ x, dtype=np.float64)
        empty = ~sums.any(axis=1)
        sums[empty] = centers[empty]
        centers = l2_normalize(sums)
        labels = _nearest(x, centers)
    return labels


def _nearest(x: np.ndarray, centers: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """Index of the most similar centroid for every row (rows and centroids unit-norm)."""
    centers = centers.astype(np.float32)
    out = np.empty(len(x), dtype=np.int64)
    for a in range(0, len(x), chunk):
        out[a : a + chunk] = np.argmax(x[a : a + chunk] @ centers.T, axis=1)
    return out


def _cluster(
    emb: np.ndarray, n_themes: int | None, seed: int, clock: _Clock
) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    """Labels, unit-norm centroids, k and the record of how k was chosen."""
    n = len(emb)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros((0, emb.shape[1])), 0, {}
    sel: dict[str, Any] = {}
    if n_themes is not None:
        k = min(n_themes, n)
        sel["k_selection"] = "given"
    elif n < 8:
        k = 1
        sel["k_selection"] = "too few comments to split"
    else:
        k, sel = _choose_k(emb, seed)
    clock.lap("choose_k")
    if k == 1:
        labels = np.zeros(n, dtype=np.int64)
    else:
        labels = _kmeans(emb, k, seed)
    _, labels = np.unique(labels, return_inverse=True)  # no empty themes (duplicate points)
    labels = labels.astype(np.int64)
    k = int(labels.max()) + 1
    centers = l2_normalize(np.vstack([emb[labels == c].mean(axis=0) for c in range(k)]))
    clock.lap("kmeans")
    return labels, centers, k, sel


def _choose_k(emb: np.ndarray, seed: int) -> tuple[int, dict[str, Any]]:
    """The number of themes whose clustering is most stable under resampling.

    For each candidate k, k-means is fitted on 5 (8 for small sets) pairs of random 80%
    subsamples of (a sample of ``_SELECT_SAMPLE``) comments; the two models label every sampled
    comment and the agreement of the two labelings is measured by the adjusted Rand index. A
    real theme structure is found again from different subsets of the comments; an arbitrary
    split of a cloud of comments is not. The k with the highest mean agreement wins (within
    0.02 of the best: the smaller k). When no k reaches ``_STABLE_ENOUGH`` agreement, there is
    no stable structure to find and the k of best silhouette (cosine) is taken instead: finer
    themes that a reader can merge, rather than two vague ones.

    Candidates: 2 .. about 2 n^(1/3) (at most 40), searched on a coarse grid and then around
    the best values. Measured on planted corpora and the labelled sets in ``bench/data``:
    silhouette alone kept rising with k and picked the largest candidate on planted data;
    stability found the planted number of themes; see ``bench/themes_quality.py``.
    """
    n = len(emb)
    rng = np.random.default_rng(seed)
    x = emb if n <= _SELECT_SAMPLE else emb[np.sort(rng.choice(n, _SELECT_SAMPLE, replace=False))]
    m = len(x)
    size = int(0.8 * m)
    n_pairs = 8 if m <= 600 else 5  # small sets: cheap fits, noisier estimates, more pairs
    pairs = [
        (np.sort(rng.choice(m, size, replace=False)), np.sort(rng.choice(m, size, replace=False)))
        for _ in range(n_pairs)
    ]
    stability: dict[int, float] = {}
    silhouette: dict[int, float] = {}

    def evaluate(k: int) -> None:
        agreement = []
        for r, (a, b) in enumerate(pairs):
            ka = KMeans(n_clusters=k, random_state=seed + 2 * r, n_init=3).fit(x[a])
            kb = KMeans(n_clusters=k, random_state=seed + 2 * r + 1, n_init=3).fit(x[b])
            la = ka.predict(x)
            agreement.append(adjusted_rand_score(la, kb.predict(x)))
            if r == 0:
                silhouette[k] = float(silhouette_score(x, la, metric="cosine"))
        stability[k] = float(np.mean(agreement))

    candidates = [k for k in _k_candidates(n) if k < size]
    # a coarse grid, then the neighbours of the best k, until the best has been surrounded
    for k in candidates:
        if k <= 8 or k in (10, 12, 16, 20, 24, 32, 40):
            evaluate(k)
    while stability:
        best_ks = {
            max(stability, key=stability.__getitem__),
            max(silhouette, key=silhouette.__getitem__),
        }
        todo = {
            candidates[j]
            for k in best_ks
            for j in (candidates.index(k) - 1, candidates.index(k) + 1)
            if 0 <= j < len(candidates) and candidates[j] not in stability
        }
        if not todo:
            break
        for k in sorted(todo):
            evaluate(k)
    stability = dict(sorted(stability.items()))
    silhouette = dict(sorted(silhouette.items()))
    sel: dict[str, Any] = {
        "k_stability": {str(k): round(v, 4) for k, v in stability.items()},
        "k_silhouette": {str(k): round(v, 4) for k, v in silhouette.items()},
    }
    if not stability:
        sel["k_selection"] = "too few comments to split"
        return 1, sel
    best = max(stability.values())
    if best >= _STABLE_ENOUGH:
        sel["k_selection"] = "stability: mean ARI of k-means on pairs of 80% subsamples"
        return min(k for k, v in stability.items() if v >= best - 0.02), sel
    sel["k_selection"] = "no stable k: best silhouette (cosine)"
    best = max(silhouette.values())
    return min(k for k, v in silhouette.items() if v >= best - 1e-9), sel


# --- description --------------------------------------------------------------------------


def _distinctive_terms(
    counts: sp.csr_matrix, labels: np.ndarray, k: int, vocabulary: list[str], top: int = 10
) -> list[list[str]]:
    """Per theme, the terms with the largest p(t|c) * log(p(t|c) / p(t)) (from word counts)."""
    n = counts.shape[0]
    if n == 0 or k == 0:
        return [[] for _ in range(k)]
    binary = counts.copy()
    binary.data[:] = 1.0
    onehot = sp.csr_matrix((np.ones(n, dtype=np.float32), (labels, np.arange(n))), shape=(k, n))
    df_c = np.asarray((onehot @ binary).todense(), dtype=np.float64)  # k x features
    n_c = np.bincount(labels, minlength=k).astype(np.float64)[:, None]
    df = df_c.sum(axis=0, keepdims=True)
    cols = np.flatnonzero(df[0] > 0)
    p_tc = df_c[:, cols] / np.maximum(n_c, 1.0)
    p_t = df[:, cols] / n
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(p_tc > 0, p_tc * np.log(p_tc / p_t), 0.0)
    out: list[list[str]] = []
    for c in range(k):
        order = np.lexsort((cols, -score[c]))  # ties by column: deterministic
        chosen = [vocabulary[int(cols[j])] for j in order[: top * 2] if score[c, j] > 0]
        chosen = [t for t in chosen if t][:top]
        out.append(chosen)
    return out


def _label(terms: list[str]) -> str:
    return " / ".join(terms[:3]) if terms else "(no distinctive terms)"


def _representatives(
    emb: np.ndarray, center: np.ndarray, words: sp.csr_matrix, m: int = 5
) -> list[int]:
    """Up to ``m`` rows close to the centroid and unlike each other.

    Greedy maximal marginal relevance over the 50 rows nearest the centroid (LSA cosine):
    score = 0.7 * cos(row, centroid) - 0.3 * max cos(row, already chosen). A row whose words
    are nearly those of a chosen row (cosine of word counts > 0.8) is skipped, so copies and
    mail-merge variants are never shown twice.
    """
    if len(emb) == 0:
        return []
    sim = emb @ center
    pool = np.lexsort((np.arange(len(sim)), -sim))[:50]
    pool_emb, pool_sim = emb[pool], sim[pool]
    pool_words = l2_normalize(words[pool].astype(np.float64))
    available = np.ones(len(pool), dtype=bool)
    redundancy = np.zeros(len(pool))
    chosen: list[int] = []
    while len(chosen) < m and available.any():
        score = pool_sim if not chosen else 0.7 * pool_sim - 0.3 * redundancy
        score = np.where(available, score, -np.inf)
        j = int(np.argmax(score))
        chosen.append(j)
        cos = pool_emb @ pool_emb[j]
        redundancy = cos if len(chosen) == 1 else np.maximum(redundancy, cos)
        same_words = np.asarray((pool_words @ pool_words[j].T).todense()).ravel() > 0.8
        available &= ~same_words
        available[j] = False
    return [int(pool[j]) for j in chosen]


def _stance_counts(items: Sequence[ThemeInput], idx: np.ndarray) -> dict[str, int]:
    counts = dict.fromkeys((*STANCES, UNSPECIFIED), 0)
    for i in idx.tolist():
        s = (items[i].stance or "").strip().lower() or UNSPECIFIED
        counts[s] = counts.get(s, 0) + 1
    return counts


def _section_counts(items: Sequence[ThemeInput], idx: np.ndarray) -> dict[str, int]:
    c = Counter(items[i].section for i in idx.tolist() if items[i].section)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def _trend(items: Sequence[ThemeInput], idx: np.ndarray) -> dict[str, int]:
    c = Counter(
        items[i].created.date().isoformat()  # type: ignore[union-attr]
        for i in idx.tolist()
        if items[i].created is not None
    )
    return dict(sorted(c.items()))


def _map_coordinates(words: sp.csr_matrix, labels: np.ndarray, k: int) -> np.ndarray:
    """2-D positions of the themes: PCA of their mean tf-idf word vectors, in [-1, 1].

    One word space for all languages, so Thai and English themes share the map; similar
    themes land close together. Signs are fixed (the farthest theme on each axis is positive).
    """
    if k <= 1:
        return np.zeros((k, 2))
    n = words.shape[0]
    df = np.bincount(words.indices, minlength=words.shape[1])
    tfidf = _tfidf(words, _idf(df, n))
    onehot = sp.csr_matrix((np.ones(n, dtype=np.float32), (labels, np.arange(n))), shape=(k, n))
    centers = l2_normalize(np.asarray((onehot @ tfidf).todense(), dtype=np.float64))
    centred = centers - centers.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    xy = np.zeros((k, 2))
    m = min(2, len(s))
    xy[:, :m] = u[:, :m] * s[:m]
    for axis in range(2):
        j = int(np.argmax(np.abs(xy[:, axis])))
        if xy[j, axis] < 0:
            xy[:, axis] = -xy[:, axis]
    scale = float(np.abs(xy).max())
    if scale > 0 and math.isfinite(scale):
        xy /= scale
    return np.round(xy, 6)
