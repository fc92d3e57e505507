"""Reads for consultation pages and lists."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from topics.models import (
    SCALE_VALUES,
    Agency,
    Answer,
    Consultation,
    Phase,
    Position,
    PublicState,
    Question,
    QuestionKind,
    Section,
    Stance,
    YesNo,
)


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
    elif filters.status == PublicState.CLOSED:
        qs = qs.filter(closes_at__lte=now, reported_at__isnull=True)
    elif filters.status == PublicState.REPORTED:
        qs = qs.filter(reported_at__isnull=False)
    return qs.select_related("agency").order_by("-opens_at", "-id")


def visible_consultation(
    slug: str, user, *, with_moderation_policy: bool = False
) -> Consultation | None:
    """The consultation, if this person may see it. A post asks for its moderation policy
    too, read in the same query (``moderation.services.policy_for`` uses it)."""
    qs = Consultation.objects.select_related("agency")
    if with_moderation_policy:
        qs = qs.select_related("moderation_policy")
    consultation = qs.filter(slug=slug).first()
    if consultation is None or not user.has_perm("topics.view_consultation", consultation):
        return None
    return consultation


def sections_of(consultation: Consultation) -> list[Section]:
    return list(consultation.sections.order_by("position", "id"))


def section_choices(consultation: Consultation) -> list[Section]:
    """The sections without their text: what the comment form offers to choose from."""
    return list(
        consultation.sections.order_by("position", "id").only(
            "id", "consultation_id", "position", "number", "heading"
        )
    )


def sections_digest(sections: list[Section]) -> str:
    """A short fingerprint of everything the page shows of the sections (their text and comment
    counts): the key under which their rendered HTML is cached. Any change gives a new key."""
    parts = [(s.pk, s.number, s.heading, s.text, s.comment_count) for s in sections]
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def position_counts(consultation: Consultation) -> dict[str, int]:
    """Support / oppose / undecided on the whole draft (counted as positions are taken)."""
    return {value: getattr(consultation, f"{value}_count") for value in Stance.values}


def own_position(consultation: Consultation, user) -> str:
    if not user.is_authenticated:
        return ""
    return (
        Position.objects.filter(consultation=consultation, user=user)
        .values_list("value", flat=True)
        .first()
        or ""
    )


# --- Answers to the agency's questions -------------------------------------------------------

TEXT_ANSWERS_SHOWN = 200


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    total: int
    options: list[OptionCount]  # yes / no, choice, scale
    texts: list[str]  # free text: the latest TEXT_ANSWERS_SHOWN answers


def questions_of(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("position", "id"))


def own_answers(consultation: Consultation, user) -> dict[int, str]:
    """The person's current answers, question id -> value."""
    if not user.is_authenticated:
        return {}
    return dict(
        Answer.objects.filter(question__consultation=consultation, user=user).values_list(
            "question_id", "value"
        )
    )


def answer_options(question: Question) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.YES_NO:
        return [(value, str(label)) for value, label in YesNo.choices]
    if question.kind == QuestionKind.SCALE:
        return [(value, value) for value in SCALE_VALUES]
    return [(choice, choice) for choice in question.choice_list]


def answer_results(consultation: Consultation) -> list[QuestionResult]:
    """Per question: how many answered, counts per option, and the latest free-text answers."""
    questions = questions_of(consultation)
    answers = Answer.objects.filter(question__consultation=consultation)
    totals = dict(
        answers.values_list("question_id").annotate(n=Count("id")).values_list("question_id", "n")
    )
    counts: dict[tuple[int, str], int] = {
        (qid, value): n
        for qid, value, n in answers.exclude(question__kind=QuestionKind.TEXT)
        .values_list("question_id", "value")
        .annotate(n=Count("id"))
        .values_list("question_id", "value", "n")
    }
    results = []
    for question in questions:
        total = totals.get(question.pk, 0)
        options: list[OptionCount] = []
        texts: list[str] = []
        if question.kind == QuestionKind.TEXT:
            texts = list(
                answers.filter(question=question)
                .order_by("-updated_at", "-id")
                .values_list("value", flat=True)[:TEXT_ANSWERS_SHOWN]
            )
        else:
            for value, label in answer_options(question):
                n = counts.get((question.pk, value), 0)
                options.append(
                    OptionCount(
                        label=label, count=n, percent=round(100 * n / total) if total else 0
                    )
                )
        results.append(QuestionResult(question=question, total=total, options=options, texts=texts))
    return results


def answer_export_rows(
    consultation: Consultation,
) -> Iterator[tuple[int, str, str, str, int | str]]:
    """One row per answer: question id, question, answer, created, participant number.

    The participant number is opaque and local to this consultation (1, 2, 3 ... in the order
    people first answered); answers of deleted accounts have none."""
    numbers: dict[int, int] = {}
    rows = (
        Answer.objects.filter(question__consultation=consultation)
        .order_by("created_at", "id")
        .values_list("user_id", "question_id", "question__prompt", "value", "created_at")
    )
    for user_id, question_id, prompt, value, created in rows.iterator(chunk_size=2000):
        if user_id is None:
            participant: int | str = ""
        else:
            participant = numbers.setdefault(user_id, len(numbers) + 1)
        yield question_id, prompt, value, created.isoformat(), participant


def free_slug(title: str, agency: Agency) -> str:
    """A web address for a new consultation: the title in Latin letters when it has some,
    otherwise the agency and today's date; numbered if already taken."""
    from django.utils.text import slugify

    base = slugify(title)[:60].strip("-")
    if len(base) < 4:
        base = f"{agency.slug}-{timezone.localdate():%Y%m%d}"[:60]
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
