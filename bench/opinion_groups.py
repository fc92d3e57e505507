"""Benchmark of the opinion-group computation on a large planted electorate.

Generates (seeded) 20,000 participants x 10,000 comments x 1,000,000 votes in which three
blocs of unequal size each agree with their own block of comments and disagree with the
others' blocks, plus a set of comments every bloc agrees with; a few participants vote less
than the inclusion threshold. Then runs ``compute_opinion_groups`` once and prints wall time,
peak resident memory, the chosen k and the adjusted Rand index against the planted blocs.

Run from the repository root: ``.venv/bin/python bench/opinion_groups.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.opinion import compute_opinion_groups  # noqa: E402

IntArray = npt.NDArray[np.int64]


@dataclass
class Electorate:
    participant_ids: list[str]
    comment_ids: list[str]
    rows: IntArray
    cols: IntArray
    values: IntArray
    bloc: IntArray  # planted bloc of every participant
    block: IntArray  # planted block of every comment (-1: everybody agrees)


def planted_electorate(
    n_people: int = 20_000,
    n_comments: int = 10_000,
    n_votes: int = 1_000_000,
    bloc_shares: tuple[float, ...] = (0.45, 0.35, 0.20),
    n_consensus: int = 100,
    seed: int = 2024,
) -> Electorate:
    rng = np.random.default_rng(seed)
    bloc = rng.choice(len(bloc_shares), size=n_people, p=bloc_shares).astype(np.int64)
    block = np.full(n_comments, -1, dtype=np.int64)
    block[n_consensus:] = rng.integers(0, len(bloc_shares), size=n_comments - n_consensus)

    # Votes per participant: mostly 10..90, 2% below the inclusion threshold of 7.
    per_person = rng.integers(10, 91, size=n_people)
    light = rng.random(n_people) < 0.02
    per_person[light] = rng.integers(1, 7, size=int(light.sum()))
    per_person = np.maximum(1, np.round(per_person * n_votes / per_person.sum())).astype(np.int64)
    while (excess := int(per_person.sum()) - n_votes) != 0:
        pick = rng.choice(np.flatnonzero(per_person > 10), size=abs(excess), replace=False)
        per_person[pick] -= np.sign(excess)

    # Distinct comments per participant: draw with replacement, redraw the repeats.
    rows = np.repeat(np.arange(n_people, dtype=np.int64), per_person)
    cols = rng.integers(0, n_comments, size=rows.size)
    while True:
        key = rows * n_comments + cols
        order = np.argsort(key, kind="stable")
        repeated = order[1:][np.diff(key[order]) == 0]
        if repeated.size == 0:
            break
        cols[repeated] = rng.integers(0, n_comments, size=repeated.size)

    own = block[cols] == bloc[rows]
    everybody = block[cols] < 0
    p_agree = np.where(everybody, 0.80, np.where(own, 0.75, 0.15))
    p_disagree = np.where(everybody, 0.05, np.where(own, 0.10, 0.65))
    u = rng.random(rows.size)
    values = np.where(u < p_agree, 1, np.where(u < p_agree + p_disagree, -1, 0)).astype(np.int64)
    shuffle = rng.permutation(rows.size)
    return Electorate(
        participant_ids=[f"p{i}" for i in range(n_people)],
        comment_ids=[f"c{j}" for j in range(n_comments)],
        rows=rows[shuffle],
        cols=cols[shuffle],
        values=values[shuffle],
        bloc=bloc,
        block=block,
    )


def rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is reported)")
    args = parser.parse_args()

    start = time.perf_counter()
    data = planted_electorate()
    generated = time.perf_counter() - start
    rss_before = rss_mib()

    times = []
    result = None
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        result = compute_opinion_groups(
            data.participant_ids, data.comment_ids, data.rows, data.cols, data.values
        )
        times.append(time.perf_counter() - start)
    assert result is not None
    peak = rss_mib()

    included = [i for i, pid in enumerate(data.participant_ids) if pid in result.participants]
    ari = adjusted_rand_score(
        data.bloc[included], [result.participants[data.participant_ids[i]] for i in included]
    )
    planted_consensus = int((data.block < 0).sum())
    consensus_ok = sum(1 for item in result.consensus if data.block[int(item.comment_id[1:])] < 0)
    rep_total = sum(len(group.representative) for group in result.groups)
    rep_own = 0
    for group in result.groups:
        members = [i for i in included if result.participants[data.participant_ids[i]] == group.id]
        main_bloc = int(np.bincount(data.bloc[members]).argmax())
        rep_own += sum(
            1 for rep in group.representative if data.block[int(rep.comment_id[1:])] == main_bloc
        )

    rows = [
        ("participants x comments x votes", "20,000 x 10,000 x 1,000,000"),
        ("CPU cores available", str(len(os.sched_getaffinity(0)))),
        ("generation time (not timed below)", f"{generated:.2f} s"),
        ("compute_opinion_groups wall time", ", ".join(f"{t:.2f} s" for t in times)),
        ("best wall time", f"{min(times):.2f} s"),
        ("peak RSS before the runs", f"{rss_before:.0f} MiB"),
        ("peak RSS (ru_maxrss, whole process)", f"{peak:.0f} MiB"),
        ("included participants", f"{len(result.participants):,}"),
        ("chosen k / silhouette", f"{result.k} / {result.silhouette:.3f}"),
        ("group sizes", ", ".join(str(group.size) for group in result.groups)),
        ("ARI vs planted blocs", f"{ari:.4f}"),
        (
            "consensus: planted found / reported",
            f"{consensus_ok} of {planted_consensus} / {len(result.consensus)}",
        ),
        ("representative comments from own block", f"{rep_own} of {rep_total}"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
