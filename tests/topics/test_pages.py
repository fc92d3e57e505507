from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.services import comment_create


def test_list_filters_by_status_kind_and_search(client, make_consultation):
    make_consultation("open", title="ร่างกฎหมายอากาศสะอาด", slug="air")
    make_consultation("closed", title="Old tax draft", slug="tax", kind="principles")
    make_consultation("upcoming", title="School meals", slug="meals")
    make_consultation("draft", title="Secret draft", slug="secret")

    def titles(**params):
        html = client.get(reverse("topics:list"), params).content.decode()
        return {
            t
            for t in ["ร่างกฎหมายอากาศสะอาด", "Old tax draft", "School meals", "Secret draft"]
            if t in html
        }

    assert titles() == {"ร่างกฎหมายอากาศสะอาด", "Old tax draft", "School meals"}
    assert titles(status="open") == {"ร่างกฎหมายอากาศสะอาด"}
    assert titles(status="closed") == {"Old tax draft"}
    assert titles(status="upcoming") == {"School meals"}
    assert titles(kind="principles") == {"Old tax draft"}
    assert titles(q="อากาศ") == {"ร่างกฎหมายอากาศสะอาด"}


def test_draft_consultation_is_not_found_by_the_public(client, make_consultation):
    c = make_consultation("draft")
    assert client.get(c.get_absolute_url()).status_code == 404


def test_page_is_thai_by_default_with_buddhist_era_dates(client, consultation):
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert '<html lang="th">' in html
    assert str(consultation.closes_at.year + 543) in html
    assert "ความคิดเห็น" in html


def test_language_switcher_sets_english(client, consultation):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert "Comments" in html and str(consultation.closes_at.year) in html


def test_anonymous_visitor_may_write_first_and_is_offered_sign_in(client, consultation):
    """A visitor writes first; the form posts to sign-up (not through the live script)."""
    html = client.get(consultation.get_absolute_url()).content.decode()
    form = html.split('id="comment-form"')[1].split("</form>")[0]
    assert 'class="card visitor-form"' in html and 'class="card comment-form"' not in html
    assert 'name="body"' in form and 'name="consent"' in form
    assert reverse("account_login") in form


def test_closed_consultation_offers_no_form_to_a_visitor(client, make_consultation):
    closed = make_consultation("closed")
    html = client.get(closed.get_absolute_url()).content.decode()
    assert 'id="comment-form"' not in html


def test_section_threads_and_sorting(client, alice, bob, consultation):
    s1, s2 = consultation.sections.all()
    comment_create(consultation=consultation, author=alice, body="General point", stance="support")
    comment_create(consultation=consultation, author=alice, body="About section one", section=s1)
    comment_create(consultation=consultation, author=bob, body="About section two", section=s2)
    url = consultation.get_absolute_url()
    html = client.get(url, {"section": s1.pk}).content.decode()
    assert (
        "About section one" in html
        and "About section two" not in html
        and "General point" not in html
    )
    html = client.get(url, {"section": "general"}).content.decode()
    assert "General point" in html and "About section one" not in html
    html = client.get(url, {"sort": "agreed"}).content.decode()
    assert all(t in html for t in ["General point", "About section one", "About section two"])


def test_keyset_pagination_walks_every_comment_once(client, settings, alice, consultation):
    settings.COMMENTS_PAGE_SIZE = 5
    start = timezone.now() - timedelta(hours=1)
    for i in range(12):  # a minute apart: the screen refuses flooding
        comment_create(
            consultation=consultation,
            author=alice,
            body=f"Comment number {i:02d}",
            created_at=start + timedelta(minutes=i),
        )
    seen: list[str] = []
    params = {}
    for _ in range(5):
        response = client.get(consultation.get_absolute_url(), params)
        page = [
            f"Comment number {i:02d}"
            for i in range(12)
            if f"Comment number {i:02d}" in response.content.decode()
        ]
        seen.extend(page)
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        params = {"after": cursor}
    assert sorted(seen) == [f"Comment number {i:02d}" for i in range(12)]
    assert len(seen) == 12


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "W1siYSJdLCJiIl0"])
def test_bad_cursor_shows_the_first_page_not_an_error(client, alice, consultation, cursor):
    comment_create(consultation=consultation, author=alice, body="Still here")
    response = client.get(consultation.get_absolute_url(), {"after": cursor, "sort": "agreed"})
    assert response.status_code == 200
    assert "Still here" in response.content.decode()
