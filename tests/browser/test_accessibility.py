"""WCAG 2.2 AA, checked by machine: axe-core (bundled by axe-playwright-python, pinned in
requirements.lock) runs in Chromium over every page and state a person can reach, as a visitor,
a citizen, a moderator, an editor and an analyst; every page in Thai at phone width and in
English at desktop width, with and without a message shown. Any violation of the rules tagged
wcag2a, wcag2aa, wcag21a, wcag21aa or wcag22aa fails the test, with the rule, the element and
the page named.

One browser, one context per person and language, pages reused: the whole suite is one test
per person so that it stays within a couple of minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from analytics.services import analyze_now
from comments.models import CommentStance, Vote
from comments.services import comment_create

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
AXE = Axe()
# Thai at phone width, English at desktop width: both languages and both widths.
SETTINGS = [
    ("th", {"width": 390, "height": 844}),
    ("en", {"width": 1280, "height": 900}),
]


def check(viewer: Viewer, label: str, problems: list[str]) -> None:
    result = AXE.run(viewer.page, options=OPTIONS)
    for violation in result.response["violations"]:
        for node in violation["nodes"][:3]:
            problems.append(
                f"{label}: {violation['id']} ({violation['impact']}): "
                f"{node['target']} {node.get('failureSummary', '')[:160]}"
            )


def visit(viewer: Viewer, path: str, label: str, problems: list[str]) -> None:
    response = viewer.goto(path)
    assert response is not None and response.status < 500, (path, response and response.status)
    check(viewer, f"{label} {path}", problems)


@pytest.fixture
def hearing(consultation, bob):
    """A consultation with comments, a reply, votes and an analysis run."""
    texts = [
        ("ห้ามเผาไร่อ้อยเพราะฝุ่นควันทำให้เด็กป่วย", CommentStance.SUPPORT),
        ("โรงงานที่ปล่อยมลพิษควรจ่ายค่าธรรมเนียมตามปริมาณ", CommentStance.OPPOSE),
        ("ควรติดตั้งเครื่องวัดฝุ่นในทุกโรงเรียน", CommentStance.SUGGESTION),
        ("Publish hourly PM2.5 readings for every district", CommentStance.SUGGESTION),
        ("Fine the factories that pollute, not the farmers", CommentStance.OPPOSE),
        ("โรงงานต้องเปิดเผยข้อมูลการปล่อยมลพิษ", CommentStance.UNSTATED),
    ]
    section = consultation.sections.order_by("position").first()
    comments = [
        comment_create(
            consultation=consultation,
            author=None,
            body=t,
            stance=s,
            section=section if i % 2 else None,
        )
        for i, (t, s) in enumerate(texts)
    ]
    comment_create(consultation=consultation, author=bob, body="ตอบกลับ: เห็นด้วย", parent=comments[0])
    from django.utils import timezone

    now = timezone.now()
    Vote.objects.bulk_create(
        Vote(
            consultation=consultation,
            comment=c,
            external_voter=f"p{p}",
            value=1 if (p < 10) == (j < 3) else -1,
            created_at=now,
            updated_at=now,
        )
        for p in range(20)
        for j, c in enumerate(comments)
    )
    analyze_now(consultation=consultation)
    return consultation, comments


def _viewer(open_viewer: Callable[..., Viewer], user, lang: str, viewport: dict) -> Viewer:
    viewer = open_viewer(user, viewport=viewport, locale="th-TH" if lang == "th" else "en-GB")
    viewer.context.add_cookies([{"name": "lang", "value": lang, "url": viewer.base_url}])
    return viewer


def test_visitor_pages(open_viewer, hearing) -> None:
    consultation, comments = hearing
    section = consultation.sections.order_by("position").first()
    slug = consultation.slug
    problems: list[str] = []
    for lang, viewport in SETTINGS:
        viewer = _viewer(open_viewer, None, lang, viewport)
        label = f"visitor {lang} {viewport['width']}"
        for path in [
            reverse("topics:list"),
            consultation.get_absolute_url(),
            f"{consultation.get_absolute_url()}?section={section.pk}",
            reverse("comments:thread", args=[slug, comments[0].pk]),
            reverse("analytics:opinion", args=[slug]),
            reverse("moderation:report", args=[slug]),
            reverse("accounts:consent"),
            reverse("account_login"),
            reverse("account_signup"),
            reverse("account_reset_password"),
            reverse("accessibility"),
            "/c/no-such-consultation/",
            "/records/",
            "/search/?q=ฝุ่น",
            f"/c/{slug}/comments/search/?q=ฝุ่น",
            "/data/",
            f"/c/{slug}/data/",
        ]:
            visit(viewer, path, label, problems)
        # A refused post: the visitor's comment leads to sign-up, with a message shown.
        viewer.goto(consultation.get_absolute_url())
        viewer.page.locator("#id_body").fill("ความเห็นแรก")
        viewer.page.locator('#comment-form button[type="submit"]').click()
        viewer.page.wait_for_load_state()
        check(viewer, f"{label} sign-up after writing (message)", problems)
        # Errors on the sign-up form.
        viewer.page.locator("#id_email").fill("not-an-address")
        viewer.page.locator('main form button[type="submit"]').first.click()
        viewer.page.wait_for_load_state()
        check(viewer, f"{label} sign-up with errors", problems)
    assert not problems, "\n".join(problems)


def test_citizen_pages(open_viewer, hearing, alice, make_user) -> None:
    consultation, comments = hearing
    new = make_user("nadia", consented=False)
    problems: list[str] = []
    for lang, viewport in SETTINGS:
        label = f"citizen {lang} {viewport['width']}"
        viewer = _viewer(open_viewer, alice, lang, viewport)
        page = viewer.page
        for path in [
            consultation.get_absolute_url(),
            reverse("comments:thread", args=[consultation.slug, comments[0].pk]),
            reverse("accounts:profile"),
            reverse("accounts:data"),
            reverse("accounts:delete"),
            reverse("moderation:mine"),
            reverse("moderation:flag", args=[comments[1].pk]),
            reverse("account_email"),
            reverse("account_change_password"),
            reverse("mfa_index"),
            "/me/notifications/",
            "/me/notifications/settings/",
            "/me/following/",
            "/me/tokens/",
            "/records/mine/",
        ]:
            visit(viewer, path, label, problems)
        # Posting: the success message, the new comment, its edit page.
        page.goto(viewer.base_url + consultation.get_absolute_url())
        page.locator("#id_body").fill(f"ข้อเสนอ {lang}")
        with page.expect_response(lambda r: "/comments/" in r.url and r.request.method == "POST"):
            page.locator('#comment-form button[type="submit"]').click()
        page.wait_for_timeout(300)
        check(viewer, f"{label} after posting (live)", problems)
        page.goto(viewer.base_url + consultation.get_absolute_url())
        page.locator(f"#c{comments[1].pk} > .reply-box > summary").click()
        check(viewer, f"{label} reply box open", problems)
        # An empty post without JavaScript's help: the error state of the form.
        page.evaluate("document.querySelector('#comment-form').classList.remove('comment-form')")
        page.locator("#id_body").fill("")
        page.locator('#comment-form button[type="submit"]').click()
        page.wait_for_load_state()
        check(viewer, f"{label} form with an error", problems)
        # A person who has not consented yet: the consent box at the form.
        other = _viewer(open_viewer, new, lang, viewport)
        visit(other, consultation.get_absolute_url(), f"{label} before consent", problems)
    assert not problems, "\n".join(problems)


def test_staff_pages(open_viewer, hearing, make_staff) -> None:
    consultation, comments = hearing
    slug = consultation.slug
    moderator = make_staff("mona", "moderator")
    editor = make_staff("eddie", "editor")
    analyst = make_staff("ana", "analyst")
    comment_create(consultation=consultation, author=None, body="โทร 081-234-5678 ด่วน")
    problems: list[str] = []
    for lang, viewport in SETTINGS:
        for user, paths in [
            (
                moderator,
                [
                    reverse("moderation:queue"),
                    reverse("moderation:item", args=[comments[1].pk]),
                ],
            ),
            (
                editor,
                [
                    reverse("topics:ws_agency", args=[consultation.agency.slug]),
                    reverse("topics:ws_create", args=[consultation.agency.slug]),
                    reverse("topics:ws_manage", args=[slug]),
                    reverse("topics:ws_edit", args=[slug]),
                    reverse("topics:ws_preview", args=[slug]),
                    f"/workspace/c/{slug}/submissions/",
                ],
            ),
            (
                analyst,
                [
                    reverse("analytics:dashboard", args=[slug]),
                    reverse("analytics:opinion", args=[slug]),
                ],
            ),
        ]:
            label = f"{user.display_name} {lang} {viewport['width']}"
            viewer = _viewer(open_viewer, user, lang, viewport)
            for path in paths:
                visit(viewer, path, label, problems)
            if user is editor:
                viewer.goto(reverse("topics:ws_create", args=[consultation.agency.slug]))
                viewer.page.locator('form.workspace-form button[type="submit"]').first.click()
                viewer.page.wait_for_load_state()
                check(viewer, f"{label} create form with errors", problems)
    assert not problems, "\n".join(problems)
