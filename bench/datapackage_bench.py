"""Time and peak memory of building one consultation's open-data package (streamed ZIP).

Loads one consultation with ``--comments`` comments (default 1,000,000) and ``--votes`` votes
(default 10,000,000; 50 per voter, imported-style voter ids) into its own database, then builds
the Frictionless package (``opendata.package.write_package``) in a *fresh* process, so the peak
RSS reported is the build's alone (``ru_maxrss`` of that process), not the loader's.

    .venv/bin/python bench/datapackage_bench.py                       # SQLite, var/bench-datapackage.sqlite3
    .venv/bin/python bench/datapackage_bench.py --scale 0.1           # 100,000 / 1,000,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_dp .venv/bin/python bench/datapackage_bench.py

Targets: <= 60 s and peak RSS <= 300 MB at 1,000,000 comments and 10,000,000 votes. Prints the
load average beside the figures (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-datapackage.sqlite3'}")
sys.path.insert(0, str(Path(__file__).resolve().parent))

SLUG_PREFIX = "bench-datapackage"
TIME_TARGET_S = 60.0
RSS_TARGET_MB = 300.0

BUILD = """
import os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
import django
django.setup()
from topics.models import Consultation
from opendata.package import write_package
from django.urls import reverse
reverse("topics:list")  # the URLconf, loaded once in a server
import opendata.polis
c = Consultation.objects.select_related("agency").get(slug={slug!r})
started = time.perf_counter()
with open({out!r}, "wb") as out:
    size = write_package(c, out)
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{seconds:.2f}} {{size}} {{rss:.1f}}")
"""


def load(slug: str, n_comments: int, n_votes: int) -> float:
    import numpy as np
    import page_speed as ps
    from django.db import connection, transaction
    from django.utils import timezone

    from comments.models import Comment, Vote
    from topics.models import Agency, Consultation

    started = time.perf_counter()
    rng = np.random.default_rng(7)
    now = timezone.now().replace(microsecond=0)
    if connection.vendor == "postgresql":  # loading millions of rows outlasts the request limit
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(
            slug="bench-agency", defaults={"name_th": "สำนักงานทดสอบ", "name_en": "Bench Office"}
        )
        c = Consultation.objects.create(
            agency=agency,
            slug=slug,
            title="ร่างพระราชบัญญัติทดสอบข้อมูลเปิด",
            kind="draft_act",
            category="participation",
            opens_at=now - timezone.timedelta(days=40),
            closes_at=now - timezone.timedelta(days=1),
            published_at=now - timezone.timedelta(days=41),
            comment_count=n_comments,
        )
        texts = [ps.make_body(ps.random.Random(i)) for i in range(500)]
        writer = ps.TableWriter(
            Comment,
            [
                "consultation_id",
                "depth",
                "external_author",
                "body",
                "stance",
                "status",
                "channel",
                "external_id",
                "created_at",
                "agree_count",
                "disagree_count",
                "pass_count",
            ],
        )
        stances = ["support", "oppose", "neutral", "suggestion"]
        writer.write(
            (
                c.pk,
                0,
                f"a{i % 50_000}",
                texts[i % 500],
                stances[i % 4],
                "published",
                "import",
                str(i),
                ps.to_db(now - timezone.timedelta(seconds=n_comments - i)),
                0,
                0,
                0,
            )
            for i in range(n_comments)
        )
        first = (
            Comment.objects.filter(consultation=c).order_by("id").values_list("id", flat=True)[0]
        )
        per_voter = 50
        voters = max(1, n_votes // per_voter)
        vote_writer = ps.TableWriter(
            Vote,
            [
                "consultation_id",
                "comment_id",
                "external_voter",
                "value",
                "created_at",
                "updated_at",
            ],
        )
        when = ps.to_db(now - timezone.timedelta(days=2))

        def rows():  # noqa: ANN202
            for v in range(voters):
                picks = rng.choice(n_comments, size=min(per_voter, n_comments), replace=False)
                values = rng.integers(-1, 2, size=len(picks))
                name = f"v{v}"
                for p, val in zip(picks.tolist(), values.tolist(), strict=True):
                    yield (c.pk, first + p, name, val, when, when)

        vote_writer.write(rows())
    ps.analyze()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--votes", type=int, default=10_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply both sizes")
    parser.add_argument("--keep", action="store_true", help="keep the ZIP (var/)")
    args = parser.parse_args()
    n_comments = int(args.comments * args.scale)
    n_votes = int(args.votes * args.scale)
    slug = f"{SLUG_PREFIX}-{n_comments}-{n_votes}"

    import page_speed  # noqa: F401  (configures the environment and sets up Django)
    from django.core.management import call_command
    from django.db import connection

    from topics.models import Consultation

    call_command("migrate", verbosity=0, interactive=False)
    if not Consultation.objects.filter(slug=slug).exists():
        print(f"loading {n_comments:,} comments and {n_votes:,} votes ...", flush=True)
        print(f"loaded in {load(slug, n_comments, n_votes):.1f} s", flush=True)
    vendor = connection.vendor
    connection.close()
    out = ROOT / "var" / f"{slug}.zip"
    load_before = os.getloadavg()
    result = subprocess.run(
        [sys.executable, "-c", BUILD.format(root=str(ROOT), slug=slug, out=str(out))],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    seconds, size, rss = result.stdout.strip().splitlines()[-1].split()
    load_after = os.getloadavg()
    seconds_f, rss_f = float(seconds), float(rss)
    print(f"\n{vendor}: {n_comments:,} comments, {n_votes:,} votes")
    print(f"{'build (s)':>10} {'zip (MB)':>9} {'peak RSS (MB)':>14}  load average before / after")
    print(
        f"{seconds_f:>10.1f} {int(size) / 1e6:>9.1f} {rss_f:>14.1f}  "
        f"{load_before[0]:.2f} / {load_after[0]:.2f} ({os.cpu_count()} CPUs)"
    )
    factor = 10_000_000 / max(n_votes, 1)
    if factor > 1.01:
        print(
            f"extrapolated to 10,000,000 votes (linear in rows): ~{seconds_f * factor:.0f} s; "
            "memory does not grow with the rows (streamed)"
        )
    print(
        f"targets: <= {TIME_TARGET_S:.0f} s: {'pass' if seconds_f * max(factor, 1) <= TIME_TARGET_S else 'FAIL'}; "
        f"<= {RSS_TARGET_MB:.0f} MB: {'pass' if rss_f <= RSS_TARGET_MB else 'FAIL'}"
    )
    if not args.keep:
        out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
