"""Writes on consultations and positions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from comments import events
from consult import signals
from consult.errors import ServiceError
from consult.models import User
from topics.models import (
    ANSWER_TEXT_MAX,
    SCALE_VALUES,
    Agency,
    Answer,
    Consultation,
    LegalBasis,
    Phase,
    Position,
    Question,
    QuestionKind,
    Section,
    Stance,
    YesNo,
)
from topics.selectors import position_counts


@transaction.atomic
def position_set(*, consultation: Consultation, user: User, value: str) -> Position:
    """A person's support / oppose / undecided on the whole draft (one per person).

    The consultation's counts change in the same transaction, by the difference only, so they
    stay exact when many people take positions at once."""
    if value not in Stance.values:
        raise ServiceError(_("Choose support, oppose or undecided."), code="value")
    if consultation.phase_at(timezone.now()) != Phase.OPEN:
        raise ServiceError(_("This consultation is not open."), code="not_open")
    mine = Position.objects.select_for_update().filter(consultation=consultation, user=user)
    position = mine.first()
    previous_value = position.value if position is not None else None
    created = False
    if position is None:
        try:
            with transaction.atomic():
                position = Position.objects.create(
                    consultation=consultation, user=user, value=value
                )
            created = True
        except IntegrityError:  # the same person, at the same moment, in another request
            position = mine.get()
            previous_value = position.value
    deltas: dict[str, int] = {}
    if created:
        deltas = {value: 1}
    elif position.value != value:
        deltas = {position.value: -1, value: 1}
        position.value = value
        position.save(update_fields=["value", "updated_at"])
    if deltas:
        Consultation.objects.filter(pk=consultation.pk).update(
            **{f"{v}_count": F(f"{v}_count") + d for v, d in deltas.items()}
        )
        fields = [f"{v}_count" for v in Stance.values]
        row = Consultation.objects.filter(pk=consultation.pk).values_list(*fields).get()
        for name, n in zip(fields, row, strict=True):
            setattr(consultation, name, n)
        signals.position_set.send(sender=Position, position=position, previous_value=previous_value)
        events.positions_changed(consultation.pk, position_counts(consultation))
    return position


class AnswersRefused(ServiceError):
    """Some answers were refused; ``errors`` maps each question id to its message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(
            _("Some answers need correcting; nothing was saved."), code="answers", field="answers"
        )
        self.errors = errors


def _answer_error(question: Question, value: str) -> str | None:
    """Why ``value`` (stripped, not empty) is not an answer to ``question``; None if it is."""
    if question.kind == QuestionKind.YES_NO and value not in YesNo.values:
        return _("Answer yes or no.")
    if question.kind == QuestionKind.CHOICE and value not in question.choice_list:
        return _("Choose one of the choices given.")
    if question.kind == QuestionKind.SCALE and value not in SCALE_VALUES:
        return _("Choose a number from 1 to 5.")
    if question.kind == QuestionKind.TEXT and len(value) > ANSWER_TEXT_MAX:
        return _("An answer can be at most %(max)s characters (yours has %(n)s).") % {
            "max": f"{ANSWER_TEXT_MAX:,}",
            "n": f"{len(value):,}",
        }
    return None


@transaction.atomic
def answers_submit(*, consultation: Consultation, user: User, data: dict[int, str]) -> list[Answer]:
    """Save a person's answers to the consultation's questions (question id -> value).

    An empty value takes back an earlier answer to that question; questions not in ``data``
    are left as they were. Every answer is checked first: if one is refused, nothing is saved
    and ``AnswersRefused`` names each refused question. Returns the person's answers now.
    """
    if consultation.phase_at(timezone.now()) != Phase.OPEN:
        raise ServiceError(_("This consultation is not open."), code="not_open")
    questions = {q.pk: q for q in consultation.questions.all()}
    errors: dict[int, str] = {}
    cleaned: dict[int, str] = {}
    for question_id, raw in data.items():
        question = questions.get(question_id)
        if question is None:
            errors[question_id] = _("This question is not part of this consultation.")
            continue
        value = (raw or "").replace("\r\n", "\n").replace("\x00", "").strip()
        problem = _answer_error(question, value) if value else None
        if problem:
            errors[question_id] = problem
        else:
            cleaned[question_id] = value
    if errors:
        raise AnswersRefused(errors)
    existing = {
        a.question_id: a
        for a in Answer.objects.select_for_update().filter(
            question__consultation=consultation, user=user
        )
    }
    if not any(cleaned.values()) and not any(existing.get(q) for q in cleaned):
        raise ServiceError(_("Please answer at least one question."), code="empty")
    try:
        with transaction.atomic():
            for question_id, value in cleaned.items():
                answer = existing.get(question_id)
                if not value:
                    if answer is not None:
                        answer.delete()
                        del existing[question_id]
                elif answer is None:
                    existing[question_id] = Answer.objects.create(
                        question=questions[question_id], user=user, value=value
                    )
                elif answer.value != value:
                    answer.value = value
                    answer.save(update_fields=["value", "updated_at"])
    except IntegrityError as exc:  # the same person submitting twice at the same moment
        raise ServiceError(
            _("Your answers were being saved twice at once. Please send them again."),
            code="conflict",
        ) from exc
    order = {q.pk: (q.position, q.pk) for q in questions.values()}
    return sorted(existing.values(), key=lambda a: order[a.question_id])


@transaction.atomic
def answers_detach_user(*, user: User, remove_text_where_allowed: bool) -> dict[str, int]:
    """When a person deletes their account: their answers lose the link to them and stay as
    anonymous results, as votes and positions do. Free-text answers follow comments: with
    ``remove_text_where_allowed`` those on consultations whose legal basis is consent are
    deleted; the others stay in the hearing's record, unlinked."""
    answers = Answer.objects.filter(user=user)
    removed = 0
    if remove_text_where_allowed:
        removed, _counts = answers.filter(
            question__kind=QuestionKind.TEXT,
            question__consultation__legal_basis=LegalBasis.CONSENT,
        ).delete()
    kept = answers.update(user=None)
    return {"answers_kept": kept, "answers_removed": removed}


# --- Agency workspace: every write is audited ------------------------------------------------

CONSULTATION_AUDIT_FIELDS = (
    "title",
    "slug",
    "summary",
    "body",
    "language",
    "kind",
    "category",
    "opens_at",
    "closes_at",
    "short_period_reason",
    "published_at",
    "min_assurance",
    "unnamed_comments",
    "legal_basis",
    "extension_reason",
    "source_note",
)


def _snapshot(consultation: Consultation) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(consultation, f) for f in CONSULTATION_AUDIT_FIELDS}
    if consultation.pk:
        data["sections"] = [
            {"number": s.number, "heading": s.heading, "text": s.text}
            for s in consultation.sections.order_by("position", "id")
        ]
        data["questions"] = [
            {"kind": q.kind, "prompt": q.prompt, "choices": q.choice_list}
            for q in consultation.questions.order_by("position", "id")
        ]
    return data


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _validate(consultation: Consultation) -> None:
    try:
        consultation.full_clean(exclude=["agency"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(
            messages[0], code="invalid", field=None if field == "__all__" else field
        ) from exc


def _write_parts(
    consultation: Consultation, sections: list[dict[str, str]], questions: list[dict[str, str]]
) -> None:
    consultation.sections.filter(comments__isnull=True).delete()
    if consultation.sections.exists():
        raise ServiceError(
            _("Sections that already have comments cannot be replaced."), code="sections"
        )
    for i, s in enumerate(sections):
        if not (s.get("number") or "").strip():
            raise ServiceError(_("Every section needs a number."), code="section", field="sections")
        Section.objects.create(
            consultation=consultation,
            position=i,
            number=s["number"].strip()[:40],
            heading=(s.get("heading") or "").strip()[:300],
            text=(s.get("text") or "").strip(),
        )
    consultation.questions.all().delete()
    for i, q in enumerate(questions):
        kind = q.get("kind", "")
        prompt = (q.get("prompt") or "").strip()
        if kind not in QuestionKind.values or not prompt:
            raise ServiceError(
                _("Every question needs a kind and a question."), code="question", field="questions"
            )
        choices = "\n".join(
            line.strip() for line in (q.get("choices") or "").splitlines() if line.strip()
        )
        if kind == QuestionKind.CHOICE and len(choices.splitlines()) < 2:
            raise ServiceError(
                _("A one-choice question needs at least two choices, one per line."),
                code="choices",
                field="questions",
            )
        Question.objects.create(
            consultation=consultation,
            position=i,
            kind=kind,
            prompt=prompt[:500],
            choices=choices if kind == QuestionKind.CHOICE else "",
        )


@transaction.atomic
def consultation_save(
    *,
    actor: User,
    agency: Agency,
    fields: dict[str, Any],
    sections: list[dict[str, str]],
    questions: list[dict[str, str]],
    consultation: Consultation | None = None,
    ip_address: str | None = None,
) -> Consultation:
    """Create a consultation (as a draft) or edit one that has not opened yet."""
    from accounts.services import audit_record

    creating = consultation is None
    if creating:
        consultation = Consultation(agency=agency)
        before: dict[str, Any] = {}
    else:
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.phase_at(timezone.now()) not in (Phase.DRAFT, Phase.UPCOMING):
            raise ServiceError(
                _("An open or closed consultation can no longer be edited; extend or close it."),
                code="locked",
            )
        before = _snapshot(consultation)
    for name in CONSULTATION_AUDIT_FIELDS:
        if name in fields and name not in ("published_at", "extension_reason"):
            setattr(consultation, name, fields[name])
    _validate(consultation)
    if not sections:
        raise ServiceError(_("A draft needs at least one section."), field="sections")
    consultation.save()
    _write_parts(consultation, sections, questions)
    old, new = _changed(before, _snapshot(consultation))
    audit_record(
        actor=actor,
        action="consultation.create" if creating else "consultation.edit",
        obj=consultation,
        before=old,
        after=new,
        ip_address=ip_address,
    )
    return consultation


@transaction.atomic
def consultation_publish(
    *,
    actor: User,
    consultation: Consultation,
    when: datetime | None = None,
    ip_address: str | None = None,
) -> Consultation:
    """Publish now, or schedule publication for ``when``."""
    from accounts.services import audit_record

    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    now = timezone.now()
    if consultation.phase_at(now) != Phase.DRAFT:
        raise ServiceError(_("This consultation is already published."), code="published")
    when = when or now
    if when < now - timedelta(minutes=5):
        raise ServiceError(_("Publication cannot be scheduled in the past."), field="published_at")
    if when >= consultation.closes_at:
        raise ServiceError(
            _("Publish the consultation before its closing date."),
            code="late",
            field="published_at",
        )
    before = consultation.published_at
    consultation.published_at = when
    consultation.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.schedule" if when > now else "consultation.publish",
        obj=consultation,
        before={"published_at": before},
        after={"published_at": when},
        ip_address=ip_address,
    )
    signals.consultation_published.send(
        sender=Consultation, consultation=consultation, actor=actor, when=when
    )
    return consultation


@transaction.atomic
def consultation_unpublish(
    *, actor: User, consultation: Consultation, ip_address: str | None = None
) -> Consultation:
    """Take back a scheduled publication (before it happens)."""
    from accounts.services import audit_record

    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.phase_at(timezone.now()) != Phase.DRAFT or not consultation.published_at:
        raise ServiceError(_("Only a scheduled publication can be cancelled."), code="state")
    before = consultation.published_at
    consultation.published_at = None
    consultation.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.unschedule",
        obj=consultation,
        before={"published_at": before},
        after={"published_at": None},
        ip_address=ip_address,
    )
    return consultation


@transaction.atomic
def consultation_extend(
    *,
    actor: User,
    consultation: Consultation,
    closes_at: datetime,
    reason: str,
    ip_address: str | None = None,
) -> Consultation:
    """Move the closing date later, with a stated reason (shown on the page)."""
    from accounts.services import audit_record

    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    now = timezone.now()
    reason = (reason or "").strip()
    if consultation.phase_at(now) in (Phase.DRAFT, Phase.CLOSED):
        raise ServiceError(
            _("Only a published consultation that has not closed can be extended."), code="state"
        )
    if not reason:
        raise ServiceError(_("Please give the reason for the extension."), field="reason")
    if closes_at <= consultation.closes_at:
        raise ServiceError(
            _("The new closing date must be later than the current one."), field="closes_at"
        )
    before = {
        "closes_at": consultation.closes_at,
        "extension_reason": consultation.extension_reason,
    }
    consultation.closes_at = closes_at
    consultation.extension_reason = reason[:2000]
    consultation.save(update_fields=["closes_at", "extension_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.extend",
        obj=consultation,
        before=before,
        after={"closes_at": closes_at, "extension_reason": consultation.extension_reason},
        reason=reason,
        ip_address=ip_address,
    )
    signals.consultation_extended.send(
        sender=Consultation,
        consultation=consultation,
        actor=actor,
        previous_closes_at=before["closes_at"],
        reason=consultation.extension_reason,
    )
    return consultation


@transaction.atomic
def consultation_close(
    *, actor: User, consultation: Consultation, reason: str, ip_address: str | None = None
) -> Consultation:
    """Close an open consultation now (with a reason, kept in the audit log)."""
    from accounts.services import audit_record

    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    now = timezone.now()
    if consultation.phase_at(now) != Phase.OPEN:
        raise ServiceError(_("Only an open consultation can be closed."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Please give the reason for closing early."), field="reason")
    before = consultation.closes_at
    consultation.closes_at = now
    consultation.save(update_fields=["closes_at", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.close",
        obj=consultation,
        before={"closes_at": before},
        after={"closes_at": now},
        reason=reason,
        ip_address=ip_address,
    )
    signals.consultation_closed.send(
        sender=Consultation, consultation=consultation, actor=actor, reason=reason
    )
    return consultation


def consultation_mark_reported(*, consultation: Consultation, when: datetime) -> None:
    """Record that the hearing's result was reported (the first report's publication; a
    correction keeps the first date). Call inside the transaction of the publication."""
    Consultation.objects.filter(pk=consultation.pk, reported_at__isnull=True).update(
        reported_at=when
    )
    if consultation.reported_at is None:
        consultation.reported_at = when
