"""Language detection, normalisation and tokenisation of Thai and English comments."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from analytics import text
from analytics.text import detect_language, normalize, tokenize, tokenize_many, words

DATA = Path(
    os.environ.get("DEMO_DATA_DIR", Path(__file__).resolve().parents[3] / "shared" / "data")
)


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("ไม่เห็นด้วยกับมาตรา 12 ครับ", "th"),
        ("I strongly oppose section 12.", "en"),
        ("ร่างนี้ดีมาก แต่ควรเพิ่ม public hearing", "th"),  # mostly Thai letters
        ("The PM2.5 problem in เชียงใหม่ is terrible every year", "en"),  # mostly Latin
        ("ฝุ่น https://example.com/a-very-long-english-looking-path", "th"),  # URLs do not count
        ("大気汚染は深刻です", "other"),
        ("😡😡😡 555 !!!", "other"),
        ("", "other"),
        ("12345", "other"),
    ],
)
def test_detect_language(comment: str, expected: str) -> None:
    assert detect_language(comment) == expected


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("มาตรา ๑๒ ปี ๒๕๖๗", "มาตรา 12 ปี 2567"),  # Thai digits
        ("แพงมากกกกกก", "แพงมาก"),  # a consonant repeated
        ("ขอบคุณค่ะะะะ", "ขอบคุณค่ะ"),  # a vowel repeated
        ("ดีมากก", "ดีมาก"),  # a doubled final consonant
        ("กรรมการ สรรหา", "กรรมการ สรรหา"),  # รร is spelling, not emphasis
        ("เเก้ไข", "แก้ไข"),  # two sara e typed for sara ae
        ("น้ํา", "น้ำ"),  # nikhahit + sara aa typed for sara am
        ("ตลกมาก 5555", "ตลกมาก"),  # laughter
        ("555+ จริงดิ", "จริงดิ"),
        ("๕๕๕๕ ขำ", "ขำ"),  # laughter in Thai digits
        ("ถถถถ ไม่ไหว", "ไม่ไหว"),  # 5 typed on the Thai layout
        ("ราคา 1555 บาท", "ราคา 1555 บาท"),  # a number with 555 inside stays
        ("ช้าๆ ดีๆ ๆ", "ช้า ดี"),  # mai yamok
        ("ดีมาก 👍👍 😂", "ดีมาก"),  # emoji
        ("อ่านที่ https://www.law.go.th/x?id=1 นะ", "อ่านที่ นะ"),  # URL
        ("see law.go.th or bit.ly/abc", "see or"),  # bare domains
        ("ติดต่อ me@example.org @admin ครับ", "ติดต่อ ครับ"),  # e-mail, mention
        ("#ภาษีที่ดิน แพง", "ภาษีที่ดิน แพง"),  # hashtag keeps its word
        ("Sooooo GOOD!!!", "soo good!"),  # Latin repeats, lower case
        ("  lots   of\nspace\u200b here ", "lots of space here"),
        ("hahaha lol that is funny", "that is funny"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_real_thai() -> None:
    for line in _wisesight("neg")[:2000]:
        once = normalize(line)
        assert normalize(once) == once


# --- tokenisation --------------------------------------------------------------------------


def test_thai_segmentation_uses_the_bundled_dictionary_offline() -> None:
    assert text.engine() == "nlpo3"
    assert os.environ["PYTHAINLP_OFFLINE"] == "1"
    assert os.environ["PYTHAINLP_READ_ONLY"] == "1"
    assert words(normalize("ภาษีที่ดินแพงเกินไป")) == ["ภาษีที่ดิน", "แพง", "เกินไป"]
    assert words(normalize("ควันดำจากรถบรรทุก")) == ["ควัน", "ดำ", "จาก", "รถบรรทุก"]


def test_tokenize_thai_removes_stop_words_and_particles() -> None:
    tokens = tokenize("ผมไม่เห็นด้วยกับการเก็บภาษีที่ดินแบบนี้นะครับ")
    assert "ภาษีที่ดิน" in tokens
    for stop in ("ผม", "กับ", "การ", "นะ", "ครับ", "ไม่"):
        assert stop not in tokens


def test_tokenize_english_stop_words_and_plurals() -> None:
    assert tokenize("The taxes on our properties are far too high!") == [
        "tax",
        "property",
        "far",
        "high",
    ]
    assert tokenize("Fees, policies and houses") == ["fee", "policy", "house"]


def test_tokenize_mixed_thai_english_in_one_comment() -> None:
    tokens = tokenize("ฝุ่น PM2.5 เยอะมากกก ต้องแก้ traffic jams ด่วน 555 😷 https://t.co/x")
    assert tokens == ["ฝุ่น", "pm2.5", "แก้", "traffic", "jam", "ด่วน"]  # เยอะ: a stop word


@pytest.mark.parametrize(
    "noise", ["", "555", "😀😀", "https://example.com", "ครับ", "!!! ...", "12"]
)
def test_tokenize_noise_gives_nothing(noise: str) -> None:
    assert tokenize(noise) == []


def test_tokenize_many_matches_tokenize_and_caches_segments() -> None:
    comments = ["ภาษีแพงมาก", "ภาษีแพงมาก", "Land tax is too high", "ภาษีแพงมากกกก"]
    assert tokenize_many(comments) == [tokenize(c) for c in comments]
    before = text.segment_thai.cache_info().hits
    assert words(normalize("ภาษีแพงมาก")) == ["ภาษี", "แพง", "มาก"]  # segmented once already
    assert text.segment_thai.cache_info().hits > before


def test_real_thai_social_text_is_tokenised_cleanly() -> None:
    lines = _wisesight("neg") + _wisesight("pos")
    junk = re.compile(r"[\U0001F300-\U0001FAFF]|^\d+$|^5{3,}|https?://")
    thai_tokens = 0
    for tokens in tokenize_many(lines):
        for token in tokens:
            assert token == token.strip() and token
            assert not junk.search(token), token
            thai_tokens += bool(re.match("[\u0e01-\u0e4e]", token))
    assert thai_tokens > 50_000


def _wisesight(name: str) -> list[str]:
    path = DATA / "wisesight" / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path.read_text(encoding="utf-8").splitlines()
