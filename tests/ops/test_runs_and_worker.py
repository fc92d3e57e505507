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


def _running_task(worker_id: str, started_ago: timedelta):
    from django_tasks_db.models import DBTaskResult

    from analytics.tasks import abandon_stale_runs

    result = abandon_stale_runs.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=timezone.now() - started_ago, worker_ids=[worker_id]
    )
    return result.id


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_failed_and_others_are_left_running(settings):
    from django_tasks_db.models import DBTaskResult

    from consult import workers

    settings.TASK_WORKER_STALE_SECONDS = 120
    workers.beat("alive")
    workers.beat("dead", now=timezone.now() - timedelta(minutes=5))
    lost = _running_task("dead", timedelta(minutes=10))
    vanished = _running_task("never-seen", timedelta(minutes=10))
    busy = _running_task("alive", timedelta(minutes=10))  # a long task, its worker beating
    fresh = _running_task("never-seen", timedelta(seconds=5))  # just claimed

    assert sorted(workers.tasks_abandon()) == sorted([str(lost), str(vanished)])
    rows = {str(r.pk): r for r in DBTaskResult.objects.all()}
    for pk in (lost, vanished):
        assert rows[str(pk)].status == "FAILED"
        assert rows[str(pk)].finished_at is not None
        assert "no sign of life for 120 seconds" in rows[str(pk)].traceback
    assert rows[str(busy)].status == "RUNNING"
    assert rows[str(fresh)].status == "RUNNING"
    assert workers.tasks_abandon() == []  # once


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_its_beat_while_it_runs_and_removes_it_when_it_stops(settings):
    import threading
    import time

    from consult.models import WorkerBeat

    stop = threading.Event()
    loop = threading.Thread(target=worker._periodic_loop, args=(stop, 0.05, "w-test"))
    loop.start()
    try:
        deadline = time.monotonic() + 10
        while not WorkerBeat.objects.filter(worker_id="w-test").exists():
            assert time.monotonic() < deadline, "no beat recorded"
            time.sleep(0.05)
        first = WorkerBeat.objects.get(worker_id="w-test").seen_at
        while WorkerBeat.objects.get(worker_id="w-test").seen_at == first:
            assert time.monotonic() < deadline, "the beat is not refreshed"
            time.sleep(0.05)
    finally:
        stop.set()
        loop.join(10)
    assert not WorkerBeat.objects.filter(worker_id="w-test").exists()
