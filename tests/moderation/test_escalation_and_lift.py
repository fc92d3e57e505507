"""Escalated items go to platform moderators; a suspension can be lifted from the review page."""

from __future__ import annotations

from django.urls import reverse

from comments.models import Status
from comments.services import comment_create
from moderation import selectors, services
from moderation.models import Action

RUDE = "ไอ้ควาย รัฐบาลโง่"


def test_an_escalated_item_is_decided_only_by_a_platform_moderator(
    client, alice, consultation, make_staff
):
    agency_mod = make_staff("milo", "moderator")  # the consultation's agency
    platform_mod = make_staff("mona", "moderator", platform=True)
    comment = comment_create(consultation=consultation, author=alice, body=RUDE)
    item = selectors.queue_item(comment.pk)
    assert agency_mod.has_perm("moderation.decide", item)
    services.decision_record(comment=comment, moderator=agency_mod, action=Action.ESCALATE)
    item = selectors.queue_item(comment.pk)
    assert item.escalated
    assert not agency_mod.has_perm("moderation.decide", item)
    assert platform_mod.has_perm("moderation.decide", item)
    # Through the page: the agency moderator's decision is refused and changes nothing.
    client.force_login(agency_mod)
    client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"action": Action.APPROVE, "item": item.pk},
    )
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    client.force_login(platform_mod)
    client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"action": Action.APPROVE, "item": item.pk},
    )
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_lifting_a_suspension_from_the_review_page(client, alice, consultation, make_staff):
    moderator = make_staff("mona", "moderator", platform=True)
    comment = comment_create(consultation=consultation, author=alice, body="ลดฝุ่นจากรถบรรทุก")
    services.suspension_create(user=alice, moderator=moderator, days=3, reason="abuse")
    services.suspension_create(user=alice, moderator=moderator, days=7, reason="spam")
    assert not alice.has_perm("comments.add_comment", consultation)
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[comment.pk])).content.decode()
    lift = reverse("moderation:lift", args=[comment.pk])
    assert f'action="{lift}"' in page
    response = client.post(lift)
    assert response.status_code == 302
    assert selectors.active_suspension(alice) is None
    assert alice.has_perm("comments.add_comment", consultation)
    # A citizen cannot lift anything.
    client.force_login(alice)
    services.suspension_create(user=alice, moderator=moderator, days=1, reason="abuse")
    assert client.post(lift).status_code in (302, 403, 404)
    assert selectors.active_suspension(alice) is not None
