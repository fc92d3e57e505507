"""The opinion map follows the votes: debounced background refresh, pushed live to opinion
pages (and only to them), with the viewer marked on the map."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from analytics.models import OpinionMap
from analytics.services import opinion_map_refresh
from comments.events import CLIENT_EVENTS
from comments.models import Status, Vote
from comments.services import comment_create, comment_set_status, vote_cast
from consult.asgi import application


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.ANALYTICS_OPINION_DEBOUNCE_SECONDS = 30
    cache.clear()
    from django_tasks import task_backends

    yield task_backends["default"]
    cache.clear()


def refreshes(backend) -> list:
    return [r for r in backend.results if r.task.name == "refresh_opinion_map"]


def seed_votes(consultation, *, people: int = 20, comments: int = 8) -> list:
    made = [
        comment_create(consultation=consultation, author=None, body=f"comment number {i}")
        for i in range(comments)
    ]
    now = timezone.now()
    Vote.objects.bulk_create(
        Vote(
            consultation=consultation,
            comment=c,
            external_voter=f"p{p}",
            value=(1 if (p < people // 2) == (j < comments // 2) else -1),
            created_at=now,
            updated_at=now,
        )
        for p in range(people)
        for j, c in enumerate(made)
    )
    return made


@pytest.mark.django_db
def test_votes_queue_one_refresh_per_window(
    consultation, make_user, dummy_tasks, django_capture_on_commit_callbacks
):
    comment = comment_create(consultation=consultation, author=None, body="Vote on me")
    voters = [make_user(f"v{i}") for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        for voter in voters:
            vote_cast(comment=comment, user=voter, value=1)
    queued = refreshes(dummy_tasks)
    assert len(queued) == 1 and queued[0].args == [consultation.pk]
    assert queued[0].task.run_after is not None  # runs at the end of the window
    with django_capture_on_commit_callbacks(execute=True):  # hiding a comment changes the map
        comment_set_status(comment=comment, status=Status.HIDDEN)
    assert len(refreshes(dummy_tasks)) == 1  # still inside the window
    cache.clear()  # the window ends
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment=comment, status=Status.PUBLISHED)
    assert len(refreshes(dummy_tasks)) == 2


@pytest.mark.django_db
def test_refresh_keeps_group_labels_and_marks_the_viewer(client, consultation, make_user):
    seed_votes(consultation)
    first = opinion_map_refresh(consultation=consultation)
    second = opinion_map_refresh(consultation=consultation)
    assert second.version == first.version + 1
    assert first.result["participants"] == second.result["participants"]
    assert len(set(first.result["participants"].values())) == 2

    citizen = make_user("citizen")
    client.force_login(citizen)
    page = client.get(reverse("analytics:opinion", args=[consultation.slug])).content.decode()
    assert "Vote on 7 more comments" in page or "ลงคะแนน" in page
    assert "<svg" in page and "<polygon" in page  # map and group outlines without JavaScript


@pytest.mark.django_db(transaction=True)
async def test_new_map_is_pushed_to_opinion_pages_only(consultation, alice):
    await database_sync_to_async(seed_votes)(consultation)
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    opinion_page = WebsocketCommunicator(
        application, f"/ws/consultations/{consultation.pk}/?opinion=1&lang=en", headers=headers
    )
    thread_page = WebsocketCommunicator(
        application, f"/ws/consultations/{consultation.pk}/?lang=en", headers=headers
    )
    assert (await opinion_page.connect(timeout=5))[0]
    assert (await thread_page.connect(timeout=5))[0]
    fresh = await database_sync_to_async(opinion_map_refresh)(consultation=consultation)
    message = await opinion_page.receive_json_from(timeout=10)
    assert set(message) == CLIENT_EVENTS[("opinion", "map")]
    assert message["version"] == fresh.version
    assert "<svg" in message["html"] and "Group A" in message["html"]
    assert await thread_page.receive_nothing(timeout=0.5)
    # a page that reconnects says which version it shows and gets only a newer one
    await opinion_page.send_json_to({"type": "opinion", "version": fresh.version})
    assert await opinion_page.receive_nothing(timeout=0.5)
    await opinion_page.send_json_to({"type": "opinion", "version": 0})
    again = await opinion_page.receive_json_from(timeout=10)
    assert again["version"] == fresh.version
    await opinion_page.disconnect()
    await thread_page.disconnect()
    assert await database_sync_to_async(OpinionMap.objects.count)() == 1
