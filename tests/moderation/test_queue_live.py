"""The moderators' live queue over the WebSocket: who may connect, new items arrive rendered,
an item claimed by one moderator is withdrawn from the others, decisions reach public pages."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from comments.events import CLIENT_EVENTS
from comments.services import comment_create
from consult.asgi import application
from moderation import services
from moderation.models import Action, QueueItem

pytestmark = pytest.mark.django_db(transaction=True)


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(path: str, user=None) -> tuple[bool, WebsocketCommunicator]:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", (await database_sync_to_async(cookie_for)(user)).encode()))
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await comm.connect(timeout=5)
    return connected, comm


def assert_shape(message: dict) -> None:
    assert set(message) == CLIENT_EVENTS[(message["type"], message["op"])]


async def test_only_moderators_connect(alice, make_staff):
    connected, comm = await connect("/ws/moderation/?lang=en")
    assert not connected
    connected, comm = await connect("/ws/moderation/?lang=en", alice)
    assert not connected
    no_mfa = await database_sync_to_async(make_staff)("nomfa", "moderator", mfa=False)
    connected, comm = await connect("/ws/moderation/?lang=en", no_mfa)
    assert not connected


async def test_new_item_arrives_and_a_claim_withdraws_it_from_the_others(
    alice, make_staff, consultation
):
    local = await database_sync_to_async(make_staff)("lee", "moderator")
    platform = await database_sync_to_async(make_staff)("pat", "moderator", platform=True)
    ok1, lee = await connect("/ws/moderation/?lang=th", local)
    ok2, pat = await connect("/ws/moderation/?lang=en", platform)
    assert ok1 and ok2
    comment = await database_sync_to_async(comment_create)(
        consultation=consultation, author=alice, body="<script>alert(1)</script> ไอ้ควาย"
    )
    for comm in (lee, pat):
        message = await comm.receive_json_from(timeout=5)
        assert_shape(message)
        assert message["op"] == "added" and "ไอ้ควาย" in message["html"]
        assert "<script>" not in message["html"] and "&lt;script&gt;" in message["html"]
    item = await database_sync_to_async(QueueItem.objects.get)(comment=comment)
    assert await database_sync_to_async(services.queue_claim)(item=item, moderator=platform)
    mine = await pat.receive_json_from(timeout=5)
    theirs = await lee.receive_json_from(timeout=5)
    assert_shape(theirs)
    assert theirs == {"type": "queue", "op": "claimed", "id": item.pk, "mine": False}
    assert mine["mine"] is True
    await database_sync_to_async(services.decision_record)(
        comment=comment, moderator=platform, action=Action.APPROVE
    )
    for comm in (lee, pat):
        message = await comm.receive_json_from(timeout=5)
        assert message == {"type": "queue", "op": "decided", "id": item.pk}
    await lee.disconnect()
    await pat.disconnect()


async def test_other_agencies_items_do_not_reach_an_agency_moderator(
    alice, make_staff, make_consultation
):
    from topics.models import Agency

    other = await database_sync_to_async(Agency.objects.create)(slug="x", name_th="x", name_en="x")
    theirs = await database_sync_to_async(make_consultation)("open", agency=other)
    local = await database_sync_to_async(make_staff)("lee", "moderator")
    ok, lee = await connect("/ws/moderation/", local)
    assert ok
    await database_sync_to_async(comment_create)(
        consultation=theirs, author=alice, body="ไอ้ควาย รัฐบาลโง่"
    )
    assert await lee.receive_nothing(timeout=0.5)
    await lee.disconnect()


async def test_a_decision_updates_public_pages_live(alice, make_staff, consultation):
    moderator = await database_sync_to_async(make_staff)("pat", "moderator", platform=True)
    comment = await database_sync_to_async(comment_create)(
        consultation=consultation, author=alice, body="ความเห็นธรรมดา"
    )
    ok, page = await connect(f"/ws/consultations/{consultation.pk}/?lang=en")
    assert ok
    await database_sync_to_async(services.decision_record)(
        comment=comment, moderator=moderator, action=Action.HIDE, reason="off_topic",
        note="Not about this draft.",
    )  # fmt: skip
    message = await page.receive_json_from(timeout=5)
    assert message["op"] == "status" and message["status"] == "hidden"
    assert "Not about this draft." in message["html"] and "Off-topic" in message["html"]
    assert "ความเห็นธรรมดา" not in message["html"]
    await page.disconnect()
