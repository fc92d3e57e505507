"""Two people on the same open consultation page: what one does shows up for the other, live.

Alice reads in English (she chose it with the switcher), Bob in Thai (the default), so each
live message is also checked to arrive rendered in its viewer's language.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Locator, expect

from comments.models import Comment, Vote
from comments.services import comment_create, comment_set_status
from consult.models import User
from topics.models import Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

# Keeps every WebSocket the page opens reachable, so a test can drop the live connection, and
# while ``window.__offline`` is set every new one fails (the browser's offline emulation does
# not reliably cover WebSockets): it asks for a subprotocol the server does not speak, so the
# browser gives up on the handshake.
RECORD_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(url, ...rest) {
      super(url, ...(window.__offline ? ["unreachable-in-this-test"] : rest));
      window.__sockets.push(this);
    }
  };
})();
"""


def text_in(lang: str, message: str) -> str:
    with translation.override(lang):
        return translation.gettext(message)


def published(**fields: Any) -> Comment:
    """A comment the screening lets through, as the page will show it."""
    comment = comment_create(**fields)
    assert comment.status == "published", (comment.status, comment.body)
    return comment


def mark_document(viewer: Viewer) -> None:
    """Flag the loaded document; the flag survives only if the page is never reloaded."""
    viewer.page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(viewer: Viewer) -> None:
    assert viewer.page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def comment_el(viewer: Viewer, comment_id: int) -> Locator:
    return viewer.page.locator(f"#c{comment_id}")


def count_el(viewer: Viewer, comment_id: int, value: int) -> Locator:
    return viewer.page.locator(f'#c{comment_id} > .votes [data-count="{value}"]')


@pytest.fixture
def dora(make_user: Callable[..., User]) -> User:
    return make_user("dora")


@pytest.fixture
def watch(
    open_viewer: Callable[..., Viewer], consultation: Consultation, alice: User, bob: User
) -> Callable[..., tuple[Viewer, Viewer]]:
    """Open the consultation for Alice (English) and Bob (Thai), both connected live."""

    def open_both(*, record_sockets: bool = False) -> tuple[Viewer, Viewer]:
        a = open_viewer(alice)
        a.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": a.base_url}]
        )
        b = open_viewer(bob)
        if record_sockets:
            b.context.add_init_script(RECORD_SOCKETS)
        for viewer in (a, b):
            viewer.goto(consultation.get_absolute_url())
            viewer.wait_live()
            mark_document(viewer)
        expect(a.page.locator("html")).to_have_attribute("lang", "en")
        expect(b.page.locator("html")).to_have_attribute("lang", "th")
        return a, b

    return open_both


def test_a_comment_posted_in_one_browser_appears_in_the_other(
    watch: Callable[..., tuple[Viewer, Viewer]], consultation: Consultation, alice: User
) -> None:
    a, b = watch()
    section = consultation.sections.order_by("position").first()
    assert section is not None
    section_badge = f'[data-section-count="{section.pk}"]'
    expect(b.page.locator(section_badge)).to_contain_text("0")

    body = "Please publish the noise limits for night-time construction."
    a.page.locator("#id_section").select_option(str(section.pk))
    a.page.locator('#comment-form input[name="stance"][value="support"]').check()
    a.page.locator("#id_body").press_sequentially(body)  # typed, key by key
    a.page.locator('#comment-form button[type="submit"]').click()

    expect(a.page.locator("#comment-form [data-form-status]")).to_have_text("Sent")
    expect(a.page.locator("#id_body")).to_have_value("")
    comment = Comment.objects.get(consultation=consultation, author=alice)
    assert comment.body == body and comment.section_id == section.pk

    # Bob sees it at the top of the list, rendered in Thai, without reloading.
    first = b.page.locator("#comment-list > article.comment").first
    expect(first).to_have_attribute("id", f"c{comment.pk}")
    expect(first.locator(".comment-body")).to_have_text(body)
    expect(first.locator(".who")).to_have_text("Alice")
    expect(first.locator(".stance-support")).to_have_text(text_in("th", "Support"))
    expect(b.page.locator(section_badge)).to_contain_text("1")
    expect(b.page.locator("#no-comments")).to_have_count(0)
    # Exactly once on each page, even though Alice's page got it twice (reply and live event).
    for viewer in (a, b):
        expect(comment_el(viewer, comment.pk)).to_have_count(1)
        assert_not_reloaded(viewer)


def test_a_vote_in_one_browser_updates_the_count_in_the_other(
    watch: Callable[..., tuple[Viewer, Viewer]],
    consultation: Consultation,
    alice: User,
    dora: User,
) -> None:
    comment = published(
        consultation=consultation, author=dora, body="Fines should go to the local clinic."
    )
    a, b = watch()
    for viewer in (a, b):
        expect(count_el(viewer, comment.pk, 1)).to_have_text("0")

    agree = comment_el(a, comment.pk).locator('> .votes button[data-value="1"]')
    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(count_el(a, comment.pk, 1)).to_have_text("1")
    expect(count_el(b, comment.pk, 1)).to_have_text("1")
    expect(count_el(b, comment.pk, -1)).to_have_text("0")

    # Changing one's mind moves the vote; the other page follows.
    comment_el(a, comment.pk).locator('> .votes button[data-value="-1"]').click()
    expect(count_el(b, comment.pk, -1)).to_have_text("1")
    expect(count_el(b, comment.pk, 1)).to_have_text("0")
    expect(agree).to_have_attribute("aria-pressed", "false")
    assert Vote.objects.get(comment=comment, user=alice).value == -1
    # Bob did not vote: none of his buttons is pressed.
    expect(comment_el(b, comment.pk).locator('[aria-pressed="true"]')).to_have_count(0)
    for viewer in (a, b):
        assert_not_reloaded(viewer)


def test_a_moderation_decision_replaces_the_comment_on_every_page(
    watch: Callable[..., tuple[Viewer, Viewer]],
    consultation: Consultation,
    bob: User,
    dora: User,
) -> None:
    comment = published(
        consultation=consultation, author=dora, body="Buy cheap watches at my shop today."
    )
    reply = published(
        consultation=consultation, author=bob, body="This is an advert.", parent=comment
    )
    a, b = watch()
    expect(comment_el(b, comment.pk).locator("> .comment-body")).to_have_text(
        "Buy cheap watches at my shop today."
    )

    comment_set_status(comment=comment, status="hidden", note="Advertising")

    for viewer, lang in ((a, "en"), (b, "th")):
        hidden = comment_el(viewer, comment.pk)
        expect(hidden).to_have_attribute("data-status", "hidden")
        expect(hidden).to_have_class("comment placeholder")
        expect(hidden).to_contain_text(text_in(lang, "This comment was hidden by a moderator."))
        expect(hidden).to_contain_text("Advertising")
        expect(hidden).not_to_contain_text("cheap watches")
        expect(hidden.locator("> .votes")).to_have_count(0)
        # The replies underneath stay.
        expect(hidden.locator(f"> .replies > #c{reply.pk} .comment-body")).to_have_text(
            "This is an advert."
        )
        assert_not_reloaded(viewer)


def test_a_page_that_lost_its_connection_catches_up_on_reconnect(
    watch: Callable[..., tuple[Viewer, Viewer]],
    consultation: Consultation,
    alice: User,
    dora: User,
) -> None:
    voted = published(consultation=consultation, author=dora, body="More bus lanes, please.")
    doomed = published(
        consultation=consultation, author=dora, body="Who won the football last night?"
    )
    a, b = watch(record_sockets=True)

    # Bob's network drops: his socket closes and reconnecting fails until it is back.
    b.page.evaluate("window.__offline = true")
    b.context.set_offline(True)
    opened = b.page.evaluate("window.__sockets.length")
    b.page.evaluate("window.__sockets.forEach(s => s.close())")
    expect(b.page.locator("#live-status")).to_have_attribute("data-state", "offline")
    expect(b.page.locator("#live-status")).to_have_text("กำลังเชื่อมต่อใหม่…")
    # It keeps trying (and failing) while the network is away.
    deadline = time.monotonic() + 15
    while b.page.evaluate("window.__sockets.length") <= opened:
        assert time.monotonic() < deadline, "no new attempt to connect"
        b.page.wait_for_timeout(100)
    expect(b.page.locator("#live-status")).to_have_attribute("data-state", "offline")

    # Meanwhile: a new comment, a vote, a moderation decision.
    body = "Publish the air-quality data every hour."
    a.page.locator("#id_body").fill(body)
    a.page.locator('#comment-form button[type="submit"]').click()
    expect(a.page.locator("#comment-form [data-form-status]")).to_have_text("Sent")
    comment_el(a, voted.pk).locator('> .votes button[data-value="1"]').click()
    expect(count_el(a, voted.pk, 1)).to_have_text("1")
    comment_set_status(comment=doomed, status="removed", note="Off topic")
    new = Comment.objects.get(consultation=consultation, author=alice)
    expect(comment_el(b, new.pk)).to_have_count(0)
    expect(count_el(b, voted.pk, 1)).to_have_text("0")

    b.page.evaluate("window.__offline = false")
    b.context.set_offline(False)  # the page hears "online" and reconnects at once
    b.wait_live()
    expect(comment_el(b, new.pk).locator(".comment-body")).to_have_text(body)
    expect(count_el(b, voted.pk, 1)).to_have_text("1")
    expect(comment_el(b, doomed.pk)).to_have_attribute("data-status", "removed")
    expect(comment_el(b, doomed.pk)).to_contain_text(text_in("th", "This comment was removed."))
    expect(comment_el(b, new.pk)).to_have_count(1)
    assert_not_reloaded(b)


def test_pages_fit_desktop_and_phone_screens(
    open_viewer: Callable[..., Viewer],
    make_consultation: Callable[..., Consultation],
    consultation: Consultation,
    alice: User,
    bob: User,
    dora: User,
) -> None:
    """Screenshots for a person to look at, and no sideways scrolling at phone width."""
    make_consultation(
        "upcoming",
        title="ร่างพระราชบัญญัติว่าด้วยการบริหารจัดการคุณภาพอากาศและการควบคุมฝุ่นละอองขนาดเล็กในเขตเมืองใหญ่ พ.ศ. ....",
    )
    make_consultation("closed")
    first = published(
        consultation=consultation,
        author=dora,
        stance="oppose",
        section=consultation.sections.order_by("position").first(),
        body=(
            "ไม่เห็นด้วยกับมาตรานี้ เพราะผู้ประกอบการรายย่อยจะรับภาระค่าใช้จ่ายเพิ่มขึ้นมาก"
            "โดยไม่มีมาตรการช่วยเหลือที่ชัดเจน ควรมีระยะเวลาปรับตัวอย่างน้อยสองปี\n\n"
            "ดูรายละเอียดเพิ่มเติม https://example.org/reports/air-quality-2024-final-summary-for-small-business"
        ),
    )
    published(consultation=consultation, author=bob, parent=first, body="เห็นด้วยครับ ควรมีเงินอุดหนุน")
    published(
        consultation=consultation, author=alice, stance="suggestion", body="Add a clause on X."
    )
    screenshots = Path(settings.BASE_DIR) / "var" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    for name, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
        viewer = open_viewer(alice, viewport={"width": width, "height": height})
        for page_name, path in (("list", "/"), ("consultation", consultation.get_absolute_url())):
            viewer.goto(path)
            if page_name == "consultation":
                viewer.wait_live()
            viewer.page.evaluate("document.fonts.ready.then(() => true)")
            viewer.page.screenshot(
                path=str(screenshots / f"{page_name}-{name}.png"), full_page=True
            )
            overflow = viewer.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{page_name} page scrolls sideways at {width}px by {overflow}px"
