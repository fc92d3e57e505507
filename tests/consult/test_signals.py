"""The domain events of ``consult.signals``: each service sends its event once, inside the
transaction of its write, with the declared arguments; a refused write sends nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from consult import signals
from consult.errors import ServiceError


@contextmanager
def caught(signal) -> Iterator[list[dict]]:
    seen: list[dict] = []

    def receiver(sender, **kwargs) -> None:
        kwargs["in_atomic_block"] = transaction.get_connection().in_atomic_block
        seen.append(kwargs)

    signal.connect(receiver, weak=False)
    try:
        yield seen
    finally:
        signal.disconnect(receiver)


@pytest.mark.django_db
def test_comment_created_edited_and_status(consultation, alice):
    from comments import services
    from comments.models import Status

    with caught(signals.comment_created) as created:
        comment = services.comment_create(
            consultation=consultation, author=alice, body="ควรมีจุดคัดแยกขยะทุกหมู่บ้าน"
        )
    assert [e["comment"].pk for e in created] == [comment.pk]
    assert created[0]["in_atomic_block"]

    with caught(signals.comment_edited) as edited:
        services.comment_edit(comment=comment, user=alice, body="ควรมีจุดคัดแยกขยะทุกตำบล")
    assert edited[0]["previous_body"] == "ควรมีจุดคัดแยกขยะทุกหมู่บ้าน"
    assert edited[0]["comment"].body == "ควรมีจุดคัดแยกขยะทุกตำบล"

    with caught(signals.comment_status_changed) as status:
        services.comment_set_status(comment=comment, status=Status.HIDDEN, reason="spam")
        services.comment_set_status(comment=comment, status=Status.HIDDEN, reason="spam")
    assert len(status) == 1  # no change, no event
    assert status[0]["previous_status"] == Status.PUBLISHED
    assert status[0]["comment"].status == Status.HIDDEN


@pytest.mark.django_db
def test_refused_and_rolled_back_writes_send_events_the_receiver_sees_undone(consultation, alice):
    from comments import services
    from comments.models import Comment

    with caught(signals.comment_created) as created:
        with pytest.raises(ServiceError):
            services.comment_create(consultation=consultation, author=alice, body="   ")
    assert created == []

    with caught(signals.comment_created) as created:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.comment_create(consultation=consultation, author=alice, body="ข้อความ")
            raise RuntimeError
    # Sent inside the transaction: a receiver writing to the database is rolled back with it.
    assert len(created) == 1
    assert not Comment.objects.filter(pk=created[0]["comment"].pk).exists()


@pytest.mark.django_db
def test_votes_and_positions_carry_the_previous_value(consultation, alice, bob):
    from comments import services
    from topics.services import position_set

    comment = services.comment_create(consultation=consultation, author=alice, body="ข้อเสนอ")
    with caught(signals.vote_cast) as votes:
        services.vote_cast(comment=comment, user=bob, value=1)
        services.vote_cast(comment=comment, user=bob, value=1)  # unchanged: no event
        services.vote_cast(comment=comment, user=bob, value=-1)
    assert [(e["previous_value"], e["vote"].value) for e in votes] == [(None, 1), (1, -1)]
    assert all(e["vote"].user_id == bob.pk for e in votes)

    with caught(signals.position_set) as positions:
        position_set(consultation=consultation, user=bob, value="support")
        position_set(consultation=consultation, user=bob, value="support")
        position_set(consultation=consultation, user=bob, value="oppose")
    assert [(e["previous_value"], e["position"].value) for e in positions] == [
        (None, "support"),
        ("support", "oppose"),
    ]


@pytest.mark.django_db
def test_consultation_lifecycle(make_consultation, make_staff):
    from topics import services

    editor = make_staff("eddie", "editor")
    draft = make_consultation("draft")
    with caught(signals.consultation_published) as published:
        services.consultation_publish(actor=editor, consultation=draft)
    assert published[0]["consultation"].pk == draft.pk and published[0]["actor"] == editor

    with caught(signals.consultation_extended) as extended:
        services.consultation_extend(
            actor=editor,
            consultation=draft,
            closes_at=draft.closes_at + timedelta(days=5),
            reason="คำขอจากภาคประชาชน",
        )
    assert extended[0]["previous_closes_at"] == draft.closes_at
    assert extended[0]["reason"] == "คำขอจากภาคประชาชน"

    with caught(signals.consultation_closed) as closed:
        services.consultation_close(actor=editor, consultation=draft, reason="ยุติร่าง")
    assert closed[0]["reason"] == "ยุติร่าง"
    assert closed[0]["consultation"].closes_at <= timezone.now()


@pytest.mark.django_db
def test_moderation_decision_and_account_erasure(consultation, alice, make_staff):
    from accounts.services import account_delete
    from comments import services
    from moderation.services import decision_record

    moderator = make_staff("mod", "moderator")
    comment = services.comment_create(consultation=consultation, author=alice, body="ความเห็น")
    with caught(signals.moderation_decided) as decided:
        decision_record(
            comment=comment, moderator=moderator, action="hide", reason="spam", note="โฆษณา"
        )
    assert decided[0]["entry"].action == "hide"
    assert decided[0]["moderator"] == moderator and decided[0]["appeal"] is None

    consultation.legal_basis = "consent"
    consultation.save(update_fields=["legal_basis"])
    with caught(signals.comments_detached) as detached:
        account_delete(user=alice, remove_comments=True)
    assert detached[0]["comment_ids"] == [comment.pk]
    assert detached[0]["erased_ids"] == [comment.pk]
