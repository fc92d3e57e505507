"""Abuse limits (they trigger, answer 429 with a retry time, and reset) and account
enumeration (sign-up, login and password reset answer the same for known and unknown
addresses)."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.test import Client

from comments.models import Comment
from comments.services import comment_create

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def clock(monkeypatch):
    """Move time forward for both limiters (ours and allauth's)."""
    offset = {"s": 0.0}
    real = time.time

    def fake() -> float:
        return real() + offset["s"]

    monkeypatch.setattr("consult.ratelimit.time.time", fake)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time.time", fake)
    return offset


def test_comment_limit_per_account_triggers_and_resets(
    client, alice, consultation, settings, clock
):
    settings.RATE_LIMITS = {"comment": {"user": "2/60", "ip": "100/60"}}
    client.force_login(alice)
    url = f"/c/{consultation.slug}/comments/"
    for i in range(2):
        r = client.post(url, {"body": f"ความเห็น {i}", "stance": "support"}, **JSON)
        assert r.status_code == 201
    r = client.post(url, {"body": "อีกครั้ง", "stance": "support"}, **JSON)
    assert r.status_code == 429
    assert 0 < int(r["Retry-After"]) <= 61 and r.json()["retry_after"] == int(r["Retry-After"])
    page = client.post(url, {"body": "อีกครั้ง", "stance": "support"})
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "429.html" in [t.name for t in page.templates]
    assert Comment.objects.filter(consultation=consultation).count() == 2
    clock["s"] = 61
    r = client.post(url, {"body": "หลังรอ", "stance": "support"}, **JSON)
    assert r.status_code == 201


def test_vote_limit_per_ip_covers_many_accounts(make_user, alice, consultation, settings):
    settings.RATE_LIMITS = {"vote": {"user": "100/60", "ip": "3/60"}}
    comment = comment_create(consultation=consultation, author=alice, body="หนึ่ง")
    statuses = []
    for i in range(5):
        c = Client(REMOTE_ADDR="198.51.100.7")
        c.force_login(make_user(f"sock{i}"))
        statuses.append(c.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, **JSON).status_code)
    assert statuses == [200, 200, 200, 429, 429]
    other = Client(REMOTE_ADDR="198.51.100.8")
    other.force_login(make_user("elsewhere"))
    assert other.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, **JSON).status_code == 200
    comment.refresh_from_db()
    assert comment.agree_count == 4


def test_login_failures_are_limited_with_a_429_then_reset(client, alice, settings, clock):
    """Per address: after 3 failures even the right password is refused with a 429 page in the
    site's layout and a retry time, until the window passes."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/key"}
    bad = {"login": "alice@example.org", "password": "wrong"}
    good = {"login": "alice@example.org", "password": "correct horse battery staple"}
    for _ in range(3):
        assert client.post("/accounts/login/", bad).status_code == 200
    clock["s"] = 20
    refused = client.post("/accounts/login/", good)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert 35 <= int(refused["Retry-After"]) <= 41  # the first failure expires ~40 s from now
    assert "429.html" in [t.name for t in refused.templates]
    assert "base.html" in [t.name for t in refused.templates]
    assert refused.context["retry_after"] == int(refused["Retry-After"])
    as_json = client.post("/accounts/login/", good, **JSON)
    assert as_json.status_code == 429
    assert as_json.json()["retry_after"] == int(as_json["Retry-After"]) > 0
    clock["s"] = 120
    assert client.post("/accounts/login/", good).status_code == 302


def test_login_failure_limit_answers_the_same_for_known_and_unknown_addresses(
    alice, settings, clock
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/key"}
    answers = []
    for login in ("alice@example.org", "ghost@example.org"):
        client = Client()
        for _ in range(2):
            client.post("/accounts/login/", {"login": login, "password": "nope"})
        response = client.post("/accounts/login/", {"login": login, "password": "nope"})
        answers.append(
            (
                response.status_code,
                abs(int(response["Retry-After"]) - 60) <= 1,
                [t.name for t in response.templates],
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][0] == 429 and answers[0][1]


def test_login_attempts_are_limited_per_ip_with_a_429(alice, settings, clock):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    client = Client(REMOTE_ADDR="203.0.113.77")
    bad = {"login": "alice@example.org", "password": "wrong"}
    responses = [client.post("/accounts/login/", bad) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 61
    assert "429.html" in [t.name for t in responses[-1].templates]
    clock["s"] = 61
    assert client.post("/accounts/login/", bad).status_code == 200


def test_signup_is_limited_per_ip(db, settings, clock):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    client = Client(REMOTE_ADDR="203.0.113.5")
    codes = []
    for i in range(3):
        data = {
            "email": f"new{i}@example.org",
            "password1": "a-long-pass-2569",
            "password2": "a-long-pass-2569",
        }
        codes.append(client.post("/accounts/signup/", data).status_code)
    assert codes == [302, 302, 429]
    refused = client.post("/accounts/signup/", data, **JSON)
    assert refused.status_code == 429 and 0 < refused.json()["retry_after"] <= 61
    clock["s"] = 61
    data = {
        "email": "later@example.org",
        "password1": "a-long-pass-2569",
        "password2": "a-long-pass-2569",
    }
    assert client.post("/accounts/signup/", data).status_code == 302


def test_password_reset_is_limited_per_address(client, alice, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "reset_password": "20/m/ip,2/m/key",
    }
    codes = [
        client.post("/accounts/password/reset/", {"email": "alice@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    refused = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    # Counted per address typed: the page does not read it, so it names the longest wait.
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 61


# --- enumeration -----------------------------------------------------------------------------


def _shape(response) -> tuple:
    return response.status_code, response.get("Location")


def test_signup_answers_the_same_for_known_and_unknown_addresses(alice):
    known = Client().post(
        "/accounts/signup/",
        {
            "email": "alice@example.org",
            "password1": "a-long-pass-2569",
            "password2": "a-long-pass-2569",
        },
    )
    unknown = Client().post(
        "/accounts/signup/",
        {
            "email": "nobody@example.org",
            "password1": "a-long-pass-2569",
            "password2": "a-long-pass-2569",
        },
    )
    assert _shape(known) == _shape(unknown)
    # Each address gets a mail; only its owner learns whether an account exists.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "nobody@example.org"]


def test_login_failure_answers_the_same_for_known_and_unknown_addresses(alice):
    known = Client().post("/accounts/login/", {"login": "alice@example.org", "password": "nope"})
    unknown = Client().post("/accounts/login/", {"login": "ghost@example.org", "password": "nope"})
    assert _shape(known) == _shape(unknown) == (200, None)
    assert known.context["form"].errors == unknown.context["form"].errors


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(alice):
    known = Client().post("/accounts/password/reset/", {"email": "alice@example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "ghost@example.org"})
    assert _shape(known) == _shape(unknown)
    assert known.status_code == 302
