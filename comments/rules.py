"""Who may comment, reply, edit and vote: the one place these decisions are made."""

from __future__ import annotations

import rules

from moderation.rules import is_suspended
from topics.rules import can_participate

# A suspended person (moderation.Suspension) can neither comment nor vote until it ends.
rules.add_perm("comments.add_comment", can_participate & ~is_suspended)
rules.add_perm("comments.vote", can_participate & ~is_suspended)


@rules.predicate
def may_edit_own(user, comment) -> bool:
    return (
        comment is not None
        and user.is_authenticated
        and comment.author_id == user.pk
        and comment.is_editable()
    )


# object: a comment. Its author, for a short while after posting (settings.COMMENT_EDIT_MINUTES).
rules.add_perm("comments.change_comment", may_edit_own & ~is_suspended)
