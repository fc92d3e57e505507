"""Operators' tools: liveness, readiness with queue depth, Prometheus metrics, JSON logs with
the request id."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from consult.logs import JsonFormatter, RequestIdFilter


def _samples(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = sample.name + (
                "{" + ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items())) + "}"
                if sample.labels
                else ""
            )
            out[key] = sample.value
    return out


@pytest.mark.django_db(transaction=True)
def test_readiness_reports_database_and_queue_depth(settings):
    from analytics.tasks import abandon_stale_runs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    abandon_stale_runs.enqueue()
    abandon_stale_runs.enqueue()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    report = ready.json()
    assert report["database"]["ok"] is True
    assert report["queue"]["depth"] == 2
    assert report["queue"]["oldest_seconds"] >= 0

    metrics = _samples(client.get("/metrics").content.decode())
    assert metrics["consult_queue_depth"] == 2
    assert metrics["consult_http_requests_total{method=GET,status=2xx,view=readyz}"] >= 1


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status(client, consultation):
    before = _samples(client.get("/metrics").content.decode())
    key = "consult_http_requests_total{method=GET,status=2xx,view=topics:detail}"
    client.get(consultation.get_absolute_url())
    client.get(consultation.get_absolute_url())
    after = _samples(client.get("/metrics").content.decode())
    assert after[key] - before.get(key, 0) == 2
    assert "consult_websockets_open" in after


@pytest.mark.django_db
def test_metrics_can_be_limited_to_the_scrapers_address(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.9"]
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.django_db
def test_each_response_has_a_request_id_and_log_lines_carry_it(client, consultation, caplog):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logging.getLogger("django.request").addHandler(handler)
    try:
        response = client.get("/c/no-such-consultation/", HTTP_X_REQUEST_ID="proxy-req-12345678")
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-req-12345678"
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == "proxy-req-12345678"
    assert line["level"] == "WARNING" and "Not Found" in line["message"]

    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32 and generated != "proxy-req-12345678"
    # A header that is not a sane id is not trusted into the logs.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_metrics_count_live_events_sent_to_the_pages(client, consultation):
    import asyncio

    from comments import live

    key = "consult_live_events_emitted_total{kind=live.event}"
    before = _samples(client.get("/metrics").content.decode()).get(key, 0)
    asyncio.run(live._send(consultation.pk, {"type": "live.event", "seq": 1, "op": "created"}))
    after = _samples(client.get("/metrics").content.decode())
    assert after[key] - before == 1


@pytest.mark.django_db
def test_metrics_count_the_messages_the_hub_hands_to_pages(client, consultation):
    import asyncio

    from comments.hub import Hub

    class Page:
        wants_opinion = False

        def __init__(self) -> None:
            self.got: list[str] = []

        def push(self, text: str, data: bytes | None = None) -> None:
            self.got.append(text)

    pages = [Page() for _ in range(3)]
    hub = Hub()
    hub.watchers[consultation.pk] = dict.fromkeys(pages)
    key = "consult_live_messages_sent_total{kind=votes}"
    before = _samples(client.get("/metrics").content.decode()).get(key, 0)
    message = {"type": "votes.counts", "consultation": consultation.pk, "counts": {"1": [2, 0, 0]}}
    asyncio.run(hub.handle(message))
    assert all(len(page.got) == 1 for page in pages)
    after = _samples(client.get("/metrics").content.decode())
    assert after[key] - before == 3


@pytest.mark.django_db
def test_pages_name_the_other_live_addresses_and_the_policy_allows_them(
    client, consultation, settings
):
    settings.LIVE_WEBSOCKET_ORIGINS = ["wss://live2.example.org", "wss://live3.example.org"]
    response = client.get(consultation.get_absolute_url())
    assert 'data-live-origins="wss://live2.example.org wss://live3.example.org"' in (
        response.content.decode()
    )
    policy = response["Content-Security-Policy"]
    connect = next(d for d in policy.split("; ") if d.startswith("connect-src"))
    assert connect == "connect-src 'self' wss://live2.example.org wss://live3.example.org"
