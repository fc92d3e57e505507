"""Server time of the consultation page, comment posting and voting on a large consultation.

One consultation holds 100,000 comments (about 12% replies, spread over 24 sections and the
draft as a whole, lengths from a line to a few paragraphs, about 40% in Thai, a few pending,
hidden or removed) and 1,000,000 imported votes (``external_voter`` ids), plus 3,000 verified
people (who gave consent where the platform asks for it) who comment, vote (about 30,000 more
votes) and take positions. Requests go through Django's test ``Client`` in this process, so the
times are server time (middleware, view, queries, template) without any network.

    .venv/bin/python bench/page_speed.py                  # SQLite, var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/page_speed.py
    .venv/bin/python bench/page_speed.py --quick          # 5,000 comments / 50,000 votes

Scenarios: the consultation page anonymous and signed in (comment form and vote buttons shown),
first page of each sort, one section, the whole-draft comments, and page 50 of each sort
(following the cursors the "More comments" link carries); posting a comment and a reply as
JSON and as a form with a redirect; voting (JSON and redirect). Each post comes from another
person with another address, as in real use; rate limits are raised out of reach (the limiter
still runs).

Options: ``--n`` timed requests per scenario (200), ``--warmup`` (20), ``--reload`` drops and
reloads the data (or delete the SQLite file / the database), ``--only`` runs the scenarios
whose name contains one of some comma-separated words, ``--queries`` prints each scenario's queries with their times,
``--explain`` adds the plans of the slowest ones, ``--profile NAME`` prints a cProfile of a
scenario, ``--no-server-loop`` sends live events the way a command does (a new event loop per
write) instead of through a server loop as under Daphne.

The data is loaded once (a single transaction, so a run that stops half way leaves nothing)
and found again by its slug on the next run; ANALYZE (VACUUM ANALYZE on PostgreSQL) follows a
load or newly applied migrations. Writes made by the post and vote scenarios are removed at the
end, with the counts they touched restored, so every run measures the same data.

Prints one row per scenario: n; p50, p95 and max of the server time (wall clock) in ms; the
median and p95 CPU time of the request (SQLite work included, a PostgreSQL server's not); the
median and p95 time inside database calls; the median number of queries; target; pass/fail.
DEBUG is off, as in production (a throw-away SECRET_KEY is set for the run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import itertools
import os
import pstats
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_TARGET_MS = 50.0
POST_TARGET_MS = 30.0
DEEP_PAGE = 50
SEED = 20240601


# --- Environment (before Django is set up) -----------------------------------------------------


def configure_environment() -> None:
    # As in production: DEBUG off (no template debug information, no query log).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_DATA_DIR", str(ROOT / "var" / "pythainlp-data"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The limiter still runs on every post and vote; its limits just stay out of reach.
    for name in ("RATE_COMMENT_USER", "RATE_COMMENT_IP", "RATE_VOTE_USER", "RATE_VOTE_IP"):
        os.environ.setdefault(name, "1000000/60")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    url = urlparse(os.environ["DATABASE_URL"])
    if url.scheme == "sqlite":
        path = (ROOT / url.path[1:]).resolve()  # sqlite:///relative or sqlite:////absolute
        if path == (ROOT / "var" / "db.sqlite3").resolve():
            sys.exit("Refusing to fill var/db.sqlite3 (the development database); choose a file.")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif url.scheme in ("postgres", "postgresql"):
        ensure_postgres_database(os.environ["DATABASE_URL"])


def ensure_postgres_database(database_url: str) -> None:
    """Create the database named in the URL if it does not exist (connecting to ``postgres``)."""
    import psycopg
    from psycopg import sql

    url = urlparse(database_url)
    name = unquote(url.path.lstrip("/"))
    if not name:
        sys.exit("DATABASE_URL names no database")
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=unquote(url.username or "postgres"),
        password=unquote(url.password) if url.password else None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


configure_environment()

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from comments import live  # noqa: E402
from comments.models import IN_THREAD, Channel, Comment, CommentStance, Status, Vote  # noqa: E402
from comments.selectors import thread_page  # noqa: E402
from comments.services import divisiveness  # noqa: E402
from consult.models import User  # noqa: E402
from topics.models import Agency, Consultation, Position, Section  # noqa: E402

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Size:
    slug: str
    comments: int
    votes: int
    users: int
    sections: int
    voter_pool: int


FULL = Size("bench-page-speed-100k", 100_000, 1_000_000, 3_000, 24, 200_000)
QUICK = Size("bench-page-speed-5k", 5_000, 50_000, 300, 12, 20_000)


# --- Text ------------------------------------------------------------------------------------

THAI = [
    "ขอสนับสนุนร่างพระราชบัญญัตินี้ในหลักการ",
    "แต่เห็นว่าควรแก้ไขถ้อยคำในมาตรานี้ให้ชัดเจนกว่าเดิม",
    "ประชาชนในพื้นที่ชนบทจะได้รับผลกระทบโดยตรงจากบทบัญญัตินี้",
    "หน่วยงานของรัฐควรเปิดเผยข้อมูลประกอบการพิจารณาให้ครบถ้วน",
    "ค่าธรรมเนียมที่กำหนดไว้สูงเกินไปสำหรับผู้ประกอบการรายย่อย",
    "ควรมีบทเฉพาะกาลให้ผู้ที่ดำเนินการอยู่แล้วมีเวลาปรับตัวอย่างน้อยหนึ่งปี",
    "ไม่เห็นด้วยที่ให้อำนาจรัฐมนตรีออกประกาศได้โดยไม่มีการรับฟังความคิดเห็น",
    "โทษปรับทางปกครองควรแยกตามขนาดของกิจการ",
    "ขอให้กำหนดระยะเวลาการพิจารณาคำขอไม่เกินสามสิบวัน",
    "ในฐานะครูในโรงเรียนขนาดเล็ก ผมเห็นว่าภาระเอกสารจะเพิ่มขึ้นมาก",
    "ดิฉันเป็นเกษตรกรผู้ปลูกข้าว อยากให้คำนึงถึงต้นทุนที่เพิ่มขึ้น",
    "ควรมีช่องทางร้องเรียนที่ประชาชนเข้าถึงได้ง่ายทั้งออนไลน์และที่ว่าการอำเภอ",
    "การรับฟังความคิดเห็นควรมีการสรุปผลและชี้แจงเหตุผลต่อสาธารณะ",
    "นิยามคำว่า ผู้ประกอบการ กว้างเกินไปจนอาจรวมถึงบุคคลธรรมดา",
    "ขอให้ตัดมาตรานี้ออกทั้งมาตรา เพราะซ้ำซ้อนกับกฎหมายที่มีอยู่แล้ว",
    "เห็นด้วยอย่างยิ่ง ควรบังคับใช้โดยเร็ว",
    "คณะกรรมการควรมีผู้แทนภาคประชาสังคมอย่างน้อยสามคน",
    "อยากทราบว่าจะใช้งบประมาณจากแหล่งใดและมีการประเมินความคุ้มค่าหรือไม่",
    "ควรกำหนดให้มีการทบทวนกฎหมายนี้ทุกห้าปี",
    "ข้อมูลส่วนบุคคลที่เก็บรวบรวมต้องได้รับการคุ้มครองตามกฎหมาย",
    "ครับ",
    "ค่ะ",
    "ขอบคุณที่เปิดรับฟังความคิดเห็น",
    "ในทางปฏิบัติเจ้าหน้าที่ท้องถิ่นยังขาดบุคลากรและงบประมาณ",
]
ENGLISH = [
    "I support the principle of this draft.",
    "However, the wording of this section is too vague to be enforced consistently.",
    "Small businesses will bear most of the compliance cost.",
    "Please publish the regulatory impact assessment before the second reading.",
    "The fee schedule should be set in the act itself, not left to ministerial notification.",
    "There must be a transition period of at least twelve months.",
    "Who will monitor the committee, and how are its decisions reviewed?",
    "Rural communities were not consulted when this was drafted.",
    "The penalty is disproportionate for a first offence.",
    "Define 'operator' narrowly so that individuals are not caught by accident.",
    "This duplicates obligations that already exist under the current law.",
    "Strongly agree; this is long overdue.",
    "The data collected should be minimised and deleted after the retention period.",
    "Please add a right of appeal to an independent body.",
    "As a nurse in a provincial hospital I see this problem every week.",
    "The deadline of 30 days is unrealistic for local offices.",
    "Thank you for opening this consultation.",
    "Publish the responses and explain which comments changed the draft.",
]
LINKS = [
    "https://www.law.go.th/listeningDetail?survey_id=MTIzNA==",
    "https://example.org/impact-assessment.pdf",
    "www.example.com/report",
]
SECTION_HEADINGS = [
    "ชื่อพระราชบัญญัติ",
    "วันใช้บังคับ",
    "บทนิยาม",
    "ผู้รักษาการ",
    "คณะกรรมการ",
    "อำนาจหน้าที่ของคณะกรรมการ",
    "สำนักงาน",
    "การขออนุญาต",
    "ค่าธรรมเนียม",
    "หน้าที่ของผู้ประกอบการ",
    "การคุ้มครองข้อมูลส่วนบุคคล",
    "พนักงานเจ้าหน้าที่",
    "การอุทธรณ์",
    "กองทุน",
    "การรายงานและการเปิดเผยข้อมูล",
    "มาตรการทางปกครอง",
    "โทษทางอาญา",
    "โทษปรับทางปกครอง",
    "การทบทวนกฎหมาย",
    "บทเฉพาะกาล",
]
THAI_NAMES = ["สมชาย", "สมหญิง", "วิภา", "ประเสริฐ", "นภา", "อนันต์", "กัญญา", "ธีรพงษ์"]
EN_NAMES = ["Anna", "Ben", "Chai", "Dao", "Emma", "Frank", "Kanya", "Lek"]


def make_body(rng: random.Random) -> str:
    """A comment of realistic length: a line to a few paragraphs, Thai or English."""
    thai = rng.random() < 0.4
    pool = THAI if thai else ENGLISH
    target = int(min(4000, max(12, rng.lognormvariate(5.1, 0.85))))  # median ~165 characters
    parts: list[str] = []
    length = 0
    since_break = 0
    while length < target:
        piece = rng.choice(pool)
        parts.append(piece)
        length += len(piece) + 1
        since_break += len(piece)
        if since_break > 350 and rng.random() < 0.5:
            parts.append("\n\n")
            since_break = 0
        elif rng.random() < 0.01:
            parts.append(rng.choice(LINKS))
    text = " ".join(parts).replace(" \n\n ", "\n\n")
    return text[:target].strip() or pool[0]


def draft_body() -> str:
    paragraphs = [
        "<h2>หลักการ</h2><p>ให้มีกฎหมายว่าด้วยการรับฟังความคิดเห็นและการประเมินผลสัมฤทธิ์ของกฎหมาย</p>",
        "<h2>เหตุผล</h2>",
    ]
    for i in range(12):
        paragraphs.append(
            f"<p>โดยที่เป็นการสมควรปรับปรุงกฎหมายในส่วนที่ {i + 1} ให้สอดคล้องกับสภาพการณ์ที่เปลี่ยนแปลงไป "
            "และให้ประชาชนมีส่วนร่วมในการตรวจสอบการใช้อำนาจรัฐ <strong>จึงจำเป็นต้องตราพระราชบัญญัตินี้</strong> "
            "รายละเอียดเพิ่มเติมดูได้ที่ <a href='https://www.law.go.th/'>ระบบกลางทางกฎหมาย</a></p>"
        )
    return "\n".join(paragraphs)


# --- Loading -----------------------------------------------------------------------------------


def to_db(value: object) -> object:
    """Values as the backend stores them (SQLite keeps UTC datetimes as Django's text)."""
    if isinstance(value, datetime) and connection.vendor == "sqlite":
        return connection.ops.adapt_datetimefield_value(value)
    return value


class TableWriter:
    """Fast inserts of plain tuples: COPY on PostgreSQL, executemany elsewhere.

    Columns not given get their model default, so fields added later with a default still load.
    """

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [n for n in given if n not in fields]
        if missing:
            raise SystemExit(f"{model.__name__} has no field(s) {missing}")
        rest = [
            f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key
        ]
        self.table = model._meta.db_table
        self.columns = [fields[n].column for n in given] + [f.column for f in rest]
        self.tail = tuple(to_db(f.get_default()) for f in rest)

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        connection.ensure_connection()
        raw = connection.connection
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.columns)
        count = 0
        if connection.vendor == "postgresql":
            with raw.cursor() as cur, cur.copy(f"COPY {qn(self.table)} ({cols}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row + self.tail)
                    count += 1
            return count
        marks = ", ".join(["?"] * len(self.columns))
        sql = f"INSERT INTO {qn(self.table)} ({cols}) VALUES ({marks})"
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, 20_000)):
            raw.executemany(sql, [tuple(to_db(v) for v in row) + self.tail for row in chunk])
            count += len(chunk)
        return count


@dataclass
class Loaded:
    consultation: Consultation
    viewer: User
    people: list[User]
    load_seconds: float | None


def load_or_reuse(size: Size, *, reload: bool) -> Loaded:
    existing = Consultation.objects.filter(slug=size.slug).first()
    if existing is not None and reload:
        drop(size)
        existing = None
    started = time.perf_counter()
    seconds: float | None = None
    if existing is None:
        print(f"loading {size.comments:,} comments and {size.votes:,} votes ...", flush=True)
        with transaction.atomic():
            load(size)
        analyze()
        seconds = time.perf_counter() - started
        print(f"loaded and analysed in {seconds:.1f} s", flush=True)
    consultation = Consultation.objects.select_related("agency").get(slug=size.slug)
    now = timezone.now()
    if not consultation.is_open:  # a reused database some weeks later
        Consultation.objects.filter(pk=consultation.pk).update(
            opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=80)
        )
        consultation.refresh_from_db()
    people = list(User.objects.filter(username__startswith=f"{size.slug}-").order_by("id"))
    give_consent(people)
    return Loaded(consultation, people[0], people[1:], seconds)


def give_consent(people: list[User]) -> None:
    """Where the platform asks for explicit consent before a first comment or vote, the
    benchmark's people have given it (for the current notice)."""
    try:
        consent = django_apps.get_model("accounts", "Consent")
    except LookupError:
        return
    version = getattr(settings, "CONSENT_NOTICE_VERSION", "")
    done = set(
        consent.objects.filter(user__in=people, notice_version=version, given=True).values_list(
            "user_id", flat=True
        )
    )
    consent.objects.bulk_create(
        consent(user=u, notice_version=version, language="th", given=True)
        for u in people
        if u.pk not in done
    )


def drop(size: Size) -> None:
    print("dropping the previous benchmark data ...", flush=True)
    consultation = Consultation.objects.get(slug=size.slug)
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cur:
        for model in (Vote, Comment):
            cur.execute(
                f"DELETE FROM {qn(model._meta.db_table)} WHERE consultation_id = %s",
                [consultation.pk],
            )
        consultation.delete()
        User.objects.filter(username__startswith=f"{size.slug}-").delete()


def analyze() -> None:
    if connection.vendor == "postgresql":
        # VACUUM also sets the visibility map (index-only scans), as autovacuum would in service.
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def zipf_weights(n: int, s: float, rng: np.random.Generator) -> FloatArray:
    w = 1.0 / np.arange(1, n + 1) ** s
    rng.shuffle(w)
    return w / w.sum()


def load(size: Size) -> None:
    rng = np.random.default_rng(SEED)
    prng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)
    opens = now - timedelta(days=10)
    agency, _ = Agency.objects.get_or_create(
        slug="bench-agency",
        defaults={"name_th": "สำนักงานทดสอบความเร็ว", "name_en": "Benchmark Office"},
    )
    consultation = Consultation.objects.create(
        agency=agency,
        slug=size.slug,
        title="ร่างพระราชบัญญัติการมีส่วนร่วมของประชาชนในการจัดทำกฎหมาย พ.ศ. ....",
        summary="ร่างกฎหมายสำหรับทดสอบความเร็วของหน้าความคิดเห็น " * 3,
        body=draft_body(),
        language="th",
        kind="draft_act",
        category="participation",
        opens_at=opens,
        closes_at=opens + timedelta(days=90),
        published_at=opens - timedelta(days=1),
    )
    sections = Section.objects.bulk_create(
        Section(
            consultation=consultation,
            position=i,
            number=f"มาตรา {i + 1}",
            heading=SECTION_HEADINGS[i % len(SECTION_HEADINGS)],
            text=" ".join(prng.choice(THAI) for _ in range(prng.randint(3, 12))),
        )
        for i in range(size.sections)
    )
    section_ids = [s.pk for s in sections]

    # People: the first one is the viewer of the logged-in scenarios.
    users = User.objects.bulk_create(
        User(
            username=f"{size.slug}-{i:05d}@example.org",
            email=f"{size.slug}-{i:05d}@example.org",
            password="!unusable",
            display_name=(
                f"{prng.choice(THAI_NAMES)} {i}"
                if prng.random() < 0.6
                else f"{prng.choice(EN_NAMES)} {i}"
            ),
        )
        for i in range(size.users)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    user_ids = np.array([u.pk for u in users], dtype=np.int64)
    stances = ["support", "oppose", "undecided"]
    positions = Position.objects.bulk_create(
        Position(
            consultation=consultation,
            user=u,
            value=prng.choices(stances, weights=[45, 35, 20])[0],
        )
        for u in users
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        **{f"{v}_count": sum(p.value == v for p in positions) for v in stances}
    )

    # Comments, oldest first, with ids assigned here so replies can point at their parents.
    n = size.comments
    first_id = (Comment.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    span = (now - opens - timedelta(hours=2)).total_seconds()
    offsets = np.sort(rng.uniform(0, span, n))
    created = [opens + timedelta(hours=1, seconds=float(s)) for s in offsets]
    popularity = rng.pareto(1.3, n) + 0.05
    is_reply = (rng.random(n) < 0.12) & (np.arange(n) > 50)
    status_roll = rng.random(n)
    status = np.where(
        status_roll < 0.010,
        1,  # pending
        np.where(status_roll < 0.015, 2, np.where(status_roll < 0.018, 3, 0)),  # hidden, removed
    )
    status_names = [Status.PUBLISHED, Status.PENDING, Status.HIDDEN, Status.REMOVED]
    section_weights = zipf_weights(size.sections, 0.9, rng)
    section_pick = rng.choice(size.sections, size=n, p=section_weights)
    general = rng.random(n) < 0.30
    author_weights = zipf_weights(size.users, 0.7, rng)
    author_pick = user_ids[rng.choice(size.users, size=n, p=author_weights)]
    imported = rng.random(n) < 0.2
    stance_pick = rng.choice(4, size=n, p=[0.3, 0.3, 0.25, 0.15])
    stance_names = [
        CommentStance.SUPPORT,
        CommentStance.OPPOSE,
        CommentStance.NEUTRAL,
        CommentStance.SUGGESTION,
    ]

    # Replies go to popular earlier comments; replies themselves attract fewer replies.
    weight = np.where(is_reply, popularity * 0.2, popularity)
    cumulative = np.cumsum(weight)
    parent = np.full(n, -1, dtype=np.int64)
    root = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    section_of = np.where(general, -1, np.asarray(section_ids, dtype=np.int64)[section_pick])
    for i in np.flatnonzero(is_reply):
        for _attempt in range(20):
            j = int(np.searchsorted(cumulative, rng.uniform(0, cumulative[i - 1]), side="right"))
            j = min(j, i - 1)
            if depth[j] >= 2:
                j = int(parent[j])
            if status[j] == 0:
                break
        else:
            is_reply[i] = False
            continue
        if status[j] != 0:
            is_reply[i] = False
            continue
        parent[i] = j
        root[i] = root[j] if root[j] >= 0 else j
        depth[i] = depth[j] + 1
        section_of[i] = section_of[j]
    published = status == 0

    # Votes: imported voters, counts proportional to popularity, then a few by the people.
    vote_weight = np.where(published, np.where(is_reply, popularity * 0.3, popularity), 0.0)
    per_comment = rng.multinomial(size.votes, vote_weight / vote_weight.sum()).astype(np.int64)
    over = np.maximum(per_comment - size.voter_pool, 0)
    if over.any():
        raise SystemExit("a comment drew more votes than there are voters; raise voter_pool")
    agree_share = np.clip(
        np.where(
            rng.random(n) < 0.2,
            rng.beta(20, 20, n),  # divisive
            rng.beta(3, 1.6, n),
        ),
        0,
        1,
    )
    pass_share = rng.uniform(0.03, 0.15, n)
    n_pass = rng.binomial(per_comment, pass_share)
    n_agree = rng.binomial(per_comment - n_pass, agree_share)
    n_disagree = per_comment - n_pass - n_agree

    viewer_and_people = len(user_ids)
    picks = rng.choice(n, size=(viewer_and_people, 10), p=vote_weight / vote_weight.sum())
    user_vote_pairs: list[tuple[int, int, int]] = []
    for u in range(viewer_and_people):
        for c in sorted(set(picks[u].tolist())):
            roll = prng.random()
            value = 1 if roll < agree_share[c] else (0 if roll < agree_share[c] + 0.05 else -1)
            user_vote_pairs.append((u, c, value))
    # The viewer has voted on many popular comments, so the first pages show their votes.
    for c in np.argsort(-vote_weight)[:200].tolist():
        if c not in set(picks[0].tolist()):
            user_vote_pairs.append((0, c, 1 if prng.random() < agree_share[c] else -1))
    u_agree = np.zeros(n, dtype=np.int64)
    u_disagree = np.zeros(n, dtype=np.int64)
    u_pass = np.zeros(n, dtype=np.int64)
    for _u, c, value in user_vote_pairs:
        (u_agree if value == 1 else u_disagree if value == -1 else u_pass)[c] += 1
    agree = n_agree + u_agree
    disagree = n_disagree + u_disagree
    passed = n_pass + u_pass

    reply_count = np.zeros(n, dtype=np.int64)
    np.add.at(reply_count, root[is_reply & published], 1)

    ids = first_id + np.arange(n, dtype=np.int64)
    comment_writer = TableWriter(
        Comment,
        [
            "id",
            "consultation_id",
            "section_id",
            "parent_id",
            "root_id",
            "depth",
            "author_id",
            "author_name",
            "external_author",
            "body",
            "stance",
            "status",
            "status_reason",
            "status_note",
            "channel",
            "external_id",
            "created_at",
            "edited_at",
            "agree_count",
            "disagree_count",
            "pass_count",
            "reply_count",
            "divisiveness",
        ],
    )

    def comment_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(n):
            st = int(status[i])
            imp = bool(imported[i]) and not is_reply[i]
            a, d = int(agree[i]), int(disagree[i])
            yield (
                int(ids[i]),
                consultation.pk,
                int(section_of[i]) if section_of[i] >= 0 else None,
                int(ids[parent[i]]) if parent[i] >= 0 else None,
                int(ids[root[i]]) if root[i] >= 0 else None,
                int(depth[i]),
                None if imp else int(author_pick[i]),
                f"ผู้เข้าร่วม {i}" if imp else "",
                f"p{i}" if imp else "",
                make_body(prng),
                stance_names[int(stance_pick[i])],
                status_names[st],
                {2: "abuse", 3: "personal_data"}.get(st, ""),
                {2: "ถ้อยคำไม่สุภาพ", 3: "มีข้อมูลส่วนบุคคล"}.get(st, ""),
                Channel.IMPORT if imp else Channel.WEB,
                f"x{i}" if imp else "",
                created[i],
                created[i] + timedelta(minutes=7) if prng.random() < 0.03 else None,
                a,
                d,
                int(passed[i]),
                int(reply_count[i]),
                divisiveness(a, d),
            )

    comment_writer.write(comment_rows())
    reset_sequences([Comment])
    # The viewer's own comments awaiting review.
    Comment.objects.filter(consultation=consultation, status=Status.PENDING).filter(
        pk__in=list(
            Comment.objects.filter(consultation=consultation, status=Status.PENDING)
            .order_by("id")
            .values_list("pk", flat=True)[:2]
        )
    ).update(author_id=int(user_ids[0]), author_name="")

    vote_writer = TableWriter(
        Vote,
        [
            "consultation_id",
            "comment_id",
            "user_id",
            "external_voter",
            "value",
            "created_at",
            "updated_at",
        ],
    )
    starts = np.concatenate([[0], np.cumsum(per_comment)[:-1]])
    vote_comment = np.repeat(np.arange(n, dtype=np.int64), per_comment)
    position_in_comment = np.arange(int(per_comment.sum()), dtype=np.int64) - starts[vote_comment]
    voter_offset = rng.integers(0, size.voter_pool, n)
    voter = (voter_offset[vote_comment] + position_in_comment) % size.voter_pool
    value = np.where(
        position_in_comment < n_agree[vote_comment],
        1,
        np.where(position_in_comment < (n_agree + n_disagree)[vote_comment], -1, 0),
    )
    created_seconds = offsets[vote_comment] + 3600
    vote_seconds = created_seconds + rng.random(vote_comment.size) * (span + 3600 - created_seconds)

    def vote_rows() -> Iterator[tuple[Any, ...]]:
        cid = consultation.pk
        base = opens
        for k in range(vote_comment.size):
            when = base + timedelta(seconds=float(vote_seconds[k]))
            yield (
                cid,
                int(ids[vote_comment[k]]),
                None,
                f"v{voter[k]}",
                int(value[k]),
                when,
                when,
            )
        for u, c, v in user_vote_pairs:
            when = created[c] + timedelta(minutes=prng.randint(1, 600))
            when = min(when, now - timedelta(minutes=1))
            yield (cid, int(ids[c]), int(user_ids[u]), "", v, when, when)

    vote_writer.write(vote_rows())
    reset_sequences([Vote])

    visible = published
    Consultation.objects.filter(pk=consultation.pk).update(comment_count=int(visible.sum()))
    per_section = {sid: 0 for sid in section_ids}
    for sid in section_of[visible & (section_of >= 0)].tolist():
        per_section[sid] += 1
    for sid, count in per_section.items():
        Section.objects.filter(pk=sid).update(comment_count=count)


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


# --- Measuring -----------------------------------------------------------------------------------


class QueryTimer:
    """An execute wrapper adding up the time spent in the database during one request."""

    def __init__(self, keep: bool = False) -> None:
        self.count = 0
        self.seconds = 0.0
        self.keep = keep
        self.log: list[tuple[float, str, Any]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if self.keep:
                self.log.append((elapsed, sql, params))


@dataclass
class Result:
    name: str
    target: float | None
    samples: list[float] = field(default_factory=list)
    db: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    shown: int = 0  # comments and replies on the page (pages only)

    def pct(self, values: list[float], q: float) -> float:
        ordered = sorted(values)
        index = min(len(ordered) - 1, max(0, int(np.ceil(q * len(ordered))) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return self.pct(self.samples, 0.50)

    @property
    def p95(self) -> float:
        return self.pct(self.samples, 0.95)

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.p95 <= self.target


Request = Callable[[int], HttpResponse]


@dataclass
class Scenario:
    name: str
    target: float | None
    request: Request
    expect: int


def measure(scenario: Scenario, n: int, warmup: int) -> Result:
    result = Result(scenario.name, scenario.target)
    for i in range(warmup):
        check(scenario, scenario.request(i))
    for i in range(n):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            cpu_started = time.thread_time()
            started = time.perf_counter()
            response = scenario.request(warmup + i)
            elapsed = time.perf_counter() - started
            cpu = time.thread_time() - cpu_started
        check(scenario, response)
        result.samples.append(elapsed * 1000)
        result.db.append(timer.seconds * 1000)
        result.cpu.append(cpu * 1000)
        result.queries.append(timer.count)
    if scenario.expect == 200 and response.get("Content-Type", "").startswith("text/html"):
        result.shown = response.content.count(b'<article class="comment')
    return result


def check(scenario: Scenario, response: HttpResponse) -> None:
    if response.status_code != scenario.expect:
        body = response.content[:500].decode(errors="replace")
        raise SystemExit(
            f"{scenario.name}: HTTP {response.status_code}, expected {scenario.expect}\n{body}"
        )


def explain(sql: str, params: Any) -> str:
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cur:
        cur.execute(prefix + sql, params)
        rows = cur.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(f"      {r[0]}" for r in rows)
    return "\n".join(f"      {r[-1]}" for r in rows)


def show_queries(scenario: Scenario, *, with_plans: bool) -> None:
    scenario.request(10_000)  # warm
    timer = QueryTimer(keep=True)
    with connection.execute_wrapper(timer):
        scenario.request(10_001)
    print(
        f"\n  {scenario.name}: {timer.count} queries, {timer.seconds * 1000:.2f} ms in the database"
    )
    for elapsed, sql, _params in timer.log:
        print(f"    {elapsed * 1000:7.2f} ms  {sql[:160]}")
    if with_plans:
        for elapsed, sql, params in sorted(timer.log, key=lambda q: -q[0])[:3]:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print(f"    plan of the {elapsed * 1000:.2f} ms query: {sql[:120]}")
            print(explain(sql, params))


def profile(scenario: Scenario, n: int) -> None:
    for i in range(10):
        scenario.request(20_000 + i)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        scenario.request(20_100 + i)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    (ROOT / "var").mkdir(exist_ok=True)
    stats.dump_stats(str(ROOT / "var" / "profile.pstats"))
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    print(f"\nprofile of {scenario.name} ({n} requests)\n{out.getvalue()}")


# --- Scenarios ------------------------------------------------------------------------------------


HOST = {"HTTP_HOST": "127.0.0.1"}
JSON = {"HTTP_ACCEPT": "application/json"}


SIGNED_IN: list[Client] = []


def client_for(user: User | None, number: int = 0) -> Client:
    """A browser: its own session and, as a distinct person would have, its own address."""
    client = Client(
        **HOST, REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    )
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        SIGNED_IN.append(client)
    return client


def log_out_everyone() -> None:
    for client in SIGNED_IN:
        client.logout()  # deletes the session row
    SIGNED_IN.clear()


def deep_cursor(consultation: Consultation, sort: str, pages: int) -> str:
    """The ``after`` value of page ``pages`` (the link "More comments" carries on each page)."""
    after: str | None = None
    for page in range(1, pages):
        after = thread_page(consultation, sort=sort, after=after).next_cursor
        if after is None:
            raise SystemExit(f"the {sort} list has fewer than {pages} pages (ends at {page})")
    return after or ""


def page_scenarios(loaded: Loaded) -> list[Scenario]:
    consultation = loaded.consultation
    path = consultation.get_absolute_url()
    biggest = (
        Comment.objects.filter(consultation=consultation, section__isnull=False)
        .filter(parent__isnull=True)
        .filter(IN_THREAD)
        .values("section_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    section = str(biggest["section_id"]) if biggest else "general"
    anonymous = client_for(None)
    viewer = client_for(loaded.viewer)
    page = viewer.get(path).content.decode()
    second = thread_page(consultation).next_cursor
    if second is None or f"after={second}" not in page:
        raise SystemExit("the first page does not link to the second one with its cursor")
    if 'id="comment-form"' not in page or 'class="vote-form"' not in page:
        raise SystemExit("the logged-in page shows no comment form or vote buttons")
    views: list[tuple[str, dict[str, str]]] = [
        ("newest", {"sort": "newest"}),
        ("most agreed", {"sort": "agreed"}),
        ("most divisive", {"sort": "divisive"}),
        ("section, newest", {"section": section, "sort": "newest"}),
        ("section, most agreed", {"section": section, "sort": "agreed"}),
        ("whole draft only, newest", {"section": "general", "sort": "newest"}),
    ]
    for sort, label in (
        ("newest", "newest"),
        ("agreed", "most agreed"),
        ("divisive", "most divisive"),
    ):
        after = deep_cursor(consultation, sort, DEEP_PAGE)
        views.append((f"{label}, page {DEEP_PAGE}", {"sort": sort, "after": after}))
    scenarios = []
    for label, params in views:
        for who, client in (("anonymous", anonymous), ("signed in", viewer)):
            scenarios.append(
                Scenario(
                    f"page: {label} ({who})",
                    PAGE_TARGET_MS,
                    lambda _i, c=client, p=params: c.get(path, p),
                    200,
                )
            )
    return scenarios


@dataclass
class Writes:
    """What the write scenarios touch, to put it back afterwards."""

    max_comment: int
    max_vote: int
    consultation_count: int
    section_counts: dict[int, int]
    comment_counts: dict[int, tuple[int, int, int, int, float]]


def write_scenarios(loaded: Loaded, n: int, warmup: int) -> tuple[list[Scenario], Writes]:
    consultation = loaded.consultation
    post_path = f"/c/{consultation.slug}/comments/"
    # Voters are the first 200 people; each comment is posted by another person (cycling
    # through the rest when there are fewer), so no one trips the flooding or duplicate screen.
    clients = [client_for(u, 1000 + k) for k, u in enumerate(loaded.people[:200])]
    posters = loaded.people[200:] or loaded.people
    posts = 3 * (n + warmup)
    post_clients = [client_for(posters[k % len(posters)], 5000 + k) for k in range(posts)]
    post_number = itertools.count()
    rng = random.Random(SEED + 1)
    sections = [""] * 3 + [str(pk) for pk in consultation.sections.values_list("pk", flat=True)]
    bodies = [make_body(rng) for _ in range(posts)]
    hot = list(
        Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED, depth__lt=2)
        .order_by("-agree_count", "-id")
        .values_list("pk", flat=True)[:300]
    )
    pairs = [(c, h) for c in range(len(clients)) for h in hot]
    rng.shuffle(pairs)
    votes = iter(pairs)

    def post(_i: int, *, json: bool, reply: bool) -> HttpResponse:
        k = next(post_number) % posts
        data = {
            "body": bodies[k],
            "stance": rng.choice(CommentStance.values),
            "section": "" if reply else rng.choice(sections),
            "parent": str(rng.choice(hot)) if reply else "",
        }
        return post_clients[k].post(post_path, data, **(JSON if json else {}))

    def vote(_i: int, *, json: bool) -> HttpResponse:
        client, comment = next(votes)
        data = {"value": str(rng.choice([1, 1, -1, 0]))}
        if not json:
            data["next"] = f"{consultation.get_absolute_url()}?sort=agreed"
        return clients[client].post(f"/comments/{comment}/vote/", data, **(JSON if json else {}))

    touched = set(hot)
    touched |= set(
        Comment.objects.filter(pk__in=hot, root__isnull=False).values_list("root_id", flat=True)
    )
    writes = Writes(
        max_comment=Comment.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        max_vote=Vote.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        consultation_count=consultation.comment_count,
        section_counts=dict(consultation.sections.values_list("pk", "comment_count")),
        comment_counts={
            row[0]: row[1:]
            for row in Comment.objects.filter(pk__in=touched).values_list(
                "pk", "agree_count", "disagree_count", "pass_count", "reply_count", "divisiveness"
            )
        },
    )
    scenarios = [
        Scenario(
            "post comment (JSON)", POST_TARGET_MS, lambda i: post(i, json=True, reply=False), 201
        ),
        Scenario(
            "post comment (redirect)",
            POST_TARGET_MS,
            lambda i: post(i, json=False, reply=False),
            302,
        ),
        Scenario(
            "post reply (JSON)", POST_TARGET_MS, lambda i: post(i, json=True, reply=True), 201
        ),
        Scenario("vote (JSON)", None, lambda i: vote(i, json=True), 200),
        Scenario("vote (redirect)", None, lambda i: vote(i, json=False), 302),
    ]
    return scenarios, writes


def undo_writes(loaded: Loaded, writes: Writes) -> None:
    time.sleep(max(0.5, 2 * settings.LIVE_VOTE_COALESCE_SECONDS))  # let the last vote flush finish
    consultation = loaded.consultation
    with transaction.atomic():
        Vote.objects.filter(consultation=consultation, pk__gt=writes.max_vote).delete()
        new = Comment.objects.filter(consultation=consultation, pk__gt=writes.max_comment)
        Vote.objects.filter(comment__in=new).delete()
        new.filter(depth=2).delete()
        new.filter(depth=1).delete()
        new.delete()
        Consultation.objects.filter(pk=consultation.pk).update(
            comment_count=writes.consultation_count
        )
        for pk, count in writes.section_counts.items():
            Section.objects.filter(pk=pk).update(comment_count=count)
        for pk, (a, d, p, r, div) in writes.comment_counts.items():
            Comment.objects.filter(pk=pk).update(
                agree_count=a, disagree_count=d, pass_count=p, reply_count=r, divisiveness=div
            )


class ServerLoop:
    """An event loop in a thread, registered with the live emitter as Daphne's would be."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> ServerLoop:
        self.thread.start()

        async def register() -> None:
            live.register_loop()

        asyncio.run_coroutine_threadsafe(register(), self.loop).result()
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


# --- Report ----------------------------------------------------------------------------------------


def describe_data(loaded: Loaded) -> list[str]:
    consultation = loaded.consultation
    comments = Comment.objects.filter(consultation=consultation)
    c = comments.aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(status=Status.PUBLISHED)),
        top=Count("id", filter=Q(parent__isnull=True)),
        replies=Count("id", filter=Q(parent__isnull=False)),
    )
    votes = Vote.objects.filter(consultation=consultation).aggregate(
        total=Count("id"),
        imported=Count("id", filter=~Q(external_voter="")),
    )
    biggest = (
        comments.filter(parent__isnull=True)
        .order_by("-reply_count")
        .values_list("reply_count", flat=True)
        .first()
    )
    return [
        f"comments {c['total']:,} ({c['published']:,} published; {c['top']:,} top-level, "
        f"{c['replies']:,} replies, largest thread {biggest or 0:,} replies)",
        f"votes {votes['total']:,} ({votes['imported']:,} imported, "
        f"{votes['total'] - votes['imported']:,} by signed-in people)",
        f"sections {consultation.sections.count()}, people {len(loaded.people) + 1:,}, "
        f"positions {Position.objects.filter(consultation=consultation).count():,}",
        f"whole tables: {Comment.objects.count():,} comments, {Vote.objects.count():,} votes, "
        f"{User.objects.count():,} users",
    ]


def database_version() -> str:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            return f"PostgreSQL {cur.fetchone()[0]}"
        cur.execute("SELECT sqlite_version()")
        return f"SQLite {cur.fetchone()[0]}"


def print_table(results: list[Result]) -> None:
    if not results:
        return
    width = max(len(r.name) for r in results)
    header = (
        f"{'scenario':<{width}}  {'n':>4}  {'p50':>6}  {'p95':>6}  {'max':>6}  "
        f"{'cpu50':>6}  {'cpu95':>6}  {'db50':>6}  {'db95':>6}  {'qs':>3}  {'shown':>5}  "
        f"{'target':>6}  result"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        target = f"{r.target:.0f}" if r.target is not None else "-"
        verdict = {True: "pass", False: "FAIL", None: "info"}[r.passed]
        queries = sorted(r.queries)[len(r.queries) // 2]
        print(
            f"{r.name:<{width}}  {len(r.samples):>4}  {r.p50:>6.1f}  {r.p95:>6.1f}  "
            f"{max(r.samples):>6.1f}  {r.pct(r.cpu, 0.5):>6.1f}  {r.pct(r.cpu, 0.95):>6.1f}  "
            f"{r.pct(r.db, 0.5):>6.1f}  {r.pct(r.db, 0.95):>6.1f}  {queries:>3}  "
            f"{r.shown or '':>5}  {target:>6}  "
            f"{verdict}"
        )
    print(
        "times in ms; p50/p95/max: server time (wall clock) of the request; cpu: CPU time of the"
        " request's thread (includes SQLite, not a PostgreSQL server process); db: time inside"
        " database calls; qs: queries (median); shown: comments and replies on the page"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 comments and 50,000 votes")
    parser.add_argument("--n", type=int, default=None, help="timed requests per scenario (200)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reload", action="store_true", help="drop and reload the data")
    parser.add_argument(
        "--only", default="", help="run the scenarios whose name contains one of these (a,b)"
    )
    parser.add_argument("--queries", action="store_true", help="print each scenario's queries")
    parser.add_argument("--explain", action="store_true", help="with --queries: plans too")
    parser.add_argument("--profile", default="", help="cProfile the scenario with this name")
    parser.add_argument("--no-server-loop", action="store_true")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    n = args.n or (50 if args.quick else 200)

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0, interactive=False)
    loaded = load_or_reuse(size, reload=args.reload)
    if pending and loaded.load_seconds is None:
        print(f"applied {len(pending)} migration(s) to the reused data; analysing again")
        analyze()
    print(f"database: {database_version()} ({settings.DATABASES['default']['NAME']})")
    for line in describe_data(loaded):
        print(f"  {line}")
    print(
        f"page size {settings.COMMENTS_PAGE_SIZE}; {n} timed requests per scenario after {args.warmup} warm-up\n"
    )

    load_before = os.getloadavg()[0]
    results: list[Result] = []

    def run(scenarios: list[Scenario], *, plans: bool) -> None:
        for scenario in scenarios:
            if not any(word in scenario.name.lower() for word in args.only.lower().split(",")):
                continue
            if args.profile and args.profile.lower() in scenario.name.lower():
                profile(scenario, min(n, 100))
            if args.queries:
                show_queries(scenario, with_plans=plans)
            results.append(measure(scenario, n, args.warmup))
            print(f"  {scenario.name}: p95 {results[-1].p95:.1f} ms", flush=True)

    with contextlib.ExitStack() as stack:
        if not args.no_server_loop:
            stack.enter_context(ServerLoop())
        stack.callback(log_out_everyone)
        run(page_scenarios(loaded), plans=args.explain)
        scenarios, writes = write_scenarios(loaded, n, args.warmup)
        stack.callback(undo_writes, loaded, writes)
        run(scenarios, plans=False)

    print(
        f"\n{database_version()}, DEBUG=0, live events via "
        f"{'a new event loop per write' if args.no_server_loop else 'a server event loop'}"
    )
    print(
        f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
        f" ({os.cpu_count()} CPUs)"
    )
    print_table(results)
    failed = [r.name for r in results if r.passed is False]
    print(f"\n{len(failed)} of {sum(r.target is not None for r in results)} targets missed")


if __name__ == "__main__":
    main()
