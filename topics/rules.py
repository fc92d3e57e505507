"""Who may do what with consultations: the one place these decisions are made.

Views, API endpoints and the WebSocket consumer all ask ``user.has_perm(name, obj)``.
Roles: citizen (verified e-mail, social sign-in or verified identity: the consultation sets
the minimum), agency editor / analyst / moderator (``Membership``), platform moderator (a
moderator membership without an agency), platform admin (superuser). Every staff permission
also needs a second factor (TOTP or WebAuthn). Permissions that take an agency accept either an
``Agency`` or a ``Consultation``.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from accounts.rules import has_mfa, meets_assurance
from consult import viewer
from topics.models import Agency, Phase, Role


@rules.predicate
def is_published(user, consultation) -> bool:
    return consultation is not None and consultation.phase_at(timezone.now()) != Phase.DRAFT


@rules.predicate
def is_open(user, consultation) -> bool:
    return consultation is not None and consultation.phase_at(timezone.now()) == Phase.OPEN


@rules.predicate
def has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    if not user.is_authenticated or not user.is_active:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def roles_of(user) -> frozenset[tuple[str, int | None]]:
    """Every (role, agency id) the person holds; ``None`` for a platform-wide role. Read once
    per request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return viewer.facts(user.pk).roles


def _has_role(user, consultation, role: str, *, platform_wide: bool = False) -> bool:
    if consultation is None:
        return False
    if isinstance(consultation, Agency):
        agency_id = consultation.pk
    else:
        agency_id = getattr(consultation, "agency_id", None)
    roles = roles_of(user)
    return (role, agency_id) in roles or (platform_wide and (role, None) in roles)


@rules.predicate
def is_agency_editor(user, consultation) -> bool:
    return _has_role(user, consultation, Role.EDITOR)


@rules.predicate
def is_agency_analyst(user, consultation) -> bool:
    return _has_role(user, consultation, Role.ANALYST)


@rules.predicate
def is_moderator(user, consultation) -> bool:
    return _has_role(user, consultation, Role.MODERATOR, platform_wide=True)


is_admin = rules.is_superuser
is_staff = rules.is_staff | rules.is_superuser


@rules.predicate
def is_not_closed(user, consultation) -> bool:
    return consultation is not None and consultation.phase_at(timezone.now()) != Phase.CLOSED


@rules.predicate
def is_draft(user, consultation) -> bool:
    return consultation is not None and consultation.phase_at(timezone.now()) == Phase.DRAFT


@rules.predicate
def is_not_open_yet(user, consultation) -> bool:
    return consultation is not None and consultation.phase_at(timezone.now()) in (
        Phase.DRAFT,
        Phase.UPCOMING,
    )


can_participate = meets_assurance & is_open

# A draft is seen only by its own agency's editors and analysts and by admins, each in a
# session that passed the second factor (Django's ``is_staff`` flag gives no access).
rules.add_perm(
    "topics.view_consultation",
    is_published | ((is_agency_editor | is_agency_analyst | is_admin) & has_mfa),
)
rules.add_perm("topics.take_position", can_participate)
rules.add_perm("topics.answer_questions", can_participate)
# Staff: the agency's own consultations only, always with a second factor.
is_editor = (is_agency_editor | is_admin) & has_mfa
rules.add_perm("topics.change_consultation", is_editor)
rules.add_perm("topics.create_consultation", is_editor)  # object: the agency
rules.add_perm("topics.edit_draft", is_editor & is_not_open_yet)
rules.add_perm("topics.publish_consultation", is_editor & is_draft)
rules.add_perm("topics.extend_consultation", is_editor & is_published & is_not_closed)
rules.add_perm("topics.close_consultation", is_editor & is_open)
rules.add_perm("topics.view_analysis", (is_agency_analyst | is_agency_editor | is_admin) & has_mfa)
rules.add_perm(
    "topics.use_workspace", (is_agency_editor | is_agency_analyst | is_admin) & has_mfa
)  # object: the agency
rules.add_perm("topics.moderate", (is_moderator | is_admin) & has_mfa)
# Paper, phone, public-meeting and e-mail submissions: entered by the agency's own editors once
# the hearing is published; their scans are seen by the agency's staff only.
rules.add_perm("topics.enter_submissions", is_editor & is_published)
rules.add_perm(
    "topics.view_submission_files", (is_agency_editor | is_agency_analyst | is_admin) & has_mfa
)
