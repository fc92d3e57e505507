"""One comment rendered as a card (``comments/_card.html``), cached in the process.

A consultation page shows up to a hundred comments, and rendering each through the template
engine costs most of the page's time. The card is cached under a key made of everything it
shows (the comment's fields, its counts, the language, the viewer's vote and permissions), so
a new vote, an edit or a moderation decision gives a new key and never a stale card. Two
things differ for every viewer and page and are not in the key: the CSRF token and the page's
own address. The card is rendered with markers in their place (random per process, so no text
can forge one) and the real values are put in on the way out.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

from comments.models import Comment

MAX_CARDS = 6000

_TOKEN = secrets.token_hex(8)
CSRF_MARK = f"csrf{_TOKEN}"
HERE_MARK = f"here{_TOKEN}"
HERE_Q_MARK = f"hereq{_TOKEN}"

_cards: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def card_key(
    comment: Comment,
    *,
    slug: str,
    mine: int | None,
    own: bool,
    editable: bool,
    can_vote: bool,
    can_comment: bool,
    with_csrf: bool,
) -> tuple:
    section = comment.section.number if comment.section_id and comment.section else ""
    return (
        comment.pk,
        comment.consultation_id,
        slug,
        comment.status,
        comment.status_reason,
        comment.status_note,
        comment.body,
        comment.stance,
        comment.created_at,
        comment.edited_at,
        comment.agree_count,
        comment.disagree_count,
        comment.pass_count,
        comment.depth,
        comment.parent_id,
        section,
        comment.display_author,
        get_language(),
        mine,
        own,
        editable,
        can_vote,
        can_comment,
        with_csrf,
    )


def render_card(
    comment: Comment,
    *,
    consultation,
    mine: int | None = None,
    own: bool = False,
    editable: bool = False,
    can_vote: bool = False,
    can_comment: bool = False,
    csrf_token: object = None,
    here: str = "",
) -> str:
    """The card's HTML for this viewer (the template escapes everything it shows)."""
    key = card_key(
        comment,
        slug=consultation.slug,
        mine=mine,
        own=own,
        editable=editable,
        can_vote=can_vote,
        can_comment=can_comment,
        with_csrf=bool(csrf_token),
    )
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
    if html is None:
        html = render_to_string(
            "comments/_card.html",
            {
                "comment": comment,
                "consultation": consultation,
                "mine": mine,
                "own": own,
                "editable": editable,
                "can_vote": can_vote,
                "can_comment": can_comment,
                "csrf_token": CSRF_MARK if csrf_token else "",
                "here": HERE_MARK,
                "here_q": HERE_Q_MARK,
            },
        )
        with _lock:
            _cards[key] = html
            while len(_cards) > MAX_CARDS:
                _cards.popitem(last=False)
    here = here or consultation.get_absolute_url()
    html = html.replace(HERE_Q_MARK, quote(here, safe="")).replace(HERE_MARK, escape(here))
    if csrf_token:
        html = html.replace(CSRF_MARK, str(csrf_token))
    return html


def clear() -> None:
    with _lock:
        _cards.clear()
