"""Who may do what with consultations: the one place these decisions are made.

Views, API endpoints and the WebSocket consumer all ask ``user.has_perm(name, obj)``.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from topics.models import Phase


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


is_staff = rules.is_staff | rules.is_superuser
can_participate = has_verified_email & is_open

rules.add_perm("topics.view_consultation", is_published | is_staff)
rules.add_perm("topics.take_position", can_participate)
