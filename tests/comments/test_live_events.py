"""Live updates over the WebSocket, tested through the real ASGI application."""

import asyncio
import logging
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from comments.events import CLIENT_EVENTS
from comments.selectors import live_position
from comments.services import comment_create, comment_set_status, vote_cast
from consult.asgi import application
from topics.services import position_set

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(
    consultation_id: int, *, lang: str = "th", cookie: str = ""
) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    comm = WebsocketCommunicator(
        application, f"/ws/consultations/{consultation_id}/?lang={lang}", headers=headers
    )
    connected, _code = await comm.connect(timeout=5)
    assert connected
    return comm


def assert_shape(message: dict) -> None:
    assert set(message) == CLIENT_EVENTS[(message["type"], message["op"])]


async def test_new_comment_arrives_rendered_and_escaped(alice, consultation):
    comm = await connect(consultation.pk)
    comment = await database_sync_to_async(comment_create)(
        consultation=consultation,
        author=alice,
        body="<script>alert(1)</script> ฝุ่นหนักมาก",
        stance="oppose",
    )
    message = await comm.receive_json_from(timeout=5)
    assert_shape(message)
    assert (
        message["type"] == "comment" and message["op"] == "created" and message["id"] == comment.pk
    )
    assert "ฝุ่นหนักมาก" in message["html"] and "&lt;script&gt;" in message["html"]
    assert "<script>" not in message["html"]
    assert "ไม่เห็นด้วย" in message["html"]  # stance label in Thai
    await comm.disconnect()


async def test_comment_is_rendered_in_the_viewers_language(alice, consultation):
    thai = await connect(consultation.pk, lang="th")
    english = await connect(consultation.pk, lang="en")
    await database_sync_to_async(comment_create)(
        consultation=consultation, author=alice, body="Hello", stance="support"
    )
    th_html = (await thai.receive_json_from(timeout=5))["html"]
    en_html = (await english.receive_json_from(timeout=5))["html"]
    assert "เห็นด้วย" in th_html and ">Support<" in en_html
    await thai.disconnect()
    await english.disconnect()


async def test_vote_storm_is_coalesced_into_few_messages_with_exact_counts(
    alice, consultation, make_user, settings
):
    settings.LIVE_VOTE_COALESCE_SECONDS = 0.3
    comment = await database_sync_to_async(comment_create)(
        consultation=consultation, author=alice, body="Vote on me"
    )
    voters = await database_sync_to_async(lambda: [make_user(f"v{i}") for i in range(30)])()
    comm = await connect(consultation.pk)
    started = time.monotonic()
    for i, voter in enumerate(voters):
        await database_sync_to_async(vote_cast)(
            comment=comment, user=voter, value=1 if i % 3 else -1
        )
    elapsed = time.monotonic() - started
    messages = []
    while not await comm.receive_nothing(timeout=1):
        messages.append(await comm.receive_json_from())
    # at most one message per coalescing window (plus the trailing one), never one per vote
    windows = int(elapsed / settings.LIVE_VOTE_COALESCE_SECONDS) + 2
    assert 1 <= len(messages) <= min(windows, 29)
    for m in messages:
        assert_shape(m)
    assert messages[-1]["counts"][str(comment.pk)] == {"agree": 20, "disagree": 10, "pass": 0}
    await comm.disconnect()


async def test_moderation_decision_replaces_the_comment(alice, consultation):
    comment = await database_sync_to_async(comment_create)(
        consultation=consultation, author=alice, body="Rude words"
    )
    comm = await connect(consultation.pk, lang="en")
    await database_sync_to_async(comment_set_status)(
        comment=comment, status="hidden", reason="abuse", note="Insult"
    )
    message = await comm.receive_json_from(timeout=5)
    assert_shape(message)
    assert message["op"] == "status" and message["status"] == "hidden"
    assert "hidden by a moderator" in message["html"] and "Insult" in message["html"]
    assert "Rude words" not in message["html"]
    await comm.disconnect()


async def test_positions_are_pushed(alice, consultation):
    comm = await connect(consultation.pk)
    await database_sync_to_async(position_set)(
        consultation=consultation, user=alice, value="oppose"
    )
    message = await comm.receive_json_from(timeout=5)
    assert_shape(message)
    assert message["counts"] == {"support": 0, "oppose": 1, "undecided": 0}
    await comm.disconnect()


async def test_rolled_back_write_emits_nothing(alice, consultation):
    comm = await connect(consultation.pk)

    def failing_write():
        with transaction.atomic():
            comment_create(consultation=consultation, author=alice, body="Never committed")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(failing_write)()
    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()


async def test_reconnecting_client_catches_up(alice, bob, consultation):
    first = await database_sync_to_async(comment_create)(
        consultation=consultation, author=alice, body="Seen before"
    )
    seen = await database_sync_to_async(live_position)(consultation.pk)
    missed = [
        await database_sync_to_async(comment_create)(
            consultation=consultation, author=bob, body=f"Missed {i}"
        )
        for i in range(2)
    ]
    await database_sync_to_async(vote_cast)(comment=first, user=bob, value=1)
    comm = await connect(consultation.pk)
    await comm.send_json_to({"type": "sync", "seq": seen, "ids": [first.pk]})
    batch = await comm.receive_json_from(timeout=5)
    assert_shape(batch)
    assert [m["id"] for m in batch["events"]] == [c.pk for c in missed]
    assert batch["seq"] == seen + 2 and batch["more"] is False
    for m in batch["events"]:
        assert_shape(m)
    counts = await comm.receive_json_from(timeout=5)
    assert counts["counts"][str(first.pk)]["agree"] == 1
    await comm.disconnect()


async def test_garbage_from_the_client_is_ignored(consultation):
    comm = await connect(consultation.pk)
    await comm.send_json_to({"type": "sync", "after": "x", "ids": ["y"]})
    await comm.send_json_to(["not", "a", "dict"])
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def test_draft_consultation_refuses_the_connection(make_consultation):
    draft = await database_sync_to_async(make_consultation)("draft")
    comm = WebsocketCommunicator(
        application,
        f"/ws/consultations/{draft.pk}/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await comm.connect(timeout=5)
    assert not connected


async def test_foreign_origin_is_refused(consultation):
    comm = WebsocketCommunicator(
        application,
        f"/ws/consultations/{consultation.pk}/",
        headers=[(b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await comm.connect(timeout=5)
    assert not connected


async def test_posting_still_succeeds_when_the_channel_layer_is_down(
    alice, consultation, monkeypatch, caplog
):
    class BrokenLayer:
        async def group_send(self, *args, **kwargs):
            raise ConnectionError("layer down")

        async def new_channel(self, *args, **kwargs):
            raise ConnectionError("layer down")

    monkeypatch.setattr("comments.live.get_channel_layer", lambda: BrokenLayer())
    with caplog.at_level(logging.WARNING, logger="comments.live"):
        comment = await database_sync_to_async(comment_create)(
            consultation=consultation, author=alice, body="Still saved"
        )
        await asyncio.sleep(0.1)
    assert comment.pk is not None
    assert "live update not sent" in caplog.text
