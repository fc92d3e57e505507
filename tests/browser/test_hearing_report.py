"""The hearing report in a real browser: an editor generates a draft and answers an issue, a
second editor publishes it, and a citizen reads the page (Thai, on a phone too), finds it from
the list, and downloads the PDF.

Screenshots are written to var/screenshots/ (report-*.png) for people to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from playwright.sync_api import expect

from reports.models import Report, ReportStatus
from tests.reports.conftest import answer_all, hearing, run  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shot(viewer: Viewer, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewer.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def speak(viewer: Viewer, language: str) -> Viewer:
    viewer.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": viewer.base_url}]
    )
    return viewer


def test_generate_respond_publish_read_and_download(
    open_viewer: Callable[..., Viewer],
    make_staff,
    hearing,  # noqa: F811
    run,  # noqa: F811
):
    editor = make_staff("editor", "editor")
    second = make_staff("second", "editor")

    # the editor generates a draft from the run
    e = speak(open_viewer(editor), "en")
    e.goto(f"/workspace/c/{hearing.slug}/")
    e.page.get_by_role("link", name="Hearing report").click()
    e.page.get_by_label("From the analysis").select_option(str(run.pk))
    e.page.get_by_role("button", name="Generate").click()
    expect(e.page.get_by_role("heading", level=1)).to_contain_text("Version 1")
    report = Report.objects.get(consultation=hearing)

    # answers the first issue through the form, the rest through the service
    first = report.issues.order_by("position").first()
    box = e.page.locator(f"#issue-{first.pk}")
    box.get_by_label("Accepted", exact=True).check()
    box.get_by_label("Reasons").fill("ความเห็นส่วนใหญ่สนับสนุนให้เพิ่มค่าปรับ")
    box.get_by_label("Section that changes").select_option(index=1)
    box.get_by_label("How the draft changes").fill("เพิ่มอัตราค่าปรับเป็นสองเท่า")
    box.get_by_role("button", name="Save the response").click()
    expect(e.page.get_by_role("status").first).to_be_visible()
    first.refresh_from_db()
    assert first.decision == "accepted" and first.change_section is not None
    for issue in report.issues.exclude(pk=first.pk):
        from reports.services import issue_respond

        issue_respond(actor=editor, issue=issue, decision="noted", reasons="รับทราบ")
    e.goto(f"/workspace/c/{hearing.slug}/reports/v1/")
    shot(e, "report-editor")
    e.page.get_by_role("button", name="Send for review").click()
    expect(e.page.get_by_text("Another editor of the agency or an admin approves")).to_be_visible()
    assert e.page.get_by_role("button", name="Approve and publish").count() == 0

    # a second editor publishes
    s = speak(open_viewer(second), "en")
    s.goto(f"/workspace/c/{hearing.slug}/reports/v1/")
    s.page.get_by_role("button", name="Approve and publish").click()
    expect(s.page.get_by_text("The report is published.")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED

    # a citizen finds it from the list, reads it, and downloads the PDF
    c = speak(open_viewer(), "en")
    c.goto("/?status=reported")
    c.page.get_by_role("link", name="Read the hearing report").first.click()
    expect(c.page.get_by_role("heading", level=1)).to_contain_text(hearing.title)
    expect(c.page.locator("#part3")).to_contain_text("เพิ่มอัตราค่าปรับเป็นสองเท่า")
    expect(c.page.locator("#summary")).to_contain_text("เพิ่มอัตราค่าปรับเป็นสองเท่า")
    shot(c, "report-public")
    with c.page.expect_download() as download_info:
        c.page.get_by_role("link", name="Download DOCX").click()
    assert download_info.value.suggested_filename.endswith(".docx")
    pdf = c.page.request.get(c.page.get_by_role("link", name="Download PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    # the figures link to the comments behind them
    c.page.locator("#part2 .theme a").first.click()
    expect(c.page.get_by_role("heading", level=1)).to_have_text("Comments behind this figure")
    assert c.page.locator("ol.drill > li").count() >= 1

    # Thai, on a phone, without JavaScript: the page works and fits
    phone = open_viewer(
        locale="th-TH", viewport={"width": 390, "height": 800}, java_script_enabled=False
    )
    speak(phone, "th")
    phone.goto(f"/c/{hearing.slug}/report/")
    expect(phone.page.locator("html")).to_have_attribute("lang", "th")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"page is {width}px wide on a 390px screen"
    shot(phone, "report-phone-th")
    # printing hides the navigation and shows the running header
    phone.page.emulate_media(media="print")
    assert not phone.page.locator(".site-header").is_visible()
    assert phone.page.locator("p.running").is_visible()
