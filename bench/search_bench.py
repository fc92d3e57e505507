"""Search speed over 10,000 published consultations with 200,000 sections (20 each).

    .venv/bin/python bench/search_bench.py                     # SQLite (FTS5), var/bench_search.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/search_bench.py
    .venv/bin/python bench/search_bench.py --consultations 1000  # smaller

The text is generated, seeded: Thai words from PyThaiNLP's dictionary drawn with Zipf-like
frequencies (so common words are in every document and rare ones in a few), written without
spaces between words as Thai is, about 250 characters a section, an English sentence in one
section out of ten. The index is built with the same segmentation the site uses.

Queries (200 timed, after 20 warm-up): one mid-frequency Thai word; two Thai words typed
without a space; a word cut short; an English word; a Thai word with the "open" and category
filters; and, reported apart, a word found in nearly every consultation. Each is timed as
the search (the count of every match and the ids of the best 20, both from the database)
and as the whole results page through Django's test ``Client`` (first 20 with excerpts and
highlights). Target: p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PREFIX = "bench-search-"
SEED = 20251201
ENGLISH = (
    "emission standards for electric vehicles and public transport",
    "waste water treatment and factory licensing rules",
    "minimum wage review for seasonal workers",
    "data protection duties of small businesses",
)


def setup_django() -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_search.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vocabulary() -> list[str]:
    from importlib.resources import files

    words = files("pythainlp.corpus").joinpath("words_th.txt").read_text().split()
    words = [w for w in words if 2 <= len(w) <= 12 and all("\u0e01" <= ch <= "\u0e4e" for ch in w)]
    random.Random(SEED).shuffle(words)
    return words


def load(n: int, vocab: list[str]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from search.backend import segmented
    from search.models import Document
    from topics.models import Agency, Category, Consultation, Kind, Section

    if Consultation.objects.filter(slug__startswith=PREFIX).count() == n:
        return
    if Consultation.objects.filter(slug__startswith=PREFIX).exists():
        raise SystemExit("another size is loaded: delete the database first")
    rng = np.random.default_rng(SEED)
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    cumulative = np.cumsum(weights / weights.sum())

    def draw(k: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cumulative, rng.random(k)), len(vocab) - 1)

    now = timezone.now()
    categories = Category.values
    t = time.perf_counter()
    with transaction.atomic():
        agencies = [
            Agency.objects.create(slug=f"bench-a{i}", name_th=f"กรมทดสอบที่ {i}", name_en=f"Dept {i}")
            for i in range(50)
        ]
        for start in range(0, n, 500):
            batch = []
            texts: list[tuple[str, list[str]]] = []
            for i in range(start, min(n, start + 500)):
                title_words = draw(5)
                title = "ร่างพระราชบัญญัติ" + "".join(vocab[w] for w in title_words)
                sections = []
                for s in range(20):
                    ids = draw(45)
                    text = (
                        "".join(vocab[w] for w in ids[:22])
                        + " "
                        + "".join(vocab[w] for w in ids[22:])
                    )
                    if (i + s) % 10 == 0:
                        text += " " + ENGLISH[(i + s) % len(ENGLISH)]
                    sections.append(text)
                opens = now - timedelta(days=int(rng.integers(0, 400)))
                batch.append(
                    Consultation(
                        agency=agencies[i % 50],
                        slug=f"{PREFIX}{i}",
                        title=title,
                        summary="",
                        kind=Kind.values[i % len(Kind.values)],
                        category=categories[i % len(categories)],
                        opens_at=opens,
                        closes_at=opens + timedelta(days=15),
                        published_at=opens - timedelta(days=1),
                    )
                )
                texts.append((title, sections))
            created = Consultation.objects.bulk_create(batch)
            if connection.vendor == "sqlite" and created[0].pk is None:
                raise SystemExit("bulk_create did not return ids")
            Section.objects.bulk_create(
                [
                    Section(consultation=c, position=k, number=f"มาตรา {k + 1}", text=text)
                    for c, (_t, sections) in zip(created, texts, strict=True)
                    for k, text in enumerate(sections)
                ],
                batch_size=2000,
            )
            Document.objects.bulk_create(
                [
                    Document(
                        kind="c",
                        object_id=c.pk,
                        consultation=c,
                        title=segmented(title),
                        body=segmented("\n".join([c.agency.name_th, c.agency.name_en, *sections])),
                    )
                    for c, (title, sections) in zip(created, texts, strict=True)
                ],
                batch_size=500,
            )
            print(f"  {start + len(batch):,} consultations loaded", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"loaded in {time.perf_counter() - t:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--consultations", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from search import backend, selectors
    from search.models import Document
    from topics.selectors import ListFilters

    vocab = vocabulary()
    load(args.consultations, vocab)
    rng = random.Random(SEED)

    def doc_freq(word: str) -> int:
        return selectors.consultation_results(ListFilters(q=word)).count()

    mid = [vocab[i] for i in range(300, 3000, 7)]
    scenarios = {
        "one Thai word": lambda: {"q": rng.choice(mid)},
        "two Thai words, no space": lambda: {"q": rng.choice(mid) + rng.choice(mid[:50])},
        "a word cut short": lambda: {
            "q": (w := rng.choice([m for m in mid if len(m) >= 5]))[: len(w) - 1]
        },
        "an English word": lambda: {
            "q": rng.choice(["emission", "wastewater", "Wage", "protection"])
        },
        "Thai word + open + category": lambda: {
            "q": rng.choice(mid),
            "status": "open",
            "category": rng.choice(["health", "energy"]),
        },
        "a word in nearly every one": lambda: {"q": rng.choice(vocab[:3])},
    }
    client = Client()
    url = reverse("search:results")
    load_avg = os.getloadavg()
    print(
        f"database: {connection.vendor}, engine {backend.engine()}; "
        f"{Document.objects.count():,} documents; load average {load_avg[0]:.2f} {load_avg[1]:.2f}"
    )
    print(f"typical matches of a mid-frequency word: {doc_freq(mid[10])}, {doc_freq(mid[200])}")
    print(f"{'scenario':32} {'search p50':>10} {'p95':>7} {'page p50':>9} {'p95':>7}  target")
    for name, make in scenarios.items():
        search_ms, page_ms = [], []
        for i in range(args.n + 20):
            params = make()
            filters = ListFilters(**{k: v for k, v in params.items()})
            t = time.perf_counter()
            results = selectors.consultation_results(filters)
            results.count()
            results[0:20]
            s = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            response = client.get(url, params, secure=True)  # production settings redirect to https
            p = (time.perf_counter() - t) * 1000
            assert response.status_code == 200
            if i >= 20:
                search_ms.append(s)
                page_ms.append(p)
        s50, s95 = np.percentile(search_ms, [50, 95])
        p50, p95 = np.percentile(page_ms, [50, 95])
        ok = "pass" if s95 <= 50 else "FAIL"
        print(f"{name:32} {s50:10.1f} {s95:7.1f} {p50:9.1f} {p95:7.1f}  <= 50 ms {ok}")


if __name__ == "__main__":
    main()
