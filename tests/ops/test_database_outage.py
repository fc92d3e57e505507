"""PostgreSQL away: "try again in a moment" (503 + Retry-After, the site's page or JSON),
never a 500; a client retry with the form's token creates one comment, not two."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from comments.models import Comment


def _database_away():
    return mock.patch.object(
        BaseDatabaseWrapper,
        "cursor",
        side_effect=OperationalError("connection to server failed: Connection refused"),
    )


@pytest.mark.django_db
def test_a_page_while_the_database_is_away_is_a_503_page_with_retry_after(consultation):
    client = Client(raise_request_exception=False)
    with _database_away():
        response = client.get(consultation.get_absolute_url(), HTTP_COOKIE="lang=en")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Try again in a moment" in body
    assert 'class="site-header"' in body  # the site's own layout


@pytest.mark.django_db
def test_a_script_gets_json_503(consultation, alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with _database_away():
        response = client.post(
            reverse("comments:post", args=[consultation.slug]),
            {"body": "x", "stance": "neutral"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 503
    assert response.json()["retry_after"] == 5
    assert response["Retry-After"] == "5"


@pytest.mark.django_db(transaction=True)  # the dropped connection is really closed
def test_a_safe_read_whose_connection_dropped_is_tried_once_more(consultation):
    real = BaseDatabaseWrapper.cursor
    failures = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky(self, *args, **kwargs):
        for exc in failures:
            raise exc
        return real(self, *args, **kwargs)

    client = Client(raise_request_exception=False)
    with mock.patch.object(BaseDatabaseWrapper, "cursor", flaky):
        response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_health_is_alive_and_readiness_says_the_database_is_away(consultation):
    client = Client(raise_request_exception=False)
    with _database_away():
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["database"]["ok"] is False
    assert ready.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_retrying_a_post_with_the_same_token_creates_one_comment(client, alice, consultation):
    client.force_login(alice)
    page = client.get(consultation.get_absolute_url())
    html = page.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    token = html[start : html.index('"', start)]
    assert len(token) >= 16
    url = reverse("comments:post", args=[consultation.slug])
    data = {"body": "ร่างนี้ดี แต่ควรขยายเวลา", "stance": "support", "token": token}
    first = client.post(url, data, HTTP_ACCEPT="application/json")
    again = client.post(url, data, HTTP_ACCEPT="application/json")  # the client's retry
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Comment.objects.filter(author=alice).count() == 1
    # The same form, not reloaded, used for a new comment: a new comment.
    other = client.post(url, {**data, "body": "อีกเรื่องหนึ่ง"}, HTTP_ACCEPT="application/json")
    assert other.json()["id"] != first.json()["id"]
    assert Comment.objects.filter(author=alice).count() == 2


@pytest.mark.django_db
def test_the_same_token_from_two_people_is_two_comments(client, alice, bob, consultation):
    url = reverse("comments:post", args=[consultation.slug])
    data = {"body": "เห็นด้วยกับมาตรา 3", "stance": "support", "token": "s" * 24}
    for person in (alice, bob):
        client.force_login(person)
        assert client.post(url, data, HTTP_ACCEPT="application/json").status_code == 201
    assert Comment.objects.filter(consultation=consultation).count() == 2


@pytest.mark.django_db
def test_a_comment_posted_three_times_is_counted_once(client, alice, consultation):
    client.force_login(alice)
    url = reverse("comments:post", args=[consultation.slug])
    data = {"body": "counted once", "stance": "oppose", "token": "t" * 24}
    for _attempt in range(3):
        client.post(url, data, HTTP_ACCEPT="application/json")
    consultation.refresh_from_db()
    assert Comment.objects.filter(consultation=consultation).count() == 1
    assert consultation.comment_count == 1
