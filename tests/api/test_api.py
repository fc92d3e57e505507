"""The public API: the permission matrix of the pages, through tokens; tokens themselves;
screening, consent and rate limits exactly as on the pages; cursors, ETag, CORS, problems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Consent
from api.models import ApiToken
from api.services import token_create, token_revoke
from comments.models import Comment, Vote
from comments.services import comment_create
from moderation.models import Flag
from tests.accounts.test_permission_matrix import (  # noqa: F401 - fixtures
    ALLOWED,
    ROLES,
    STATES,
    other_agency,
    people,
)
from topics.models import Position

API = "/api/v1"


def bearer(plaintext: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def write_token(user) -> str:
    return token_create(user=user, name="test", scope="write", days=30)[1]


# --- the permission matrix, through the API --------------------------------------------------


def _api_comment(client, headers, consultation, comment):
    before = Comment.objects.filter(consultation=consultation).count()
    r = client.post(
        f"{API}/consultations/{consultation.slug}/comments",
        {"body": "ความเห็นผ่าน API", "stance": "support"},
        content_type="application/json",
        **headers,
    )
    created = Comment.objects.filter(consultation=consultation).count() - before
    if r.status_code == 201 and created == 1:
        return True, "created"
    assert created == 0, "refused but written"
    assert r["Content-Type"] == "application/problem+json", r.content
    return False, f"HTTP {r.status_code}"


def _api_vote(client, headers, consultation, comment):
    r = client.post(
        f"{API}/comments/{comment.pk}/vote",
        {"value": 1},
        content_type="application/json",
        **headers,
    )
    voted = Vote.objects.filter(comment=comment).exists()
    if r.status_code == 200 and voted:
        return True, "voted"
    assert not voted, "refused but written"
    return False, f"HTTP {r.status_code}"


def _api_position(client, headers, consultation, comment):
    r = client.post(
        f"{API}/consultations/{consultation.slug}/position",
        {"value": "support"},
        content_type="application/json",
        **headers,
    )
    taken = Position.objects.filter(consultation=consultation).exists()
    if r.status_code == 200 and taken:
        return True, "recorded"
    assert not taken, "refused but written"
    return False, f"HTTP {r.status_code}"


READS = [
    "/consultations/{slug}",
    "/consultations/{slug}/comments",
    "/consultations/{slug}/counts",
    "/consultations/{slug}/opinion",
    "/consultations/{slug}/moderation",
    "/comments/{comment}",
    "/comments/{comment}/replies",
]


def _api_read(client, headers, consultation, comment):
    """Every read endpoint of one consultation: all answer, or none does."""
    statuses = {
        path: client.get(
            API + path.format(slug=consultation.slug, comment=comment.pk), **headers
        ).status_code
        for path in READS
    }
    if set(statuses.values()) == {200}:
        return True, "200"
    # refused alike everywhere (a dead token is refused even for reading)
    assert len(set(statuses.values())) == 1 and statuses[READS[0]] in (401, 404), statuses
    return False, f"HTTP {statuses[READS[0]]}"


def _api_flag(client, headers, consultation, comment):
    from moderation.models import Flag

    r = client.post(
        f"{API}/comments/{comment.pk}/flag",
        {"reason": "spam"},
        content_type="application/json",
        **headers,
    )
    flagged = Flag.objects.filter(comment=comment).exists()
    if r.status_code == 200 and flagged:
        return True, "flagged"
    assert not flagged, "refused but written"
    return False, f"HTTP {r.status_code}"


API_RUNNERS = {
    "page": _api_read,
    "comment": _api_comment,
    "vote": _api_vote,
    "position": _api_position,
    "flag": _api_flag,
}

# Reporting a comment: anyone signed in who can see the consultation (moderation.flag_comment).
FLAG_ALLOWED = {
    role: (states if role != "anonymous" else set()) for role, states in ALLOWED["page"].items()
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("endpoint", sorted(API_RUNNERS))
def test_api_permission_matrix(endpoint, state, people, make_consultation):  # noqa: F811
    """The same cells as the pages' matrix (tests/accounts/test_permission_matrix.py)."""
    wrong = []
    for role in ROLES:
        user = people[role]
        consultation = make_consultation(state)
        comment = comment_create(
            consultation=consultation, author=None, body="ตัวอย่าง", channel="offline"
        )
        headers = bearer(write_token(user)) if user is not None else {}
        ok, detail = API_RUNNERS[endpoint](Client(), headers, consultation, comment)
        row = FLAG_ALLOWED if endpoint == "flag" else ALLOWED[endpoint]
        # A token is not a second factor: what only staff may do with one (see a draft) is
        # refused through it, for every role.
        expected = state in row[role] and not (user is not None and state == "draft")
        if ok != expected:
            wrong.append(f"{role}: expected {'allowed' if expected else 'refused'}, got {detail}")
    assert not wrong, f"{endpoint} / {state}:\n" + "\n".join(wrong)


# --- tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(API_RUNNERS))
def test_revoked_expired_and_read_only_tokens_cannot_write(
    endpoint, alice, consultation, make_consultation
):
    comment = comment_create(
        consultation=consultation, author=None, body="ตัวอย่าง", channel="offline"
    )
    revoked_token, revoked = token_create(user=alice, name="r", scope="write", days=30)
    token_revoke(token=revoked_token, user=alice)
    expired_token, expired = token_create(user=alice, name="e", scope="write", days=30)
    ApiToken.objects.filter(pk=expired_token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    _read_only_token, read_only = token_create(user=alice, name="ro", scope="read", days=30)
    for plaintext, status in ((revoked, 401), (expired, 401), (read_only, 403)):
        client = Client()
        ok, detail = API_RUNNERS[endpoint](client, bearer(plaintext), consultation, comment)
        if endpoint == "page":  # reading: a read-only token reads; a dead one is refused
            assert ok == (status == 403), detail
        else:
            assert not ok and detail == f"HTTP {status}", (plaintext[:6], detail)


def test_read_only_token_write_is_a_problem_with_a_code(alice, consultation):
    _t, read_only = token_create(user=alice, name="ro", scope="read", days=30)
    r = Client().post(
        f"{API}/consultations/{consultation.slug}/comments",
        {"body": "x"},
        content_type="application/json",
        **bearer(read_only),
    )
    assert r.status_code == 403
    assert r["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "insufficient_scope" and body["status"] == 403 and body["title"]


def test_token_is_stored_hashed_and_shown_once_on_the_profile_page(alice):
    client = Client()
    client.force_login(alice)
    r = client.post("/me/tokens/", {"name": "my script", "scope": "write", "days": "30"})
    assert r.status_code == 200
    token = ApiToken.objects.get(user=alice)
    plaintext = r.context["created"]
    assert plaintext.startswith("ct_") and plaintext.encode() in r.content
    assert plaintext not in (token.digest, token.prefix) and len(token.digest) == 64
    again = client.get("/me/tokens/")
    assert plaintext.encode() not in again.content and token.prefix.encode() in again.content
    me = Client().get(f"{API}/me", **bearer(plaintext))
    assert me.json() == {"display_name": "Alice", "scope": "write"}
    client.post(f"/me/tokens/{token.pk}/revoke/")
    assert Client().get(f"{API}/me", **bearer(plaintext)).status_code == 401


def test_someone_else_cannot_revoke_my_token(alice, bob):
    token, plaintext = token_create(user=alice, name="mine", scope="read", days=5)
    client = Client()
    client.force_login(bob)
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert Client().get(f"{API}/me", **bearer(plaintext)).status_code == 200


def test_bad_token_form_changes_nothing(alice):
    client = Client()
    client.force_login(alice)
    r = client.post("/me/tokens/", {"name": "", "scope": "admin", "days": "x"})
    assert r.status_code == 400 and not ApiToken.objects.exists()


# --- the same rules as the pages ---------------------------------------------------------


def _page_post(client, consultation, body):
    return client.post(
        f"/c/{consultation.slug}/comments/",
        {"body": body, "stance": "neutral"},
        HTTP_ACCEPT="application/json",
    )


def _api_post(headers, consultation, body):
    return Client().post(
        f"{API}/consultations/{consultation.slug}/comments",
        {"body": body, "stance": "neutral"},
        content_type="application/json",
        **headers,
    )


def test_screening_masks_and_refuses_as_on_the_page(alice, bob, consultation):
    text = "โทรหาผมที่ 081-234-5678 ได้เลยครับ"
    page_client = Client()
    page_client.force_login(bob)
    assert _page_post(page_client, consultation, text).status_code == 201
    r = _api_post(bearer(write_token(alice)), consultation, text)
    assert r.status_code == 201
    page_comment = Comment.objects.get(author=bob)
    api_comment = Comment.objects.get(author=alice)
    assert api_comment.body == page_comment.body and "081-234-5678" not in api_comment.body
    assert r.json()["status"] == page_comment.status
    # an empty comment is refused by the same service with the same message
    refused_page = _page_post(page_client, consultation, "   ")
    refused_api = _api_post(bearer(write_token(alice)), consultation, "   ")
    assert (refused_page.status_code, refused_api.status_code) == (400, 400)
    assert refused_api.json()["code"] == "empty"
    assert refused_api.json()["detail"] in str(refused_page.json()["errors"])


def test_consent_is_required_as_on_the_page(make_user, consultation):
    dora = make_user("dora", consented=False)
    page_client = Client()
    page_client.force_login(dora)
    page = _page_post(page_client, consultation, "ความเห็น")
    api = _api_post(bearer(write_token(dora)), consultation, "ความเห็น")
    # The page asks for consent in the form itself (a tick box); the API cannot show the
    # notice, so it refuses until consent is given on the site.
    assert page.status_code == 400 and "consent" in page.json()["errors"]
    assert api.status_code == 403 and api.json()["code"] == "consent_required"
    assert not Comment.objects.exists()
    Consent.objects.create(user=dora, notice_version="x", language="th")  # an old notice
    assert _api_post(bearer(write_token(dora)), consultation, "ความเห็น").status_code == 403


def test_rate_limit_is_shared_with_the_page(settings, alice, consultation):
    settings.RATE_LIMITS = {"comment": {"user": "2/60"}, "vote": {}}
    page_client = Client()
    page_client.force_login(alice)
    headers = bearer(write_token(alice))
    assert _page_post(page_client, consultation, "หนึ่ง").status_code == 201
    assert _api_post(headers, consultation, "สอง").status_code == 201
    third = _api_post(headers, consultation, "สาม")
    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert third.json()["code"] == "rate_limited"
    assert _page_post(page_client, consultation, "สี่").status_code == 429
    assert Comment.objects.count() == 2


def test_flag_through_the_api(alice, bob, consultation):
    comment = comment_create(consultation=consultation, author=bob, body="ความเห็นของบ็อบ")
    r = Client().post(
        f"{API}/comments/{comment.pk}/flag",
        {"reason": "spam"},
        content_type="application/json",
        **bearer(write_token(alice)),
    )
    assert r.status_code == 200 and Flag.objects.filter(comment=comment, user=alice).exists()
    own = Client().post(
        f"{API}/comments/{comment.pk}/flag",
        {"reason": "spam"},
        content_type="application/json",
        **bearer(write_token(bob)),
    )
    assert own.status_code == 403 and own.json()["code"] == "not_allowed"


def test_session_writes_need_the_csrf_token(alice, consultation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    r = client.post(
        f"{API}/consultations/{consultation.slug}/comments",
        {"body": "ผ่านเซสชัน"},
        content_type="application/json",
    )
    assert r.status_code in (401, 403) and not Comment.objects.exists()


# --- reads ---------------------------------------------------------------------------------


def test_hidden_comments_are_placeholders_with_the_public_reason(alice, consultation):
    from comments.services import comment_set_status

    shown = comment_create(consultation=consultation, author=alice, body="เห็นได้")
    hidden = comment_create(consultation=consultation, author=alice, body="ข้อความลับ")
    comment_set_status(comment=hidden, status="hidden", reason="off_topic")
    r = Client().get(f"{API}/consultations/{consultation.slug}/comments")
    items = {c["id"]: c for c in r.json()["items"]}
    assert items[shown.pk]["body"] == "เห็นได้" and items[shown.pk]["author"] == "Alice"
    assert items[hidden.pk]["body"] is None and items[hidden.pk]["author"] is None
    assert items[hidden.pk]["status_reason"]
    assert "ข้อความลับ" not in r.content.decode()
    assert "alice@example.org" not in r.content.decode()


def test_cursor_pagination_visits_every_comment_once(consultation):
    made = {
        comment_create(consultation=consultation, author=None, body=f"c{i}", channel="offline").pk
        for i in range(7)
    }
    seen: list[int] = []
    cursor = ""
    for _ in range(10):
        r = Client().get(
            f"{API}/consultations/{consultation.slug}/comments", {"limit": 3, "cursor": cursor}
        )
        assert r.status_code == 200
        seen += [c["id"] for c in r.json()["items"]]
        cursor = r.json()["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)
    bad = Client().get(f"{API}/consultations/{consultation.slug}/comments", {"cursor": "%%%"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_etag_and_cors_for_anonymous_reads(alice, consultation):
    url = f"{API}/consultations/{consultation.slug}"
    first = Client().get(url, HTTP_ORIGIN="https://example.net")
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    comment_create(consultation=consultation, author=alice, body="ใหม่")
    changed = Client().get(f"{url}/counts", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    signed_in = Client().get(url, **bearer(write_token(alice)))
    assert "Access-Control-Allow-Origin" not in signed_in


def test_problem_details_in_the_requests_language(consultation):
    th = Client().get(f"{API}/consultations/nope", HTTP_ACCEPT_LANGUAGE="th")
    en = Client().get(f"{API}/consultations/nope", HTTP_ACCEPT_LANGUAGE="en")
    assert th.status_code == en.status_code == 404
    assert th.json()["code"] == en.json()["code"] == "not_found"
    assert en.json()["detail"] == "No such consultation."


def test_consultation_filters(make_consultation):
    open_one = make_consultation("open", category="health")
    closed_one = make_consultation("closed", category="energy")
    make_consultation("draft")
    everything = Client().get(f"{API}/consultations").json()["items"]
    assert {c["slug"] for c in everything} == {open_one.slug, closed_one.slug}
    closed = Client().get(f"{API}/consultations", {"state": "closed"}).json()["items"]
    assert [c["slug"] for c in closed] == [closed_one.slug]
    health = Client().get(f"{API}/consultations", {"category": "health"}).json()["items"]
    assert [c["slug"] for c in health] == [open_one.slug]
    bad = Client().get(f"{API}/consultations", {"limit": 1000})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"


def test_moderation_report_and_opinion_endpoints(consultation):
    r = Client().get(f"{API}/consultations/{consultation.slug}/moderation")
    assert r.status_code == 200 and r.json()["comments_total"] == 0
    o = Client().get(f"{API}/consultations/{consultation.slug}/opinion")
    assert o.status_code == 200 and o.json()["groups"] == []
    assert "participants" not in o.json()
    report = Client().get(f"{API}/consultations/{consultation.slug}/report")
    assert report.status_code == 404 and report.json()["code"] == "not_found"


def test_anonymous_reads_are_rate_limited_with_retry_after(settings, consultation):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_read": {"ip": "3/60"}}
    client = Client()
    statuses = [client.get(f"{API}/consultations").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"{API}/consultations")
    assert int(limited["Retry-After"]) > 0 and limited.json()["code"] == "rate_limited"
