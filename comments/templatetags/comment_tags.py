"""Comments as HTML for this viewer: ``{% comment_tree c %}`` (one comment with the replies
shown under it) and ``{% comment_trees comments %}`` (a page's list), from comments.cards."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from comments.cards import Viewer, render_trees

register = template.Library()


def _viewer(context: template.Context) -> Viewer:
    user = context.get("user")
    return Viewer(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        votes=context.get("my_votes") or {},
        can_vote=bool(context.get("can_vote")),
        can_comment=bool(context.get("can_comment")),
        csrf_token=context.get("csrf_token"),
        here=context.get("here") or "",
    )


@register.simple_tag(takes_context=True)
def comment_tree(context: template.Context, comment) -> SafeString:
    """The comment in its ``<article>``, with the replies shown under it."""
    return comment_trees(context, [comment])


@register.simple_tag(takes_context=True)
def comment_trees(context: template.Context, comments: Iterable) -> SafeString:
    viewer = _viewer(context)
    comments = list(comments)
    if not comments:
        return mark_safe("")
    consultation = context.get("consultation") or comments[0].consultation
    html = render_trees(
        comments,
        viewer=viewer,
        consultation=consultation,
        replies=context.get("replies") or {},
        in_thread=bool(context.get("in_thread")),
    )
    # Built from escaped cards and from numbers and fixed words (comments.cards.render_trees).
    return mark_safe(html)
