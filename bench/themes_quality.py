"""Quality of theme discovery on labelled comments (bench/data), Thai and English.

    .venv/bin/python bench/themes_quality.py            # seeds 0-4
    .venv/bin/python bench/themes_quality.py --seeds 10

For each labelled set (8 topics of a draft Clean Air Act, 280 comments per language, and the
two languages mixed), NMI and ARI against the true topics of:

(a) baseline: TF-IDF (the same tokeniser, which Thai needs) + k-means told the TRUE number
    of topics (scikit-learn defaults otherwise, n_init=10);
(b) ``find_themes`` choosing the number of themes itself;
(c) ``find_themes`` told the true number (for reference);
(d) the top level of (b): its fine themes merged into 5-12 top themes per language
    (``analytics.hierarchy``), the level a report shows first;
(e) ``find_themes`` made to fragment (30 themes per language, as it chose on some held-out
    sets) and (f) the top level of (e): how much of the fragmentation the merge undoes.

Means over seeds, with the spread (min-max). Unassigned comments count as one extra group.
The bar: (b) >= (a) on both NMI and ARI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from analytics.hierarchy import theme_hierarchy  # noqa: E402
from analytics.text import tokenize  # noqa: E402
from analytics.themes import ThemeInput, find_themes  # noqa: E402


def load(lang: str) -> tuple[list[str], list[str]]:
    path = ROOT / "bench" / "data" / f"labelled_{lang}.tsv"
    rows = [line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r[1] for r in rows], [r[0] for r in rows]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def baseline(texts: list[str], truth: list[str], seed: int) -> tuple[float, float, int]:
    x = TfidfVectorizer(analyzer=_identity).fit_transform([tokenize(t) for t in texts])
    k = len(set(truth))
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)
    return _scores(truth, labels) + (k,)


def ours(
    texts: list[str], truth: list[str], seed: int, n_themes: int | None
) -> tuple[float, float, int]:
    items = [ThemeInput(id=str(i), text=t) for i, t in enumerate(texts)]
    result = find_themes(items, seed=seed, n_themes=n_themes)
    labels = np.full(len(texts), -1)
    for theme in result.themes:
        labels[[int(i) for i in theme.comment_ids]] = theme.id
    return _scores(truth, labels) + (result.n_themes_chosen,)


def top_level(
    texts: list[str], truth: list[str], seed: int, n_themes: int | None = None
) -> tuple[float, float, int]:
    items = [ThemeInput(id=str(i), text=t) for i, t in enumerate(texts)]
    result = find_themes(items, seed=seed, n_themes=n_themes)
    fine = {t.id: t for t in result.themes}
    tops = theme_hierarchy(
        [
            {"id": t.id, "size": t.size, "comment_ids": t.comment_ids, "terms": t.terms}
            for t in result.themes
        ],
        {str(i): t for i, t in enumerate(texts)},
    )
    labels = np.full(len(texts), -1)
    for top in tops:
        for fine_id in top.fine_ids:
            labels[[int(i) for i in fine[fine_id].comment_ids]] = top.id
    return _scores(truth, labels) + (len(tops),)


def _scores(truth: list[str], labels: np.ndarray) -> tuple[float, float]:
    return (
        float(normalized_mutual_info_score(truth, labels)),
        float(adjusted_rand_score(truth, labels)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    seeds = range(args.seeds)

    en, en_truth = load("en")
    th, th_truth = load("th")
    sets = {
        "English": (en, en_truth),
        "Thai": (th, th_truth),
        "mixed": (en + th, [f"en-{t}" for t in en_truth] + [f"th-{t}" for t in th_truth]),
    }
    header = f"{'set':<8} {'method':<34} {'NMI':>16} {'ARI':>16} {'k':>9}"
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, (texts, truth) in sets.items():
        langs = 2 if name == "mixed" else 1
        runs = {
            "(a) tf-idf + k-means, true k": [baseline(texts, truth, s) for s in seeds],
            "(b) find_themes, k chosen": [ours(texts, truth, s, None) for s in seeds],
            "(c) find_themes, true k": [ours(texts, truth, s, len(set(truth))) for s in seeds],
            "(d) top level of (b), merged": [top_level(texts, truth, s) for s in seeds],
            "(e) find_themes, 30 per language": [ours(texts, truth, s, 30 * langs) for s in seeds],
            "(f) top level of (e), merged": [top_level(texts, truth, s, 30 * langs) for s in seeds],
        }
        for method, results in runs.items():
            arr = np.array(results)
            nmi, ari, ks = arr[:, 0], arr[:, 1], arr[:, 2].astype(int)
            print(
                f"{name:<8} {method:<34} {_fmt(nmi):>16} {_fmt(ari):>16} "
                f"{f'{ks.min()}-{ks.max()}' if ks.min() != ks.max() else ks.min():>9}"
            )
        a = np.array(runs["(a) tf-idf + k-means, true k"]).mean(axis=0)
        b = np.array(runs["(b) find_themes, k chosen"]).mean(axis=0)
        ok = b[0] >= a[0] and b[1] >= a[1]
        verdicts.append(
            f"{name}: (b) {'reaches' if ok else 'DOES NOT reach'} (a) "
            f"(NMI {b[0]:.3f} vs {a[0]:.3f}, ARI {b[1]:.3f} vs {a[1]:.3f})"
        )
        print()
    print("\n".join(verdicts))


def _fmt(values: np.ndarray) -> str:
    return f"{values.mean():.3f} ({values.min():.2f}-{values.max():.2f})"


if __name__ == "__main__":
    main()
