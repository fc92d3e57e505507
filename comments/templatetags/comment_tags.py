"""``{% comment_card comment %}``: one comment as a card, for this viewer (comments.cards)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from comments.cards import render_card

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_card(context: template.Context, comment) -> SafeString:
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    votes = context.get("my_votes") or {}
    consultation = context.get("consultation") or comment.consultation
    own = signed_in and comment.author_id == user.pk
    html = render_card(
        comment,
        consultation=consultation,
        mine=votes.get(comment.pk),
        own=own,
        editable=own and comment.is_editable(consultation=consultation),
        can_vote=bool(context.get("can_vote")),
        can_comment=bool(context.get("can_comment")),
        csrf_token=context.get("csrf_token"),
        here=context.get("here") or "",
    )
    # The card is template output: every value in it was escaped when it was rendered.
    return mark_safe(html)
