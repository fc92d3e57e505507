"""The moderation queue in a real browser: items arrive live, an item one moderator takes
disappears from the other's queue, the decision reaches a reader's page live, the keyboard
works, and the pages fit a 390-pixel phone.

Screenshots of the queue (1280 and 390 wide), the review page, the author's page and the
transparency report are written to var/screenshots/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from playwright.sync_api import expect

from comments.services import comment_create
from moderation.models import QueueItem

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
RUDE = "ไอ้ควาย รัฐบาลโง่ ร่างนี้ห่วย"


def shot(viewer: Viewer, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewer.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(viewer: Viewer) -> None:
    width = viewer.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page is {width}px wide on a 390px screen"


def test_live_queue_claims_and_decisions(
    open_viewer: Callable[..., Viewer], make_staff, make_user, consultation
):
    mona = make_staff("mona", "moderator", platform=True)
    milo = make_staff("milo", "moderator")
    author = make_user("somchai")
    first = comment_create(consultation=consultation, author=author, body=RUDE)
    published = comment_create(
        consultation=consultation, author=make_user("dao"), body="ควรเพิ่มจุดตรวจวัดฝุ่น"
    )

    a = open_viewer(mona, locale="th-TH")
    b = open_viewer(milo)
    reader = open_viewer()
    for v in (a, b):
        v.goto("/moderation/")
        v.page.locator('#live-status[data-state="live"]').wait_for(state="attached")
        expect(v.page.locator(f"#q{first.queue_items.get().pk}")).to_be_visible()
    reader.goto(consultation.get_absolute_url())
    reader.wait_live()

    # A new held comment appears in both queues without a reload.
    second = comment_create(consultation=consultation, author=make_user("mali"), body=f"{RUDE} 2")
    item2 = QueueItem.objects.get(comment=second)
    for v in (a, b):
        expect(v.page.locator(f"#q{item2.pk}")).to_be_visible()
    shot(a, "queue-1280")

    # Keyboard: j moves to the first item, x selects it.
    b.page.locator("body").click(position={"x": 5, "y": 5})
    b.page.keyboard.press("j")
    expect(b.page.locator(".q-item.is-current")).to_have_count(1)
    b.page.keyboard.press("x")
    expect(b.page.locator(".q-item.is-current input[type=checkbox]")).to_be_checked()

    # Mona takes the second item: it disappears from Milo's queue at once.
    a.page.locator(f"#q{item2.pk} button[formaction]").click()
    a.page.wait_for_url(f"**/moderation/comments/{second.pk}/")
    expect(b.page.locator(f"#q{item2.pk}")).to_have_count(0)
    shot(a, "review-1280")

    # She hides it with a reason and a public note.
    a.page.locator('input[name="action"][value="hide"]').check()
    a.page.locator("#id_reason").select_option("abuse")
    a.page.locator("#id_note").fill("ถ้อยคำหยาบคาย ดูหมิ่นผู้อื่น")
    a.page.locator("#decision-form button[type=submit]").click()
    a.page.wait_for_url("**/moderation/")
    second.refresh_from_db()
    assert second.status == "hidden"

    # Milo hides the published comment from the queue page's item: the reader sees the
    # placeholder with the reason, live.
    b.goto(f"/moderation/comments/{published.pk}/")
    b.page.locator('input[name="action"][value="hide"]').check()
    b.page.locator("#id_reason").select_option("off_topic")
    b.page.locator("#id_note").fill("Not about this draft.")
    b.page.locator("#decision-form button[type=submit]").click()
    placeholder = reader.page.locator(f"#c{published.pk}")
    expect(placeholder).to_contain_text("Not about this draft.")
    expect(placeholder).not_to_contain_text("ควรเพิ่มจุดตรวจวัดฝุ่น")

    # The author sees why, and can appeal once.
    mine = open_viewer(second.author, locale="th-TH")
    mine.goto("/my-comments/")
    expect(mine.page.locator(f"#c{second.pk}")).to_contain_text("ถ้อยคำหยาบคาย")
    mine.page.locator(f"#c{second.pk} summary").click()
    mine.page.locator(f"#c{second.pk} textarea").fill("ผมไม่ได้ตั้งใจดูหมิ่นใคร")
    mine.page.locator(f"#c{second.pk} button[type=submit]").click()
    expect(mine.page.locator(f"#c{second.pk}")).not_to_contain_text("ส่งคำอุทธรณ์")
    shot(mine, "my-comments-1280")

    # Mona may not decide the appeal against her own decision; Milo sees it in his queue.
    b.goto("/moderation/?kind=appeal")
    expect(b.page.locator(".q-item")).to_have_count(1)
    a.goto(f"/moderation/comments/{second.pk}/")
    expect(a.page.locator("#decision-form")).to_have_count(0)

    report = open_viewer()
    report.goto(f"/c/{consultation.slug}/moderation/")
    expect(report.page.locator("#decisions td")).to_have_text(["2"])  # two hidden
    expect(report.page.locator("#appeals")).to_contain_text("1")
    shot(report, "report-1280")


def test_pages_fit_a_phone(open_viewer: Callable[..., Viewer], make_staff, make_user, consultation):
    mona = make_staff("mona", "moderator", platform=True)
    for i in range(3):
        comment_create(consultation=consultation, author=make_user(f"p{i}"), body=f"{RUDE} {i}")
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "th-TH"}
    v = open_viewer(mona, **phone)
    v.goto("/moderation/")
    expect(v.page.locator(".q-item")).to_have_count(3)
    no_horizontal_scroll(v)
    shot(v, "queue-390")
    item = QueueItem.objects.order_by("id").first()
    v.goto(f"/moderation/comments/{item.comment_id}/")
    no_horizontal_scroll(v)
    shot(v, "review-390")
    r = open_viewer(**phone)
    r.goto(f"/c/{consultation.slug}/moderation/")
    no_horizontal_scroll(r)
    shot(r, "report-390")
    author = open_viewer(item.comment.author, **phone)
    author.goto("/my-comments/")
    no_horizontal_scroll(author)
    shot(author, "my-comments-390")
