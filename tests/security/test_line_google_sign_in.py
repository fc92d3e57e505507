"""Sign-in with LINE and Google, end to end, against small fake providers served in the test
(as the digital-ID test does): authorization, state checked on return, code exchanged with the
client secret (and the PKCE verifier for Google), the identity read from the id_token (Google)
or LINE's verify endpoint. A second sign-in finds the same account; a forged callback creates
nothing; an e-mail address already registered is not taken over."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.google import views as google_views
from allauth.socialaccount.providers.line import views as line_views
from django.core import mail
from django.test import Client

from accounts.models import Level
from accounts.selectors import assurance_level
from consult.models import User

CLIENT_ID = "consult-client"
CLIENT_SECRET = "consult-secret"
JWT_SECRET = "fake-provider-signing-key-of-32-bytes!"


class FakeOAuth:
    """An OAuth 2 / OpenID Connect provider in a thread on 127.0.0.1: /authorize, /token and
    LINE's /verify. The person signing in is ``person``."""

    def __init__(self) -> None:
        self.codes: dict[str, dict] = {}
        self.person: dict = {}
        self.seen: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, data: dict, status: int = 200) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                fake.seen.append(url.path)
                if url.path != "/authorize":
                    return self._json({"error": "not_found"}, 404)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                assert q["client_id"] == CLIENT_ID and q["response_type"] == "code"
                code = secrets.token_urlsafe(12)
                fake.codes[code] = q
                self.send_response(302)
                self.send_header(
                    "Location",
                    f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}",
                )
                self.end_headers()

            def do_POST(self) -> None:
                fake.seen.append(self.path)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    status, data = fake.token(form)
                    return self._json(data, status)
                if self.path == "/verify":  # LINE: the id_token's claims, checked for us
                    try:
                        claims = jwt.decode(
                            form["id_token"], JWT_SECRET, algorithms=["HS256"], audience=CLIENT_ID
                        )
                    except jwt.PyJWTError:
                        return self._json({"error": "invalid_request"}, 400)
                    return self._json(claims)
                self._json({"error": "not_found"}, 404)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def token(self, form: dict) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_secret") != CLIENT_SECRET:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if grant.get("code_challenge"):
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if challenge.decode() != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {**self.person, "iss": self.base, "aud": CLIENT_ID, "iat": now, "exp": now + 300}
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        return 200, {
            "access_token": secrets.token_urlsafe(12),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": jwt.encode(claims, JWT_SECRET, algorithm="HS256"),
        }


@pytest.fixture
def fake(db, settings, monkeypatch):
    provider = FakeOAuth()
    provider.thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "line": {
            "SCOPE": ["profile", "openid", "email"],
            "APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET}],
        },
        "google": {
            "SCOPE": ["profile", "email"],
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET}],
        },
    }
    for adapter in (line_views.LineOAuth2Adapter, google_views.GoogleOAuth2Adapter):
        monkeypatch.setattr(adapter, "authorize_url", f"{provider.base}/authorize")
        monkeypatch.setattr(adapter, "access_token_url", f"{provider.base}/token")
    monkeypatch.setattr(line_views.LineOAuth2Adapter, "id_token_url", f"{provider.base}/verify")
    monkeypatch.setattr(google_views, "ID_TOKEN_ISSUER", provider.base)
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def sign_in(client: Client, fake: FakeOAuth, provider: str, *, tamper: bool = False):
    response = client.post(f"/accounts/{provider}/login/", {"process": "login"})
    assert response.status_code == 302, response.content[:300]
    authorize = response["Location"]
    assert authorize.startswith(f"{fake.base}/authorize?")
    if provider == "google":
        assert parse_qs(urlparse(authorize).query)["code_challenge_method"] == ["S256"]
    at_provider = requests.get(authorize, allow_redirects=False, timeout=5)
    callback = urlparse(at_provider.headers["Location"])
    assert callback.path == f"/accounts/{provider}/login/callback/"
    query = callback.query
    if tamper:  # an attacker's callback: the state is not this browser's
        params = parse_qs(query)
        query = urlencode({"code": params["code"][0], "state": "forged-state"})
    return client.get(f"{callback.path}?{query}")


PEOPLE = {
    "line": {"sub": "U1234567890abcdef", "name": "สมศรี ใจดี", "email": "somsri@example.org"},
    "google": {
        "sub": "109876543210",
        "name": "Somchai K.",
        "email": "somchai@example.org",
        "email_verified": True,
    },
}


@pytest.mark.parametrize("provider", ["line", "google"])
def test_sign_in_end_to_end(fake, provider):
    fake.person = PEOPLE[provider]
    client = Client()
    response = sign_in(client, fake, provider)
    assert response.status_code == 302, response.content[:500]
    assert {"/authorize", "/token"} <= set(fake.seen)
    if provider == "line":
        assert "/verify" in fake.seen
    account = SocialAccount.objects.get(provider=provider)
    assert account.uid == PEOPLE[provider]["sub"]
    user = account.user
    assert user.email == PEOPLE[provider]["email"]
    assert assurance_level(user) == Level.SOCIAL
    if provider == "google":  # Google vouches for the address: signed in at once
        assert client.get("/me/").status_code == 200
    else:  # LINE does not say the address is verified: it is confirmed by e-mail first
        assert response["Location"] == "/accounts/confirm-email/"
        assert [m.to for m in mail.outbox] == [[PEOPLE["line"]["email"]]]
        code = re.search(r"^\s*(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE)
        assert code, mail.outbox[-1].body
        confirmed = client.post("/accounts/confirm-email/", {"code": code.group(1)})
        assert confirmed.status_code == 302 and client.get("/me/").status_code == 200
    # again, from another browser: the same account
    assert sign_in(Client(), fake, provider).status_code == 302
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


@pytest.mark.parametrize("provider", ["line", "google"])
def test_forged_callback_creates_nothing(fake, provider):
    fake.person = PEOPLE[provider]
    client = Client()
    sign_in(client, fake, provider, tamper=True)
    assert not SocialAccount.objects.exists() and not User.objects.exists()
    assert client.get("/me/").status_code == 302  # not signed in


def test_a_registered_email_is_not_taken_over(fake, alice):
    """Google says the person owns alice's address; that does not sign them in as alice."""
    fake.person = {**PEOPLE["google"], "email": alice.email}
    client = Client()
    sign_in(client, fake, "google")
    assert not SocialAccount.objects.filter(user=alice).exists()
    session_user = client.session.get("_auth_user_id")
    assert session_user != str(alice.pk)
