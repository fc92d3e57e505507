"""The live connection of a freshly loaded page replays nothing; a new comment comes once, as
its viewer should see it (the author: edit, no votes; others: report and votes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from comments.services import comment_create
from consult.models import User
from topics.models import Consultation

if TYPE_CHECKING:
    from tests.browser.conftest import Viewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_a_loaded_page_is_replayed_nothing_and_gets_new_comments_once(
    open_viewer: Callable[..., Viewer],
    consultation: Consultation,
    alice: User,
    bob: User,
    make_user: Callable[..., User],
) -> None:
    first, second = consultation.sections.order_by("position")
    people = [alice, bob, *(make_user(f"reader{i}") for i in range(3))]
    for i in range(12):  # older comments on both sections and the whole draft
        comment_create(
            consultation=consultation,
            author=people[i % len(people)],
            body=f"Older comment {i}",
            section=(None, first, second)[i % 3],
        )
    viewer = open_viewer(bob)
    for query in ("?sort=newest", "?sort=agreed", f"?section={first.pk}&sort=newest"):
        viewer.goto(consultation.get_absolute_url() + query)
        viewer.wait_live()
        viewer.page.wait_for_timeout(700)  # time for a replay, if there were one
        expect(viewer.page.locator(".is-new")).to_have_count(0)
        for section in (first, second):
            expect(viewer.page.locator(f'[data-section-count="{section.pk}"]')).to_contain_text("4")
    # Still on the section view: a new comment on it arrives once, marked new.
    new = comment_create(consultation=consultation, author=alice, body="Fresh", section=first)
    expect(viewer.page.locator(f"#c{new.pk}.is-new")).to_have_count(1)
    expect(viewer.page.locator(f'[data-section-count="{first.pk}"]')).to_contain_text("5")
    expect(viewer.page.locator(f'[data-section-count="{second.pk}"]')).to_contain_text("4")
    expect(viewer.page.locator(".is-new")).to_have_count(1)
    assert not viewer.problems()


def test_ones_own_new_comment_offers_edit_and_no_votes(
    open_viewer: Callable[..., Viewer], consultation: Consultation, alice: User, bob: User
) -> None:
    author, reader = open_viewer(alice), open_viewer(bob)
    for viewer in (author, reader):
        viewer.goto(consultation.get_absolute_url())
        viewer.wait_live()
    author.page.locator("#id_body").fill("My point about the draft.")
    author.page.locator('#comment-form button[type="submit"]').click()
    comment = None
    for _ in range(50):
        comment = Comment.objects.filter(author=alice).first()
        if comment:
            break
        author.page.wait_for_timeout(100)
    assert comment is not None
    mine = author.page.locator(f"#c{comment.pk}")
    expect(mine.locator(".edit-link")).to_have_count(1)
    expect(mine.locator(".report-link")).to_have_count(0)
    expect(mine.locator(".vote-form")).to_have_count(0)
    expect(mine.locator(".own-note")).to_have_count(1)
    theirs = reader.page.locator(f"#c{comment.pk}")
    expect(theirs.locator(".report-link")).to_have_count(1)
    expect(theirs.locator(".vote-form")).to_have_count(1)
    expect(theirs.locator(".edit-link")).to_have_count(0)
    for viewer in (author, reader):
        expect(viewer.page.locator(f"#c{comment.pk}")).to_have_count(1)
        assert not viewer.problems()
