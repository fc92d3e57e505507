"""The live-update endpoint: /ws/consultations/<id>/.

Group messages carry ids; each connection renders the comment in its viewer's language.
On (re)connect the client sends ``{"type": "sync", "after": <last comment id>, "ids": [...]}``
and gets what it missed, so a dropped connection cannot leave a page wrong.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from comments import live, selectors
from comments.models import Comment, Status
from topics.models import Consultation

MAX_SYNC_IDS = 500


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


def render_comment(comment: Comment, lang: str, can_vote: bool, can_comment: bool) -> str:
    key = f"live:comment:{comment.pk}:{comment.status}:{int(bool(comment.edited_at))}:{lang}:{int(can_vote)}{int(can_comment)}"
    html = cache.get(key)
    if html is None:
        with translation.override(lang):
            html = render_to_string(
                "comments/_comment.html",
                {
                    "comment": comment,
                    "consultation": comment.consultation,
                    "can_vote": can_vote,
                    "can_comment": can_comment,
                    "replies": {},
                },
            )
        cache.set(key, html, 60)
    return html


class ConsultationConsumer(AsyncJsonWebsocketConsumer):
    consultation_id: int
    group: str
    lang: str
    can_vote: bool
    can_comment: bool
    wants_opinion: bool = False
    opinion_version: int = 0

    async def connect(self) -> None:
        self.consultation_id = int(self.scope["url_route"]["kwargs"]["consultation_id"])
        allowed = await database_sync_to_async(self._permissions)()
        if not allowed:
            await self.close(code=4403)
            return
        live.register_loop()
        self.lang = _language(self.scope)
        self.wants_opinion = _wants_opinion(self.scope)
        self.group = live.group_name(self.consultation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:  # the header's unread-notice count
            self.user_group = f"user.{user.pk}"
            await self.channel_layer.group_add(self.user_group, self.channel_name)
        await self.accept()
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
        self.can_vote = user.has_perm("comments.vote", consultation)
        self.can_comment = user.has_perm("comments.add_comment", consultation)
        return True

    async def disconnect(self, code: int) -> None:
        if getattr(self, "user_group", None):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            if self.wants_opinion:
                from analytics import relay

                relay.unwatch(self.consultation_id)

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
            after = int(content.get("after") or 0)
            ids = [int(i) for i in (content.get("ids") or [])][:MAX_SYNC_IDS]
        except (TypeError, ValueError):
            return
        missed, counts, statuses = await database_sync_to_async(self._catch_up)(after, ids)
        for message in missed:
            await self.send_json(message)
        for message in statuses:
            await self.send_json(message)
        if counts:
            await self.send_json({"type": "votes", "op": "counts", "counts": counts})

    def _catch_up(self, after: int, ids: list[int]) -> tuple[list[dict], dict, list[dict]]:
        missed = [
            self._created_message(c) for c in selectors.comments_after(self.consultation_id, after)
        ]
        counts = selectors.vote_counts(ids) if ids else {}
        statuses = [
            self._status_message(c)
            for c in Comment.objects.filter(pk__in=ids, consultation_id=self.consultation_id)
            .exclude(status=Status.PUBLISHED)
            .select_related("author", "consultation")
        ]
        return missed, counts, statuses

    # --- from services (through the channel layer) ---------------------------------------
    async def comment_created(self, event: dict) -> None:
        message = await database_sync_to_async(self._load_created)(event["id"])
        if message is not None:
            await self.send_json(message)

    async def comment_status(self, event: dict) -> None:
        message = await database_sync_to_async(self._load_status)(event["id"])
        if message is not None:
            await self.send_json(message)

    async def votes_counts(self, event: dict) -> None:
        await self.send_json({"type": "votes", "op": "counts", "counts": event["counts"]})

    async def positions_counts(self, event: dict) -> None:
        await self.send_json({"type": "positions", "op": "counts", "counts": event["counts"]})

    async def notify_count(self, event: dict) -> None:
        await self.send_json({"type": "notify", "op": "count", "count": int(event["count"])})

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
        await self.send_json(
            {"type": "opinion", "op": "map", "version": rendered[0], "html": rendered[1]}
        )

    # --- rendering ------------------------------------------------------------------------
    def _get(self, comment_id: int) -> Comment | None:
        return (
            Comment.objects.select_related("author", "consultation", "section")
            .filter(pk=comment_id, consultation_id=self.consultation_id)
            .first()
        )

    def _load_created(self, comment_id: int) -> dict | None:
        comment = self._get(comment_id)
        if comment is None or comment.status != Status.PUBLISHED:
            return None
        return self._created_message(comment)

    def _load_status(self, comment_id: int) -> dict | None:
        comment = self._get(comment_id)
        return None if comment is None else self._status_message(comment)

    def _created_message(self, comment: Comment) -> dict:
        return {
            "type": "comment",
            "op": "created",
            "id": comment.pk,
            "parent": comment.parent_id,
            "root": comment.root_id,
            "section": comment.section_id,
            "html": render_comment(comment, self.lang, self.can_vote, self.can_comment),
        }

    def _status_message(self, comment: Comment) -> dict:
        return {
            "type": "comment",
            "op": "status",
            "id": comment.pk,
            "status": comment.status,
            "html": render_comment(comment, self.lang, self.can_vote, self.can_comment),
        }
