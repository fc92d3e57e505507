"""The moderation policy as a matrix: mode (post / pre / hold unverified) x author (named or
not, e-mail, LINE/Google, national digital ID) -> published or held."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.models import IdentityVerification, NameKind, Profile
from comments.models import Status
from comments.services import comment_create
from moderation import services
from moderation.models import Kind, QueueItem

AUTHORS = ["email_named", "email_pseudonym", "email_no_name", "social_named", "identity_named"]

# mode -> author -> status
EXPECTED = {
    "post": dict.fromkeys(AUTHORS, Status.PUBLISHED),
    "pre": dict.fromkeys(AUTHORS, Status.PENDING),
    "hold_unverified": {
        "email_named": Status.PENDING,  # below the trusted level (identity) by default
        "email_pseudonym": Status.PENDING,
        "email_no_name": Status.PENDING,
        "social_named": Status.PENDING,
        "identity_named": Status.PUBLISHED,
    },
}


def make_author(make_user, kind: str):
    user = make_user(kind.replace("_", ""))
    if kind == "email_pseudonym":
        Profile.objects.create(user=user, name_kind=NameKind.PSEUDONYM)
    if kind == "email_no_name":
        user.display_name = ""
        user.save(update_fields=["display_name"])
    if kind == "social_named":
        SocialAccount.objects.create(user=user, provider="line", uid=f"line-{user.pk}")
    if kind == "identity_named":
        IdentityVerification.objects.create(user=user, provider="thaid", id_hash=f"h{user.pk}")
    return user


@pytest.mark.parametrize("mode", list(EXPECTED))
@pytest.mark.parametrize("author_kind", AUTHORS)
def test_policy_matrix(make_user, make_staff, consultation, mode, author_kind):
    moderator = make_staff("mod", "moderator")
    services.policy_set(consultation=consultation, changed_by=moderator, mode=mode)
    author = make_author(make_user, author_kind)
    comment = comment_create(consultation=consultation, author=author, body="ขอเสนอให้ขยายเวลา")
    assert comment.status == EXPECTED[mode][author_kind], (mode, author_kind)
    queued = QueueItem.objects.filter(comment=comment, kind=Kind.HELD).exists()
    assert queued is (comment.status == Status.PENDING)
    if queued:
        expected_reason = "pre_moderation" if mode == "pre" else "unverified"
        assert comment.status_reason == expected_reason


@pytest.mark.parametrize("level,published", [(1, True), (2, True), (3, False)])
def test_trusted_level_is_configurable(make_user, make_staff, consultation, level, published):
    """With the threshold at LINE/Google sign-in, a social account is trusted; e-mail is not
    at level 2; everyone named is at level 1."""
    moderator = make_staff("mod", "moderator")
    services.policy_set(
        consultation=consultation, changed_by=moderator, mode="hold_unverified", trusted_level=level
    )
    social = make_author(make_user, "social_named")
    comment = comment_create(consultation=consultation, author=social, body="เห็นด้วยครับ")
    assert (comment.status == Status.PUBLISHED) is published


def test_thresholds_are_per_consultation(make_user, make_staff, consultation):
    moderator = make_staff("mod", "moderator")
    author = make_user("linker")
    body = "ดู https://example.org/a และ https://example.net/b"
    assert comment_create(consultation=consultation, author=author, body=body).status == "published"
    services.policy_set(consultation=consultation, changed_by=moderator, max_links=1)
    other = make_user("linker2")
    assert comment_create(consultation=consultation, author=other, body=body).status == "pending"
    services.policy_set(consultation=consultation, changed_by=moderator, hold_links=False)
    third = make_user("linker3")
    assert comment_create(consultation=consultation, author=third, body=body).status == "published"


def test_impolite_language_can_be_held(make_user, make_staff, consultation):
    moderator = make_staff("mod", "moderator")
    text = "กูว่าร่างนี้ดีนะ"
    assert comment_create(consultation=consultation, author=make_user("a1"), body=text).status == (
        "published"
    )
    services.policy_set(consultation=consultation, changed_by=moderator, hold_impolite=True)
    assert comment_create(consultation=consultation, author=make_user("a2"), body=text).status == (
        "pending"
    )


def test_unnamed_hold_of_the_consultation_still_applies(make_user, make_consultation):
    consultation = make_consultation("open", unnamed_comments="hold")
    named = make_author(make_user, "email_named")
    unnamed = make_author(make_user, "email_pseudonym")
    assert comment_create(consultation=consultation, author=named, body="ดี").status == "published"
    assert comment_create(consultation=consultation, author=unnamed, body="ดี").status == "pending"


def test_posts_through_the_page_follow_the_saved_policy(
    client, make_user, make_staff, consultation
):
    # The page reads the policy together with the consultation; a change applies to the next post.
    moderator = make_staff("mod", "moderator")
    url = f"/c/{consultation.slug}/comments/"
    client.force_login(make_user("first"))
    client.post(url, {"body": "Before any policy", "stance": "neutral"})
    services.policy_set(consultation=consultation, changed_by=moderator, mode="pre")
    client.force_login(make_user("second"))
    client.post(url, {"body": "Under pre-moderation", "stance": "neutral"})
    services.policy_set(consultation=consultation, changed_by=moderator, mode="post")
    client.force_login(make_user("third"))
    client.post(url, {"body": "Back to post-moderation", "stance": "neutral"})
    statuses = dict(consultation.comments.values_list("body", "status").order_by("id"))
    assert statuses == {
        "Before any policy": Status.PUBLISHED,
        "Under pre-moderation": Status.PENDING,
        "Back to post-moderation": Status.PUBLISHED,
    }
