"""The live-update endpoint: /ws/consultations/<id>/.

A connection checks its permission once, then joins its process's hub (comments.hub), which
receives each event once for the process and hands this connection the text for its
variant (language; reader, participant or author). Nothing per event here touches the
database or the cache.

On (re)connect the page sends ``{"type": "sync", "seq": <last event number seen>, "ids":
[comment ids shown]}`` (``seq`` starts at the number the page was rendered at) and gets
exactly the events after it, in pages (``{"type": "sync", "op": "batch", ...}``), plus the
current vote counts of the comments it shows (only this consultation's published ones).

A connection that cannot keep up (its queue of unsent messages grows past ``MAX_BACKLOG``)
loses its queue and is told to ``resync``: the page asks again from the last number it has.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.utils import await_many_dispatch
from django.conf import settings
from django.utils import timezone

from comments import live, selectors, variants, wire
from comments.events import group_message
from comments.hub import RESYNC_TEXT, client_message, get_hub
from comments.models import Comment, Status
from topics.models import Consultation

MAX_SYNC_IDS = 500
SYNC_PAGE = 100  # events per catch-up batch; the page asks for the next one
MAX_BEHIND = 5000  # further behind than this: the page is told to reload
MAX_BACKLOG = 300  # unsent messages a connection may have before it must resync


def _language(scope: dict) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    for part in query.split("&"):
        key, _sep, value = part.partition("=")
        if key == "lang" and value in dict(settings.LANGUAGES):
            return value
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _wants_opinion(scope: dict) -> bool:
    """The opinion page asks for the map with ``?opinion=1``; other pages do not get it."""
    query = scope.get("query_string", b"").decode("latin-1")
    return "opinion=1" in query.split("&")


class ConsultationConsumer(AsyncJsonWebsocketConsumer):
    consultation_id: int
    consultation: Consultation
    lang: str
    user_id: int | None = None
    can_vote: bool = False
    can_comment: bool = False
    wants_opinion: bool = False
    opinion_version: int = 0
    in_hub: bool = False
    joined: bool = False  # accepted and in the hub: messages may be sent
    resyncs: int = 0  # times this connection's queue was dropped
    wire: Any = None  # under Daphne, the connection's protocol (comments.wire)

    async def __call__(self, scope: dict, receive, send) -> None:
        # As Channels' AsyncConsumer, but without a channel-layer channel per connection:
        # the process's hub receives the events (one group member per process, not one per
        # page), so a channel-layer failure cannot take the connections down either.
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        self.wire = scope.get(wire.SCOPE_KEY)  # Daphne's protocol: frames written directly
        self.backlog: deque[str] = deque()
        self.sender: asyncio.Task | None = None
        self.resyncs = 0
        try:
            await await_many_dispatch([receive], self.dispatch)
        except StopConsumer:
            pass

    async def connect(self) -> None:
        self.consultation_id = int(self.scope["url_route"]["kwargs"]["consultation_id"])
        allowed = await database_sync_to_async(self._permissions)()
        if not allowed:
            await self.close(code=4403)
            return
        live.register_loop()
        self.lang = _language(self.scope)
        self.wants_opinion = _wants_opinion(self.scope)
        hub = get_hub()
        # One copy of the consultation per process, not one per page (a draft's text is long).
        self.consultation = hub.consultations.setdefault(self.consultation_id, self.consultation)
        # In the group before the page hears it is connected: what is committed from then on
        # reaches it live (what came before, it asks for with "sync").
        self.in_hub = True
        await hub.join(self.consultation_id, self)
        if self.user_id is not None:  # per-person messages (e.g. the unread-notice count)
            await hub.join_person(self.user_id, self)
        await self.accept()
        self.joined = True
        if self.wants_opinion:
            from analytics import relay

            relay.watch(self.consultation_id)

    def _permissions(self) -> bool:
        user = self.scope.get("user")
        consultation = Consultation.objects.filter(pk=self.consultation_id).first()
        if consultation is None or user is None:
            return False
        if not user.has_perm("topics.view_consultation", consultation):
            return False
        self.consultation = consultation
        self.user_id = user.pk if user.is_authenticated else None
        self.can_vote = user.has_perm("comments.vote", consultation)
        self.can_comment = user.has_perm("comments.add_comment", consultation)
        return True

    async def disconnect(self, code: int) -> None:
        self.joined = False
        if self.in_hub:
            self.in_hub = False
            if self.user_id is not None:
                await get_hub().leave_person(self.user_id, self)
            await get_hub().leave(self.consultation_id, self)
            if self.wants_opinion:
                from analytics import relay

                relay.unwatch(self.consultation_id)

    # --- what the hub calls ----------------------------------------------------------------
    def variant_for(self, author_id: int | None) -> str:
        if author_id is not None and author_id == self.user_id:
            return variants.variant(self.lang, participant=True, own=True)
        participant = (self.can_vote or self.can_comment) and (
            timezone.now() < self.consultation.closes_at
        )
        return variants.variant(self.lang, participant=participant)

    def push(self, text: str, data: bytes | None = None) -> None:
        """Send ``text`` to this page, or queue it; never waits. Under Daphne, with nothing
        queued, its frame (``data``, built once for every page) is written straight to the
        connection. Past ``MAX_BACKLOG`` the queue is dropped and the page told to catch up
        from the last event it has."""
        if not self.joined:
            return
        protocol = self.wire
        if (
            protocol is not None
            and self.sender is None
            and not self.backlog
            and wire.writable(protocol)
        ):
            protocol.transport.write(data if data is not None else wire.frame(text))
            return
        if len(self.backlog) >= MAX_BACKLOG:
            self.backlog.clear()
            self.backlog.append(RESYNC_TEXT)
            self.resyncs += 1
        else:
            self.backlog.append(text)
        if self.sender is None:
            self.sender = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.backlog and self.joined:
                # Straight to the server (what ``self.send`` does, minus two layers of calls).
                await self.base_send({"type": "websocket.send", "text": self.backlog.popleft()})
        except Exception:  # the connection went away; disconnect() cleans up
            self.backlog.clear()
        finally:
            self.sender = None

    # --- from the browser ---------------------------------------------------------------
    async def receive_json(self, content: dict, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "opinion" and self.wants_opinion:
            # The page says which map it shows; it gets the current one if that is newer.
            try:
                self.opinion_version = int(content.get("version") or 0)
            except (TypeError, ValueError):
                return
            await self.opinion_map({"version": None})
            return
        if not isinstance(content, dict) or content.get("type") != "sync":
            return
        try:
            raw_seq = content.get("seq")
            seq = None if raw_seq is None else int(raw_seq)
            ids = [int(i) for i in (content.get("ids") or [])][:MAX_SYNC_IDS]
        except (TypeError, ValueError, OverflowError):
            return
        if seq is not None and not 0 <= seq < 2**62:
            return
        for message in await database_sync_to_async(self._catch_up)(seq, ids):
            self.push(json.dumps(message))

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except (ValueError, TypeError):  # not JSON: ignored
            return

    def _catch_up(self, seq: int | None, ids: list[int]) -> list[dict]:
        out: list[dict] = []
        if seq is not None:
            out.append(self._batch(seq))
        # Counts are state, not events: the current ones for what the page shows, and only of
        # this consultation's published comments.
        counts = selectors.vote_counts(ids, self.consultation_id) if ids else {}
        if counts:
            out.append({"type": "votes", "op": "counts", "counts": counts})
        return out

    def _batch(self, seq: int) -> dict:
        current = selectors.live_position(self.consultation_id)
        reload = {"type": "sync", "op": "reload"}
        if seq > current or current - seq > MAX_BEHIND:
            return reload
        rows = selectors.live_events_after(self.consultation_id, seq, SYNC_PAGE)
        if rows and rows[0].seq != seq + 1:
            return reload  # the events in between are no longer kept
        if not rows:
            return {"type": "sync", "op": "batch", "seq": seq, "more": False, "events": []}
        comment_ids = {e.comment_id for e in rows if e.comment_id}
        comments = {
            c.pk: c
            for c in selectors.for_cards(
                Comment.objects.filter(pk__in=comment_ids, consultation_id=self.consultation_id)
            )
        }
        created = {e.comment_id for e in rows if e.op == "created"}
        last_of = {e.comment_id: e for e in rows if e.comment_id}
        events: list[dict] = []
        for e in rows:
            if e.op == "changed":
                events.append(
                    {"type": "consultation", "op": "changed", "seq": e.seq, "what": e.detail}
                )
                continue
            if last_of.get(e.comment_id) is not e:
                continue  # each comment once, at its last event, as it is now
            comment = comments.get(e.comment_id)
            if comment is None:
                continue
            op = "created" if comment.pk in created else "status"
            if op == "created" and comment.status == Status.PENDING:
                continue  # published, then held for review: the page never had it
            html = variants.render(comment, self.consultation, self.variant_for(comment.author_id))
            message = client_message(group_message(comment, op, e.seq), html)
            if message is not None:
                events.append(message)
        return {
            "type": "sync",
            "op": "batch",
            "seq": rows[-1].seq,
            "more": len(rows) >= SYNC_PAGE,
            "events": events,
        }

    # --- from the hub ---------------------------------------------------------------------
    async def opinion_map(self, event: dict) -> None:
        if not self.wants_opinion:
            return
        if event.get("version") is not None and event["version"] <= self.opinion_version:
            return
        from analytics.rendering import render_opinion_map

        rendered = await database_sync_to_async(render_opinion_map)(
            self.consultation_id, self.scope.get("user"), self.lang
        )
        if rendered is None or rendered[0] <= self.opinion_version:
            return
        self.opinion_version = rendered[0]
        self.push(
            json.dumps(
                {"type": "opinion", "op": "map", "version": rendered[0], "html": rendered[1]}
            )
        )
