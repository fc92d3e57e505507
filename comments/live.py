"""The one emitter of live events.

Services call these functions; they register a callback with ``transaction.on_commit`` so a
rolled-back write emits nothing. Sending never raises: if the channel layer is down, the
write still succeeds and clients catch up when they reconnect (they re-sync on connect).

Vote counts are coalesced per consultation: the first vote in a window schedules one flush
``LIVE_VOTE_COALESCE_SECONDS`` later that sends the current counts of every comment voted on
in the window, so a vote storm produces a few messages per second, not one per vote.
Flushing runs on the server's event loop (registered by :class:`LoopRegistrar`), the same loop
the consumers use.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from consult import metrics

log = logging.getLogger(__name__)

_loop: asyncio.AbstractEventLoop | None = None
_pending: dict[int, tuple[float, set[int]]] = {}
_pending_lock = threading.Lock()


def group_name(consultation_id: int) -> str:
    return f"consultation.{consultation_id}"


class LoopRegistrar:
    """ASGI middleware remembering the server's event loop for the emitter (and, under
    Daphne, each WebSocket's protocol for the hub's frames)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        register_loop()
        if scope["type"] == "websocket":
            from comments import wire

            protocol = wire.daphne_protocol(send)
            if protocol is not None:  # the hub writes its frames there (comments.wire)
                scope = {**scope, wire.SCOPE_KEY: protocol}
        await self.app(scope, receive, send)


def register_loop() -> None:
    global _loop
    _loop = asyncio.get_running_loop()


def _server_loop() -> asyncio.AbstractEventLoop | None:
    loop = _loop
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    try:
        if asyncio.get_running_loop() is loop:
            return None  # never block the loop we are on; callers here are sync code
    except RuntimeError:
        pass
    return loop


def moderation_group(agency_id: int | None) -> str:
    """Moderators of one agency; ``None``: platform moderators (they see every agency)."""
    return f"moderation.{agency_id}" if agency_id is not None else "moderation.platform"


async def _send(target: int | str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(target, str):
        group = target
    else:
        group = group_name(target)
        # One listener per process receives the groups it watches (comments.hub): it reads
        # which consultation a message is about from the message.
        message = {**message, "consultation": target}
    try:
        await layer.group_send(group, message)
        metrics.EVENTS_EMITTED.labels(kind=str(message.get("type", "other"))[:20]).inc()
    except Exception:  # the layer being down must not break a write
        log.warning("live update not sent to %s", group, exc_info=True)


def person_group(user_id: int) -> str:
    """The group of one signed-in person's open pages (per-person messages)."""
    return f"user.{user_id}"


def person_message(user_id: int, client: dict) -> dict:
    """A channel-layer message for :func:`person_group`: ``client`` is what the pages get."""
    return {"type": "person.message", "user": user_id, "client": client}


def _dispatch(target: int | str, message: dict) -> None:
    loop = _server_loop()
    if loop is not None:
        # A fresh context: the caller's (a sync worker thread's) must not leak into the loop.
        loop.call_soon_threadsafe(
            lambda: loop.create_task(_send(target, message)), context=contextvars.Context()
        )
        return
    try:
        in_a_loop = asyncio.get_running_loop() is not None
    except RuntimeError:
        in_a_loop = False
    if not in_a_loop:
        _send_blocking(target, message)
        return
    # Sync code running inside some other event loop's thread (an embedding async framework):
    # async_to_sync refuses to block that loop, so the send gets a thread of its own.
    sender = threading.Thread(target=_send_blocking, args=(target, message), daemon=True)
    sender.start()
    sender.join(timeout=5)


def _send_blocking(target: int | str, message: dict) -> None:
    try:
        async_to_sync(_send)(target, message)
    except Exception:
        log.warning("live update not sent to %s", target, exc_info=True)


def emit(consultation_id: int, message: dict) -> None:
    """Send ``message`` to everyone watching the consultation, after the transaction commits."""
    transaction.on_commit(lambda: _dispatch(consultation_id, message))


def emit_built(consultation_id: int, build: Callable[[], dict]) -> None:
    """Like :func:`emit`, the message made by ``build()`` after commit (it must not raise)."""
    transaction.on_commit(lambda: _dispatch(consultation_id, build()))


def record(
    consultation_id: int, op: str, *, comment_id: int | None = None, detail: str = ""
) -> int:
    """Write a live event in the current transaction and return its number (``seq``).

    The number comes from the consultation's ``LiveSequence`` row, incremented in place: the
    row stays locked until the transaction ends, so numbers follow commit order and a
    rolled-back write gives its number back. Catch-up (``LiveEvent`` rows after a number) is
    then exact: nothing committed later can carry an earlier number. Call it last in a
    service, so the lock is held only for the commit.
    """
    from django.db import connection
    from django.utils import timezone

    from comments.models import LiveEvent, LiveSequence

    table = connection.ops.quote_name(LiveSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (consultation_id, last_seq) VALUES (%s, 1) "
            f"ON CONFLICT (consultation_id) DO UPDATE SET last_seq = {table}.last_seq + 1 "
            f"RETURNING last_seq",
            [consultation_id],
        )
        seq = int(cursor.fetchone()[0])
    LiveEvent.objects.create(
        consultation_id=consultation_id,
        seq=seq,
        op=op,
        comment_id=comment_id,
        detail=detail[:40],
        created_at=timezone.now(),
    )
    return seq


def emit_moderation(agency_id: int, message: dict) -> None:
    """Send ``message`` to the agency's moderators and the platform's, after commit."""

    def send() -> None:
        _dispatch(moderation_group(agency_id), message)
        _dispatch(moderation_group(None), message)

    transaction.on_commit(send)


def emit_vote_change(consultation_id: int, comment_id: int) -> None:
    transaction.on_commit(lambda: _note_vote(consultation_id, comment_id))


def _note_vote(consultation_id: int, comment_id: int) -> None:
    now = time.monotonic()
    window = settings.LIVE_VOTE_COALESCE_SECONDS
    with _pending_lock:
        entry = _pending.get(consultation_id)
        # A flush scheduled on a loop that has since gone away would never run: start anew.
        schedule = entry is None or now - entry[0] > 10 * window
        if schedule:
            _pending[consultation_id] = (now, {comment_id} | (entry[1] if entry else set()))
        else:
            entry[1].add(comment_id)
    if not schedule:
        return
    loop = _server_loop()
    if loop is None:
        # No long-lived loop in this process (a command, a worker, a test): send now.
        _flush_now(consultation_id)
        return
    loop.call_soon_threadsafe(
        lambda: loop.call_later(window, lambda: loop.create_task(_flush_async(consultation_id))),
        context=contextvars.Context(),
    )


def _take_pending(consultation_id: int) -> list[int]:
    with _pending_lock:
        entry = _pending.pop(consultation_id, None)
    return sorted(entry[1]) if entry else []


def _counts_message(consultation_id: int, comment_ids: list[int]) -> dict | None:
    from comments.selectors import vote_counts

    if not comment_ids:
        return None
    return {"type": "votes.counts", "counts": vote_counts(comment_ids, consultation_id)}


def _flush_now(consultation_id: int) -> None:
    message = _counts_message(consultation_id, _take_pending(consultation_id))
    if message is not None:
        _dispatch(consultation_id, message)


async def _flush_async(consultation_id: int) -> None:
    try:
        message = await database_sync_to_async(_counts_message)(
            consultation_id, _take_pending(consultation_id)
        )
    except Exception:
        log.warning("vote counts not sent for consultation %s", consultation_id, exc_info=True)
        return
    if message is not None:
        await _send(consultation_id, message)
