"""Hearing report: generation time, page time and PDF time on a large hearing, and summary
quality on the labelled comments.

    .venv/bin/python bench/report_build.py                      # 20,000 comments, 200,000 votes
    .venv/bin/python bench/report_build.py --comments 100000 --votes 1000000
    .venv/bin/python bench/report_build.py --quality-only

Data (SQLite, ``var/bench_report.sqlite3``, loaded once and found again by its slug): one closed
consultation with 8 sections; comments made from the labelled sentences of ``bench/data``
(Thai and English, two or three sentences each with a random tail, so almost every comment is
distinct), 6 % form letters, a few hidden or removed; votes from external voters. The analysis
run is made once with 30 themes (``analyze_now(n_themes=30)``); its time is printed but is not
the report's.

Timed: ``report_create`` after the run exists (target <= 60 s); the public report page through
Django's test ``Client`` (the first request renders the page, which a published report keeps
in the cache; then ``--n`` requests, p50/p95, target p95 <= 100 ms); the
PDF (target <= 20 s) and the DOCX.

Quality (no database): for every true topic of ``bench/data/labelled_{en,th}.tsv``, the
summary of its comments. There are no hand-annotated sub-points in ``bench/data``; as the
nearest measurable stand-in, *coverage* is the share of the topic's comments whose best cosine
(TF-IDF, the analysis tokeniser) to some summary sentence is at least 0.2, and *redundancy* is
the largest and the mean pairwise cosine between the summary's sentences.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SLUG = "bench-report"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_report.sqlite3'}")
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()


def labelled() -> dict[str, list[tuple[str, str]]]:
    out = {}
    for lang in ("en", "th"):
        rows = (ROOT / "bench" / "data" / f"labelled_{lang}.tsv").read_text("utf-8").splitlines()
        out[lang] = [tuple(r.split("\t", 1)) for r in rows]
    return out


def load(n_comments: int, n_votes: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from comments.models import Comment, Vote
    from topics.models import Agency, Consultation, Section

    call_command("migrate", verbosity=0)
    found = Consultation.objects.filter(slug=SLUG).first()
    if found is not None and found.comment_count == n_comments:
        return
    if found is not None:
        found.delete()
    rng = random.Random(7)
    data = labelled()
    tails = ["ครับ", "ค่ะ", "please", "นะคะ", "thanks", "เร่งด่วน", "ด่วน", "จริง ๆ", "asap", ""]
    now = timezone.now()
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(
            slug="bench", defaults={"name_th": "หน่วยงานทดสอบ", "name_en": "Bench agency"}
        )
        c = Consultation.objects.create(
            agency=agency,
            slug=SLUG,
            title="ร่างพระราชบัญญัติอากาศสะอาด (ชุดทดสอบขนาดใหญ่)",
            kind="draft_act",
            category="health",
            language="th",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=10),
            published_at=now - timedelta(days=41),
        )
        sections = [
            Section.objects.create(consultation=c, position=i, number=f"มาตรา {i + 1}")
            for i in range(8)
        ]
        letter = "ขอให้รัฐบาลห้ามเผาอ้อยทันทีและจ่ายเงินชดเชยให้เกษตรกรที่ไถกลบ"
        rows = []
        for i in range(n_comments):
            if rng.random() < 0.06:
                body, status = letter, "published"
            else:
                lang = "th" if rng.random() < 0.6 else "en"
                topic, first = rng.choice(data[lang])
                same = [t for k, t in data[lang] if k == topic]
                body = f"{first} {rng.choice(same)} {rng.choice(tails)} {i}".strip()
                status = "published"
            r = rng.random()
            if r < 0.004:
                status = "hidden"
            elif r < 0.006:
                status = "removed"
            rows.append(
                Comment(
                    consultation=c,
                    section=rng.choice(sections) if rng.random() < 0.7 else None,
                    body=body,
                    stance=rng.choice(["support", "oppose", "neutral", "suggestion"]),
                    status=status,
                    channel="import",
                    external_id=f"b{i}",
                    created_at=now - timedelta(days=40) + timedelta(seconds=i * 20),
                )
            )
        created = Comment.objects.bulk_create(rows, batch_size=2000)
        published = [x.pk for x in created if x.status == "published"]
        votes, seen = [], set()
        voters = max(1, n_votes // 25)
        while len(votes) < n_votes:
            voter = rng.randrange(voters)
            pk = published[min(len(published) - 1, int(rng.paretovariate(1.2)) - 1)]
            pk = rng.choice(published) if rng.random() < 0.7 else pk
            if (voter, pk) in seen:
                continue
            seen.add((voter, pk))
            votes.append(
                Vote(
                    consultation=c,
                    comment_id=pk,
                    external_voter=f"v{voter}",
                    value=rng.choice([1, 1, -1, 0]),
                    created_at=now - timedelta(days=20),
                    updated_at=now - timedelta(days=20),
                )
            )
            if len(votes) >= 20000:
                Vote.objects.bulk_create(votes, batch_size=5000)
                n_votes -= len(votes)
                votes = []
        Vote.objects.bulk_create(votes, batch_size=5000)
        Consultation.objects.filter(pk=c.pk).update(comment_count=n_comments)


def speed(args: argparse.Namespace) -> None:
    from django.test import Client

    from analytics.models import AnalysisRun, RunStatus
    from analytics.services import analyze_now
    from consult.models import User
    from reports import documents, selectors, services
    from reports.models import Report
    from topics.models import Consultation

    started = time.perf_counter()
    load(args.comments, args.votes)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    c = Consultation.objects.get(slug=SLUG)
    run = AnalysisRun.objects.filter(consultation=c, status=RunStatus.DONE).first()
    if run is None:
        started = time.perf_counter()
        run = analyze_now(consultation=c, n_themes=30)
        print(f"analysis run (not the report): {time.perf_counter() - started:.1f} s")
    editor, _ = User.objects.get_or_create(username="bench-editor@example.org")
    publisher, _ = User.objects.get_or_create(username="bench-publisher@example.org")
    Report.objects.filter(consultation=c).delete()
    started = time.perf_counter()
    report = services.report_create(actor=editor, consultation=c, run=run)
    generation = time.perf_counter() - started
    for issue in report.issues.all():
        services.issue_respond(actor=editor, issue=issue, decision="noted", reasons="รับทราบ")
    services.report_submit(actor=editor, report=report)
    services.report_publish(actor=publisher, report=report)
    client = Client()
    url = f"/c/{SLUG}/report/"
    t = time.perf_counter()
    assert client.get(url).status_code == 200
    first_ms = (time.perf_counter() - t) * 1000  # renders the page and caches it
    for _ in range(5):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(args.n):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    view = selectors.report_view(report)
    t = time.perf_counter()
    pdf = documents.report_pdf(view, "th")
    pdf_s = time.perf_counter() - t
    t = time.perf_counter()
    documents.report_docx(view, "th")
    docx_s = time.perf_counter() - t
    p2 = report.generated["part2"]
    print(
        f"\n{run.n_comments:,} comments read by run {run.pk}, {run.n_votes:,} votes, "
        f"{p2['n_fine_themes']} fine themes -> {len(p2['themes'])} top themes, "
        f"{report.issues.count()} issues; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'measure':<28} {'value':>12} {'target':>10}  ok")
    rows = [
        ("report generated", f"{generation:.1f} s", "60 s", generation <= 60),
        ("report page, first render", f"{first_ms:.0f} ms", "", True),
        ("report page p50", f"{statistics.median(times):.1f} ms", "", True),
        (
            "report page p95",
            f"{times[int(0.95 * len(times)) - 1]:.1f} ms",
            "100 ms",
            times[int(0.95 * len(times)) - 1] <= 100,
        ),
        ("PDF", f"{pdf_s:.1f} s ({len(pdf) // 1024} KB)", "20 s", pdf_s <= 20),
        ("DOCX", f"{docx_s:.1f} s", "", True),
    ]
    for name, value, target, ok in rows:
        print(f"{name:<28} {value:>12} {target:>10}  {'yes' if ok else 'NO'}")


def quality() -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analytics.text import tokenize
    from reports.summaries import summarise

    print(
        f"\n{'set':<4} {'topic':<14} {'n':>4} {'sent.':>5} {'coverage':>9} {'redund.max':>10} {'mean':>6}"
    )
    for lang, rows in labelled().items():
        topics: dict[str, list[str]] = {}
        for topic, text in rows:
            topics.setdefault(topic, []).append(text)
        covs, reds = [], []
        for topic, texts in topics.items():
            summary = summarise([(str(i), t) for i, t in enumerate(texts)])
            sentences = [s.text for s in summary.sentences]
            vec = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True)
            x = vec.fit_transform([tokenize(t) for t in texts + sentences])
            docs, summ = x[: len(texts)], x[len(texts) :]
            best = (docs @ summ.T).toarray().max(axis=1)
            coverage = float((best >= 0.2).mean())
            pair = (summ @ summ.T).toarray()
            off = pair[~np.eye(len(sentences), dtype=bool)] if len(sentences) > 1 else np.zeros(1)
            covs.append(coverage)
            reds.append(off.max())
            print(
                f"{lang:<4} {topic:<14} {len(texts):>4} {len(sentences):>5} {coverage:>9.2f} "
                f"{off.max():>10.2f} {off.mean():>6.2f}"
            )
        print(
            f"{lang:<4} {'mean':<14} {'':>4} {'':>5} {np.mean(covs):>9.2f} {np.mean(reds):>10.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--votes", type=int, default=200_000)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    setup()
    print(f"load average {os.getloadavg()[0]:.2f} at start")
    quality()
    if not args.quality_only:
        speed(args)


if __name__ == "__main__":
    main()
