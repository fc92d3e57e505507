"""CSV export of the answers to a consultation's questions."""

from __future__ import annotations

from collections.abc import Iterator

from consult.spreadsheets import spreadsheet_safe, stream_csv
from topics.models import Consultation
from topics.selectors import answer_export_rows

ANSWERS_HEADER = ["question_id", "question", "answer", "created", "participant"]


def answers_csv(consultation: Consultation) -> Iterator[str]:
    rows = (
        [question_id, spreadsheet_safe(prompt), spreadsheet_safe(value), created, participant]
        for question_id, prompt, value, created, participant in answer_export_rows(consultation)
    )
    return stream_csv(ANSWERS_HEADER, rows)
