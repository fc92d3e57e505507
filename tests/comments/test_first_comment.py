"""The first comment: what a visitor types survives every refusal (sign-up, e-mail
verification, consent, the rate limit, screening) and comes back in the form with its stance
and section; consent is given at the form."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Consent
from comments.models import Comment
from consult.models import User

pytestmark = pytest.mark.django_db

TEXT = "ควรเพิ่มจุดตรวจวัดฝุ่นใกล้โรงเรียน ให้ผู้ปกครองดูค่าได้ทุกชั่วโมง"


def section_url(consultation, section) -> str:
    return f"{consultation.get_absolute_url()}?section={section.pk}"


def _post_url(consultation) -> str:
    from django.urls import reverse

    return reverse("comments:post", args=[consultation.slug])


def code_from_mail() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*(\d{6})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_visitor_signs_up_verifies_and_publishes_the_comment_typed_first(consultation):
    section = consultation.sections.order_by("position")[1]
    client = Client()
    page = client.get(section_url(consultation, section))
    assert b'id="comment-form"' in page.content
    assert b'name="consent"' in page.content  # consent is asked at the form, before writing

    response = client.post(
        _post_url(consultation),
        {"body": TEXT, "stance": "suggestion", "section": section.pk, "consent": "on"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signup/?next=")
    assert not Comment.objects.exists()

    signup = client.post(
        response["Location"],
        {
            "email": "dao@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert signup.status_code == 302, signup.content[:2000]
    confirm = client.get(signup["Location"])
    assert confirm.status_code == 200
    verified = client.post(signup["Location"], {"code": code_from_mail()})
    assert verified.status_code == 302
    back = verified["Location"]
    assert back == f"{consultation.get_absolute_url()}?section={section.pk}#comment-form"

    user = User.objects.get(email="dao@example.org")
    page = client.get(back.split("#")[0])
    assert page.wsgi_request.user == user  # signed in without typing the password again
    html = page.content.decode()
    assert TEXT in html
    assert re.search(r'value="suggestion"[^>]*checked', html)
    assert re.search(rf'<option value="{section.pk}" selected>', html)
    assert re.search(r'name="consent"[^>]*checked', html)

    done = client.post(
        _post_url(consultation),
        {"body": TEXT, "stance": "suggestion", "section": section.pk, "consent": "on"},
    )
    assert done.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.body, comment.stance, comment.section) == (
        user,
        TEXT,
        "suggestion",
        section,
    )
    assert Consent.objects.filter(user=user, given=True).exists()
    # Posted: the draft is gone, the form is empty again.
    assert (
        TEXT
        not in client.get(consultation.get_absolute_url())
        .content.decode()
        .split('id="comment-form"')[1]
        .split("</form>")[0]
    )


def test_without_consent_ticked_nothing_is_posted_and_the_text_stays(consultation, make_user):
    dao = make_user("dao", consented=False)
    client = Client()
    client.force_login(dao)
    response = client.post(_post_url(consultation), {"body": TEXT, "stance": "oppose"})
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override("th"):  # the page is in Thai, the site's first language
        assert (
            gettext(
                "Before your first comment, please tick the box to agree to how comments and votes are used."
            )
            in html
        )
    assert TEXT in html
    assert not Comment.objects.exists()
    assert not Consent.objects.filter(user=dao).exists()
    # Consent ticked at the form: given and the comment posted in one step.
    response = client.post(
        _post_url(consultation), {"body": TEXT, "stance": "oppose", "consent": "on"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().stance == "oppose"
    assert Consent.objects.filter(user=dao, given=True).exists()


def test_rate_limited_comment_comes_back_in_the_form(consultation, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"user": "1/60", "ip": "100/60"}}
    client = Client()
    client.force_login(alice)
    assert client.post(_post_url(consultation), {"body": "first one"}).status_code == 302
    refused = client.post(_post_url(consultation), {"body": TEXT, "stance": "support"})
    assert refused.status_code == 429
    assert Comment.objects.count() == 1
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert TEXT in html
    assert re.search(r'value="support"[^>]*checked', html)


def test_a_refused_draft_is_gone_once_posted_and_a_plain_post_leaves_the_session_alone(
    consultation, alice, settings
):
    from django.contrib.sessions.models import Session

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"user": "1/60", "ip": "100/60"}}
    client = Client()
    client.force_login(alice)
    key = client.session.session_key

    def stored() -> str:
        return Session.objects.get(session_key=key).session_data

    before = stored()
    assert client.post(_post_url(consultation), {"body": "first one"}).status_code == 302
    assert stored() == before  # nothing to keep: the session is not written

    assert client.post(_post_url(consultation), {"body": TEXT}).status_code == 429
    assert stored() != before  # the refused text is kept
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"user": "100/60", "ip": "100/60"}}
    assert client.post(_post_url(consultation), {"body": TEXT}).status_code == 302
    assert Comment.objects.filter(body=TEXT).count() == 1
    assert (
        TEXT
        not in client.get(consultation.get_absolute_url())
        .content.decode()
        .split('id="comment-form"')[1]
        .split("</form>")[0]
    )


def test_new_comment_and_reply_have_no_stance_unless_given(consultation, alice):
    client = Client()
    client.force_login(alice)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert not re.search(r'name="stance"[^>]*checked', page)  # nothing pre-set
    client.post(_post_url(consultation), {"body": "No stance here."})
    top = Comment.objects.get()
    assert top.stance == ""
    client.post(_post_url(consultation), {"body": "A reply.", "parent": top.pk})
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert reply.stance == ""
