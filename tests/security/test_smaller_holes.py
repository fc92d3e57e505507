"""Smaller holes: drafts are seen only by their own agency's staff in a session that passed
the second factor, and refusals do not reveal which draft slugs exist; ``next`` values that are
not paths and bad keyset cursors are answered without an error; reports are rate limited and
weighed; the moderation queue filter does not name other agencies' drafts."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import IdentityVerification
from comments.models import Status
from comments.services import comment_create
from moderation import services as moderation
from moderation.models import QueueItem
from topics.models import Agency

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def other_agency(db):
    return Agency.objects.create(slug="doe", name_th="กรมพลังงาน", name_en="Dept of Energy")


@pytest.fixture
def secret_draft(make_consultation, other_agency):
    return make_consultation("draft", agency=other_agency, title="ร่างลับของกรมพลังงาน")


def test_django_staff_flag_gives_no_view_of_drafts(client, make_user, secret_draft):
    clerk = make_user("clerk", is_staff=True, mfa=True)
    client.force_login(clerk)
    assert client.get(secret_draft.get_absolute_url()).status_code == 404
    assert client.get(f"/c/{secret_draft.slug}/analysis/").status_code == 404


def test_own_agency_staff_see_drafts_only_after_the_second_factor(make_staff, make_consultation):
    editor = make_staff("editor", "editor")
    draft = make_consultation("draft")
    without = Client()
    without.force_login(editor, second_factor=False)
    assert without.get(draft.get_absolute_url()).status_code == 404
    with_mfa = Client()
    with_mfa.force_login(editor)
    assert with_mfa.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("suffix", ["", "edit/", "preview/", "answers.csv"])
def test_draft_slugs_answer_like_missing_ones(client, make_staff, secret_draft, suffix):
    missing = f"/workspace/c/no-such-draft/{suffix}"
    existing = f"/workspace/c/{secret_draft.slug}/{suffix}"
    assert client.get(existing).status_code == client.get(missing).status_code == 404
    client.force_login(make_staff("editor", "editor"))  # an editor of another agency
    assert client.get(existing).status_code == client.get(missing).status_code == 404
    response = client.post(f"/workspace/c/{secret_draft.slug}/publish/")
    assert response.status_code == 404


def test_next_that_is_not_a_path_is_ignored(client, alice, bob, make_staff, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    client.force_login(bob)
    for bad in ["x", "javascript:alert(1)", "//evil.example/", "https://evil.example/"]:
        response = client.post(f"/comments/{comment.pk}/vote/", {"value": "1", "next": bad})
        assert response.status_code == 302, bad
        assert response["Location"].startswith(consultation.get_absolute_url()), bad
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "spam", "next": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(consultation.get_absolute_url())
    response = client.post("/me/consent/", {"agree": "yes", "version": "2025-1", "next": "x"})
    assert response.status_code == 302 and response["Location"] == "/"
    moderator = make_staff("mod", "moderator", platform=True)
    client.force_login(moderator)
    response = client.post("/moderation/bulk/", {"next": "x"})
    assert response.status_code == 302 and response["Location"] == "/moderation/"


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "raw"),
    [
        ("agreed", "[1e999,1]"),
        ("agreed", "[NaN,1]"),
        ("divisive", "[-Infinity,1]"),
        ("agreed", "[1,1e999]"),
        ("agreed", "[true,1]"),
        ("agreed", "[1,99999999999999999999999]"),
        ("newest", '["2025-01-01T00:00:00",1]'),
        ("newest", "[1,1]"),
    ],
)
def test_bad_cursors_show_the_first_page(client, alice, consultation, sort, raw):
    comment_create(consultation=consultation, author=alice, body="ความเห็นแรก")
    response = client.get(consultation.get_absolute_url(), {"sort": sort, "after": _cursor(raw)})
    assert response.status_code == 200
    assert "ความเห็นแรก" in response.content.decode()


def test_reports_are_rate_limited(client, alice, make_user, consultation, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "flag": {"user": "3/600", "ip": "100/600"}}
    comments = [
        comment_create(consultation=consultation, author=alice, body=f"ความเห็น {i}")
        for i in range(5)
    ]
    client.force_login(make_user("reporter"))
    codes = [
        client.post(f"/comments/{c.pk}/flag/", {"reason": "spam"}, **JSON).status_code
        for c in comments
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert QueueItem.objects.filter(comment__in=comments).count() == 3


def test_three_new_accounts_cannot_hide_a_comment(alice, make_user, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    for i in range(3):
        moderation.flag_create(comment=comment, user=make_user(f"sock{i}"), reason="spam")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED  # reported, in the queue, still shown
    assert QueueItem.objects.filter(comment=comment).exists()


def test_established_or_verified_reporters_count_fully(alice, make_user, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    old = make_user("old", date_joined=timezone.now() - timedelta(days=60))
    verified = make_user("verified")
    IdentityVerification.objects.create(user=verified, provider="thaid", id_hash="b" * 64)
    third = make_user("third", date_joined=timezone.now() - timedelta(days=60))
    for reporter in (old, verified, third):
        moderation.flag_create(comment=comment, user=reporter, reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN


def test_queue_filter_does_not_name_other_agencies_drafts(client, make_staff, secret_draft):
    client.force_login(make_staff("mod", "moderator"))  # moderator of the first agency
    page = client.get("/moderation/", {"consultation": secret_draft.slug}).content.decode()
    assert "ร่างลับของกรมพลังงาน" not in page
