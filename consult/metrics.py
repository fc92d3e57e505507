"""Metrics a Prometheus scraper reads at ``/metrics`` (prometheus-client).

Each ASGI process and each worker keeps its own counters; scrape every process (see
docs/operations.md). Counters that other parts of the code increment:

- ``WEBSOCKETS_OPEN`` (gauge): counted for every consumer by the ASGI middleware
  ``WebSocketMetrics`` (consult/asgi.py), one per open connection;
- ``EVENTS_FANNED_OUT`` (counter, label ``kind``: comment, votes, positions, consultation,
  person): live messages handed to connections by the process's hub, added once per event;
- ``EVENTS_EMITTED`` (counter, label ``kind``): the emitter counts once per event sent to a
  group (``EVENTS_EMITTED.labels(kind=...).inc()``);
- ``TASK_FAILURES`` (counter, label ``task``): a background task that raised.

Queue depth, the age of the oldest queued task and failed tasks in the queue are read from the
database when scraped (``QueueCollector``), so they are the same whichever process answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "consult_http_requests",
    "HTTP requests answered, by method, view and status class.",
    ["method", "view", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "consult_http_request_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
WEBSOCKETS_OPEN = Gauge(
    "consult_websockets_open", "WebSocket connections open in this process.", registry=REGISTRY
)
EVENTS_EMITTED = Counter(
    "consult_live_events_emitted", "Live events sent to a group.", ["kind"], registry=REGISTRY
)
EVENTS_FANNED_OUT = Counter(
    "consult_live_messages_sent",
    "Live messages sent to WebSocket connections (events fanned out).",
    ["kind"],
    registry=REGISTRY,
)
TASK_FAILURES = Counter(
    "consult_task_failures", "Background tasks that raised, by task.", ["task"], registry=REGISTRY
)
DATABASE_UNAVAILABLE = Counter(
    "consult_database_unavailable",
    "Requests answered 503 because the database could not be reached.",
    registry=REGISTRY,
)
CACHE_OUTAGES = Counter(
    "consult_cache_outages",
    "Times the shared cache (Redis) was found unreachable.",
    registry=REGISTRY,
)
RATE_LIMIT_LOCAL = Counter(
    "consult_rate_limit_local",
    "Rate-limit checks counted in the process because the shared cache was away.",
    registry=REGISTRY,
)
STALE_RUNS = Counter(
    "consult_analysis_runs_abandoned",
    "Analysis runs marked failed because their worker stopped answering.",
    registry=REGISTRY,
)


class QueueCollector(Collector):
    """Queue depth, oldest waiting task, failed tasks: read from the task table when scraped."""

    NAMES = (
        ("consult_queue_depth", "Tasks waiting to run."),
        ("consult_queue_oldest_seconds", "Age of the oldest task waiting to run (0 if none)."),
        ("consult_queue_running", "Tasks being run now."),
        ("consult_queue_failed", "Failed tasks kept in the queue table (all time)."),
    )

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Named without reading the database (registering must not query it).
        for name, documentation in self.NAMES:
            yield GaugeMetricFamily(name, documentation)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from consult import health

        try:
            queue = health.queue_state()
        except Exception as exc:  # the database is away: say nothing rather than something wrong
            log.warning("queue metrics unavailable: %s", type(exc).__name__)
            return
        depth = GaugeMetricFamily("consult_queue_depth", "Tasks waiting to run.")
        depth.add_metric([], queue.ready)
        yield depth
        oldest = GaugeMetricFamily(
            "consult_queue_oldest_seconds", "Age of the oldest task waiting to run (0 if none)."
        )
        oldest.add_metric([], queue.oldest_seconds)
        yield oldest
        running = GaugeMetricFamily("consult_queue_running", "Tasks being run now.")
        running.add_metric([], queue.running)
        yield running
        failed = GaugeMetricFamily(
            "consult_queue_failed", "Failed tasks kept in the queue table (all time)."
        )
        failed.add_metric([], queue.failed)
        yield failed


REGISTRY.register(QueueCollector())


class WebSocketMetrics:
    """ASGI middleware: counts open WebSockets, whatever consumer serves the connection (the
    messages sent to them are counted by the hub, once per event)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        state = {"open": False}

        async def counted_send(message: dict) -> None:
            # Messages sent are counted once per event by the hub (comments.hub).
            kind = message["type"]
            if kind == "websocket.accept" and not state["open"]:
                state["open"] = True
                WEBSOCKETS_OPEN.inc()
            elif kind == "websocket.close" and state["open"]:
                state["open"] = False
                WEBSOCKETS_OPEN.dec()
            await send(message)

        try:
            await self.app(scope, receive, counted_send)
        finally:
            if state["open"]:
                WEBSOCKETS_OPEN.dec()
