"""Live events: their declared shapes, and the functions services call to emit them.

Group messages carry ids only; each consumer renders for its viewer's language.
What the browser receives (see ``CLIENT_EVENTS``):

- ``{"type": "comment", "op": "created", "id", "parent", "root", "section", "html"}``
- ``{"type": "comment", "op": "status", "id", "status", "html"}``
- ``{"type": "votes", "op": "counts", "counts": {comment_id: {"agree", "disagree", "pass"}}}``
- ``{"type": "positions", "op": "counts", "counts": {"support", "oppose", "undecided"}}``
- ``{"type": "opinion", "op": "map", "version", "html"}``: the opinion map was recomputed; sent
  only to connections that asked for it (``?opinion=1``), rendered for the viewer (who is
  marked on the map).
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
}


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
