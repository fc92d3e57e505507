"""The unread count, pushed to each person's open pages (group ``user.<id>``).

Sent through the emitter of ``comments.live`` (the server's loop when there is one, else a
short-lived one in a worker), after the notices are committed. A layer that is down loses
the update; the count is right again on the next page.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db.models import Count

from comments import live as comments_live

log = logging.getLogger(__name__)


def group_name(user_id: int) -> str:
    return comments_live.person_group(user_id)


async def _send_many(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in messages:
        try:
            await layer.group_send(group, message)
        except Exception:
            log.warning("unread count not sent to %s", group, exc_info=True)
            return


def count_changed(user_ids: list[int]) -> None:
    if not user_ids:
        return
    loop = comments_live._server_loop()
    layer = get_channel_layer()
    if loop is None and (layer is None or isinstance(layer, InMemoryChannelLayer)):
        return  # a worker's in-memory layer reaches no browser
    from notifications.models import Notice

    counts = dict.fromkeys(user_ids, 0)
    for user_id, n in (
        Notice.objects.filter(user_id__in=user_ids, read_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    ):
        counts[user_id] = n
    messages = [
        (
            group_name(u),
            comments_live.person_message(u, {"type": "notify", "op": "count", "count": n}),
        )
        for u, n in counts.items()
    ]
    if loop is not None:
        loop.call_soon_threadsafe(lambda: loop.create_task(_send_many(messages)))
        return
    try:
        async_to_sync(_send_many)(messages)
    except Exception:
        log.warning("unread counts not sent", exc_info=True)
