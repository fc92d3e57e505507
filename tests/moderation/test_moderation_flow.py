"""Screening wired into comment_create, masking on the public and moderator pages, the purge of
originals, flags, the queue and its claims, decisions, appeals, suspensions, the append-only
log and the transparency report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from comments.models import Comment, Status
from comments.services import comment_create
from consult.errors import ServiceError
from moderation import selectors, services
from moderation.models import (
    Action,
    Appeal,
    AppealState,
    Flag,
    Kind,
    LogEntry,
    QueueItem,
    Screening,
    State,
)

PHONE = "081-234-5678"
CITIZEN_ID = "1-1037-00234-56-0"
RUDE = "ไอ้ควาย รัฐบาลโง่"


@pytest.fixture
def moderator(make_staff):
    return make_staff("mona", "moderator", platform=True)


@pytest.fixture
def moderator2(make_staff):
    return make_staff("milo", "moderator")  # the consultation's agency


def held(consultation, author, body=RUDE) -> Comment:
    comment = comment_create(consultation=consultation, author=author, body=body)
    assert comment.status == Status.PENDING
    return comment


def hidden_by(moderator, comment, note="Insults another participant.") -> Comment:
    services.decision_record(
        comment=comment, moderator=moderator, action=Action.HIDE, reason="abuse", note=note
    )
    comment.refresh_from_db()
    return comment


# --- screening in comment_create ----------------------------------------------------------


def test_clean_comment_is_published_and_its_screening_stored(alice, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="เห็นด้วยกับมาตรา 3")
    assert comment.status == Status.PUBLISHED
    screening = Screening.objects.get(comment=comment)
    assert screening.outcome == "publish" and screening.original_text == ""
    assert not QueueItem.objects.exists()


def test_personal_data_is_masked_in_public_and_the_original_shown_only_to_moderators(
    client, alice, bob, moderator, consultation
):
    body = f"ติดต่อผมได้ที่ {PHONE} เลขบัตร {CITIZEN_ID} ครับ"
    comment = comment_create(consultation=consultation, author=alice, body=body)
    assert comment.status == Status.PUBLISHED
    assert PHONE not in comment.body and "[☎ •••]" in comment.body and "[ID •••]" in comment.body
    screening = Screening.objects.get(comment=comment)
    # the original keeps the phone number for moderators; a citizen ID number is never kept
    assert screening.original_text == body.replace(CITIZEN_ID, "[ID •••]")
    assert screening.purge_after > timezone.now()
    assert LogEntry.objects.filter(comment=comment, action=Action.SCREEN_MASK).exists()

    public = client.get(consultation.get_absolute_url()).content.decode()
    assert "[☎ •••]" in public and PHONE not in public and "1037" not in public
    client.force_login(bob)
    assert PHONE not in client.get(consultation.get_absolute_url()).content.decode()
    assert client.get(reverse("moderation:item", args=[comment.pk])).status_code in (403, 404)

    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[comment.pk])).content.decode()
    assert PHONE in page and CITIZEN_ID not in page and "[☎ •••]" in page


def test_originals_are_purged_after_the_retention_time(client, alice, moderator, consultation):
    services.policy_set(consultation=consultation, changed_by=moderator, retention_days=7)
    comment = comment_create(consultation=consultation, author=alice, body=f"โทร {PHONE} นะ")
    screening = Screening.objects.get(comment=comment)
    assert screening.purge_after - timezone.now() > timedelta(days=6, hours=23)
    call_command("purge_moderation_originals", verbosity=0)  # not yet due
    assert Screening.objects.get(comment=comment).original_text
    Screening.objects.filter(pk=screening.pk).update(
        purge_after=timezone.now() - timedelta(seconds=1)
    )
    call_command("purge_moderation_originals", verbosity=0)
    screening.refresh_from_db()
    assert screening.original_text == "" and screening.purged_at is not None
    assert LogEntry.objects.filter(comment=comment, action=Action.PURGE).count() == 1
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[comment.pk])).content.decode()
    assert PHONE not in page and 'id="original-purged"' in page
    assert Comment.objects.get(pk=comment.pk).body.count("[☎ •••]") == 1


@pytest.mark.parametrize("lang", ["th", "en"])
def test_rejected_submission_saves_nothing_and_says_why_in_the_active_language(
    alice, consultation, lang
):
    comment_create(consultation=consultation, author=alice, body="ควรเพิ่มสถานีวัดฝุ่นทุกอำเภอ")
    before = (Comment.objects.count(), Screening.objects.count(), LogEntry.objects.count())
    with translation.override(lang), pytest.raises(ServiceError) as err:
        comment_create(consultation=consultation, author=alice, body="ควรเพิ่มสถานีวัดฝุ่นทุกอำเภอ")
    assert err.value.code == "duplicate" and err.value.field == "body"
    thai = any("\u0e00" <= ch <= "\u0e7f" for ch in err.value.message)
    assert thai is (lang == "th")
    assert (Comment.objects.count(), Screening.objects.count(), LogEntry.objects.count()) == before


def test_flooding_is_refused(alice, consultation):
    for i in range(5):
        comment_create(consultation=consultation, author=alice, body=f"ข้อเสนอที่ {i} เรื่องฝุ่น")
    with pytest.raises(ServiceError) as err:
        comment_create(consultation=consultation, author=alice, body="ข้อเสนอที่หก")
    assert err.value.code == "flooding"


def test_abuse_is_held_and_queued_and_not_shown_in_public(client, alice, consultation):
    comment = held(consultation, alice)
    assert comment.status_reason in ("abuse", "profanity")
    item = QueueItem.objects.get(comment=comment)
    assert item.kind == Kind.HELD and item.state == State.OPEN
    assert RUDE not in client.get(consultation.get_absolute_url()).content.decode()
    consultation.refresh_from_db()
    assert consultation.comment_count == 0
    client.force_login(alice)
    mine = client.get(reverse("moderation:mine")).content.decode()
    assert "ไอ้ควาย" in mine and ("Awaiting review" in mine or "รอตรวจสอบ" in mine)


def test_replies_and_imports_are_screened_too(alice, bob, consultation):
    parent = comment_create(consultation=consultation, author=alice, body="ความเห็นแรก")
    reply = comment_create(consultation=consultation, author=bob, body=RUDE, parent=parent)
    assert reply.status == Status.PENDING
    imported = comment_create(
        consultation=consultation,
        author=None,
        author_name="เวทีขอนแก่น",
        body=f"โทร {PHONE}",
        channel="import",
        external_id="x1",
    )
    assert PHONE not in imported.body and imported.status == Status.PUBLISHED


# --- flags ------------------------------------------------------------------------------


def test_reports_hide_a_comment_after_the_threshold(client, make_user, alice, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    # established accounts: each report counts fully (new accounts count less)
    joined = timezone.now() - timedelta(days=30)
    readers = [make_user(f"reader{i}", date_joined=joined) for i in range(3)]
    services.flag_create(comment=comment, user=readers[0], reason="spam")
    with pytest.raises(ServiceError):
        services.flag_create(comment=comment, user=readers[0], reason="abuse")  # once each
    with pytest.raises(ServiceError):
        services.flag_create(comment=comment, user=alice, reason="abuse")  # not one's own
    services.flag_create(comment=comment, user=readers[1], reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert QueueItem.objects.get(comment=comment).kind == Kind.FLAGGED
    services.flag_create(comment=comment, user=readers[2], reason="off_topic")
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN and comment.status_reason == "flagged"
    assert QueueItem.objects.filter(comment=comment, state=State.OPEN).count() == 1
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "ความเห็นธรรมดา" not in page and f'id="c{comment.pk}"' in page  # placeholder


def test_report_form_works_without_javascript(client, alice, bob, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert reverse("moderation:flag", args=[comment.pk]) in page
    response = client.post(reverse("moderation:flag", args=[comment.pk]), {"reason": "spam"})
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(bob)
    response = client.post(
        reverse("moderation:flag", args=[comment.pk]),
        {"reason": "misinformation", "note": "ตัวเลขผิด", "next": consultation.get_absolute_url()},
    )
    assert response.status_code == 302
    assert Flag.objects.get(comment=comment).note == "ตัวเลขผิด"


def test_the_flag_threshold_is_per_consultation(make_user, alice, moderator, consultation):
    services.policy_set(consultation=consultation, changed_by=moderator, flag_threshold=1)
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    joined = timezone.now() - timedelta(days=30)
    services.flag_create(comment=comment, user=make_user("r", date_joined=joined), reason="spam")
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN


# --- the queue --------------------------------------------------------------------------


def test_a_claimed_item_leaves_the_other_moderators_queue(
    alice, moderator, moderator2, consultation
):
    comment = held(consultation, alice)
    item = QueueItem.objects.get(comment=comment)
    filters = selectors.QueueFilters()
    assert list(selectors.queue(moderator2, filters)) == [item]
    assert services.queue_claim(item=item, moderator=moderator)
    assert not services.queue_claim(item=item, moderator=moderator2)
    assert list(selectors.queue(moderator2, filters)) == []
    assert list(selectors.queue(moderator, filters)) == [item]
    with pytest.raises(ServiceError):
        services.decision_record(comment=comment, moderator=moderator2, action=Action.APPROVE)
    # A claim lapses: then another moderator may take it.
    QueueItem.objects.filter(pk=item.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert services.queue_claim(item=item, moderator=moderator2)


def test_no_item_is_decided_twice(alice, moderator, moderator2, consultation):
    comment = held(consultation, alice)
    item = QueueItem.objects.get(comment=comment)
    services.decision_record(comment=comment, moderator=moderator, action=Action.APPROVE, item=item)
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert QueueItem.objects.get(comment=comment).state == State.DECIDED
    with pytest.raises(ServiceError):  # the second moderator was looking at the same item
        services.decision_record(
            comment=comment,
            moderator=moderator2,
            action=Action.HIDE,
            reason="abuse",
            note="x",
            item=item,
        )
    # A second decision finds no open item: it is a new decision on the comment, logged.
    assert LogEntry.objects.filter(comment=comment, action=Action.APPROVE).count() == 1


def test_agency_moderators_see_only_their_agency(make_staff, alice, make_consultation):
    from topics.models import Agency

    other = Agency.objects.create(slug="other", name_th="อื่น", name_en="Other")
    mine = make_consultation("open")
    theirs = make_consultation("open", agency=other)
    held(mine, alice)
    held(theirs, alice, body="มึงโง่ ไอ้ควาย")
    local = make_staff("lee", "moderator")
    assert {i.consultation_id for i in selectors.queue(local, selectors.QueueFilters())} == {
        mine.pk
    }
    no_mfa = make_staff("nomfa", "moderator", mfa=False)
    assert selectors.queue(no_mfa, selectors.QueueFilters()).count() == 0


def test_queue_filters_and_order(alice, bob, moderator, consultation, make_consultation):
    first = held(consultation, alice)
    other = make_consultation("open")
    second = held(other, bob, body=f"{RUDE} อีกครั้ง")
    QueueItem.objects.filter(comment=first).update(created_at=timezone.now() - timedelta(days=2))
    rows = list(selectors.queue(moderator, selectors.QueueFilters()))
    assert [r.comment_id for r in rows] == [first.pk, second.pk]
    by_age = selectors.queue(moderator, selectors.QueueFilters(age="24h"))
    assert [r.comment_id for r in by_age] == [first.pk]
    by_consultation = selectors.queue(moderator, selectors.QueueFilters(consultation=other.slug))
    assert [r.comment_id for r in by_consultation] == [second.pk]
    assert not selectors.queue(moderator, selectors.QueueFilters(kind="appeal")).exists()


def test_queue_page_claim_and_decide_without_javascript(client, alice, moderator, consultation):
    comment = held(consultation, alice)
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue"))
    assert page.status_code == 200 and "ไอ้ควาย" in page.content.decode()
    response = client.post(reverse("moderation:claim", args=[comment.pk]))
    assert response.status_code == 302
    assert QueueItem.objects.get(comment=comment).claimed_by == moderator
    response = client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"action": "hide", "reason": "abuse", "note": ""},
    )
    assert response.status_code == 400  # a public note is required to hide
    response = client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"action": "hide", "reason": "abuse", "note": "ถ้อยคำหยาบคาย"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN and comment.status_note == "ถ้อยคำหยาบคาย"
    public = client.get(consultation.get_absolute_url()).content.decode()
    assert "ถ้อยคำหยาบคาย" in public and "ไอ้ควาย" not in public


def test_citizens_cannot_see_the_queue(client, alice):
    client.force_login(alice)
    assert client.get(reverse("moderation:queue")).status_code == 403


def test_bulk_decisions(client, make_user, moderator, consultation):
    comments = [held(consultation, make_user(f"u{i}"), body=f"{RUDE} {i}") for i in range(4)]
    client.force_login(moderator)
    ids = list(QueueItem.objects.filter(state=State.OPEN).values_list("pk", flat=True)[:3])
    response = client.post(
        reverse("moderation:bulk"), {"items": ids, "action": "remove", "reason": "abuse",
                                     "note": "หยาบคาย"}
    )  # fmt: skip
    assert response.status_code == 302
    statuses = sorted(Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list(
        "status", flat=True))  # fmt: skip
    assert statuses == ["pending", "removed", "removed", "removed"]


def test_escalate_keeps_the_item_open_and_marks_it(alice, moderator, consultation):
    comment = held(consultation, alice)
    services.decision_record(comment=comment, moderator=moderator, action=Action.ESCALATE)
    item = QueueItem.objects.get(comment=comment)
    assert item.state == State.OPEN and item.escalated and item.claimed_by is None
    assert list(selectors.queue(moderator, selectors.QueueFilters(escalated=True))) == [item]


# --- appeals ----------------------------------------------------------------------------


def test_appeal_flow_decided_by_a_different_moderator(
    client, alice, moderator, moderator2, consultation
):
    comment = comment_create(consultation=consultation, author=alice, body="ร่างนี้ไม่ดี")
    comment = hidden_by(moderator, comment)
    assert comment.status == Status.HIDDEN
    client.force_login(alice)
    mine = client.get(reverse("moderation:mine")).content.decode()
    assert (
        "Insults another participant." in mine
        and reverse("moderation:appeal", args=[comment.pk]) in mine
    )
    response = client.post(reverse("moderation:appeal", args=[comment.pk]), {"text": "ไม่ได้ด่าใคร"})
    assert response.status_code == 302
    appeal = Appeal.objects.get(comment=comment)
    assert appeal.original_moderator == moderator and appeal.state == AppealState.OPEN
    item = QueueItem.objects.get(comment=comment, state=State.OPEN)
    assert item.kind == Kind.APPEAL
    # The moderator who hid it may not decide the appeal.
    assert not moderator.has_perm("moderation.decide", item)
    with pytest.raises(ServiceError):
        services.decision_record(comment=comment, moderator=moderator, action=Action.RESTORE)
    assert moderator2.has_perm("moderation.decide", item)
    services.decision_record(comment=comment, moderator=moderator2, action=Action.RESTORE)
    comment.refresh_from_db()
    appeal.refresh_from_db()
    assert comment.status == Status.PUBLISHED and comment.status_note == ""
    assert appeal.state == AppealState.OVERTURNED and appeal.decided_by == moderator2
    assert LogEntry.objects.filter(comment=comment, action=Action.APPEAL_OVERTURNED).exists()
    # Once only.
    hidden_by(moderator2, comment)
    with pytest.raises(ServiceError):
        services.appeal_create(comment=comment, author=alice, text="อีกครั้ง")
    assert not alice.has_perm("moderation.appeal", Comment.objects.get(pk=comment.pk))


def test_appeal_upheld(alice, moderator, moderator2, consultation):
    comment = hidden_by(
        moderator, comment_create(consultation=consultation, author=alice, body="x y")
    )
    services.appeal_create(comment=comment, author=alice, text="โปรดพิจารณาใหม่")
    services.decision_record(
        comment=comment, moderator=moderator2, action=Action.HIDE, reason="abuse", note="ยืนตามเดิม"
    )
    assert Appeal.objects.get(comment=comment).state == AppealState.UPHELD
    assert Comment.objects.get(pk=comment.pk).status_note == "ยืนตามเดิม"


def test_only_the_author_appeals_and_only_a_hidden_comment(alice, bob, moderator, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็น")
    with pytest.raises(ServiceError):
        services.appeal_create(comment=comment, author=alice, text="เหตุผล")  # not hidden
    hidden_by(moderator, comment)
    with pytest.raises(ServiceError):
        services.appeal_create(comment=comment, author=bob, text="เหตุผล")


# --- suspensions --------------------------------------------------------------------------


def test_suspended_author_cannot_comment_or_vote_until_it_ends(
    client, alice, moderator, consultation
):
    assert alice.has_perm("comments.add_comment", consultation)
    suspension = services.suspension_create(
        user=alice, moderator=moderator, days=3, reason="abuse", note="ข่มขู่"
    )
    assert not alice.has_perm("comments.add_comment", consultation)
    assert not alice.has_perm("comments.vote", consultation)
    client.force_login(alice)
    response = client.post(
        reverse("comments:post", args=[consultation.slug]), {"body": "x", "stance": "neutral"}
    )
    assert response.status_code in (302, 403)
    assert not Comment.objects.filter(author=alice).exists()
    assert "ข่มขู่" in client.get(reverse("moderation:mine")).content.decode()
    with pytest.raises(ServiceError):
        services.suspension_create(user=alice, moderator=moderator, days=0, reason="abuse")
    services.suspension_lift(suspension=suspension, moderator=moderator)
    assert alice.has_perm("comments.add_comment", consultation)
    from moderation.models import Suspension

    Suspension.objects.create(
        user=alice,
        until=timezone.now() - timedelta(minutes=1),
        reason="abuse",
        created_at=timezone.now() - timedelta(days=2),
    )
    assert alice.has_perm("comments.add_comment", consultation)  # an expired one


# --- the log and the report -------------------------------------------------------------------


def test_the_log_is_append_only(alice, moderator, consultation):
    comment = held(consultation, alice)
    services.decision_record(comment=comment, moderator=moderator, action=Action.APPROVE)
    entry = LogEntry.objects.filter(action=Action.APPROVE).get()
    assert entry.actor == moderator and entry.waited_seconds is not None
    entry.note = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LogEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(PermissionError):
        LogEntry.objects.all().delete()


def test_log_admin_is_read_only(admin_user, alice, moderator, consultation):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    comment = held(consultation, alice)
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[LogEntry]
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
    assert LogEntry.objects.filter(comment=comment).exists()


def test_transparency_report(client, make_user, alice, moderator, moderator2, consultation):
    a = held(consultation, alice)
    b = held(consultation, make_user("dan"), body="มึงโง่ ไอ้ควาย")
    c = comment_create(consultation=consultation, author=make_user("eve"), body="ดีมาก")
    QueueItem.objects.filter(comment=a).update(created_at=timezone.now() - timedelta(hours=2))
    QueueItem.objects.filter(comment=b).update(created_at=timezone.now() - timedelta(hours=4))
    services.decision_record(comment=a, moderator=moderator, action=Action.APPROVE)
    services.decision_record(
        comment=b, moderator=moderator, action=Action.REMOVE, reason="abuse", note="หยาบคาย"
    )
    services.flag_create(comment=c, user=make_user("fay"), reason="off_topic")
    services.appeal_create(comment=b, author=b.author, text="ขอโทษครับ")
    services.decision_record(
        comment=b, moderator=moderator2, action=Action.REMOVE, reason="abuse", note="ยืนตามเดิม"
    )
    report = selectors.transparency_report(consultation)
    decisions = {code: n for code, _label, n in report.decisions}
    assert decisions == {"approve": 1, "remove": 1, "appeal_upheld": 1}
    assert report.appeals == {"open": 0, "upheld": 1, "overturned": 0}
    # Waits: 2 h (approve), 4 h (remove), about 0 (the appeal): the median is 2 h.
    assert report.decided == 3
    assert 1.99 * 3600 < report.median_decision.total_seconds() < 2.01 * 3600
    assert report.by_status["removed"] == 1 and report.pending == 1  # c's report is open
    assert dict((r, n) for r, _l, n in report.flags) == {"off_topic": 1}
    with translation.override("en"):
        page = client.get(reverse("moderation:report", args=[consultation.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "หยาบคาย" in html and "mona" not in html.lower()  # moderators are not named
    assert moderator.email not in html


def test_policy_page_for_moderators(client, alice, moderator, consultation):
    url = reverse("moderation:policy", args=[consultation.slug])
    client.force_login(alice)
    assert client.get(url).status_code == 404
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "mode": "pre",
            "trusted_level": 3,
            "flag_threshold": 5,
            "max_links": 1,
            "flood_limit": 3,
            "flood_window_seconds": 120,
            "hold_profanity": "on",
            "hold_links": "on",
            "retention_days": 14,
        },
    )
    assert response.status_code == 302
    policy = services.policy_for(consultation)
    assert policy.mode == "pre" and policy.flag_threshold == 5 and policy.retention_days == 14
    assert LogEntry.objects.filter(action=Action.POLICY_CHANGE, actor=moderator).exists()
