"""403 and 404 pages: the site's layout, the person's language, a way forward; the
accessibility statement is published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from topics.models import Agency

pytestmark = pytest.mark.django_db


def test_404_is_a_thai_page_with_the_layout_and_a_search(client):
    response = client.get("/c/no-such-draft/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="th">' in html and 'class="site-header"' in html
    assert f'action="{reverse("topics:list")}"' in html and 'name="q"' in html


def test_404_in_english_for_a_person_who_chose_english(client):
    client.cookies["lang"] = "en"
    html = client.get("/c/no-such-draft/").content.decode()
    assert '<html lang="en">' in html and "Page not found" in html


def test_analyst_of_another_agency_is_told_whose_consultation_it_is(
    client, make_staff, make_consultation
):
    other = Agency.objects.create(slug="doh", name_th="กรมอนามัย", name_en="Department of Health")
    theirs = make_consultation(agency=other)
    analyst = make_staff("anna", "analyst")  # of the fixture's agency, not of "doh"
    client.force_login(analyst)
    client.cookies["lang"] = "en"
    response = client.get(reverse("analytics:dashboard", args=[theirs.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Department of Health" in html
    assert 'class="site-header"' in html
    assert f'href="{theirs.get_absolute_url()}"' in html  # a way forward: the public page


def test_moderation_queue_refusal_uses_the_layout(client, alice):
    client.force_login(alice)
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 403
    assert 'class="site-header"' in response.content.decode()


def test_accessibility_statement_is_linked_from_every_page(client, consultation):
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert f'href="{reverse("accessibility")}"' in html
    statement = client.get(reverse("accessibility"))
    assert statement.status_code == 200
    assert "(WCAG) 2.2" in statement.content.decode()
