"""Reads for consultation pages and lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from topics.models import Consultation, Phase, Position, Section, Stance


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    agency: str = ""
    status: str = ""
    kind: str = ""
    category: str = ""


def consultation_list(filters: ListFilters) -> QuerySet[Consultation]:
    now = timezone.now()
    qs = Consultation.objects.filter(published_at__isnull=False, published_at__lte=now)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(summary__icontains=filters.q)
            | Q(agency__name_th__icontains=filters.q)
            | Q(agency__name_en__icontains=filters.q)
        )
    if filters.agency:
        qs = qs.filter(agency__slug=filters.agency)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status == Phase.OPEN:
        qs = qs.filter(opens_at__lte=now, closes_at__gt=now)
    elif filters.status == Phase.UPCOMING:
        qs = qs.filter(opens_at__gt=now)
    elif filters.status == Phase.CLOSED:
        qs = qs.filter(closes_at__lte=now)
    return qs.select_related("agency").order_by("-opens_at", "-id")


def visible_consultation(slug: str, user) -> Consultation | None:
    consultation = Consultation.objects.select_related("agency").filter(slug=slug).first()
    if consultation is None or not user.has_perm("topics.view_consultation", consultation):
        return None
    return consultation


def sections_of(consultation: Consultation) -> list[Section]:
    return list(consultation.sections.order_by("position", "id"))


def position_counts(consultation: Consultation) -> dict[str, int]:
    rows = dict(
        Position.objects.filter(consultation=consultation)
        .values_list("value")
        .annotate(n=Count("id"))
        .values_list("value", "n")
    )
    return {value: rows.get(value, 0) for value in Stance.values}


def own_position(consultation: Consultation, user) -> str:
    if not user.is_authenticated:
        return ""
    return (
        Position.objects.filter(consultation=consultation, user=user)
        .values_list("value", flat=True)
        .first()
        or ""
    )
