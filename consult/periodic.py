"""Periodic jobs without an outside cron.

Apps register a background task and how often it runs, in their ``AppConfig.ready()``::

    periodic.register("moderation.purge_originals", every=timedelta(days=1), task=purge_originals)

Every worker (``manage.py worker``) calls :func:`enqueue_due` every ``PERIODIC_CHECK_SECONDS``;
a due job is claimed with a conditional UPDATE on its ``PeriodicJob`` row, so however many
workers run, each due job is enqueued once per period. A job first runs when the first worker
starts after it is registered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: Any  # a django.tasks Task taking no arguments


_registry: dict[str, Job] = {}


def register(name: str, *, every: timedelta, task: Any) -> None:
    if every <= timedelta(0):
        raise ValueError(f"periodic job {name!r}: the period must be positive")
    _registry[name] = Job(name=name, every=every, task=task)


def jobs() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every registered job that is due; returns the names enqueued."""
    from consult.models import PeriodicJob

    now = now or timezone.now()
    enqueued: list[str] = []
    for job in jobs():
        if not PeriodicJob.objects.filter(name=job.name).exists():
            try:
                with transaction.atomic():
                    PeriodicJob.objects.create(name=job.name, next_run_at=now)
            except IntegrityError:  # another worker created it at the same moment
                pass
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
                next_run_at=now + job.every, last_enqueued_at=now
            )
            if claimed:
                job.task.enqueue()
                enqueued.append(job.name)
    if enqueued:
        log.info("periodic jobs enqueued: %s", ", ".join(enqueued))
    return enqueued
