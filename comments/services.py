"""Writes on comments, replies and votes. Views, consumers and commands call these."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from comments import events
from comments.models import (
    Channel,
    Comment,
    CommentRevision,
    CommentStance,
    OfflineVia,
    Status,
    Vote,
    VoteValue,
)
from comments.polis_export import PolisExport
from consult import signals
from consult.errors import ServiceError
from consult.memo import forget
from consult.models import User
from moderation import services as moderation
from topics.models import Agency, Category, Consultation, Kind, Phase, Section


def divisiveness(agree: int, disagree: int) -> float:
    """Large when many people voted and they split evenly; 0 when everyone agrees."""
    high = max(agree, disagree)
    if high == 0:
        return 0.0
    return (agree + disagree) * min(agree, disagree) / high


def _check_open(consultation: Consultation, when: datetime) -> None:
    phase = consultation.phase_at(when)
    if phase != Phase.OPEN:
        if phase == Phase.CLOSED:
            raise ServiceError(_("This consultation has closed."), code="closed")
        raise ServiceError(_("This consultation is not open for comments yet."), code="not_open")


@transaction.atomic
def comment_create(
    *,
    consultation: Consultation,
    author: User | None,
    body: str,
    stance: str = CommentStance.UNSTATED,
    section: Section | None = None,
    parent: Comment | None = None,
    parent_id: int | None = None,
    channel: str = Channel.WEB,
    external_id: str = "",
    author_name: str = "",
    created_at: datetime | None = None,
    client_key: str = "",
    offline_via: str = "",
) -> Comment:
    """Create a comment or a reply (to ``parent``, or to the comment ``parent_id``). Web
    comments need an open consultation.

    With a ``client_key`` (consult/idempotency.py), a second call by the same author with the
    same key returns the comment the first one created, and creates, counts and announces
    nothing."""
    now = timezone.now()
    if client_key and author is not None:
        earlier = Comment.objects.filter(author=author, client_key=client_key).first()
        if earlier is not None:
            return earlier
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError(_("Please write a comment."), code="empty", field="body")
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise ServiceError(
            _("A comment can be at most %(max)s characters (yours has %(n)s).")
            % {"max": settings.COMMENT_MAX_LENGTH, "n": len(body)},
            code="too_long",
            field="body",
        )
    if stance not in CommentStance.values:
        raise ServiceError(_("Choose a stance."), code="stance", field="stance")
    if channel not in Channel.values:
        raise ServiceError(_("Unknown channel."), code="channel")
    if channel == Channel.WEB:
        _check_open(consultation, now)
    if channel != Channel.OFFLINE:
        offline_via = ""
    elif offline_via and offline_via not in OfflineVia.values:
        raise ServiceError(_("Say how the submission arrived."), code="via", field="via")
    if section is not None and section.consultation_id != consultation.pk:
        raise ServiceError(
            _("That section is not part of this draft."), code="section", field="section"
        )
    depth = 0
    root_id = None
    if parent is not None:
        parent_id = parent.pk
    if parent_id is not None:
        parent = Comment.objects.select_related("section").filter(pk=parent_id).first()  # fresh
        if parent is None:
            raise ServiceError(_("The comment you replied to no longer exists."), code="parent")
        if parent.consultation_id != consultation.pk:
            raise ServiceError(_("You can only reply within the same consultation."), code="parent")
        if parent.status != Status.PUBLISHED:
            raise ServiceError(_("This comment can no longer be replied to."), code="parent")
        depth = parent.depth + 1
        if depth >= settings.COMMENT_MAX_DEPTH:
            raise ServiceError(_("Replies can be nested at most three levels deep."), code="depth")
        root_id = parent.root_id or parent.pk
        section = parent.section
    # Every submission is screened: rejected (ServiceError, nothing saved), published with
    # personal data masked, or held for review (the consultation's moderation policy).
    verdict = moderation.submission_screen(
        consultation=consultation, author=author, body=body, channel=channel, now=created_at or now
    )
    try:
        with transaction.atomic():  # a savepoint: the same key sent twice at once
            comment = Comment.objects.create(
                consultation=consultation,
                section=section,
                parent=parent,
                root_id=root_id,
                depth=depth,
                author=author,
                author_name=author_name,
                body=verdict.body,
                stance=stance,
                status=verdict.status,
                status_reason=verdict.hold_reason,
                channel=channel,
                offline_via=offline_via,
                external_id=external_id,
                client_key=client_key if author is not None else "",
                created_at=created_at or now,
            )
    except IntegrityError:
        earlier = (
            Comment.objects.filter(author=author, client_key=client_key).first()
            if client_key and author is not None
            else None
        )
        if earlier is None:
            raise
        return earlier
    moderation.submission_record(comment=comment, verdict=verdict)
    if comment.status == Status.PUBLISHED:
        _adjust_counts(comment, +1)
    else:
        forget()  # the author now has a comment awaiting review (consult.viewer)
    signals.comment_created.send(sender=Comment, comment=comment)
    events.comment_created(comment)
    return comment


@transaction.atomic
def comments_detach_author(*, user: User, remove_where_allowed: bool) -> dict[str, int]:
    """When a person deletes their account: unlink their comments from them. With
    ``remove_where_allowed``, comments on consultations whose legal basis is consent are
    removed (text erased); the others stay under "Deleted user"."""
    from topics.models import LegalBasis

    kept = removed = 0
    all_ids: list[int] = []
    erased_ids: list[int] = []
    for comment in (
        # In consultation order: each consultation's rows (its counts, its live-event number)
        # are locked in the same order by every writer, so two erasures cannot deadlock.
        Comment.objects.select_for_update()
        .filter(author=user)
        .select_related("consultation")
        .order_by("consultation_id", "id")
    ):
        comment.author = None
        comment.author_name = ""
        fields = ["author", "author_name"]
        if remove_where_allowed and comment.consultation.legal_basis == LegalBasis.CONSENT:
            if comment.status == Status.PUBLISHED:
                _adjust_counts(comment, -1)
            comment.body = ""
            comment.status = Status.REMOVED
            comment.status_reason = "author_erased"
            comment.status_note = ""
            fields += ["body", "status", "status_reason", "status_note"]
            removed += 1
            erased_ids.append(comment.pk)
            events.comment_status(comment)
        else:
            kept += 1
        comment.save(update_fields=fields)
        all_ids.append(comment.pk)
    # earlier versions of the person's comments are theirs too: they go now
    CommentRevision.objects.filter(comment_id__in=all_ids).delete()
    signals.comments_detached.send(
        sender=Comment, user_id=user.pk, comment_ids=all_ids, erased_ids=erased_ids
    )
    return {"comments_kept": kept, "comments_removed": removed}


def _adjust_counts(comment: Comment, delta: int) -> None:
    """The published-comment counts of the consultation and section, and the thread's reply
    count. On PostgreSQL the (up to) three updates go in one statement, one round trip."""
    if connection.vendor == "postgresql":
        targets = [(Consultation, "comment_count", comment.consultation_id)]
        if comment.section_id is not None:
            targets.append((Section, "comment_count", comment.section_id))
        if comment.root_id is not None:
            targets.append((Comment, "reply_count", comment.root_id))
        ctes = []
        params: list[int] = []
        for n, (model, column, pk) in enumerate(targets):
            table = connection.ops.quote_name(model._meta.db_table)
            ctes.append(
                f"u{n} AS (UPDATE {table} SET {column} = {column} + %s WHERE id = %s RETURNING 1)"
            )
            params += [delta, pk]
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(ctes)} SELECT 1", params)
        return
    Consultation.objects.filter(pk=comment.consultation_id).update(
        comment_count=F("comment_count") + delta
    )
    if comment.section_id is not None:
        Section.objects.filter(pk=comment.section_id).update(
            comment_count=F("comment_count") + delta
        )
    if comment.root_id is not None:
        Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") + delta)


@transaction.atomic
def comment_edit(*, comment: Comment, user: User, body: str) -> Comment:
    """The author corrects their comment. The new text is screened like a new comment: it may
    be rejected (nothing changes), masked, or held for review. The earlier text is kept."""
    now = timezone.now()
    comment = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
    if comment.author_id is None or comment.author_id != user.pk:
        raise ServiceError(_("Only the author can edit a comment."), code="not_author")
    if not comment.is_editable(now):
        raise ServiceError(
            _("This comment can no longer be edited (comments can be edited for %(n)s minutes).")
            % {"n": settings.COMMENT_EDIT_MINUTES},
            code="not_editable",
        )
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError(_("Please write a comment."), code="empty", field="body")
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise ServiceError(
            _("A comment can be at most %(max)s characters (yours has %(n)s).")
            % {"max": settings.COMMENT_MAX_LENGTH, "n": len(body)},
            code="too_long",
            field="body",
        )
    verdict = moderation.submission_screen(
        consultation=comment.consultation, author=user, body=body, now=now, editing=comment
    )
    if verdict.body == comment.body:
        raise ServiceError(_("The text has not changed."), code="unchanged", field="body")
    previous_body = comment.body
    CommentRevision.objects.create(comment=comment, body=comment.body, created_at=now)
    was_published = comment.status == Status.PUBLISHED
    comment.body = verdict.body
    comment.edited_at = now
    fields = ["body", "edited_at"]
    if was_published and verdict.status == Status.PENDING:
        comment.status, comment.status_reason = Status.PENDING, verdict.hold_reason
        fields += ["status", "status_reason"]
    comment.save(update_fields=fields)
    moderation.submission_record(comment=comment, verdict=verdict, edit=True)
    if was_published and comment.status != Status.PUBLISHED:
        _adjust_counts(comment, -1)
    signals.comment_edited.send(sender=Comment, comment=comment, previous_body=previous_body)
    if was_published and comment.status != Status.PUBLISHED:  # the edit is held for review
        signals.comment_status_changed.send(
            sender=Comment, comment=comment, previous_status=Status.PUBLISHED
        )
    events.comment_status(comment)
    return comment


@transaction.atomic
def comment_set_status(
    *, comment: Comment, status: str, reason: str = "", note: str = ""
) -> Comment:
    """Change a comment's moderation status (the counts follow; nothing is deleted)."""
    if status not in Status.values:
        raise ServiceError(_("Unknown status."), code="status")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    previous_status = comment.status
    was_published = previous_status == Status.PUBLISHED
    comment.status = status
    comment.status_reason = reason
    comment.status_note = note[:500]
    comment.save(update_fields=["status", "status_reason", "status_note"])
    now_published = status == Status.PUBLISHED
    if was_published != now_published:
        _adjust_counts(comment, +1 if now_published else -1)
    if previous_status != status:
        signals.comment_status_changed.send(
            sender=Comment, comment=comment, previous_status=previous_status
        )
    events.comment_status(comment)
    return comment


@transaction.atomic
def vote_cast(*, comment: Comment, user: User, value: int) -> Comment:
    """Record (or change) a person's vote; returns the comment with exact, current counts."""
    if value not in VoteValue.values:
        raise ServiceError(_("A vote is agree, disagree or pass."), code="value")
    now = timezone.now()
    # The row lock serialises voters on one comment, so counts stay exact under concurrency.
    locked = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
    if locked.status != Status.PUBLISHED:
        raise ServiceError(_("This comment is not open for votes."), code="not_published")
    if locked.author_id is not None and locked.author_id == user.pk:
        # Votes say what others think of a comment; the author's view is the comment itself.
        raise ServiceError(_("You cannot vote on your own comment."), code="own_comment")
    _check_open(locked.consultation, now)
    vote = Vote.objects.filter(comment=locked, user=user).first()
    if vote is not None and vote.value == value:
        return locked
    previous_value = vote.value if vote is not None else None
    if vote is not None:
        _count(locked, vote.value, -1)
        vote.value = value
        vote.updated_at = now
        vote.save(update_fields=["value", "updated_at"])
    else:
        vote = Vote.objects.create(
            consultation_id=locked.consultation_id,
            comment=locked,
            user=user,
            value=value,
            created_at=now,
            updated_at=now,
        )
    _count(locked, value, +1)
    locked.divisiveness = divisiveness(locked.agree_count, locked.disagree_count)
    locked.save(update_fields=["agree_count", "disagree_count", "pass_count", "divisiveness"])
    signals.vote_cast.send(sender=Vote, vote=vote, comment=locked, previous_value=previous_value)
    events.votes_changed(locked)
    return locked


def _count(comment: Comment, value: int, delta: int) -> None:
    name = {1: "agree_count", -1: "disagree_count", 0: "pass_count"}[value]
    setattr(comment, name, getattr(comment, name) + delta)


POLIS_ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed "
    "under CC BY 4.0 with Attribution to The Computational Democracy Project."
)


@transaction.atomic
def import_polis_conversation(
    *,
    export: PolisExport,
    slug: str,
    agency: Agency,
    title: str = "",
    category: str = Category.PARTICIPATION,
) -> Consultation:
    """Turn a Polis export into a (closed) consultation with its comments and votes.

    Polis comment ids and participant ids are kept as external ids. All or nothing: any
    problem raises and the transaction leaves nothing behind.
    """
    if Consultation.objects.filter(slug=slug).exists():
        raise ServiceError(f"A consultation with the slug {slug!r} already exists.", code="slug")
    if not export.comments:
        raise ServiceError("The export has no comments.", code="empty")
    first = min(c.created for c in export.comments)
    last = max([c.created for c in export.comments] + [v.created for v in export.votes])
    closes = max(
        last + timedelta(minutes=1), first + timedelta(days=settings.MIN_CONSULTATION_DAYS)
    )
    consultation = Consultation(
        agency=agency,
        slug=slug,
        title=(title or export.title or slug)[:300],
        summary=export.description,
        language="en",
        kind=Kind.PRINCIPLES,
        category=category,
        opens_at=first,
        closes_at=closes,
        published_at=first,
        source_note=f"{POLIS_ATTRIBUTION} {export.url}".strip(),
    )
    consultation.full_clean(exclude=["slug"])
    consultation.save()
    counts: dict[str, list[int]] = {c.external_id: [0, 0, 0] for c in export.comments}
    for v in export.votes:
        counts[v.comment_id][{1: 0, -1: 1, 0: 2}[v.value]] += 1
    comments = []
    for c in export.comments:
        agree, disagree, passed = counts[c.external_id]
        hidden = c.moderated == -1
        if not c.body:  # removed at the source: kept, so the votes on it stay consistent
            status, reason, note = (
                Status.REMOVED,
                "source_removed",
                "Removed in the original conversation (no text in the export).",
            )
        elif hidden:
            status, reason, note = (
                Status.HIDDEN,
                "source_moderation",
                "Hidden by the original conversation's moderators.",
            )
        else:
            status, reason, note = Status.PUBLISHED, "", ""
        comments.append(
            Comment(
                consultation=consultation,
                body=c.body[: settings.COMMENT_MAX_LENGTH],
                stance=CommentStance.UNSTATED,
                status=status,
                status_reason=reason,
                status_note=note,
                channel=Channel.IMPORT,
                external_id=c.external_id,
                external_author=c.author_id,
                # Shown as "Participant N" in the reader's language (Comment.display_author).
                author_name="",
                created_at=c.created,
                agree_count=agree,
                disagree_count=disagree,
                pass_count=passed,
                divisiveness=divisiveness(agree, disagree),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=2000)
    ids = dict(Comment.objects.filter(consultation=consultation).values_list("external_id", "pk"))
    Vote.objects.bulk_create(
        (
            Vote(
                consultation=consultation,
                comment_id=ids[v.comment_id],
                external_voter=v.voter_id,
                value=v.value,
                created_at=v.created,
                updated_at=v.created,
            )
            for v in export.votes
        ),
        batch_size=5000,
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        comment_count=sum(1 for c in comments if c.status == Status.PUBLISHED)
    )
    consultation.refresh_from_db()
    signals.conversation_imported.send(sender=Consultation, consultation=consultation)
    return consultation
