"""Offline submissions are counted by channel wherever channels are counted: the consultation
page, the analytics dashboard, the hearing report (Part 1) and the open-data comments.csv."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.services import comment_create
from opendata.package import tables
from submissions.services import submission_enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(consultation, alice, make_staff):
    """Two web comments and three offline submissions (one held for review)."""
    editor = make_staff("eddie", "editor")
    comment_create(
        consultation=consultation, author=alice, body="ความเห็นทางเว็บ หนึ่ง", stance="support"
    )
    comment_create(
        consultation=consultation, author=alice, body="ความเห็นทางเว็บ สอง", stance="oppose"
    )
    today = timezone.localdate()
    for ref, via, body in [
        ("P-1", "paper", "จดหมายคัดค้านมาตรา 1"),
        ("T-2", "phone", "โทรมาสนับสนุนร่างนี้"),
        ("M-3", "meeting", "ไอ้ควาย รัฐบาลโง่"),  # held by screening: not counted
    ]:
        submission_enter(
            consultation=consultation,
            entered_by=editor,
            via=via,
            received_on=today - timedelta(days=1),
            reference=ref,
            body=body,
            sender="นายลับ เฉพาะเจ้าหน้าที่",
        )
    return consultation


def test_the_page_says_how_many_arrived_offline(client, mixed):
    client.cookies["lang"] = "en"
    page = client.get(mixed.get_absolute_url()).content.decode()
    assert "2 of them arrived on paper, by phone, at a public meeting or by e-mail" in page
    assert "A submission received by phone" in page and "received by phone, " in page
    assert "นายลับ" not in page  # the sender did not agree to be named


def test_the_dashboard_counts_by_channel(client, mixed, make_staff):
    client.force_login(make_staff("ana", "analyst"))
    client.cookies["lang"] = "en"
    page = client.get(reverse("analytics:dashboard", args=[mixed.slug])).content.decode()
    section = page.split('id="channels"', 1)[1].split("</section>", 1)[0]
    assert "On this site</th><td>2<" in section
    assert "e-mail)</th><td>2<" in section


def test_the_open_data_comments_file_says_offline_and_keeps_the_name_back(mixed):
    table = next(t for t in tables(mixed) if t.path.endswith("comments.csv"))
    names = [f[0] for f in table.fields]
    rows = [dict(zip(names, row, strict=True)) for row in table.rows()]
    channels = sorted(r["channel"] for r in rows)
    assert channels == ["offline", "offline", "web", "web"]  # the held one is not published
    out = io.StringIO()
    csv.writer(out).writerows(table.rows())
    assert "นายลับ" not in out.getvalue()


def test_the_hearing_report_counts_offline_submissions(mixed, make_staff):
    from analytics.services import analyze_now
    from reports import services as reports
    from topics.models import Consultation

    now = timezone.now()
    Consultation.objects.filter(pk=mixed.pk).update(closes_at=now - timedelta(hours=1))
    mixed.refresh_from_db()
    run = analyze_now(consultation=mixed)
    report = reports.report_create(
        actor=make_staff("eddie2", "editor"), consultation=mixed, run=run
    )
    assert report.generated["part1"]["channels"] == {"web": 2, "import": 0, "offline": 2}
