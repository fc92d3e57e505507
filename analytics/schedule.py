"""Background work that follows activity: debounced per consultation.

After a vote (or a comment's status change) commits, the live opinion map is recomputed, at
most once per ``ANALYTICS_OPINION_DEBOUNCE_SECONDS`` per consultation: the first change in a
window sets a cache key for the window and queues one task that runs when the window ends, so
it sees every vote of the window. New comments likewise queue, at most once per window, a
check whether enough of them arrived for an automatic full run.

The cache is shared by every web process in production (Redis), so the window holds across
processes; with the embedded local-memory cache it holds per process.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save

from analytics import conf
from comments.models import Comment, Vote

log = logging.getLogger(__name__)


def debounce(kind: str, consultation_id: int, task: Any, seconds: int) -> bool:
    """Queue ``task(consultation_id)`` unless one is already queued for this window."""
    from analytics.services import _enqueue

    try:
        first = cache.add(f"analytics:{kind}:{consultation_id}", 1, timeout=max(seconds, 1))
    except Exception:  # a cache outage must not break a vote
        log.warning("cache unavailable; %s not scheduled", kind, exc_info=True)
        return False
    if first:
        _enqueue(task, consultation_id, delay=seconds)
    return first


def opinion_changed(consultation_id: int) -> None:
    from analytics.tasks import refresh_opinion_map

    seconds = conf.get("ANALYTICS_OPINION_DEBOUNCE_SECONDS")
    transaction.on_commit(
        lambda: debounce("opinion", consultation_id, refresh_opinion_map, seconds)
    )


def comments_added(consultation_id: int) -> None:
    from analytics.tasks import consider_auto_run

    if conf.get("ANALYTICS_AUTO_RUN_NEW_COMMENTS") <= 0:
        return
    seconds = max(conf.get("ANALYTICS_OPINION_DEBOUNCE_SECONDS"), 30)
    transaction.on_commit(lambda: debounce("auto", consultation_id, consider_auto_run, seconds))


def _vote_saved(sender: type[Vote], instance: Vote, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        opinion_changed(instance.consultation_id)


def _comment_saved(
    sender: type[Comment], instance: Comment, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        comments_added(instance.consultation_id)
        return
    fields = kwargs.get("update_fields")
    if fields is None or "status" in fields:
        # A hidden (or restored) comment's votes leave (or rejoin) the opinion map.
        opinion_changed(instance.consultation_id)


def connect() -> None:
    post_save.connect(_vote_saved, sender=Vote, dispatch_uid="analytics.vote_saved")
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="analytics.comment_saved")
