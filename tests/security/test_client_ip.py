"""Behind reverse proxies the client's address is read ``TRUSTED_PROXY_COUNT`` entries from
the right of X-Forwarded-For: what a client writes itself is never believed, and the proxy's
own address is never taken for everyone's. Rate limits, allauth's sign-in limits and audit
entries all use the same address."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from accounts.models import AuditEntry
from comments.services import comment_create
from consult.security import client_ip

JSON = {"HTTP_ACCEPT": "application/json"}
PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.9", PROXY),  # no proxy configured: the header is ignored
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.1", "198.51.100.9"),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (3, "198.51.100.9, 10.0.0.1", "198.51.100.9"),  # fewer entries than proxies
    ],
)
def test_address_taken_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def behind_proxy(forwarded: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_forged_entries_do_not_bypass_the_vote_limit(make_user, alice, consultation, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"vote": {"user": "100/60", "ip": "3/60"}}
    comment = comment_create(consultation=consultation, author=alice, body="หนึ่ง")
    statuses = []
    for i in range(5):
        c = behind_proxy(f"192.0.2.{i}, 198.51.100.7")  # a new forged address each time
        c.force_login(make_user(f"sock{i}"))
        statuses.append(c.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, **JSON).status_code)
    assert statuses == [200, 200, 200, 429, 429]
    # someone else behind the same proxy is not limited
    other = behind_proxy("198.51.100.8")
    other.force_login(make_user("elsewhere"))
    assert other.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, **JSON).status_code == 200


def test_failed_logins_count_per_client_not_per_proxy(alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    bad = {"login": "alice@example.org", "password": "wrong"}
    attacker = behind_proxy("203.0.113.66")
    assert [attacker.post("/accounts/login/", bad).status_code for _ in range(4)][-1] == 429
    # everyone else comes through the same proxy and can still sign in
    neighbour = behind_proxy("203.0.113.67")
    good = {"login": "alice@example.org", "password": "correct horse battery staple"}
    assert neighbour.post("/accounts/login/", good).status_code == 302
    # and the attacker cannot escape by writing addresses of their own
    forged = behind_proxy("192.0.2.1, 203.0.113.66")
    assert forged.post("/accounts/login/", bad).status_code == 429


def test_audit_entries_record_the_client_not_a_forged_address(
    make_staff, make_consultation, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    editor = make_staff("editor", "editor")
    draft = make_consultation("draft")
    client = behind_proxy("6.6.6.6, 198.51.100.20")
    client.force_login(editor)
    client.post(f"/workspace/c/{draft.slug}/publish/", {})
    entry = AuditEntry.objects.filter(object_id=str(draft.pk)).latest("id")
    assert entry.ip_address == "198.51.100.20"
