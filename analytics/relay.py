"""Opinion-map updates across processes when the channel layer is in-memory.

In production the worker that recomputes a map sends ``opinion.map`` through the Redis
channel layer and every web process hears it. The embedded default's in-memory layer lives
inside one process, so a message sent by the worker process reaches nobody: there, each web
process that has opinion pages open looks at the maps' versions in the database every
``INTERVAL`` seconds (one small query for all consultations it watches) and sends the event
itself, through the same emitter.
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer

log = logging.getLogger(__name__)

INTERVAL = 2.0
_watched: dict[int, int] = {}  # consultation id -> open opinion pages in this process
_versions: dict[int, int] = {}
_task: asyncio.Task | None = None


def needed() -> bool:
    return isinstance(get_channel_layer(), InMemoryChannelLayer)


def watch(consultation_id: int) -> None:
    """Called on the server's loop when an opinion page connects."""
    global _task
    if not needed():
        return
    _watched[consultation_id] = _watched.get(consultation_id, 0) + 1
    if _task is None or _task.done():
        _task = asyncio.get_running_loop().create_task(_run())


def unwatch(consultation_id: int) -> None:
    count = _watched.get(consultation_id, 0) - 1
    if count <= 0:
        _watched.pop(consultation_id, None)
        _versions.pop(consultation_id, None)
    else:
        _watched[consultation_id] = count


def _check(ids: list[int]) -> list[tuple[int, int]]:
    from analytics.models import OpinionMap
    from comments import events

    changed = []
    for consultation_id, version in OpinionMap.objects.filter(consultation_id__in=ids).values_list(
        "consultation_id", "version"
    ):
        known = _versions.get(consultation_id)
        _versions[consultation_id] = version
        if known is not None and version > known:
            changed.append((consultation_id, version))
    for consultation_id, version in changed:
        events.opinion_map_changed(consultation_id, version)
    return changed


async def _run() -> None:
    while _watched:
        try:
            await database_sync_to_async(_check)(list(_watched))
        except Exception:  # keep relaying; the next round may work
            log.warning("opinion relay check failed", exc_info=True)
        await asyncio.sleep(INTERVAL)
