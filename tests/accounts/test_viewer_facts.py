"""The facts pages need about the person making a request: right, and read in one query."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import IdentityVerification, Level
from accounts.selectors import assurance_level, has_consented
from accounts.services import consent_withdraw
from comments.services import comment_create
from consult import memo, viewer
from moderation.models import Suspension
from moderation.rules import is_suspended
from topics.models import Membership
from topics.rules import roles_of


def test_a_plain_citizen(alice):
    facts = viewer.facts(alice.pk)
    assert facts == viewer.Facts(verified_email=True, consented=True)
    assert assurance_level(alice) == Level.EMAIL and has_consented(alice)
    assert not is_suspended(alice) and roles_of(alice) == frozenset()


def test_every_fact_is_read(alice, bob, agency, consultation, make_user):
    IdentityVerification.objects.create(user=alice, provider="thaid", id_hash="h" * 64)
    Membership.objects.create(user=alice, agency=agency, role="editor")
    Membership.objects.create(user=alice, agency=agency, role="analyst")
    Membership.objects.create(user=alice, agency=None, role="moderator")
    Suspension.objects.create(
        user=alice,
        until=timezone.now() + timedelta(days=2),
        reason="spam",
        created_by=bob,
        created_at=timezone.now(),
    )
    consent_withdraw(user=alice, language="th")
    facts = viewer.facts(alice.pk)
    assert facts.identity_verified and facts.verified_email
    assert not facts.consented and facts.suspended
    assert facts.roles == {("editor", agency.pk), ("analyst", agency.pk), ("moderator", None)}
    assert assurance_level(alice) == Level.IDENTITY


def test_ended_or_lifted_suspensions_do_not_count(alice, bob):
    now = timezone.now()
    common = {"user": alice, "reason": "spam", "created_by": bob, "created_at": now}
    Suspension.objects.create(until=now - timedelta(minutes=1), **common)
    Suspension.objects.create(until=now + timedelta(days=1), lifted_at=now, **common)
    assert not viewer.facts(alice.pk).suspended


def test_pending_comments_are_known(alice, consultation):
    assert not viewer.facts(alice.pk).has_pending_comments
    # Abuse is held for review.
    comment = comment_create(consultation=consultation, author=alice, body="ไอ้ควาย รัฐบาลโง่")
    assert comment.status == "pending"
    assert viewer.facts(alice.pk).has_pending_comments


def test_one_query_per_request_and_forgotten_after_a_change(alice, django_assert_num_queries):
    token = memo._store.set({})
    try:
        with django_assert_num_queries(1):
            assert has_consented(alice)
            assert assurance_level(alice) == Level.EMAIL
            assert not is_suspended(alice)
            assert roles_of(alice) == frozenset()
        consent_withdraw(user=alice, language="en")  # calls forget()
        assert not has_consented(alice)
    finally:
        memo._store.reset(token)
