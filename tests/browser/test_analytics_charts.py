"""The analysis pages in a real browser: the server-rendered SVG charts are drawn (not
blank), at desktop and phone widths, and the opinion map updates without a reload."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from analytics.services import analyze_now, opinion_map_refresh
from comments.models import CommentStance, Vote
from comments.services import comment_create

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

TEXTS = [
    ("ห้ามเผาไร่อ้อยเพราะฝุ่นควันทำให้เด็กป่วย", CommentStance.SUPPORT),
    ("โรงงานที่ปล่อยมลพิษควรจ่ายค่าธรรมเนียมตามปริมาณ", CommentStance.OPPOSE),
    ("ควรติดตั้งเครื่องวัดฝุ่นในทุกโรงเรียน", CommentStance.SUGGESTION),
    ("ฝุ่นควันจากการเผาไร่อ้อยทำให้เด็กป่วยทุกปี", CommentStance.SUPPORT),
    ("โรงงานต้องเปิดเผยข้อมูลการปล่อยมลพิษ", CommentStance.NEUTRAL),
    ("เครื่องวัดฝุ่นในโรงเรียนช่วยให้ผู้ปกครองรู้ทัน", CommentStance.SUPPORT),
    ("Publish hourly PM2.5 readings for every district", CommentStance.SUGGESTION),
    ("Fine the factories that pollute, not the farmers", CommentStance.OPPOSE),
]


def seed(consultation) -> None:
    comments = [
        comment_create(consultation=consultation, author=None, body=t, stance=s) for t, s in TEXTS
    ]
    now = timezone.now()
    Vote.objects.bulk_create(
        Vote(
            consultation=consultation,
            comment=c,
            external_voter=f"p{p}",
            value=1 if (p < 10) == (j < 4) else -1,
            created_at=now,
            updated_at=now,
        )
        for p in range(20)
        for j, c in enumerate(comments)
    )


def drawn_colours(png: bytes) -> int:
    """Distinct byte values in a screenshot's pixel data (a blank image has very few)."""
    data, position = b"", 8
    while position < len(png):
        length = struct.unpack(">I", png[position : position + 4])[0]
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(data)))


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_charts_render(
    open_viewer: Callable[..., Viewer], consultation, make_staff, width: int
) -> None:
    seed(consultation)
    analyze_now(consultation=consultation)
    viewer = open_viewer(make_staff("ana", "analyst"), viewport={"width": width, "height": 900})
    viewer.goto(f"/analytics/{consultation.slug}/")
    charts = viewer.page.locator("svg.chart")
    titles = charts.evaluate_all("els => els.map(e => e.querySelector('title').textContent)")
    assert len(titles) >= 6, titles
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 20
        assert box["x"] + box["width"] <= width + 1  # fits the screen
        assert drawn_colours(chart.screenshot()) > 8, f"chart {i} looks blank"
    # every chart has a text alternative
    assert charts.evaluate_all(
        "els => els.every(e => e.getAttribute('role') === 'group' && e.querySelector('title') && e.querySelector('desc'))"
    )
    page_width = viewer.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width + 1
    viewer.page.screenshot(path=f"/tmp/analytics-dashboard-{width}.png", full_page=True)


def test_opinion_map_updates_without_reload(
    open_viewer: Callable[..., Viewer], consultation
) -> None:
    seed(consultation)
    opinion_map_refresh(consultation=consultation)
    viewer = open_viewer()
    viewer.goto(f"/c/{consultation.slug}/analysis/")
    viewer.page.locator('#opinion-root[data-live="1"]').wait_for(state="attached")
    assert viewer.page.locator("#opinion-live").get_attribute("data-version") == "1"
    assert drawn_colours(viewer.page.locator("svg.opinion-map").screenshot()) > 8
    viewer.page.evaluate("window.__marker = 1")
    opinion_map_refresh(consultation=consultation)
    viewer.page.locator('#opinion-live[data-version="2"]').wait_for(state="attached")
    assert viewer.page.evaluate("window.__marker") == 1  # same page, no reload
