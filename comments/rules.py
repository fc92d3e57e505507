"""Who may comment, reply and vote: the one place these decisions are made."""

from __future__ import annotations

import rules

from topics.rules import can_participate

rules.add_perm("comments.add_comment", can_participate)
rules.add_perm("comments.vote", can_participate)
