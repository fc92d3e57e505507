"""Staff need a second factor: without one they are sent to set it up; with one they sign in
with password + TOTP and reach their pages."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


STAFF_PAGES = ["/workspace/", "/workspace/a/pcd/", "/admin/"]


@pytest.mark.parametrize("role", ["editor", "analyst", "moderator"])
def test_staff_without_mfa_are_sent_to_set_it_up(client, make_staff, role):
    user = make_staff(role, role, mfa=False, platform=role == "moderator")
    client.force_login(user)
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", path
    response = client.get("/workspace/a/pcd/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not user.has_perm("topics.use_workspace", user.memberships.first().agency)


def test_admin_without_mfa_cannot_reach_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root@example.org", "root@example.org", "x")
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert not admin.has_perm("accounts.view_audit_log")


def test_citizens_are_not_asked_for_mfa(client, alice, consultation):
    client.force_login(alice)
    assert client.get(consultation.get_absolute_url()).status_code == 200
    assert client.get("/workspace/").status_code == 403  # not staff: refused, not redirected


def test_staff_with_mfa_sign_in_with_password_and_code(client, make_staff):
    make_staff("editor", "editor")
    response = client.post(
        "/accounts/login/",
        {"login": "editor@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    # Not signed in yet: the workspace asks for a login.
    assert client.get("/workspace/a/pcd/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/workspace/a/pcd/").status_code == 200


def test_staff_can_set_up_totp_and_then_reach_staff_pages(
    client, make_staff, django_capture_on_commit_callbacks
):
    from allauth.mfa.models import Authenticator

    editor = make_staff("editor", "editor", mfa=False)
    response = client.post(
        "/accounts/login/",
        {"login": "editor@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get("/workspace/a/pcd/").status_code == 302
    # Setting up a second factor asks for the password again.
    response = client.post(
        "/accounts/reauthenticate/", {"password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    # allauth announces the new authenticator after commit: the session then counts as passed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    assert client.get("/workspace/a/pcd/").status_code == 200
