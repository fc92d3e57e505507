"""Follow a consultation with one tap, then hear about a reply live: Alice follows and
comments in her browser; Bob replies in his; Alice's header shows the new notice without a
reload, and the notice list links to the reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from playwright.sync_api import expect

from comments.models import Comment
from comments.services import comment_create
from consult.models import User
from notifications.models import Follow, Notice
from topics.models import Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_follow_then_a_reply_from_another_browser_shows_up_live_in_the_header(
    open_viewer: Callable[..., Viewer], consultation: Consultation, alice: User, bob: User
) -> None:
    a = open_viewer(alice)
    a.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": a.base_url}]
    )
    a.goto(consultation.get_absolute_url())
    a.page.get_by_role("button", name="Follow").click()  # a plain form post
    expect(a.page.get_by_role("button", name="Following ✓")).to_be_visible()
    assert Follow.objects.filter(user=alice, key=str(consultation.pk), active=True).exists()
    badge = a.page.locator("[data-notice-count]")
    expect(badge).to_be_hidden()

    mine = comment_create(
        consultation=consultation, author=alice, body="Night-time noise limits are too loose."
    )
    a.goto(consultation.get_absolute_url())
    a.wait_live()
    a.page.evaluate("window.__sameDocument = true")

    b = open_viewer(bob)
    b.goto(consultation.get_absolute_url())
    card = b.page.locator(f"#c{mine.pk}")
    card.locator("details.reply-box > summary").click()
    card.locator(f"#reply-{mine.pk}").fill("ควรกำหนดเวลาให้ชัดเจน")
    card.locator("details.reply-box button[type=submit]").click()
    expect(b.page.locator(f"#c{mine.pk} .replies .comment-body").first).to_have_text(
        "ควรกำหนดเวลาให้ชัดเจน"
    )
    reply = Comment.objects.get(parent=mine)

    # Alice, without reloading: the header counts one unread notice.
    expect(badge).to_be_visible()
    expect(badge.locator("[data-notice-n]")).to_have_text("1")
    assert a.page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    assert Notice.objects.filter(user=alice, key=f"reply:{reply.pk}").count() == 1
    assert not Notice.objects.filter(user=bob).exists()

    a.page.locator("a.notice-link").click()
    item = a.page.locator(".notice-list li.unread a")
    expect(item).to_have_text(f"Bob replied to your comment on {consultation.title}")
    item.click()
    expect(a.page.locator(f"#c{reply.pk}")).to_be_visible()
