"""Form letters and mail-merge campaigns: exact and near-duplicate comments.

Pure Python + NumPy/SciPy, no Django. Scales to a million comments.

Method
------
1. Every comment is normalised (``analytics.text.normalize``) and split into words, stop words
   included (``analytics.text.words``; Thai is segmented), each word hashed with CRC-32; large
   inputs are processed by worker processes (``analytics.text.map_chunks``). Exact copies
   (same words in the same order) collapse to one distinct text.
2. Each distinct text of at least ``min_words`` words becomes a set of word shingles. Single
   words by default: in a 50-word letter with a two-word name and three words swapped, the
   Jaccard similarity of single words is 0.82, of word pairs 0.66 (each swap breaks two
   pairs), so single words keep variants above the 0.7 threshold. A MinHash signature of
   ``bands * rows`` values is computed for it, vectorised.
3. LSH banding: texts that agree on all ``rows`` values of any band are candidates (with 16
   bands of 4 rows, a pair at Jaccard 0.7 becomes a candidate with probability 0.99). Within
   a bucket every text is compared with the bucket's first text only, so the work stays
   linear even when a bucket is huge.
4. A candidate pair is kept only if the exact Jaccard similarity of the shingle sets is at
   least ``threshold``. Connected components of the kept pairs, expanded back to the exact
   copies, are the campaigns; those with at least ``min_size`` comments are returned. The
   representative is the member closest to the wording most members share.

Short texts (fewer than ``min_words`` words) are never campaign members: "I agree" written by
10,000 people is a common answer, not a form letter.

Everything is deterministic: words are hashed with CRC-32 (the same in every process and run),
MinHash functions come from a seeded generator, ties are broken by input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import partial
from zlib import crc32

import numpy as np
import scipy.sparse as sp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analytics.text import map_chunks, normalize, words

__all__ = ["Campaign", "find_campaigns"]

_CHUNK = 20_000  # comments per worker task


@dataclass
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

    # 1. words of every comment (hashed, in worker processes for large inputs), then exact
    #    copies -> one distinct text each
    parts = map_chunks(partial(_hashed_words, min_words=min_words), texts, _CHUNK)
    lengths = np.concatenate([p[0] for p in parts])  # -1: too short to be a form letter
    flat = np.concatenate([p[1] for p in parts])
    doc_of, firsts = _exact_copies(lengths, flat)  # comment -> distinct text (-1: too short)
    n_docs = len(firsts)
    if n_docs == 0:
        return []

    # 2. shingle sets as a CSR structure of sorted unique shingle ids
    is_first = np.zeros(n, dtype=bool)
    is_first[firsts] = True
    clipped = np.maximum(lengths, 0)
    doc_lengths = clipped[firsts]
    _, word_ids = np.unique(flat[np.repeat(is_first, clipped)], return_inverse=True)
    indptr, indices = _shingle_sets(doc_lengths, word_ids.astype(np.int64), shingle_size)
    del flat, word_ids

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


def _hashed_words(texts: Sequence[str], min_words: int) -> tuple[np.ndarray, np.ndarray]:
    """Per text: its number of words (-1 if fewer than ``min_words``); all words, as CRC-32.

    CRC-32 is stable across processes and runs (unlike ``hash``); a collision only makes two
    rare words count as one.
    """
    lengths = np.empty(len(texts), dtype=np.int64)
    out: list[int] = []
    seen: dict[str, list[int] | None] = {}  # raw text -> its hashed words (None: too short)
    code: dict[str, int] = {}  # word -> CRC-32, each distinct word hashed once
    for j, raw in enumerate(texts):
        if raw in seen:
            hashed = seen[raw]
        else:
            ws = words(normalize(raw))
            if len(ws) >= min_words:
                hashed = []
                for w in ws:
                    c = code.get(w)
                    if c is None:
                        c = code[w] = crc32(w.encode())
                    hashed.append(c)
            else:
                hashed = None
            seen[raw] = hashed
        if hashed is None:
            lengths[j] = -1
        else:
            lengths[j] = len(hashed)
            out.extend(hashed)
    return lengths, np.asarray(out, dtype=np.uint32)


def _exact_copies(lengths: np.ndarray, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Comments with the same words in the same order share one distinct text.

    Returns, per comment, its distinct text (-1 when too short) and, per distinct text, its
    first comment. Each word sequence is reduced to a 64-bit polynomial hash (vectorised).
    """
    n = len(lengths)
    doc_of = np.full(n, -1, dtype=np.int64)
    long_enough = np.flatnonzero(lengths > 0)
    if len(long_enough) == 0:
        return doc_of, np.zeros(0, dtype=np.int64)
    sizes = lengths[long_enough]
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    position = np.arange(len(flat), dtype=np.int64) - np.repeat(starts, sizes)
    powers = np.cumprod(np.full(int(sizes.max()), 0x100000001B3, dtype=np.uint64))  # wraps
    terms = _mix64(flat.astype(np.uint64) + np.uint64(1)) * powers[position]
    key = np.add.reduceat(terms, starts) ^ _mix64(sizes.astype(np.uint64))
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    # number distinct texts by their first comment, so that everything follows input order
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    doc_of[long_enough] = rank[inverse]
    return doc_of, long_enough[first[order]]


def _shingle_sets(lengths: np.ndarray, flat: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, indices) of each text's sorted, unique shingle ids.

    ``lengths``: words per text; ``flat``: all texts' word ids, concatenated.
    """
    n_docs = len(lengths)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
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
    # a binary document x shingle matrix: CSR sorts and deduplicates each row's shingles
    matrix = sp.csr_matrix(
        (np.ones(len(flat), dtype=np.int8), (doc, flat)), shape=(n_docs, int(flat.max()) + 1)
    )
    matrix.sum_duplicates()
    return matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64)


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
    """Boolean mask: exact Jaccard similarity of each pair's shingle sets >= threshold.

    Intersections are row-wise products of the binary shingle matrix, by blocks of pairs.
    """
    keep = np.zeros(len(pairs), dtype=bool)
    if len(pairs) == 0:
        return keep
    size = np.diff(indptr)
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(len(size), int(indices.max()) + 1),
    )
    sa, sb = size[pairs[:, 0]], size[pairs[:, 1]]
    # cheap necessary condition first: |A| / |B| >= threshold
    todo = np.flatnonzero(np.minimum(sa, sb) >= threshold * np.maximum(sa, sb))
    for block in np.array_split(todo, max(1, len(todo) // 200_000)):
        a, b = pairs[block, 0], pairs[block, 1]
        inter = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
        keep[block] = inter >= threshold * (sa[block] + sb[block] - inter)
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
