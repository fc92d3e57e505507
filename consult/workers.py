"""Workers' signs of life, and tasks whose worker died.

``manage.py worker`` records a beat for itself every ``PERIODIC_CHECK_SECONDS`` (from its own
thread, so a long task does not silence it). A task row the queue shows as "running" whose
worker has not been seen for ``TASK_WORKER_STALE_SECONDS`` was lost with that worker (killed,
out of memory, the machine gone): it is marked failed, with the reason, instead of staying
"running" for ever. Every worker checks; the update is conditional, so it happens once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from consult.models import WorkerBeat

log = logging.getLogger(__name__)

LOST = "consult.workers.WorkerLost"


class WorkerLost(Exception):
    """The worker carrying out a task stopped before finishing it."""


def beat(worker_id: str, *, now: datetime | None = None) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id[:64], defaults={"seen_at": now or timezone.now()}
    )


def forget(worker_id: str) -> None:
    """A worker stopping cleanly: no beat left behind."""
    WorkerBeat.objects.filter(worker_id=worker_id[:64]).delete()


def tasks_abandon(*, now: datetime | None = None) -> list[str]:
    """Mark failed every running task whose worker shows no sign of life; returns their ids."""
    now = now or timezone.now()
    stale = settings.TASK_WORKER_STALE_SECONDS
    cutoff = now - timedelta(seconds=stale)
    candidates = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        .values_list("pk", "worker_ids")
        .order_by("started_at")[:500]
    )
    if not candidates:
        return []
    last = {pk: (ids[-1][:64] if ids else "") for pk, ids in candidates}
    alive = set(
        WorkerBeat.objects.filter(
            worker_id__in=set(last.values()), seen_at__gte=cutoff
        ).values_list("worker_id", flat=True)
    )
    lost = [pk for pk, worker in last.items() if worker not in alive]
    if not lost:
        return []
    reason = (
        f"The worker carrying out this task stopped (no sign of life for {stale} seconds) "
        "before it finished."
    )
    DBTaskResult.objects.filter(Q(pk__in=lost), status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=LOST,
        traceback=reason,
    )
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    log.warning("tasks %s lost with their worker: marked failed", [str(pk) for pk in lost])
    return [str(pk) for pk in lost]
