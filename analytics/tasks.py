"""Background tasks (the ``django.tasks`` API): each loads its objects and calls a service.

Run workers with ``python manage.py worker --queue-name '*'`` (the database queue, on SQLite
or PostgreSQL); docs/analytics.md has workers on several machines.
"""

from __future__ import annotations

from django_tasks import task

from analytics import services
from topics.models import Consultation


@task()
def run_analysis(run_id: int) -> int:
    """Carry out a queued analysis run; returns the run id."""
    return services.run_execute(run_id=run_id).pk


@task()
def refresh_opinion_map(consultation_id: int) -> int | None:
    """Recompute the live opinion map of a consultation; returns its new version."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return None
    return services.opinion_map_refresh(consultation=consultation).version


@task()
def consider_auto_run(consultation_id: int) -> int | None:
    """Queue a full run if enough new comments arrived; returns the new run's id."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return None
    run = services.auto_run_consider(consultation=consultation)
    return run.pk if run is not None else None


@task()
def abandon_stale_runs() -> list[int]:
    """Mark failed the runs whose worker stopped answering (a periodic job)."""
    return services.runs_abandon()
