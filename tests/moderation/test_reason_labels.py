"""One moderation reason, one label: the reader's report form, the moderator's decision form,
the comment's history and the public transparency report all say the same words."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from comments.services import comment_create
from moderation import services
from moderation.models import Action, FlagReason, ReasonCode, reason_label

pytestmark = pytest.mark.django_db


def test_every_reader_reason_has_the_moderators_label() -> None:
    for code, label in FlagReason.choices:
        assert str(label) == str(ReasonCode(code).label) == reason_label(code)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_abuse_reads_the_same_on_every_page(
    client, consultation, make_user, make_staff, lang
) -> None:
    reader, author = make_user("reader"), make_user("author")
    flagged = comment_create(consultation=consultation, author=author, body="ความเห็นแรก")
    hidden = comment_create(consultation=consultation, author=author, body="ความเห็นที่สอง")
    other = comment_create(consultation=consultation, author=author, body="ความเห็นที่สาม")
    services.flag_create(comment=flagged, user=reader, reason="abuse")
    moderator = make_staff("mona", "moderator", platform=True)
    services.decision_record(
        comment=hidden, moderator=moderator, action=Action.HIDE, reason="abuse", note="ถ้อยคำ"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    client.force_login(reader)
    flag_page = client.get(reverse("moderation:flag", args=[other.pk])).content.decode()
    flag_label = re.search(r'value="abuse"[^>]*>\s*([^<]+?)\s*</label>', flag_page).group(1)

    client.force_login(moderator)
    item = client.get(reverse("moderation:item", args=[flagged.pk])).content.decode()
    option = re.search(r'<option value="abuse"[^>]*>([^<]+)</option>', item).group(1)

    report = client.get(reverse("moderation:report", args=[consultation.slug])).content.decode()
    reasons = report.split('id="reasons"')[1].split("</table>")[0]
    report_label = re.search(r'<th scope="row">([^<]+)</th>', reasons).group(1)

    assert flag_label == option == report_label
    assert f"<li>{option}" in item  # the reader's report, in the comment's flags
    if lang == "en":
        assert option == "Abuse, insults or threats"
