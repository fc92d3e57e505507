"""Who may comment, reply and vote: the one place these decisions are made."""

from __future__ import annotations

import rules

from moderation.rules import is_suspended
from topics.rules import can_participate

# A suspended person (moderation.Suspension) can neither comment nor vote until it ends.
rules.add_perm("comments.add_comment", can_participate & ~is_suspended)
rules.add_perm("comments.vote", can_participate & ~is_suspended)
