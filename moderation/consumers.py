"""The moderators' live queue: /ws/moderation/.

``connect`` asks the same predicates as the queue page: ``moderation.view_queue``, then
``moderation.view_platform_queue`` (every agency: group ``moderation.platform``) or
``topics.moderate`` agency by agency (groups ``moderation.<agency id>``).

Group messages carry an item id; each connection renders the row for its moderator and
language, and tells the page to drop items another moderator claimed or decided.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.template.loader import render_to_string
from django.utils import timezone, translation

from comments import live
from comments.consumers import _language
from moderation import selectors
from moderation.models import QueueItem, State
from moderation.services import claim_timeout
from topics.models import Agency


class QueueConsumer(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]
    lang: str

    async def connect(self) -> None:
        self.groups_joined = []
        groups = await database_sync_to_async(self._groups)()
        if groups is None:
            await self.close(code=4403)
            return
        live.register_loop()
        self.lang = _language(self.scope)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        await self.accept()

    def _groups(self) -> list[str] | None:
        user = self.scope.get("user")
        if user is None or not user.has_perm("moderation.view_queue"):
            return None
        if user.has_perm("moderation.view_platform_queue"):
            return [live.moderation_group(None)]
        agencies = Agency.objects.filter(pk__in=selectors.moderated_agency_ids(user) or [])
        groups = [
            live.moderation_group(a.pk) for a in agencies if user.has_perm("topics.moderate", a)
        ]
        return groups or None

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: dict, **kwargs) -> None:
        return  # the page only listens; decisions are made with forms

    async def queue_changed(self, event: dict) -> None:
        message = await database_sync_to_async(self._message)(event)
        if message is not None:
            await self.send_json(message)

    def _message(self, event: dict) -> dict | None:
        user = self.scope["user"]
        op, item_id, by = event["op"], event["id"], event.get("by")
        if op == "claimed":
            return {"type": "queue", "op": "claimed", "id": item_id, "mine": by == user.pk}
        if op == "decided":
            return {"type": "queue", "op": "decided", "id": item_id}
        item = (
            QueueItem.objects.filter(pk=item_id, state=State.OPEN)
            .select_related("consultation")
            .first()
        )
        if item is None or not user.has_perm("moderation.moderate", item):
            return None
        lapsed = item.claimed_at is not None and item.claimed_at < timezone.now() - claim_timeout()
        if item.claimed_by_id not in (None, user.pk) and not lapsed:
            return {"type": "queue", "op": "claimed", "id": item_id, "mine": False}
        rows = selectors.queue_rows([item])
        if not rows:
            return None
        with translation.override(self.lang):
            html = render_to_string("moderation/_item.html", {"row": rows[0], "user": user})
        return {"type": "queue", "op": "added", "id": item_id, "html": html}
