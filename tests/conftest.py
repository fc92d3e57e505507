"""Shared fixtures. Personas: alice and bob are verified citizens who have given consent, carol
has not verified her e-mail yet; the consultation fixtures cover every phase."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    import uuid

    from django.core.cache import cache

    settings.LIVE_VOTE_COALESCE_SECONDS = 0.05
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A fresh key space per test, so rate-limit counters do not leak from one test into the
    # next (cache.clear() would flush the Redis database other workers share).
    previous = cache.key_prefix
    cache.key_prefix = f"{previous}-{uuid.uuid4().hex[:8]}"
    yield
    cache.key_prefix = previous


@pytest.fixture(autouse=True)
def _rate_windows_start_with_the_test(monkeypatch):
    """Rate limits count in fixed windows: a test that makes N+1 requests must not see its
    window end between them. The limiter's clock is moved so each test starts one second
    into a day (a whole number of every window the tests use); it still runs with real time."""
    import math
    import time

    import consult.ratelimit

    start = time.time()
    shift = math.ceil(start / 86400) * 86400 + 1 - start
    monkeypatch.setattr(consult.ratelimit, "_now", lambda: time.time() + shift)


def record_sign_in(client, user, *, second_factor: bool = True) -> None:
    """Write allauth's authentication records into the client's session, as a sign-in with
    a password (and, when ``second_factor`` and the person has one, the second factor) does."""
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator

    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if second_factor:
        authenticator = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).first()
        if authenticator is not None:
            records.append(
                {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"}
            )
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session["account_authentication_methods_user"] = user_id_to_str(user)
    session.save()


@pytest.fixture(autouse=True)
def _force_login_records_the_second_factor(monkeypatch):
    """``Client.force_login`` signs in as allauth would, second factor included (staff tests
    need a session that passed it); ``force_login(user, second_factor=False)`` signs in with
    the password only."""
    from django.test.client import Client

    original = Client.force_login

    def force_login(self, user, backend=None, *, second_factor: bool = True):
        original(self, user, backend)
        record_sign_in(self, user, second_factor=second_factor)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def make_user(db) -> Callable:
    from consult.models import User

    def make(
        name: str, *, verified: bool = True, consented: bool = True, mfa: bool = False, **extra
    ) -> User:
        email = f"{name}@example.org"
        user = User.objects.create_user(
            username=email,
            email=email,
            password="correct horse battery staple",
            display_name=name.title(),
            **extra,
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        if consented:
            from django.conf import settings as django_settings

            from accounts.models import Consent

            Consent.objects.create(
                user=user, notice_version=django_settings.CONSENT_NOTICE_VERSION, language="th"
            )
        if mfa:
            give_totp(user)
        return user

    return make


TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def give_totp(user) -> None:
    """A TOTP authenticator with a known secret (tests compute codes with allauth's helper)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)


@pytest.fixture
def make_staff(make_user, agency) -> Callable:
    """A staff member with a role (editor / analyst / moderator) and, by default, TOTP."""
    from topics.models import Membership

    def make(name: str, role: str, *, agency_obj=None, platform: bool = False, mfa: bool = True):
        user = make_user(name, mfa=mfa)
        Membership.objects.create(
            user=user, agency=None if platform else (agency_obj or agency), role=role
        )
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def carol(make_user):
    return make_user("carol", verified=False)


@pytest.fixture
def agency(db):
    from topics.models import Agency

    return Agency.objects.create(
        slug="pcd", name_th="กรมควบคุมมลพิษ", name_en="Pollution Control Department"
    )


@pytest.fixture
def make_consultation(agency) -> Callable:
    from topics.models import Consultation, Section

    counter = {"n": 0}

    def make(
        phase: str = "open", *, sections: int = 2, slug: str | None = None, **fields
    ) -> Consultation:
        counter["n"] += 1
        now = timezone.now()
        opens = {
            "open": now - timedelta(days=2),
            "upcoming": now + timedelta(days=2),
            "closed": now - timedelta(days=40),
            "draft": now - timedelta(days=2),
        }[phase]
        values = {
            "agency": agency,
            "slug": slug or f"draft-{counter['n']}",
            "title": f"ร่างพระราชบัญญัติทดสอบ {counter['n']}",
            "summary": "สรุปร่าง",
            "kind": "draft_act",
            "category": "health",
            "opens_at": opens,
            "closes_at": opens + timedelta(days=20),
            "published_at": None if phase == "draft" else now - timedelta(days=50),
        }
        values.update(fields)
        consultation = Consultation.objects.create(**values)
        for i in range(sections):
            Section.objects.create(
                consultation=consultation,
                position=i,
                number=f"มาตรา {i + 1}",
                heading=f"หัวข้อ {i + 1}",
            )
        return consultation

    return make


@pytest.fixture
def consultation(make_consultation):
    return make_consultation("open")


@pytest.fixture(scope="session", autouse=True)
def _isolated_shared_services(worker_id: str) -> None:
    """Parallel test workers share one Redis in CI: give each its own key space."""
    from channels.layers import channel_layers
    from django.conf import settings as django_settings

    suffix = f"test-{worker_id}-{os.getpid()}"
    layer = django_settings.CHANNEL_LAYERS["default"]
    if "prefix" in layer.get("CONFIG", {}):
        layer["CONFIG"]["prefix"] = suffix
    cache = django_settings.CACHES["default"]
    if "KEY_PREFIX" in cache:
        cache["KEY_PREFIX"] = suffix
    channel_layers.backends = {}


@pytest.fixture
def postgres_only() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("measured on PostgreSQL (run with DATABASE_URL=postgres://...)")


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's admin, with the second factor every staff member needs."""
    user = django_user_model.objects.create_superuser(
        username="admin@example.org", email="admin@example.org", password="password"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    give_totp(user)
    return user
