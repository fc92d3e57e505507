"""Periodic jobs: enqueued once per period however many workers ask, and not before due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consult import periodic


class FakeTask:
    def __init__(self) -> None:
        self.enqueued = 0

    def enqueue(self) -> None:
        self.enqueued += 1


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(periodic, "_registry", {})
    return periodic


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_per_period(registry):
    hourly, daily = FakeTask(), FakeTask()
    registry.register("test.hourly", every=timedelta(hours=1), task=hourly)
    registry.register("test.daily", every=timedelta(days=1), task=daily)
    now = timezone.now()

    assert registry.enqueue_due(now=now) == ["test.daily", "test.hourly"]
    # A second worker asking at the same moment, or a minute later, finds nothing due.
    assert registry.enqueue_due(now=now) == []
    assert registry.enqueue_due(now=now + timedelta(minutes=1)) == []
    assert registry.enqueue_due(now=now + timedelta(hours=1, seconds=1)) == ["test.hourly"]
    assert (hourly.enqueued, daily.enqueued) == (2, 1)
    assert registry.enqueue_due(now=now + timedelta(days=1, seconds=1)) == [
        "test.daily",
        "test.hourly",
    ]


def test_a_period_must_be_positive(registry):
    with pytest.raises(ValueError, match="positive"):
        registry.register("test.never", every=timedelta(0), task=FakeTask())


@pytest.mark.django_db(transaction=True)
def test_the_workers_thread_enqueues_due_jobs_and_survives_errors(registry, monkeypatch):
    import threading

    from consult.management.commands import worker

    task = FakeTask()
    registry.register("test.job", every=timedelta(hours=1), task=task)
    stop = threading.Event()
    calls = {"n": 0}
    real = periodic.enqueue_due

    def flaky_then_real(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("database restarting")
        if calls["n"] == 2:
            return real(**kwargs)
        stop.set()
        return []

    monkeypatch.setattr(periodic, "enqueue_due", flaky_then_real)
    thread = threading.Thread(target=worker._periodic_loop, args=(stop, 0.01, "w-periodic"))
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert task.enqueued == 1  # the failed check did not stop the loop
