"""Background tasks (``django.tasks``): each loads what it needs and calls a service. The
receivers queue them after commit; periodic jobs run through ``manage.py worker``."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from consult import periodic
from notifications import services
from notifications.models import Kind


def _consultation(consultation_id: int):
    from topics.models import Consultation

    return Consultation.objects.select_related("agency").filter(pk=consultation_id).first()


@task()
def notify_consultation(
    kind: str, consultation_id: int, actor_id: int | None = None, ref: str = ""
) -> int:
    """Tell the followers of a consultation (or, for a new one, of its agency / category)."""
    consultation = _consultation(consultation_id)
    if consultation is None:
        return 0
    if kind == Kind.NEW_CONSULTATION:
        if not consultation.published_at or consultation.published_at > timezone.now():
            return 0  # scheduled: the periodic job tells people when it appears
        people = services.new_consultation_followers(consultation.agency_id, consultation.category)
    else:
        people = services.consultation_followers(consultation.pk)
    told = services.fan_out_once(
        kind=kind,
        key=f"{kind}:{consultation.pk}{ref}",
        user_ids=people,
        consultation_id=consultation.pk,
        data={"title": consultation.title},
        url=consultation.get_absolute_url(),
        actor_id=actor_id,
    )
    send_due.enqueue()
    return told or 0


@task()
def notify_reply(comment_id: int) -> int:
    from comments.models import Comment, Status

    comment = (
        Comment.objects.select_related("parent", "consultation", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.parent is None or comment.status != Status.PUBLISHED:
        return 0
    to = comment.parent.author_id
    if to is None or to == comment.author_id:
        return 0
    told = services.fan_out(
        kind=Kind.REPLY,
        key=f"reply:{comment.pk}",
        user_ids=[to],
        consultation_id=comment.consultation_id,
        data={
            "title": comment.consultation.title,
            "name": comment.author_name or (comment.author.public_name() if comment.author else ""),
        },
        url=reverse(
            "comments:thread", args=[comment.consultation.slug, comment.root_id or comment.pk]
        )
        + f"#c{comment.pk}",
        actor_id=comment.author_id,
    )
    send_due.enqueue()
    return told


@task()
def notify_decision(comment_id: int, entry_id: int, moderator_id: int | None, appeal: bool) -> int:
    from comments.models import Comment

    comment = Comment.objects.select_related("consultation").filter(pk=comment_id).first()
    if comment is None or comment.author_id is None:
        return 0
    told = services.fan_out(
        kind=Kind.MODERATION,
        key=f"moderation:{entry_id}",
        user_ids=[comment.author_id],
        consultation_id=comment.consultation_id,
        data={"title": comment.consultation.title, "appeal": appeal},
        url=reverse("moderation:mine"),
        actor_id=moderator_id,
    )
    send_due.enqueue()
    return told


@task()
def send_due() -> int:
    """Send what is due in the outbox; queue itself again while more is waiting."""
    from notifications.models import Delivery, DeliveryState

    sent = services.send_due()
    if Delivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
    ).exists():
        send_due.enqueue()
    return sent


@task()
def announce_and_remind() -> int:
    """New consultations whose scheduled publication came; closing in 3 days; closed."""
    from topics.models import Consultation

    now = timezone.now()
    count = 0
    recent = Consultation.objects.filter(
        published_at__gt=now - timedelta(days=2), published_at__lte=now
    )
    for cid in recent.values_list("pk", flat=True):
        count += notify_consultation.call(Kind.NEW_CONSULTATION, cid)
    closing = Consultation.objects.filter(
        published_at__lte=now,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + timedelta(days=3),
    )
    for cid, closes_at in closing.values_list("pk", "closes_at"):
        count += notify_consultation.call(Kind.CLOSING_SOON, cid, ref=f":{closes_at:%Y%m%d}")
    closed = Consultation.objects.filter(
        published_at__isnull=False, closes_at__lte=now, closes_at__gt=now - timedelta(days=2)
    )
    for cid in closed.values_list("pk", flat=True):
        count += notify_consultation.call(Kind.CLOSED, cid)
    return count


@task()
def moderation_digest() -> int:
    """Once a day: each moderator is told how many items came into their queue (if any)."""
    from moderation.models import QueueItem, State
    from topics.models import Membership, Role

    now = timezone.now()
    since = now - timedelta(days=1)
    told = 0
    open_new = QueueItem.objects.filter(state=State.OPEN, created_at__gt=since)
    for user_id, agency_id in Membership.objects.filter(role=Role.MODERATOR).values_list(
        "user_id", "agency_id"
    ):
        items = open_new if agency_id is None else open_new.filter(Q(agency_id_copy=agency_id))
        count = items.count()
        if not count:
            continue
        told += services.fan_out(
            kind=Kind.QUEUE_DIGEST,
            key=f"queue:{agency_id or 0}:{timezone.localdate(now):%Y%m%d}",
            user_ids=[user_id],
            consultation_id=None,
            data={"count": count},
            url=reverse("moderation:queue"),
            now=now,
        )
    send_due.enqueue()
    return told


@task()
def daily_digests() -> int:
    return services.send_digests()


def register_periodic() -> None:
    periodic.register("notifications.send_due", every=timedelta(minutes=1), task=send_due)
    periodic.register(
        "notifications.announce_and_remind", every=timedelta(minutes=15), task=announce_and_remind
    )
    periodic.register(
        "notifications.moderation_digest", every=timedelta(days=1), task=moderation_digest
    )
    periodic.register("notifications.daily_digests", every=timedelta(days=1), task=daily_digests)
