"""The whole first-time path on a phone: arrive on a section, write a comment, sign up, type the
e-mail code, and publish the comment typed at the start (consent given at the form), with and
without JavaScript. Nothing is typed twice."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from playwright.sync_api import expect

from comments.models import Comment
from consult.models import User
from topics.models import Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "th-TH",
}
TEXT = "ขอให้ติดตั้งเครื่องวัดฝุ่นหน้าโรงเรียนทุกแห่ง และแจ้งค่าฝุ่นทางไลน์"


def code_from_mail(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    match = re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_first_comment_from_a_section_on_a_phone(
    open_viewer: Callable[..., Viewer], consultation: Consultation, javascript: bool
) -> None:
    section = consultation.sections.order_by("position")[1]
    viewer = open_viewer(java_script_enabled=javascript, **PHONE)
    page = viewer.page
    email = f"first-{int(javascript)}@example.org"
    viewer.goto(f"{consultation.get_absolute_url()}?section={section.pk}")

    # The form is there for a visitor, on the section they came to, consent asked before sending.
    form = page.locator("#comment-form")
    expect(form.locator("#id_section")).to_have_value(str(section.pk))
    page.locator("#id_body").fill(TEXT)
    form.locator('input[name="stance"][value="suggestion"]').check()
    form.locator("#id_consent").check()
    form.locator('button[type="submit"]').click()

    # Sign-up keeps where they came from; the comment is not posted yet.
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    assert not Comment.objects.exists()
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill("a long pass phrase 42")
    page.locator("#id_password2").fill("a long pass phrase 42")
    page.locator('main form button[type="submit"]').click()

    # The code from the e-mail, typed in the same tab: signed in and back on the section.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))
    page.locator("#id_code").fill(code_from_mail(email))
    page.locator('main form:has(#id_code) button[type="submit"]:not([form])').click()
    expect(page).to_have_url(re.compile(rf"\?section={section.pk}#comment-form$"))

    # The comment typed at the start is back, with its stance, section and consent.
    expect(page.locator("#id_body")).to_have_value(TEXT)
    expect(form.locator('input[name="stance"][value="suggestion"]')).to_be_checked()
    expect(form.locator("#id_section")).to_have_value(str(section.pk))
    expect(form.locator("#id_consent")).to_be_checked()
    form.locator('button[type="submit"]').click()

    user = User.objects.get(email=email)
    if javascript:
        expect(page.locator("#comment-list .comment-body", has_text=TEXT)).to_be_visible()
    else:
        expect(page.locator(".messages li.success")).to_be_visible()
        expect(page.locator(".comment-body", has_text=TEXT)).to_be_visible()
    comment = Comment.objects.get(author=user)
    assert (comment.body, comment.stance, comment.section_id) == (TEXT, "suggestion", section.pk)
    # The form is empty again after posting, and stays so on a new visit.
    viewer.goto(consultation.get_absolute_url())
    expect(page.locator("#id_body")).to_have_value("")
