"""The consultation page with JavaScript switched off: every action is a form post that
redirects back (post/redirect/get), and the page says what happened."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from comments.models import Comment, Vote
from comments.services import comment_create
from consult.models import User
from topics.models import Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple"  # the password tests/conftest.py gives everyone


def published(**fields: Any) -> Comment:
    """A comment the screening lets through, as the page will show it."""
    comment = comment_create(**fields)
    assert comment.status == "published", (comment.status, comment.body)
    return comment


def thai(message: str) -> str:
    with translation.override("th"):
        return translation.gettext(message)


@pytest.fixture
def no_js(open_viewer: Callable[..., Viewer]) -> Callable[..., Viewer]:
    def make(user: User | None = None) -> Viewer:
        viewer = open_viewer(user, java_script_enabled=False)
        viewer.page.on(
            "websocket", lambda ws: viewer.page_errors.append(f"a WebSocket was opened: {ws.url}")
        )
        return viewer

    return make


def test_sign_in_comment_and_vote_with_forms_only(
    no_js: Callable[..., Viewer], consultation: Consultation, alice: User, bob: User
) -> None:
    other = published(consultation=consultation, author=bob, body="Start with the schools.")
    viewer = no_js()
    page = viewer.page
    url = consultation.get_absolute_url()
    viewer.goto(url)

    # Signing in through the real form brings Alice back to the consultation.
    page.locator("#comments").get_by_role("link", name=thai("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_login").fill(alice.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(viewer.base_url + url)
    expect(page.locator("#comment-form")).to_be_visible()

    # Posting a comment: redirected back to the page, which shows it and says so.
    body = "ควรมีจุดตรวจวัดฝุ่นในทุกตำบล"
    page.locator('#comment-form input[name="stance"][value="suggestion"]').check()
    page.locator("#id_body").fill(body)
    with page.expect_navigation():
        page.locator('#comment-form button[type="submit"]').click()
    comment = Comment.objects.get(consultation=consultation, author=alice)
    assert comment.body == body and comment.stance == "suggestion"
    expect(page).to_have_url(f"{viewer.base_url}{url}#c{comment.pk}")
    expect(page.locator(".messages li.success")).to_have_text(
        thai("Thank you. Your comment is published.")
    )
    expect(page.locator(f"#c{comment.pk} .comment-body")).to_have_text(body)
    expect(page.locator("#id_body")).to_have_value("")

    # Voting: the button is a form; after the redirect the count and the pressed state show.
    agree = page.locator(f'#c{other.pk} > .votes button[data-value="1"]')
    expect(agree.locator(".vote-count")).to_have_text("0")
    with page.expect_navigation():
        agree.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(url)}#c{other.pk}$"))
    expect(agree.locator(".vote-count")).to_have_text("1")
    expect(agree).to_have_attribute("aria-pressed", "true")
    assert Vote.objects.get(comment=other, user=alice).value == 1


def test_an_empty_comment_is_refused_with_a_clear_error(
    no_js: Callable[..., Viewer], consultation: Consultation, alice: User
) -> None:
    viewer = no_js(alice)
    page = viewer.page
    viewer.goto(consultation.get_absolute_url())
    for body in ("", "   \n  "):
        page.locator("#id_body").fill(body)
        with page.expect_navigation() as navigation:
            page.locator('#comment-form button[type="submit"]').click()
        response = navigation.value
        assert response is not None and response.status == 400
        expect(page.locator("#body-errors")).to_have_text(thai("Please write a comment."))
        # Announced, and still a list (role="alert" on a <ul> would hide its items).
        expect(page.locator("#body-errors")).to_have_attribute("aria-live", "assertive")
        expect(page.locator(".messages li.success")).to_have_count(0)
        expect(page.locator("#id_body")).to_be_visible()
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_a_visitor_may_write_first_and_is_invited_to_sign_in(
    no_js: Callable[..., Viewer], consultation: Consultation, bob: User
) -> None:
    comment = published(consultation=consultation, author=bob, body="Night buses, please.")
    viewer = no_js()
    page = viewer.page
    viewer.goto(consultation.get_absolute_url())
    prompt = page.locator("#comments").get_by_role("link", name=thai("Sign in"))
    expect(prompt).to_be_visible()
    expect(prompt).to_have_attribute("href", re.compile(r"^/accounts/login/\?next=/c/"))
    # The visitor's form posts to sign-up (tests/browser/test_first_time_path.py follows it).
    expect(page.locator("#comment-form.visitor-form")).to_have_count(1)
    expect(page.locator("#comment-form")).to_contain_text(
        thai("Continue: sign up or sign in to publish")
    )
    # Comments are readable; their vote counts show, but there is nothing to press.
    expect(page.locator(f"#c{comment.pk} .comment-body")).to_have_text("Night buses, please.")
    expect(page.locator(f"#c{comment.pk} .vote-form")).to_have_count(0)
    expect(page.locator(f'#c{comment.pk} .votes [aria-disabled="true"]')).to_have_count(3)


def test_thai_by_default_and_the_switcher_changes_language(
    no_js: Callable[..., Viewer], consultation: Consultation
) -> None:
    viewer = no_js()  # the browser asks for English (en-GB): Thai is still the default
    page = viewer.page
    viewer.goto(consultation.get_absolute_url())
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "th")
    expect(page.locator("#comments-h")).to_contain_text(thai("Comments"))
    expect(page.locator('.lang-form button[value="th"]')).to_have_attribute("aria-pressed", "true")

    with page.expect_navigation():
        page.locator('.lang-form button[value="en"]').click()
    expect(page).to_have_url(viewer.base_url + consultation.get_absolute_url())
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("#comments-h")).to_contain_text("Comments")
    expect(page.locator("#comments").get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator('.lang-form button[value="en"]')).to_have_attribute("aria-pressed", "true")
    cookies = {c["name"]: c["value"] for c in viewer.context.cookies()}
    assert cookies.get(settings.LANGUAGE_COOKIE_NAME) == "en"

    # The choice sticks on other pages, and switching back works the same way.
    viewer.goto("/")
    expect(html).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.locator('.lang-form button[value="th"]').click()
    expect(html).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text(thai("Consultations"))
