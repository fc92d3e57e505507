"""Atom feeds of new consultations (all, per agency, per category) and of a consultation's
published comments; the widget an agency embeds in an <iframe> on its own site."""

from __future__ import annotations

from xml.etree import ElementTree

from django.urls import reverse

from comments.models import Status
from comments.services import comment_create, comment_set_status

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]


def test_feeds_of_new_consultations_all_per_agency_and_per_category(
    client, agency, make_consultation
):
    from topics.models import Agency

    other = Agency.objects.create(slug="doe", name_th="กรมพลังงาน", name_en="Energy")
    health = make_consultation("open", title="ร่าง <สุขภาพ> & ยา")
    energy = make_consultation("open", agency=other, category="energy", title="ร่างพลังงาน")
    make_consultation("draft", title="ร่างที่ยังไม่เผยแพร่")
    assert set(entries(client, reverse("feeds:consultations"))) == {health.title, energy.title}
    assert entries(client, reverse("feeds:agency", args=["doe"])) == [energy.title]
    assert entries(client, reverse("feeds:category", args=["health"])) == [health.title]
    assert client.get(reverse("feeds:category", args=["nope"])).status_code == 404
    assert client.get(reverse("feeds:agency", args=["nope"])).status_code == 404


def test_the_comment_feed_has_published_comments_only(client, alice, consultation):
    shown = comment_create(consultation=consultation, author=alice, body="ขอให้ชี้แจงมาตรา 3")
    hidden = comment_create(consultation=consultation, author=alice, body="ข้อความที่ถูกซ่อน")
    comment_set_status(comment=hidden, status=Status.HIDDEN, reason="off_topic")
    titles = entries(client, reverse("feeds:comments", args=[consultation.slug]))
    assert titles == [shown.body]
    assert client.get(reverse("feeds:comments", args=["draft-none"])).status_code == 404


def test_the_widget_may_be_framed_and_shows_status_countdown_and_a_link(
    client, consultation, make_consultation
):
    response = client.get(reverse("feeds:widget", args=[consultation.slug]))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response  # the rest of the site says DENY
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert consultation.title in page
    assert 'href="https://' in page or 'href="http://' in page
    assert consultation.get_absolute_url() in page and 'target="_blank"' in page
    draft = make_consultation("draft")
    assert client.get(reverse("feeds:widget", args=[draft.slug])).status_code == 404
    assert client.get(consultation.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_the_workspace_offers_the_snippet(client, consultation, make_staff):
    editor = make_staff("eddie", "editor")
    client.force_login(editor)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp"}]
    session.save()
    page = client.get(reverse("topics:ws_manage", args=[consultation.slug])).content.decode()
    assert "&lt;iframe src=&quot;" in page or '&lt;iframe src="' in page
    assert reverse("feeds:widget", args=[consultation.slug]) in page
