"""How far our opinion groups agree with the groups Polis itself assigned.

For each of the four real Polis conversations: read the export, drop the comments Polis's
moderators hid, run ``compute_opinion_groups`` with its defaults, and compare our groups with
the ``group-id`` column of ``participants-votes.csv`` by the adjusted Rand index (ARI) over the
participants both clustered. A second ARI forces k to Polis's own number of groups.

Run from the repository root: ``.venv/bin/python bench/polis_agreement.py [DATA_DIR]``.

Data: "Data was gathered using the Polis software (compdemocracy.org/polis) and is
sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project."
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.opinion import compute_opinion_groups  # noqa: E402
from comments.polis_export import read_polis_export  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    header = (
        f"{'conversation':<30} {'people':>6} {'cmts':>5} {'votes':>6} {'both':>5} "
        f"{'k':>2} {'Polis k':>7} {'ARI':>6} {'ARI@Polis k':>11} {'time':>6}"
    )
    print(header)
    print("-" * len(header))
    for folder in sorted(path for path in data.iterdir() if path.is_dir()):
        export = read_polis_export(folder)
        visible = [c.external_id for c in export.comments if c.moderated != -1]
        comment_index = {cid: j for j, cid in enumerate(visible)}
        votes = [v for v in export.votes if v.comment_id in comment_index]
        people = sorted({v.voter_id for v in votes}, key=int)
        person_index = {pid: i for i, pid in enumerate(people)}
        rows = np.array([person_index[v.voter_id] for v in votes], dtype=np.int64)
        cols = np.array([comment_index[v.comment_id] for v in votes], dtype=np.int64)
        values = np.array([v.value for v in votes], dtype=np.int64)

        start = time.perf_counter()
        result = compute_opinion_groups(people, visible, rows, cols, values)
        elapsed = time.perf_counter() - start
        polis_k = len(set(export.groups.values()))
        forced = compute_opinion_groups(
            people, visible, rows, cols, values, k_min=polis_k, k_max=polis_k
        )
        common = [p for p in result.participants if p in export.groups]
        theirs = [export.groups[p] for p in common]
        ari = adjusted_rand_score(theirs, [result.participants[p] for p in common])
        ari_forced = adjusted_rand_score(theirs, [forced.participants[p] for p in common])
        print(
            f"{folder.name:<30} {len(people):>6} {len(visible):>5} {len(votes):>6} "
            f"{len(common):>5} {result.k:>2} {polis_k:>7} {ari:>6.3f} {ari_forced:>11.3f} "
            f"{elapsed:>5.2f}s"
        )


if __name__ == "__main__":
    main()
