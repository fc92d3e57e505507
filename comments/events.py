"""Live events: their declared shapes, and the functions services call to emit them.

Changes to what a consultation's page shows about its comments (a comment published, edited,
held, hidden, removed, restored) and notices about the consultation itself are *numbered*:
each is written as a ``LiveEvent`` row in the transaction of the write, with the next number
of its consultation (``seq``, in commit order, see ``comments.live.record``). A page knows the
number it was rendered at and the last one it received, so on reconnect it gets exactly what
it missed, whatever its sort order. Vote and position counts are state, not events: they are
coalesced and a page asks for the current counts of what it shows.

The group message carries the comment's card already rendered in every variant a viewer may
need (comments.variants: language x reader / participant / own), made once after commit; the
process's hub (comments.hub) hands each connection the variant it needs.

What the browser receives (see ``CLIENT_EVENTS``):

- ``{"type": "comment", "op": "created", "seq", "id", "parent", "root", "section", "html"}``
- ``{"type": "comment", "op": "status", "seq", "id", "status", "html"}``
- ``{"type": "consultation", "op": "changed", "seq", "what"}``: e.g. ``what="report"``, the
  hearing report was published; the page offers to reload
- ``{"type": "votes", "op": "counts", "counts": {comment_id: {"agree", "disagree", "pass"}}}``
- ``{"type": "positions", "op": "counts", "counts": {"support", "oppose", "undecided"}}``
- ``{"type": "report", "op": "published", "url"}``: the hearing report was published
- ``{"type": "opinion", "op": "map", "version", "html"}``: the opinion map was recomputed; sent
  only to connections that asked for it (``?opinion=1``), rendered for the viewer (who is
  marked on the map).
- ``{"type": "sync", "op": "batch", "seq", "more", "events"}``: the answer to the page's
  ``{"type": "sync", "seq": <last number seen>, "ids": [comment ids shown]}``: the comment and
  consultation messages above (each comment once, as it is now) numbered up to ``seq``;
  ``more``: ask again from ``seq``.
- ``{"type": "sync", "op": "resync"}``: live messages for this page were dropped (it fell
  behind, or the server lost its link to the others): ask with ``sync`` again.
- ``{"type": "sync", "op": "reload"}``: too much changed to catch up message by message.

Moderators' queue (``/ws/moderation/``; groups ``moderation.<agency id>`` and
``moderation.platform``):

- ``{"type": "queue", "op": "added", "id", "html"}``: a new or released item (also sent when
  an item's content changed, e.g. one more report)
- ``{"type": "queue", "op": "claimed", "id", "mine"}``: another moderator's claim removes it
- ``{"type": "queue", "op": "decided", "id"}``
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from comments import live, variants

if TYPE_CHECKING:
    from comments.models import Comment

CLIENT_EVENTS: dict[tuple[str, str], frozenset[str]] = {
    ("comment", "created"): frozenset(
        {"type", "op", "seq", "id", "parent", "root", "section", "html"}
    ),
    ("comment", "status"): frozenset({"type", "op", "seq", "id", "status", "html"}),
    ("consultation", "changed"): frozenset({"type", "op", "seq", "what"}),
    ("sync", "batch"): frozenset({"type", "op", "seq", "more", "events"}),
    ("sync", "resync"): frozenset({"type", "op"}),
    ("sync", "reload"): frozenset({"type", "op"}),
    ("votes", "counts"): frozenset({"type", "op", "counts"}),
    ("positions", "counts"): frozenset({"type", "op", "counts"}),
    ("opinion", "map"): frozenset({"type", "op", "version", "html"}),
    ("report", "published"): frozenset({"type", "op", "url"}),
    ("queue", "added"): frozenset({"type", "op", "id", "html"}),
    ("queue", "claimed"): frozenset({"type", "op", "id", "mine"}),
    ("queue", "decided"): frozenset({"type", "op", "id"}),
}

log = logging.getLogger(__name__)

# Group messages for moderators' queues: {"type": "queue.changed", "op", "id", "by"}.
QUEUE_OPS = frozenset({"added", "claimed", "released", "decided"})


def comment_created(comment: Comment) -> None:
    """A comment was saved; pages hear of it once it is published (else: ``comment_status``
    when a moderator publishes it)."""
    if comment.status == "published":
        _comment_event(comment, "created")


def comment_status(comment: Comment) -> None:
    """A comment's text or moderation status changed."""
    _comment_event(comment, "status")


def _comment_event(comment: Comment, op: str) -> None:
    seq = live.record(comment.consultation_id, op, comment_id=comment.pk)

    def build() -> dict:
        # After commit, once: the comment as it was committed, rendered in every variant.
        message = group_message(comment, op, seq)
        try:
            message["html"] = variants.render_many(comment, comment.consultation)
        except Exception:  # each process's hub renders what is missing
            log.warning("live card not rendered for comment %s", comment.pk, exc_info=True)
        return message

    live.emit_built(comment.consultation_id, build)


def group_message(comment: Comment, op: str, seq: int) -> dict:
    """The group message for a comment event, without its rendered cards (``html``)."""
    return {
        "type": "live.event",
        "seq": seq,
        "op": op,
        "id": comment.pk,
        "parent": comment.parent_id,
        "root": comment.root_id,
        "section": comment.section_id,
        "status": comment.status,
        "author": comment.author_id,  # never sent to a browser: picks the "own" variant
        "html": {},
    }


def consultation_changed(consultation_id: int, what: str) -> None:
    """Something about the consultation itself changed (``what``: e.g. "report")."""
    seq = live.record(consultation_id, "changed", detail=what)
    live.emit(consultation_id, {"type": "live.event", "seq": seq, "op": "changed", "what": what})


def votes_changed(comment: Comment) -> None:
    live.emit_vote_change(comment.consultation_id, comment.pk)


def positions_changed(consultation_id: int, counts: dict[str, int]) -> None:
    live.emit(consultation_id, {"type": "positions.counts", "counts": counts})


def opinion_map_changed(consultation_id: int, version: int) -> None:
    live.emit(consultation_id, {"type": "opinion.map", "version": version})


def queue_changed(agency_id: int, item_id: int, op: str, by: int | None = None) -> None:
    """A queue item was added, claimed, released (claim given up) or decided."""
    assert op in QUEUE_OPS, op
    live.emit_moderation(agency_id, {"type": "queue.changed", "op": op, "id": item_id, "by": by})
