"""Writes: follows, preferences, notices (fan-out in batches) and sending the outbox."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consult.errors import ServiceError
from notifications import content, line, live, tokens
from notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    EmailMode,
    FanOut,
    Follow,
    Kind,
    LineLink,
    Notice,
    Preferences,
    Target,
)

log = logging.getLogger(__name__)

BATCH = 2000
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)


# --- follows and preferences ------------------------------------------------------------------


def follow_set(*, user, target: str, key: str, on: bool) -> Follow:
    if target not in Target.values or not key:
        raise ServiceError(_("This cannot be followed."), code="target")
    follow, created = Follow.objects.get_or_create(
        user=user, target=target, key=str(key), defaults={"active": on}
    )
    if not created and follow.active != on:
        follow.active = on
        follow.save(update_fields=["active"])
    return follow


def follow_on_comment(*, user_id: int, consultation_id: int) -> None:
    """Commenting follows the consultation, unless the person opted out (in their
    preferences, or by having stopped following it once)."""
    prefs = Preferences.objects.filter(user_id=user_id).first()
    if prefs is not None and not prefs.follow_on_comment:
        return
    # One statement (this runs in every comment post): an existing follow, active or
    # stopped, is left as it is.
    Follow.objects.bulk_create(
        [Follow(user_id=user_id, target=Target.CONSULTATION, key=str(consultation_id))],
        ignore_conflicts=True,
    )


def preferences_for(user) -> Preferences:
    prefs = Preferences.objects.filter(user=user).first()
    if prefs is None:
        prefs = Preferences(user=user, language=translation.get_language() or "th")
    return prefs


def preferences_update(
    *,
    user,
    language: str,
    email_mode: str,
    line_on: bool,
    follow_on_comment: bool,
    kinds_on: Iterable[str],
) -> Preferences:
    if language not in dict(settings.LANGUAGES) or email_mode not in EmailMode.values:
        raise ServiceError(_("Please choose from the options shown."), code="invalid")
    kinds_on = set(kinds_on)
    if not kinds_on <= set(Kind.values):
        raise ServiceError(_("Please choose from the options shown."), code="invalid")
    if line_on and not LineLink.objects.filter(user=user, friend=True).exists():
        raise ServiceError(
            _("Add our LINE Official Account as a friend first, signed in with LINE."),
            code="line",
        )
    prefs = preferences_for(user)
    prefs.language = language
    prefs.email_mode = email_mode
    prefs.line = line_on
    prefs.follow_on_comment = follow_on_comment
    prefs.kinds_off = sorted(set(Kind.values) - kinds_on)
    prefs.save()
    return prefs


def unsubscribe(*, token: str) -> tuple[int, str]:
    """One-click unsubscribe (RFC 8058): e-mail of one kind, or all e-mail, stops."""
    parsed = tokens.read(token)
    if parsed is None:
        raise ServiceError(_("This unsubscribe link is not valid."), code="token")
    user_id, kind = parsed
    prefs = Preferences.objects.filter(user_id=user_id).first()
    if prefs is None:
        prefs = Preferences(user_id=user_id, language=settings.LANGUAGE_CODE)
    if kind == tokens.ALL:
        prefs.email_mode = EmailMode.OFF
    elif kind in Kind.values:
        prefs.kinds_off = sorted(set(prefs.kinds_off) | {kind})
    else:
        raise ServiceError(_("This unsubscribe link is not valid."), code="token")
    prefs.save()
    return user_id, kind


def notices_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notice.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    count = qs.update(read_at=timezone.now())
    live.count_changed([user.pk])
    return count


# --- LINE webhook ------------------------------------------------------------------------------


def line_webhook(*, body: bytes, signature: str) -> int:
    """Apply a signature-checked webhook call; returns the events applied. A bad signature or
    body changes nothing (``ServiceError``)."""
    if not line.signature_valid(body, signature):
        raise ServiceError("bad signature", code="signature")
    try:
        payload = json.loads(body)
        events = payload["events"]
        assert isinstance(events, list)
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ServiceError("bad body", code="body") from exc
    from allauth.socialaccount.models import SocialAccount

    applied = 0
    for event in events:
        if not isinstance(event, dict):
            continue
        source = event.get("source") or {}
        line_user = source.get("userId") if isinstance(source, dict) else None
        if not isinstance(line_user, str) or not line_user or len(line_user) > 64:
            continue
        if event.get("type") == "follow":
            account = SocialAccount.objects.filter(provider="line", uid=line_user).first()
            with transaction.atomic():
                link, _created = LineLink.objects.get_or_create(line_user_id=line_user)
                link.friend = True
                if account is not None and link.user_id is None:
                    LineLink.objects.filter(user_id=account.user_id).exclude(pk=link.pk).delete()
                    link.user_id = account.user_id
                link.save()
            applied += 1
        elif event.get("type") == "unfollow":
            LineLink.objects.filter(line_user_id=line_user).update(friend=False)
            applied += 1
    return applied


def line_link_for(user) -> LineLink | None:
    """The person's LINE friendship, attaching one that arrived before they linked LINE."""
    link = LineLink.objects.filter(user=user).first()
    if link is not None:
        return link
    from allauth.socialaccount.models import SocialAccount

    uids = SocialAccount.objects.filter(user=user, provider="line").values_list("uid", flat=True)
    link = LineLink.objects.filter(line_user_id__in=list(uids), user__isnull=True).first()
    if link is not None:
        link.user = user
        link.save(update_fields=["user", "updated_at"])
    return link


# --- fan-out -----------------------------------------------------------------------------------


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for i in ids:
        chunk.append(i)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def followers(target: str, keys: list[str]) -> Iterator[int]:
    """Ids of active people following any of ``keys`` of ``target`` (each once)."""
    qs = (
        Follow.objects.filter(target=target, key__in=keys, active=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .order_by("user_id")
        .distinct()
    )
    return qs.iterator(chunk_size=BATCH)


def fan_out(
    *,
    kind: str,
    key: str,
    user_ids: Iterable[int],
    consultation_id: int | None,
    data: dict,
    url: str,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Write one notice per person (never twice for one ``key``) and queue its e-mail / LINE
    deliveries, in batches; returns the number of people told."""
    now = now or timezone.now()
    told = 0
    line_on = line.enabled()
    for chunk in _chunks((u for u in user_ids if u != actor_id), BATCH):
        prefs = {
            p["user_id"]: p
            for p in Preferences.objects.filter(user_id__in=chunk).values(
                "user_id", "kinds_off", "email_mode", "line"
            )
        }
        chunk = [u for u in chunk if kind not in (prefs.get(u, {}).get("kinds_off") or [])]
        if not chunk:
            continue
        line_friends: set[int] = set()
        if line_on:
            wants_line = [u for u in chunk if prefs.get(u, {}).get("line")]
            if wants_line:
                line_friends = set(
                    LineLink.objects.filter(user_id__in=wants_line, friend=True).values_list(
                        "user_id", flat=True
                    )
                )
        by_channel: dict[str, list[int]] = {Channel.EMAIL: [], Channel.LINE: []}
        for u in chunk:
            if u in line_friends:
                by_channel[Channel.LINE].append(u)
            elif prefs.get(u, {}).get("email_mode", EmailMode.IMMEDIATE) == EmailMode.IMMEDIATE:
                by_channel[Channel.EMAIL].append(u)
            # else: daily digest, or no e-mail: the site only
        with transaction.atomic():
            _insert_notices(chunk, kind, key, consultation_id, data, url, now)
            for channel, people in by_channel.items():
                if people:
                    _insert_deliveries(people, key, channel, now)
        live.count_changed(chunk)
        told += len(chunk)
    return told


def _insert_notices(
    user_ids: list[int],
    kind: str,
    key: str,
    consultation_id: int | None,
    data: dict,
    url: str,
    now: datetime,
) -> None:
    """One INSERT … SELECT per batch (the ORM's per-object work dominates at 100,000 rows);
    a notice that exists already is left alone."""
    from django.db import connection

    when = connection.ops.adapt_datetimefield_value(now)
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    marks = ", ".join(["%s"] * len(user_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Notice._meta.db_table}
                  (user_id, kind, key, consultation_id, data, url, created_at)
                SELECT u.id, %s, %s, %s, %s{cast}, %s, %s FROM {_user_table()} u
                WHERE u.id IN ({marks})
                ON CONFLICT DO NOTHING""",
            [kind, key, consultation_id, json.dumps(data), url, when, *user_ids],
        )


def _insert_deliveries(user_ids: list[int], key: str, channel: str, now: datetime) -> None:
    from django.db import connection

    when = connection.ops.adapt_datetimefield_value(now)
    marks = ", ".join(["%s"] * len(user_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Delivery._meta.db_table}
                  (notice_id, channel, state, attempts, next_attempt_at, last_error)
                SELECT n.id, %s, %s, 0, %s, '' FROM {Notice._meta.db_table} n
                WHERE n.key = %s AND n.user_id IN ({marks})
                ON CONFLICT DO NOTHING""",
            [channel, DeliveryState.PENDING, when, key, *user_ids],
        )


def _user_table() -> str:
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.db_table


def fan_out_once(*, key: str, **kwargs) -> int | None:
    """:func:`fan_out` unless this event was already fanned out (periodic jobs repeat)."""
    if FanOut.objects.filter(key=key).exists():
        return None
    told = fan_out(key=key, **kwargs)
    FanOut.objects.get_or_create(
        key=key, defaults={"recipients": told, "done_at": kwargs.get("now") or timezone.now()}
    )
    return told


# --- sending the outbox --------------------------------------------------------------------------


def unsubscribe_url(user_id: int, kind: str = tokens.ALL) -> str:
    return settings.SITE_URL + reverse(
        "notifications:unsubscribe", args=[tokens.make(user_id, kind)]
    )


def _languages(user_ids: Iterable[int]) -> dict[int, str]:
    """Each person's language for notices: their choice, else the language of their consent,
    else the site's."""
    from accounts.models import Consent

    ids = list(user_ids)
    supported = dict(settings.LANGUAGES)
    out = dict.fromkeys(ids, settings.LANGUAGE_CODE)
    for user_id, lang in (
        Consent.objects.filter(user_id__in=ids).order_by("pk").values_list("user_id", "language")
    ):
        if lang in supported:
            out[user_id] = lang
    for user_id, lang in Preferences.objects.filter(user_id__in=ids).values_list(
        "user_id", "language"
    ):
        if lang in supported:
            out[user_id] = lang
    return out


def _language(user_id: int) -> str:
    return _languages([user_id])[user_id]


def email_message(
    *, to: str, user_id: int, subject: str, body: str, kind: str, lang: str | None = None
) -> EmailMessage:
    """An e-mail with RFC 8058 one-click unsubscribe headers (a signed link, no sign-in)."""
    one_kind = unsubscribe_url(user_id, kind)
    every = unsubscribe_url(user_id)
    lang = lang or _language(user_id)
    with translation.override(lang):
        footer = _("Stop these e-mails: %(one)s\nStop all e-mail from us: %(all)s") % {
            "one": one_kind,
            "all": every,
        }
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n-- \n{footer}\n",
        to=[to],
        headers={
            "List-Unsubscribe": f"<{one_kind}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": lang,
        },
    )


def _notice_text(notice: Notice, lang: str) -> tuple[str, str]:
    subject = content.headline(notice, lang)
    link = settings.SITE_URL + notice.url if notice.url.startswith("/") else notice.url
    return subject, f"{subject}\n\n{link}"


def _month_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def line_budget_left(now: datetime) -> int:
    used = Delivery.objects.filter(
        channel=Channel.LINE, state=DeliveryState.SENT, sent_at__gte=_month_start(now)
    ).count()
    return settings.LINE_MONTHLY_BUDGET - used


def _deliver(
    delivery: Delivery, now: datetime, connection, lang: str, prefs: Preferences | None
) -> str:
    """Send one claimed delivery; returns its new state. Raises on a channel failure."""
    notice = delivery.notice
    user = notice.user
    subject, body = _notice_text(notice, lang)
    if delivery.channel == Channel.EMAIL:
        if not user.email or not user.is_active:
            return DeliveryState.SKIPPED
        if prefs is not None and (
            prefs.email_mode == EmailMode.OFF or not prefs.wants(notice.kind)
        ):
            return DeliveryState.SKIPPED  # unsubscribed after the notice was queued
        message = email_message(
            to=user.email, user_id=user.pk, subject=subject, body=body, kind=notice.kind, lang=lang
        )
        message.connection = connection
        message.send()
        return DeliveryState.SENT
    link = LineLink.objects.filter(user=user, friend=True).first()
    if not line.enabled() or link is None or line_budget_left(now) <= 0:
        Delivery.objects.get_or_create(
            notice=notice, channel=Channel.EMAIL, defaults={"next_attempt_at": now}
        )
        return DeliveryState.FALLBACK
    line.push(link.line_user_id, body, retry_key=line.retry_key(delivery.pk))
    return DeliveryState.SENT


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** (attempts - 1), 6 * 3600))


def send_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Send deliveries that are due, each claimed first (so two workers never send one
    twice); a failure is retried with backoff, up to ``MAX_ATTEMPTS``. Returns how many
    were sent."""
    now = now or timezone.now()
    sent = 0
    handled = 0
    connection = get_connection()
    failed_channels: set[str] = set()
    while handled < limit:
        due = _claim(now, min(500, limit - handled))
        if not due:
            break
        handled += len(due)
        sent += _send_batch(due, now, connection, failed_channels)
    return sent


def _claim(now: datetime, size: int) -> list[int]:
    """Take up to ``size`` due deliveries for this worker: they are leased (not due again for
    ``LEASE``), in one transaction that skips rows another worker is taking."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return ids


def _send_batch(ids: list[int], now: datetime, connection, failed_channels: set[str]) -> int:
    deliveries = list(
        Delivery.objects.select_related("notice", "notice__user").filter(pk__in=ids).order_by("pk")
    )
    user_ids = {d.notice.user_id for d in deliveries}
    languages = _languages(user_ids)
    prefs = {p.user_id: p for p in Preferences.objects.filter(user_id__in=user_ids)}
    sent = 0
    done: list[Delivery] = []
    for delivery in deliveries:
        if delivery.channel in failed_channels:
            # The channel just failed: do not hammer it; this one waits (not an attempt).
            delivery.next_attempt_at = now + backoff(max(1, delivery.attempts))
            done.append(delivery)
            continue
        user_id = delivery.notice.user_id
        try:
            state = _deliver(delivery, now, connection, languages[user_id], prefs.get(user_id))
        except Exception as exc:  # SMTP down, LINE 5xx: retried later
            error = f"{exc.__class__.__name__}: {exc}"[:500]
            failed_channels.add(delivery.channel)
            log.warning("notice delivery %s failed: %s", delivery.pk, error)
            delivery.attempts += 1
            delivery.last_error = error
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.state = DeliveryState.FAILED
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        else:
            delivery.state = state
            delivery.sent_at = now if state == DeliveryState.SENT else None
            sent += state == DeliveryState.SENT
            if state == DeliveryState.SENT and delivery.channel == Channel.LINE:
                # The quota counts what is sent: record it before the next push.
                Delivery.objects.filter(pk=delivery.pk).update(state=state, sent_at=now)
        done.append(delivery)
    Delivery.objects.bulk_update(
        done,
        ["state", "sent_at", "attempts", "last_error", "next_attempt_at"],
        batch_size=500,
    )
    return sent


def retry_failed(*, ids: Iterable[int]) -> int:
    """An admin sends failed deliveries again (once the channel works)."""
    return Delivery.objects.filter(pk__in=list(ids), state=DeliveryState.FAILED).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


def send_digests(*, now: datetime | None = None) -> int:
    """One e-mail per person who chose the daily digest and has notices not yet sent;
    nobody gets an empty digest. Returns the e-mails sent."""
    now = now or timezone.now()
    sent = 0
    connection = get_connection()
    for prefs in Preferences.objects.filter(email_mode=EmailMode.DAILY).select_related("user"):
        user = prefs.user
        notices = list(
            Notice.objects.filter(user=user, digested_at__isnull=True, created_at__lte=now)
            .exclude(kind__in=prefs.kinds_off or ["-"])
            .order_by("created_at")[:100]
        )
        if not notices or not user.email or not user.is_active:
            continue
        with translation.override(prefs.language):
            lines = [
                " - " + "\n   ".join(_notice_text(n, prefs.language)[1].split("\n\n"))
                for n in notices
            ]
            subject = translation.ngettext(
                "%(count)d new notice", "%(count)d new notices", len(notices)
            ) % {"count": len(notices)}
        message = email_message(
            to=user.email, user_id=user.pk, subject=subject, body="\n".join(lines), kind=tokens.ALL
        )
        message.connection = connection
        try:
            message.send()
        except Exception:
            log.warning("digest for %s not sent; tried again next time", user.pk, exc_info=True)
            continue
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(digested_at=now)
        prefs.last_digest_at = now
        prefs.save(update_fields=["last_digest_at"])
        sent += 1
    return sent


def consultation_followers(consultation_id: int) -> Iterator[int]:
    return followers(Target.CONSULTATION, [str(consultation_id)])


def new_consultation_followers(agency_id: int, category: str) -> Iterator[int]:
    qs = (
        Follow.objects.filter(active=True, user__is_active=True)
        .filter(
            Q(target=Target.AGENCY, key=str(agency_id)) | Q(target=Target.CATEGORY, key=category)
        )
        .values_list("user_id", flat=True)
        .order_by("user_id")
        .distinct()
    )
    return qs.iterator(chunk_size=BATCH)
