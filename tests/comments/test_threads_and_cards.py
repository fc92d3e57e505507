"""Long threads: a few replies under each comment, the whole thread on its own page. Comment
cards are cached, so a cached card must never show a stale count, status or someone else's view."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Status
from comments.services import comment_create, comment_set_status, vote_cast
from moderation.models import Flag


def shown_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', html)]


def card(html: str, pk: int) -> str:
    """The comment's own card: from its opening tag to the start of its replies."""
    start = html.index(f'id="c{pk}"')
    end = html.find('<div class="replies"', start)
    nested = html.find("<article", start + 1)
    stops = [i for i in (end, nested) if i != -1]
    return html[start : min(stops) if stops else len(html)]


@pytest.fixture
def thread(consultation, alice, bob):
    root = comment_create(consultation=consultation, author=alice, body="ควรห้ามเผาในที่โล่ง")
    base = timezone.now()
    replies = []
    for i in range(7):
        reply = comment_create(
            consultation=consultation, author=bob, body=f"reply number {i}", parent=root
        )
        Comment.objects.filter(pk=reply.pk).update(created_at=base + timedelta(seconds=i))
        replies.append(reply)
    return root, replies


def test_the_page_shows_the_first_replies_and_links_to_the_whole_thread(client, thread, settings):
    root, replies = thread
    page = client.get(root.consultation.get_absolute_url()).content.decode()
    ids = shown_ids(page)
    first = [r.pk for r in replies[: settings.COMMENTS_INLINE_REPLIES]]
    assert [pk for pk in ids if pk != root.pk] == first
    link = reverse("comments:thread", args=[root.consultation.slug, root.pk])
    assert f'href="{link}"' in page
    assert "7" in page[page.index(f'href="{link}"') :][:200]


def test_the_thread_page_shows_every_reply_oldest_first_a_page_at_a_time(client, thread, settings):
    root, replies = thread
    settings.COMMENTS_THREAD_PAGE_SIZE = 5
    url = reverse("comments:thread", args=[root.consultation.slug, root.pk])
    first = client.get(url)
    assert first.status_code == 200
    html = first.content.decode()
    assert shown_ids(html) == [root.pk, *[r.pk for r in replies[:5]]]
    assert f'href="?from={replies[5].pk}"' in html
    second = client.get(url, {"from": replies[5].pk}).content.decode()
    assert shown_ids(second) == [root.pk, replies[5].pk, replies[6].pk]
    assert 'href="?from=' not in second  # the last page has no "More replies"
    assert f'href="{url}"' in second  # ... but leads back to the start


def test_a_pending_reply_is_not_in_the_thread_and_a_bad_start_gives_the_first_page(client, thread):
    root, replies = thread
    comment_set_status(comment=replies[0], status=Status.PENDING)
    url = reverse("comments:thread", args=[root.consultation.slug, root.pk])
    ids = shown_ids(client.get(url, {"from": "nonsense"}).content.decode())
    assert replies[0].pk not in ids and ids[:2] == [root.pk, replies[1].pk]
    huge = client.get(url, {"from": "9" * 40})
    assert huge.status_code == 200 and shown_ids(huge.content.decode())[:2] == ids[:2]


def test_only_visible_top_level_comments_have_a_thread_page(client, thread, make_consultation):
    root, replies = thread
    slug = root.consultation.slug
    assert client.get(reverse("comments:thread", args=[slug, replies[0].pk])).status_code == 404
    other = make_consultation("open")
    assert client.get(reverse("comments:thread", args=[other.slug, root.pk])).status_code == 404
    comment_set_status(comment=root, status=Status.PENDING)
    assert client.get(reverse("comments:thread", args=[slug, root.pk])).status_code == 404


def test_a_reply_posted_without_javascript_opens_the_thread_at_it(client, thread, bob):
    root, _replies = thread
    client.force_login(bob)
    response = client.post(
        reverse("comments:post", args=[root.consultation.slug]),
        {"body": "the eighth reply", "stance": "neutral", "parent": root.pk},
    )
    reply = Comment.objects.get(body="the eighth reply")
    thread_url = reverse("comments:thread", args=[root.consultation.slug, root.pk])
    assert response.status_code == 302
    assert response.url == f"{thread_url}?from={reply.pk}#c{reply.pk}"
    page = client.get(response.url).content.decode()
    assert reply.pk in shown_ids(page) and "the eighth reply" in page


def test_a_new_vote_shows_at_once_although_cards_are_cached(client, consultation, alice, bob):
    comment = comment_create(consultation=consultation, author=alice, body="ลดฝุ่นจากรถบรรทุก")
    url = consultation.get_absolute_url()
    client.force_login(bob)
    before = card(client.get(url).content.decode(), comment.pk)
    assert 'aria-pressed="true"' not in before
    vote_cast(comment=comment, user=bob, value=1)
    after = card(client.get(url).content.decode(), comment.pk)
    assert re.search(
        r'data-value="1" aria-pressed="true">[^<]*<span class="vote-count"[^>]*>1<', after
    )
    comment_set_status(comment=Comment.objects.get(pk=comment.pk), status=Status.HIDDEN)
    hidden = card(client.get(url).content.decode(), comment.pk)
    assert "ลดฝุ่นจากรถบรรทุก" not in hidden and "vote-form" not in hidden


def test_cached_cards_keep_each_viewer_their_own(client, consultation, alice, bob):
    comment = comment_create(consultation=consultation, author=alice, body="Ban open burning.")
    url = consultation.get_absolute_url()
    client.force_login(alice)
    mine = card(client.get(url).content.decode(), comment.pk)
    client.force_login(bob)
    response = client.get(url + "?sort=agreed")
    theirs = card(response.content.decode(), comment.pk)
    assert "report-link" not in mine  # nobody reports their own comment
    assert "report-link" in theirs
    # The page's own address and a valid CSRF token are filled in for this viewer and page.
    assert 'name="next" value="/c/' in theirs and "sort=agreed" in theirs
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', theirs).group(1)
    client.handler.enforce_csrf_checks = True
    try:
        voted = client.post(
            reverse("comments:vote", args=[comment.pk]),
            {"value": "1", "csrfmiddlewaretoken": token},
        )
    finally:
        client.handler.enforce_csrf_checks = False
    assert voted.status_code == 302
    assert Comment.objects.get(pk=comment.pk).agree_count == 1


def test_the_report_page_works_without_javascript(client, consultation, alice, bob):
    comment = comment_create(consultation=consultation, author=alice, body="Ban open burning.")
    flag_url = reverse("moderation:flag", args=[comment.pk])
    # Not signed in: sent to sign in, and back to the report form afterwards.
    anonymous = client.get(flag_url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert "flag" in anonymous.url
    client.force_login(bob)
    form = client.get(flag_url, {"next": consultation.get_absolute_url()})
    assert form.status_code == 200
    assert b"Ban open burning." in form.content and b'name="reason"' in form.content
    missing = client.post(flag_url, {"note": "no reason given"})
    assert missing.status_code == 400 and not Flag.objects.exists()
    sent = client.post(flag_url, {"reason": "spam", "next": consultation.get_absolute_url()})
    assert sent.status_code == 302 and sent.url.endswith(f"#c{comment.pk}")
    assert Flag.objects.filter(comment=comment, user=bob).count() == 1
    # Someone else's page address is not followed.
    client.force_login(alice)
    own = client.get(flag_url, {"next": "https://evil.example/"})
    assert own.status_code == 302 and not own.url.startswith("https://evil.example")


def page_queries(client, consultation) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(consultation.get_absolute_url(), {"sort": "agreed"}).status_code == 200
    return len(queries)


def test_the_page_reads_the_same_number_of_queries_for_few_or_many_comments(
    client, consultation, make_user, alice
):
    section = consultation.sections.first()
    people = [make_user(f"writer{i}") for i in range(12)]  # under the flood limit each
    first = comment_create(consultation=consultation, author=people[0], body="Only one so far")
    comment_create(consultation=consultation, author=people[1], body="And a reply", parent=first)
    few = {"anonymous": page_queries(client, consultation)}
    client.force_login(alice)
    few["signed in"] = page_queries(client, consultation)
    client.logout()

    for i in range(24):
        root = comment_create(
            consultation=consultation,
            author=people[i % 12],
            body=f"Comment {i}",
            section=section if i % 2 else None,
        )
        for j in range(i % 3):
            comment_create(
                consultation=consultation,
                author=people[(i + j + 1) % 12],
                body=f"Reply {j} to {i}",
                parent=root,
            )
        vote_cast(comment=root, user=alice, value=1)
    many = {"anonymous": page_queries(client, consultation)}
    client.force_login(alice)
    many["signed in"] = page_queries(client, consultation)
    page = client.get(consultation.get_absolute_url()).content.decode()
    # Authors' names and section numbers come with the comments, not a query each.
    assert "Writer1" in page and section.number in page
    assert many == few
