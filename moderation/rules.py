"""Who may report, appeal, see the queue and decide: the one place these decisions are made.

Moderating a consultation is ``topics.moderate`` (a moderator of its agency, a platform
moderator or an admin, each with a second factor). Queue items and comments are checked
against their consultation.
"""

from __future__ import annotations

import rules

from accounts.rules import has_mfa
from consult import viewer
from topics.models import Role
from topics.rules import is_admin, roles_of


@rules.predicate
def is_suspended(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return viewer.facts(user.pk).suspended


def _consultation(obj):
    if obj is None:
        return None
    if hasattr(obj, "agency_id") and not hasattr(obj, "consultation_id"):
        return obj  # a consultation
    return getattr(obj, "consultation", None)


@rules.predicate
def moderates_it(user, obj) -> bool:
    """``topics.moderate`` on the consultation of a comment or queue item."""
    consultation = _consultation(obj)
    return consultation is not None and user.has_perm("topics.moderate", consultation)


@rules.predicate
def is_any_moderator(user) -> bool:
    return any(role == Role.MODERATOR for role, _agency in roles_of(user))


@rules.predicate
def is_platform_moderator(user) -> bool:
    return (Role.MODERATOR, None) in roles_of(user)


@rules.predicate
def is_escalated(user, item) -> bool:
    return bool(getattr(item, "escalated", False))


@rules.predicate
def made_the_appealed_decision(user, item) -> bool:
    """An appeal is decided by someone other than the moderator whose decision it contests."""
    from moderation.models import Appeal, Kind

    if item is None or getattr(item, "kind", None) != Kind.APPEAL:
        return False
    return Appeal.objects.filter(comment_id=item.comment_id, original_moderator=user).exists()


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def is_published_comment(user, comment) -> bool:
    return comment is not None and comment.status == "published"


@rules.predicate
def is_appealable(user, comment) -> bool:
    from moderation.models import Appeal

    if comment is None or comment.status not in ("hidden", "removed"):
        return False
    return not Appeal.objects.filter(comment_id=comment.pk).exists()


@rules.predicate
def edits_it(user, consultation) -> bool:
    return consultation is not None and user.has_perm("topics.change_consultation", consultation)


is_signed_in = rules.is_authenticated & rules.is_active

rules.add_perm("moderation.flag_comment", is_signed_in & is_published_comment & ~is_comment_author)
rules.add_perm("moderation.appeal", is_comment_author & is_appealable & ~is_suspended)
rules.add_perm("moderation.view_own_comments", is_signed_in)
rules.add_perm("moderation.view_queue", (is_any_moderator | is_admin) & has_mfa)
rules.add_perm("moderation.view_platform_queue", (is_platform_moderator | is_admin) & has_mfa)
# object: a comment, a queue item or a consultation
rules.add_perm("moderation.moderate", moderates_it)
rules.add_perm("moderation.view_original", moderates_it)
# object: a queue item
# An escalated item goes up: only a platform moderator or an admin decides it.
rules.add_perm(
    "moderation.decide",
    moderates_it & ~made_the_appealed_decision & (~is_escalated | is_platform_moderator | is_admin),
)
# Suspensions stop a person commenting and voting on every consultation of every agency, so
# only platform moderators and admins suspend or lift them (object: the comment that led to it).
rules.add_perm("moderation.suspend", moderates_it & (is_platform_moderator | is_admin) & has_mfa)
rules.add_perm(
    "moderation.lift_suspension", moderates_it & (is_platform_moderator | is_admin) & has_mfa
)
# object: a consultation (editors set the rules of their own consultations, with moderators)
rules.add_perm("moderation.change_policy", moderates_it | edits_it)
