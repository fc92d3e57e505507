"""The public record: what it costs a comment post, proof times at 10 million entries, and how
fast the standalone verifier re-derives the tree.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_h16 \
        .venv/bin/python bench/records_bench.py [--posts 300] [--entries 10000000]

1. **Post cost.** Comment posts (form post with redirect, Django's test ``Client``, server time)
   on one open consultation, each from another consenting person; the record's receivers are
   connected for one post and disconnected for the next, alternately, so both series see the
   same machine load. Also the time inside ``entry_append`` alone.
2. **Proofs at N entries (default 10,000,000).** The entries and the perfect-subtree nodes are
   written by SQL (``generate_series`` + PostgreSQL's ``sha256``) into the same tables the
   platform uses; each entry is a real entry line, hashed as the platform hashes it. The
   root the SQL-built nodes give is checked against the standalone verifier's re-derivation.
   Then inclusion and consistency proofs through ``records.selectors`` (the code behind the
   public endpoints) at random indexes and sizes, each proof verified.
3. **Verifier speed.** ``records/verify.py``'s ``rederive`` over the N entry lines (the file
   the entries endpoint serves), reading from a file.

The database is a scratch one (created when missing); its tables are emptied at the start.
``--keep`` keeps the big tree for the next run, which then measures it without building it
again (``--skip-posts --keep --samples 0`` only builds it).
Prints a table with the load average beside it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure() -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_DATA_DIR", str(ROOT / "var" / "pythainlp-data"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("RECORDS_SIGNING_KEY", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")
    for name in ("RATE_COMMENT_USER", "RATE_COMMENT_IP", "RATE_VOTE_USER", "RATE_VOTE_IP"):
        os.environ.setdefault(name, "1000000/60")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (it is emptied).")
    import psycopg
    from psycopg import sql

    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


configure()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from records import receivers, selectors, services, verify  # noqa: E402


def load() -> str:
    return os.getloadavg().__repr__()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def empty_record() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE records_entrycontent, records_node, records_checkpoint, records_entry"
        )
        cursor.execute("UPDATE records_treestate SET size = 0, edge = '[]'::jsonb")


# --- 1. the post --------------------------------------------------------------------------


def bench_posts(n: int) -> list[tuple[str, ...]]:
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.conf import settings

    from accounts.models import Consent
    from consult.models import User
    from topics.models import Agency, Consultation

    now = timezone.now()
    agency, _ = Agency.objects.get_or_create(
        slug="records-bench",
        defaults={"name_th": "หน่วยงานทดสอบ", "name_en": "Records bench agency"},
    )
    slug = f"records-bench-{int(time.time())}"
    Consultation.objects.create(
        agency=agency,
        slug=slug,
        title="ร่างทดสอบความเร็วการบันทึก",
        kind="draft_act",
        category="health",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        published_at=now - timedelta(days=1),
    )
    people = []
    for i in range(2 * n + 20):
        email = f"rb{i}-{slug}@example.org"
        user = User.objects.create_user(username=email, email=email, password=None)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Consent.objects.create(
            user=user, notice_version=settings.CONSENT_NOTICE_VERSION, language="th"
        )
        people.append(user)

    append_times: list[float] = []
    original = services.entry_append

    def timed_append(**kwargs):
        t0 = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            append_times.append((time.perf_counter() - t0) * 1000)

    receivers.entry_append = timed_append  # the receivers call it by this name
    from django.urls import reverse

    url = reverse("comments:post", args=[slug])
    with_log: list[float] = []
    without_log: list[float] = []
    rng = random.Random(7)
    for i, person in enumerate(people):
        on = i % 2 == 0
        if on:
            receivers.connect()
        else:
            for signal, receiver in receivers.RECEIVERS.items():
                signal.disconnect(receiver, dispatch_uid=f"records.{receiver.__name__}")
        client = Client(REMOTE_ADDR=f"10.{i // 250}.{i % 250}.1")
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        body = f"ความเห็นที่ {i}: " + " ".join(
            rng.choice(["ฝุ่น", "น้ำ", "ถนน", "air"]) for _ in range(30)
        )
        t0 = time.perf_counter()
        response = client.post(url, {"body": body, "stance": "neutral"})
        elapsed = (time.perf_counter() - t0) * 1000
        assert response.status_code in (302, 303), response.status_code
        if i >= 20:  # warm-up
            (with_log if on else without_log).append(elapsed)
    receivers.connect()
    receivers.entry_append = original
    return [
        (
            "post, with the record",
            f"{len(with_log)}",
            f"{statistics.median(with_log):.2f}",
            f"{pct(with_log, 0.95):.2f}",
        ),
        (
            "post, without the record",
            f"{len(without_log)}",
            f"{statistics.median(without_log):.2f}",
            f"{pct(without_log, 0.95):.2f}",
        ),
        (
            "entry_append alone",
            f"{len(append_times)}",
            f"{statistics.median(append_times):.3f}",
            f"{pct(append_times, 0.95):.3f}",
        ),
    ]


# --- 2. a big tree, built by SQL ----------------------------------------------------------

LINE_SQL = (
    "'v1' || E'\\t' || g || E'\\t' || '2026-01-01T00:00:00.000000Z' || E'\\t' || "
    "'bench' || E'\\t' || '-' || E'\\t' || 'bench:' || g || E'\\t' || "
    "encode(sha256(int8send(g)), 'hex')"
)


def build_tree(n: int) -> float:
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        step = 1_000_000
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            cursor.execute(
                'INSERT INTO records_entry ("index", created_at'
                ", kind, consultation_id, subject,"
                " commitment, leaf_hash) SELECT g, '2026-01-01T00:00:00Z', 'bench', NULL,"
                " 'bench:' || g, sha256(int8send(g)),"
                f" sha256('\\x00'::bytea || convert_to({LINE_SQL}, 'UTF8'))"
                " FROM generate_series(%s::bigint, %s::bigint) AS g",
                [lo, hi - 1],
            )
        # Level 1 from the leaves, then each level from the one below (in-order keys:
        # key(level, i) = i * 2^(level+1) + 2^level - 1).
        cursor.execute(
            'INSERT INTO records_node (key, hash) SELECT 4 * (a."index" / 2) + 1,'
            " sha256('\\x01'::bytea || a.leaf_hash || b.leaf_hash)"
            '  FROM records_entry a JOIN records_entry b ON b."index" = a."index" + 1'
            ' WHERE a."index" % 2 = 0'
        )
        level = 2
        while (1 << level) <= n:
            # Children (level-1, 2i) and (level-1, 2i+1) have keys k and k + 2^level, where
            # k = 2i * 2^level + 2^(level-1) - 1; the parent's key is i * 2^(level+1) + 2^level - 1.
            span, half, low = 1 << (level + 1), 1 << level, (1 << (level - 1)) - 1
            cursor.execute(
                "INSERT INTO records_node (key, hash)"
                " SELECT ((l.key - %s) / %s) * %s + %s - 1,"
                " sha256('\\x01'::bytea || l.hash || r.hash)"
                " FROM records_node l JOIN records_node r ON r.key = l.key + %s"
                " WHERE l.key %% %s = %s",
                [low, span, span, half, half, span, low],
            )
            level += 1
        cursor.execute("ANALYZE records_entry")
        cursor.execute("ANALYZE records_node")
    # The tree state: the right edge of size n, from the stored nodes.
    get = selectors.nodes_getter()
    parts = verify.perfect_parts(0, n)
    found = get(parts)
    edge = [found[p].hex() for p in parts]
    from records.models import TreeState

    TreeState.objects.update_or_create(pk=1, defaults={"size": n, "edge": edge})
    return time.perf_counter() - t0


def dump_lines(n: int, path: Path) -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    query = (
        f"COPY (SELECT {LINE_SQL} FROM generate_series(0::bigint, {n - 1}::bigint) AS g) TO STDOUT"
    )
    query += " WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')"  # tabs as they are
    with path.open("wb") as out:
        subprocess.run(
            [
                "psql",
                "-h",
                url.hostname,
                "-p",
                str(url.port or 5432),
                "-U",
                unquote(url.username or "postgres"),
                "-d",
                unquote(url.path.lstrip("/")),
                "-c",
                query,
            ],
            stdout=out,
            check=True,
        )


def bench_proofs(n: int, samples: int) -> list[tuple[str, ...]]:
    rng = random.Random(11)
    root = verify.root_from_nodes(n, selectors.nodes_getter())
    inc: list[float] = []
    for _ in range(samples):
        index = rng.randrange(n)
        t0 = time.perf_counter()
        proof = selectors.inclusion_proof(index=index, size=n)
        inc.append((time.perf_counter() - t0) * 1000)
        from records.models import Entry

        leaf = bytes(Entry.objects.get(index=index).leaf_hash)
        verify.verify_inclusion(leaf, index, n, proof, root)
    con: list[float] = []
    for _ in range(samples):
        first = rng.randrange(1, n)
        t0 = time.perf_counter()
        proof = selectors.consistency_proof(first=first, second=n)
        con.append((time.perf_counter() - t0) * 1000)
        first_root = verify.root_from_nodes(first, selectors.nodes_getter())
        verify.verify_consistency(first, n, first_root, root, proof)
    return [
        (
            f"inclusion proof at {n:,}",
            f"{samples}",
            f"{statistics.median(inc):.2f}",
            f"{pct(inc, 0.95):.2f}",
        ),
        (
            f"consistency proof to {n:,}",
            f"{samples}",
            f"{statistics.median(con):.2f}",
            f"{pct(con, 0.95):.2f}",
        ),
    ]


def tree_size() -> int:
    from records.models import TreeState

    state = TreeState.objects.filter(pk=1).first()
    return state.size if state else 0


def bench_tree(
    n: int, samples: int, notes: list[str], *, keep: bool = False
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    if keep and tree_size() == n:
        notes.append(f"the {n:,} entries built by an earlier run (--keep) are measured")
    else:
        empty_record()
        with transaction.atomic():
            seconds = build_tree(n)
        notes.append(f"built {n:,} entries + nodes by SQL in {seconds:.0f} s")
    if samples <= 0:
        return rows
    rows += bench_proofs(n, samples)
    notes.append(f"proofs measured at load {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entries.txt"
        dump_lines(n, path)
        root = verify.root_from_nodes(n, selectors.nodes_getter())
        t0, c0 = time.perf_counter(), time.process_time()
        with path.open("rb") as f:
            done = list(verify.rederive(f, {n: root}))
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert done == [(n, root)]
        rows.append(
            (
                f"verifier re-derivation of {n:,} (wall)",
                "1",
                f"{seconds:.1f} s",
                f"{n / seconds:,.0f} entries/s",
            )
        )
        rows.append(
            (
                f"verifier re-derivation of {n:,} (CPU time)",
                "1",
                f"{cpu:.1f} s",
                f"{n / cpu:,.0f} entries/s",
            )
        )
        notes.append(f"verifier measured at load {load()} (root matches the SQL-built tree)")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--skip-posts", action="store_true")
    parser.add_argument("--posts-only", action="store_true")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the N-entry tree afterwards, and measure one already built instead of "
        "building it again (with --samples 0: only build it)",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    if not args.keep:
        empty_record()
    if not args.skip_posts:
        rows += bench_posts(args.posts)
        notes.append(f"posts measured at load {load()}")
        assert list(selectors.check_all()) == [], "the record written by the posts must verify"
    if not args.posts_only:
        rows += bench_tree(args.entries, args.samples, notes, keep=args.keep)
    if not args.keep:
        empty_record()
    width = max((len(r[0]) for r in rows), default=8)
    print(f"{'scenario':<{width}}  {'n':>6}  {'p50 ms':>10}  {'p95 ms':>22}")
    for name, count, p50, p95 in rows:
        print(f"{name:<{width}}  {count:>6}  {p50:>10}  {p95:>22}")
    for note in notes:
        print("-", note)


if __name__ == "__main__":
    main()
