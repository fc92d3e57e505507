"""Dead channels: a failing SMTP server or LINE endpoint never fails the action that caused
the notice; the delivery is retried with backoff, shows up for the admin, and arrives once
after the channel recovers. LINE: signed webhook, monthly budget, fallback to e-mail.

The LINE Messaging API is played by a small HTTP server on 127.0.0.1 answering like
https://api.line.me/v2/bot/message/push (LINE Developers, Messaging API reference)."""

from __future__ import annotations

import json
import os
import smtplib
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.services import comment_create
from notifications import line, services
from notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Kind,
    LineLink,
    Notice,
    Preferences,
)

SECRET = "line-channel-secret-for-tests"
SMTP_DOWN = {"down": False}


class FlakySMTPBackend(LocmemBackend):
    """The locmem backend, but raising like an unreachable SMTP server while ``down``."""

    def send_messages(self, messages):
        if SMTP_DOWN["down"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTPBackend"
    SMTP_DOWN["down"] = True
    yield SMTP_DOWN
    SMTP_DOWN["down"] = False


def test_smtp_down_does_not_fail_the_reply_and_the_mail_goes_once_when_it_is_back(
    alice, bob, consultation, committed, flaky_smtp
):
    parent = comment_create(consultation=consultation, author=alice, body="ข้อเสนอ")
    with committed():
        reply = comment_create(consultation=consultation, author=bob, body="ตอบ", parent=parent)
    assert reply.pk  # the reply is saved
    [delivery] = Delivery.objects.all()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)  # backoff
    assert Notice.objects.filter(user=alice).count() == 1  # in the site at once
    # Still down at the next try: the wait doubles.
    later = delivery.next_attempt_at + timedelta(seconds=1)
    services.send_due(now=later)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - later >= timedelta(seconds=119)
    flaky_smtp["down"] = False
    assert services.send_due(now=delivery.next_attempt_at) == 1
    assert services.send_due(now=delivery.next_attempt_at + timedelta(hours=2)) == 0
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_after_the_last_attempt_the_failure_shows_for_the_admin_and_can_be_sent_again(
    alice, consultation, flaky_smtp, admin_client
):
    services.fan_out(
        kind=Kind.REPORT,
        key="report:1",
        user_ids=[alice.pk],
        consultation_id=None,
        data={},
        url="/",
    )
    when = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        services.send_due(now=when)
        when += timedelta(days=1)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == services.MAX_ATTEMPTS
    page = admin_client.get(reverse("admin:notifications_delivery_changelist") + "?state=failed")
    assert "SMTPServerDisconnected" in page.content.decode()
    flaky_smtp["down"] = False
    admin_client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    assert services.send_due() == 1 and len(mail.outbox) == 1


# --- LINE -------------------------------------------------------------------------------------


class FakeLine:
    """Records pushes; answers 200, or 500 while ``failing``; dedupes by X-Line-Retry-Key."""

    def __init__(self) -> None:
        self.pushes: list[dict] = []
        self.failing = False
        self.keys: set[str] = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if (
                    self.path != "/v2/bot/message/push"
                    or self.headers.get("Authorization") != "Bearer test-token"
                ):
                    self._answer(401, {"message": "Authentication failed"})
                elif fake.failing:
                    self._answer(500, {"message": "Internal server error"})
                elif self.headers.get("X-Line-Retry-Key") in fake.keys:
                    self._answer(409, {"message": "The retry key is already accepted"})
                else:
                    fake.keys.add(self.headers.get("X-Line-Retry-Key"))
                    fake.pushes.append(body)
                    self._answer(200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]})

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        port = 8171 + int(worker[2:] or 0) % 8
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_line(settings):
    fake = FakeLine()
    settings.LINE_CHANNEL_SECRET = SECRET
    settings.LINE_CHANNEL_ACCESS_TOKEN = "test-token"
    settings.LINE_API_BASE = fake.url
    settings.LINE_MONTHLY_BUDGET = 100
    yield fake
    fake.stop()


def webhook(client: Client, events: list[dict], *, secret: str = SECRET):
    body = json.dumps({"destination": "U0", "events": events}).encode()
    return client.post(
        reverse("notifications:line_webhook"),
        body,
        content_type="application/json",
        headers={"X-Line-Signature": line.signature(body, secret)},
    )


def follow_event(user_id: str) -> dict:
    return {"type": "follow", "source": {"type": "user", "userId": user_id}, "timestamp": 1}


def test_signature_is_the_base64_hmac_sha256_of_the_body():
    # Computed independently: printf '%s' '{"events":[]}' |
    #   openssl dgst -sha256 -hmac 'line-channel-secret-for-tests' -binary | base64
    assert line.signature(b'{"events":[]}', SECRET) == _openssl_signature(b'{"events":[]}')


def _openssl_signature(body: bytes) -> str:
    import base64
    import subprocess

    out = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", SECRET, "-binary"],
        input=body,
        capture_output=True,
        check=True,
    ).stdout
    return base64.b64encode(out).decode()


def test_the_webhook_checks_the_signature_and_a_bad_one_changes_nothing(alice, fake_line):
    SocialAccount.objects.create(user=alice, provider="line", uid="U-alice")
    client = Client()
    assert webhook(client, [follow_event("U-alice")], secret="wrong").status_code == 403
    response = client.post(
        reverse("notifications:line_webhook"),
        b"{}",
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not LineLink.objects.exists()
    assert webhook(client, [follow_event("U-alice")]).status_code == 200
    link = LineLink.objects.get()
    assert link.user == alice and link.friend
    webhook(client, [{"type": "unfollow", "source": {"type": "user", "userId": "U-alice"}}])
    link.refresh_from_db()
    assert not link.friend


def _line_user(user, client: Client) -> None:
    SocialAccount.objects.create(user=user, provider="line", uid=f"U-{user.pk}")
    webhook(client, [follow_event(f"U-{user.pk}")])
    Preferences.objects.create(user=user, line=True)


def test_a_notice_goes_to_line_and_a_5xx_is_retried_without_sending_twice(
    alice, bob, consultation, committed, fake_line
):
    _line_user(alice, Client())
    fake_line.failing = True
    parent = comment_create(consultation=consultation, author=alice, body="ข้อเสนอ")
    with committed():
        comment_create(consultation=consultation, author=bob, body="ตอบ", parent=parent)
    delivery = Delivery.objects.get()
    assert delivery.channel == Channel.LINE and delivery.attempts == 1
    assert "500" in delivery.last_error
    fake_line.failing = False
    assert services.send_due(now=delivery.next_attempt_at) == 1
    assert services.send_due(now=delivery.next_attempt_at + timedelta(days=1)) == 0
    [push] = fake_line.pushes
    assert push["to"] == f"U-{alice.pk}" and consultation.title in push["messages"][0]["text"]
    assert mail.outbox == []


def test_the_monthly_budget_is_respected_and_the_rest_goes_by_email(
    alice, bob, carol, consultation, fake_line, settings
):
    settings.LINE_MONTHLY_BUDGET = 1
    client = Client()
    for person in (alice, bob):
        _line_user(person, client)
    services.fan_out(
        kind=Kind.CLOSED,
        key="closed:1",
        user_ids=[alice.pk, bob.pk],
        consultation_id=consultation.pk,
        data={"title": "ร่าง"},
        url="/",
    )
    services.send_due()
    assert len(fake_line.pushes) == 1
    states = sorted(Delivery.objects.values_list("channel", "state"))
    assert states == [
        (Channel.EMAIL, DeliveryState.SENT),
        (Channel.LINE, DeliveryState.FALLBACK),
        (Channel.LINE, DeliveryState.SENT),
    ]
    assert len(mail.outbox) == 1


def test_line_off_when_not_configured(client, alice, settings):
    settings.LINE_CHANNEL_SECRET = ""
    body = json.dumps({"events": [follow_event("U1")]}).encode()
    response = client.post(
        reverse("notifications:line_webhook"),
        body,
        content_type="application/json",
        headers={"X-Line-Signature": line.signature(body, "")},
    )
    assert response.status_code == 404 and not LineLink.objects.exists()
