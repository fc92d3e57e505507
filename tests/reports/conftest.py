"""A closed hearing with comments, votes, a finished analysis run, and the agency's staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.services import comment_create, vote_cast

COMMENTS = [
    (0, "oppose", "โรงงานที่ปล่อยมลพิษเกินมาตรฐานต้องเสียค่าปรับสูงกว่านี้มาก"),
    (0, "oppose", "ค่าปรับโรงงานที่ปล่อยมลพิษต่ำเกินไปจนไม่มีใครกลัว"),
    (0, "suggestion", "ขอให้เพิ่มค่าปรับโรงงานที่ปล่อยมลพิษเกินค่ามาตรฐาน"),
    (0, "oppose", "โรงงานปล่อยมลพิษควรโดนค่าปรับที่แรงจริง ๆ"),
    (1, "support", "ทุกโรงเรียนควรมีเซ็นเซอร์วัดฝุ่นและเปิดข้อมูลให้ผู้ปกครองดู"),
    (1, "support", "ติดเซ็นเซอร์วัดฝุ่นราคาถูกในโรงเรียนแล้วเปิดข้อมูลออนไลน์"),
    (1, "support", "ผู้ปกครองอยากเห็นค่าฝุ่นจากเซ็นเซอร์ในโรงเรียนของลูก"),
    (1, "support", "เซ็นเซอร์วัดฝุ่นในโรงเรียนช่วยปกป้องเด็กได้"),
    (None, "suggestion", "เกษตรกรต้องมีเครื่องจักรไถกลบตอซังแทนการเผา"),
    (None, "suggestion", "รัฐควรให้เกษตรกรยืมเครื่องจักรจะได้เลิกเผาในแปลงนา"),
    (None, "oppose", "ชาวนารายย่อยไม่มีเงินซื้อเครื่องจักรไถกลบตอซัง"),
    (None, "oppose", "ถ้าไม่มีเครื่องจักรให้เกษตรกร การห้ามเผาก็ล้มเหลว"),
]


@pytest.fixture
def hearing(make_consultation, make_user):
    """A consultation that was open (comments and votes posted then) and has now closed."""
    from topics.models import Consultation

    consultation = make_consultation("open", language="th")
    sections = list(consultation.sections.order_by("position"))
    people = [make_user(f"person{i}") for i in range(6)]
    comments = []
    for n, (section, stance, text) in enumerate(COMMENTS):
        comments.append(
            comment_create(
                consultation=consultation,
                author=people[n % len(people)],
                body=text,
                stance=stance,
                section=sections[section] if section is not None else None,
            )
        )
    for person in people:
        for comment in comments:
            if comment.author_id != person.pk:
                vote_cast(comment=comment, user=person, value=1 if comment.pk % 3 else -1)
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1)
    )
    consultation.refresh_from_db()
    consultation.test_comments = comments
    return consultation


@pytest.fixture
def run(hearing):
    from analytics.services import analyze_now

    return analyze_now(consultation=hearing)


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "editor")


@pytest.fixture
def editor2(make_staff):
    return make_staff("editor2", "editor")


@pytest.fixture
def analyst(make_staff):
    return make_staff("analyst", "analyst")


def answer_all(report, actor, decision="noted"):
    from reports.services import issue_respond

    for issue in report.issues.all():
        issue_respond(
            actor=actor,
            issue=issue,
            decision=decision,
            reasons="เหตุผลของหน่วยงาน",
            change="แก้ไขมาตรา 1" if decision in ("accepted", "partly") else "",
        )
