"""The record listens to the domain events (consult/signals.py). Each receiver runs inside the
transaction of the write it records, so a rolled-back write leaves no entry."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from consult import signals
from records.services import contents_erase, entry_append, participant_id

log = logging.getLogger(__name__)


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def on_comment_created(sender, *, comment, **kwargs) -> None:
    entry_append(
        kind="comment.created",
        subject=f"comment:{comment.pk}",
        consultation_id=comment.consultation_id,
        user=comment.author,
        comment_id=comment.pk,
        when=comment.created_at,
        content={
            "comment": comment.pk,
            "parent": comment.parent_id,
            "section": comment.section_id,
            "stance": comment.stance,
            "channel": comment.channel,
            "body": comment.body,
        },
    )


def on_comment_edited(sender, *, comment, previous_body, **kwargs) -> None:
    entry_append(
        kind="comment.edited",
        subject=f"comment:{comment.pk}",
        consultation_id=comment.consultation_id,
        user=comment.author,
        comment_id=comment.pk,
        when=comment.edited_at,
        content={"comment": comment.pk, "body": comment.body},
    )


def on_comment_status_changed(sender, *, comment, previous_status, **kwargs) -> None:
    entry_append(
        kind="comment.status",
        subject=f"comment:{comment.pk}",
        consultation_id=comment.consultation_id,
        comment_id=comment.pk,
        content={
            "comment": comment.pk,
            "status": comment.status,
            "previous": previous_status,
            "reason": comment.status_reason,
        },
    )


def on_vote_cast(sender, *, vote, comment, previous_value, **kwargs) -> None:
    entry_append(
        kind="vote.cast",
        subject=f"comment:{comment.pk}",
        consultation_id=comment.consultation_id,
        user=vote.user,
        when=vote.updated_at,
        content={
            "comment": comment.pk,
            "participant": participant_id(
                consultation_id=comment.consultation_id, user_id=vote.user_id
            ),
            "value": vote.value,
        },
    )


def on_position_set(sender, *, position, previous_value, **kwargs) -> None:
    entry_append(
        kind="position.set",
        subject=f"consultation:{position.consultation_id}",
        consultation_id=position.consultation_id,
        user=position.user,
        content={
            "participant": participant_id(
                consultation_id=position.consultation_id, user_id=position.user_id
            ),
            "value": position.value,
        },
    )


def _draft(consultation) -> dict[str, Any]:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "body": consultation.body,
        "sections": [
            [s.number, s.heading, s.text] for s in consultation.sections.order_by("position", "id")
        ],
        "opens_at": _when(consultation.opens_at),
        "closes_at": _when(consultation.closes_at),
    }


def on_consultation_published(sender, *, consultation, when, **kwargs) -> None:
    entry_append(
        kind="consultation.published",
        subject=f"consultation:{consultation.pk}",
        consultation_id=consultation.pk,
        content={**_draft(consultation), "published_at": _when(when)},
    )


def on_consultation_extended(sender, *, consultation, previous_closes_at, reason, **kwargs):
    entry_append(
        kind="consultation.extended",
        subject=f"consultation:{consultation.pk}",
        consultation_id=consultation.pk,
        content={
            "closes_at": _when(consultation.closes_at),
            "previous_closes_at": _when(previous_closes_at),
            "reason": reason,
        },
    )


def _checkpoint_after_commit() -> None:
    from records.services import checkpoint_sign

    def sign() -> None:
        try:
            checkpoint_sign()
        except ImproperlyConfigured as exc:  # no key: the periodic job signs once there is one
            log.warning("no checkpoint signed: %s", exc)

    transaction.on_commit(sign)


def on_consultation_closed(sender, *, consultation, reason, **kwargs) -> None:
    entry_append(
        kind="consultation.closed",
        subject=f"consultation:{consultation.pk}",
        consultation_id=consultation.pk,
        content={"closes_at": _when(consultation.closes_at), "reason": reason},
    )
    _checkpoint_after_commit()


def on_report_published(sender, *, report, consultation, **kwargs) -> None:
    content: dict[str, Any] = {"report": report.pk}
    for field in ("title", "body", "summary", "response"):
        value = getattr(report, field, None)
        if isinstance(value, str):
            content[field] = value
    entry_append(
        kind="report.published",
        subject=f"report:{report.pk}",
        consultation_id=consultation.pk,
        content=content,
    )


def on_conversation_imported(sender, *, consultation, **kwargs) -> None:
    entry_append(
        kind="conversation.imported",
        subject=f"consultation:{consultation.pk}",
        consultation_id=consultation.pk,
        content={
            "comments": consultation.comments.count(),
            "votes": consultation.votes.count(),
        },
    )


def on_comments_detached(sender, *, user_id, comment_ids, erased_ids, **kwargs) -> None:
    contents_erase(comment_ids=list(erased_ids), user_id=user_id)


def on_originals_purged(sender, *, comment_ids, **kwargs) -> None:
    """The retention of personal data in unpublished comments ended: the text of those that
    never became public (held, hidden or removed) goes from the record's contents too."""
    from comments.models import Comment, Status

    hidden = list(
        Comment.objects.filter(pk__in=comment_ids)
        .exclude(status=Status.PUBLISHED)
        .values_list("pk", flat=True)
    )
    if hidden:
        contents_erase(comment_ids=hidden)


RECEIVERS = {
    signals.comment_created: on_comment_created,
    signals.comment_edited: on_comment_edited,
    signals.comment_status_changed: on_comment_status_changed,
    signals.vote_cast: on_vote_cast,
    signals.position_set: on_position_set,
    signals.consultation_published: on_consultation_published,
    signals.consultation_extended: on_consultation_extended,
    signals.consultation_closed: on_consultation_closed,
    signals.report_published: on_report_published,
    signals.conversation_imported: on_conversation_imported,
    signals.comments_detached: on_comments_detached,
    signals.originals_purged: on_originals_purged,
}


def connect() -> None:
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=f"records.{receiver.__name__}")
