"""Form letters and mail-merge campaigns: exact and near-duplicate comments.

Pure Python + NumPy/SciPy, no Django. Scales to a million comments.

Method
------
1. Every comment is normalised (``analytics.text.normalize``) and split into words, stop words
   included (``analytics.text.words``; Thai is segmented). Exact copies (same words in the same
   order) collapse to one distinct text.
2. Each distinct text of at least ``min_words`` words becomes a set of word shingles (single
   words by default: a swapped name or word changes few of them, whatever the letter's
   length). A MinHash signature of ``bands * rows`` values is computed for it, vectorised.
3. LSH banding: texts that agree on all ``rows`` values of any band are candidates. Within a
   bucket every text is compared with the bucket's first text only, so the work stays linear
   even when a bucket is huge.
4. A candidate pair is kept only if the exact Jaccard similarity of the shingle sets is at
   least ``threshold``. Connected components of the kept pairs, expanded back to the exact
   copies, are the campaigns; those with at least ``min_size`` comments are returned.

Short texts (fewer than ``min_words`` words) are never campaign members: "I agree" written by
10,000 people is a common answer, not a form letter.

Everything is deterministic: word ids follow first appearance, hash functions come from a
seeded generator, ties are broken by input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analytics.text import normalize, words

__all__ = ["Campaign", "find_campaigns"]


@dataclass(frozen=True)
class Campaign:
    """A group of comments that are copies or mail-merge variants of one text."""

    id: int
    representative_id: str
    member_ids: list[str]  # input order, representative included
    size: int
    exact_copies: int  # members whose normalised words equal the representative's

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def find_campaigns(
    ids: Sequence[str],
    texts: Sequence[str],
    *,
    min_size: int = 3,
    threshold: float = 0.7,
    min_words: int = 8,
    shingle_size: int = 1,
    bands: int = 16,
    rows: int = 4,
    seed: int = 0,
) -> list[Campaign]:
    """Groups of at least ``min_size`` comments whose texts are copies or near copies.

    Two texts are near copies when the Jaccard similarity of their sets of word shingles
    (``shingle_size`` consecutive words) is at least ``threshold``; groups are the connected
    components of that relation, found through MinHash LSH with ``bands`` bands of ``rows``
    hashes. Campaigns are numbered 1..n from the largest; ``member_ids`` keep input order.
    """
    if len(ids) != len(texts):
        raise ValueError("ids and texts must have the same length")
    if len(set(ids)) != len(ids):
        raise ValueError("ids must be unique")
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    if min_size < 2 or shingle_size < 1 or bands < 1 or rows < 1:
        raise ValueError("min_size >= 2, shingle_size >= 1, bands >= 1, rows >= 1")
    n = len(texts)
    if n < min_size:
        return []

    # 1. exact copies -> distinct texts (as tuples of word ids)
    vocab: dict[str, int] = {}
    distinct: dict[tuple[int, ...], int] = {}
    raw_seen: dict[str, int] = {}  # keys are the caller's strings: no copies kept
    doc_of = np.full(n, -1, dtype=np.int64)  # comment -> distinct text; -1: too short
    seqs: list[tuple[int, ...]] = []
    for i, raw in enumerate(texts):
        d = raw_seen.get(raw)
        if d is None:
            ws = words(normalize(raw))
            if len(ws) < min_words:
                d = -1
            else:
                key = tuple([vocab.setdefault(w, len(vocab)) for w in ws])
                d = distinct.get(key)
                if d is None:
                    d = distinct[key] = len(seqs)
                    seqs.append(key)
            raw_seen[raw] = d
        doc_of[i] = d
    del raw_seen, distinct, vocab
    n_docs = len(seqs)
    if n_docs == 0:
        return []

    # 2. shingle sets as a CSR structure of sorted unique shingle ids
    indptr, indices = _shingle_sets(seqs, shingle_size)
    del seqs

    # 3. MinHash + LSH candidates (star pairs to the first text of every bucket)
    rng = np.random.default_rng(seed)
    n_hash = bands * rows
    sig = _minhash(indptr, indices, n_hash, rng)
    pairs = _lsh_pairs(sig, bands, rows, rng)
    del sig

    # 4. exact Jaccard verification, connected components
    keep = _verify(pairs, indptr, indices, threshold)
    pairs = pairs[keep]
    copies = np.bincount(doc_of[doc_of >= 0], minlength=n_docs)
    graph = coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n_docs, n_docs)
    )
    _, label = connected_components(graph, directed=False)

    # components -> comments; size counts comments, not distinct texts
    comp_size = np.bincount(label, weights=copies).astype(np.int64)
    big = comp_size >= min_size
    if not big.any():
        return []
    member = doc_of >= 0
    member[member] = big[label[doc_of[member]]]
    comment_idx = np.flatnonzero(member)
    comment_comp = label[doc_of[comment_idx]]
    order = np.argsort(comment_comp, kind="stable")  # input order kept inside a component
    comment_idx, comment_comp = comment_idx[order], comment_comp[order]
    starts = np.flatnonzero(np.r_[True, comment_comp[1:] != comment_comp[:-1]])
    ends = np.r_[starts[1:], len(comment_idx)]

    groups: list[tuple[int, int, list[int], int]] = []  # (size, first index, members, rep)
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        members = comment_idx[s:e]
        rep_doc = _representative(np.unique(doc_of[members]), indptr, indices, copies)
        rep = int(members[np.flatnonzero(doc_of[members] == rep_doc)[0]])
        groups.append((len(members), int(members[0]), members.tolist(), rep))
    groups.sort(key=lambda g: (-g[0], g[1]))

    out: list[Campaign] = []
    for number, (size, _, members, rep) in enumerate(groups, start=1):
        rep_doc = doc_of[rep]
        out.append(
            Campaign(
                id=number,
                representative_id=ids[rep],
                member_ids=[ids[i] for i in members],
                size=size,
                exact_copies=int(copies[rep_doc]),
            )
        )
    return out


def _shingle_sets(seqs: list[tuple[int, ...]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, indices) of each text's sorted, unique shingle ids."""
    lengths = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
    flat = np.fromiter((w for s in seqs for w in s), dtype=np.int64, count=int(lengths.sum()))
    doc = np.repeat(np.arange(len(seqs), dtype=np.int64), lengths)
    if k > 1:
        # shingle = k consecutive words of the same text; texts shorter than k keep one shingle
        starts = np.r_[0, np.cumsum(lengths)[:-1]]
        pos = np.arange(len(flat), dtype=np.int64) - np.repeat(starts, lengths)
        words_u = flat.astype(np.uint64)
        codes = words_u.copy()
        valid = pos + k <= np.repeat(lengths, lengths)
        for j in range(1, k):
            codes = _mix64(codes) ^ np.r_[words_u[j:], np.zeros(j, dtype=np.uint64)]
        short = lengths < k
        valid |= (pos == 0) & np.repeat(short, lengths)
        flat, doc = codes[valid], doc[valid]
        _, flat = np.unique(flat, return_inverse=True)
    # sort by (doc, shingle), drop duplicate shingles within a text
    key = doc * np.int64(int(flat.max()) + 1) + flat
    key = np.unique(key)
    width = np.int64(int(flat.max()) + 1)
    doc, flat = key // width, key % width
    indptr = np.r_[0, np.cumsum(np.bincount(doc, minlength=len(seqs)))].astype(np.int64)
    return indptr, flat.astype(np.int64)


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a bijective, well-mixing hash of uint64 values (wrapping)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _minhash(
    indptr: np.ndarray, indices: np.ndarray, n_hash: int, rng: np.random.Generator
) -> np.ndarray:
    """(n_docs, n_hash) uint32 MinHash signatures; hash j of id x = mix64(x + salt_j)."""
    n_docs = len(indptr) - 1
    n_ids = int(indices.max()) + 1
    salts = rng.integers(0, np.iinfo(np.uint64).max, size=n_hash, dtype=np.uint64)
    x = np.arange(n_ids, dtype=np.uint64)
    table = np.empty((n_ids, n_hash), dtype=np.uint32)
    for j in range(n_hash):
        table[:, j] = (_mix64(x + salts[j]) >> np.uint64(32)).astype(np.uint32)
    sig = np.empty((n_docs, n_hash), dtype=np.uint32)
    chunk = max(1, 4_000_000 // n_hash)  # shingles gathered per step (about 16 MB)
    doc = 0
    while doc < n_docs:
        stop = int(np.searchsorted(indptr, indptr[doc] + chunk, side="right")) - 1
        stop = min(max(stop, doc + 1), n_docs)
        lo, hi = indptr[doc], indptr[stop]
        sig[doc:stop] = np.minimum.reduceat(table[indices[lo:hi]], indptr[doc:stop] - lo, axis=0)
        doc = stop
    return sig


def _lsh_pairs(sig: np.ndarray, bands: int, rows: int, rng: np.random.Generator) -> np.ndarray:
    """Candidate pairs (i, j), i < j: j shares a band with i, the first text of its bucket."""
    n_docs = sig.shape[0]
    mult = rng.integers(1, 1 << 63, size=rows, dtype=np.uint64) | np.uint64(1)
    found: list[np.ndarray] = []
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(n_docs, dtype=np.uint64)
        for r in range(rows):
            key = (key ^ block[:, r]) * mult[r]  # wraps modulo 2^64
            key ^= key >> np.uint64(29)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        new = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        head = order[np.flatnonzero(new)][np.cumsum(new) - 1]  # first text of each bucket
        pair_mask = ~new
        if pair_mask.any():
            found.append(np.stack([head[pair_mask], order[pair_mask]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0)


def _verify(
    pairs: np.ndarray, indptr: np.ndarray, indices: np.ndarray, threshold: float
) -> np.ndarray:
    """Boolean mask: exact Jaccard similarity of each pair's shingle sets >= threshold."""
    keep = np.zeros(len(pairs), dtype=bool)
    if len(pairs) == 0:
        return keep
    # cheap necessary condition first: |A|/|B| >= threshold
    size = np.diff(indptr)
    sa, sb = size[pairs[:, 0]], size[pairs[:, 1]]
    possible = np.minimum(sa, sb) >= threshold * np.maximum(sa, sb)
    cache: dict[int, frozenset[int]] = {}

    def shingles(d: int) -> frozenset[int]:
        s = cache.get(d)
        if s is None:
            if len(cache) > 200_000:
                cache.clear()
            s = cache[d] = frozenset(indices[indptr[d] : indptr[d + 1]].tolist())
        return s

    for k in np.flatnonzero(possible).tolist():
        a, b = shingles(int(pairs[k, 0])), shingles(int(pairs[k, 1]))
        inter = len(a & b)
        keep[k] = inter >= threshold * (len(a) + len(b) - inter)
    return keep


def _representative(
    docs: np.ndarray, indptr: np.ndarray, indices: np.ndarray, copies: np.ndarray
) -> int:
    """The distinct text closest to the group's consensus wording.

    Score = how many of a text's shingles are shared by most of the group's texts (weighted
    by exact copies); ties go to the text with most copies, then the first one.
    """
    if len(docs) == 1:
        return int(docs[0])
    if len(docs) > 500:  # a large group is well described by a deterministic sample
        docs = docs[np.linspace(0, len(docs) - 1, 500).astype(np.int64)]
    weights = copies[docs].astype(np.float64)
    parts = [indices[indptr[d] : indptr[d + 1]] for d in docs.tolist()]
    all_ids = np.concatenate(parts)
    owner_w = np.repeat(weights, [len(p) for p in parts])
    uniq, inv = np.unique(all_ids, return_inverse=True)
    support = np.bincount(inv, weights=owner_w) / weights.sum()  # share of group using it
    common = support >= 0.5
    offsets = np.r_[0, np.cumsum([len(p) for p in parts])]
    best, best_key = int(docs[0]), (-1.0, -1.0)
    for j, d in enumerate(docs.tolist()):
        sl = inv[offsets[j] : offsets[j + 1]]
        n_common = float(common[sl].sum())
        jac = n_common / (len(sl) + float(common.sum()) - n_common)
        key = (jac, float(copies[d]))
        if key > best_key:
            best, best_key = d, key
    return best
