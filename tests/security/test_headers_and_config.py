"""Headers and configuration: a Content Security Policy on every response (no inline script or
style, no eval) with a report endpoint, ``check --deploy`` clean with the README's production
settings, WebSocket origins compared by scheme, host and port, bounded request bodies and
``SameSite`` on every cookie."""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator

from consult.asgi import application

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/", "/i18n/setlang/", "/admin/"],
)
def test_every_response_carries_the_policy(client, consultation, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["report-uri"] == "/csp-report/"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_pages_and_signed_in_pages_carry_the_policy(client, alice, consultation, admin_user):
    client.force_login(alice)
    for path in [consultation.get_absolute_url(), "/me/", "/my-comments/"]:
        assert "script-src 'self'" in client.get(path)["Content-Security-Policy"], path
    client.force_login(admin_user)
    assert "Content-Security-Policy" in client.get("/admin/")


def test_no_template_has_inline_script_or_style():
    """The policy forbids them, so the browser would ignore them: none may exist."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle=|<style\b|\son[a-z]+=", text):
            offenders.append(str(path.relative_to(ROOT)))
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_violation_reports_are_accepted_and_logged(client, caplog, db):
    report = {
        "csp-report": {
            "document-uri": "https://hearing.example/c/x/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    response = client.post(
        "/csp-report/", json.dumps(report), content_type="application/csp-report"
    )
    assert response.status_code == 204
    assert "script-src-elem" in caplog.text
    assert client.post("/csp-report/", "{", content_type="application/json").status_code == 400
    assert client.get("/csp-report/").status_code == 405


def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```env\n(.*?)```", readme, re.S)
    assert block, "README.md gives the production settings in an ```env block"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    for line in block.group(1).splitlines():
        name, _sep, value = line.partition("=")
        env[name.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_turn_on_https(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), VAR_DIR=str(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "consult.settings"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "31536000", "True"], result.stderr


def test_every_cookie_is_samesite(client, alice, consultation):
    client.get("/accounts/login/")  # CSRF cookie
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # language cookie
    response = client.post(
        "/accounts/login/",
        {"login": alice.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302  # session cookie
    assert {"sessionid", "csrftoken", "lang"} <= set(client.cookies)
    for name, morsel in client.cookies.items():
        assert morsel["samesite"] in ("Lax", "Strict"), name


def test_oversized_bodies_are_refused_before_they_are_read(client, alice, consultation, settings):
    from comments.models import Comment

    settings.MAX_REQUEST_BYTES = 4096
    client.force_login(alice)
    body = "ก" * 5000
    response = client.post(
        f"/c/{consultation.slug}/comments/",
        {"body": body, "stance": "support"},
    )
    assert response.status_code == 413
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_form_data_is_bounded(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.MAX_REQUEST_BYTES <= 10 * 1024 * 1024


async def _handshake(origin: bytes, host: bytes = b"127.0.0.1") -> bool:
    comm = WebsocketCommunicator(
        application, "/ws/moderation/", headers=[(b"origin", origin), (b"host", host)]
    )
    connected, code = await comm.connect(timeout=5)
    await comm.disconnect()
    # refused by the origin check: the handshake itself is denied (no application close code)
    return code != 1000 and not connected and code is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "denied"),
    [
        (b"http://127.0.0.1", False),  # same scheme, host and port: reaches the consumer
        (b"https://127.0.0.1", True),  # other scheme
        (b"http://127.0.0.1:8999", True),  # other port
        (b"http://evil.example", True),  # other host
        (b"null", True),
    ],
)
async def test_websocket_origin_compares_scheme_host_and_port(origin, denied):
    from consult.security import websocket_origin_allowed

    scope = {
        "type": "websocket",
        "scheme": "ws",
        "headers": [(b"origin", origin), (b"host", b"127.0.0.1")],
    }
    assert websocket_origin_allowed(scope) is not denied
    comm = WebsocketCommunicator(
        application, "/ws/moderation/", headers=[(b"origin", origin), (b"host", b"127.0.0.1")]
    )
    connected, code = await comm.connect(timeout=5)
    # the anonymous visitor is refused either way; the origin check refuses before the
    # consumer runs (a plain denial), the consumer with its own code 4403
    if denied:
        assert not connected and code != 4403
        # Refused before any consumer: the application has finished, nothing is left
        # listening on the channel layer for a connection that was never opened.
        for _ in range(50):
            if comm.future.done():
                break
            await asyncio.sleep(0.02)
        assert comm.future.done()
    else:
        assert not connected and code == 4403
        await comm.disconnect()  # the consumer ends; its channel leaves the layer
