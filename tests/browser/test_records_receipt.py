"""A citizen posts a comment, opens its receipt and checks it on the public record page."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from consult.models import User
from records import services
from topics.models import Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _records_key(settings):
    settings.RECORDS_SIGNING_KEY = base64.b64encode(bytes(range(1, 33))).decode()
    settings.RECORDS_ORIGIN = "test.example/records"


@pytest.mark.parametrize("width", [1280, 390])
def test_post_open_the_receipt_and_verify_it(
    open_viewer: Callable[..., Viewer], consultation: Consultation, alice: User, width: int
) -> None:
    viewer = open_viewer(alice, java_script_enabled=False, viewport={"width": width, "height": 900})
    page = viewer.page
    viewer.goto(consultation.get_absolute_url())
    body = "ควรเปิดเผยผลการตรวจวัดทุกวัน"
    page.locator("#id_body").fill(body)
    with page.expect_navigation():
        page.locator('#comment-form button[type="submit"]').click()
    comment = Comment.objects.get(consultation=consultation, author=alice)

    # The receipt link on one's own comment leads to the receipt; no checkpoint covers it yet.
    page.locator(f"#c{comment.pk} a.receipt-link").click()
    expect(page).to_have_url(viewer.base_url + "/records/receipt/0/")
    expect(page.locator("main")).to_contain_text(body)  # the author sees what was recorded
    expect(page.locator("main pre")).to_contain_text('"checkpoint": null')

    services.checkpoint_sign()  # what the periodic job does every few minutes
    page.reload()
    expect(page.locator("main pre")).to_contain_text('"tree_size": 1')
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(viewer.base_url + "/records/#check")
    expect(page.locator(".verified")).to_be_visible()
    expect(page.locator(".verified")).to_contain_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
