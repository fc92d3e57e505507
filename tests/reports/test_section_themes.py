"""Part 2 per section: the themes a section's comments fall into, counted on that section,
each with a summary written from that section's comments only, on the page and in the DOCX."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from comments.services import comment_create
from reports import documents, selectors, services
from reports.models import ReportRef
from tests.reports.conftest import answer_all

pytestmark = pytest.mark.django_db

# Dust sensors, also written on the first section (the conftest puts four on the second), so
# the sensor theme is on two sections with different counts and the factory theme on one.
EXTRA_SENSORS_ON_FIRST = [
    "ควรติดเซ็นเซอร์วัดฝุ่นหน้าโรงงานทุกแห่งและเปิดข้อมูลให้ชุมชนดู",
    "เซ็นเซอร์วัดฝุ่นรอบโรงงานต้องส่งข้อมูลออนไลน์ตลอดเวลา",
]


def _theme_of(view, word: str) -> dict:
    """The top theme holding the planted comments that contain ``word``."""
    for theme in view.themes:
        if any(word in term for term in theme["terms"]) or word in theme["label"]:
            return theme
    raise AssertionError(f"no theme about {word}: {[t['label'] for t in view.themes]}")


def test_each_section_lists_the_themes_of_its_comments_with_their_counts(hearing, editor, editor2):
    from analytics.services import analyze_now
    from topics.models import Consultation

    sections = list(hearing.sections.order_by("position"))
    closes = hearing.closes_at
    Consultation.objects.filter(pk=hearing.pk).update(closes_at=closes + timedelta(days=2))
    hearing.refresh_from_db()
    for n, text in enumerate(EXTRA_SENSORS_ON_FIRST):
        comment_create(
            consultation=hearing,
            author=hearing.test_comments[n].author,
            body=text,
            stance="suggestion",
            section=sections[0],
        )
    Consultation.objects.filter(pk=hearing.pk).update(closes_at=closes)
    hearing.refresh_from_db()
    run = analyze_now(consultation=hearing)
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    view = selectors.report_view(report)
    refs = dict(ReportRef.objects.filter(report=report).values_list("key", "comment_ids"))
    by_id = {s["id"]: s for s in view.part2["sections"]}
    first, second = by_id[sections[0].pk], by_id[sections[1].pk]

    # Every section theme counts exactly the comments both on the section and in the theme.
    for s in view.part2["sections"]:
        section_ids = set(refs[s["key"]])
        assert sum(t["size"] for t in s["themes"]) <= len(section_ids)
        for t in s["themes"]:
            expected = section_ids & set(refs[t["theme_key"]])
            assert set(refs[t["key"]]) == expected and t["size"] == len(expected) > 0
            for q in t["sentences"]:  # each summary sentence comes from this section's comments
                assert set(refs[q["key"]]) <= expected
                assert q["text"] in " ".join(
                    c.body for c in hearing.comments.filter(pk__in=refs[q["key"]])
                )

    # The planted comments: factory fines only on the first section, sensors on both.
    factory = _theme_of(view, "ค่าปรับ")
    sensors = _theme_of(view, "เซ็นเซอร์")
    assert factory["key"] != sensors["key"]
    first_themes = {t["theme_key"]: t for t in first["themes"]}
    second_themes = {t["theme_key"]: t for t in second["themes"]}
    assert factory["key"] in first_themes and factory["key"] not in second_themes
    assert sensors["key"] in first_themes and sensors["key"] in second_themes
    factory_pks = {c.pk for c in hearing.test_comments[:4]}
    assert set(refs[first_themes[factory["key"]]["key"]]) >= factory_pks & set(refs[factory["key"]])
    sensor_second_pks = {c.pk for c in hearing.test_comments[4:8]}
    assert set(refs[second_themes[sensors["key"]]["key"]]) == sensor_second_pks & set(
        refs[sensors["key"]]
    )
    # a theme with enough comments on a section gets a summary written from them
    big = second_themes[sensors["key"]]
    assert big["size"] >= 3 and big["sentences"]

    # The public page shows them, each count linking to its comments.
    answer_all(report, editor)
    services.report_submit(actor=editor, report=report)
    services.report_publish(actor=editor2, report=report)
    page = Client().get(reverse("reports:public", kwargs={"slug": hearing.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    for s in (first, second):
        assert f'id="{s["key"]}-themes"' in html
        for t in s["themes"]:
            drill = reverse(
                "reports:drill",
                kwargs={"slug": hearing.slug, "version": report.version, "key": t["key"]},
            )
            assert drill in html
            listed = Client().get(drill)
            assert listed.status_code == 200
            for pk in refs[t["key"]]:
                assert f"#{pk}" in listed.content.decode() or f"/{pk}/" in listed.content.decode()
            for q in t["sentences"]:
                assert q["text"] in html
    assert 'style="' not in html

    # The DOCX has the same themes under each section, with the same counts.
    from docx import Document

    doc = Document(io.BytesIO(documents.report_docx(selectors.report_view(report), "en")))
    text = [p.text for p in doc.paragraphs]
    for s in (first, second):
        heading = f"Themes on {s['number']} {s['heading']}".strip()
        at = text.index(heading)
        following = text[at + 1 :]
        for t in s["themes"]:
            assert any(
                line.startswith(f"{t['label']}: {t['size']:,} comments") for line in following
            )
