"""Each kind of notice reaches the right people once, in their language, on their channels;
never for one's own action; preferences and the signed unsubscribe link are honoured."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Status
from comments.services import comment_create
from notifications import services, tasks, tokens
from notifications.models import Delivery, EmailMode, Follow, Kind, Notice, Preferences, Target


def notices(user, kind=None):
    qs = Notice.objects.filter(user=user)
    return list(qs.filter(kind=kind) if kind else qs)


def test_a_reply_tells_the_author_of_the_comment_once_in_their_language(
    alice, bob, consultation, committed
):
    Preferences.objects.create(user=alice, language="en")
    with committed():
        parent = comment_create(consultation=consultation, author=alice, body="ควรเพิ่มโทษปรับ")
    with committed():
        reply = comment_create(
            consultation=consultation, author=bob, body="เห็นด้วยครับ", parent=parent
        )
    [notice] = notices(alice)
    assert notice.kind == Kind.REPLY and notice.key == f"reply:{reply.pk}"
    assert notice.url.endswith(f"#c{reply.pk}")
    assert notices(bob) == []  # bob did it himself
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.extra_headers["Content-Language"] == "en"
    assert message.subject == f"Bob replied to your comment on {consultation.title}"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://hearing.example/unsubscribe/"
    )
    # The same event again (status re-sent) adds nothing and sends nothing.
    tasks.notify_reply.call(reply.pk)
    assert len(notices(alice)) == 1 and len(mail.outbox) == 1


def test_replying_to_oneself_tells_nobody_and_thai_is_the_default_language(
    alice, bob, consultation, committed
):
    with committed():
        parent = comment_create(consultation=consultation, author=alice, body="ข้อเสนอแรก")
        comment_create(consultation=consultation, author=alice, body="เพิ่มเติม", parent=parent)
    assert notices(alice) == []
    with committed():
        comment_create(consultation=consultation, author=bob, body="ตอบ", parent=parent)
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "th"  # no choice made: Thai
    assert mail.outbox[0].to == ["alice@example.org"]


def test_commenting_follows_the_consultation_unless_the_person_opted_out(
    alice, bob, consultation, make_consultation, committed
):
    with committed():
        comment_create(consultation=consultation, author=alice, body="ความเห็น")
    assert Follow.objects.filter(user=alice, target=Target.CONSULTATION, active=True).count() == 1
    Preferences.objects.create(user=bob, follow_on_comment=False)
    other = make_consultation("open")
    with committed():
        comment_create(consultation=other, author=bob, body="ความเห็น")
    assert not Follow.objects.filter(user=bob).exists()
    # Having stopped following, commenting again does not follow it again.
    services.follow_set(user=alice, target=Target.CONSULTATION, key=str(consultation.pk), on=False)
    with committed():
        comment_create(consultation=consultation, author=alice, body="อีกครั้ง")
    assert not Follow.objects.get(user=alice).active


def test_closing_early_tells_the_followers_but_not_the_editor_who_closed_it(
    alice, bob, consultation, make_staff, committed
):
    from topics.services import consultation_close

    editor = make_staff("eddie", "editor")
    for person in (alice, bob, editor):
        services.follow_set(user=person, target="consultation", key=str(consultation.pk), on=True)
    Preferences.objects.create(user=bob, kinds_off=[Kind.CLOSED])
    with committed():
        consultation_close(actor=editor, consultation=consultation, reason="ครบถ้วนแล้ว")
    assert [n.kind for n in notices(alice)] == [Kind.CLOSED]
    assert notices(bob) == [] and notices(editor) == []
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    # The periodic job sees it closed, but the event was already told.
    tasks.announce_and_remind.call()
    assert len(notices(alice)) == 1


def test_a_rolled_back_close_tells_nobody(alice, consultation, make_staff, committed):
    from django.db import transaction

    from topics.services import consultation_close

    editor = make_staff("eddie", "editor")
    services.follow_set(user=alice, target="consultation", key=str(consultation.pk), on=True)
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            consultation_close(actor=editor, consultation=consultation, reason="x")
            raise RuntimeError("later step failed")
    assert notices(alice) == [] and mail.outbox == []


def test_a_new_consultation_tells_who_follows_its_agency_or_its_category(
    alice, bob, carol, agency, make_consultation, make_staff, committed
):
    from topics.services import consultation_publish

    editor = make_staff("eddie", "editor")
    services.follow_set(user=alice, target="agency", key=str(agency.pk), on=True)
    services.follow_set(user=bob, target="category", key="health", on=True)
    services.follow_set(user=carol, target="category", key="energy", on=True)
    draft = make_consultation("draft", category="health")
    with committed():
        consultation_publish(actor=editor, consultation=draft)
    assert [n.kind for n in notices(alice)] == [Kind.NEW_CONSULTATION]
    assert [n.kind for n in notices(bob)] == [Kind.NEW_CONSULTATION]
    assert notices(carol) == []


def test_a_scheduled_consultation_is_announced_when_it_appears(
    alice, agency, make_consultation, make_staff, committed
):
    from topics.services import consultation_publish

    editor = make_staff("eddie", "editor")
    services.follow_set(user=alice, target="agency", key=str(agency.pk), on=True)
    draft = make_consultation("draft")
    with committed():
        consultation_publish(
            actor=editor, consultation=draft, when=timezone.now() + timedelta(hours=1)
        )
    assert notices(alice) == []
    draft.refresh_from_db()
    type(draft).objects.filter(pk=draft.pk).update(published_at=timezone.now())
    tasks.announce_and_remind.call()
    tasks.announce_and_remind.call()
    assert [n.kind for n in notices(alice)] == [Kind.NEW_CONSULTATION]


def test_closing_in_three_days_is_told_once(alice, bob, make_consultation):
    now = timezone.now()
    soon = make_consultation("open", closes_at=now + timedelta(days=2, hours=20))
    later = make_consultation("open", closes_at=now + timedelta(days=5))
    for c in (soon, later):
        services.follow_set(user=alice, target="consultation", key=str(c.pk), on=True)
    tasks.announce_and_remind.call()
    tasks.announce_and_remind.call()
    assert [(n.kind, n.consultation_id) for n in notices(alice)] == [(Kind.CLOSING_SOON, soon.pk)]
    assert notices(bob) == []


def test_a_moderation_decision_tells_the_author_not_the_moderator(
    alice, consultation, make_staff, committed
):
    from moderation.models import Action
    from moderation.services import decision_record

    moderator = make_staff("milo", "moderator")
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นปกติ")
    with committed():
        decision_record(
            comment=comment,
            moderator=moderator,
            action=Action.HIDE,
            reason="off_topic",
            note="นอกเรื่อง",
        )
    assert [n.kind for n in notices(alice)] == [Kind.MODERATION]
    assert notices(moderator) == []


def test_moderators_get_one_digest_of_their_queue_not_one_notice_per_item(
    alice, consultation, make_staff
):
    from moderation.models import QueueItem

    moderator = make_staff("milo", "moderator")
    for i in range(3):
        c = comment_create(consultation=consultation, author=alice, body=f"ความเห็น {i}")
        QueueItem.objects.create(
            comment=c,
            consultation=consultation,
            agency_id_copy=consultation.agency_id,
            kind="flag",
            created_at=timezone.now(),
        )
    tasks.moderation_digest.call()
    tasks.moderation_digest.call()
    [notice] = notices(moderator)
    assert notice.kind == Kind.QUEUE_DIGEST and notice.data["count"] == 3
    assert notices(alice, Kind.QUEUE_DIGEST) == []


def test_daily_digest_instead_of_immediate_email_and_never_an_empty_one(
    alice, consultation, make_staff, committed
):
    from topics.services import consultation_close

    Preferences.objects.create(user=alice, email_mode=EmailMode.DAILY, language="en")
    services.follow_set(user=alice, target="consultation", key=str(consultation.pk), on=True)
    with committed():
        consultation_close(
            actor=make_staff("eddie", "editor"), consultation=consultation, reason="r"
        )
    assert len(notices(alice)) == 1 and mail.outbox == []  # in the site at once, no e-mail yet
    assert services.send_digests() == 1
    [digest] = mail.outbox
    assert digest.subject == "1 new notice" and consultation.title in digest.body
    assert services.send_digests() == 0 and len(mail.outbox) == 1


def test_the_unsubscribe_link_works_signed_out_in_one_click_and_cannot_be_forged(
    alice, bob, consultation, make_staff
):
    client = Client()
    token = tokens.make(alice.pk, Kind.CLOSED)
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)  # a mail scanner following the link changes nothing
    assert page.status_code == 200 and not Preferences.objects.filter(user=alice).exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token
    assert response.status_code == 200
    assert Preferences.objects.get(user=alice).kinds_off == [Kind.CLOSED]
    # Forged (bob's id with alice's signature) or altered: refused, nothing changed.
    forged = token.replace(token.split(":")[0], tokens.make(bob.pk, "all").split(":")[0])
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
    assert not Preferences.objects.filter(user=bob).exists()
    # Unsubscribed from everything: the notice is still in the site, no e-mail goes out.
    client.post(reverse("notifications:unsubscribe", args=[tokens.make(bob.pk)]))
    assert Preferences.objects.get(user=bob).email_mode == EmailMode.OFF
    services.fan_out(
        kind=Kind.REPORT, key="report:x", user_ids=[bob.pk], consultation_id=None, data={}, url="/"
    )
    services.send_due()
    assert len(notices(bob)) == 1 and mail.outbox == []
    assert not Delivery.objects.filter(notice__user=bob).exists()


def test_follow_and_stop_following_without_javascript(client, alice, consultation):
    client.force_login(alice)
    page = client.get(consultation.get_absolute_url())
    assert b'data-follow="off"' in page.content
    client.post(
        reverse("notifications:follow"),
        {"target": "consultation", "key": consultation.pk, "on": "1", "next": "/x/"},
    )
    page = client.get(consultation.get_absolute_url())
    assert b'data-follow="on"' in page.content
    following = client.get(reverse("notifications:following"))
    assert consultation.title in following.content.decode()
    client.post(
        reverse("notifications:follow"),
        {"target": "consultation", "key": consultation.pk, "on": "0"},
    )
    assert consultation.title not in client.get(reverse("notifications:following")).content.decode()
    # Bad input: a clear message, nothing written.
    response = client.post(
        reverse("notifications:follow"), {"target": "planet", "key": "1", "on": "1"}, follow=True
    )
    assert response.status_code == 200
    assert Follow.objects.filter(user=alice, active=True).count() == 0


def test_the_notice_list_and_the_unread_count_in_the_header(client, alice, consultation):
    services.fan_out(
        kind=Kind.CLOSED,
        key=f"closed:{consultation.pk}",
        user_ids=[alice.pk],
        consultation_id=consultation.pk,
        data={"title": "<b>ร่าง</b>"},
        url=consultation.get_absolute_url(),
    )
    client.force_login(alice)
    client.cookies["lang"] = "en"
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Closed: &lt;b&gt;ร่าง&lt;/b&gt;" in page  # escaped
    assert "<span data-notice-n>1</span>" in page
    client.post(reverse("notifications:list"))
    page = client.get(reverse("notifications:list")).content.decode()
    assert "<span data-notice-n>0</span>" in page


def test_preferences_refuse_bad_input_and_save_good_input(client, alice):
    client.force_login(alice)
    url = reverse("notifications:preferences")
    bad = client.post(url, {"language": "xx", "email_mode": "daily", "kinds": ["reply"]})
    assert bad.status_code == 400 and not Preferences.objects.filter(user=alice).exists()
    line = client.post(url, {"language": "en", "email_mode": "daily", "line": "1"})
    assert line.status_code == 400  # not a LINE friend
    client.post(url, {"language": "en", "email_mode": "daily", "kinds": ["reply", "closed"]})
    prefs = Preferences.objects.get(user=alice)
    assert prefs.email_mode == "daily" and prefs.language == "en"
    assert set(prefs.kinds_off) == set(Kind.values) - {"reply", "closed"}
    assert not prefs.follow_on_comment


def test_a_held_reply_tells_the_author_only_once_published(
    alice, bob, consultation, committed, make_staff
):
    from comments.services import comment_set_status

    parent = comment_create(consultation=consultation, author=alice, body="ต้นเรื่อง")
    reply = comment_create(consultation=consultation, author=bob, body="ตอบ", parent=parent)
    type(reply).objects.filter(pk=reply.pk).update(status=Status.PENDING)
    reply.refresh_from_db()
    with committed():
        tasks.notify_reply.call(reply.pk)
    assert notices(alice) == []
    with committed():
        comment_set_status(comment=reply, status=Status.PUBLISHED)
    assert [n.kind for n in notices(alice)] == [Kind.REPLY]
