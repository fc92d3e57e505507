"""Staff with a security key (WebAuthn) sign in with password + key and reach their pages; staff
without any authenticator do not.

The key is a software authenticator made in the test: a P-256 key pair, a registration response
(attestation "none") stored through allauth's ``WebAuthn.add`` (what allauth's "add a security
key" view stores after the browser ceremony), then a real assertion signed over the challenge
that allauth's sign-in page issues and verified by allauth (fido2) on the way in."""

from __future__ import annotations

import json
import os

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal.auth import WebAuthn
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import sha256, websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

RP_ID = "testserver"
ORIGIN = "http://testserver"
PASSWORD = "correct horse battery staple"
FLAGS = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV


class SoftwareKey:
    """Just enough of a FIDO2 authenticator to register and sign in."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def _id(self) -> dict[str, str]:
        cid = websafe_encode(self.credential_id)
        return {"id": cid, "rawId": cid, "type": "public-key"}

    def registration(self) -> dict:
        credential = AttestedCredentialData.create(
            b"\0" * 16,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        auth_data = AuthenticatorData.create(
            sha256(RP_ID.encode()), FLAGS | AuthenticatorData.FLAG.AT, 0, credential
        )
        client_data = CollectedClientData.create(
            type="webauthn.create", challenge=os.urandom(32), origin=ORIGIN
        )
        return {
            **self._id(),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(
                    AttestationObject.create("none", auth_data, {})
                ),
            },
            "clientExtensionResults": {},
        }

    def assertion(self, challenge: bytes) -> dict:
        self.counter += 1
        auth_data = AuthenticatorData.create(sha256(RP_ID.encode()), FLAGS, self.counter)
        client_data = CollectedClientData.create(
            type="webauthn.get", challenge=challenge, origin=ORIGIN
        )
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return {
            **self._id(),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


@pytest.fixture(autouse=True)
def _plain_http_origin(settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test client speaks http://


def register(user) -> SoftwareKey:
    key = SoftwareKey()
    WebAuthn.add(user, "Security key", key.registration())
    return key


def challenge_of(page) -> bytes:
    options = page.context["js_data"]["request_options"]
    challenge = options["publicKey"]["challenge"]
    return challenge if isinstance(challenge, bytes) else websafe_decode(challenge)


def sign_in_with_password(client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_registered_key_is_a_second_factor(make_staff):
    editor = make_staff("editor", "editor", mfa=False)
    assert not editor.has_perm("topics.use_workspace", editor.memberships.first().agency)
    register(editor)
    wrapped = Authenticator.objects.get(user=editor, type="webauthn").wrap()
    assert wrapped.authenticator_data.credential_data is not None
    assert editor.has_perm("topics.use_workspace", editor.memberships.first().agency)


def test_staff_with_a_security_key_sign_in_and_reach_staff_pages(client, make_staff):
    editor = make_staff("editor", "editor", mfa=False)
    key = register(editor)
    response = sign_in_with_password(client, editor.email)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/workspace/a/pcd/").status_code == 302  # not signed in yet
    page = client.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200
    credential = key.assertion(challenge_of(page))
    response = client.post("/accounts/2fa/authenticate/", {"credential": json.dumps(credential)})
    assert response.status_code == 302, response.content[:500]
    assert int(client.session["_auth_user_id"]) == editor.pk
    assert client.get("/workspace/a/pcd/").status_code == 200
    assert client.get("/workspace/a/pcd/new/").status_code == 200
    authenticator = Authenticator.objects.get(user=editor, type="webauthn")
    assert authenticator.last_used_at is not None


def test_a_signature_from_another_key_is_refused(client, make_staff):
    editor = make_staff("editor", "editor", mfa=False)
    register(editor)
    sign_in_with_password(client, editor.email)
    page = client.get("/accounts/2fa/authenticate/")
    stored = Authenticator.objects.get(user=editor).wrap().authenticator_data.credential_data
    impostor = SoftwareKey()
    impostor.credential_id = stored.credential_id  # the right key id, the wrong private key
    response = client.post(
        "/accounts/2fa/authenticate/",
        {"credential": json.dumps(impostor.assertion(challenge_of(page)))},
    )
    assert response.status_code == 200  # the form again
    assert "_auth_user_id" not in client.session
    assert client.get("/workspace/a/pcd/").status_code == 302


def test_staff_without_any_authenticator_cannot_reach_staff_pages(client, make_staff):
    editor = make_staff("editor", "editor", mfa=False)
    response = sign_in_with_password(client, editor.email)
    assert response.status_code == 302 and response["Location"] != "/accounts/2fa/authenticate/"
    response = client.get("/workspace/a/pcd/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=editor).exists()
