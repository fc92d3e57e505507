"""Reading a spreadsheet of offline submissions (CSV or XLSX) into rows to enter.

One row per submission, a header line naming the columns (English or Thai):
reference, name, name_public, via, received, section, stance, text. Each row is checked on its
own; the service then enters all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _

from comments.models import CommentStance, OfflineVia
from topics.models import Consultation, Section

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
BUDDHIST_ERA_OFFSET = 543

COLUMNS = {
    "reference": ("reference", "ref", "เลขที่อ้างอิง", "เลขที่"),
    "sender": ("name", "sender", "organisation", "ชื่อ", "ชื่อหรือหน่วยงาน"),
    "name_public": ("name_public", "agreed to be named", "เปิดเผยชื่อ"),
    "via": ("via", "channel", "how", "ช่องทาง"),
    "received": ("received", "date received", "date", "วันที่ได้รับ", "วันที่"),
    "section": ("section", "มาตรา", "ส่วน"),
    "stance": ("stance", "จุดยืน"),
    "body": ("text", "comment", "body", "ความเห็น", "ข้อความ"),
}
REQUIRED = ("reference", "via", "received", "body")
YES = {"yes", "y", "true", "1", "ใช่", "ยินยอม", "เปิดเผย"}
# Words a Thai office writes in these columns, whatever the catalogue says.
VIA_WORDS = {
    "post": "paper",
    "letter": "paper",
    "กระดาษ": "paper",
    "จดหมาย": "paper",
    "ไปรษณีย์": "paper",
    "หนังสือ": "paper",
    "โทรศัพท์": "phone",
    "public meeting": "meeting",
    "เวทีสาธารณะ": "meeting",
    "ประชุม": "meeting",
    "การประชุม": "meeting",
    "e-mail": "email",
    "อีเมล": "email",
    "อีเมล์": "email",
}
STANCE_WORDS = {
    "สนับสนุน": "support",
    "เห็นด้วย": "support",
    "คัดค้าน": "oppose",
    "ไม่เห็นด้วย": "oppose",
    "เป็นกลาง": "neutral",
    "ข้อเสนอแนะ": "suggestion",
    "เสนอแนะ": "suggestion",
}
NO = {"", "no", "n", "false", "0", "ไม่", "ไม่ใช่", "ไม่ยินยอม", "ไม่เปิดเผย"}


@dataclass
class Row:
    line: int
    reference: str = ""
    sender: str = ""
    name_public: bool = False
    via: str = ""
    received_on: date | None = None
    section: Section | None = None
    section_label: str = ""
    stance: str = ""
    body: str = ""
    errors: list[str] = field(default_factory=list)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (not a row's fault)."""


def _labels(choices) -> dict[str, str]:
    """Value, English and Thai label (lower case) -> value."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[str(value).lower()] = value
        for lang in ("en", "th"):
            with translation.override(lang):
                out[str(label).lower()] = value
    return out


def _cells(data: bytes, filename: str) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_("The file can be at most 2 MB."))
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SpreadsheetError(_("This is not a readable XLSX file.")) from exc
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(
                [
                    v.date().isoformat()
                    if isinstance(v, datetime)
                    else v.isoformat()
                    if isinstance(v, date)
                    else ("" if v is None else str(v))
                    for v in values
                ]
            )
            if len(rows) > MAX_ROWS + 1:
                break
        book.close()
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(_("Save the CSV file as UTF-8.")) from exc
    return list(csv.reader(io.StringIO(text)))


def _date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if value.year > 2400:  # a Buddhist-era year
            value = value.replace(year=value.year - BUDDHIST_ERA_OFFSET)
        return value
    return None


def read(data: bytes, filename: str, consultation: Consultation) -> list[Row]:
    """The rows of the file, each with its own errors. SpreadsheetError if unreadable."""
    cells = [r for r in _cells(data, filename) if any((c or "").strip() for c in r)]
    if not cells:
        raise SpreadsheetError(_("The file is empty."))
    header = [(c or "").strip().lower() for c in cells[0]]
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, name in enumerate(header):
            if name in names:
                where[key] = i
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in where]
    if missing:
        raise SpreadsheetError(
            _("The first line must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    if len(cells) - 1 > MAX_ROWS:
        raise SpreadsheetError(_("At most %(n)s rows at a time.") % {"n": MAX_ROWS})
    vias = {**_labels(OfflineVia.choices), **VIA_WORDS}
    stances = {**_labels(CommentStance.choices), **STANCE_WORDS}
    sections: dict[str, Section] = {}
    for s in consultation.sections.all():
        if s.number:  # "มาตรา 3" is found as "มาตรา 3" or as "3"
            sections.setdefault(s.number.split()[-1].lower(), s)
            sections[s.number.strip().lower()] = s
    rows = []
    for n, raw in enumerate(cells[1:], start=2):

        def cell(key: str, raw=raw) -> str:
            i = where.get(key)
            return (raw[i] if i is not None and i < len(raw) else "").strip()

        row = Row(line=n, reference=cell("reference"), sender=cell("sender"), body=cell("body"))
        if not row.reference:
            row.errors.append(_("The reference number is missing."))
        if not row.body:
            row.errors.append(_("The text is missing."))
        public = cell("name_public").lower()
        if public in YES:
            row.name_public = True
        elif public not in NO:
            row.errors.append(_("Agreed to be named must be yes or no."))
        via = cell("via").lower()
        row.via = vias.get(via, "")
        if not row.via:
            row.errors.append(
                _("How it arrived must be one of: paper, phone, meeting, email (not %(v)s).")
                % {"v": cell("via") or "-"}
            )
        row.received_on = _date(cell("received"))
        if row.received_on is None:
            row.errors.append(
                _("The date received must be written 2026-11-12 or 12/11/2569 (not %(v)s).")
                % {"v": cell("received") or "-"}
            )
        row.section_label = cell("section")
        if row.section_label:
            row.section = sections.get(row.section_label.lower())
            if row.section is None:
                row.errors.append(_("This draft has no section %(s)s.") % {"s": row.section_label})
        stance = cell("stance").lower()
        if stance:
            row.stance = stances.get(stance, "?")
            if row.stance == "?":
                row.errors.append(
                    _("Unknown stance %(s)s (support, oppose, neutral, suggestion or empty).")
                    % {"s": cell("stance")}
                )
        rows.append(row)
    return rows
