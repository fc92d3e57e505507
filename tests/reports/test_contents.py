"""What a report contains: figures that link to their comments, no hidden or removed comment
quoted, no personal data; the PDF (Thai text extracted back, a page rasterised) and the DOCX."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from analytics.services import analyze_now
from comments.models import Comment, Status
from comments.services import comment_create, comment_set_status
from reports import documents, selectors, services
from reports.models import ReportRef
from tests.reports.conftest import answer_all

pytestmark = pytest.mark.django_db

EMAIL = "somchai.private@example.com"
THAI_ID = "1-1017-00234-56-8"  # a Thai national ID number (valid check digit)
HIDDEN_TEXT = "ความเห็นนี้ถูกซ่อนโดยผู้ดูแลเพราะหยาบคายมาก"
REMOVED_TEXT = "ความเห็นนี้ถูกลบเพราะเป็นสแปมขายของ"
LATE_HIDDEN = "ค่าปรับโรงงานที่ปล่อยมลพิษต่ำเกินไปจนไม่มีใครกลัว"  # a fixture comment


@pytest.fixture
def sensitive(hearing, make_user):
    """Before closing: a comment with an e-mail and an ID number (masked by screening), one
    hidden and one removed by moderators; after the run, another comment hidden."""
    from datetime import timedelta

    from django.utils import timezone

    from topics.models import Consultation

    now = timezone.now()
    Consultation.objects.filter(pk=hearing.pk).update(closes_at=now + timedelta(days=1))
    hearing.refresh_from_db()
    writer = make_user("writer")
    personal = comment_create(
        consultation=hearing,
        author=writer,
        body=f"เกษตรกรต้องมีเครื่องจักรไถกลบ ติดต่อผมที่ {EMAIL} เลขบัตร {THAI_ID} ได้เลย",
        stance="suggestion",
    )
    hidden = comment_create(consultation=hearing, author=writer, body=HIDDEN_TEXT)
    removed = comment_create(consultation=hearing, author=writer, body=REMOVED_TEXT)
    comment_set_status(comment=hidden, status=Status.HIDDEN, reason="incivility")
    comment_set_status(comment=removed, status=Status.REMOVED, reason="spam")
    Consultation.objects.filter(pk=hearing.pk).update(closes_at=now - timedelta(hours=1))
    hearing.refresh_from_db()
    run = analyze_now(consultation=hearing)
    late = Comment.objects.get(consultation=hearing, body=LATE_HIDDEN)
    comment_set_status(comment=late, status=Status.HIDDEN, reason="incivility")
    return {"run": run, "personal": personal, "hidden": [hidden, removed, late]}


def thai_key(text: str) -> str:
    """Text as read back from a PDF compares equal: SARA AM as its two parts (NFKC), and
    NIKHAHIT after a tone mark (the PDF keeps the order the font draws them in)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub("\u0e4d([\u0e48-\u0e4b])", "\\1\u0e4d", text)


def _everything(report) -> str:
    """The report's page, drill-downs, PDF text and DOCX text, in both languages."""
    import pymupdf
    from docx import Document

    client = Client()
    out = []
    for lang in ("th", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        out.append(client.get(report.get_absolute_url()).content.decode())
        for ref in ReportRef.objects.filter(report=report):
            url = reverse(
                "reports:drill",
                kwargs={
                    "slug": report.consultation.slug,
                    "version": report.version,
                    "key": ref.key,
                },
            )
            out.append(client.get(url).content.decode())
        view = selectors.report_view(report)
        pdf = pymupdf.open(stream=documents.report_pdf(view, lang), filetype="pdf")
        out.extend(thai_key(page.get_text()) for page in pdf)
        doc = Document(io.BytesIO(documents.report_docx(view, lang)))
        out.extend(p.text for p in doc.paragraphs)
    return "\n".join(out)


def test_hidden_and_removed_comments_are_counted_only_in_the_moderation_summary(
    hearing, sensitive, editor, editor2
):
    report = services.report_create(actor=editor, consultation=hearing, run=sensitive["run"])
    answer_all(report, editor)
    services.report_submit(actor=editor, report=report)
    services.report_publish(actor=editor2, report=report)
    content = report.generated
    hidden_ids = {c.pk for c in sensitive["hidden"]}
    published = Comment.objects.filter(consultation=hearing, status=Status.PUBLISHED).count()
    # counted: in the moderation summary ...
    by_status = content["part1"]["moderation"]["by_status"]
    assert by_status["hidden"] == 2 and by_status["removed"] == 1
    # ... and nowhere else: every figure counts published comments only
    assert content["part2"]["count"] == published
    assert content["part1"]["participants"]["comments"] == published
    assert sum(t["size"] for t in content["part2"]["themes"]) <= published
    for ref in ReportRef.objects.filter(report=report):
        assert not hidden_ids & set(ref.comment_ids), ref.key
    text = thai_key(_everything(report))
    for comment in sensitive["hidden"]:
        assert thai_key(comment.body) not in text
    # no personal data: not the masked original, not the e-mail, not the ID, not a name
    assert EMAIL not in text and THAI_ID not in text and "1101700234568" not in text
    assert "Writer" not in text and "writer@example.org" not in text
    assert "Person0" not in text
    personal = Comment.objects.get(pk=sensitive["personal"].pk)
    assert EMAIL not in personal.body  # screening masked it when it was posted


def test_every_summary_sentence_and_figure_links_to_real_comments(hearing, run, editor):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    bodies = dict(Comment.objects.filter(consultation=hearing).values_list("pk", "body"))
    themes = report.generated["part2"]["themes"]
    assert themes
    for theme in themes:
        assert 1 <= len(theme["sentences"]) <= 4
        for sentence in theme["sentences"]:
            assert sentence["comment_ids"]
            for pk in sentence["comment_ids"]:
                assert sentence["text"] in bodies[pk]
        ids = selectors.ref_ids(report, theme["key"])
        assert len(ids) == theme["size"]
    page = Client()
    page.force_login(editor)
    html = page.get(report.get_absolute_url()).content.decode()
    drill = reverse(
        "reports:drill", kwargs={"slug": hearing.slug, "version": 1, "key": themes[0]["key"]}
    )
    assert drill in html
    listed = page.get(drill).content.decode()
    for pk in selectors.ref_ids(report, themes[0]["key"]):
        assert f"#{pk}" in listed


def test_the_pdf_has_the_thai_text_and_renders(hearing, run, editor):
    import pymupdf

    report = services.report_create(actor=editor, consultation=hearing, run=run)
    report = services.report_edit_text(
        actor=editor, report=report, key="overall", text="ผู้ใหญ่ที่นี่ไม่ได้ยินเสียงน้ำตก ปี่ ป่า ฝั่ง"
    )
    view = selectors.report_view(report)
    data = documents.report_pdf(view, "th")
    assert data.startswith(b"%PDF")
    pdf = pymupdf.open(stream=data, filetype="pdf")
    text = thai_key("".join(page.get_text() for page in pdf))
    # shaped Thai still extracts as the same characters, in order, with nothing stray
    assert thai_key("ผู้ใหญ่ที่นี่ไม่ได้ยินเสียงน้ำตก ปี่ ป่า ฝั่ง") in text
    assert not re.search("[\x00-\x08\x0b-\x1f]", text)
    assert thai_key(hearing.title) in text
    first_sentence = view.themes[0]["sentences"][0]["text"]
    assert thai_key(first_sentence) in text.replace("\n", "")
    # every page has its number; page 2 on has the running header
    assert all(f"{n + 1}/{pdf.page_count}" in page.get_text() for n, page in enumerate(pdf))
    # it renders: a rasterised page is mostly white with dark text on it
    pix = pdf[0].get_pixmap(dpi=60, colorspace=pymupdf.csGRAY)
    samples = pix.samples
    dark = sum(1 for b in samples if b < 128)
    assert 0.005 < dark / len(samples) < 0.3


def test_the_docx_opens_and_has_every_section_heading(hearing, run, editor):
    from docx import Document

    report = services.report_create(actor=editor, consultation=hearing, run=run)
    view = selectors.report_view(report)
    for lang, headings in [
        (
            "en",
            [
                "Summary",
                "Part 1. The hearing",
                "Part 2. What people said",
                "Part 3. The agency's response",
                "Themes",
            ],
        ),
    ]:
        doc = Document(io.BytesIO(documents.report_docx(view, lang)))
        found = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
        for heading in headings:
            assert heading in found
        for theme in view.themes:
            assert f"{theme['id']}. {theme['label']}" in found
        for issue in view.issues:
            assert issue.title in found
        assert any(hearing.title in h for h in found)


def test_pdf_and_docx_downloads_for_the_public(hearing, run, editor, editor2):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    answer_all(report, editor)
    services.report_submit(actor=editor, report=report)
    services.report_publish(actor=editor2, report=report)
    client = Client()
    kwargs = {"slug": hearing.slug, "version": 1}
    pdf = client.get(reverse("reports:pdf", kwargs=kwargs))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = client.get(reverse("reports:docx", kwargs=kwargs))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(reverse("reports:pdf", kwargs={**kwargs, "version": 9})).status_code == 404
