"""Opinion groups from agree / disagree / pass votes, in the manner of Polis.

Input is the participant x comment vote matrix in COO form (+1 agree, -1 disagree, 0 pass; one
latest vote per participant and comment; hidden comments already removed). The computation:

1. Participants with at least ``min_votes`` votes are *included*; the others take no part.
2. PCA to two dimensions. Missing votes are imputed with the comment's mean vote, so after
   centring every missing cell is exactly zero: the centred matrix keeps the sparsity of the
   votes and is never densified (only tiny matrices are handled densely). The top two right
   singular vectors come from ARPACK (``scipy.sparse.linalg.svds``) with a seeded start vector.
   Comments with fewer than ``MIN_COMMENT_VOTES_FOR_PCA`` votes are left out of the PCA and the
   map (their mean would be noise) but still count for representativeness and consensus.
3. Each participant's projection is scaled by ``sqrt(n_comments / n_votes_of_participant)``,
   as Polis does, so that people who voted on few comments are not all pulled to the centre.
4. k-means (seeded, several initialisations) for every k in ``k_min..k_max``; the k with the
   best silhouette (on a seeded subsample when there are many participants) wins.
5. Group ids: matched to the ``previous`` run's ids by the Hungarian method on the overlap of
   members, or else ordered by size (largest group is 0).
6. Per group, representative comments: smoothed agree / disagree probability
   ``(n + 1) / (n_votes + 2)`` in the group, its ratio to the same probability among everyone
   else, a two-proportion z-test of group against rest and a one-proportion z-test that the
   group's majority is real (both significant at 90%, z > 1.645), and a minimum of votes.
7. Consensus: comments a majority of every group agrees (or disagrees) with, with a minimum of
   votes in each group; group-informed consensus: per comment, the product over groups of the
   smoothed agree probability.
8. Map: participants at their scaled projection; a comment where a participant who agreed with
   that comment alone would be placed (as Polis draws comments).

k = 1 (one group, no representative comments) only when no k >= 2 is possible, e.g. when all
included participants project to the same point.

Everything is deterministic: the same input gives the same output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.linalg import svds
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

__all__ = [
    "ConsensusComment",
    "InformedConsensusComment",
    "OpinionGroup",
    "OpinionResult",
    "RepresentativeComment",
    "compute_opinion_groups",
]

# A comment needs this many votes (among included participants) to take part in the PCA.
MIN_COMMENT_VOTES_FOR_PCA = 2
# Matrices with at most this many cells are decomposed densely (exact, fast when small).
DENSE_SVD_MAX_CELLS = 2_000_000
# Silhouette is computed on at most this many participants (a seeded subsample).
SILHOUETTE_SAMPLE = 3000
# k-means initialisations per k (k-means++ seeding, the best inertia wins).
KMEANS_INIT = 10
# Representative comments.
Z_90 = 1.6449
REPRESENTATIVE_PER_GROUP = 5
REPRESENTATIVE_MIN_GROUP_VOTES = 3
REPRESENTATIVE_MIN_SUPPORT = 2
# Consensus: a majority of the votes cast in every group, each group with at least this many votes.
CONSENSUS_MIN_GROUP_VOTES = 3
# Group-informed consensus: how many comments to return.
INFORMED_CONSENSUS_TOP = 10

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RepresentativeComment:
    comment_id: str
    direction: str  # "agree" | "disagree"
    agree_share: float  # share of the group's votes on the comment that agree
    disagree_share: float
    votes: int  # votes of the group on the comment (passes included)
    ratio: float  # smoothed probability in the group / the same among everyone else
    z: float  # two-proportion z of the group against everyone else


@dataclass(frozen=True)
class OpinionGroup:
    id: int
    size: int
    representative: list[RepresentativeComment] = field(default_factory=list)


@dataclass(frozen=True)
class ConsensusComment:
    comment_id: str
    direction: str  # "agree" | "disagree"
    agree_share: float  # over all included participants' votes on the comment
    disagree_share: float
    votes: int
    min_group_share: float  # share in ``direction`` of the least convinced group
    group_shares: dict[int, float] = field(default_factory=dict)  # group id -> share


@dataclass(frozen=True)
class InformedConsensusComment:
    comment_id: str
    gac: float  # product over groups of (agrees + 1) / (votes + 2)
    agree_share: float
    disagree_share: float
    votes: int


@dataclass
class OpinionResult:
    participants: dict[str, int]
    groups: list[OpinionGroup]
    consensus: list[ConsensusComment]
    group_informed_consensus: list[InformedConsensusComment]
    participant_xy: dict[str, tuple[float, float]]
    comment_xy: dict[str, tuple[float, float]]
    k: int
    silhouette: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (string keys, floats rounded to 6 decimals)."""

        def clean(value: Any) -> Any:
            if isinstance(value, float):
                return round(value, 6)
            if isinstance(value, dict):
                return {str(key): clean(item) for key, item in value.items()}
            if isinstance(value, list | tuple):
                return [clean(item) for item in value]
            return value

        return {
            "participants": dict(self.participants),
            "groups": [clean(asdict(group)) for group in self.groups],
            "consensus": [clean(asdict(item)) for item in self.consensus],
            "group_informed_consensus": [
                clean(asdict(item)) for item in self.group_informed_consensus
            ],
            "participant_xy": clean(self.participant_xy),
            "comment_xy": clean(self.comment_xy),
            "k": self.k,
            "silhouette": round(self.silhouette, 6),
        }


def compute_opinion_groups(
    participant_ids: Sequence[str],
    comment_ids: Sequence[str],
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    values: npt.ArrayLike,
    *,
    min_votes: int = 7,
    k_min: int = 2,
    k_max: int = 5,
    seed: int = 0,
    previous: Mapping[str, int] | None = None,
) -> OpinionResult:
    """Cluster participants into opinion groups; see the module docstring for the method.

    ``rows[i]``, ``cols[i]`` index ``participant_ids`` and ``comment_ids``; ``values[i]`` is +1,
    -1 or 0. A (row, col) pair may occur only once. Raises ``ValueError`` on bad input.
    """
    if min_votes < 1:
        raise ValueError("min_votes must be at least 1")
    if k_min < 1 or k_max < k_min:
        raise ValueError("need 1 <= k_min <= k_max")
    people = [str(pid) for pid in participant_ids]
    comments = [str(cid) for cid in comment_ids]
    if len(set(people)) != len(people):
        raise ValueError("participant_ids must be unique")
    if len(set(comments)) != len(comments):
        raise ValueError("comment_ids must be unique")
    n_people, n_comments = len(people), len(comments)
    r, c, v = _validated_votes(rows, cols, values, n_people, n_comments)
    # Every step works on thin matrices (n x 2, 2-D points, vectors): worker threads of
    # OpenMP / BLAS only cost time here, and a lot when other processes share the cores.
    with threadpool_limits(limits=1):
        return _compute(people, comments, r, c, v, min_votes, k_min, k_max, seed, previous)


def _compute(
    people: list[str],
    comments: list[str],
    r: IntArray,
    c: IntArray,
    v: FloatArray,
    min_votes: int,
    k_min: int,
    k_max: int,
    seed: int,
    previous: Mapping[str, int] | None,
) -> OpinionResult:
    n_people, n_comments = len(people), len(comments)

    # 1. Included participants; their votes, still sorted by (row, col).
    votes_per_person = np.bincount(r, minlength=n_people)
    included = np.flatnonzero(votes_per_person >= min_votes)
    if included.size == 0:
        return OpinionResult({}, [], [], [], {}, {}, 0, 0.0)
    new_index = np.full(n_people, -1, dtype=np.int64)
    new_index[included] = np.arange(included.size)
    keep = new_index[r] >= 0
    r, c, v = new_index[r[keep]], c[keep], v[keep]
    n_inc = included.size

    # 2-3. PCA and the sparsity-aware projection.
    xy, comment_xy_rows, pca_comments = _project(r, c, v, n_inc, n_comments, seed)

    # 4-5. Clustering and ids.
    labels, k, silhouette = _cluster(xy, k_min, k_max, seed)
    included_ids = [people[i] for i in included]
    labels, group_ids = _name_groups(labels, k, included_ids, previous)

    # 6-7. Per-group statistics.
    order = np.argsort(group_ids, kind="stable")
    counts = _group_counts(labels[r], c, v, k, n_comments)
    groups = [
        OpinionGroup(
            id=int(group_ids[g]),
            size=int(np.count_nonzero(labels == g)),
            representative=_representative(g, counts, comments),
        )
        for g in order
    ]
    consensus = _consensus(counts, group_ids, comments)
    informed = _informed_consensus(counts, comments)

    return OpinionResult(
        participants={pid: int(group_ids[labels[i]]) for i, pid in enumerate(included_ids)},
        groups=groups,
        consensus=consensus,
        group_informed_consensus=informed,
        participant_xy={
            pid: (float(xy[i, 0]), float(xy[i, 1])) for i, pid in enumerate(included_ids)
        },
        comment_xy={
            comments[j]: (float(comment_xy_rows[i, 0]), float(comment_xy_rows[i, 1]))
            for i, j in enumerate(pca_comments)
        },
        k=k,
        silhouette=silhouette,
    )


def _validated_votes(
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    values: npt.ArrayLike,
    n_people: int,
    n_comments: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    """The votes as int64 rows / cols and float values, sorted by (row, col) and checked."""
    r = np.asarray(rows)
    c = np.asarray(cols)
    raw = np.asarray(values)
    if not (r.ndim == c.ndim == raw.ndim == 1) or not (r.size == c.size == raw.size):
        raise ValueError("rows, cols and values must be 1-D arrays of the same length")
    for name, array in (("rows", r), ("cols", c)):
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} must hold integers")
    r = r.astype(np.int64, copy=False)
    c = c.astype(np.int64, copy=False)
    if r.size:
        if r.min() < 0 or r.max() >= n_people:
            raise ValueError("a row index is outside participant_ids")
        if c.min() < 0 or c.max() >= n_comments:
            raise ValueError("a column index is outside comment_ids")
        if not np.isin(raw, (-1, 0, 1)).all():
            raise ValueError("values must be +1, -1 or 0")
    key = r * n_comments + c
    order = np.argsort(key, kind="stable")
    key = key[order]
    if key.size > 1 and (np.diff(key) == 0).any():
        raise ValueError("a participant has more than one vote on the same comment")
    return r[order], c[order], raw[order].astype(np.float64)


def _project(
    r: IntArray, c: IntArray, v: FloatArray, n_inc: int, n_comments: int, seed: int
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Participant coordinates (n_inc x 2), comment coordinates and the comments they belong to."""
    per_comment = np.bincount(c, minlength=n_comments)
    pca_comments = np.flatnonzero(per_comment >= MIN_COMMENT_VOTES_FOR_PCA)
    m = pca_comments.size
    if m == 0:
        return np.zeros((n_inc, 2)), np.zeros((0, 2)), pca_comments
    column = np.full(n_comments, -1, dtype=np.int64)
    column[pca_comments] = np.arange(m)
    keep = column[c] >= 0
    rr, cc, vv = r[keep], column[c[keep]], v[keep]
    mean = np.bincount(cc, weights=vv, minlength=m) / np.bincount(cc, minlength=m)
    centred = vv - mean[cc]
    indptr = np.zeros(n_inc + 1, dtype=np.int64)
    np.cumsum(np.bincount(rr, minlength=n_inc), out=indptr[1:])
    matrix = sparse.csr_matrix((centred, cc, indptr), shape=(n_inc, m))

    components = _top_right_singular_vectors(matrix, seed)  # m x 2
    votes_per_row = np.diff(indptr).astype(np.float64)
    scale = np.sqrt(m / np.maximum(votes_per_row, 1.0))
    xy = np.asarray(matrix @ components) * scale[:, None]
    # A comment sits where a participant who agreed with it alone would be placed.
    comment_xy = (1.0 - mean)[:, None] * components * np.sqrt(m)
    return xy, comment_xy, pca_comments


def _top_right_singular_vectors(matrix: sparse.csr_matrix, seed: int) -> FloatArray:
    """The two leading right singular vectors (columns), with a deterministic sign."""
    n, m = matrix.shape
    wanted = min(2, n, m)
    components = np.zeros((m, 2))
    if wanted == 0 or matrix.nnz == 0:
        return components
    if n * m <= DENSE_SVD_MAX_CELLS or min(n, m) <= 3:
        _, _, vt = np.linalg.svd(matrix.toarray(), full_matrices=False)
        found = vt[:wanted].T
    else:
        start = np.random.default_rng(seed).standard_normal(min(n, m))
        _, singular, vt = svds(matrix, k=wanted, v0=start, random_state=seed)
        found = vt[np.argsort(-singular, kind="stable")].T
    components[:, : found.shape[1]] = found
    for j in range(2):
        vector = components[:, j]
        skew = float(np.sum(vector**3))
        if skew < 0 or (skew == 0 and vector[np.flatnonzero(vector)[:1]].sum() < 0):
            components[:, j] = -vector
    return components


def _cluster(xy: FloatArray, k_min: int, k_max: int, seed: int) -> tuple[IntArray, int, float]:
    """k-means labels for the k in k_min..k_max with the best silhouette (ties: smaller k)."""
    n = xy.shape[0]
    distinct = np.unique(xy, axis=0).shape[0]
    low, high = max(k_min, 2), min(k_max, distinct, n - 1)
    if high < low:
        return np.zeros(n, dtype=np.int64), 1, 0.0
    if n > SILHOUETTE_SAMPLE:
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(n, SILHOUETTE_SAMPLE, replace=False))
    else:
        sample = np.arange(n)
    distances = cdist(xy[sample], xy[sample])  # shared by every k
    best: tuple[float, int, IntArray] | None = None
    for k in range(low, high + 1):
        model = KMeans(n_clusters=k, n_init=KMEANS_INIT, random_state=seed)
        labels = model.fit_predict(xy).astype(np.int64)
        score = _silhouette(distances, labels[sample])
        if best is None or score > best[0]:
            best = (score, k, labels)
    assert best is not None
    score, _, labels = best
    kept, labels = np.unique(labels, return_inverse=True)  # no empty clusters
    return labels.astype(np.int64), int(kept.size), score


def _silhouette(distances: FloatArray, labels: IntArray) -> float:
    """Mean silhouette coefficient from a square distance matrix (0 for singleton clusters)."""
    _, labels = np.unique(labels, return_inverse=True)
    k = int(labels.max()) + 1 if labels.size else 0
    if k < 2:
        return -1.0
    n = labels.size
    members = np.zeros((n, k))
    members[np.arange(n), labels] = 1.0
    sums = distances @ members  # n x k: total distance to each cluster
    sizes = members.sum(axis=0)
    own_size = sizes[labels]
    rows = np.arange(n)
    within = np.divide(sums[rows, labels], own_size - 1, out=np.zeros(n), where=own_size > 1)
    mean_to = sums / sizes
    mean_to[rows, labels] = np.inf
    nearest = mean_to.min(axis=1)
    denominator = np.maximum(within, nearest)
    coefficient = np.divide(nearest - within, denominator, out=np.zeros(n), where=denominator > 0)
    coefficient[own_size <= 1] = 0.0
    return float(coefficient.mean())


def _name_groups(
    labels: IntArray, k: int, member_ids: list[str], previous: Mapping[str, int] | None
) -> tuple[IntArray, IntArray]:
    """Relabel clusters 0..k-1 by size and give each its public id.

    Returns the new labels (cluster 0 is the largest) and ``group_ids[label]``: the previous
    run's ids where the Hungarian matching on shared members finds a partner, else by size.
    """
    sizes = np.bincount(labels, minlength=k)
    first_member = np.full(k, len(member_ids), dtype=np.int64)
    np.minimum.at(first_member, labels, np.arange(labels.size))
    by_size = sorted(range(k), key=lambda g: (-sizes[g], member_ids[first_member[g]]))
    rank = np.empty(k, dtype=np.int64)
    rank[by_size] = np.arange(k)
    labels = rank[labels]
    group_ids = np.arange(k, dtype=np.int64)
    if not previous:
        return labels, group_ids

    old_ids = sorted({int(gid) for gid in previous.values()})
    column = {gid: j for j, gid in enumerate(old_ids)}
    overlap = np.zeros((k, len(old_ids)), dtype=np.int64)
    for i, pid in enumerate(member_ids):
        old = previous.get(pid)
        if old is not None:
            overlap[labels[i], column[int(old)]] += 1
    matched_rows, matched_cols = linear_sum_assignment(overlap, maximize=True)
    assigned: dict[int, int] = {}
    for g, j in zip(matched_rows, matched_cols, strict=True):
        if overlap[g, j] > 0:
            assigned[int(g)] = old_ids[j]
    taken = set(old_ids)
    fresh = (gid for gid in range(len(old_ids) + k + 1) if gid not in taken)
    for g in range(k):
        group_ids[g] = assigned[g] if g in assigned else next(fresh)
    return labels, group_ids


@dataclass(frozen=True)
class _Counts:
    """Votes per group (rows) and comment (columns)."""

    agree: FloatArray
    disagree: FloatArray
    total: FloatArray


def _group_counts(
    group_of_vote: IntArray, c: IntArray, v: FloatArray, k: int, n_comments: int
) -> _Counts:
    cell = group_of_vote * n_comments + c
    size = k * n_comments
    agree = np.bincount(cell[v > 0], minlength=size).reshape(k, n_comments)
    disagree = np.bincount(cell[v < 0], minlength=size).reshape(k, n_comments)
    total = np.bincount(cell, minlength=size).reshape(k, n_comments)
    return _Counts(agree.astype(np.float64), disagree.astype(np.float64), total.astype(np.float64))


def _share(part: FloatArray, total: FloatArray) -> FloatArray:
    return np.divide(part, total, out=np.zeros_like(part), where=total > 0)


def _representative(g: int, counts: _Counts, comments: list[str]) -> list[RepresentativeComment]:
    if counts.total.shape[0] < 2:
        return []  # a single group has nobody to differ from
    total = counts.total[g]
    rest_total = counts.total.sum(axis=0) - total
    candidates: list[tuple[float, int, str, float, float]] = []
    for direction, hits in (("agree", counts.agree), ("disagree", counts.disagree)):
        n = hits[g]
        rest = hits.sum(axis=0) - n
        p = (n + 1.0) / (total + 2.0)
        p_rest = (rest + 1.0) / (rest_total + 2.0)
        ratio = p / p_rest
        pooled = (n + rest + 2.0) / (total + rest_total + 4.0)
        spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / (total + 2.0) + 1.0 / (rest_total + 2.0)))
        z_rest = np.divide(p - p_rest, spread, out=np.zeros_like(p), where=spread > 0)
        z_majority = 2.0 * np.sqrt(total + 2.0) * (p - 0.5)
        ok = (
            (total >= REPRESENTATIVE_MIN_GROUP_VOTES)
            & (n >= REPRESENTATIVE_MIN_SUPPORT)
            & (ratio > 1.0)
            & (z_rest > Z_90)
            & (z_majority > Z_90)
        )
        metric = ratio * z_rest * p * z_majority
        for j in np.flatnonzero(ok):
            candidates.append(
                (float(metric[j]), int(j), direction, float(ratio[j]), float(z_rest[j]))
            )
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    chosen = []
    for _metric, j, direction, ratio_j, z_j in candidates[:REPRESENTATIVE_PER_GROUP]:
        votes = counts.total[g, j]
        chosen.append(
            RepresentativeComment(
                comment_id=comments[j],
                direction=direction,
                agree_share=float(counts.agree[g, j] / votes),
                disagree_share=float(counts.disagree[g, j] / votes),
                votes=int(votes),
                ratio=ratio_j,
                z=z_j,
            )
        )
    return chosen


def _consensus(counts: _Counts, group_ids: IntArray, comments: list[str]) -> list[ConsensusComment]:
    total_all = counts.total.sum(axis=0)
    agree_all = _share(counts.agree.sum(axis=0), total_all)
    disagree_all = _share(counts.disagree.sum(axis=0), total_all)
    enough = (counts.total >= CONSENSUS_MIN_GROUP_VOTES).all(axis=0)
    found: list[ConsensusComment] = []
    for direction, hits in (("agree", counts.agree), ("disagree", counts.disagree)):
        shares = _share(hits, counts.total)  # k x n_comments
        weakest = shares.min(axis=0)
        for j in np.flatnonzero(enough & (weakest > 0.5)):
            found.append(
                ConsensusComment(
                    comment_id=comments[j],
                    direction=direction,
                    agree_share=float(agree_all[j]),
                    disagree_share=float(disagree_all[j]),
                    votes=int(total_all[j]),
                    min_group_share=float(weakest[j]),
                    group_shares={
                        int(group_ids[g]): float(shares[g, j]) for g in np.argsort(group_ids)
                    },
                )
            )
    found.sort(key=lambda item: (-item.min_group_share, -item.votes, item.comment_id))
    return found


def _informed_consensus(counts: _Counts, comments: list[str]) -> list[InformedConsensusComment]:
    total_all = counts.total.sum(axis=0)
    voted = np.flatnonzero(total_all > 0)
    if voted.size == 0:
        return []
    gac = np.prod((counts.agree + 1.0) / (counts.total + 2.0), axis=0)
    top = voted[np.lexsort((voted, -gac[voted]))][:INFORMED_CONSENSUS_TOP]
    agree_all = _share(counts.agree.sum(axis=0), total_all)
    disagree_all = _share(counts.disagree.sum(axis=0), total_all)
    return [
        InformedConsensusComment(
            comment_id=comments[j],
            gac=float(gac[j]),
            agree_share=float(agree_all[j]),
            disagree_share=float(disagree_all[j]),
            votes=int(total_all[j]),
        )
        for j in top
    ]
