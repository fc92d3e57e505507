"""The report as a PDF (fpdf2, Thai shaped by HarfBuzz) and as a DOCX (python-docx).

Both are built from ``selectors.ReportView`` and share one outline (``outline``), so they have
the same headings as the page. Quotes carry comment numbers (``#123``), which are the comment
pages' addresses on the site.

The PDF uses Sarabun (SIL OFL, in ``static/fonts``): the site ships it as two WOFF2 subsets
(Thai, Latin), which are decompressed and merged into one TrueType font on first use, cached
under ``var/fonts`` (or the temporary directory when that is not writable). Text shaping
(``set_text_shaping``) places Thai vowels and tone marks on their consonants.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from consult.dates import format_date
from reports.models import Decision
from reports.selectors import ReportView, stance_labels

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
MAX_IDS_PRINTED = 12
# SARA AM (ำ) is drawn as two glyphs, NIKHAHIT and SARA AA; HarfBuzz moves the NIKHAHIT before
# a tone mark. fpdf2 then maps one of the two glyphs to a stray character in the PDF's text
# layer, so copying "น้ำ" gave "น้ำ\x03". Writing the two parts ourselves, in the order the
# font draws them, looks the same and copies as NIKHAHIT + SARA AA (what NFKC makes of ำ).
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")


def pdf_text(text: str) -> str:
    return _SARA_AM.sub("\u0e4d\\1\u0e32", text)


_font_lock = threading.Lock()


@dataclass
class Block:
    """One heading or paragraph of the outline."""

    kind: str  # "h1", "h2", "h3", "p", "item", "quote", "small"
    text: str
    ids: list[int] = field(default_factory=list)  # comment numbers behind it


def _ids(ids: list[int], total: int | None = None) -> str:
    if not ids:
        return ""
    shown = ", ".join(f"#{i}" for i in ids[:MAX_IDS_PRINTED])
    more = (total or len(ids)) - min(len(ids), MAX_IDS_PRINTED)
    if more > 0:
        shown += " " + _("and %(n)s more") % {"n": f"{more:,}"}
    return _("Comments %(ids)s") % {"ids": shown}


def _split(split: dict[str, int]) -> str:
    labels = stance_labels()
    return ", ".join(f"{labels.get(k, k)} {v:,}" for k, v in split.items() if v)


def outline(v: ReportView) -> list[Block]:
    """The report as headings and paragraphs, in the active language."""
    r, p1, p2 = v.report, v.part1, v.part2
    people = p1["participants"]
    out = [
        Block("h1", _("Hearing report: %(title)s") % {"title": p1["title"]}),
        Block(
            "small",
            _("Version %(v)s · %(status)s · cites %(citation)s · data digest %(digest)s")
            % {
                "v": r.version,
                "status": r.get_status_display(),
                "citation": r.citation,
                "digest": r.data_digest[:16],
            },
        ),
    ]
    if r.published_at:
        out.append(Block("small", _("Published %(when)s") % {"when": format_date(r.published_at)}))
    if r.previous_id:
        out.append(
            Block(
                "small",
                _("Corrects version %(v)s: %(note)s")
                % {"v": r.version - 1, "note": r.correction_note},
            )
        )
    out.append(Block("h2", _("Summary")))
    out.append(Block("p", v.overall.text))
    # --- part 1
    out.append(Block("h2", _("Part 1. The hearing")))
    out.append(Block("h3", _("What was asked")))
    agency = p1["agency_th"] if translation.get_language() == "th" else p1["agency_en"]
    out.append(Block("p", f"{p1['title']} ({agency})"))
    for s in p1["sections"]:
        out.append(Block("item", f"{s['number']} {s['heading']}".strip()))
    out.append(Block("h3", _("Period")))
    period = _("From %(start)s to %(end)s (%(days)s days).") % {
        "start": format_date(v.opens_at),
        "end": format_date(v.closes_at),
        "days": p1["days"],
    }
    if p1["meets_norm"]:
        period += " " + _("This meets the %(n)s-day norm.") % {"n": p1["norm_days"]}
    else:
        period += " " + _("Shorter than the %(n)s-day norm because: %(reason)s") % {
            "n": p1["norm_days"],
            "reason": p1["short_period_reason"] or _("no reason was stated"),
        }
    out.append(Block("p", period))
    out.append(Block("h3", _("Channels and participants")))
    ch = p1["channels"]
    out.append(
        Block(
            "p",
            _("Web %(web)s, imported %(import)s, offline or on paper %(offline)s.")
            % {k: f"{n:,}" for k, n in ch.items()},
        )
    )
    out.append(
        Block(
            "p",
            _(
                "%(people)s people: %(comments)s comments, %(replies)s replies, %(votes)s votes. "
                "Positions on the draft: support %(support)s, oppose %(oppose)s, undecided "
                "%(undecided)s."
            )
            % {
                "people": f"{people['people']:,}",
                "comments": f"{people['comments']:,}",
                "replies": f"{people['replies']:,}",
                "votes": f"{people['votes']:,}",
                **{k: f"{n:,}" for k, n in people["positions"].items()},
            },
        )
    )
    a = people["assurance"]
    out.append(
        Block(
            "p",
            _(
                "By assurance: identity verified %(identity)s, signed in with LINE or Google "
                "%(social)s, verified e-mail %(email)s."
            )
            % {k: f"{n:,}" for k, n in a.items()},
        )
    )
    m = p1["moderation"]
    out.append(Block("h3", _("Moderation")))
    out.append(
        Block(
            "p",
            _(
                "%(total)s comments received: %(published)s published, %(pending)s awaiting "
                "review, %(hidden)s hidden and %(removed)s removed by moderators."
            )
            % {
                "total": f"{m['total']:,}",
                **{k: f"{n:,}" for k, n in m["by_status"].items()},
            },
        )
    )
    if p1["questions"]:
        out.append(Block("h3", _("Answers to the questions")))
        for q in p1["questions"]:
            out.append(Block("p", f"{q['prompt']} ({q['total']:,})"))
            for o in q["options"]:
                out.append(Block("item", f"{o['label']}: {o['count']:,} ({o['percent']} %)"))
    # --- part 2
    out.append(Block("h2", _("Part 2. What people said")))
    out.append(
        Block(
            "p",
            _("%(n)s comments on the draft: %(split)s.")
            % {"n": f"{p2['count']:,}", "split": _split(p2["stance"])},
        )
    )
    if p2["sections"]:
        out.append(Block("h3", _("By section")))
        for s in p2["sections"]:
            out.append(
                Block(
                    "item",
                    f"{s['number']} {s['heading']}: {s['count']:,} — {_split(s['stance'])}",
                )
            )
        for s in p2["sections"]:
            if not s["themes"]:
                continue
            out.append(
                Block(
                    "p",
                    _("Themes on %(section)s")
                    % {"section": f"{s['number']} {s['heading']}".strip()},
                )
            )
            for t in s["themes"]:
                out.append(
                    Block(
                        "item",
                        _("%(theme)s: %(n)s comments — %(split)s")
                        % {
                            "theme": t["label"],
                            "n": f"{t['size']:,}",
                            "split": _split(t["stance"]),
                        },
                    )
                )
                for q in t["sentences"]:
                    out.append(Block("quote", q["text"], ids=q["comment_ids"]))
                    out.append(Block("small", _ids(q["comment_ids"], q["n"])))
    out.append(Block("h3", _("Themes")))
    for t in v.themes:
        out.append(Block("h3", f"{t['id']}. {t['label']}"))
        out.append(Block("p", t["headline"].text))
        if t["summary"].edited:
            out.append(Block("p", t["summary"].text))
            out.append(Block("small", _("Summary edited by the agency.")))
        else:
            for s in t["sentences"]:
                out.append(Block("quote", s["text"], ids=s["comment_ids"]))
                out.append(Block("small", _ids(s["comment_ids"], s["n"])))
        if len(t["subthemes"]) > 1:
            subs = "; ".join(f"{s['label']} ({s['size']:,})" for s in t["subthemes"])
            out.append(Block("small", _("Sub-themes: %(subs)s") % {"subs": subs}))
    if p2["campaigns"]:
        out.append(Block("h3", _("Campaigns and form letters (each counted once)")))
        for c in p2["campaigns"]:
            text = p2["quotes"].get(str(c["representative"]), "")
            out.append(
                Block("p", _("Sent by %(n)s people:") % {"n": f"{c['size']:,}"}),
            )
            out.append(Block("quote", text, ids=[c["representative"]]))
            out.append(Block("small", _ids([c["representative"]])))
    if p2["groups"]:
        out.append(Block("h3", _("Opinion groups")))
        for g in p2["groups"]:
            out.append(
                Block("p", _("Group %(id)s (%(n)s people)") % {"id": g["id"] + 1, "n": g["size"]})
            )
            for q in g["quotes"]:
                text = p2["quotes"].get(str(q["comment"]), "")
                way = _("agreed") if q["direction"] == "agree" else _("disagreed")
                out.append(Block("quote", f"{text} — {way}", ids=[q["comment"]]))
                out.append(Block("small", _ids([q["comment"]])))
    if p2["consensus"]:
        out.append(Block("h3", _("Where people agreed across groups")))
        for c in p2["consensus"]:
            out.append(Block("quote", p2["quotes"].get(str(c["comment"]), ""), ids=[c["comment"]]))
            out.append(Block("small", _ids([c["comment"]])))
    # --- part 3
    out.append(Block("h2", _("Part 3. The agency's response")))
    labels = dict(Decision.choices)
    for i in v.issues:
        out.append(Block("h3", i.title))
        out.append(Block("p", f"{labels.get(i.decision, '')}: {i.reasons}"))
        if i.change:
            where = f"{i.change_section}: " if i.change_section else ""
            out.append(Block("p", _("Change: %(change)s") % {"change": where + i.change}))
    return out


# --- PDF -----------------------------------------------------------------------------------


def _font_files() -> tuple[Path, Path]:
    """Regular and bold Sarabun as merged TrueType files (built once, then cached)."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    target = Path(settings.BASE_DIR) / "var" / "fonts"
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = target / ".w"
        probe.touch()
        probe.unlink()
    except OSError:
        target = Path(tempfile.gettempdir()) / "consult-fonts"
        target.mkdir(parents=True, exist_ok=True)
    out = []
    with _font_lock:
        for weight in ("400", "700"):
            merged = target / f"sarabun-{weight}.ttf"
            if not merged.exists():
                parts = []
                for subset in ("thai", "latin"):
                    font = TTFont(FONT_DIR / f"sarabun-{subset}-{weight}-normal.woff2")
                    font.flavor = None
                    path = target / f"sarabun-{subset}-{weight}.ttf"
                    font.save(path)
                    parts.append(str(path))
                tmp = merged.with_suffix(".tmp")
                Merger().merge(parts).save(tmp)
                logging.getLogger("fontTools").setLevel(logging.WARNING)
                tmp.replace(merged)
            out.append(merged)
    return out[0], out[1]


def report_pdf(v: ReportView, language: str) -> bytes:
    from fpdf import FPDF

    # fpdf2 subsets the font with fontTools, which logs every step at INFO
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    regular, bold = _font_files()
    with translation.override(language):
        blocks = outline(v)
        running = _("Hearing report · %(slug)s · version %(v)s") % {
            "slug": v.consultation.slug,
            "v": v.report.version,
        }
        page_label = _("Page")

    class Doc(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("Sarabun", "", 8)
                self.set_text_color(90)
                self.cell(0, 6, pdf_text(running), new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0)
                self.ln(2)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Sarabun", "", 8)
            self.set_text_color(90)
            self.cell(0, 6, f"{page_label} {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0)

    pdf = Doc(format="A4")
    pdf.set_title(pdf_text(blocks[0].text))
    pdf.set_creator("consult")
    pdf.set_lang(language)
    pdf.add_font("Sarabun", "", str(regular))
    pdf.add_font("Sarabun", "B", str(bold))
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    styles = {
        "h1": ("B", 17, 9),
        "h2": ("B", 14, 8),
        "h3": ("B", 11.5, 6.5),
        "p": ("", 10.5, 5.6),
        "item": ("", 10.5, 5.6),
        "quote": ("", 10.5, 5.6),
        "small": ("", 8.5, 4.6),
    }
    for block in blocks:
        style, size, height = styles[block.kind]
        pdf.set_font("Sarabun", style, size)
        if block.kind in ("h2", "h3"):
            pdf.ln(2 if block.kind == "h3" else 4)
        text = block.text or "—"
        indent = 6 if block.kind in ("item", "quote") else 0
        if block.kind == "item":
            text = "• " + text
        elif block.kind == "quote":
            text = f"“{text}”"
        if block.kind == "small":
            pdf.set_text_color(90)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, height, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    return bytes(pdf.output())


# --- DOCX ----------------------------------------------------------------------------------


def report_docx(v: ReportView, language: str) -> bytes:
    from docx import Document
    from docx.shared import Pt

    with translation.override(language):
        blocks = outline(v)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "TH Sarabun New"
    normal.font.size = Pt(12)
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            doc.add_heading(block.text, level=int(block.kind[1]) - 1)
        elif block.kind == "item":
            doc.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "quote":
            doc.add_paragraph(f"“{block.text}”", style="Quote")
        elif block.kind == "small":
            para = doc.add_paragraph()
            run = para.add_run(block.text)
            run.font.size = Pt(9)
        else:
            doc.add_paragraph(block.text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
