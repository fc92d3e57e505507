"""``manage.py worker``: a background worker for the database task queue that also enqueues
the periodic jobs (``consult.periodic``) when they are due, records its sign of life and fails
tasks left "running" by a worker that died (``consult.workers``). Same options as ``db_worker``.

The worker outlives a database restart: when the database goes away, the queue loop stops
with a database error; the worker logs it, waits (1, 2, 4 ... up to 30 s) and starts the loop
again, until the database answers. Only a signal (Ctrl-C, SIGTERM) or ``--batch`` ends it."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from consult import periodic, workers

log = logging.getLogger(__name__)

MAX_RESTART_DELAY = 30.0


def _periodic_loop(stop: threading.Event, seconds: float, worker_id: str) -> None:
    while not stop.is_set():
        try:
            workers.beat(worker_id)
            periodic.enqueue_due()
            workers.tasks_abandon()
        except Exception:  # the database may be away for a while: try again next time
            log.warning("periodic jobs not checked", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections
        stop.wait(seconds)
    try:
        workers.forget(worker_id)
    except Exception:  # stopping while the database is away: the beat just ages
        log.info("worker beat not removed", exc_info=True)
    finally:
        connections.close_all()


class Command(DBWorkerCommand):
    help = "Run a background worker (database queue) that also enqueues due periodic jobs."

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        if not options.get("batch"):
            seconds = float(getattr(settings, "PERIODIC_CHECK_SECONDS", 30))
            threading.Thread(
                target=_periodic_loop,
                args=(stop, seconds, options["worker_id"]),
                name="periodic",
                daemon=True,
            ).start()
            time.sleep(0)  # let the first check start before the worker's own start-up delay
        delay = 1.0
        try:
            while True:
                started = time.monotonic()
                try:
                    super().handle(*args, **options)
                    return  # stopped by a signal, --batch or --max-tasks
                except (DatabaseError, InterfaceError) as exc:
                    if options.get("batch"):
                        raise
                    if time.monotonic() - started > 60:
                        delay = 1.0  # it ran well for a while: this is a new outage
                    log.warning("database unavailable (%s); worker restarts in %.0f s", exc, delay)
                    self._close_connections()
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_RESTART_DELAY)
        finally:
            stop.set()

    @staticmethod
    def _close_connections() -> None:
        for conn in connections.all(initialized_only=True):
            try:
                conn.close()
            except Exception:  # already broken: Django forgets it either way
                log.debug("closing a broken connection", exc_info=True)
