"""Reading comment files for ``import_comments``: CSV with a header, or JSON Lines.

Columns / keys: ``text`` (required), ``external_id``, ``author``, ``stance``, ``section``,
``created``. Every problem is reported with its line number; nothing is imported unless the
whole file is good.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from analytics.services import ImportRow

FIELDS = ("text", "external_id", "author", "stance", "section", "created")
STANCES = {
    "support": "support",
    "oppose": "oppose",
    "neutral": "neutral",
    "suggestion": "suggestion",
    "agree": "support",
    "disagree": "oppose",
    "เห็นด้วย": "support",
    "สนับสนุน": "support",
    "ไม่เห็นด้วย": "oppose",
    "คัดค้าน": "oppose",
    "เป็นกลาง": "neutral",
    "ข้อเสนอแนะ": "suggestion",
    "เสนอแนะ": "suggestion",
}


class ImportFileError(ValueError):
    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}" if line else reason)


def read_comment_file(path: Path) -> list[ImportRow]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(None, f"cannot read the file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(line, "the file is not UTF-8 text") from exc
    first = text.lstrip()[:1]
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or first == "{":
        return _read_json_lines(text)
    return _read_csv(text)


def _read_json_lines(text: str) -> list[ImportRow]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFileError(number, f"not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise ImportFileError(number, "each line must be a JSON object")
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise ImportFileError(number, f"unknown key(s): {', '.join(unknown)}")
        for key, value in record.items():
            if value is not None and not isinstance(value, str | int):
                raise ImportFileError(number, f"{key} must be text")
        rows.append(_row(number, {k: "" if v is None else str(v) for k, v in record.items()}))
    if not rows:
        raise ImportFileError(None, "the file holds no comments")
    return rows


def _read_csv(text: str) -> list[ImportRow]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(None, "the file is empty") from None
    except csv.Error as exc:
        raise ImportFileError(1, f"bad CSV ({exc})") from exc
    names = [h.strip().lower() for h in header]
    if "text" not in names:
        raise ImportFileError(1, "the header has no 'text' column")
    unknown = sorted(set(names) - set(FIELDS))
    if unknown:
        raise ImportFileError(1, f"unknown column(s): {', '.join(unknown)}")
    if len(set(names)) != len(names):
        raise ImportFileError(1, "a column name appears twice")
    rows = []
    try:
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(names):
                raise ImportFileError(number, f"{len(values)} values for {len(names)} columns")
            rows.append(_row(number, dict(zip(names, values, strict=True))))
    except csv.Error as exc:
        raise ImportFileError(reader.line_num, f"bad CSV ({exc})") from exc
    if not rows:
        raise ImportFileError(None, "the file holds no comments")
    return rows


def _row(number: int, record: dict[str, str]) -> ImportRow:
    text = record.get("text", "").strip()
    if not text:
        raise ImportFileError(number, "text is empty")
    stance_raw = record.get("stance", "").strip()
    stance = ""
    if stance_raw:
        stance = STANCES.get(stance_raw.casefold(), "")
        if not stance:
            raise ImportFileError(
                number,
                f"unknown stance {stance_raw!r} (use support, oppose, neutral or suggestion)",
            )
    external_id = record.get("external_id", "").strip()
    if len(external_id) > 120:
        raise ImportFileError(number, "external_id is longer than 120 characters")
    return ImportRow(
        line=number,
        text=text,
        external_id=external_id,
        author=record.get("author", "").strip(),
        stance=stance,
        section=record.get("section", "").strip(),
        created=_parse_created(number, record.get("created", "").strip()),
    )


def _parse_created(number: int, value: str) -> datetime | None:
    """ISO 8601 date or date-time; no zone means local time; Buddhist-era years accepted."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ImportFileError(
            number, f"created {value!r} is not a date (use 2025-03-01 or 2025-03-01T14:30)"
        ) from None
    if when.year > 2400:  # Buddhist era (พ.ศ.): 2568 is 2025
        when = when.replace(year=when.year - 543)
    if len(value) == 10:
        when = datetime.combine(when.date(), time(12, 0))
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now() + timedelta(days=1):
        raise ImportFileError(number, f"created {value!r} is in the future")
    return when
