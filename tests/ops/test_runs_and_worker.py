"""A worker killed mid-analysis does not leave the run "running" forever; the worker outlives
a database restart."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone, translation

from analytics import services
from analytics.models import AnalysisRun, RunStatus, RunTrigger
from consult.management.commands import worker


@pytest.mark.django_db
def test_a_silent_running_run_is_marked_failed_with_a_reason_and_a_new_run_can_start(
    settings, consultation
):
    settings.ANALYTICS_RUN_STALE_SECONDS = 120
    now = timezone.now()
    dead = AnalysisRun.objects.create(
        consultation=consultation,
        trigger=RunTrigger.AUTO,
        status=RunStatus.RUNNING,
        started_at=now - timedelta(minutes=10),
        heartbeat_at=now - timedelta(minutes=3),
    )
    # Before the fix a run like this blocked every later run of the consultation.
    with pytest.raises(services.ServiceError):
        services.run_request(consultation=consultation, requested_by=None)

    with translation.override("en"):
        assert services.runs_abandon(now=now) == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert "stopped" in dead.error and "120" in dead.error
    assert dead.finished_at == now
    assert services.run_request(consultation=consultation, requested_by=None).status == "queued"


@pytest.mark.django_db
def test_a_run_whose_worker_is_alive_is_left_alone(settings, make_consultation):
    settings.ANALYTICS_RUN_STALE_SECONDS = 120
    now = timezone.now()
    alive = AnalysisRun.objects.create(
        consultation=make_consultation("open"),
        trigger=RunTrigger.AUTO,
        status=RunStatus.RUNNING,
        started_at=now - timedelta(hours=1),  # a long run, still beating
        heartbeat_at=now - timedelta(seconds=20),
    )
    assert services.runs_abandon(now=now) == []
    alive.refresh_from_db()
    assert alive.status == RunStatus.RUNNING


@pytest.mark.django_db
def test_a_run_beats_while_it_works(settings, consultation):
    settings.ANALYTICS_RUN_HEARTBEAT_SECONDS = 1
    run = AnalysisRun.objects.create(
        consultation=consultation,
        trigger=RunTrigger.MANUAL,
        params={"n_themes": None, "seed": 0, "min_votes": 7},
    )
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.heartbeat_at is not None and run.heartbeat_at >= run.started_at


def test_the_worker_starts_again_after_a_database_error(monkeypatch):
    calls = []

    def handle(self, *args, **options):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(worker.DBWorkerCommand, "handle", handle)
    sleeps: list[float] = []
    monkeypatch.setattr(worker.time, "sleep", sleeps.append)
    with mock.patch.object(worker, "_periodic_loop"):
        call_command("worker", "--queue-name", "*")
    assert len(calls) == 3
    assert [s for s in sleeps if s] == [1.0, 2.0]  # backs off, then runs


def test_a_batch_worker_reports_the_database_error(monkeypatch):
    def handle(self, *args, **options):
        raise OperationalError("connection refused")

    monkeypatch.setattr(worker.DBWorkerCommand, "handle", handle)
    with pytest.raises(OperationalError):
        call_command("worker", "--batch")
