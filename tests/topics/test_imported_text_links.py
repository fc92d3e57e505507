"""Imported Polis descriptions carry Markdown links; readers see a link, not the syntax.

The sample is the description of the scoop-hivemind.biodiversity Polis conversation
(summary.csv): "Scoop and [PEP](https://pep.org.nz) would like ..."."""

from __future__ import annotations

import pytest
from django.urls import reverse

from moderation.sanitize import LINK_REL

pytestmark = pytest.mark.django_db

SUMMARY = (
    "Closed on 22 September 2019.\n\nScoop and [PEP](https://pep.org.nz) would like to know "
    "[what you think](javascript:alert(1))."
)


def test_consultation_page_renders_markdown_link_safely(client, consultation) -> None:
    consultation.summary = SUMMARY
    consultation.save(update_fields=["summary"])
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert f'<a href="https://pep.org.nz" rel="{LINK_REL}" target="_blank">PEP</a>' in page
    assert "[PEP](https://pep.org.nz)" not in page
    assert 'href="javascript' not in page
    assert "[what you think](javascript:alert(1))" in page  # not a web address: left as text


def test_consultation_list_shows_link_text_and_address(client, consultation) -> None:
    consultation.summary = SUMMARY
    consultation.save(update_fields=["summary"])
    page = client.get(reverse("topics:list")).content.decode()
    assert "Scoop and PEP (https://pep.org.nz) would like" in page
    assert "[PEP]" not in page
