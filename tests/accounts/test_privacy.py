"""Consent before taking part, download my data, delete my account (checked in the database),
retention, and public identity (pseudonyms held for review where the consultation asks)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEntry, Consent, IdentityVerification, Profile
from accounts.services import audit_record, profile_update, purge_expired
from comments.models import Comment, Status, Vote
from comments.services import comment_create, vote_cast
from consult.models import User
from topics.models import Position
from topics.services import position_set


def test_first_comment_needs_explicit_consent(client, make_user, consultation):
    dora = make_user("dora", consented=False)
    client.force_login(dora)
    url = f"/c/{consultation.slug}/comments/"
    data = {"body": "ขอให้ขยายเวลา", "stance": "support"}
    # Asked at the form: without the box ticked nothing is posted and the text stays.
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "consent" in response.json()["errors"]
    response = client.post(url, data)
    assert response.status_code == 400 and "ขอให้ขยายเวลา" in response.content.decode()
    assert 'id="consent-errors"' in response.content.decode()
    comment = Comment.objects.filter(consultation=consultation).first()
    assert comment is None
    # The full notice is in Thai and English; ticking the box is required.
    page = client.get("/me/consent/?next=/c/x/")
    assert "มาตรา 26" in page.content.decode() and "section 26" in page.content.decode()
    client.post("/me/consent/", {"version": settings.CONSENT_NOTICE_VERSION})
    assert not Consent.objects.filter(user=dora).exists()
    response = client.post(
        "/me/consent/",
        {"version": settings.CONSENT_NOTICE_VERSION, "agree": "yes", "next": "/c/x/"},
    )
    assert response.status_code == 302 and response["Location"] == "/c/x/"
    consent = Consent.objects.get(user=dora)
    assert consent.given and consent.notice_version == settings.CONSENT_NOTICE_VERSION
    assert client.post(url, data, HTTP_ACCEPT="application/json").status_code == 201
    # Withdrawn: no more comments or votes.
    client.post("/me/consent/", {"action": "withdraw"})
    assert client.post(url, data, HTTP_ACCEPT="application/json").status_code == 400
    assert Comment.objects.filter(consultation=consultation).count() == 1


def test_votes_and_positions_need_consent_too(client, make_user, alice, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="หนึ่ง")
    dora = make_user("dora", consented=False)
    client.force_login(dora)
    r = client.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 403 and not Vote.objects.exists()
    r = client.post(
        f"/c/{consultation.slug}/position/", {"value": "oppose"}, HTTP_ACCEPT="application/json"
    )
    assert r.status_code == 403 and not Position.objects.exists()


@pytest.fixture
def busy_person(make_user, alice, make_consultation):
    """Someone who has written, voted, taken positions and verified their identity."""
    from accounts.services import identity_record

    dora = make_user("dora", mfa=True)
    profile_update(user=dora, display_name="ดาวเหนือ", name_kind="pseudonym")
    record_duty = make_consultation("open")  # legal duty: comments are part of the record
    by_consent = make_consultation("open", legal_basis="consent")
    mine = [
        comment_create(consultation=record_duty, author=dora, body="ข้อความของดาว หนึ่ง"),
        comment_create(consultation=by_consent, author=dora, body="ข้อความของดาว สอง"),
    ]
    reply = comment_create(consultation=record_duty, author=alice, body="ตอบ", parent=mine[0])
    theirs = comment_create(consultation=record_duty, author=alice, body="ของอลิซ")
    vote_cast(comment=theirs, user=dora, value=-1)
    vote_cast(comment=reply, user=dora, value=1)
    position_set(consultation=record_duty, user=dora, value="oppose")
    SocialAccount.objects.create(user=dora, provider="line", uid="U1234", extra_data={"n": 1})
    identity_record(user=dora, id_hash="f" * 64, provider="thaid")
    return dora, mine, theirs, by_consent


def test_download_contains_everything_the_person_wrote(client, busy_person):
    dora, mine, theirs, _ = busy_person
    client.force_login(dora)
    response = client.get("/me/data/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "dora@example.org"
    assert data["account"]["display_name"] == "ดาวเหนือ"
    assert data["account"]["name_kind"] == "pseudonym"
    assert sorted(c["body"] for c in data["comments"]) == sorted(c.body for c in mine)
    assert {v["comment"] for v in data["votes"]} == set(
        Vote.objects.filter(user=dora).values_list("comment_id", flat=True)
    )
    assert data["positions"][0]["value"] == "oppose"
    assert data["consents"][0]["given"] is True
    assert data["sign_in_providers"][0]["provider"] == "line"
    assert data["identity_verification"]["provider"] == "thaid"
    assert data["authenticators"][0]["type"] == "totp"
    assert data["email_addresses"][0]["verified"] is True


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deletion_leaves_no_personal_data(client, busy_person, choice):
    dora, mine, theirs, by_consent = busy_person
    pk = dora.pk
    theirs.refresh_from_db()
    counts_before = (theirs.agree_count, theirs.disagree_count)
    client.force_login(dora)
    response = client.post("/me/delete/", {"comments": choice, "confirm": "on"})
    assert response.status_code == 302

    assert not User.objects.filter(pk=pk).exists()
    for model in (Consent, IdentityVerification, Profile, SocialAccount):
        assert not model.objects.filter(user_id=pk).exists()
    assert not Comment.objects.filter(author_id=pk).exists()
    assert not Vote.objects.filter(user_id=pk).exists()
    assert not Position.objects.filter(user_id=pk).exists()
    # Votes and positions remain only as anonymous counts.
    theirs.refresh_from_db()
    assert (theirs.agree_count, theirs.disagree_count) == counts_before
    assert Vote.objects.filter(comment=theirs, user__isnull=True).count() == 1
    assert Position.objects.filter(user__isnull=True, value="oppose").count() == 1
    kept_on_record = Comment.objects.get(pk=mine[0].pk)
    assert kept_on_record.body == mine[0].body
    assert kept_on_record.author_id is None and kept_on_record.author_name == ""
    on_consent = Comment.objects.get(pk=mine[1].pk)
    if choice == "remove":
        assert on_consent.body == "" and on_consent.status == Status.REMOVED
        by_consent.refresh_from_db()
        assert by_consent.comment_count == 0
    else:
        assert on_consent.body == mine[1].body and on_consent.author_id is None
    everything = dump()
    for personal in ("dora@example.org", "ดาวเหนือ", "U1234", "f" * 64):
        assert personal not in everything
    if choice == "remove":
        assert mine[1].body not in everything
    # Signed out.
    assert client.get("/me/").status_code == 302


def test_deletion_needs_confirmation(client, busy_person):
    dora = busy_person[0]
    client.force_login(dora)
    response = client.post("/me/delete/", {"comments": "remove"})
    assert response.status_code == 200 and User.objects.filter(pk=dora.pk).exists()


def test_retention_purge(alice, consultation):
    fresh = audit_record(actor=alice, action="x", obj=consultation, ip_address="203.0.113.9")
    old = audit_record(actor=alice, action="y", obj=consultation, ip_address="203.0.113.10")
    ancient = audit_record(actor=alice, action="z", obj=consultation, ip_address="203.0.113.11")
    now = timezone.now()
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=settings.RETENTION_IP_DAYS + 1)
    )
    AuditEntry.objects.filter(pk=ancient.pk).update(
        created_at=now - timedelta(days=settings.RETENTION_AUDIT_DAYS + 1)
    )
    assert purge_expired() == {"ip_addresses": 2, "audit_entries": 1}
    assert AuditEntry.objects.get(pk=fresh.pk).ip_address == "203.0.113.9"
    assert AuditEntry.objects.get(pk=old.pk).ip_address is None
    assert not AuditEntry.objects.filter(pk=ancient.pk).exists()


def test_audit_entries_cannot_be_edited(alice, consultation, admin_client):
    entry = audit_record(actor=alice, action="x", obj=consultation)
    entry.action = "changed"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert admin_client.get("/admin/accounts/auditentry/").status_code == 200
    assert admin_client.get(f"/admin/accounts/auditentry/{entry.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/accounts/auditentry/{entry.pk}/change/", {"action": "y"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "x"


@pytest.mark.parametrize(
    ("display_name", "kind", "policy", "status"),
    [
        ("Dora Real", "real", "hold", Status.PUBLISHED),
        ("ดาวเหนือ", "pseudonym", "hold", Status.PENDING),
        ("", "real", "hold", Status.PENDING),  # no name: "Participant N", anonymous
        ("ดาวเหนือ", "pseudonym", "publish", Status.PUBLISHED),
    ],
)
def test_pseudonymous_comments_follow_the_consultation_policy(
    make_user, make_consultation, display_name, kind, policy, status
):
    dora = make_user("dora")
    profile_update(user=dora, display_name=display_name, name_kind=kind)
    consultation = make_consultation("open", unnamed_comments=policy)
    comment = comment_create(consultation=consultation, author=dora, body="ความเห็น")
    assert comment.status == status


def test_profile_page_sets_the_public_name(client, alice):
    client.force_login(alice)
    response = client.post("/me/", {"display_name": "นกฮูก", "name_kind": "pseudonym"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "นกฮูก" and alice.profile.name_kind == "pseudonym"
    response = client.post("/me/", {"display_name": "a@b.org", "name_kind": "real"})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.display_name == "นกฮูก"
