"""Authors correct their comments for a short while; every edit is screened like a new post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentRevision, Status
from comments.services import comment_create, comment_edit
from consult.errors import ServiceError
from moderation.models import Action, LogEntry, QueueItem, Screening, State

RUDE = "ไอ้ควาย รัฐบาลโง่"


@pytest.fixture
def comment(consultation, alice):
    return comment_create(consultation=consultation, author=alice, body="ควรมีสถานีวัดฝุ่นทุกอำเภอ")


def test_the_author_edits_and_the_earlier_text_is_kept(comment, alice, consultation):
    edited = comment_edit(comment=comment, user=alice, body="ควรมีสถานีวัดฝุ่นทุกตำบล")
    assert edited.body == "ควรมีสถานีวัดฝุ่นทุกตำบล" and edited.edited_at is not None
    assert edited.status == Status.PUBLISHED
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["ควรมีสถานีวัดฝุ่นทุกอำเภอ"]
    assert LogEntry.objects.filter(comment=comment, action=Action.EDIT).count() == 1
    consultation.refresh_from_db()
    assert consultation.comment_count == 1


def test_an_edit_is_screened_personal_data_is_masked(comment, alice):
    edited = comment_edit(comment=comment, user=alice, body="โทรหาผมได้ที่ 081-234-5678 ครับ")
    assert "081-234-5678" not in edited.body
    screening = Screening.objects.get(comment=comment)
    assert "081-234-5678" in screening.original_text and screening.purge_after is not None


def test_an_abusive_edit_takes_the_comment_back_for_review(comment, alice, consultation):
    edited = comment_edit(comment=comment, user=alice, body=RUDE)
    assert edited.status == Status.PENDING
    assert QueueItem.objects.filter(comment=comment, state=State.OPEN).count() == 1
    consultation.refresh_from_db()
    assert consultation.comment_count == 0  # no longer counted as published


def test_refused_edits_change_nothing(comment, alice, bob, settings):
    before = Comment.objects.get(pk=comment.pk)
    with pytest.raises(ServiceError):
        comment_edit(comment=comment, user=bob, body="not mine")
    with pytest.raises(ServiceError):
        comment_edit(comment=comment, user=alice, body="   ")
    with pytest.raises(ServiceError):
        comment_edit(comment=comment, user=alice, body="x" * (settings.COMMENT_MAX_LENGTH + 1))
    with pytest.raises(ServiceError):
        comment_edit(comment=comment, user=alice, body=before.body)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.COMMENT_EDIT_MINUTES + 1)
    )
    with pytest.raises(ServiceError) as late:
        comment_edit(comment=comment, user=alice, body="too late now")
    assert late.value.code == "not_editable"
    after = Comment.objects.get(pk=comment.pk)
    assert after.body == before.body and after.edited_at is None
    assert not CommentRevision.objects.exists()


def test_edit_page_without_javascript(client, comment, alice, bob):
    url = reverse("comments:edit", args=[comment.pk])
    client.force_login(bob)
    page = client.get(comment.consultation.get_absolute_url()).content.decode()
    assert url not in page  # only the author sees "Edit"
    assert client.get(url).status_code == 302
    client.force_login(alice)
    page = client.get(comment.consultation.get_absolute_url()).content.decode()
    assert url in page
    form = client.get(url)
    assert form.status_code == 200 and "ควรมีสถานีวัดฝุ่นทุกอำเภอ" in form.content.decode()
    empty = client.post(url, {"body": ""})
    assert empty.status_code == 400 and 'role="alert"' in empty.content.decode()
    saved = client.post(url, {"body": "ควรมีสถานีวัดฝุ่นทุกตำบล"})
    assert saved.status_code == 302 and saved.url.endswith(f"#c{comment.pk}")
    page = client.get(comment.consultation.get_absolute_url()).content.decode()
    assert "ควรมีสถานีวัดฝุ่นทุกตำบล" in page and "ทุกอำเภอ" not in page


def test_moderators_see_the_earlier_versions(client, comment, alice, make_staff):
    comment_edit(comment=comment, user=alice, body="ควรมีสถานีวัดฝุ่นทุกตำบล")
    moderator = make_staff("mona", "moderator", platform=True)
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[comment.pk])).content.decode()
    assert 'id="revisions"' in page and "ควรมีสถานีวัดฝุ่นทุกอำเภอ" in page
