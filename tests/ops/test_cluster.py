"""End to end through the production shape (bench/cluster.py): two ASGI processes, a Redis
of their own, PostgreSQL and a worker. A comment posted to one process reaches a WebSocket
open on the other; a task queued by one process is done by the worker.

Runs in the PostgreSQL pass of CI (it serves the test database to the cluster's processes);
skipped when redis-server is not installed or the tests run on SQLite.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.parse
import urllib.request

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("cluster"), pytest.mark.timeout(240)]


@pytest.fixture
def cluster(transactional_db, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL pass of CI")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    from bench.cluster import Cluster
    from tests.ops.ports import free_ports

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{urllib.parse.quote(db['PASSWORD'])}@", 1)
    http_a, http_b = free_ports(2)
    (redis_port,) = free_ports(1, redis=True)
    cluster = Cluster(
        asgi=2,
        workers=1,
        http_port=http_a,
        redis_port=redis_port,
        database_url=url,
        workdir=str(tmp_path),
        env={"SECRET_KEY": settings.SECRET_KEY},  # sessions made here are valid there
    )
    cluster.http_ports = [http_a, http_b]
    try:
        cluster.start(migrate=False)  # the test database is migrated already
        yield cluster
    finally:
        cluster.stop()


def _request(url: str, *, cookie: str, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie, **(headers or {})})
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (local server)
        return response.status, response.headers, response.read().decode()


def test_a_comment_posted_on_one_process_reaches_a_page_on_the_other(
    cluster, client, alice, consultation
):
    from bench.wsclient import WebSocket

    # A reader on process B.
    ws_url = cluster.url(1).replace("http", "ws") + f"/ws/consultations/{consultation.pk}/"
    reader = WebSocket(ws_url, origin=cluster.url(1))
    # alice writes on process A (her session is in the shared database).
    client.force_login(alice)
    session = client.cookies["sessionid"].value
    status, headers, html = _request(
        cluster.url(0) + consultation.get_absolute_url(), cookie=f"sessionid={session}"
    )
    assert status == 200
    csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    posted_at = time.monotonic()
    status, _headers, body = _request(
        cluster.url(0) + f"/c/{consultation.slug}/comments/",
        cookie=f"sessionid={session}; csrftoken={csrf}",
        data={"body": "ความเห็นข้ามกระบวนการ", "stance": "support", "token": token},
        headers={"X-CSRFToken": csrf, "Accept": "application/json"},
    )
    assert status == 201
    comment_id = json.loads(body)["id"]
    while True:
        message = reader.recv(timeout=max(0.1, 10 - (time.monotonic() - posted_at)))
        if message.get("type") == "comment" and message.get("op") == "created":
            break
    assert message["id"] == comment_id
    assert "ความเห็นข้ามกระบวนการ" in message["html"]
    # Process B's metrics count the open page and the event it fanned out to it.
    _status, _h, metrics = _request(cluster.url(1) + "/metrics", cookie="")
    assert re.search(r"^consult_websockets_open 1\.0$", metrics, re.M)
    fanned = re.search(r'^consult_live_messages_sent_total\{kind="comment"\} (\S+)$', metrics, re.M)
    assert fanned and float(fanned.group(1)) >= 1
    reader.close()

    # The worker does what a web process queued.
    from django_tasks_db.models import DBTaskResult

    from analytics.tasks import abandon_stale_runs

    result = abandon_stale_runs.enqueue()
    deadline = time.monotonic() + 30
    status = ""
    while time.monotonic() < deadline:
        status = DBTaskResult.objects.get(pk=result.id).status
        if status == "SUCCESSFUL":
            break
        time.sleep(0.3)
    assert status == "SUCCESSFUL", cluster.logs("worker0")[-2000:]

    # Readiness of each process sees the database, Redis and the queue.
    for i in range(2):
        _status, _h, ready = _request(cluster.url(i) + "/readyz", cookie="")
        report = json.loads(ready)
        assert report["status"] == "ok" and report["redis"]["ok"] is True
