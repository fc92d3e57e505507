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
from dataclasses import dataclass, field
from urllib.parse import quote

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language, ngettext

from comments.models import Comment

MAX_CARDS = 6000

_TOKEN = secrets.token_hex(8)
CSRF_MARK = f"csrf{_TOKEN}"
HERE_MARK = f"here{_TOKEN}"
HERE_Q_MARK = f"hereq{_TOKEN}"

_cards: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def card_key(comment: Comment, *, slug: str, language: str, viewer_bits: tuple) -> tuple:
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
        comment.section_number,
        comment.display_author,
        language,
        viewer_bits,
    )


def _cached_card(
    comment: Comment,
    *,
    consultation,
    mine: int | None,
    own: bool,
    editable: bool,
    can_vote: bool,
    can_comment: bool,
    with_csrf: bool,
    language: str,
) -> str:
    """The card's HTML with the per-request markers still in it (see ``fill``)."""
    key = card_key(
        comment,
        slug=consultation.slug,
        language=language,
        viewer_bits=(mine, own, editable, can_vote, can_comment, with_csrf),
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
                "csrf_token": CSRF_MARK if with_csrf else "",
                "here": HERE_MARK,
                "here_q": HERE_Q_MARK,
            },
        )
        with _lock:
            _cards[key] = html
            while len(_cards) > MAX_CARDS:
                _cards.popitem(last=False)
    return html


def fill(html: str, *, here: str, csrf_token: object = None) -> str:
    """Put this request's page address and CSRF token where cached cards hold markers."""
    html = html.replace(HERE_Q_MARK, quote(here, safe="")).replace(HERE_MARK, escape(here))
    if csrf_token:
        html = html.replace(CSRF_MARK, str(csrf_token))
    return html


@dataclass
class Viewer:
    """Who a page is for: what their cards show (their votes, their own comments, what they
    may do) and the per-request values put into cached cards."""

    user_id: int | None = None
    votes: dict[int, int] = field(default_factory=dict)
    can_vote: bool = False
    can_comment: bool = False
    csrf_token: object = None
    here: str = ""
    language: str = field(default_factory=get_language)

    def raw_card(self, comment: Comment, consultation) -> str:
        own = self.user_id is not None and comment.author_id == self.user_id
        return _cached_card(
            comment,
            consultation=consultation,
            mine=self.votes.get(comment.pk),
            own=own,
            editable=own and comment.is_editable(consultation=consultation),
            can_vote=self.can_vote,
            can_comment=self.can_comment,
            with_csrf=bool(self.csrf_token),
            language=self.language,
        )

    def fill(self, html: str, consultation) -> str:
        return fill(
            html, here=self.here or consultation.get_absolute_url(), csrf_token=self.csrf_token
        )


def _article(comment: Comment, viewer: Viewer, consultation) -> str:
    placeholder = "" if comment.status == "published" else " placeholder"
    pk = int(comment.pk)
    return (
        f'<article class="comment{placeholder}" id="c{pk}" data-id="{pk}"'
        f' data-root="{comment.root_id or ""}" data-depth="{int(comment.depth)}"'
        f' data-status="{escape(comment.status)}" aria-labelledby="c{pk}-who">\n'
        f"{viewer.raw_card(comment, consultation)}\n"
    )


def render_trees(
    comments: list[Comment],
    *,
    viewer: Viewer,
    consultation,
    replies: dict[int, list[Comment]],
    in_thread: bool = False,
) -> str:
    """Each comment in its ``<article>``; under a top-level comment, the replies shown and,
    outside the thread page, a link to the whole thread when there are more. Done here rather
    than in a template, and the page address and CSRF token filled in once for the whole list:
    a page holds up to a hundred of these."""
    html = []
    for comment in comments:
        html.append(_article(comment, viewer, consultation))
        if not comment.parent_id:
            shown = replies.get(comment.pk) or []
            html.append(f'  <div class="replies" id="replies-{int(comment.pk)}">\n')
            for reply in shown:
                html.append(_article(reply, viewer, consultation))
                html.append("</article>")
            if not in_thread and comment.reply_count > len(shown):
                url = reverse("comments:thread", args=[consultation.slug, comment.pk])
                n = comment.reply_count
                label = ngettext(
                    "See the whole thread (%(n)s reply)", "See the whole thread (%(n)s replies)", n
                ) % {"n": n}
                html.append(
                    f'<a class="more-replies small" href="{escape(url)}">{escape(label)} →</a>'
                )
            html.append("\n  </div>\n")
        html.append("</article>")
    return viewer.fill("".join(html), consultation)


def clear() -> None:
    with _lock:
        _cards.clear()
