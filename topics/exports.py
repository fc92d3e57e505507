"""CSV export of the answers to a consultation's questions (streamed, UTF-8 with a BOM so
spreadsheet programs read Thai)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from topics.models import Consultation
from topics.selectors import answer_export_rows

ANSWERS_HEADER = ["question_id", "question", "answer", "created", "participant"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text instead of running it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def answers_csv(consultation: Consultation) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"
    writer.writerow(ANSWERS_HEADER)
    for n, row in enumerate(answer_export_rows(consultation), start=1):
        question_id, prompt, value, created, participant = row
        writer.writerow(
            [question_id, spreadsheet_safe(prompt), spreadsheet_safe(value), created, participant]
        )
        if n % 500 == 0:
            yield flush()
    yield flush()
