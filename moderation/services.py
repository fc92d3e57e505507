"""Moderation writes: screening every submission, flags, the queue, decisions, appeals,
suspensions and the purge of unmasked originals.

Every status change of a comment goes through ``comments.services.comment_set_status`` (so
open pages update live); every queue change is announced to moderators after commit through
``comments.events.queue_changed``; every action is written to the append-only ``LogEntry``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import events
from comments.models import Channel, Comment, Status
from consult import signals
from consult.errors import ServiceError
from consult.memo import forget
from consult.models import User
from moderation.models import (
    DECISIONS,
    Action,
    Appeal,
    AppealState,
    Flag,
    FlagReason,
    Kind,
    LogEntry,
    Mode,
    ModerationPolicy,
    QueueItem,
    ReasonCode,
    Screening,
    State,
    Suspension,
)
from moderation.screening import MASKS, Outcome, Reason, ScreenResult, screen
from topics.models import Consultation

CLAIM_SECONDS = 600  # a claim lapses after this long (settings.MODERATION_CLAIM_SECONDS)
MAX_SUSPENSION_DAYS = 365
RECENT_KEYS = 20  # the author's latest comments in the consultation checked for repeats


def claim_timeout() -> timedelta:
    return timedelta(seconds=getattr(settings, "MODERATION_CLAIM_SECONDS", CLAIM_SECONDS))


def policy_for(consultation: Consultation) -> ModerationPolicy:
    """The consultation's policy, or the defaults (unsaved) when it has none."""
    relation = Consultation._meta.get_field("moderation_policy")
    if relation.is_cached(consultation):  # read with the consultation (visible_consultation)
        policy = relation.get_cached_value(consultation)
        return policy or ModerationPolicy(consultation=consultation)
    policy = ModerationPolicy.objects.filter(consultation_id=consultation.pk).first()
    return policy or ModerationPolicy(consultation=consultation)


def _log(**fields) -> LogEntry:
    fields.setdefault("created_at", timezone.now())
    fields["note"] = (fields.get("note") or "")[:500]
    return LogEntry.objects.create(**fields)


# --- screening every submission ---------------------------------------------------------------


@dataclass
class Verdict:
    """What becomes of a submission that was not rejected."""

    status: str  # Status.PUBLISHED or Status.PENDING
    body: str  # the public text (personal data masked)
    hold_reason: str  # a ReasonCode when held
    result: ScreenResult
    policy: ModerationPolicy
    now: datetime


def _author_unverified(consultation: Consultation, policy: ModerationPolicy, author: User) -> bool:
    from accounts.selectors import assurance_level, name_kind
    from topics.models import UnnamedPolicy

    def unnamed() -> bool:  # asked only when a rule needs it: it costs a query
        return name_kind(author) != "real"

    if consultation.unnamed_comments == UnnamedPolicy.HOLD and unnamed():
        return True
    if policy.mode == Mode.HOLD_UNVERIFIED:
        return unnamed() or assurance_level(author) < policy.trusted_level
    return False


def submission_screen(
    *,
    consultation: Consultation,
    author: User | None,
    body: str,
    channel: str = Channel.WEB,
    now: datetime | None = None,
    editing: Comment | None = None,
) -> Verdict:
    """Screen a comment, reply, edit or imported comment before it is saved.

    Raises ``ServiceError`` (message in the active language) when the screen rejects it;
    otherwise says whether it is published (with personal data masked) or held for review.
    An edit (``editing``) is not a new post: flooding is not counted, and the comment is not
    compared with its own earlier text.
    """
    now = now or timezone.now()
    policy = policy_for(consultation)
    screen_policy = policy.screen_policy()
    times: list[datetime] = []
    keys: list[str] = []
    if author is not None and channel == Channel.WEB:
        since = now - screen_policy.flood_window
        if editing is None:
            times = list(
                Comment.objects.filter(author=author, created_at__gt=since, created_at__lte=now)
                .values_list("created_at", flat=True)
                .order_by("-created_at")[: screen_policy.flood_limit + 1]
            )
        others = Comment.objects.filter(author=author, consultation=consultation)
        if editing is not None:
            others = others.exclude(pk=editing.pk)
        keys = [
            k
            for k in others.order_by("-created_at").values_list(
                "screening__duplicate_key", flat=True
            )[:RECENT_KEYS]
            if k
        ]
    result = screen(
        body,
        policy=screen_policy,
        recent_times_by_author=times,
        recent_keys_by_author=keys,
        now=now,
    )
    if result.outcome == Outcome.REJECT:
        lang = translation.get_language() or settings.LANGUAGE_CODE
        message = result.message_th if lang.startswith("th") else result.message_en
        first = result.reasons[0] if result.reasons else "rejected"
        raise ServiceError(
            message or _("This comment cannot be published."), code=str(first), field="body"
        )
    status, hold_reason = Status.PUBLISHED, ""
    if result.outcome == Outcome.HOLD:
        held = [r for r in result.reasons if screen_policy.action(r) == Outcome.HOLD]
        status, hold_reason = Status.PENDING, str(held[0] if held else ReasonCode.OTHER)
    elif policy.mode == Mode.PRE:
        status, hold_reason = Status.PENDING, ReasonCode.PRE_MODERATION
    elif (
        author is not None
        and channel == Channel.WEB
        and _author_unverified(consultation, policy, author)
    ):
        status, hold_reason = Status.PENDING, ReasonCode.UNVERIFIED
    return Verdict(
        status=status,
        body=result.masked_text,
        hold_reason=hold_reason,
        result=result,
        policy=policy,
        now=now,
    )


def _without_citizen_ids(text: str, findings) -> str:
    spans = sorted(
        (f.start, f.end) for f in findings if f.kind == "citizen_id" and 0 <= f.start < f.end
    )
    if not spans:
        return text
    pieces, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        pieces += [text[pos:start], MASKS["citizen_id"]]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def originals_erase_for(*, comment_ids: list[int], now: datetime | None = None) -> int:
    """Erase the unmasked originals of these comments now (their author deleted their
    account). Returns how many."""
    now = now or timezone.now()
    return Screening.objects.filter(comment_id__in=comment_ids, purged_at__isnull=True).update(
        original_text="", purged_at=now
    )


def submission_record(*, comment: Comment, verdict: Verdict, edit: bool = False) -> None:
    """Store what the screen found; queue a held comment. Call inside the comment's
    transaction, after it is saved. After an edit the comment's screening is replaced: the
    earlier unmasked original, if any, goes with it (the text it belonged to is gone), and the
    edit is logged."""
    result = verdict.result
    # Citizen ID numbers are never kept, not even in the original moderators may see: only
    # phone numbers and e-mail addresses stay there until the retention ends.
    original = _without_citizen_ids(result.original_text, result.findings)
    masked = original != result.masked_text
    if edit:
        Screening.objects.filter(comment=comment).delete()
        _log(action=Action.EDIT, consultation_id=comment.consultation_id, comment=comment)
    Screening.objects.create(
        comment=comment,
        outcome=Outcome.HOLD if verdict.status == Status.PENDING else Outcome.PUBLISH,
        reasons=[str(r) for r in result.reasons],
        findings=[
            {
                "reason": str(f.reason),
                "kind": f.kind,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "term": f.term,
            }
            for f in result.findings
        ],  # fmt: skip
        original_text=original if masked else "",
        purge_after=verdict.now + verdict.policy.retention if masked else None,
        duplicate_key=result.duplicate_key[:64],
        created_at=verdict.now,
    )
    if verdict.status == Status.PENDING:
        action = (
            Action.SCREEN_HOLD
            if verdict.hold_reason in {r.value for r in Reason}
            else Action.POLICY_HOLD
        )
        _log(
            action=action,
            consultation_id=comment.consultation_id,
            comment=comment,
            reason=verdict.hold_reason,
        )
        if _open_item(comment) is None:  # an edited comment may already wait for review
            _queue_add(comment, Kind.HELD, verdict.hold_reason, verdict.now)
    elif masked:
        _log(
            action=Action.SCREEN_MASK,
            consultation_id=comment.consultation_id,
            comment=comment,
            reason=Reason.PERSONAL_DATA,
        )


def _agency_id(consultation_id: int) -> int:
    return Consultation.objects.values_list("agency_id", flat=True).get(pk=consultation_id)


def _queue_add(comment: Comment, kind: str, reason: str, now: datetime) -> QueueItem:
    item = QueueItem.objects.create(
        comment=comment,
        consultation_id=comment.consultation_id,
        agency_id_copy=_agency_id(comment.consultation_id),
        kind=kind,
        reason=reason,
        created_at=now,
    )
    events.queue_changed(item.agency_id_copy, item.pk, "added")
    return item


def _open_item(comment: Comment) -> QueueItem | None:
    return QueueItem.objects.filter(comment=comment, state=State.OPEN).first()


# --- flags ------------------------------------------------------------------------------


@transaction.atomic
def reporter_weight(user: User, *, now: datetime | None = None) -> float:
    """How much one report counts towards hiding a comment: a verified identity or an
    established account (``FLAG_ESTABLISHED_DAYS`` old) counts fully; a new account counts
    half with a LINE or Google sign-in and a quarter with only an e-mail address, so a few
    fresh accounts cannot hide a comment on their own (it still goes to the queue)."""
    from accounts.models import Level
    from accounts.selectors import assurance_level

    now = now or timezone.now()
    level = assurance_level(user)
    if level >= Level.IDENTITY:
        return 1.0
    if user.date_joined <= now - timedelta(days=settings.FLAG_ESTABLISHED_DAYS):
        return 1.0
    return 0.5 if level >= Level.SOCIAL else 0.25


def flag_create(*, comment: Comment, user: User, reason: str, note: str = "") -> Flag:
    """Report a comment. After the policy's number of distinct reports it is hidden pending
    review."""
    if reason not in FlagReason.values:
        raise ServiceError(_("Choose why you are reporting this comment."), code="reason")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id is not None and comment.author_id == user.pk:
        raise ServiceError(_("You cannot report your own comment."), code="own")
    if comment.status != Status.PUBLISHED:
        raise ServiceError(_("This comment is already being reviewed."), code="not_published")
    now = timezone.now()
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                comment=comment, user=user, reason=reason, note=(note or "").strip()[:500]
            )
    except IntegrityError:
        raise ServiceError(
            _("You have already reported this comment. Thank you."), code="duplicate"
        ) from None
    _log(
        action=Action.FLAG,
        actor=user,
        consultation_id=comment.consultation_id,
        comment=comment,
        reason=reason,
    )
    item = _open_item(comment)
    if item is None:
        item = _queue_add(comment, Kind.FLAGGED, reason, now)
    else:
        events.queue_changed(item.agency_id_copy, item.pk, "added")
    reporters = User.objects.filter(
        pk__in=Flag.objects.filter(comment=comment, resolved=False).values("user_id")
    )
    weight = sum(reporter_weight(r, now=now) for r in reporters)
    threshold = policy_for(comment.consultation).flag_threshold
    if threshold and weight >= threshold:
        comment_status_change(
            comment, Status.HIDDEN, ReasonCode.FLAGGED, _("Hidden until a moderator reviews it.")
        )
        _log(
            action=Action.FLAG_HIDE,
            consultation_id=comment.consultation_id,
            comment=comment,
            reason=ReasonCode.FLAGGED,
        )
    return flag


def comment_status_change(comment: Comment, status: str, reason: str, note: str) -> Comment:
    from comments.services import comment_set_status

    return comment_set_status(comment=comment, status=status, reason=reason, note=note)


# --- the queue ------------------------------------------------------------------------------


def _claimable_by(moderator: User, now: datetime) -> Q:
    return (
        Q(claimed_by__isnull=True)
        | Q(claimed_by=moderator)
        | Q(claimed_at__lt=now - claim_timeout())
    )


def queue_claim(*, item: QueueItem, moderator: User) -> bool:
    """Take an item for review. Exactly one of several moderators claiming at once gets it
    (one conditional UPDATE). Returns whether this moderator holds it now."""
    now = timezone.now()
    with transaction.atomic():
        taken = (
            QueueItem.objects.filter(pk=item.pk, state=State.OPEN)
            .filter(_claimable_by(moderator, now))
            .update(claimed_by=moderator, claimed_at=now)
        )
        if taken:
            events.queue_changed(item.agency_id_copy, item.pk, "claimed", by=moderator.pk)
    return bool(taken)


def queue_release(*, item: QueueItem, moderator: User) -> bool:
    """Give an item back to the queue."""
    with transaction.atomic():
        released = QueueItem.objects.filter(
            pk=item.pk, state=State.OPEN, claimed_by=moderator
        ).update(claimed_by=None, claimed_at=None)
        if released:
            events.queue_changed(item.agency_id_copy, item.pk, "released")
    return bool(released)


_NEW_STATUS = {
    Action.APPROVE: Status.PUBLISHED,
    Action.RESTORE: Status.PUBLISHED,
    Action.HIDE: Status.HIDDEN,
    Action.REMOVE: Status.REMOVED,
}


@transaction.atomic
def decision_record(
    *,
    comment: Comment,
    moderator: User,
    action: str,
    reason: str = "",
    note: str = "",
    item: QueueItem | None = None,
) -> LogEntry:
    """Decide on a comment: approve, hide (reason + public note), remove, restore or escalate.

    When the comment has an open queue item, the decision takes it with a conditional UPDATE
    (it must be unclaimed, claimed by this moderator, or its claim lapsed), so no item is
    decided twice. Pass the ``item`` the moderator was looking at: if it was decided meanwhile,
    the decision is refused rather than applied again. An appeal is decided by a moderator other than the one who made the
    decision appealed against.
    """
    if action not in {a.value for a in DECISIONS}:
        raise ServiceError(_("Choose a decision."), code="action")
    note = (note or "").strip()
    if action in (Action.HIDE, Action.REMOVE):
        if reason not in ReasonCode.values:
            raise ServiceError(
                _("Choose a reason for this decision."), code="reason", field="reason"
            )
        if not note:
            raise ServiceError(
                _("Write a short public note explaining the decision."), code="note", field="note"
            )
    elif reason and reason not in ReasonCode.values:
        raise ServiceError(_("Choose a reason for this decision."), code="reason", field="reason")
    if len(note) > 500:
        raise ServiceError(_("The note can be at most 500 characters."), code="note", field="note")
    now = timezone.now()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    expected = item
    item = _open_item(comment)
    if expected is not None and (item is None or item.pk != expected.pk):
        raise ServiceError(
            _("Another moderator is deciding this item, or already has."), code="taken"
        )
    appeal = None
    if item is not None and item.kind == Kind.APPEAL:
        appeal = Appeal.objects.select_for_update().get(comment=comment)
        if appeal.original_moderator_id == moderator.pk:
            raise ServiceError(
                _("Another moderator must decide an appeal against your own decision."),
                code="own_decision",
            )
    if item is not None:
        fields: dict = {"claimed_by": moderator, "claimed_at": now}
        if action == Action.ESCALATE:
            fields = {"escalated": True, "claimed_by": None, "claimed_at": None}
        else:
            fields.update(
                state=State.DECIDED, decided_by=moderator, decided_at=now, decision=action
            )
        taken = (
            QueueItem.objects.filter(pk=item.pk, state=State.OPEN)
            .filter(_claimable_by(moderator, now))
            .update(**fields)
        )
        if not taken:
            raise ServiceError(
                _("Another moderator is deciding this item, or already has."), code="taken"
            )
    elif action == Action.ESCALATE:
        raise ServiceError(_("Only items in the queue can be escalated."), code="no_item")
    new_status = _NEW_STATUS.get(Action(action))
    if new_status is not None and (
        comment.status != new_status
        or (new_status != Status.PUBLISHED and comment.status_note != note)
    ):
        comment = comment_status_change(
            comment, new_status, "" if new_status == Status.PUBLISHED else reason, note
        )
    if new_status is not None:
        Flag.objects.filter(comment=comment, resolved=False).update(resolved=True)
    logged_action = action
    if appeal is not None and action != Action.ESCALATE:
        overturned = new_status == Status.PUBLISHED
        appeal.state = AppealState.OVERTURNED if overturned else AppealState.UPHELD
        appeal.decided_at, appeal.decided_by = now, moderator
        appeal.save(update_fields=["state", "decided_at", "decided_by"])
        logged_action = Action.APPEAL_OVERTURNED if overturned else Action.APPEAL_UPHELD
    entry = _log(
        created_at=now,
        action=logged_action,
        actor=moderator,
        consultation_id=comment.consultation_id,
        comment=comment,
        reason=reason,
        note=note,
        queue_kind=item.kind if item else "",
        waited_seconds=(
            max(0, int((now - item.created_at).total_seconds()))
            if item is not None and action != Action.ESCALATE
            else None
        ),
    )
    signals.moderation_decided.send(
        sender=Comment, comment=comment, entry=entry, moderator=moderator, appeal=appeal
    )
    if item is not None:
        op = "released" if action == Action.ESCALATE else "decided"
        events.queue_changed(item.agency_id_copy, item.pk, op, by=moderator.pk)
    return entry


def decisions_bulk(
    *,
    items: list[QueueItem],
    moderator: User,
    action: str,
    reason: str = "",
    note: str = "",
) -> tuple[int, list[str]]:
    """The same decision on several queue items, each on its own (one refused item does not undo
    the others). Returns how many were decided and the messages for those skipped."""
    done, skipped = 0, []
    for item in items:
        try:
            decision_record(
                comment=item.comment,
                moderator=moderator,
                action=action,
                reason=reason,
                note=note,
                item=item,
            )
        except ServiceError as exc:
            skipped.append(f"#{item.comment_id}: {exc.message}")
        else:
            done += 1
    return done, skipped


# --- appeals ------------------------------------------------------------------------------


@transaction.atomic
def appeal_create(*, comment: Comment, author: User, text: str) -> Appeal:
    """The author's one appeal against hiding or removing their comment."""
    text = (text or "").strip()
    if not text:
        raise ServiceError(
            _("Please say why the decision should change."), code="empty", field="text"
        )
    if len(text) > 1000:
        raise ServiceError(
            _("An appeal can be at most 1,000 characters."), code="too_long", field="text"
        )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != author.pk:
        raise ServiceError(_("Only the author can appeal."), code="not_author")
    if comment.status not in (Status.HIDDEN, Status.REMOVED):
        raise ServiceError(_("Only a hidden or removed comment can be appealed."), code="status")
    if Appeal.objects.filter(comment=comment).exists():
        raise ServiceError(_("This comment has already been appealed once."), code="twice")
    now = timezone.now()
    last = (
        LogEntry.objects.filter(
            comment=comment, action__in=[Action.HIDE, Action.REMOVE, Action.FLAG_HIDE]
        )
        .order_by("-created_at", "-id")
        .first()
    )
    appeal = Appeal.objects.create(
        comment=comment,
        author=author,
        text=text,
        original_moderator=last.actor if last else None,
        original_action=last.action if last else "",
        created_at=now,
    )
    _log(
        created_at=now,
        action=Action.APPEAL,
        actor=author,
        consultation_id=comment.consultation_id,
        comment=comment,
    )
    item = _open_item(comment)
    if item is not None:
        QueueItem.objects.filter(pk=item.pk).update(kind=Kind.APPEAL)
        events.queue_changed(item.agency_id_copy, item.pk, "added")
    else:
        _queue_add(comment, Kind.APPEAL, comment.status_reason or ReasonCode.OTHER, now)
    return appeal


# --- suspensions -----------------------------------------------------------------------------


@transaction.atomic
def suspension_create(
    *,
    user: User,
    moderator: User,
    days: int,
    reason: str,
    note: str = "",
    consultation: Consultation | None = None,
) -> Suspension:
    """Suspend a person from commenting and voting for ``days`` days, with a reason."""
    if not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ServiceError(
            _("A suspension lasts from 1 to %(max)s days.") % {"max": MAX_SUSPENSION_DAYS},
            code="days",
            field="days",
        )
    if reason not in ReasonCode.values:
        raise ServiceError(_("Choose a reason for this decision."), code="reason", field="reason")
    if user.pk == moderator.pk:
        raise ServiceError(_("You cannot suspend yourself."), code="self")
    now = timezone.now()
    forget()
    suspension = Suspension.objects.create(
        user=user,
        until=now + timedelta(days=days),
        reason=reason,
        note=(note or "").strip()[:500],
        created_by=moderator,
        created_at=now,
    )
    _log(
        created_at=now,
        action=Action.SUSPEND,
        actor=moderator,
        subject=user,
        consultation=consultation,
        reason=reason,
        note=f"{days}d {suspension.note}".strip(),
    )
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, moderator: User) -> Suspension:
    now = timezone.now()
    Suspension.objects.filter(pk=suspension.pk, lifted_at__isnull=True).update(lifted_at=now)
    forget()
    suspension.refresh_from_db()
    _log(created_at=now, action=Action.LIFT_SUSPENSION, actor=moderator, subject=suspension.user)
    return suspension


# --- retention ------------------------------------------------------------------------------


def originals_purge(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Erase unmasked originals (personal data) whose retention has passed. Returns how many."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Screening.objects.select_for_update()
                .filter(purge_after__lte=now, purged_at__isnull=True)
                .values_list("pk", "comment_id", "comment__consultation_id")[:batch]
            )
            if not rows:
                return total
            Screening.objects.filter(pk__in=[r[0] for r in rows]).update(
                original_text="", purged_at=now
            )
            LogEntry.objects.bulk_create(
                LogEntry(
                    created_at=now,
                    action=Action.PURGE,
                    comment_id=comment_id,
                    consultation_id=consultation_id,
                    reason=Reason.PERSONAL_DATA,
                )
                for _pk, comment_id, consultation_id in rows
            )
            signals.originals_purged.send(
                sender=Screening, comment_ids=[comment_id for _pk, comment_id, _c in rows]
            )
            total += len(rows)


# --- policy ---------------------------------------------------------------------------------

POLICY_FIELDS = (
    "mode",
    "trusted_level",
    "flag_threshold",
    "max_links",
    "flood_limit",
    "flood_window_seconds",
    "hold_profanity",
    "hold_impolite",
    "hold_links",
    "hold_personal_data",
    "retention_days",
)


@transaction.atomic
def policy_set(*, consultation: Consultation, changed_by: User, **values) -> ModerationPolicy:
    """Set a consultation's moderation rules (only the fields given change)."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ServiceError(f"Unknown policy fields: {sorted(unknown)}", code="fields")
    if "mode" in values and values["mode"] not in Mode.values:
        raise ServiceError(_("Choose a moderation mode."), code="mode", field="mode")
    policy, _created = ModerationPolicy.objects.select_for_update().get_or_create(
        consultation=consultation
    )
    for name, value in values.items():
        setattr(policy, name, value)
    if not 1 <= policy.retention_days <= 365:
        raise ServiceError(
            _("Keep originals between 1 and 365 days."), code="retention", field="retention_days"
        )
    if policy.flood_limit < 1 or policy.flood_window_seconds < 1:
        raise ServiceError(_("Flood limits must be positive."), code="flood", field="flood_limit")
    policy.save()
    # A consultation read with its policy (policy_for) now holds this one.
    Consultation._meta.get_field("moderation_policy").set_cached_value(consultation, policy)
    _log(
        action=Action.POLICY_CHANGE,
        actor=changed_by,
        consultation=consultation,
        note=", ".join(f"{k}={v}" for k, v in sorted(values.items())),
    )
    return policy
