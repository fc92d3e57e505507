"""Who may do what with consultations: the one place these decisions are made.

Views, API endpoints and the WebSocket consumer all ask ``user.has_perm(name, obj)``.
Roles: citizen (verified e-mail), agency editor / analyst / moderator (``Membership``),
platform moderator (a moderator membership without an agency), platform admin (superuser).
"""

from __future__ import annotations

import rules
from django.utils import timezone

from topics.models import Membership, Phase, Role


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


def _has_role(user, consultation, role: str, *, platform_wide: bool = False) -> bool:
    if not user.is_authenticated or not user.is_active or consultation is None:
        return False
    agency_id = getattr(consultation, "agency_id", None)
    memberships = Membership.objects.filter(user=user, role=role)
    if platform_wide:
        return (
            memberships.filter(agency_id__in=[agency_id]).exists()
            or memberships.filter(agency__isnull=True).exists()
        )
    return memberships.filter(agency_id=agency_id).exists()


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
can_participate = has_verified_email & is_open

rules.add_perm(
    "topics.view_consultation", is_published | is_staff | is_agency_editor | is_agency_analyst
)
rules.add_perm("topics.take_position", can_participate)
rules.add_perm("topics.change_consultation", is_agency_editor | is_admin)
rules.add_perm("topics.view_analysis", is_agency_analyst | is_agency_editor | is_admin)
rules.add_perm("topics.moderate", is_moderator | is_admin)
