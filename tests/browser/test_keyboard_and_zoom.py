"""The citizen's path with the keyboard only (Tab, Shift+Tab, Enter, Space), and the pages
with text at 200 % size: nothing cut off, hidden or needing a sideways scroll."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from comments.models import Comment, Vote
from comments.services import comment_create
from topics.models import Position

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector`` (fails after ``limit``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_citizen_path_with_the_keyboard_only(
    open_viewer: Callable[..., Viewer], consultation, alice, bob
) -> None:
    other = comment_create(consultation=consultation, author=bob, body="Night buses, please.")
    section = consultation.sections.order_by("position")[1]
    viewer = open_viewer(alice, locale="en-GB")
    page = viewer.page
    viewer.goto(consultation.get_absolute_url())
    viewer.wait_live()

    # The skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')")

    # Position on the draft: Tab to "Support", Space.
    tab_to(page, '.position-form button[value="support"]')
    page.keyboard.press("Space")
    page.wait_for_load_state()
    page.wait_for_function(
        "() => document.querySelector('.position-form button[value=support]')"
        ".getAttribute('aria-pressed') === 'true'"
    )
    assert Position.objects.get(user=alice).value == "support"

    # The comment form: the section chosen with the arrow keys, a stance with Space, text typed.
    tab_to(page, "#id_section")
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_section").input_value() == str(section.pk)
    tab_to(page, 'input[name="stance"]')
    page.keyboard.press("Space")
    tab_to(page, "#id_body")
    page.keyboard.type("Typed with the keyboard only.")
    tab_to(page, '#comment-form button[type="submit"]')
    page.keyboard.press("Enter")
    page.locator(".comment-body", has_text="Typed with the keyboard only.").first.wait_for()
    mine = Comment.objects.get(author=alice)
    assert mine.section_id == section.pk and mine.stance == "support"

    # A vote on someone else's comment: Tab to "Agree", Enter.
    tab_to(page, f'#c{other.pk} > .votes button[data-value="1"]')
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('#c{other.pk} > .votes button[data-value=\"1\"]')"
        ".getAttribute('aria-pressed') === 'true'"
    )
    assert Vote.objects.get(user=alice, comment=other).value == 1

    # A reply: the toggle opens with Enter, the reply is typed and sent with Enter.
    tab_to(page, f"#c{other.pk} > .reply-box > summary")
    page.keyboard.press("Enter")
    tab_to(page, f"#reply-{other.pk}")
    page.keyboard.type("And on Sundays.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.comment-body')].some(e => e.textContent.includes('And on Sundays.'))"
    )
    assert Comment.objects.get(author=alice, parent=other).body == "And on Sundays."


# Every element whose text would be clipped (overflow hidden with more content than room),
# and the page's sideways overflow, with text at 200 %.
CLIPPED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const clips = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
    if (!clips || el.classList.contains('sr-only') || el.closest('svg')) continue;
    if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2) {
      out.push(el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 40));
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_text_at_200_percent_loses_nothing(
    open_viewer: Callable[..., Viewer], consultation, alice, bob, width: int
) -> None:
    comment_create(
        consultation=consultation,
        author=bob,
        body="ควรเพิ่มจุดตรวจวัดฝุ่นใกล้โรงเรียนและโรงพยาบาลทุกแห่งในเขตเมือง " * 3,
    )
    viewer = open_viewer(alice, viewport={"width": width, "height": 900}, locale="th-TH")
    page = viewer.page
    section = consultation.sections.order_by("position").first()
    for path in [
        reverse("topics:list"),
        consultation.get_absolute_url(),
        f"{consultation.get_absolute_url()}?section={section.pk}",
        reverse("accounts:profile"),
        reverse("accessibility"),
    ]:
        viewer.goto(path)
        # Text zoom: the root size doubles; every size in rem/em follows it.
        # (set through the CSS object model: the Content Security Policy refuses <style> tags)
        page.evaluate(
            "document.documentElement.style.setProperty('font-size', '200%', 'important')"
        )
        page.wait_for_timeout(50)
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 30, path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path}: sideways scroll of {overflow}px at 200% text"
        assert page.evaluate(CLIPPED) == [], path
        for selector in ("h1", "#comment-form button[type=submit]", ".site-header nav a"):
            for box in page.locator(selector).evaluate_all(
                "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])"
            ):
                assert box[0] >= -1 and box[1] <= width + 1, (path, selector, box)
