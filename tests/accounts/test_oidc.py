"""Sign-in through the national digital ID (OpenID Connect), end to end, against a small
provider served in the test: discovery, authorization code with PKCE (S256), token with an
RS256 id_token, JWKS and userinfo. The national ID number must end up only as a keyed hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command
from django.test import Client

from accounts.models import IdentityVerification, Level
from accounts.selectors import assurance_level
from consult.models import User

CLIENT_ID = "consult-test"
CLIENT_SECRET = "s3cret"
NATIONAL_ID = "1-1012-34567-89-0"
NATIONAL_ID_DIGITS = "1101234567890"


class FakeProvider:
    """An OpenID Connect provider in a thread on 127.0.0.1."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": "test-key", "alg": "RS256", "use": "sig"})
        self.jwks = {"keys": [jwk]}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.person = {}
        self.seen: list[str] = []
        provider = self

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
                provider.seen.append(url.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json(provider.discovery())
                if url.path == "/jwks":
                    return self._json(provider.jwks)
                if url.path == "/authorize":
                    return provider.authorize(self, parse_qs(url.query))
                if url.path == "/userinfo":
                    auth = self.headers.get("Authorization", "")
                    token = provider.tokens.get(auth.removeprefix("Bearer "))
                    if token is None:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(token["claims"])
                self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                provider.seen.append(self.path)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != "/token":
                    return self._json({"error": "not_found"}, 404)
                status, data = provider.token(form)
                self._json(data, status)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self) -> dict:
        return {
            "issuer": self.base,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "userinfo_endpoint": f"{self.base}/userinfo",
            "jwks_uri": f"{self.base}/jwks",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def authorize(self, handler, query: dict) -> None:
        q = {k: v[0] for k, v in query.items()}
        assert q["client_id"] == CLIENT_ID and q["response_type"] == "code"
        assert q.get("code_challenge_method") == "S256" and q.get("code_challenge"), "no PKCE"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": q["code_challenge"],
            "redirect_uri": q["redirect_uri"],
            "nonce": q.get("nonce"),
        }
        handler.send_response(302)
        location = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
        handler.send_header("Location", location)
        handler.end_headers()

    def token(self, form: dict) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_secret") != CLIENT_SECRET:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant["challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
        now = int(time.time())
        claims = dict(self.person)
        id_claims = {
            **claims,
            "iss": self.base,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
        }
        if grant["nonce"]:
            id_claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(id_claims, self.key, algorithm="RS256", headers={"kid": "test-key"})
        access = secrets.token_urlsafe(16)
        self.tokens[access] = {"claims": claims}
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }


@pytest.fixture
def provider(db, settings):
    fake = FakeProvider()
    fake.thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "thaid",
                    "name": "ThaID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": fake.base,
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "pid", "name", "email"],
                        "national_id_claim": "pid",
                    },
                }
            ],
        }
    }
    settings.IDENTITY_HASH_KEY = "test-identity-key"
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def sign_in(client: Client, provider: FakeProvider):
    """Drive the whole flow, following each redirect by hand."""
    response = client.post("/accounts/oidc/thaid/login/", {"process": "login"})
    assert response.status_code == 302, response.content[:500]
    authorize = response["Location"]
    assert authorize.startswith(f"{provider.base}/authorize?")
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    # The browser goes to the provider, which answers with a redirect back to us.
    at_provider = requests.get(authorize, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = urlparse(at_provider.headers["Location"])
    assert callback.path == "/accounts/oidc/thaid/login/callback/"
    response = client.get(f"{callback.path}?{callback.query}")
    return response


def dump_database() -> str:
    from io import StringIO

    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("sub_is_national_id", [False, True])
def test_digital_id_sign_in_keeps_only_a_keyed_hash(provider, settings, sub_is_national_id):
    if sub_is_national_id:
        settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"][
            "national_id_claim"
        ] = "sub"
    provider.person = {
        "sub": NATIONAL_ID if sub_is_national_id else "thaid-opaque-42",
        "pid": NATIONAL_ID,
        "name": "สมหญิง รักชาติ",
        "email": "somying@example.org",
        "email_verified": True,
    }
    if sub_is_national_id:
        del provider.person["pid"]
    client = Client()
    response = sign_in(client, provider)
    assert response.status_code == 302, response.content[:800]
    assert {"/.well-known/openid-configuration", "/authorize", "/token", "/userinfo"} <= set(
        provider.seen
    )

    user = User.objects.get(email="somying@example.org")
    assert assurance_level(user) == Level.IDENTITY
    expected = hmac.new(b"test-identity-key", NATIONAL_ID_DIGITS.encode(), hashlib.sha256)
    verification = IdentityVerification.objects.get(user=user)
    assert verification.id_hash == expected.hexdigest()
    account = SocialAccount.objects.get(user=user)
    if sub_is_national_id:
        assert account.uid == expected.hexdigest()
    else:
        assert account.uid == "thaid-opaque-42"
    # Nowhere in the database, in any form.
    everything = dump_database()
    assert NATIONAL_ID not in everything and NATIONAL_ID_DIGITS not in everything
    # Signed in: the account page answers.
    assert client.get("/me/").status_code == 200

    # Signing in again finds the same account.
    client2 = Client()
    assert sign_in(client2, provider).status_code == 302
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


def test_one_national_id_one_verified_account(provider, settings, make_user):
    provider.person = {
        "sub": "first-sub",
        "pid": NATIONAL_ID,
        "email": "first@example.org",
        "email_verified": True,
    }
    assert sign_in(Client(), provider).status_code == 302
    # Same person, another subject id at the provider (e.g. re-registered), another e-mail.
    provider.person = {
        "sub": "second-sub",
        "pid": NATIONAL_ID.replace("-", ""),
        "email": "second@example.org",
        "email_verified": True,
    }
    response = sign_in(Client(), provider)
    assert response.status_code == 409
    assert "accounts/identity_taken.html" in [t.name for t in response.templates]
    assert IdentityVerification.objects.count() == 1
    assert not User.objects.filter(email="second@example.org").exists()
    # An existing signed-in account cannot take the identity either.
    other = make_user("other")
    client = Client()
    client.force_login(other)
    response = client.post("/accounts/oidc/thaid/login/", {"process": "connect"})
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(at_provider.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 409
    assert not IdentityVerification.objects.filter(user=other).exists()


def test_issued_id_token_is_a_valid_rs256_token(provider):
    """The fake provider itself is honest: its id_token verifies against its JWKS."""
    provider.person = {"sub": "x", "email": "x@example.org", "email_verified": True}
    provider.codes["c"] = {"challenge": "", "redirect_uri": "r", "nonce": None}
    # Build a matching verifier/challenge pair.
    verifier = "v" * 50
    provider.codes["c"]["challenge"] = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    status, data = provider.token(
        {
            "code": "c",
            "client_secret": CLIENT_SECRET,
            "code_verifier": verifier,
            "redirect_uri": "r",
        }
    )
    assert status == 200
    key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(provider.jwks["keys"][0]))
    claims = jwt.decode(data["id_token"], key, algorithms=["RS256"], audience=CLIENT_ID)
    assert claims["iss"] == provider.base
