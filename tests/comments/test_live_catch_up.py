"""Numbered live events: exact catch-up whatever the page's sort or section, one listener per
process (the hub) doing the per-event work once, variants picked per connection, resync when
messages were dropped."""

from __future__ import annotations

import asyncio
import json
import re
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from comments import consumers, hub, live
from comments.events import CLIENT_EVENTS, consultation_changed, group_message
from comments.models import LiveEvent
from comments.selectors import live_position
from comments.services import comment_create, comment_edit, comment_set_status, vote_cast
from consult.asgi import application
from consult.errors import ServiceError
from consult.signals import report_published

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def connect(
    consultation_id: int, *, lang: str = "en", cookie: str = ""
) -> WebsocketCommunicator:
    headers = list(HEADERS)
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    comm = WebsocketCommunicator(
        application, f"/ws/consultations/{consultation_id}/?lang={lang}", headers=headers
    )
    connected, _code = await comm.connect(timeout=5)
    assert connected
    return comm


async def sync(comm: WebsocketCommunicator, seq: int, ids: list[int] | None = None) -> dict:
    await comm.send_json_to({"type": "sync", "seq": seq, "ids": ids or []})
    message = await comm.receive_json_from(timeout=5)
    assert set(message) == CLIENT_EVENTS[(message["type"], message["op"])]
    return message


def post(consultation, author, body: str, **fields):
    comment = comment_create(consultation=consultation, author=author, body=body, **fields)
    assert comment.status == "published", comment.status
    return comment


# --- a page rendered after N comments gets none of them again -------------------------------


@pytest.mark.parametrize("sort", ["newest", "agreed", "divisive"])
def test_a_rendered_page_is_replayed_nothing_on_connect(sort, alice, bob, consultation):
    first, second = consultation.sections.order_by("position")
    roots = [
        post(consultation, alice, "About the whole draft"),
        post(consultation, bob, "About section one", section=first),
        post(consultation, alice, "About section two", section=second),
    ]
    post(consultation, bob, "A reply", parent=roots[1])
    hidden = post(consultation, bob, "Soon hidden")
    comment_set_status(comment=hidden, status="hidden", note="Off topic")
    vote_cast(comment=roots[0], user=bob, value=1)
    client = Client()
    client.force_login(alice)
    cookie = session_cookie(alice)
    for section in ("", "general", str(first.pk), str(second.pk)):
        url = f"{consultation.get_absolute_url()}?sort={sort}&section={section}"
        html = client.get(url).content.decode()
        seq = int(re.search(r'data-seq="(\d+)"', html).group(1))
        ids = [int(i) for i in re.findall(r'data-id="(\d+)"', html)]
        assert seq == live_position(consultation.pk) == 6, url  # 5 posts and a decision

        async def check(seq=seq, ids=ids, url=url):
            comm = await connect(consultation.pk, cookie=cookie)
            batch = await sync(comm, seq, ids)
            assert batch["events"] == [] and batch["seq"] == seq, url
            counts = await comm.receive_json_from(timeout=5)
            assert set(counts["counts"]) == {str(i) for i in ids if i != hidden.pk}, url
            assert await comm.receive_nothing(timeout=0.2), url
            await comm.disconnect()

        asyncio.run(check())


def test_catch_up_is_exact_and_independent_of_sort_order(alice, bob, consultation):
    old = [post(consultation, alice, f"Old {i}") for i in range(3)]
    for comment in old:  # the old ones are the most agreed: they would sort first
        vote_cast(comment=comment, user=bob, value=1)
    seen = live_position(consultation.pk)
    new = post(consultation, bob, "New after the page was rendered")
    edited = comment_edit(
        comment=post(consultation, alice, "Typo hre"), user=alice, body="Typo here"
    )
    comment_set_status(comment=old[0], status="removed", note="Spam")
    held_then = post(consultation, bob, "Published, then held")
    comment_set_status(comment=held_then, status="pending")
    now = live_position(consultation.pk)

    async def run():
        comm = await connect(consultation.pk)
        batch = await sync(comm, seen, [c.pk for c in old])
        by_id = {m["id"]: m for m in batch["events"]}
        # Each comment once, as it is now; none of the old ones "created" again.
        assert list(by_id) == [new.pk, edited.pk, old[0].pk]
        assert by_id[new.pk]["op"] == "created"
        assert by_id[edited.pk]["op"] == "created" and "Typo here" in by_id[edited.pk]["html"]
        assert by_id[old[0].pk]["op"] == "status" and by_id[old[0].pk]["status"] == "removed"
        assert batch["seq"] == now and batch["more"] is False
        await comm.disconnect()

    asyncio.run(run())


def test_catch_up_pages_through_everything_missed(make_user, consultation, monkeypatch):
    monkeypatch.setattr(consumers, "SYNC_PAGE", 4)
    seen = live_position(consultation.pk)
    people = [make_user(f"p{i}") for i in range(5)]
    posted = [post(consultation, people[i % 5], f"Comment {i}").pk for i in range(10)]

    async def run():
        comm = await connect(consultation.pk)
        got, seq, pages = [], seen, 0
        while True:
            batch = await sync(comm, seq)
            got += [m["id"] for m in batch["events"]]
            seq, pages = batch["seq"], pages + 1
            if not batch["more"]:
                break
        assert got == posted and pages == 3
        await comm.disconnect()

    asyncio.run(run())


def test_a_page_too_far_behind_is_told_to_reload(alice, bob, consultation, monkeypatch):
    monkeypatch.setattr(consumers, "MAX_BEHIND", 3)
    for i in range(5):
        post(consultation, (alice, bob)[i % 2], f"Comment {i}")

    async def run():
        comm = await connect(consultation.pk)
        assert (await sync(comm, 0))["op"] == "reload"
        assert (await sync(comm, 3))["op"] == "batch"
        assert (await sync(comm, 99))["op"] == "reload"  # a number this server never gave
        await comm.disconnect()

    asyncio.run(run())


def test_sync_counts_only_this_consultations_visible_comments(
    alice, bob, consultation, make_consultation
):
    shown = post(consultation, alice, "Visible")
    hidden = post(consultation, alice, "Hidden later")
    other = post(make_consultation("open"), alice, "Elsewhere")
    for comment in (shown, hidden, other):
        vote_cast(comment=comment, user=bob, value=1)
    comment_set_status(comment=hidden, status="hidden")

    async def run():
        comm = await connect(consultation.pk)
        await comm.send_json_to({"type": "sync", "ids": [shown.pk, hidden.pk, other.pk]})
        counts = await comm.receive_json_from(timeout=5)
        assert counts["counts"] == {str(shown.pk): {"agree": 1, "disagree": 0, "pass": 0}}
        await comm.disconnect()

    asyncio.run(run())


# --- variants: each connection gets its own, nobody renders per connection -----------------


def test_each_connection_gets_its_variant_and_the_author_their_own(alice, bob, consultation):
    cookies = session_cookie(alice), session_cookie(bob)

    async def run():
        author = await connect(consultation.pk, cookie=cookies[0])
        other = await connect(consultation.pk, lang="th", cookie=cookies[1])
        anonymous = await connect(consultation.pk)
        comment = await database_sync_to_async(post)(consultation, alice, "Mine")
        mine, theirs, public = [
            (await c.receive_json_from(timeout=5))["html"] for c in (author, other, anonymous)
        ]
        assert f"/comments/{comment.pk}/edit/" in mine and "report-link" not in mine
        assert "vote-form" not in mine and "own-note" in mine
        assert "report-link" in theirs and "vote-form" in theirs and "edit-link" not in theirs
        with translation.override("th"):
            assert gettext("Report") in theirs and "reply-box" in theirs  # in Thai
        assert "vote-form" not in public and "reply-box" not in public
        for c in (author, other, anonymous):
            await c.disconnect()

    asyncio.run(run())


def test_nothing_is_loaded_or_rendered_per_connection(alice, consultation, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("rendered in the hub: the message should carry every variant")

    monkeypatch.setattr(hub, "_render_missing", forbidden)

    async def run():
        comms = [await connect(consultation.pk, lang=("th", "en")[i % 2]) for i in range(40)]
        layer = get_channel_layer()
        # One member in the consultation's group for the whole process, not one per page
        # (the in-memory layer shows its groups; Redis keeps them on the server).
        in_memory = hasattr(layer, "groups")
        if in_memory:
            assert len(layer.groups[live.group_name(consultation.pk)]) == 1
        assert len(hub.get_hub().watchers[consultation.pk]) == 40
        comment = await database_sync_to_async(post)(consultation, alice, "To everyone")
        for comm in comms:
            message = await comm.receive_json_from(timeout=5)
            assert message["id"] == comment.pk and "To everyone" in message["html"]
        for comm in comms:
            await comm.disconnect()
        assert consultation.pk not in hub.get_hub().watchers
        if in_memory:
            assert live.group_name(consultation.pk) not in layer.groups

    asyncio.run(run())


def test_vote_on_own_comment_is_refused(alice, consultation):
    comment = post(consultation, alice, "My own idea")
    with pytest.raises(ServiceError) as refused:
        vote_cast(comment=comment, user=alice, value=1)
    assert refused.value.code == "own_comment"
    comment.refresh_from_db()
    assert comment.agree_count == 0


# --- dropped messages are noticed and made good ------------------------------------------------


class Recorder:
    wants_opinion = False

    def __init__(self) -> None:
        self.texts: list[str] = []

    def variant_for(self, author_id):
        return "en:r"

    def push(self, text: str, data: bytes | None = None) -> None:
        self.texts.append(text)

    async def opinion_map(self, event: dict) -> None:
        pass


def test_the_hub_fills_a_gap_from_the_database_and_drops_late_duplicates(alice, consultation):
    comments = [post(consultation, alice, f"Number {i}") for i in range(3)]
    seqs = list(LiveEvent.objects.filter(consultation=consultation).values_list("seq", flat=True))
    messages = [
        {**group_message(c, "created", s), "consultation": consultation.pk}
        for c, s in zip(comments, seqs, strict=True)
    ]
    for m in messages:
        m["html"] = {}  # rendered by the hub, as when rendering after commit failed

    async def run():
        h = hub.Hub()
        recorder = Recorder()
        h.watchers[consultation.pk] = {recorder: None}
        await h.handle(messages[0])
        await h.handle(messages[2])  # the second was lost on the way
        await h.handle(messages[1])  # ... or only late: not delivered twice
        return [json.loads(t) for t in recorder.texts]

    got = asyncio.run(run())
    assert [m["seq"] for m in got] == seqs
    assert [m["id"] for m in got] == [c.pk for c in comments]
    assert "Number 1" in got[1]["html"]


def test_a_slow_connection_loses_its_queue_and_is_told_to_resync(monkeypatch):
    monkeypatch.setattr(consumers, "MAX_BACKLOG", 5)
    consumer = consumers.ConsultationConsumer()
    consumer.backlog = consumers.deque()
    consumer.joined = True
    consumer.sender = object()  # a send is still under way: nothing leaves the queue
    for i in range(12):
        consumer.push(f"message {i}")
    # Full at the 6th and again at the 11th: what was queued is dropped, "resync" goes first.
    assert list(consumer.backlog) == [hub.RESYNC_TEXT, "message 11"]
    assert consumer.resyncs == 2


def test_what_was_lost_while_the_channel_layer_failed_is_delivered_from_the_database(
    alice, consultation, monkeypatch
):
    class FlakyLayer:
        def __init__(self) -> None:
            self.fail = asyncio.Event()
            self.joined: list[str] = []

        async def new_channel(self):
            return "hub!1"

        async def group_add(self, group, channel):
            self.joined.append(group)

        async def group_discard(self, group, channel):
            pass

        async def receive(self, channel):
            if not self.fail.is_set():
                await self.fail.wait()
                raise ConnectionError("redis went away")
            await asyncio.sleep(3600)

    layer = FlakyLayer()
    monkeypatch.setattr(hub, "get_channel_layer", lambda: layer)

    async def run():
        h = hub.Hub()
        recorder = Recorder()
        await h.join(consultation.pk, recorder)
        # Posted while the layer was failing: its message never reaches this process.
        comment = await database_sync_to_async(post)(consultation, alice, "Lost on the way")
        layer.fail.set()
        for _ in range(100):
            if recorder.texts:
                break
            await asyncio.sleep(0.05)
        for task in h.tasks:
            task.cancel()
        return comment, [json.loads(t) for t in recorder.texts]

    comment, got = asyncio.run(run())
    assert [(m["op"], m["id"]) for m in got] == [("created", comment.pk)]
    assert "Lost on the way" in got[0]["html"]
    assert layer.joined == [live.group_name(consultation.pk)] * 2  # joined, then joined again


# --- the consultation itself --------------------------------------------------------------


def test_a_published_report_reaches_open_pages_and_late_ones(alice, consultation):
    async def run():
        comm = await connect(consultation.pk)
        seen = await database_sync_to_async(live_position)(consultation.pk)

        def publish():
            with transaction.atomic():
                # The report itself does not matter here (the reports app is above this one).
                report = SimpleNamespace(pk=1)
                report_published.send(
                    sender=type(consultation), report=report, consultation=consultation, actor=alice
                )

        await database_sync_to_async(publish)()
        notice = await comm.receive_json_from(timeout=5)
        assert notice == {
            "type": "consultation",
            "op": "changed",
            "seq": seen + 1,
            "what": "report",
        }
        batch = await sync(comm, seen)
        assert batch["events"] == [notice]
        await comm.disconnect()

    asyncio.run(run())


def test_a_rolled_back_write_leaves_no_event_and_no_hole(alice, consultation):
    post(consultation, alice, "First")
    with pytest.raises(RuntimeError), transaction.atomic():
        post(consultation, alice, "Never committed")
        consultation_changed(consultation.pk, "report")
        raise RuntimeError("boom")
    post(consultation, alice, "Second")
    assert list(
        LiveEvent.objects.filter(consultation=consultation)
        .order_by("seq")
        .values_list("seq", flat=True)
    ) == [1, 2]


def test_old_live_events_are_pruned_and_a_page_that_old_is_told_to_reload(
    alice, bob, consultation, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from comments.tasks import prune_live_events

    settings.LIVE_EVENTS_KEEP_DAYS = 7
    seen = live_position(consultation.pk)
    old = post(consultation, alice, "Posted long ago")
    LiveEvent.objects.filter(comment=old).update(created_at=timezone.now() - timedelta(days=8))
    recent_seen = live_position(consultation.pk)
    recent = post(consultation, bob, "Posted today")
    assert prune_live_events.call() == 1

    async def run():
        comm = await connect(consultation.pk)
        assert await sync(comm, seen) == {"type": "sync", "op": "reload"}
        batch = await sync(comm, recent_seen)
        assert [m["id"] for m in batch["events"]] == [recent.pk]
        await comm.disconnect()

    asyncio.run(run())


def test_a_hub_told_to_stop_stops_even_when_the_layer_turns_that_into_an_error():
    """Closing the server's loop cancels the hub; a channel layer that reports the cancelled
    read as a connection error must not send the hub into rejoining for ever."""
    import asyncio

    from comments.hub import Hub

    class ClosingLayer:
        async def receive(self, channel):
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                raise ConnectionError("connection closed while reading") from None

        async def group_add(self, group, channel):
            raise ConnectionError("redis is gone")

    async def run() -> bool:
        hub = Hub()
        hub.layer = ClosingLayer()
        hub.channel = "hub!1"
        hub.watchers[1] = {}
        task = asyncio.get_running_loop().create_task(hub._run())
        await asyncio.sleep(0.05)
        task.cancel()
        try:
            await asyncio.wait_for(task, timeout=3)
        except asyncio.CancelledError:
            return True
        return False

    assert asyncio.run(run())


def test_an_extension_reaches_every_page_and_the_hubs_copy_of_the_dates(
    consultation, make_user, agency
):
    # Pages share their process's copy of the consultation (one per process, not per page);
    # it decides who is still a participant. Extended: the copy takes the new date, and the
    # pages are told the consultation changed.
    from datetime import timedelta

    from topics.models import Consultation, Membership
    from topics.services import consultation_extend

    editor = make_user("editor")
    Membership.objects.create(user=editor, agency=agency, role="editor")
    shared = Consultation.objects.get(pk=consultation.pk)
    later = consultation.closes_at + timedelta(days=7)
    consultation_extend(actor=editor, consultation=consultation, closes_at=later, reason="ขยายเวลา")
    event = LiveEvent.objects.filter(consultation=consultation).latest("seq")
    assert (event.op, event.detail) == ("changed", "dates")
    message = {
        "type": "live.event",
        "op": "changed",
        "seq": event.seq,
        "what": "dates",
        "consultation": consultation.pk,
    }

    async def run():
        h = hub.Hub()
        recorder = Recorder()
        h.watchers[consultation.pk] = {recorder: None}
        h.consultations[consultation.pk] = shared
        await h.handle(message)
        return [json.loads(t) for t in recorder.texts]

    got = asyncio.run(run())
    assert got == [{"type": "consultation", "op": "changed", "seq": event.seq, "what": "dates"}]
    assert shared.closes_at == later
