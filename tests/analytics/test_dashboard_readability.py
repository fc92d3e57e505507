"""What an analyst reads on the dashboard: reachable from the workspace, dates with the year
(Buddhist era in Thai), thousands separators, no empty stance chart or empty group card, the
strongest consensus first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from analytics.charts import volume_chart
from analytics.models import AnalysisRun
from analytics.services import analyze_now
from comments.models import Channel, CommentStance
from comments.services import comment_create

pytestmark = pytest.mark.django_db

TEXTS = [
    "ห้ามเผาไร่อ้อยเพราะฝุ่นควันทำให้เด็กป่วย",
    "โรงงานที่ปล่อยมลพิษควรจ่ายค่าธรรมเนียม",
    "ฝุ่นควันจากการเผาไร่อ้อยทำให้เด็กป่วยทุกปี",
    "Fine the factories that pollute, not the farmers",
]


def dashboard(client, consultation, lang: str = "th") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse("analytics:dashboard", kwargs={"slug": consultation.slug}))
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def imported_over_years(consultation) -> AnalysisRun:
    """Comments imported without stances, from 2019 to 2021 (as a Polis conversation)."""
    days = [datetime(2019, 9, 22, 10, tzinfo=UTC), datetime(2021, 3, 5, 10, tzinfo=UTC)]
    for i, text in enumerate(TEXTS):
        comment_create(
            consultation=consultation,
            author=None,
            body=text,
            channel=Channel.IMPORT,
            external_id=str(i),
            created_at=days[i % 2],
        )
    return analyze_now(consultation=consultation)


def test_the_workspace_links_to_the_dashboard(client, consultation, make_staff) -> None:
    client.force_login(make_staff("ana", "analyst"))
    url = reverse("analytics:dashboard", kwargs={"slug": consultation.slug})
    manage = client.get(reverse("topics:ws_manage", args=[consultation.slug])).content.decode()
    agency = client.get(
        reverse("topics:ws_agency", args=[consultation.agency.slug])
    ).content.decode()
    assert f'href="{url}"' in manage
    assert f'href="{url}"' in agency


def test_a_citizen_moderator_sees_no_dashboard_link(client, consultation, make_staff) -> None:
    client.force_login(make_staff("mod", "moderator"))
    url = reverse("analytics:dashboard", kwargs={"slug": consultation.slug})
    response = client.get(reverse("topics:ws_manage", args=[consultation.slug]))
    assert f'href="{url}"' not in response.content.decode()


def test_timeline_over_years_names_the_buddhist_era_year(
    client, imported_over_years, make_staff
) -> None:
    client.force_login(make_staff("ana", "analyst"))
    page = dashboard(client, imported_over_years.consultation, "th")
    volume = page.split('id="volume-h"')[1].split("</section>")[0]
    ticks = re.findall(r'class="tick(?: minor)?" text-anchor="\w+">([^<]+)</text>', volume)
    assert ticks[0] == "22 ก.ย. 2562"  # 2019 + 543
    assert ticks[-1] == "5 มี.ค. 2564"
    shown = visible_text(volume)
    assert "09-22" not in shown and "03-05" not in shown
    # The table under the chart says the same days, not ISO dates.
    assert ">22 ก.ย. 2562<" in volume


def test_timeline_within_one_year_shows_day_and_month_in_english(client) -> None:
    with translation.override("en"):
        chart = volume_chart([("2026-01-05", 3), ("2026-01-20", 1)], lambda d: f"?day={d}")
    assert [t.text for t in chart.ticks][0] == "5 Jan"
    assert chart.ticks[-1].text == "20 Jan"
    # Labels never sit closer than a label's width.
    xs = [t.x for t in chart.ticks]
    assert all(b - a >= 55 for a, b in zip(xs, xs[1:], strict=False))


@pytest.mark.parametrize("n_days", [2, 7, 31, 200, 400, 897, 2000])
def test_timeline_labels_never_overlap(n_days: int) -> None:
    start = datetime(2019, 6, 1, tzinfo=UTC).date()
    days = [((start + timedelta(days=i)).isoformat(), 1) for i in range(0, n_days, 3)]
    with translation.override("th"):
        chart = volume_chart(days, lambda d: "")
    width = 90 if re.search(r"\d{4}$", chart.ticks[0].text) else 55  # as drawn at 11 px
    extents = []
    for t in chart.ticks:
        left = {"start": t.x, "middle": t.x - width / 2, "end": t.x - width}[t.anchor]
        extents.append((left, left + width))
    assert all(0 <= a and b <= chart.width for a, b in extents), extents
    assert all(b1 <= a2 for (_a1, b1), (a2, _b2) in zip(extents, extents[1:], strict=False))


def test_no_stance_chart_for_comments_without_stances(
    client, imported_over_years, make_staff
) -> None:
    client.force_login(make_staff("ana", "analyst"))
    page = dashboard(client, imported_over_years.consultation, "en")
    stance = page.split('id="stance-h"')[1].split("</section>")[0]
    assert 'id="stance-none"' in stance
    assert "none of these comments was given a stance" in stance
    assert "<svg" not in stance
    # The comments are still all counted.
    assert "All 4 comments" in visible_text(page)


def test_stance_chart_shown_when_people_gave_stances(client, consultation, make_staff) -> None:
    for text, stance in zip(TEXTS, [CommentStance.SUPPORT, CommentStance.OPPOSE] * 2, strict=True):
        comment_create(consultation=consultation, author=None, body=text, stance=stance)
    analyze_now(consultation=consultation)
    client.force_login(make_staff("ana", "analyst"))
    stance = dashboard(client, consultation, "en").split('id="stance-h"')[1].split("</section>")[0]
    assert 'id="stance-none"' not in stance
    assert 'id="stance-t"' in stance


def _with_opinion(run: AnalysisRun, *, comments: int = 12345) -> None:
    ids = [str(c.pk) for c in run.consultation.comments.order_by("pk")]
    run.n_comments = comments
    run.n_votes = 1234567
    run.results["opinion"] = {
        "n_participants": 2,
        "min_votes": 1,
        "participants": {"p1": 0, "p2": 1},
        "participant_xy": {"p1": [0.0, 0.0], "p2": [1.0, 1.0]},
        "comment_xy": {},
        "groups": [
            {
                "id": 0,
                "size": 2500,
                "representative": [
                    {"comment_id": ids[0], "direction": "agree", "agree_share": 0.9}
                ],
            },
            {"id": 1, "size": 1, "representative": []},
        ],
        "consensus": [
            {"comment_id": ids[1], "direction": "agree", "agree_share": 0.61, "votes": 9},
            {"comment_id": ids[2], "direction": "disagree", "disagree_share": 0.95, "votes": 4},
            {"comment_id": ids[3], "direction": "agree", "agree_share": 0.8, "votes": 30},
        ],
    }
    run.save()


def test_numbers_have_thousands_separators(client, imported_over_years, make_staff) -> None:
    _with_opinion(imported_over_years)
    client.force_login(make_staff("ana", "analyst"))
    text = visible_text(dashboard(client, imported_over_years.consultation, "en"))
    assert "12,345 published comments, 1,234,567 votes" in text
    assert "All 12,345 comments" in text
    assert "2,500 people" in text


def test_a_group_without_representative_comments_says_so(
    client, imported_over_years, make_staff
) -> None:
    _with_opinion(imported_over_years)
    client.force_login(make_staff("ana", "analyst"))
    page = dashboard(client, imported_over_years.consultation, "en")
    group_b = page.split('id="group-1-h"')[1].split("</section>")[0]
    assert "No comment sets this group apart yet" in group_b
    group_a = page.split('id="group-0-h"')[1].split("</section>")[0]
    assert "No comment sets this group apart yet" not in group_a


def test_consensus_strongest_first(client, imported_over_years, make_staff) -> None:
    _with_opinion(imported_over_years)
    client.force_login(make_staff("ana", "analyst"))
    page = dashboard(client, imported_over_years.consultation, "en")
    consensus = visible_text(page.split('id="consensus-h"')[1].split("</section>")[0])
    assert re.findall(r"(\d+)% (?:agree|disagree)", consensus) == ["95", "80", "61"]


def test_theme_map_labels_are_numbers_not_overlapping_names(
    client, consultation, make_staff
) -> None:
    for text in TEXTS * 3:
        comment_create(consultation=consultation, author=None, body=text)
    analyze_now(consultation=consultation)
    client.force_login(make_staff("ana", "analyst"))
    page = dashboard(client, consultation, "en")
    labels = re.findall(r'class="bubble-label">([^<]*)</text>', page)
    assert labels and all(label.isdigit() for label in labels)
