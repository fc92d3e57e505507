"""A consultation with 100,000 followers is closed early by its agency (the same fan-out as a
published hearing report): how long the request takes, and how long until every in-site
notice is written and every e-mail is queued in the outbox by the database task worker.

    .venv/bin/python bench/notify_bench.py                      # SQLite, var/bench_notify.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/notify_bench.py
    .venv/bin/python bench/notify_bench.py --followers 10000    # smaller

The followers are loaded once (found again by the consultation's slug). Each run removes the
previous run's notices, deliveries and tasks and reopens the consultation. The request goes
through Django's test ``Client`` (an editor with a second factor posts the close form); the
fan-out runs in ``manage.py db_worker`` (``--batch``, in this process), e-mails go to Django's
dummy backend when 5,000 of the outbox are sent (the sending rate). Prints one table; targets: request <= 200 ms, all
written and queued <= 120 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "bench-notify-100k"


def setup_django() -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_notify.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(followers: int):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction
    from django.utils import timezone

    from consult.models import User
    from notifications.models import Follow
    from topics.models import Agency, Consultation, Membership

    now = timezone.now()
    consultation = Consultation.objects.filter(slug=SLUG).first()
    if consultation is not None:
        have = Follow.objects.filter(key=str(consultation.pk)).count()
        if have == followers:
            return consultation
        raise SystemExit(f"{have} followers loaded, not {followers}: delete the database")
    t = time.perf_counter()
    with transaction.atomic():
        agency = Agency.objects.create(slug="bench-notify", name_th="กรมทดสอบ", name_en="Test")
        consultation = Consultation.objects.create(
            agency=agency,
            slug=SLUG,
            title="ร่างพระราชบัญญัติทดสอบการแจ้งเตือน",
            kind="draft_act",
            category="health",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=12),
            published_at=now - timedelta(days=3),
        )
        editor = User.objects.create_user(
            username="editor@bench.example", email="editor@bench.example", password="x"
        )
        EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
        Membership.objects.create(user=editor, agency=agency, role="editor")
        TOTP.activate(editor, "JBSWY3DPEHPK3PXP")
        for start in range(0, followers, 5000):
            users = User.objects.bulk_create(
                [
                    User(username=f"f{i}@bench.example", email=f"f{i}@bench.example", password="!")
                    for i in range(start, min(followers, start + 5000))
                ]
            )
            Follow.objects.bulk_create(
                [Follow(user=u, target="consultation", key=str(consultation.pk)) for u in users]
            )
    print(f"loaded {followers:,} followers in {time.perf_counter() - t:.0f} s")
    return consultation


def reset(consultation) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from notifications.models import Delivery, FanOut, Notice

    Delivery.objects.all().delete()
    Notice.objects.filter(consultation=consultation).delete()
    FanOut.objects.all().delete()
    DBTaskResult.objects.all().delete()
    consultation.closes_at = timezone.now() + timedelta(days=12)
    consultation.save(update_fields=["closes_at"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from consult.models import User
    from notifications.models import Delivery, Notice

    consultation = load(args.followers)
    reset(consultation)
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator

    editor = User.objects.get(username="editor@bench.example")
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session  # signed in as allauth records it: password, then the TOTP code
    totp = Authenticator.objects.get(user=editor, type=Authenticator.Type.TOTP)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": editor.email},
        {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = user_id_to_str(editor)
    session.save()

    # A running server is warm: templates compiled, the Thai dictionary loaded.
    client.get(reverse("topics:ws_manage", args=[consultation.slug]))
    from search.backend import words

    words("ทดสอบ")
    t0 = time.perf_counter()
    response = client.post(
        reverse("topics:ws_close", args=[consultation.slug]), {"reason": "ครบถ้วนแล้ว"}
    )
    request_ms = (time.perf_counter() - t0) * 1000
    consultation.refresh_from_db()
    assert response.status_code in (200, 302), response.status_code
    assert consultation.closes_at <= consultation.updated_at + timedelta(seconds=1), (
        "the close was refused (permission or second factor)"
    )
    assert Notice.objects.count() == 0, "the request did the fan-out itself"

    t1 = time.perf_counter()
    call_command("db_worker", batch=True, no_startup_delay=True, max_tasks=1, verbosity=0)
    fan_out_s = time.perf_counter() - t1
    notices = Notice.objects.filter(consultation=consultation).count()
    queued = Delivery.objects.count()

    from notifications import services

    t2 = time.perf_counter()
    sent = services.send_due(limit=5000)  # a sample of the outbox, not all of it
    drain_s = time.perf_counter() - t2
    rate = sent / drain_s if drain_s else 0.0

    load_avg = os.getloadavg()
    print(f"database: {connection.vendor}; load average {load_avg[0]:.2f} {load_avg[1]:.2f}")
    rows = [
        ("close request (ms)", f"{request_ms:,.0f}", "<= 200", request_ms <= 200),
        (
            "notices written / e-mails queued",
            f"{notices:,} / {queued:,}",
            f"{args.followers:,}",
            notices == queued == args.followers,
        ),
        ("fan-out task (s)", f"{fan_out_s:,.1f}", "<= 120", fan_out_s <= 120),
        ("outbox sending, dummy backend (/s)", f"{rate:,.0f}  ({sent:,} sent)", "-", True),
    ]
    print(f"{'':38} {'value':>22} {'target':>10}  ")
    for name, value, target, ok in rows:
        print(f"{name:38} {value:>22} {target:>10}  {'pass' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
