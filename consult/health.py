"""What operators and load balancers ask: is the process alive, can it serve, how is the queue.

- ``/healthz`` (liveness): the process answers; touches nothing else. Restart it if this fails.
- ``/readyz`` (readiness): the database answers, the shared cache/channel layer (Redis) answers
  when one is configured, and the task queue's depth and oldest waiting task. 200 when the
  database answers (Redis away is "degraded": the site still works without it), 503 when not.
  Queue figures are reported, never a reason to take a web process out of rotation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class QueueState:
    ready: int
    running: int
    failed: int
    oldest_seconds: float


def queue_state() -> QueueState:
    """Depth and age of the database task queue (zeros for another backend)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return QueueState(0, 0, 0, 0.0)
    from django.db.models import Count, Min, Q
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    waiting = Q(status=TaskResultStatus.READY)
    undated = waiting & Q(run_after=get_date_max())  # "as soon as possible"
    due = waiting & Q(run_after__lte=now)
    row = DBTaskResult.objects.aggregate(
        ready=Count("pk", filter=undated | due),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        oldest_undated=Min("enqueued_at", filter=undated),
        oldest_due=Min("run_after", filter=due),
    )
    since = [t for t in (row["oldest_undated"], row["oldest_due"]) if t is not None]
    oldest = (now - min(since)).total_seconds() if since else 0.0
    return QueueState(row["ready"], row["running"], row["failed"], round(max(oldest, 0.0), 1))


def check_database() -> tuple[bool, str]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return False, type(exc).__name__
    return True, f"{(time.perf_counter() - started) * 1000:.1f} ms"


def check_redis() -> tuple[bool | None, str]:
    """None when no Redis is configured (the embedded default)."""
    if not getattr(settings, "REDIS_URL", ""):
        return None, "not configured"
    ping = getattr(cache, "ping", None)
    if ping is None:
        return None, "not used by the cache"
    started = time.perf_counter()
    if not ping():
        return False, "unreachable"
    return True, f"{(time.perf_counter() - started) * 1000:.1f} ms"


def readiness() -> tuple[bool, dict]:
    db_ok, db_note = check_database()
    redis_ok, redis_note = check_redis()
    report: dict = {
        "database": {"ok": db_ok, "detail": db_note},
        "redis": {"ok": redis_ok, "detail": redis_note},
    }
    if db_ok:
        try:
            queue = queue_state()
        except Exception as exc:
            report["queue"] = {"ok": False, "detail": type(exc).__name__}
        else:
            report["queue"] = {
                "ok": True,
                "depth": queue.ready,
                "running": queue.running,
                "failed": queue.failed,
                "oldest_seconds": queue.oldest_seconds,
            }
    status = "ok" if db_ok and redis_ok is not False else ("degraded" if db_ok else "unavailable")
    report["status"] = status
    return db_ok, report
