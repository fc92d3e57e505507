"""Redis is an accelerator: with it away, comments, votes and pages still work, rate limits
are counted per process (and the log says so), and the cache is used again when it returns."""

from __future__ import annotations

import logging
import shutil
import subprocess
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from comments.models import Comment
from consult.cache import CacheUnavailable
from tests.ops.ports import free_ports


def _redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "consult.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }


@pytest.fixture
def dead_redis(settings):
    (port,) = free_ports(1, redis=True)  # nothing listens there
    settings.CACHES = _redis_cache(port)
    yield port


def test_cache_with_redis_away_misses_quickly_and_counters_say_unavailable(dead_redis):
    started = time.perf_counter()
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(CacheUnavailable):
        cache.incr("k")
    # The first failure opens the breaker: the rest do not wait for a connection each.
    assert time.perf_counter() - started < 1.0


def test_comment_and_vote_succeed_with_redis_away_and_limits_still_hold(
    dead_redis, settings, client, alice, bob, consultation, caplog
):
    settings.RATE_LIMITS = {
        "comment": {"user": "2/60", "ip": "100/60"},
        "vote": {"user": "100/60", "ip": "100/60"},
    }
    client.force_login(alice)
    url = reverse("comments:post", args=[consultation.slug])
    with caplog.at_level(logging.WARNING):
        first = client.post(
            url, {"body": "ความเห็นที่หนึ่ง", "stance": "support"}, HTTP_ACCEPT="application/json"
        )
    assert first.status_code == 201, first.content
    assert "rate limits counted per process" in caplog.text
    second = client.post(
        url, {"body": "second", "stance": "oppose"}, HTTP_ACCEPT="application/json"
    )
    assert second.status_code == 201
    third = client.post(url, {"body": "third", "stance": "oppose"}, HTTP_ACCEPT="application/json")
    assert third.status_code == 429  # the local limiter still limits
    assert Comment.objects.filter(author=alice).count() == 2

    client.force_login(bob)
    comment = Comment.objects.get(pk=first.json()["id"])
    vote = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "1"}, HTTP_ACCEPT="application/json"
    )
    assert vote.status_code == 200
    comment.refresh_from_db()
    assert comment.agree_count == 1
    page = client.get(consultation.get_absolute_url())
    assert page.status_code == 200
    assert "ความเห็นที่หนึ่ง" in page.content.decode()


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_cache_is_used_again_when_redis_returns(settings, tmp_path, monkeypatch):
    from consult import cache as cache_module

    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0.2)
    (port,) = free_ports(1, redis=True)
    settings.CACHES = _redis_cache(port)
    assert cache.get("k") is None  # away: a miss
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.25)
            cache.set("k", "v")
            if cache.get("k") == "v":
                break
        assert cache.get("k") == "v"
        assert cache.add("n", 0) is True
        assert cache.incr("n") == 1
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_sign_in_works_and_its_limits_still_count_with_redis_away(dead_redis, settings, alice):
    # allauth keeps its rate-limit history (and a short lock) in the cache: with Redis away
    # they are kept in the process. A sign-in is neither refused for the lock nor made to
    # wait for it, and failures are still counted.
    from django.test import Client

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/key"}
    good = {"login": "alice@example.org", "password": "correct horse battery staple"}
    bad = {**good, "password": "wrong"}
    started = time.perf_counter()
    assert Client().post("/accounts/login/", good).status_code == 302
    assert time.perf_counter() - started < 1.0
    client = Client()
    assert [client.post("/accounts/login/", bad).status_code for _ in range(3)] == [200] * 3
    refused = client.post("/accounts/login/", good)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
