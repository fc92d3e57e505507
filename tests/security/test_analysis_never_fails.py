"""Analysis never fails on content: comments with no usable features are left unassigned, a
consultation with too little text gets a clear "not enough text" state, and the pipeline
survives random Thai / English / emoji / empty / duplicate comments of any count."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from django.utils import translation

from analytics.models import RunStatus
from analytics.services import analyze_now
from analytics.themes import NOT_ENOUGH_TEXT, ThemeInput, find_themes
from comments.services import comment_create

STOP_WORDS_ONLY = ["เห็นด้วย ขอบคุณ", "เห็นด้วย ขอบคุณครับ", "ขอบคุณ เห็นด้วย"]


def test_stop_words_only_consultation_finishes_with_not_enough_text(
    client, consultation, make_staff
):
    for body in STOP_WORDS_ONLY:
        comment_create(consultation=consultation, author=None, body=body)
    run = analyze_now(consultation=consultation)
    assert run.status == RunStatus.DONE, run.error
    assert run.results["themes"] == [] and run.results["themes_status"] == NOT_ENOUGH_TEXT
    client.force_login(make_staff("ana", "analyst"))
    with translation.override("en"):
        page = client.get(
            reverse("analytics:dashboard", kwargs={"slug": consultation.slug}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert page.status_code == 200
    assert 'id="themes-not-enough"' in page.content.decode()
    # a later run works too (the earlier failure made every later run fail)
    comment_create(consultation=consultation, author=None, body="ฝุ่นควันจากการเผาไร่อ้อย")
    assert analyze_now(consultation=consultation).status == RunStatus.DONE


def test_mixed_languages_where_one_has_no_usable_words():
    """The case that raised "Found array with 0 feature(s)": a small English group whose
    words are all stop words or not shared, beside Thai comments."""
    texts = ["the ", "car ๆ ๆ", "🙏 the ครับ ควัน", "   car ไม่"]
    result = find_themes([ThemeInput(id=str(i), text=t) for i, t in enumerate(texts)])
    assigned = sum(t.size for t in result.themes)
    assert assigned + len(result.unassigned_ids) == len(texts)


WORDS = [
    "เห็นด้วย",
    "ขอบคุณ",
    "ครับ",
    "ค่ะ",
    "ไม่",
    "ควัน",
    "ฝุ่น",
    "รถ",
    "โรงงาน",
    "ภาษี",
    "the",
    "and",
    "smoke",
    "dust",
    "car",
    "factory",
    "tax",
    "😀",
    "🙏",
    "🔥",
    "555",
    "ๆ",
    "",
    "  ",
    "\u200b",
    "๑๒๓",
    "a",
    "is",
    "!!!",
    "https://example.org",
    "ก" * 40,
]


def _random_texts(rng: random.Random, n: int) -> list[str]:
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8))) for _ in range(n)]
    if n and rng.random() < 0.5:  # duplicates: one text many times
        same = texts[0]
        texts = [same if rng.random() < 0.4 else t for t in texts]
    return texts


@pytest.mark.parametrize(
    ("size", "seed"),
    [(size, seed) for size in (0, 1, 2, 3, 5, 8, 40) for seed in (1, 2, 3)] + [(2000, 1)],
)
def test_fuzz_find_themes_never_raises(size, seed):
    rng = random.Random(size * 1000 + seed)
    texts = _random_texts(rng, size)
    result = find_themes([ThemeInput(id=str(i), text=t) for i, t in enumerate(texts)], seed=seed)
    ids = [cid for t in result.themes for cid in t.comment_ids] + result.unassigned_ids
    assert sorted(ids, key=int) == [str(i) for i in range(size)]  # each comment exactly once
    assert result.status in ("found", NOT_ENOUGH_TEXT)


@pytest.mark.parametrize("seed", [4, 5])
def test_fuzz_whole_run_finishes(consultation, seed):
    rng = random.Random(seed)
    for text in _random_texts(rng, 25):
        if text.strip():
            comment_create(consultation=consultation, author=None, body=text[:5000])
    run = analyze_now(consultation=consultation, seed=seed)
    assert run.status == RunStatus.DONE, run.error
