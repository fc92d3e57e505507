"""Staff need a session that passed the second factor, not merely an authenticator: the
admin's own password-only login is never served, and a session that signed in with the
password only is sent to the second-factor step on every staff page, action and WebSocket."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from consult.asgi import application
from tests.conftest import TOTP_SECRET

PASSWORD = "correct horse battery staple"


def test_admin_login_goes_to_allauth(client, admin_user):
    response = client.get("/admin/login/?next=/admin/accounts/auditentry/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    # The admin's password form takes nothing: posting to it signs nobody in.
    response = client.post("/admin/login/", {"username": admin_user.email, "password": "password"})
    assert response.status_code in (302, 405)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_unknown_next_on_admin_login_stays_on_site(client, db):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert "evil.example" not in response["Location"]


def test_password_only_session_is_sent_to_the_second_factor(client, make_staff):
    make_staff("editor", "editor")
    response = client.post(
        "/accounts/login/", {"login": "editor@example.org", "password": PASSWORD}
    )
    # allauth stops at the second factor; the session is not signed in yet
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/workspace/a/pcd/").status_code == 302


@pytest.mark.parametrize("path", ["/workspace/a/pcd/", "/admin/", "/moderation/", "/workspace/"])
def test_staff_pages_need_this_session_to_pass_the_second_factor(client, make_staff, path):
    editor = make_staff("editor", "editor")
    client.force_login(editor, second_factor=False)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=")
    assert client.get(path, HTTP_ACCEPT="application/json").status_code == 403


def test_admin_with_an_authenticator_but_no_second_factor_this_session(client, admin_user):
    client.force_login(admin_user, second_factor=False)
    assert client.get("/admin/accounts/auditentry/").status_code == 302


def test_staff_actions_are_refused_without_the_second_factor(client, make_staff, make_consultation):
    from topics.models import Consultation

    editor = make_staff("editor", "editor")
    draft = make_consultation("draft")
    client.force_login(editor, second_factor=False)
    client.post(f"/workspace/c/{draft.slug}/publish/")
    assert Consultation.objects.get(pk=draft.pk).published_at is None
    # the draft's public page is not readable either
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_second_factor_step_opens_the_staff_pages(client, make_staff):
    editor = make_staff("editor", "editor")
    client.force_login(editor, second_factor=False)
    response = client.get("/workspace/a/pcd/")
    step = response["Location"]
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    response = client.post(step, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/a/pcd/"
    assert client.get("/workspace/a/pcd/").status_code == 200


def _cookie(user, second_factor: bool) -> str:
    client = Client()
    client.force_login(user, second_factor=second_factor)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def _connect(path: str, cookie: str) -> bool:
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", cookie.encode()),
    ]
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await comm.connect(timeout=5)
    await comm.disconnect()
    return connected


@pytest.mark.django_db(transaction=True)
async def test_staff_websockets_need_the_second_factor(make_staff, make_consultation):
    moderator = await database_sync_to_async(make_staff)("mod", "moderator", platform=True)
    editor = await database_sync_to_async(make_staff)("editor", "editor")
    draft = await database_sync_to_async(make_consultation)("draft")
    draft_ws = f"/ws/consultations/{draft.pk}/"
    without = await database_sync_to_async(_cookie)(moderator, False)
    assert not await _connect("/ws/moderation/", without)
    with_mfa = await database_sync_to_async(_cookie)(moderator, True)
    assert await _connect("/ws/moderation/", with_mfa)
    assert not await _connect(draft_ws, await database_sync_to_async(_cookie)(editor, False))
    assert await _connect(draft_ws, await database_sync_to_async(_cookie)(editor, True))
