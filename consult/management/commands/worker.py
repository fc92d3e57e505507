"""``manage.py worker``: a background worker for the database task queue that also enqueues
the periodic jobs (``consult.periodic``) when they are due. Same options as ``db_worker``."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from consult import periodic

log = logging.getLogger(__name__)


def _periodic_loop(stop: threading.Event, seconds: float) -> None:
    while not stop.is_set():
        try:
            periodic.enqueue_due()
        except Exception:  # the database may be away for a while: try again next time
            log.warning("periodic jobs not checked", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections
        stop.wait(seconds)


class Command(DBWorkerCommand):
    help = "Run a background worker (database queue) that also enqueues due periodic jobs."

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        if not options.get("batch"):
            seconds = float(getattr(settings, "PERIODIC_CHECK_SECONDS", 30))
            threading.Thread(
                target=_periodic_loop, args=(stop, seconds), name="periodic", daemon=True
            ).start()
            time.sleep(0)  # let the first check start before the worker's own start-up delay
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
