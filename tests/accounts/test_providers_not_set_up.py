"""A sign-in provider the site did not set up (no environment variables, no app in the
admin): its addresses answer "not found" in the site's layout, never a server error."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from consult.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/line/login/",
        "/accounts/google/login/",
        "/accounts/line/login/callback/?code=x&state=y",
        "/accounts/google/login/callback/?code=x&state=y",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_provider_not_set_up_is_not_found(settings, url, method):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["line"] = {k: v for k, v in providers["line"].items() if k != "APPS"}
    providers["google"] = {k: v for k, v in providers["google"].items() if k != "APPS"}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    users = User.objects.count()
    response = getattr(Client(raise_request_exception=False), method)(url)
    assert response.status_code == 404
    assert 'class="card error-page"' in response.content.decode()
    assert User.objects.count() == users and not SocialAccount.objects.exists()
