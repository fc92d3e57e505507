"""Production settings fit ASGI: no persistent connection per request thread, checked
connections, Redis timeouts above channels-redis's blocking read, a cache that may be away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT = """
import json
from django.conf import settings
from channels_redis.core import RedisChannelLayer
db = settings.DATABASES["default"]
host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
print("SETTINGS" + json.dumps({
    "conn_max_age": db["CONN_MAX_AGE"], "health_checks": db["CONN_HEALTH_CHECKS"],
    "connect_timeout": db["OPTIONS"]["connect_timeout"], "pool": db["OPTIONS"].get("pool"),
    "socket_timeout": host["socket_timeout"], "brpop": RedisChannelLayer.brpop_timeout,
    "cache": settings.CACHES["default"]["BACKEND"],
    "middleware": settings.MIDDLEWARE,
}))
"""


def test_production_database_and_redis_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DB_CONN_MAX_AGE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://consult@db.internal:5432/consult",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout[done.stdout.index("SETTINGS") + 8 :].splitlines()[0])
    assert got["conn_max_age"] == 0
    assert got["health_checks"] is True
    assert got["connect_timeout"] <= 5
    # Connections are borrowed from a bounded pool, and waiting for one is bounded too.
    assert 1 <= got["pool"]["max_size"] <= 32
    assert got["pool"]["timeout"] <= 15
    # Equal timeouts made idle consumers fail every few seconds.
    assert got["socket_timeout"] > got["brpop"]
    assert got["cache"] == "consult.cache.ResilientRedisCache"
    assert got["middleware"][0] == "consult.middleware.RequestIdMiddleware"
    assert "consult.middleware.DatabaseUnavailableMiddleware" in got["middleware"]


@pytest.mark.django_db(transaction=True)
def test_requests_reuse_pooled_connections_instead_of_opening_new_ones(client):
    """Opening a PostgreSQL connection per request cost more than a comment post's queries:
    each request now borrows one from the process's pool and gives it back."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run with DATABASE_URL=postgres://...)")
    pool = connection.pool
    assert pool is not None  # DB_POOL_MAX is on by default
    opened_before = pool.get_stats().get("connections_num", 0)
    for _ in range(8):
        assert client.get("/readyz").status_code in (200, 503)  # reads the database
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close()  # what the end of a request does: back to the pool
    opened = pool.get_stats().get("connections_num", 0) - opened_before
    assert opened <= 2, opened  # at least 16 without the pool
