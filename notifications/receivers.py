"""Receivers of the domain events (``consult/signals.py``). They run inside the sender's
transaction: a follow is written there; every notice is queued as a task after commit, so
nothing is told about a write that did not happen and no request waits for the fan-out."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from consult import signals
from notifications import services, tasks
from notifications.models import Kind


def _later(task, *args, **kwargs) -> None:
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


@receiver(signals.comment_created, dispatch_uid="notifications.comment_created")
def comment_created(sender, comment, **kwargs) -> None:
    if comment.author_id is not None:
        services.follow_on_comment(
            user_id=comment.author_id, consultation_id=comment.consultation_id
        )
    if comment.parent_id is not None:
        _later(tasks.notify_reply, comment.pk)


@receiver(signals.comment_status_changed, dispatch_uid="notifications.comment_status")
def comment_status_changed(sender, comment, **kwargs) -> None:
    # A reply held for review tells its parent's author when it is published.
    if comment.parent_id is not None:
        _later(tasks.notify_reply, comment.pk)


@receiver(signals.moderation_decided, dispatch_uid="notifications.moderation_decided")
def moderation_decided(sender, comment, entry, moderator, appeal=None, **kwargs) -> None:
    _later(
        tasks.notify_decision,
        comment.pk,
        entry.pk,
        getattr(moderator, "pk", None),
        appeal is not None,
    )


@receiver(signals.consultation_published, dispatch_uid="notifications.published")
def consultation_published(sender, consultation, actor=None, **kwargs) -> None:
    _later(
        tasks.notify_consultation,
        Kind.NEW_CONSULTATION,
        consultation.pk,
        getattr(actor, "pk", None),
    )


@receiver(signals.consultation_closed, dispatch_uid="notifications.closed")
def consultation_closed(sender, consultation, actor=None, **kwargs) -> None:
    _later(tasks.notify_consultation, Kind.CLOSED, consultation.pk, getattr(actor, "pk", None))


@receiver(signals.report_published, dispatch_uid="notifications.report")
def report_published(sender, consultation, report=None, actor=None, **kwargs) -> None:
    _later(
        tasks.notify_consultation,
        Kind.REPORT,
        consultation.pk,
        getattr(actor, "pk", None),
        ref=f":{getattr(report, 'pk', '') or ''}",
    )
