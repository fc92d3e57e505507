"""The open-data package of a consultation: a Frictionless Data Package in a ZIP.

``datapackage.json`` describes every file (a Table Schema per CSV, Thai and English titles and
descriptions, the agency's licence, the source and the dates). The CSV files are written row by
row from database cursors into a ZIP that is itself produced chunk by chunk, so a package of
millions of votes is never held in memory (``zip_stream``). On PostgreSQL the two big tables
(comments and votes) are written by the database itself (``COPY (SELECT …) TO STDOUT`` in CSV,
participant ids hashed in SQL once per participant) and their bytes go straight into the ZIP;
the result is the same bytes as the Python path (``tests/opendata/test_package.py``).

What is in it is public already: published comments (a hidden or removed one is a row without
its text, as the page shows a placeholder), counts, votes and positions under participant ids
that are keyed hashes per consultation (``opendata.pseudonyms``), answers with personal data
masked, themes and moderation counts. No names, e-mail addresses, IP addresses or masked
originals.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Count, Func
from django.utils import timezone
from psycopg import pq

from analytics.selectors import latest_run
from comments.models import Comment, Status, Vote
from moderation.screening import mask_personal_data
from moderation.selectors import transparency_report
from opendata.models import LICENCES, licence_of
from opendata.pseudonyms import Pseudonyms
from topics.models import Answer, Consultation, Phase, Position, Section

FORMAT_VERSION = "1.0"


def iso(moment: datetime | None) -> str:
    """UTC, to the second, in the form Table Schema's ``datetime`` reads by default."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class IsoUtc(Func):
    """A datetime column as ``YYYY-MM-DDTHH:MM:SSZ`` text, formatted by the database (millions
    of rows are not parsed into Python datetimes only to be printed again)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        # '%%' in the compiled SQL, as Django expects beside parameters (with DEBUG on, the
        # query log formats it with them)
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%SZ', %(expressions)s)",
        )

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(
            compiler,
            connection,
            template="""to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')""",
        )


@dataclass
class Table:
    path: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    fields: list[tuple[str, str, str]]  # name, Table Schema type, description
    rows: Callable[[], Iterable[Sequence[object]]]
    primary_key: list[str] = field(default_factory=list)
    # The same rows as one PostgreSQL SELECT (SQL, named parameters), for COPY.
    query: Callable[[], tuple[str, dict[str, object]]] | None = None

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[0].replace("_", "-")

    def resource(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [
                {"name": name, "type": kind, "description": text}
                for name, kind, text in self.fields
            ]
        }
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": self.title_th,
            "title_en": self.title_en,
            "description": self.description_th,
            "description_en": self.description_en,
            "schema": schema,
        }


def _status_filter(consultation: Consultation):  # noqa: ANN202 - a queryset
    """Comments shown on the page (published, or a placeholder): everything but pending."""
    return Comment.objects.filter(consultation=consultation).exclude(status=Status.PENDING)


def _comment_rows(consultation: Consultation, ids: Pseudonyms) -> Iterator[list[object]]:
    rows = (
        _status_filter(consultation)
        .order_by("id")
        .annotate(created=IsoUtc("created_at"))
        .values_list(
            "id",
            "external_id",
            "parent_id",
            "section_id",
            "author_id",
            "external_author",
            "stance",
            "created",
            "channel",
            "status",
            "body",
            "agree_count",
            "disagree_count",
            "pass_count",
        )
    )
    for (
        pk,
        external,
        parent,
        section,
        author,
        ext_author,
        stance,
        created,
        channel,
        status,
        body,
        agree,
        disagree,
        passed,
    ) in rows.iterator(chunk_size=5000):
        published = status == Status.PUBLISHED
        yield [
            pk,
            external,
            parent if parent is not None else "",
            section if section is not None else "",
            "" if (participant := ids.of(author, ext_author)) is None else participant,
            stance,
            created,
            channel,
            status,
            body if published else "",
            agree,
            disagree,
            passed,
        ]


def _vote_rows(consultation: Consultation, ids: Pseudonyms) -> Iterator[list[object]]:
    pending = set(
        Comment.objects.filter(consultation=consultation, status=Status.PENDING).values_list(
            "id", flat=True
        )
    )
    rows = (
        Vote.objects.filter(consultation=consultation)
        .order_by("id")
        .annotate(when=IsoUtc("updated_at"))
        .values_list("comment_id", "user_id", "external_voter", "value", "when")
    )
    of = ids.of
    for comment_id, user_id, external, value, when in rows.iterator(chunk_size=20_000):
        if pending and comment_id in pending:
            continue
        participant = of(user_id, external)
        if participant is None:  # the person deleted their account: the vote stays counted
            continue
        yield (comment_id, participant, value, when)


def _participants_sql(
    table: str, where: str, user: str, external: str, ids: Pseudonyms
) -> tuple[str, str, dict[str, bytes]]:
    """CTEs that hash each distinct participant of the rows of ``table`` matching ``where``
    once (not once a row) into two JSON objects (user id → participant id, imported id →
    participant id), and the expression of the participant id of a row ``t`` of ``table``, as
    ``Pseudonyms.of``: the user's when there is one, else the imported id's, else NULL (the
    person deleted their account). A lookup by key, not a join: the rows are read once, in
    order, and the few participants hashed once each."""
    user_pid, params = ids.postgres("'u:' || d.user_id")
    external_pid, _same = ids.postgres("'x:' || d.external")
    ctes = f"""
    people AS MATERIALIZED (
        SELECT DISTINCT {user} AS user_id, CASE WHEN {user} IS NULL THEN {external} END AS external
        FROM {table} t WHERE {where} AND ({user} IS NOT NULL OR {external} <> '')
    ),
    pids AS MATERIALIZED (
        SELECT
            coalesce((SELECT jsonb_object_agg(d.user_id::text, {user_pid}) FROM people d
                WHERE d.user_id IS NOT NULL), '{{}}') AS users,
            coalesce((SELECT jsonb_object_agg(d.external, {external_pid}) FROM people d
                WHERE d.user_id IS NULL), '{{}}') AS externals
    )"""
    expression = f"""CASE
        WHEN t.{user} IS NOT NULL THEN (SELECT users FROM pids) ->> t.{user}::text
        WHEN t.{external} <> '' THEN (SELECT externals FROM pids) ->> t.{external}
    END"""
    return ctes, expression, params


_PG_ISO = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def _comment_query(consultation: Consultation, ids: Pseudonyms) -> tuple[str, dict[str, object]]:
    """``_comment_rows`` as one PostgreSQL SELECT. Empty strings become NULL, which COPY writes
    as nothing, as ``csv.writer`` writes an empty string (COPY would write ``""``)."""
    table = Comment._meta.db_table
    where = "t.consultation_id = %(consultation)s AND t.status <> %(pending)s"
    ctes, participant, params = _participants_sql(table, where, "author_id", "external_author", ids)
    sql = f"""
    WITH{ctes}
    SELECT t.id, nullif(t.external_id, ''), t.parent_id, t.section_id,
        {participant}, nullif(t.stance, ''), {_PG_ISO.format("t.created_at")},
        nullif(t.channel, ''), nullif(t.status, ''),
        CASE WHEN t.status = %(published)s THEN nullif(t.body, '') END,
        t.agree_count, t.disagree_count, t.pass_count
    FROM {table} t
    WHERE {where}
    ORDER BY t.id"""
    params = {
        **params,
        "consultation": consultation.pk,
        "pending": Status.PENDING,
        "published": Status.PUBLISHED,
    }
    return sql, params


def _vote_query(consultation: Consultation, ids: Pseudonyms) -> tuple[str, dict[str, object]]:
    """``_vote_rows`` as one PostgreSQL SELECT."""
    table = Vote._meta.db_table
    where = "t.consultation_id = %(consultation)s"
    ctes, participant, params = _participants_sql(table, where, "user_id", "external_voter", ids)
    sql = f"""
    WITH{ctes}
    SELECT t.comment_id, {participant}, t.value, {_PG_ISO.format("t.updated_at")}
    FROM {table} t
    WHERE {where} AND (t.user_id IS NOT NULL OR t.external_voter <> '')
        AND t.comment_id NOT IN (
            SELECT id FROM {Comment._meta.db_table}
            WHERE consultation_id = %(consultation)s AND status = %(pending)s
        )
    ORDER BY t.id"""
    params = {**params, "consultation": consultation.pk, "pending": Status.PENDING}
    return sql, params


def _position_rows(consultation: Consultation, ids: Pseudonyms) -> Iterator[list[object]]:
    rows = (
        Position.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("user_id", "value", "updated_at")
    )
    for user_id, value, when in rows.iterator(chunk_size=5000):
        participant = ids.of(user_id)
        if participant is not None:
            yield [participant, value, iso(when)]


def _answer_rows(consultation: Consultation, ids: Pseudonyms) -> Iterator[list[object]]:
    rows = (
        Answer.objects.filter(question__consultation=consultation)
        .order_by("id")
        .values_list("question_id", "question__prompt", "user_id", "value", "updated_at")
    )
    for question_id, prompt, user_id, value, when in rows.iterator(chunk_size=5000):
        masked, _findings = mask_personal_data(value)
        yield [question_id, prompt, ids.of(user_id) or "", masked, iso(when)]


def _section_rows(consultation: Consultation) -> Iterator[list[object]]:
    for s in Section.objects.filter(consultation=consultation).order_by("position", "id"):
        yield [s.pk, s.position, s.number, s.heading, s.text, s.comment_count]


def _theme_rows(consultation: Consultation) -> Iterator[list[object]]:
    run = latest_run(consultation)
    if run is None:
        return
    for theme in run.results.get("themes", []):
        yield [
            theme.get("id"),
            theme.get("label", ""),
            " ".join(theme.get("terms", [])),
            theme.get("size", 0),
            theme.get("share", 0),
            json.dumps(theme.get("stance", {}), ensure_ascii=False, sort_keys=True),
            " ".join(str(i) for i in theme.get("comment_ids", [])),
        ]


def _moderation_rows(consultation: Consultation) -> Iterator[list[object]]:
    report = transparency_report(consultation)
    for status, n in report.by_status.items():
        yield ["status", status, n]
    for kind, items in (
        ("decision", report.decisions),
        ("automatic", report.automatic),
        ("reason", report.reasons),
        ("flag", report.flags),
    ):
        for code, _label, n in items:
            yield [kind, code, n]
    for state, n in report.appeals.items():
        yield ["appeal", state, n]


def tables(consultation: Consultation) -> list[Table]:
    ids = Pseudonyms(consultation.pk)
    participant = (
        "participant",
        "integer",
        "Pseudonymous participant id: a keyed hash, valid within this consultation only",
    )
    return [
        Table(
            "sections.csv",
            "มาตราและส่วนของร่าง",
            "Sections of the draft",
            "มาตราหรือส่วนของร่างที่เปิดรับฟังความคิดเห็น ตามลำดับ",
            "The sections (articles) of the draft, in order.",
            [
                ("id", "integer", "Section id"),
                ("position", "integer", "Order in the draft"),
                ("number", "string", "Section number as printed"),
                ("heading", "string", "Heading"),
                ("text", "string", "Text of the section"),
                ("comments", "integer", "Published comments on this section"),
            ],
            lambda: _section_rows(consultation),
            ["id"],
        ),
        Table(
            "comments.csv",
            "ความคิดเห็นและการตอบกลับ",
            "Comments and replies",
            "ความคิดเห็นที่เผยแพร่แล้วและการตอบกลับ ความคิดเห็นที่ถูกซ่อนหรือลบจะปรากฏโดยไม่มีข้อความ",
            "Published comments and replies; hidden or removed ones appear without their text.",
            [
                ("id", "integer", "Comment id (stable)"),
                ("external_id", "string", "Id in the source the comment was imported from"),
                ("parent", "integer", "The comment replied to"),
                ("section", "integer", "The section commented on (empty: the whole draft)"),
                participant,
                ("stance", "string", "support, oppose, neutral or suggestion"),
                ("created", "datetime", "When it was posted (UTC)"),
                ("channel", "string", "web, import or offline"),
                ("status", "string", "published, hidden or removed"),
                ("text", "string", "The comment as published (empty when not published)"),
                ("agree", "integer", "Agree votes"),
                ("disagree", "integer", "Disagree votes"),
                ("pass", "integer", "Pass votes"),
            ],
            lambda: _comment_rows(consultation, ids),
            ["id"],
            query=lambda: _comment_query(consultation, ids),
        ),
        Table(
            "votes.csv",
            "การลงคะแนนต่อความคิดเห็น",
            "Votes on comments",
            "คะแนนล่าสุดของผู้เข้าร่วมแต่ละคนต่อแต่ละความคิดเห็น: 1 เห็นด้วย, -1 ไม่เห็นด้วย, 0 ผ่าน",
            "Each participant's latest vote on each comment: 1 agree, -1 disagree, 0 pass.",
            [
                ("comment", "integer", "Comment id"),
                participant,
                ("vote", "integer", "1 agree, -1 disagree, 0 pass"),
                ("time", "datetime", "When the vote was last changed (UTC)"),
            ],
            lambda: _vote_rows(consultation, ids),
            query=lambda: _vote_query(consultation, ids),
        ),
        Table(
            "positions.csv",
            "จุดยืนต่อร่างทั้งฉบับ",
            "Positions on the whole draft",
            "จุดยืนของผู้เข้าร่วมต่อร่างทั้งฉบับ: เห็นด้วย ไม่เห็นด้วย หรือยังไม่ตัดสินใจ",
            "Each participant's position on the whole draft: support, oppose or undecided.",
            [
                participant,
                ("position", "string", "support, oppose or undecided"),
                ("time", "datetime", "When it was last changed (UTC)"),
            ],
            lambda: _position_rows(consultation, ids),
        ),
        Table(
            "answers.csv",
            "คำตอบต่อคำถามของหน่วยงาน",
            "Answers to the agency's questions",
            "คำตอบต่อคำถามแบบมีโครงสร้าง ข้อมูลส่วนบุคคลในคำตอบถูกปิดบัง",
            "Answers to the structured questions; personal data in answers is masked.",
            [
                ("question", "integer", "Question id"),
                ("question_text", "string", "The question"),
                participant,
                ("answer", "string", "The answer"),
                ("time", "datetime", "When it was last changed (UTC)"),
            ],
            lambda: _answer_rows(consultation, ids),
        ),
        Table(
            "themes.csv",
            "ประเด็นจากการวิเคราะห์",
            "Themes found by analysis",
            "ประเด็นที่พบจากการวิเคราะห์ข้อความครั้งล่าสุด พร้อมความคิดเห็นที่อยู่ในแต่ละประเด็น",
            "Themes of the latest text analysis, with the comments in each.",
            [
                ("theme", "integer", "Theme id within the analysis"),
                ("label", "string", "Label (distinctive terms)"),
                ("terms", "string", "Distinctive terms, space-separated"),
                ("size", "integer", "Comments in the theme"),
                ("share", "number", "Share of analysed comments"),
                ("stance", "string", "Comments by stance (JSON)"),
                ("comments", "string", "Comment ids (external id when imported), space-separated"),
            ],
            lambda: _theme_rows(consultation),
        ),
        Table(
            "moderation.csv",
            "สรุปการกลั่นกรองความคิดเห็น",
            "Moderation summary",
            "จำนวนความคิดเห็นตามสถานะ จำนวนการตัดสินตามประเภทและเหตุผล การรายงาน และการอุทธรณ์",
            "Comments by status, decisions by kind and reason, reports and appeals: counts.",
            [
                ("kind", "string", "status, decision, automatic, reason, flag or appeal"),
                ("code", "string", "The status, action, reason or state"),
                ("count", "integer", "How many"),
            ],
            lambda: _moderation_rows(consultation),
        ),
    ]


def report_document(consultation: Consultation) -> dict[str, Any] | None:
    """The latest published hearing report, when the reports app is installed and has one
    (its version, dates, generated content, the agency's edits and the issue-by-issue
    decisions; no staff names)."""
    if not apps.is_installed("reports"):
        return None
    try:
        from reports import selectors as report_selectors  # type: ignore[import-not-found]
    except ImportError:
        return None
    latest = getattr(report_selectors, "latest_published", None)
    report = latest(consultation) if latest is not None else None
    if report is None:
        return None
    issues = getattr(report, "issues", None)
    return {
        "version": getattr(report, "version", None),
        "published": iso(getattr(report, "published_at", None)),
        "correction_note": getattr(report, "correction_note", ""),
        "generated": getattr(report, "generated", {}),
        "edits": getattr(report, "edits", {}),
        "issues": [
            {
                "position": issue.position,
                "kind": issue.kind,
                "title": issue.title,
                "decision": issue.decision,
                "reasons": issue.reasons,
                "change_section": issue.change_section_id,
                "change": issue.change,
            }
            for issue in (issues.order_by("position", "id") if issues is not None else [])
        ],
    }


_report_document = report_document


def consultation_document(consultation: Consultation) -> dict[str, Any]:
    agency = consultation.agency
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "body_html": consultation.body,
        "language": consultation.language,
        "kind": consultation.kind,
        "category": consultation.category,
        "agency": {"slug": agency.slug, "name_th": agency.name_th, "name_en": agency.name_en},
        "opens": iso(consultation.opens_at),
        "closes": iso(consultation.closes_at),
        "published": iso(consultation.published_at),
        "phase": consultation.phase,
        "url": settings.SITE_URL.rstrip("/") + consultation.get_absolute_url(),
        "source_note": consultation.source_note,
        "counts": {
            "comments": consultation.comment_count,
            "support": consultation.support_count,
            "oppose": consultation.oppose_count,
            "undecided": consultation.undecided_count,
        },
    }


def descriptor(consultation: Consultation, table_list: list[Table]) -> dict[str, Any]:
    licence = licence_of(consultation.agency_id)
    title, path = LICENCES[licence]
    url = settings.SITE_URL.rstrip("/") + consultation.get_absolute_url()
    final = consultation.phase == Phase.CLOSED
    resources: list[dict[str, Any]] = [
        {
            "name": "consultation",
            "path": "consultation.json",
            "format": "json",
            "mediatype": "application/json",
            "title": "รายละเอียดการรับฟังความคิดเห็น",
            "title_en": "The consultation",
        }
    ]
    resources += [t.resource() for t in table_list]
    if _report_document(consultation) is not None:
        resources.append(
            {
                "name": "report",
                "path": "report.json",
                "format": "json",
                "mediatype": "application/json",
                "title": "สรุปผลการรับฟังความคิดเห็น",
                "title_en": "Hearing report",
            }
        )
    agency = consultation.agency
    return {
        "profile": "data-package",
        "name": consultation.slug.lower(),
        "id": url,
        "title": consultation.title,
        "title_en": f"Public consultation: {consultation.title}",
        "description": (
            f"ข้อมูลเปิดของการรับฟังความคิดเห็น “{consultation.title}” ของ{agency.name_th}"
            + ("" if final else " (ยังเปิดรับฟังอยู่ ข้อมูลอาจเปลี่ยนแปลง)")
        ),
        "description_en": (
            f"Open data of the public consultation “{consultation.title}” by {agency.name_en}"
            + ("." if final else " (still open: the data may change).")
        ),
        "homepage": url,
        "version": FORMAT_VERSION,
        "created": iso(timezone.now()),
        "keywords": [consultation.kind, consultation.category, "public consultation"],
        "licenses": [{"name": licence, "title": title, "path": path}],
        "sources": [{"title": agency.name_en, "path": url}],
        "contributors": [{"title": agency.name_th, "role": "publisher"}],
        "temporal": {"start": iso(consultation.opens_at), "end": iso(consultation.closes_at)},
        "final": final,
        "resources": resources,
    }


class _Sink(io.RawIOBase):
    """A write-only stream the ZIP is written into; its bytes are taken out in chunks."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._pos = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._size += len(chunk)
        self._pos += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        return None

    @property
    def pending(self) -> int:
        return self._size

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks = []
        self._size = 0
        return data


CHUNK = 256 * 1024
COPY_TIMEOUT = "10min"  # a package of millions of votes outlasts the per-request limit


@dataclass(frozen=True)
class Encoded:
    """CSV rows already encoded (UTF-8, CRLF line ends, no header), chunk by chunk."""

    chunks: Callable[[], Iterable[bytes]]


def copy_csv(sql: str, params: dict[str, object], batch: int = 4096) -> Iterator[bytes]:
    """The rows of a PostgreSQL SELECT as CSV bytes, written by the database (``COPY … TO
    STDOUT``) in the conventions of ``csv.writer``: CRLF line ends (COPY ends a row with LF;
    libpq hands over exactly one row at a time, so only that last byte is replaced, never a
    line break inside a quoted value: ``_crlf``).

    The rows are read with libpq's own blocking call (``PGconn.get_copy_data``): psycopg's
    ``Copy`` iterator costs some microseconds a row, most of the time for 10,000,000 votes."""
    with transaction.atomic(), connection.cursor() as cursor:
        # JIT compiling costs seconds here and saves nothing on a scan and a sort
        cursor.execute(f"SET LOCAL statement_timeout = '{COPY_TIMEOUT}'; SET LOCAL jit = off")
        query = cursor.mogrify(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params)
        pgconn = cursor.connection.pgconn
        pgconn.send_query(query.encode())
        started = pgconn.get_result()
        if started is None or started.status != pq.ExecStatus.COPY_OUT:
            _drain(pgconn, copying=False)
            raise psycopg.DatabaseError(_message(started))
        get = pgconn.get_copy_data
        done = False
        try:
            while not done:
                pieces = []
                for _ in range(batch):
                    size, row = get(0)
                    if size < 0:
                        done = True
                        break
                    pieces.append(row)
                if pieces:
                    yield _crlf(pieces)
        except GeneratorExit:
            if not done:
                cursor.connection.cancel_safe()
            raise
        finally:
            failure = _drain(pgconn, copying=not done)
        if failure is not None:
            raise psycopg.DatabaseError(failure)


def _crlf(rows: list[Any]) -> bytes:
    """COPY's rows (each ending in LF) joined with CRLF line ends. When the only line feeds
    are the rows' own ends (always so for votes), one replace does it."""
    data = b"".join(rows)
    if data.count(b"\n") == len(rows):
        return data.replace(b"\n", b"\r\n")
    return b"".join(bytes(row)[:-1] + b"\r\n" for row in rows)


def _message(result: pq.abc.PGresult | None) -> str:
    return result.error_message.decode(errors="replace") if result is not None else "no result"


def _drain(pgconn: pq.abc.PGconn, *, copying: bool) -> str | None:
    """Read what is left of a COPY and its results; the first error, if any."""
    while copying and pgconn.get_copy_data(0)[0] >= 0:
        pass
    failure = None
    while (result := pgconn.get_result()) is not None:
        if result.status != pq.ExecStatus.COMMAND_OK and failure is None:
            failure = _message(result)
    return failure


Content = Callable[[], Iterable[Sequence[object]]] | Encoded | bytes


def _csv_line(row: Sequence[object]) -> bytes:
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(row)
    return line.getvalue().encode()


def zip_stream(files: Iterable[tuple[str, Content, list[str]]]) -> Iterator[bytes]:
    """A ZIP of ``(name, rows or encoded CSV or bytes, header)`` produced piece by piece. CSV
    rows are written as they come; memory stays at about one chunk whatever the size of the
    data."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, content, header in files:
            info = zipfile.ZipInfo(name, date_time=timezone.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(content, bytes):
                zf.writestr(info, content)
            elif isinstance(content, Encoded):
                with zf.open(info, "w", force_zip64=True) as raw:
                    raw.write(_csv_line(header))
                    for chunk in content.chunks():
                        raw.write(chunk)
                        if sink.pending > CHUNK:
                            yield sink.take()
            else:
                with zf.open(info, "w", force_zip64=True) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    writer = csv.writer(text, lineterminator="\r\n")
                    writer.writerow(header)
                    for n, row in enumerate(content()):
                        writer.writerow(row)
                        if n % 2000 == 0 and sink.pending > CHUNK:
                            text.flush()
                            yield sink.take()
                    text.flush()
                    text.detach()
            if sink.pending > CHUNK:
                yield sink.take()
    yield sink.take()


def package_stream(
    consultation: Consultation, *, in_database: bool | None = None
) -> Iterator[bytes]:
    """The data package of one consultation as a ZIP, chunk by chunk. ``in_database``: the big
    tables written by PostgreSQL's COPY (the default on PostgreSQL) rather than row by row."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    table_list = tables(consultation)
    document = descriptor(consultation, table_list)
    files: list[tuple[str, Content, list[str]]] = [
        ("datapackage.json", _json(document), []),
        ("consultation.json", _json(consultation_document(consultation)), []),
    ]
    report = _report_document(consultation)
    if report is not None:
        files.append(("report.json", _json(report), []))
    for t in table_list:
        content: Content = t.rows
        if in_database and t.query is not None:
            content = Encoded(lambda query=t.query: copy_csv(*query()))
        files.append((t.path, content, [name for name, _kind, _text in t.fields]))
    return zip_stream(files)


def write_package(consultation: Consultation, out: IO[bytes]) -> int:
    """Write the package ZIP to ``out``; return its size in bytes."""
    size = 0
    for chunk in package_stream(consultation):
        out.write(chunk)
        size += len(chunk)
    return size


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def published_consultations() -> Iterator[Consultation]:
    """Every consultation whose package is public (published: open or closed)."""
    now = timezone.now()
    qs = (
        Consultation.objects.filter(published_at__isnull=False, published_at__lte=now)
        .select_related("agency")
        .annotate(n_sections=Count("sections"))
        .order_by("id")
    )
    yield from qs.iterator(chunk_size=500)
