"""195 cross-site-scripting payloads (tests/moderation/xss_payloads.txt) submitted as comments,
as people's display names and as agency text (agency names, consultation titles, summaries and
rich-text bodies), then shown in a real Chromium on every page that displays them: the
consultation list and pages, the moderation queue, the review page, the author's own page and
the transparency report.

A payload that ran would leave a trace: a dialog (alert/confirm/prompt, or print), the flag the
init script sets when any of those functions is called, an uncaught page error, a request to
the payloads' evil.example host, a navigation away, or live markup in the DOM (a script that is
not ours, an event-handler attribute, a javascript:/vbscript:/data: link, an iframe, object or
embed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db import transaction
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_create
from consult.errors import ServiceError
from topics.models import Agency, Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PAYLOADS = [
    line
    for line in Path(__file__)
    .parents[1]
    .joinpath("moderation", "xss_payloads.txt")
    .read_text("utf-8")
    .split("\n")
    if line.strip()
]

TRAPS = """
(() => {
  window.__xss = [];
  const trap = (name) => function () { window.__xss.push(name); };
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    try { Object.defineProperty(window, name, { value: trap(name), writable: false }); }
    catch (e) { window[name] = trap(name); }
  }
})();
"""

# Live markup that must not exist in a page showing untrusted text.
DOM_CHECK = """
() => {
  const bad = [];
  for (const s of document.querySelectorAll("script")) {
    if (!s.src || !new URL(s.src).pathname.startsWith("/static/js/")) bad.push("script: " + s.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) bad.push("handler: " + el.tagName + " " + a.name);
    }
  }
  for (const a of document.querySelectorAll("[href], [src], [action], [formaction], [data]")) {
    for (const name of ["href", "src", "action", "formaction", "data"]) {
      const v = (a.getAttribute(name) || "").trim().toLowerCase().replace(/[\\s\\x00-\\x1f]/g, "");
      if (v.startsWith("javascript:") || v.startsWith("vbscript:") || v.startsWith("data:")) bad.push(name + ": " + v.slice(0, 60));
    }
  }
  for (const el of document.querySelectorAll("iframe, object, embed, applet, base, meta[http-equiv], link[rel=import], svg script, math")) {
    bad.push("element: " + el.tagName);
  }
  return bad;
}
"""


def watch(viewer: Viewer) -> dict[str, list[str]]:
    """Record every dialog and every request to the payloads' host."""
    seen: dict[str, list[str]] = {"dialogs": [], "requests": []}

    def on_dialog(dialog) -> None:
        seen["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    viewer.page.on("dialog", on_dialog)
    viewer.context.add_init_script(TRAPS)

    def block(route) -> None:
        seen["requests"].append(route.request.url)
        route.abort()

    viewer.context.route("**/*evil.example*/**", block)
    viewer.context.route("**/evil.example/**", block)
    return seen


def check(viewer: Viewer, seen: dict[str, list[str]], path: str) -> None:
    response = viewer.goto(path)
    assert response is not None and response.status == 200, path
    viewer.page.wait_for_load_state("load")
    viewer.page.wait_for_timeout(150)  # let any timer-based payload fire
    assert viewer.page.url.endswith(path), f"navigated away from {path}: {viewer.page.url}"
    fired = viewer.page.evaluate("window.__xss")
    assert fired == [], f"{path}: {fired}"
    assert seen["dialogs"] == [], f"{path}: {seen['dialogs']}"
    assert seen["requests"] == [], f"{path}: {seen['requests']}"
    assert viewer.page.evaluate(DOM_CHECK) == [], path
    assert viewer.page_errors == [], f"{path}: {viewer.page_errors}"


@pytest.fixture
def staff(make_staff):
    return make_staff("xss-mod", "moderator", platform=True)


def test_payloads_as_comments_and_names_never_execute(
    open_viewer: Callable[..., Viewer], make_user, make_consultation, staff, settings
):
    """Every payload is a comment (and its author's name) twice: on a post-moderated
    consultation (the public page) and on a pre-moderated one (the moderation queue)."""
    from moderation.services import policy_set

    settings.COMMENTS_PAGE_SIZE = 250
    public = make_consultation("open")
    reviewed = make_consultation("open")
    policy_set(consultation=reviewed, changed_by=staff, mode="pre")
    saved, refused = [], []
    start = timezone.now() - timedelta(hours=2)
    for i, payload in enumerate(PAYLOADS):
        author = make_user(f"x{i}")
        author.display_name = payload[:80]
        author.save(update_fields=["display_name"])
        for consultation in (public, reviewed):
            try:
                with transaction.atomic():
                    saved.append(
                        comment_create(
                            consultation=consultation,
                            author=author,
                            body=payload,
                            created_at=start + timedelta(seconds=i),
                        )
                    )
            except ServiceError as exc:
                refused.append((payload, exc.code))
    assert len(saved) >= 2 * 100, refused
    published = [c for c in saved if c.status == "published"]
    held = [c for c in saved if c.status == "pending"]
    assert len(published) >= 100 and len(held) >= 100

    reader = open_viewer()
    seen = watch(reader)
    check(reader, seen, public.get_absolute_url())
    assert PAYLOADS[0] in reader.page.locator("#comment-list").inner_text()  # text, not code

    moderator = open_viewer(staff)
    seen = watch(moderator)
    for n in range(1, (len(held) + 24) // 25 + 1):
        check(moderator, seen, f"/moderation/?page={n}")
    for comment in held[::8] + published[::40]:
        check(moderator, seen, f"/moderation/comments/{comment.pk}/")
    check(moderator, seen, f"/c/{reviewed.slug}/moderation/")

    author = open_viewer(saved[0].author)
    seen = watch(author)
    check(author, seen, "/my-comments/")
    assert Comment.objects.count() == len(saved)


def test_payloads_as_agency_text_never_execute(open_viewer: Callable[..., Viewer]):
    now = timezone.now()
    slugs = []
    for i, payload in enumerate(PAYLOADS):
        agency = Agency.objects.create(slug=f"a{i}", name_th=payload[:200], name_en=payload[:200])
        consultation = Consultation.objects.create(
            agency=agency,
            slug=f"xss-{i}",
            title=payload[:300],
            summary=payload,
            body=f"<p>{payload}</p>{payload}",
            source_note=payload,
            kind="draft_act",
            category="other",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=20),
            published_at=now - timedelta(days=2),
        )
        slugs.append(consultation.slug)
    viewer = open_viewer()
    seen = watch(viewer)
    for n in range(1, (len(PAYLOADS) + 19) // 20 + 1):
        check(viewer, seen, f"/?page={n}")
    for slug in slugs:
        check(viewer, seen, f"/c/{slug}/")
    for slug in slugs[:20]:
        check(viewer, seen, f"/c/{slug}/moderation/")


def test_the_traps_catch_a_payload_that_runs(open_viewer: Callable[..., Viewer]):
    """The detectors above are live: markup that does execute is caught by each of them.
    (On a blank page: on the site's pages the Content Security Policy would block the
    payload before the detectors could see it run, see test_csp.py.)"""
    viewer = open_viewer()
    watch(viewer)
    viewer.page.goto("about:blank")
    viewer.page.set_content(
        '<img src="x" onerror="alert(1)"><a href="javascript:void(0)">x</a>'
        "<script>confirm(2)</script>"
    )
    viewer.page.wait_for_timeout(300)
    assert sorted(viewer.page.evaluate("window.__xss")) == ["alert", "confirm"]
    problems = viewer.page.evaluate(DOM_CHECK)
    assert any(p.startswith("handler: IMG onerror") for p in problems)
    assert any(p.startswith("href: javascript:") for p in problems)
    assert any(p.startswith("script: ") for p in problems)
