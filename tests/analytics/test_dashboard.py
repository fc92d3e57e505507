"""The dashboard is for the agency's analysts and editors; the opinion map is public."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from analytics.models import AnalysisRun, RunStatus
from analytics.services import analyze_now, run_request
from comments.models import CommentStance
from comments.services import comment_create
from consult.errors import ServiceError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the platform's default language is Thai)."""
    with translation.override("en"):
        yield


@pytest.fixture
def analysed(consultation):
    section = consultation.sections.first()
    for i, (text, stance) in enumerate(
        [
            ("ห้ามเผาไร่อ้อยเพราะฝุ่นควันทำให้เด็กป่วย", CommentStance.SUPPORT),
            ("โรงงานที่ปล่อยมลพิษควรจ่ายค่าธรรมเนียม", CommentStance.OPPOSE),
            ('=HYPERLINK("http://x") fine the factories that pollute', CommentStance.SUGGESTION),
            ("ฝุ่นควันจากการเผาไร่อ้อยทำให้เด็กป่วยทุกปี", CommentStance.SUPPORT),
        ]
    ):
        comment_create(
            consultation=consultation,
            author=None,
            body=text,
            stance=stance,
            section=section if i % 2 else None,
        )
    return analyze_now(consultation=consultation)


def dashboard_url(consultation) -> str:
    return reverse("analytics:dashboard", kwargs={"slug": consultation.slug})


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("analyst", 200),
        ("editor", 200),
        ("moderator", 403),
        ("other_agency_analyst", 403),
        ("analyst_without_mfa", 302),  # sent to set up two-step sign-in first
    ],
)
def test_dashboard_permissions(client, analysed, make_user, make_staff, who, expected):
    from topics.models import Agency

    consultation = analysed.consultation
    if who == "citizen":
        client.force_login(make_user("citizen"))
    elif who in ("analyst", "editor", "moderator"):
        client.force_login(make_staff(who, who))
    elif who == "other_agency_analyst":
        other = Agency.objects.create(slug="other", name_th="อื่น", name_en="Other")
        client.force_login(make_staff("stranger", "analyst", agency_obj=other))
    elif who == "analyst_without_mfa":
        client.force_login(make_staff("nomfa", "analyst", mfa=False))
    urls = [
        dashboard_url(consultation),
        reverse("analytics:comments", args=[consultation.slug, analysed.pk]) + "?theme=1",
        reverse("analytics:export", args=[consultation.slug, analysed.pk, "json"]),
        reverse("analytics:export", args=[consultation.slug, analysed.pk, "csv"]),
    ]
    for url in urls:
        assert client.get(url).status_code == expected, url
    assert client.post(reverse("analytics:run_start", args=[consultation.slug])).status_code in (
        expected,
        302,
    )
    started = AnalysisRun.objects.filter(consultation=consultation, trigger="manual").exists()
    assert started == (expected == 200)


def test_dashboard_shows_charts_with_text_alternatives_and_drill_down(client, analysed, make_staff):
    client.force_login(make_staff("ana", "analyst"))
    page = client.get(dashboard_url(analysed.consultation)).content.decode()
    assert page.count("<svg") >= 5  # volume, stance, sections, theme sizes, theme map, opinion
    # Charts hold links, so they are groups (an image may not contain links).
    assert 'role="group"' in page and "<title id=" in page and "<desc id=" in page
    assert f"run {analysed.pk}" in page
    drill = reverse("analytics:comments", args=[analysed.consultation.slug, analysed.pk])
    assert f"{drill}?stance=support" in page
    supported = client.get(f"{drill}?stance=support").content.decode()
    assert "ห้ามเผาไร่อ้อย" in supported and "โรงงาน" not in supported
    general = client.get(f"{drill}?section=general").content.decode()
    assert "ห้ามเผาไร่อ้อย" in general and "โรงงาน" not in general


def test_drill_down_by_theme_matches_the_run(client, analysed, make_staff):
    client.force_login(make_staff("ana", "analyst"))
    drill = reverse("analytics:comments", args=[analysed.consultation.slug, analysed.pk])
    seen = 0
    for theme in analysed.results["themes"]:
        page = client.get(f"{drill}?theme={theme['id']}")
        assert page.context["page"].paginator.count == theme["size"]
        seen += theme["size"]
    unassigned = client.get(f"{drill}?unassigned=1").context["page"].paginator.count
    assert seen + unassigned == analysed.n_comments


def test_exports(client, analysed, make_staff):
    client.force_login(make_staff("ana", "analyst"))
    slug = analysed.consultation.slug
    doc = json.loads(
        client.get(reverse("analytics:export", args=[slug, analysed.pk, "json"])).content
    )
    assert doc["run"] == analysed.pk and doc["consultation"] == slug
    response = client.get(reverse("analytics:export", args=[slug, analysed.pk, "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == analysed.n_comments
    formula = next(r for r in rows if "HYPERLINK" in r["text"])
    assert formula["text"].startswith("'=")  # not run as a formula by a spreadsheet
    assert (
        client.get(reverse("analytics:export", args=[slug, analysed.pk, "xml"])).status_code == 404
    )


def test_opinion_page_is_public_and_the_dashboard_link_only_for_analysts(
    client, analysed, make_staff
):
    url = reverse("analytics:opinion", args=[analysed.consultation.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert dashboard_url(analysed.consultation) not in page.content.decode()
    client.force_login(make_staff("ana", "analyst"))
    assert dashboard_url(analysed.consultation) in client.get(url).content.decode()


def test_opinion_page_of_a_draft_is_hidden(client, make_consultation):
    draft = make_consultation("draft")
    assert client.get(reverse("analytics:opinion", args=[draft.slug])).status_code == 404


def test_a_run_is_queued_once_and_executed_by_the_task(consultation, make_staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    comment_create(consultation=consultation, author=None, body="ควรห้ามเผาในที่โล่ง")
    run = run_request(consultation=consultation, requested_by=make_staff("ana", "analyst"))
    assert run.status == RunStatus.QUEUED
    with pytest.raises(ServiceError, match="already under way"):
        run_request(consultation=consultation, requested_by=None)
    from analytics.tasks import run_analysis

    run_analysis.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100 and run.n_comments == 1
    run_analysis.call(run.pk)  # a second worker picking it up changes nothing
    assert AnalysisRun.objects.filter(consultation=consultation).count() == 1


# Three things people wrote about, each in five wordings: a fine-grained run splits them into
# many themes; the dashboard shows them grouped into a readable top level.
PLANTED = {
    "burning": [
        "ห้ามเผาไร่อ้อยเพราะฝุ่นควันทำให้เด็กป่วย",
        "การเผาไร่อ้อยสร้างฝุ่นควันทุกปี",
        "ชาวไร่อ้อยต้องเลิกเผาเพราะฝุ่นควัน",
        "ฝุ่นควันจากการเผาไร่อ้อยทำให้หายใจไม่ออก",
        "ควรลงโทษคนเผาไร่อ้อยที่ทำให้เกิดฝุ่นควัน",
        "รัฐควรช่วยชาวไร่อ้อยหาเครื่องจักรแทนการเผา",
        "เผาไร่อ้อยแล้วฝุ่นควันลอยเข้าเมือง",
        "ให้รางวัลชาวไร่อ้อยที่ไม่เผาตอซัง",
        "ตรวจจุดความร้อนจากการเผาไร่อ้อยด้วยดาวเทียม",
    ],
    "factories": [
        "โรงงานที่ปล่อยมลพิษต้องจ่ายค่าปรับสูงขึ้น",
        "ค่าปรับโรงงานปล่อยมลพิษต่ำเกินไป",
        "โรงงานปล่อยมลพิษควรถูกปิดชั่วคราว",
        "ตรวจโรงงานที่ปล่อยมลพิษทุกเดือน",
        "เปิดเผยรายชื่อโรงงานที่ปล่อยมลพิษเกินมาตรฐาน",
        "ติดเครื่องวัดมลพิษที่ปล่องโรงงานทุกแห่ง",
        "โรงงานปล่อยน้ำเสียและมลพิษลงแม่น้ำ",
        "ชุมชนรอบโรงงานต้องได้ค่าชดเชยมลพิษ",
        "ย้ายโรงงานมลพิษออกจากเขตชุมชน",
    ],
    "sensors": [
        "Schools need cheap dust sensors with open data for parents",
        "Put dust sensors in every school and publish the readings",
        "Parents want to see the dust sensor readings of their school",
        "Dust sensors in schools protect children from bad air",
        "Every school dust sensor should report online every hour",
    ],
}


def test_dashboard_shows_the_top_level_of_themes_with_their_sub_themes(
    client, consultation, make_staff
):
    from analytics import selectors

    for texts in PLANTED.values():
        for text in texts * 2:
            comment_create(consultation=consultation, author=None, body=text)
    run = analyze_now(consultation=consultation, n_themes=24)
    fine = run.results["themes"]
    client.force_login(make_staff("analyst", "analyst"))
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(dashboard_url(consultation)).content.decode()

    tops = selectors.top_themes(consultation, run)
    assert tops and len(tops) < len(fine)  # the fine themes were grouped
    for language in ("th", "en"):
        n = sum(1 for t in tops if t["language"] == language)
        fine_n = sum(1 for t in tops for _ in t["fine_ids"] if t["language"] == language)
        assert n == fine_n or 5 <= n <= 12  # grouped only when there are more than 12
    # every fine theme sits under exactly one top theme, and the sizes add up
    placed = [fid for t in tops for fid in t["fine_ids"]]
    assert sorted(placed) == sorted(int(t["id"]) for t in fine)
    sizes = {int(t["id"]): t["size"] for t in fine}
    for top in tops:
        assert top["size"] == sum(sizes[fid] for fid in top["fine_ids"])
    # the Thai and English comments never share a top theme
    english = {int(t["id"]) for t in fine if "dust" in " ".join(t["terms"]).lower()}
    for top in tops:
        assert not (english & set(top["fine_ids"])) or top["language"] == "en"

    assert 'id="top-themes"' in html
    assert f"{len(fine)} themes grouped into {len(tops)} main themes" in html
    for top in tops:
        assert f'id="top-theme-{top["id"]}"' in html
        assert f"{top['id']}. {top['label']}" in html
        for fid in top["fine_ids"]:
            drill = reverse(
                "analytics:comments", kwargs={"slug": consultation.slug, "run_id": run.pk}
            )
            assert f"{drill}?theme={fid}" in html
    assert 'style="' not in html
