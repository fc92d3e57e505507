"""Speed of the moderation queue page with 10,000 pending items.

Loads 10,000 held comments (with their screening records and queue items) into a fresh test
database, signs in a platform moderator, and times GET /moderation/ (first page, oldest first),
a deep page and a filtered page through Django's test Client, with DEBUG off as in production
(templates cached). Prints p50 / p95 / max in milliseconds.

    .venv/bin/python bench/moderation_queue.py [--items 10000] [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_bench_mod .venv/bin/python bench/moderation_queue.py

Target: p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
# As in production: DEBUG off, so templates are parsed once and cached.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

TARGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    # No setup_test_environment(): its template instrumentation copies every context and
    # would be measured too.
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        run(args.items, args.requests)
    finally:
        runner.teardown_databases(old)


def load(n: int):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction
    from django.utils import timezone

    from comments.models import Comment, Status
    from consult.models import User
    from moderation.models import Kind, QueueItem, Screening
    from topics.models import Agency, Consultation, Membership

    now = timezone.now()
    with transaction.atomic():
        agency = Agency.objects.create(slug="bench", name_th="หน่วยงาน", name_en="Agency")
        consultations = [
            Consultation.objects.create(
                agency=agency,
                slug=f"bench-{i}",
                title=f"ร่างพระราชบัญญัติทดสอบ {i}",
                kind="draft_act",
                category="health",
                opens_at=now - timedelta(days=5),
                closes_at=now + timedelta(days=20),
                published_at=now - timedelta(days=6),
            )
            for i in range(5)
        ]
        authors = [
            User.objects.create_user(
                username=f"a{i}@example.org", email=f"a{i}@example.org", display_name=f"ผู้เขียน {i}"
            )
            for i in range(200)
        ]
        comments = [
            Comment(
                consultation=consultations[i % 5],
                author=authors[i % 200],
                body=f"ความเห็นที่ {i} ไอ้ควาย ร่างนี้ไม่ดี " * 3,
                status=Status.PENDING,
                status_reason="abuse",
                created_at=now - timedelta(minutes=n - i),
            )
            for i in range(n)
        ]
        Comment.objects.bulk_create(comments, batch_size=2000)
        comments = list(Comment.objects.order_by("id"))
        Screening.objects.bulk_create(
            [
                Screening(comment=c, outcome="hold", reasons=["abuse"], created_at=c.created_at)
                for c in comments
            ],
            batch_size=2000,
        )
        QueueItem.objects.bulk_create(
            [
                QueueItem(
                    comment=c,
                    consultation_id=c.consultation_id,
                    agency_id_copy=agency.pk,
                    kind=Kind.HELD if i % 4 else Kind.FLAGGED,
                    reason="abuse",
                    created_at=c.created_at,
                )
                for i, c in enumerate(comments)
            ],
            batch_size=2000,
        )
        moderator = User.objects.create_user(
            username="mod@example.org", email="mod@example.org", display_name="Mod"
        )
        EmailAddress.objects.create(
            user=moderator, email=moderator.email, verified=True, primary=True
        )
        TOTP.activate(moderator, "JBSWY3DPEHPK3PXP")
        Membership.objects.create(user=moderator, agency=None, role="moderator")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return moderator, consultations


def timed(client, url: str, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request (this process's CPU: what one core
    spends, unaffected by other work on a busy machine; the database is in-process for
    SQLite, a separate server for PostgreSQL)."""
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def run(items: int, requests: int) -> None:
    from django.db import connection
    from django.test import Client

    from moderation.models import QueueItem

    t0 = time.perf_counter()
    moderator, consultations = load(items)
    print(
        f"database: {connection.vendor}; loaded {QueueItem.objects.count():,} pending items "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    client = Client()
    client.force_login(moderator)
    first = client.get("/moderation/")
    assert first.status_code == 200 and b"q-item" in first.content
    urls = {
        "queue, first page": "/moderation/",
        "queue, page 100": "/moderation/?page=100",
        "queue, filtered": f"/moderation/?kind=flagged&consultation={consultations[2].slug}&age=24h",
    }
    print(
        f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    header = "".join(f"{h:>10}" for h in ("p50", "p95", "max", "cpu p50", "cpu p95"))
    print(f"{'page (ms)':<22}{header}")
    worst = worst_cpu = 0.0
    for name, url in urls.items():
        timed(client, url, 5)  # warm
        wall, cpu = timed(client, url, requests)
        worst, worst_cpu = max(worst, pct(wall, 0.95)), max(worst_cpu, pct(cpu, 0.95))
        cells = (statistics.median(wall), pct(wall, 0.95), max(wall), statistics.median(cpu),
                 pct(cpu, 0.95))  # fmt: skip
        print(f"{name:<22}" + "".join(f"{c:>10.1f}" for c in cells))
    for label, value in (("wall-clock", worst), ("CPU", worst_cpu)):
        verdict = "meets" if value <= TARGET_MS else "MISSES"
        print(f"worst {label} p95 {value:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
