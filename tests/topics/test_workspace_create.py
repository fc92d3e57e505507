"""The workspace's create form: the web address is made from the title unless the editor sets
one, and errors are summed up at the top with links to their fields."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from topics.models import Consultation

pytestmark = pytest.mark.django_db


def form_data(**fields) -> dict[str, str]:
    data = {
        "title": "ร่างพระราชบัญญัติอากาศสะอาด",
        "slug": "",
        "summary": "สรุป",
        "body": "",
        "language": "th",
        "kind": "draft_act",
        "category": "health",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-01-30T09:00",
        "short_period_reason": "",
        "min_assurance": "1",
        "legal_basis": "legal_duty",
        "unnamed_comments": "publish",
        "source_note": "",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "q-TOTAL_FORMS": "0",
        "q-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.fixture
def editor_client(client, make_staff):
    client.force_login(make_staff("eddie", "editor"))
    client.cookies["lang"] = "en"
    return client


def _prefixes(client, agency) -> dict[str, str]:
    """The management-form prefixes the page uses (sections and questions)."""
    page = client.get(reverse("topics:ws_create", args=[agency.slug])).content.decode()
    names = re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page)
    assert len(names) == 2, names
    return {"sections": names[0], "questions": names[1]}


def _post(client, agency, **fields):
    prefixes = _prefixes(client, agency)
    data = form_data(**fields)
    for key in ("form", "q"):
        total, initial = data.pop(f"{key}-TOTAL_FORMS"), data.pop(f"{key}-INITIAL_FORMS")
        prefix = prefixes["sections" if key == "form" else "questions"]
        data[f"{prefix}-TOTAL_FORMS"] = total
        data[f"{prefix}-INITIAL_FORMS"] = initial
    sections = prefixes["sections"]
    data.update(
        {
            f"{sections}-0-number": "มาตรา 1",
            f"{sections}-0-heading": "ชื่อ",
            f"{sections}-0-text": "ข้อความ",
        }
    )
    return client.post(reverse("topics:ws_create", args=[agency.slug]), data)


def test_a_thai_title_without_an_address_gets_one(editor_client, agency):
    response = _post(editor_client, agency)
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get()
    assert re.fullmatch(rf"{agency.slug}-\d{{8}}", consultation.slug)
    # A second one the same day is numbered, not refused.
    assert _post(editor_client, agency).status_code == 302
    assert Consultation.objects.filter(slug=f"{consultation.slug}-2").exists()


def test_a_latin_title_gives_its_words_and_a_chosen_address_is_kept(editor_client, agency):
    _post(editor_client, agency, title="Clean Air Act 2027")
    assert Consultation.objects.filter(slug="clean-air-act-2027").exists()
    _post(editor_client, agency, title="Anything", slug="my-address")
    assert Consultation.objects.filter(slug="my-address").exists()


def test_errors_are_summed_up_at_the_top_with_links(editor_client, agency):
    response = _post(editor_client, agency, title="", slug="not a slug!")
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_title"' in summary and 'href="#id_slug"' in summary
    assert html.index('id="error-summary"') < html.index('class="workspace-form"')
    assert not Consultation.objects.exists()
