"""What was wrong on the pages: the section view, voting on one's own comment, the my-data
file name, the position block's place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from comments.models import Vote
from comments.services import comment_create

pytestmark = pytest.mark.django_db


def test_section_view_shows_its_text_and_its_own_count(client, consultation, alice):
    s1, s2 = consultation.sections.order_by("position")
    s1.text = "ผู้ประกอบการต้องติดตั้งเครื่องตรวจวัด"
    s1.save()
    comment_create(consultation=consultation, author=alice, body="On one", section=s1)
    comment_create(consultation=consultation, author=alice, body="On two", section=s2)
    comment_create(consultation=consultation, author=alice, body="On two again", section=s2)
    s1.refresh_from_db()
    assert s1.comment_count == 1
    client.cookies["lang"] = "en"
    html = client.get(consultation.get_absolute_url(), {"section": s1.pk}).content.decode()
    heading = html.split('id="comments-h"')[1].split("</h2>")[0]
    assert "1 comment" in heading and "3" not in heading
    focus = html.split('class="card section-focus"')[1].split("</section>")[0]
    assert "ผู้ประกอบการต้องติดตั้งเครื่องตรวจวัด" in focus


def test_no_vote_on_ones_own_comment(client, consultation, alice):
    own = comment_create(consultation=consultation, author=alice, body="Mine")
    client.force_login(alice)
    client.cookies["lang"] = "en"
    response = client.post(
        reverse("comments:vote", args=[own.pk]), {"value": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "You cannot vote on your own comment."
    assert not Vote.objects.exists()
    page = client.get(consultation.get_absolute_url()).content.decode()
    card = page.split(f'id="c{own.pk}"')[1].split("</article>")[0]
    assert "vote-form" not in card and "own-note" in card


def test_my_data_file_is_named_with_the_local_date(client, alice, settings):
    from unittest import mock

    # 20:30 UTC on 1 March is already 2 March in Bangkok (UTC+7).
    moment = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    client.force_login(alice)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        response = client.get(reverse("accounts:data_download"))
    assert 'filename="my-data-20260302.json"' in response["Content-Disposition"]


def test_position_block_comes_before_the_comments(client, consultation, alice):
    client.force_login(alice)
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert html.index('id="position"') < html.index('id="comments"')
