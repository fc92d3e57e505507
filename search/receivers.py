"""The index follows the writes: consultations and sections (model saves, e.g. from the
workspace and the admin) and comments (the domain events). Indexing runs after commit, once
per object per transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from consult import signals
from search import services
from topics.models import Consultation, Section


def _once_after_commit(key: tuple, fn, *args) -> None:
    """Run ``fn(*args)`` after the commit, once per ``key`` in the transaction. A key counts
    as queued only while its callback is in the connection's queue: a rolled-back transaction
    (whose queue Django drops) leaves nothing behind that could skip a later one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        fn(*args)
        return
    if any(getattr(entry[1], "index_key", None) == key for entry in connection.run_on_commit):
        return

    def run() -> None:
        fn(*args)

    run.index_key = key  # type: ignore[attr-defined]
    transaction.on_commit(run)


@receiver(post_save, sender=Consultation, dispatch_uid="search.consultation_saved")
def consultation_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _once_after_commit(("c", instance.pk), services.index_consultation, instance.pk)


@receiver(post_save, sender=Section, dispatch_uid="search.section_saved")
@receiver(post_delete, sender=Section, dispatch_uid="search.section_deleted")
def section_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        cid = instance.consultation_id
        _once_after_commit(("c", cid), services.index_consultation, cid)


def _comment(comment_id: int) -> None:
    _once_after_commit(("m", comment_id), services.index_comments, [comment_id])


@receiver(signals.comment_created, dispatch_uid="search.comment_created")
@receiver(signals.comment_edited, dispatch_uid="search.comment_edited")
@receiver(signals.comment_status_changed, dispatch_uid="search.comment_status")
def comment_changed(sender, comment, **kwargs) -> None:
    _comment(comment.pk)


@receiver(signals.comments_detached, dispatch_uid="search.comments_detached")
def comments_detached(sender, erased_ids=(), **kwargs) -> None:
    ids = list(erased_ids)
    if ids:
        transaction.on_commit(lambda: services.index_comments(ids))
