"""Live events: their declared shapes, and the functions services call to emit them.

Group messages carry ids only; each consumer renders for its viewer's language.
What the browser receives (see ``CLIENT_EVENTS``):

- ``{"type": "comment", "op": "created", "id", "parent", "root", "section", "html"}``
- ``{"type": "comment", "op": "status", "id", "status", "html"}``
- ``{"type": "votes", "op": "counts", "counts": {comment_id: {"agree", "disagree", "pass"}}}``
- ``{"type": "positions", "op": "counts", "counts": {"support", "oppose", "undecided"}}``
- ``{"type": "report", "op": "published", "url"}``: the hearing report was published
- ``{"type": "opinion", "op": "map", "version", "html"}``: the opinion map was recomputed; sent
  only to connections that asked for it (``?opinion=1``), rendered for the viewer (who is
  marked on the map).

Moderators' queue (``/ws/moderation/``; groups ``moderation.<agency id>`` and
``moderation.platform``):

- ``{"type": "queue", "op": "added", "id", "html"}``: a new or released item (also sent when
  an item's content changed, e.g. one more report)
- ``{"type": "queue", "op": "claimed", "id", "mine"}``: another moderator's claim removes it
- ``{"type": "queue", "op": "decided", "id"}``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from comments import live

if TYPE_CHECKING:
    from comments.models import Comment

CLIENT_EVENTS: dict[tuple[str, str], frozenset[str]] = {
    ("comment", "created"): frozenset({"type", "op", "id", "parent", "root", "section", "html"}),
    ("comment", "status"): frozenset({"type", "op", "id", "status", "html"}),
    ("votes", "counts"): frozenset({"type", "op", "counts"}),
    ("positions", "counts"): frozenset({"type", "op", "counts"}),
    ("opinion", "map"): frozenset({"type", "op", "version", "html"}),
    ("report", "published"): frozenset({"type", "op", "url"}),
    ("queue", "added"): frozenset({"type", "op", "id", "html"}),
    ("queue", "claimed"): frozenset({"type", "op", "id", "mine"}),
    ("queue", "decided"): frozenset({"type", "op", "id"}),
}

# Group messages for moderators' queues: {"type": "queue.changed", "op", "id", "by"}.
QUEUE_OPS = frozenset({"added", "claimed", "released", "decided"})


def comment_created(comment: Comment) -> None:
    live.emit(comment.consultation_id, {"type": "comment.created", "id": comment.pk})


def comment_status(comment: Comment) -> None:
    live.emit(comment.consultation_id, {"type": "comment.status", "id": comment.pk})


def votes_changed(comment: Comment) -> None:
    live.emit_vote_change(comment.consultation_id, comment.pk)


def positions_changed(consultation_id: int, counts: dict[str, int]) -> None:
    live.emit(consultation_id, {"type": "positions.counts", "counts": counts})


def opinion_map_changed(consultation_id: int, version: int) -> None:
    live.emit(consultation_id, {"type": "opinion.map", "version": version})


def report_published(consultation_id: int, url: str) -> None:
    live.emit(consultation_id, {"type": "report.published", "url": url})


def queue_changed(agency_id: int, item_id: int, op: str, by: int | None = None) -> None:
    """A queue item was added, claimed, released (claim given up) or decided."""
    assert op in QUEUE_OPS, op
    live.emit_moderation(agency_id, {"type": "queue.changed", "op": op, "id": item_id, "by": by})
