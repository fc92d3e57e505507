from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from comments.models import Channel, Comment, Status
from comments.services import comment_create, comment_set_status
from consult.errors import ServiceError


def test_comment_on_a_section_with_a_stance(alice, consultation):
    section = consultation.sections.first()
    c = comment_create(
        consultation=consultation,
        author=alice,
        body="  ควรเพิ่มสถานีตรวจวัด  ",
        stance="suggestion",
        section=section,
    )
    assert c.body == "ควรเพิ่มสถานีตรวจวัด"
    assert c.stance == "suggestion" and c.status == Status.PUBLISHED and c.channel == Channel.WEB
    section.refresh_from_db()
    consultation.refresh_from_db()
    assert section.comment_count == 1 and consultation.comment_count == 1


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_web_comments_need_an_open_consultation(alice, make_consultation, phase):
    c = make_consultation(phase)
    with pytest.raises(ServiceError) as err:
        comment_create(consultation=c, author=alice, body="Too early or too late")
    assert err.value.code in {"not_open", "closed"}
    assert not Comment.objects.exists()


def test_offline_and_imported_comments_keep_channel_and_external_id(make_consultation):
    c = make_consultation("closed")
    when = timezone.now() - timedelta(days=30)
    comment = comment_create(
        consultation=c,
        author=None,
        author_name="Public hearing, Khon Kaen",
        body="From the hall",
        channel=Channel.OFFLINE,
        external_id="KK-17",
        created_at=when,
    )
    assert (
        comment.channel == "offline"
        and comment.external_id == "KK-17"
        and comment.public_id == "KK-17"
    )
    assert comment.created_at == when and comment.display_author == "Public hearing, Khon Kaen"


def test_reply_depth_is_at_most_three_levels(alice, bob, consultation):
    root = comment_create(consultation=consultation, author=alice, body="Root")
    reply = comment_create(consultation=consultation, author=bob, body="Reply", parent=root)
    reply2 = comment_create(
        consultation=consultation, author=alice, body="Reply to reply", parent=reply
    )
    assert (root.depth, reply.depth, reply2.depth) == (0, 1, 2)
    assert reply2.root_id == root.pk and reply.root_id == root.pk
    with pytest.raises(ServiceError) as err:
        comment_create(consultation=consultation, author=bob, body="Too deep", parent=reply2)
    assert err.value.code == "depth"
    root.refresh_from_db()
    assert root.reply_count == 2


def test_reply_takes_its_parents_section(alice, bob, consultation):
    section = consultation.sections.last()
    root = comment_create(
        consultation=consultation, author=alice, body="On a section", section=section
    )
    reply = comment_create(consultation=consultation, author=bob, body="Reply", parent=root)
    assert reply.section_id == section.pk


def test_cannot_reply_to_a_hidden_comment(alice, bob, consultation):
    root = comment_create(consultation=consultation, author=alice, body="Root")
    comment_set_status(comment=root, status=Status.HIDDEN, reason="abuse", note="Insult")
    with pytest.raises(ServiceError):
        comment_create(consultation=consultation, author=bob, body="Reply", parent=root)


@pytest.mark.parametrize(
    ("body", "stance", "code"),
    [
        ("", "support", "empty"),
        ("   \n ", "support", "empty"),
        ("x" * 5001, "support", "too_long"),
        ("ok", "maybe", "stance"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(alice, consultation, body, stance, code):
    with pytest.raises(ServiceError) as err:
        comment_create(consultation=consultation, author=alice, body=body, stance=stance)
    assert err.value.code == code
    assert not Comment.objects.exists()


def test_5000_characters_is_accepted(alice, consultation):
    assert comment_create(consultation=consultation, author=alice, body="ก" * 5000).pk


def test_section_of_another_consultation_is_refused(alice, consultation, make_consultation):
    other = make_consultation()
    with pytest.raises(ServiceError):
        comment_create(
            consultation=consultation, author=alice, body="x", section=other.sections.first()
        )


def test_status_changes_keep_the_comment_and_adjust_counts(alice, consultation):
    c = comment_create(consultation=consultation, author=alice, body="Borderline")
    comment_set_status(comment=c, status=Status.HIDDEN, reason="abuse", note="Personal attack")
    consultation.refresh_from_db()
    assert consultation.comment_count == 0
    c.refresh_from_db()
    assert c.status == "hidden" and c.status_note == "Personal attack" and c.body == "Borderline"
    comment_set_status(comment=c, status=Status.PUBLISHED)
    consultation.refresh_from_db()
    assert consultation.comment_count == 1


def test_comments_cannot_be_hard_deleted_through_the_admin(admin_client, alice, consultation):
    c = comment_create(consultation=consultation, author=alice, body="Keep me")
    response = admin_client.post(f"/admin/comments/comment/{c.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Comment.objects.filter(pk=c.pk).exists()


def test_a_reply_to_a_missing_or_foreign_comment_is_refused_and_nothing_saved(
    client, alice, bob, consultation, make_consultation
):
    elsewhere = make_consultation("open")
    foreign = comment_create(consultation=elsewhere, author=bob, body="Somewhere else")
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/c/{consultation.slug}/comments/"
    before = Comment.objects.count()

    missing = client.post(
        url,
        {"body": "A reply", "stance": "neutral", "parent": 999_999},
        HTTP_ACCEPT="application/json",
    )
    assert missing.status_code == 400
    assert "no longer exists" in str(missing.json()["errors"])

    page = client.post(url, {"body": "A reply", "stance": "neutral", "parent": foreign.pk})
    assert page.status_code == 400
    assert "within the same consultation" in page.content.decode()
    # The form shown again still offers the draft's sections.
    assert f'<option value="{consultation.sections.first().pk}"' in page.content.decode()
    assert Comment.objects.count() == before
