"""An editor enters a paper submission and a spreadsheet of them in a real browser, at phone
and desktop width; a reader then sees them on the page with how they arrived.

Screenshots are written to var/screenshots/ (offline-*.png) for people to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Channel, Comment

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


def shot(viewer: Viewer, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewer.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_enter_one_then_a_spreadsheet_then_read_them(
    open_viewer: Callable[..., Viewer], make_staff, consultation, width, tmp_path
):
    editor = make_staff("editor", "editor")
    e = open_viewer(editor, viewport={"width": width, "height": 900})
    e.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": e.base_url}]
    )
    e.goto(f"/workspace/c/{consultation.slug}/")
    e.page.get_by_role("link", name="Paper, phone and meeting submissions").click()
    page = e.page
    page.locator("#id_reference").fill("สนง-001")
    page.locator("#id_via").select_option("paper")
    page.locator("#id_received_on").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.locator("#id_sender").fill("สมาคมชาวประมงพื้นบ้าน")
    page.locator("#id_section").select_option(label="มาตรา 1 หัวข้อ 1")
    page.locator("#id_stance").select_option("oppose")
    page.locator("#id_body").fill("ขอคัดค้านมาตรา 1 เพราะกระทบการประกอบอาชีพประมงพื้นบ้าน")
    page.locator("#id_attachment").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    shot(e, f"offline-enter-{width}")
    page.get_by_role("button", name="Enter the submission").click()
    expect(page.locator("table")).to_contain_text("สนง-001")

    page.get_by_role("link", name="Upload a spreadsheet of submissions").click()
    today = timezone.localdate().isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,name,name_public,via,received,section,stance,text\n"
        f"T-1,,no,phone,{today},2,support,โทรมาสนับสนุน\n"
        f"T-2,,no,นกพิราบ,{today},,,ส่งทางนกพิราบ\n",
        encoding="utf-8",
    )
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#batch-errors")).to_contain_text("Line 3")
    shot(e, f"offline-batch-errors-{width}")
    good = tmp_path / "good.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("นกพิราบ,", "email,"), encoding="utf-8")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    shot(e, f"offline-batch-preview-{width}")
    page.get_by_role("button", name="Enter all 2 submissions").click()
    expect(page.locator("table")).to_contain_text("T-2")
    assert Comment.objects.filter(channel=Channel.OFFLINE).count() == 3

    reader = open_viewer(None, viewport={"width": width, "height": 900})
    reader.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": reader.base_url}]
    )
    reader.goto(consultation.get_absolute_url())
    expect(reader.page.locator("#offline-count")).to_contain_text("3")
    expect(reader.page.locator(".offline-note").first).to_be_visible()
    expect(reader.page.locator("body")).not_to_contain_text("สมาคมชาวประมงพื้นบ้าน")
    reader.page.locator(".offline-note").first.scroll_into_view_if_needed()
    shot(reader, f"offline-public-{width}")
