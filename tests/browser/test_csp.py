"""The Content Security Policy in a real browser: the pages raise no violation (the
``open_viewer`` fixture fails a test on any), and an inline script injected into a page is
blocked and reported."""

from __future__ import annotations

import pytest

from comments.services import comment_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_pages_raise_no_violation(open_viewer, consultation, alice, make_staff):
    comment_create(consultation=consultation, author=alice, body="ความเห็นแรก")
    viewer = open_viewer(alice)
    for path in ["/", consultation.get_absolute_url(), "/me/", "/accounts/login/"]:
        viewer.goto(path)
        viewer.page.wait_for_load_state("networkidle")
    viewer.goto(consultation.get_absolute_url())
    viewer.wait_live()  # the WebSocket is allowed by connect-src 'self'
    staff = open_viewer(make_staff("mod", "moderator", platform=True))
    staff.goto("/moderation/")
    staff.page.wait_for_load_state("networkidle")
    assert not viewer.csp_violations and not staff.csp_violations


def test_an_injected_inline_script_is_blocked(open_viewer, consultation):
    viewer = open_viewer()
    viewer.goto(consultation.get_absolute_url())
    viewer.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__pwned = 1'; document.body.appendChild(s); }"
    )
    viewer.page.wait_for_timeout(200)
    assert viewer.page.evaluate("() => window.__pwned") is None
    assert any("script-src" in v for v in viewer.csp_violations)
    viewer.csp_violations.clear()  # expected here: the fixture checks every other page
