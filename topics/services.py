"""Writes on consultations and positions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments import events
from consult.errors import ServiceError
from consult.models import User
from topics.models import Consultation, Phase, Position, Stance
from topics.selectors import position_counts


@transaction.atomic
def position_set(*, consultation: Consultation, user: User, value: str) -> Position:
    """A person's support / oppose / undecided on the whole draft (one per person)."""
    if value not in Stance.values:
        raise ServiceError(_("Choose support, oppose or undecided."), code="value")
    if consultation.phase_at(timezone.now()) != Phase.OPEN:
        raise ServiceError(_("This consultation is not open."), code="not_open")
    position, _created = Position.objects.update_or_create(
        consultation=consultation, user=user, defaults={"value": value}
    )
    events.positions_changed(consultation.pk, position_counts(consultation))
    return position
