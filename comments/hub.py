"""One listener per server process for the consultations' live events.

Without it every WebSocket connection would be a member of its consultation's group on the
channel layer and would handle every event itself. Here the process joins each group it has
viewers for *once*, receives each event once, works out each variant's message once (JSON
text and its WebSocket frame, see comments.variants and comments.wire), and hands every
connection the message for its variant: per connection and event there is a dictionary
lookup and a write (or an append to the connection's queue), no database, no cache, no
template.

It also keeps the numbered events in order for the process: a number it has already passed
is dropped (it came in late, after the gap was filled); a gap (an event lost by the channel
layer, or two writers' messages crossing) is filled from the database, once for the process.
When the channel layer fails (Redis down or restarted, a read timing out), the hub rejoins its
groups as soon as it can and delivers from the database what the process has not seen: no
page misses a comment for longer than that.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from typing import TYPE_CHECKING, Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from comments import live, variants, wire
from consult import metrics

if TYPE_CHECKING:
    from comments.models import LiveEvent

log = logging.getLogger(__name__)

# A gap longer than this is not filled by the hub: the pages catch up themselves.
MAX_FILL = 200
REJOIN_EVERY_SECONDS = 600.0  # groups expire on the channel layer unless joined again
RESYNC_TEXT = json.dumps({"type": "sync", "op": "resync"})
RESYNC_FRAME = wire.frame(RESYNC_TEXT)


class Connection(Protocol):
    """What the hub needs from a connection (comments.consumers.ConsultationConsumer)."""

    wants_opinion: bool

    def variant_for(self, author_id: int | None) -> str: ...

    def push(self, text: str, data: bytes | None = None) -> None: ...

    async def opinion_map(self, event: dict) -> None: ...


def client_message(message: dict, html: str | None) -> dict | None:
    """What a browser gets for a numbered group message (see comments.events)."""
    op = message["op"]
    if op == "changed":
        return {
            "type": "consultation",
            "op": "changed",
            "seq": message["seq"],
            "what": message["what"],
        }
    if html is None:
        return None
    if op == "created":
        return {
            "type": "comment",
            "op": "created",
            "seq": message["seq"],
            "id": message["id"],
            "parent": message["parent"],
            "root": message["root"],
            "section": message["section"],
            "html": html,
        }
    return {
        "type": "comment",
        "op": "status",
        "seq": message["seq"],
        "id": message["id"],
        "status": message["status"],
        "html": html,
    }


def _position(consultation_id: int) -> int:
    from comments.selectors import live_position

    return live_position(consultation_id)


def _render_missing(consultation_id: int, comment_id: int, names: list[str]) -> dict[str, str]:
    from comments.models import Comment
    from comments.selectors import for_cards

    comment = (
        for_cards(Comment.objects.select_related("consultation"))
        .filter(pk=comment_id, consultation_id=consultation_id)
        .first()
    )
    if comment is None:
        return {}
    return variants.render_many(comment, comment.consultation, names)


def _dates(consultation_id: int) -> tuple | None:
    from topics.models import Consultation

    return (
        Consultation.objects.filter(pk=consultation_id).values_list("opens_at", "closes_at").first()
    )


def _load_gap(consultation_id: int, after: int, upto: int) -> list[dict] | None:
    """The group messages of the events numbered ``after + 1 .. upto``, from the database,
    without their cards (rendered as needed). ``None`` when the gap is too long."""
    from comments.events import group_message
    from comments.models import Comment
    from comments.selectors import live_events_after

    if upto - after > MAX_FILL:
        return None
    rows: list[LiveEvent] = [
        e for e in live_events_after(consultation_id, after, upto - after) if e.seq <= upto
    ]
    ids = {e.comment_id for e in rows if e.comment_id}
    comments: dict[int, Comment] = Comment.objects.in_bulk(ids)
    out = []
    for e in rows:
        if e.op == "changed":
            out.append({"type": "live.event", "seq": e.seq, "op": "changed", "what": e.detail})
            continue
        comment = comments.get(e.comment_id)
        if comment is None:
            continue
        out.append(group_message(comment, e.op, e.seq))
    return out


def _stop_if_cancelled() -> None:
    """Stop the running task if it was asked to stop (the loop is closing), whatever error the
    cancellation came out as: retrying for ever would keep the loop from closing."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class Hub:
    def __init__(self) -> None:
        self.layer: Any = None
        self.channel: str | None = None
        self.watchers: dict[int, dict[Connection, None]] = {}
        # Signed-in people's own connections (per-person messages such as an unread count).
        self.people: dict[int, dict[Connection, None]] = {}
        self.last_seq: dict[int, int] = {}
        self.consultations: dict[int, Any] = {}  # shared by the connections (read-only)
        self.tasks: list[asyncio.Task] = []
        self.delivered = 0  # messages handed to connections (for the figures)
        self.filled = 0  # events the process missed and read from the database

    # --- connections -------------------------------------------------------------------
    async def join(self, consultation_id: int, conn: Connection) -> None:
        await self._start()
        members = self.watchers.get(consultation_id)
        if members is None:
            members = self.watchers[consultation_id] = {}
            # Where the process stands: later numbers are delivered in order, a gap after
            # this is filled from the database. (Pages catch up from their own number.)
            self.last_seq[consultation_id] = await database_sync_to_async(_position)(
                consultation_id
            )
            if self.layer is not None:
                try:
                    await self.layer.group_add(live.group_name(consultation_id), self.channel)
                except Exception:  # the receive loop rejoins and tells the pages to resync
                    log.warning("live: could not join consultation %s", consultation_id)
        members[conn] = None

    async def leave(self, consultation_id: int, conn: Connection) -> None:
        members = self.watchers.get(consultation_id)
        if members is None:
            return
        members.pop(conn, None)
        if members:
            return
        del self.watchers[consultation_id]
        self.last_seq.pop(consultation_id, None)
        self.consultations.pop(consultation_id, None)
        if self.layer is not None:
            try:
                await self.layer.group_discard(live.group_name(consultation_id), self.channel)
            except Exception:
                log.info("live: could not leave consultation %s", consultation_id)

    async def join_person(self, user_id: int, conn: Connection) -> None:
        await self._start()
        members = self.people.setdefault(user_id, {})
        if not members and self.layer is not None:
            try:
                await self.layer.group_add(live.person_group(user_id), self.channel)
            except Exception:
                log.warning("live: could not join the group of person %s", user_id)
        members[conn] = None

    async def leave_person(self, user_id: int, conn: Connection) -> None:
        members = self.people.get(user_id)
        if members is None:
            return
        members.pop(conn, None)
        if members:
            return
        del self.people[user_id]
        if self.layer is not None:
            try:
                await self.layer.group_discard(live.person_group(user_id), self.channel)
            except Exception:
                log.info("live: could not leave the group of person %s", user_id)

    def _groups(self) -> list[str]:
        return [live.group_name(c) for c in self.watchers] + [
            live.person_group(u) for u in self.people
        ]

    async def _start(self) -> None:
        if self.channel is not None:
            return
        self.layer = get_channel_layer()
        self.channel = "-"
        if self.layer is None:
            return
        self.channel = await self.layer.new_channel()
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(self._run()), loop.create_task(self._refresh())]

    # --- the channel layer --------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                _stop_if_cancelled()  # the layer may turn a cancellation into its own error
                log.warning("live: channel layer receive failed; rejoining", exc_info=True)
                await self._rejoin()
                continue
            try:
                await self.handle(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live: message not delivered: %s", message.get("type"))

    async def _rejoin(self) -> None:
        delay = 0.0
        while True:
            _stop_if_cancelled()
            await asyncio.sleep(delay)
            delay = max(delay, 0.25)
            try:
                for group in self._groups():
                    await self.layer.group_add(group, self.channel)
            except Exception:
                delay = min(delay * 2, 10.0)
                continue
            break
        # A message may have been lost in the failure: deliver from the database what the
        # process has not seen; the pages' counts come with the next votes.
        for consultation_id in list(self.watchers):
            try:
                current = await database_sync_to_async(_position)(consultation_id)
                last = self.last_seq.get(consultation_id)
                if last is not None and current > last:
                    await self._fill(consultation_id, last, current)
                    self.last_seq[consultation_id] = current
            except Exception:
                log.warning("live: consultation %s not caught up", consultation_id, exc_info=True)
                self._resync(consultation_id)

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(REJOIN_EVERY_SECONDS)
            for group in self._groups():
                try:
                    await self.layer.group_add(group, self.channel)
                except Exception:
                    break

    # --- messages ------------------------------------------------------------------------
    async def handle(self, message: dict) -> None:
        if message.get("type") == "person.message":
            text = json.dumps(message["client"])
            people = list(self.people.get(message.get("user"), ()))  # type: ignore[arg-type]
            for conn in people:
                conn.push(text)
            self._count("person", len(people))
            return
        consultation_id = message.get("consultation")
        members = self.watchers.get(consultation_id)  # type: ignore[arg-type]
        if not members:
            return
        kind = message.get("type")
        if kind == "live.event":
            await self._numbered(consultation_id, message)  # type: ignore[arg-type]
        elif kind in ("votes.counts", "positions.counts"):
            text = json.dumps(
                {"type": kind.partition(".")[0], "op": "counts", "counts": message["counts"]}
            )
            data = wire.frame(text)
            for conn in list(members):
                conn.push(text, data)
            self._count(kind.partition(".")[0], len(members))
        elif kind == "opinion.map":
            for conn in list(members):
                if conn.wants_opinion:
                    asyncio.get_running_loop().create_task(conn.opinion_map(message))

    async def _numbered(self, consultation_id: int, message: dict) -> None:
        seq = int(message["seq"])
        last = self.last_seq.get(consultation_id)
        if last is not None and seq <= last:
            return  # delivered already (the gap was filled from the database)
        if last is not None and seq > last + 1:
            await self._fill(consultation_id, last, seq - 1)
        self.last_seq[consultation_id] = seq
        await self._deliver(consultation_id, message)

    async def _fill(self, consultation_id: int, last: int, upto: int) -> None:
        """Deliver the events ``last + 1 .. upto`` from the database (once for the process);
        a gap too long for that: the pages catch up themselves."""
        gap = await database_sync_to_async(_load_gap)(consultation_id, last, upto)
        self.filled += 0 if gap is None else len(gap)
        if gap is None:
            self._resync(consultation_id)
            return
        for missed in gap:
            await self._deliver(consultation_id, missed)

    def _resync(self, consultation_id: int) -> None:
        for conn in list(self.watchers.get(consultation_id, ())):
            conn.push(RESYNC_TEXT, RESYNC_FRAME)

    async def _deliver(self, consultation_id: int, message: dict) -> None:
        members = list(self.watchers.get(consultation_id, ()))
        if not members:
            return
        if message["op"] == "changed":
            await self._reread_dates(consultation_id)
            text = json.dumps(client_message(message, None))
            data = wire.frame(text)
            for conn in members:
                conn.push(text, data)
            self._count("consultation", len(members))
            return
        author = message.get("author")
        html: dict[str, str] = message.get("html") or {}
        wanted = {conn: conn.variant_for(author) for conn in members}
        missing = sorted(set(wanted.values()) - set(html))
        if missing:
            html = {
                **html,
                **await database_sync_to_async(_render_missing)(
                    consultation_id, message["id"], missing
                ),
            }
        # Each variant's text and frame, made once for all the pages that show it.
        texts: dict[str, tuple[str, bytes] | None] = {}
        sent = 0
        for conn, name in wanted.items():
            if name not in texts:
                client = client_message(message, html.get(name))
                text = json.dumps(client) if client is not None else None
                texts[name] = (text, wire.frame(text)) if text is not None else None
            made = texts[name]
            if made is not None:
                conn.push(*made)
                sent += 1
        self._count("comment", sent)

    async def _reread_dates(self, consultation_id: int) -> None:
        """The consultation changed (e.g. extended or closed early): the process's shared copy
        takes the new dates, so each page gets the card for what it may now do."""
        shared = self.consultations.get(consultation_id)
        if shared is None:
            return
        try:
            dates = await database_sync_to_async(_dates)(consultation_id)
        except Exception:
            log.warning("live: consultation %s not re-read", consultation_id, exc_info=True)
            return
        if dates is not None:
            shared.opens_at, shared.closes_at = dates

    def _count(self, kind: str, sent: int) -> None:
        """Messages handed to connections, counted once per event (not per message: the
        per-connection path stays a dictionary lookup and a queue append)."""
        self.delivered += sent
        if sent:
            metrics.EVENTS_FANNED_OUT.labels(kind=kind).inc(sent)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """The hub of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub


async def reset() -> None:
    """Forget the running loop's hub (its channel was dropped, e.g. by a flush of the layer);
    the next connection starts a new one."""
    hub = _hubs.pop(asyncio.get_running_loop(), None)
    if hub is not None:
        for task in hub.tasks:
            task.cancel()
