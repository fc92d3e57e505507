"""The automatic screen (moderation.screening): outcomes, messages, Thai and English word
lists, link spam, flooding and duplicates, and the measured accuracy on real Thai text.

Plain pytest functions: no database, no Django.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # runs without pytest-django, which would add it
    sys.path.insert(0, str(ROOT))

from moderation.screening import (  # noqa: E402
    DEFAULT,
    DEFAULT_POLICY,
    MASKS,
    Outcome,
    Reason,
    ScreenPolicy,
    find_offensive,
    normalise_for_duplicate,
    screen,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HARD = {Reason.PROFANITY, Reason.ABUSE}


def reasons(text: str) -> set[Reason]:
    return {f.reason for f in find_offensive(text)}


def hard_hits(text: str) -> list[str]:
    return [f.term for f in find_offensive(text) if f.reason in HARD]


# ------------------------------------------------------------------------------- basics


def test_reason_and_outcome_are_string_enums() -> None:
    assert Reason.PROFANITY == "profanity"
    assert Outcome.HOLD == "hold"
    assert {r.name for r in Reason} >= {
        "PROFANITY", "ABUSE", "PERSONAL_DATA", "LINK_SPAM", "FLOODING", "DUPLICATE",
        "TOO_LONG", "EMPTY",
    }  # fmt: skip
    assert DEFAULT is DEFAULT_POLICY


def test_default_policy() -> None:
    p = ScreenPolicy()
    assert p.max_links == 2
    assert p.max_length == 5000
    assert p.action(Reason.PROFANITY) == "hold"
    assert p.action(Reason.ABUSE) == "hold"
    assert p.action(Reason.PERSONAL_DATA) == "publish"
    assert p.action(Reason.LINK_SPAM) == "hold"
    assert p.action(Reason.FLOODING) == "reject"
    assert p.action(Reason.DUPLICATE) == "reject"
    assert p.action(Reason.TOO_LONG) == "reject"
    assert p.action(Reason.EMPTY) == "reject"


def test_clean_comment_is_published_without_message() -> None:
    text = "เห็นด้วยกับร่างมาตรา 5 แต่ควรกำหนดสัดส่วนผู้แทนภาคประชาชนให้ชัดเจนกว่านี้"
    r = screen(text, now=NOW)
    assert r.outcome == "publish" and r.published
    assert r.reasons == [] and r.findings == []
    assert r.masked_text == text == r.original_text
    assert r.message_th == "" and r.message_en == ""
    assert r.duplicate_key


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b\u200b", " \ufeff "])
def test_empty(text: str) -> None:
    r = screen(text, now=NOW)
    assert r.outcome == "reject" and r.rejected
    assert r.reasons == [Reason.EMPTY]
    assert "ว่าง" in r.message_th and "empty" in r.message_en


def test_too_long() -> None:
    assert screen("ก" * 5000, now=NOW).outcome == "publish"
    r = screen("ก" * 5001, now=NOW)
    assert r.outcome == "reject" and r.reasons == [Reason.TOO_LONG]
    assert "5,001" in r.message_th and "5,000" in r.message_th
    assert "5,001" in r.message_en and "5,000" in r.message_en
    short = replace(DEFAULT_POLICY, max_length=10)
    assert screen("12345678901", policy=short, now=NOW).reasons == [Reason.TOO_LONG]


def test_too_long_text_is_still_masked() -> None:
    r = screen("โทร 081-234-5678 " + "ก" * 6000, now=NOW)
    assert r.rejected and "081" not in r.masked_text


# ----------------------------------------------------------------------------- flooding


def test_flooding_rejects_with_retry_time() -> None:
    times = [NOW - timedelta(seconds=s) for s in (5, 15, 25, 35, 45)]
    r = screen("ความเห็นใหม่", recent_times_by_author=times, now=NOW)
    assert r.outcome == "reject" and r.reasons == [Reason.FLOODING]
    # the submission 45 s ago leaves the one-minute window in 15 s
    assert r.retry_after == timedelta(seconds=15)
    assert "15 วินาที" in r.message_th and "15 seconds" in r.message_en
    assert "ถี่เกินไป" in r.message_th and "too often" in r.message_en


def test_flooding_limit_and_window() -> None:
    four = [NOW - timedelta(seconds=s) for s in (5, 15, 25, 35)]
    assert screen("ข้อความ", recent_times_by_author=four, now=NOW).published
    old = four + [NOW - timedelta(minutes=5)]
    assert screen("ข้อความ", recent_times_by_author=old, now=NOW).published
    strict = replace(DEFAULT_POLICY, flood_limit=2, flood_window=timedelta(minutes=10))
    r = screen("ข้อความ", policy=strict, recent_times_by_author=old, now=NOW)
    assert r.reasons == [Reason.FLOODING]
    assert r.retry_after == timedelta(minutes=10) - timedelta(seconds=15)
    assert "นาที" in r.message_th and "minutes" in r.message_en


def test_flooding_accepts_naive_times_as_utc() -> None:
    naive_now = NOW.replace(tzinfo=None)
    times = [naive_now - timedelta(seconds=s) for s in range(5)]
    assert screen("ข้อความ", recent_times_by_author=times, now=naive_now).rejected
    assert screen("ข้อความ", recent_times_by_author=times, now=NOW).rejected


def test_flooding_short_circuits_content_checks() -> None:
    times = [NOW - timedelta(seconds=s) for s in range(6)]
    r = screen("ไอ้สัส โทร 0812345678", recent_times_by_author=times, now=NOW)
    assert r.reasons == [Reason.FLOODING]
    assert "0812345678" not in r.masked_text


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    "again",
    [
        "ควรยกเลิกมาตรา 12 ครับ",
        "  ควรยกเลิกมาตรา 12 ครับ!!!  ",
        "ควรยกเลิก มาตรา 12 ครับ 🙏🙏",
        "ควรยกเลิกมาตรา 12 ครับบบบบ",
    ],
)
def test_duplicate_of_recent_text_is_rejected(again: str) -> None:
    recent = ["เห็นด้วยทั้งหมด", "ควรยกเลิกมาตรา 12 ครับ"]
    r = screen(again, recent_texts_by_author=recent, now=NOW)
    assert r.outcome == "reject" and r.reasons == [Reason.DUPLICATE]
    assert "ส่งความคิดเห็นนี้ไปแล้ว" in r.message_th and "already" in r.message_en


def test_duplicate_english_case_and_punctuation() -> None:
    r = screen("I support Section 5.", recent_texts_by_author=["i support section 5"], now=NOW)
    assert r.reasons == [Reason.DUPLICATE]


def test_different_text_is_not_duplicate() -> None:
    recent = ["ควรยกเลิกมาตรา 12 ครับ"]
    assert screen("ควรยกเลิกมาตรา 13 ครับ", recent_texts_by_author=recent, now=NOW).published
    assert screen("ควรยกเลิกมาตรา 12 ครับ", now=NOW).published  # no history
    # A repeated digit is a different number, not an emphasis.
    assert screen("ค่าปรับ 1000 บาท", recent_texts_by_author=["ค่าปรับ 10 บาท"], now=NOW).published
    assert screen("มาตรา 222", recent_texts_by_author=["มาตรา 2"], now=NOW).published


def test_duplicate_by_stored_key() -> None:
    first = screen("ขอให้เพิ่มบทเฉพาะกาลสำหรับผู้ประกอบการรายย่อย", now=NOW)
    assert first.duplicate_key == normalise_for_duplicate(first.original_text)
    again = screen(
        "ขอให้เพิ่มบทเฉพาะกาล สำหรับผู้ประกอบการรายย่อย!",
        recent_keys_by_author=[first.duplicate_key],
        now=NOW,
    )
    assert again.reasons == [Reason.DUPLICATE]


def test_duplicate_action_is_configurable() -> None:
    lenient = ScreenPolicy(actions={Reason.DUPLICATE: Outcome.HOLD})
    r = screen("ซ้ำ", policy=lenient, recent_texts_by_author=["ซ้ำ"], now=NOW)
    assert r.outcome == "hold" and r.reasons == [Reason.DUPLICATE]


# ------------------------------------------------------------------------- Thai words

THAI_PROFANE = [
    ("ไอ้สัสเอ๊ย ทำงานแบบนี้ได้ไง", "ไอ้สัส"),
    ("แม่งโคตรห่วยเลย", "แม่ง"),
    ("กฎหมายนี้ควยมาก", "ควย"),
    ("ห่วยชิบหาย", "ชิบหาย"),
    ("เหี้ยมาก ร่างนี้", "เหี้ย"),
    ("อีดอกกก แพงไปไหน", "อีดอก"),
    ("จืดสัด", "สัด"),
    ("มึงเสือกอะไรด้วย", "เสือก"),
    ("ตำรวจส้นตีน", "ส้นตีน"),
    ("#เลื่อนแม่มึงสิ", "แม่มึง"),
    ("ห่าเอ้ย ลืมอีกแล้ว", "ห่า"),
]


@pytest.mark.parametrize(("text", "term"), THAI_PROFANE)
def test_thai_profanity_is_held(text: str, term: str) -> None:
    r = screen(text, now=NOW)
    assert r.outcome == "hold" and r.held
    assert Reason.PROFANITY in r.reasons
    assert term in [f.term for f in r.findings]
    assert "ผู้ดูแล" in r.message_th and "moderator" in r.message_en
    assert "สุภาพ" in r.message_th and "polite" in r.message_en


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("เเม่งเอ้ย", "แม่งเอ้ย"),  # doubled sara e typed for "แ"
        ("ค\u200bวย", "ควย"),  # zero-width space inside
        ("เห้ียมาก", "เหี้ย"),  # tone mark typed before the vowel
        ("แม่งงงงงง", "แม่ง"),
        ("ไอ้สัสสสสสส", "ไอ้สัส"),
        ("พ่องงงงงง", "พ่อง"),
    ],
)
def test_thai_spelling_variants(text: str, term: str) -> None:
    found = find_offensive(text)
    assert term in [f.term for f in found]
    for f in found:  # offsets point into the text as written
        assert text[f.start : f.end] == f.text


INNOCENT_THAI = [
    "สัดส่วนผู้แทนภาคประชาชนควรเพิ่มขึ้น",  # สัด
    "ขอให้นับคะแนนที่หีบบัตรเลือกตั้งทันที",  # หี
    "ผู้กู้เงินกองทุนกู้ยืมเพื่อการศึกษา",  # กู
    "เกื้อกูลกันในตระกูล",  # กู
    "คณะกรรมการผู้เชี่ยวชาญและความเชี่ยวชาญเฉพาะด้าน",  # เชี่ย
    "แม่งานของโครงการแจ้งว่าเลื่อน",  # แม่ง
    "โรงเรียนอยู่ห่างไกล ต้องเดินทางไกล",  # ห่า
    "เลี้ยงห่านและเป็ดในฟาร์ม",  # ห่า
    "อาหารที่มีโปรตีนสูง",  # ตีน
    "ติดต่อสัสดีอำเภอเรื่องการเกณฑ์ทหาร",  # สัส
    "อาสาสมัครสาธารณสุขประจำหมู่บ้าน",  # สาส
    "ส่งสาส์นถึงนายกรัฐมนตรี",  # สาส
    "ราคากุ้งและดอกกุหลาบสูงขึ้น",  # กุ
    "ไม่ควรพูดจาแดกดันกัน",  # แดก
    "สื่อโซเชี่ยลมีเดียต้องรับผิดชอบ",  # เชี่ย
    "คดีฆาตกรรมที่โหดเหี้ยม",  # เหี้ย
    "รู้สึกทะแม่งๆ กับมาตรานี้",  # แม่ง
    "ต้นซากุระและแม่มดในนิทาน",  # กุ, แม่ม
    "จัดงานอีเวนต์ใหญ่ที่สวนสาธารณะ",  # อีเวน
    "ค้นในกูเกิลหรือถามกูรู",  # กู
    "ตอนนี้หีวมาก",  # หี: a common misspelling of หิว
    "ต้นทองกวาวออกดอกทองกวาวสวยมาก",  # ดอกทอง
    "ระบบเกียร์โง่ของรถ",  # impolite "โง่" only, not profanity
    "เสือกระดาษ",  # เสือก
    "ปลาแดกบ้านเฮา",  # แดก
    "ความคืบหน้าของสำนักงานทรัพย์สิน",
]


@pytest.mark.parametrize("text", INNOCENT_THAI)
def test_innocent_thai_words_are_not_flagged(text: str) -> None:
    assert hard_hits(text) == []
    assert screen(text, now=NOW).outcome == "publish"


def test_innocent_words_are_not_even_impolite() -> None:
    for text in ("ผู้กู้เงิน", "เกื้อกูล", "กุ้งเผา", "แดกดัน", "ขมึงทึง"):
        assert reasons(text) == set(), text


def test_monitor_lizard_in_a_zoological_context() -> None:
    about_the_animal = "พบตัวเหี้ยหรือตะกวดในสวนลุมพินี กรมอุทยานฯ ย้ายสัตว์ป่าไปแล้ว"
    assert hard_hits(about_the_animal) == []
    assert screen(about_the_animal, now=NOW).published
    # an insult built on the word is flagged whatever the context
    insult = "ไอ้เหี้ย ตะกวดยังดีกว่ามึง"
    assert "ไอ้เหี้ย" in hard_hits(insult)
    # without the context the bare word is the swear word
    assert hard_hits("รสชาติเหี้ยมาก") == ["เหี้ย"]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("ไอ้ควาย คิดได้แค่นี้", "ไอ้ควาย"),
        ("พวกควายแดง", "ควายแดง"),
        ("พวกปัญญาอ่อน", "ปัญญาอ่อน"),
        ("หน้าด้านจริงๆ", "หน้าด้าน"),
        ("ตอแหลทั้งนั้น", "ตอแหล"),
        ("ฆ่ามันเลย", "ฆ่ามัน"),
        ("ไปตายซะ", "ไปตายซะ"),
    ],
)
def test_thai_abuse_is_held(text: str, term: str) -> None:
    r = screen(text, now=NOW)
    assert r.outcome == "hold"
    assert Reason.ABUSE in r.reasons
    assert term in [f.term for f in r.findings]
    assert "ดูหมิ่น" in r.message_th and "insult" in r.message_en


def test_impolite_pronouns_are_published_but_recorded() -> None:
    r = screen("กูว่ามึงคิดผิดเรื่องมาตรา 7", now=NOW)
    assert r.outcome == "publish"
    assert r.reasons == [Reason.IMPOLITE]
    assert [f.term for f in r.findings] == ["กู", "มึง"]
    assert r.message_th == "" and r.message_en == ""
    strict = ScreenPolicy(actions={Reason.IMPOLITE: Outcome.HOLD})
    held = screen("กูว่ามึงคิดผิดเรื่องมาตรา 7", policy=strict, now=NOW)
    assert held.outcome == "hold"
    assert "ไม่สุภาพ" in held.message_th and "impolite" in held.message_en


def test_profanity_action_is_configurable() -> None:
    policy = ScreenPolicy(actions={Reason.PROFANITY: Outcome.REJECT})
    r = screen("แม่งเอ้ย", policy=policy, now=NOW)
    assert r.outcome == "reject"
    assert "ไม่สามารถรับ" in r.message_th and "could not be accepted" in r.message_en


def test_the_message_quotes_what_was_found() -> None:
    r = screen("ร่างนี้แม่งห่วย", now=NOW)
    assert "“แม่ง”" in r.message_th and "“แม่ง”" in r.message_en


# ---------------------------------------------------------------------------- English


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("This is fucking ridiculous", "fuck"),
        ("What the FUCK", "fuck"),
        ("f*ck this law", "fuck"),
        ("fuuuuck", "fuck"),
        ("f u c k", "fuck"),
        ("f.u.c.k", "fuck"),
        ("motherfucker", "motherfucker"),
        ("#fuckthisbill", "fuck"),
        ("this is sh1t", "shit"),
        ("$hit", "shit"),
        ("s h i t", "shit"),
        ("sh*t", "shit"),
        ("total bullshit", "bullshit"),
        ("WTF is this", "wtf"),
        ("you b!tch", "bitch"),
        ("what an asshole", "asshole"),
    ],
)
def test_english_profanity(text: str, term: str) -> None:
    found = find_offensive(text)
    assert [f.term for f in found if f.reason == Reason.PROFANITY] == [term]
    assert screen(text, now=NOW).outcome == "hold"


@pytest.mark.parametrize(
    "text",
    [
        "You idiot",
        "I will kill you",
        "I'll kill you",
        "kill yourself",
        "go die",
    ],
)
def test_english_abuse(text: str) -> None:
    assert Reason.ABUSE in reasons(text)
    assert screen(text, now=NOW).outcome == "hold"


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United",
        "shiitake mushrooms",
        "a cocktail party",
        "assess the class before we pass it",
        "Mitsubishi Triton #mitsubishitriton",
        "Dickens wrote about the law",
        "The therapist assumed the hypothesis",
        "Section 5(b) shall apply",
        "a niggardly budget",
        "pis: the public information system",
    ],
)
def test_innocent_english_is_not_flagged(text: str) -> None:
    assert find_offensive(text) == []


def test_english_impolite_is_published() -> None:
    r = screen("This is a stupid law", now=NOW)
    assert r.outcome == "publish" and r.reasons == [Reason.IMPOLITE]


# --------------------------------------------------------------------------- link spam


def test_two_links_are_fine_three_are_held() -> None:
    two = "See https://example.org/a and www.example.net/b"
    assert screen(two, now=NOW).published
    three = "See https://example.org/a and www.example.net/b and example.com/c"
    r = screen(three, now=NOW)
    assert r.outcome == "hold" and r.reasons == [Reason.LINK_SPAM]
    assert {f.kind for f in r.findings} == {"too_many_links"}
    assert "ลิงก์" in r.message_th and "more than 2 links" in r.message_en


def test_shortener_is_held() -> None:
    r = screen("ข้อมูลเพิ่มเติม bit.ly/3abcDEF", now=NOW)
    assert r.outcome == "hold" and r.reasons == [Reason.LINK_SPAM]
    assert [f.kind for f in r.findings] == ["shortener"]
    assert r.findings[0].term == "bit.ly"
    assert "shortener" in r.message_en


def test_repeated_link_is_held() -> None:
    r = screen("https://shop.example.com/x ดีมาก https://shop.example.com/x/", now=NOW)
    assert r.reasons == [Reason.LINK_SPAM]
    assert {f.kind for f in r.findings} == {"repeated_link"}
    assert "repeats the same link" in r.message_en


def test_government_links_do_not_count() -> None:
    text = (
        "ดูร่างที่ https://www.law.go.th/listening/1 และ https://www.krisdika.go.th/a "
        "และ ratchakitcha.soc.go.th/b กับ https://www.law.go.th/listening/1"
    )
    assert screen(text, now=NOW).published


def test_link_policy_is_configurable() -> None:
    text = "https://a.example.org https://b.example.org"
    assert screen(text, policy=replace(DEFAULT_POLICY, max_links=1), now=NOW).held
    no_trust = replace(DEFAULT_POLICY, trusted_link_domains=())
    gov = "https://law.go.th/1 https://law.go.th/2 https://law.go.th/3"
    assert screen(gov, policy=no_trust, now=NOW).held


def test_links_in_thai_text_without_spaces() -> None:
    r = screen("ดูที่bit.ly/abcครับ", now=NOW)
    assert r.reasons == [Reason.LINK_SPAM]


def test_email_address_is_not_a_link() -> None:
    r = screen("a@example.com b@example.com c@example.com", now=NOW)
    assert r.reasons == [Reason.PERSONAL_DATA]


# --------------------------------------------------------------------- outcome summary


def test_personal_data_is_published_masked_with_a_notice() -> None:
    r = screen("ติดต่อ 081-234-5678 ครับ", now=NOW)
    assert r.outcome == "publish" and r.reasons == [Reason.PERSONAL_DATA]
    assert r.masked_text == f"ติดต่อ {MASKS['phone']} ครับ"
    assert "หมายเลขโทรศัพท์" in r.message_th and "phone number" in r.message_en
    assert "[☎ •••]" in r.message_th


def test_several_reasons_strictest_action_wins() -> None:
    r = screen("ไอ้สัส โทรมา 0812345678 ดูที่ bit.ly/x", now=NOW)
    assert r.reasons == [Reason.PROFANITY, Reason.LINK_SPAM, Reason.PERSONAL_DATA]
    assert r.outcome == "hold"
    assert "0812345678" not in r.masked_text
    # one message covering every reason
    assert "หยาบ" in r.message_th and "ลิงก์" in r.message_th and "ซ่อน" in r.message_th


def test_findings_point_into_the_original_text() -> None:
    text = "เเม่งเอ้ย fuck โทร 081-234-5678 ที่ bit.ly/a"
    r = screen(text, now=NOW)
    for f in r.findings:
        if f.reason == Reason.PERSONAL_DATA:
            assert f.text == MASKS[f.kind]
        else:
            assert text[f.start : f.end] == f.text


# ------------------------------------------------------------ real Thai text (Wisesight)

DATA = Path(os.environ.get("CONSULT_DATA", "/work/shared/data")) / "wisesight"
needs_data = pytest.mark.skipif(not (DATA / "neg.txt").exists(), reason="wisesight data absent")


def _lines(name: str) -> list[str]:
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _ints(text: str) -> frozenset[int]:
    return frozenset(int(n) for n in text.split())


@needs_data
def test_wisesight_files_are_the_labelled_ones() -> None:
    sizes = {name: len(_lines(name)) for name in ("neg", "pos", "neu", "q")}
    assert sizes == {"neg": 6823, "pos": 4778, "neu": 14561, "q": 575}


def _recall(lines: list[str], profane: frozenset[int]) -> float:
    return sum(1 for i in profane if hard_hits(lines[i])) / len(profane)


def _false_positives(lines: list[str], sample: frozenset[int], profane: frozenset[int]) -> int:
    return sum(1 for i in sample - profane if hard_hits(lines[i]))


@needs_data
def test_profanity_recall_on_hand_labelled_negative_messages() -> None:
    """Share of hand-labelled profane or abusive lines of neg.txt that are flagged.

    Three random samples were labelled by reading every line: BUILD (400 lines; the word
    lists were compiled from it), HELD (400; labelled before being screened: 65 of 72 were
    caught then, the misses were added to the lists) and BLIND (300; labelled after the
    lists were final and never used to change them). Measured: BUILD 63/63, HELD 72/72,
    BLIND 45/47 (95.7%).
    """
    neg = _lines("neg")
    assert NEG_BUILD_PROFANE <= NEG_BUILD and NEG_HELD_PROFANE <= NEG_HELD
    assert NEG_BLIND_PROFANE <= NEG_BLIND
    assert _recall(neg, NEG_BLIND_PROFANE) >= 0.95
    assert _recall(neg, NEG_HELD_PROFANE | NEG_BLIND_PROFANE) >= 0.97
    assert _recall(neg, NEG_BUILD_PROFANE) >= 0.98


@needs_data
def test_no_false_positives_on_hand_labelled_ordinary_messages() -> None:
    """pos.txt and neu.txt lines labelled free of profanity and abuse (rude pronouns such as
    กู/มึง are not profanity here) must not be flagged. Measured: 0 of 1,089 lines."""
    pos, neu = _lines("pos"), _lines("neu")
    false_positives = (
        _false_positives(pos, POS_BUILD, POS_BUILD_PROFANE)
        + _false_positives(pos, POS_HELD, POS_HELD_PROFANE)
        + _false_positives(pos, POS_BLIND, POS_BLIND_PROFANE)
        + _false_positives(neu, NEU_BUILD, NEU_BUILD_PROFANE)
        + _false_positives(neu, NEU_HELD, NEU_HELD_PROFANE)
        + _false_positives(neu, NEU_BLIND, NEU_BLIND_PROFANE)
    )
    assert false_positives <= 1
    profane = [(pos, POS_BUILD_PROFANE | POS_HELD_PROFANE | POS_BLIND_PROFANE)]
    profane.append((neu, NEU_BUILD_PROFANE | NEU_HELD_PROFANE | NEU_BLIND_PROFANE))
    assert all(hard_hits(lines[i]) for lines, ids in profane for i in ids)


@needs_data
def test_share_of_whole_files_flagged() -> None:
    """Whole files, unlabelled: neg.txt is mostly complaints (15.5% flagged); the flagged
    lines of pos.txt (0.8%) and neu.txt (0.6%) were read: nearly all do swear."""
    share = {
        name: sum(1 for line in lines if hard_hits(line)) / len(lines)
        for name, lines in ((n, _lines(n)) for n in ("neg", "pos", "neu", "q"))
    }
    assert share["neg"] >= 0.15
    assert share["pos"] <= 0.010
    assert share["neu"] <= 0.007
    assert share["q"] <= 0.002


# Hand-labelled samples: 0-based line numbers in the wisesight files. *_PROFANE: lines that
# contain profanity, slurs, insults or threats (swear words used as intensifiers count; rude
# pronouns alone do not). The other sampled lines are ordinary.
NEG_BUILD = _ints(
    "1 15 33 98 116 175 184 189 208 221 225 228 229 237 307 321 381 395 406 430 442 475 482 484 "
    "488 497 506 509 514 532 551 563 572 576 593 599 635 659 660 670 679 694 695 703 704 710 743 "
    "745 766 771 798 831 836 837 838 841 844 848 900 944 959 964 967 982 1006 1014 1028 1040 1059 "
    "1073 1090 1121 1140 1180 1181 1193 1197 1200 1216 1235 1236 1238 1239 1245 1277 1301 1322 "
    "1329 1351 1362 1368 1376 1392 1443 1462 1472 1480 1493 1539 1561 1586 1595 1598 1611 1632 "
    "1637 1674 1681 1687 1703 1710 1728 1743 1758 1787 1806 1811 1825 1827 1828 1857 1858 1890 "
    "1900 1911 1961 1970 1971 1999 2028 2035 2063 2066 2123 2139 2152 2168 2211 2276 2280 2288 "
    "2309 2331 2354 2358 2372 2399 2441 2455 2459 2527 2536 2554 2570 2573 2610 2652 2700 2723 "
    "2766 2785 2786 2802 2806 2813 2818 2820 2842 2845 2863 2868 2870 2911 2912 2913 2939 2962 "
    "2963 2978 2983 2987 2995 3004 3024 3050 3082 3116 3160 3182 3202 3214 3228 3234 3242 3249 "
    "3259 3260 3268 3280 3282 3288 3290 3402 3425 3432 3433 3454 3477 3502 3526 3552 3553 3554 "
    "3609 3650 3663 3676 3679 3712 3737 3740 3782 3794 3812 3814 3817 3850 3868 3883 3884 3885 "
    "3916 3920 3927 3935 3944 3953 3963 3972 3998 4005 4036 4044 4055 4066 4067 4068 4105 4118 "
    "4156 4193 4222 4229 4240 4246 4302 4313 4326 4327 4355 4362 4379 4389 4395 4429 4436 4449 "
    "4487 4491 4494 4501 4507 4514 4560 4571 4581 4589 4623 4632 4639 4643 4676 4679 4694 4705 "
    "4727 4734 4750 4764 4774 4775 4796 4826 4839 4869 4881 4921 4933 4957 4988 4995 4999 5004 "
    "5010 5023 5027 5030 5059 5070 5112 5139 5166 5196 5197 5208 5213 5233 5266 5268 5301 5322 "
    "5332 5349 5365 5372 5384 5394 5411 5440 5474 5477 5539 5573 5575 5580 5586 5592 5653 5656 "
    "5669 5673 5695 5703 5710 5726 5746 5786 5828 5833 5870 5913 5923 5937 5950 5975 5988 5989 "
    "6048 6060 6061 6064 6089 6139 6141 6145 6202 6210 6212 6263 6293 6323 6367 6382 6388 6389 "
    "6408 6458 6464 6472 6507 6528 6536 6548 6550 6560 6580 6603 6606 6623 6647 6685 6703 6711 "
    "6727 6733 6767 6770 6773 6789 6808 "
)

NEG_BUILD_PROFANE = _ints(
    "15 395 506 532 670 766 1006 1059 1277 1322 1376 1472 1480 1632 1674 1811 1900 1911 1961 2028 "
    "2063 2288 2354 2652 2700 2845 2868 3182 3214 3288 3433 3552 3676 3679 3737 3868 3920 4055 "
    "4491 4623 4676 4775 4988 5139 5166 5196 5384 5575 5580 5653 5786 5828 5913 5923 5988 6210 "
    "6293 6367 6536 6548 6550 6580 6808 "
)

NEG_HELD = _ints(
    "0 4 25 38 90 126 164 216 224 250 261 268 320 323 347 390 428 461 466 478 505 533 568 587 616 "
    "638 648 713 758 768 813 832 860 882 899 909 913 939 943 945 975 980 1030 1038 1044 1065 1076 "
    "1087 1089 1097 1098 1154 1164 1168 1172 1175 1187 1189 1204 1217 1241 1300 1320 1383 1398 "
    "1403 1406 1415 1420 1446 1488 1513 1521 1531 1541 1569 1573 1579 1589 1593 1608 1629 1663 "
    "1697 1712 1713 1724 1740 1753 1760 1761 1777 1790 1805 1812 1819 1836 1841 1842 1861 1863 "
    "1875 1876 1903 1910 1916 1929 1951 1953 1972 1986 1997 2001 2005 2009 2018 2020 2061 2065 "
    "2068 2083 2093 2143 2161 2162 2185 2203 2204 2232 2258 2285 2294 2300 2314 2320 2380 2385 "
    "2411 2427 2449 2451 2456 2458 2478 2483 2495 2542 2585 2624 2634 2644 2675 2685 2692 2711 "
    "2728 2737 2750 2751 2760 2765 2775 2781 2833 2840 2848 2877 2882 2884 2890 2892 2922 2923 "
    "2937 2945 2961 3011 3046 3054 3087 3090 3107 3109 3120 3159 3165 3176 3184 3211 3270 3289 "
    "3297 3319 3374 3385 3392 3399 3466 3468 3486 3522 3543 3572 3587 3600 3607 3612 3620 3626 "
    "3641 3648 3665 3666 3705 3715 3751 3754 3756 3775 3776 3790 3793 3813 3823 3879 3907 3917 "
    "3955 3968 4017 4018 4039 4046 4049 4051 4060 4063 4076 4083 4085 4097 4123 4180 4199 4253 "
    "4284 4296 4311 4312 4323 4341 4368 4392 4402 4403 4406 4416 4442 4480 4489 4513 4516 4520 "
    "4527 4549 4564 4596 4633 4648 4666 4689 4716 4738 4742 4744 4745 4771 4814 4822 4835 4873 "
    "4883 4897 4920 4944 4948 4965 4969 4992 4994 4996 5044 5049 5051 5067 5091 5092 5113 5156 "
    "5179 5181 5189 5190 5210 5216 5246 5269 5270 5289 5295 5304 5346 5350 5360 5367 5386 5404 "
    "5436 5448 5475 5481 5504 5520 5527 5532 5535 5543 5547 5554 5617 5618 5621 5644 5675 5685 "
    "5686 5688 5740 5749 5765 5784 5803 5865 5877 5882 5904 5957 5967 5979 5994 6003 6051 6056 "
    "6081 6117 6121 6127 6129 6138 6147 6169 6173 6204 6233 6238 6271 6297 6311 6332 6336 6361 "
    "6362 6366 6373 6377 6387 6398 6428 6449 6468 6523 6525 6543 6547 6589 6600 6621 6630 6637 "
    "6646 6650 6658 6679 6701 6705 6720 6724 6738 6784 6791 "
)

NEG_HELD_PROFANE = _ints(
    "90 505 860 1038 1168 1175 1217 1300 1415 1488 1712 1819 1842 1916 2005 2162 2300 2451 2458 "
    "2634 2751 2775 2833 2877 2882 3046 3090 3109 3392 3399 3666 3756 3813 3968 4063 4180 4341 "
    "4402 4403 4416 4648 4771 4969 5067 5091 5092 5156 5269 5289 5295 5367 5481 5520 5535 5543 "
    "5547 5618 5685 5765 5803 5877 5882 6121 6138 6147 6204 6297 6361 6449 6543 6589 6791 "
)

NEG_BLIND = _ints(
    "13 35 39 42 53 69 100 137 181 205 287 333 337 380 425 458 499 503 527 631 655 657 680 687 "
    "730 736 738 755 784 789 800 817 849 881 916 962 969 1005 1029 1053 1077 1092 1142 1160 1169 "
    "1183 1190 1207 1209 1230 1257 1318 1326 1343 1388 1407 1470 1484 1545 1563 1580 1584 1591 "
    "1610 1626 1643 1652 1653 1654 1673 1696 1720 1791 1797 1801 1835 1839 1853 1860 1862 1867 "
    "1883 1895 1909 1932 1967 1979 2012 2016 2021 2038 2106 2142 2144 2153 2178 2228 2310 2322 "
    "2326 2335 2379 2386 2393 2422 2448 2462 2502 2539 2616 2663 2664 2693 2713 2733 2734 2740 "
    "2743 2777 2854 2875 2883 2885 2894 2917 2941 2968 2981 3059 3064 3065 3121 3129 3130 3135 "
    "3146 3207 3208 3291 3304 3323 3342 3358 3364 3424 3442 3459 3469 3496 3513 3520 3530 3532 "
    "3546 3550 3557 3577 3596 3604 3659 3695 3696 3700 3702 3707 3732 3745 3746 3759 3786 3798 "
    "3802 3842 3864 3865 3877 3888 3905 3911 3946 3948 3999 4070 4073 4091 4107 4117 4128 4129 "
    "4149 4267 4275 4280 4286 4291 4295 4344 4352 4397 4421 4423 4430 4450 4545 4590 4635 4656 "
    "4659 4672 4673 4751 4818 4851 4859 4861 4910 4929 4931 4937 4938 4952 4962 5006 5072 5175 "
    "5183 5207 5215 5223 5271 5323 5324 5342 5398 5444 5464 5468 5533 5571 5574 5616 5629 5632 "
    "5651 5680 5702 5739 5753 5762 5799 5815 5817 5820 5866 5869 5942 5945 6066 6074 6082 6094 "
    "6099 6108 6128 6131 6174 6189 6191 6197 6240 6256 6284 6291 6292 6328 6343 6346 6350 6383 "
    "6442 6444 6447 6491 6497 6509 6553 6594 6599 6601 6632 6634 6635 6652 6666 6680 6688 6695 "
    "6700 6765 6810 "
)

NEG_BLIND_PROFANE = _ints(
    "730 789 1142 1584 1791 1797 1853 1967 2038 2106 2142 2616 2777 2875 2894 2917 2981 3323 3358 "
    "3364 3424 3577 3700 3786 3864 4070 4107 4128 4280 4291 4430 4450 4859 4910 4938 5072 5398 "
    "5444 5468 5533 5574 5753 5799 6082 6256 6292 6700 "
)

POS_BUILD = _ints(
    "33 98 184 307 321 381 395 406 475 482 484 488 497 506 514 532 563 572 593 599 635 660 670 "
    "679 704 743 766 771 798 844 959 964 967 1014 1028 1059 1090 1121 1181 1193 1235 1236 1239 "
    "1245 1351 1362 1376 1443 1472 1480 1493 1539 1687 1758 1787 1811 1828 1890 1900 1911 1971 "
    "1999 2028 2035 2152 2211 2276 2280 2309 2331 2354 2358 2372 2455 2459 2527 2536 2570 2573 "
    "2610 2652 2786 2802 2813 2842 2868 2911 2939 2962 2995 3024 3050 3116 3160 3202 3234 3249 "
    "3259 3290 3402 3425 3432 3433 3454 3477 3502 3526 3552 3650 3676 3679 3712 3737 3782 3814 "
    "3883 3972 4005 4044 4055 4066 4067 4068 4156 4193 4302 4355 4379 4389 4429 4487 4501 4507 "
    "4514 4560 4571 4589 4623 4632 4639 4676 4679 4694 4705 4727 4734 4750 4764 4774 4775 "
)

POS_BUILD_PROFANE = _ints("2372 2652 2939 3526 ")

POS_HELD = _ints(
    "3 36 161 239 250 336 378 464 491 518 552 600 621 631 691 735 745 831 854 880 884 914 947 "
    "1004 1041 1052 1062 1063 1118 1150 1152 1176 1198 1259 1278 1373 1399 1438 1471 1492 1524 "
    "1540 1544 1577 1609 1653 1654 1693 1699 1700 1716 1728 1743 1748 1755 1775 1776 1796 1808 "
    "1843 1848 1885 1903 1932 1936 1940 1949 1991 1994 1996 2022 2072 2112 2185 2210 2225 2238 "
    "2302 2350 2374 2401 2545 2555 2565 2615 2649 2659 2673 2696 2702 2747 2760 2787 2792 2794 "
    "2800 2832 2847 2915 2950 2957 2990 2993 3087 3113 3182 3270 3281 3296 3436 3463 3479 3499 "
    "3504 3512 3518 3557 3604 3682 3700 3708 3833 3892 3893 3919 3924 3932 3954 3966 3991 4071 "
    "4121 4165 4180 4207 4254 4267 4347 4368 4382 4419 4449 4484 4498 4592 4594 4595 4732 4747 "
    "4772 "
)

POS_HELD_PROFANE = _ints("4207 ")

POS_BLIND = _ints(
    "49 65 196 312 360 435 469 473 626 701 703 719 747 752 762 780 837 952 1018 1031 1082 1100 "
    "1124 1139 1160 1183 1247 1253 1270 1311 1326 1401 1491 1517 1533 1550 1559 1561 1620 1726 "
    "1739 1745 1751 1780 1815 1850 1859 1887 1895 2018 2051 2173 2196 2253 2356 2512 2587 2708 "
    "2764 2789 2884 2965 3094 3126 3162 3168 3267 3327 3329 3346 3387 3520 3532 3533 3543 3569 "
    "3582 3659 3684 3716 3718 3855 3865 4028 4033 4038 4096 4135 4155 4270 4352 4372 4391 4526 "
    "4566 4615 4634 4664 4702 4765 "
)

POS_BLIND_PROFANE = _ints("3659 ")

NEU_BUILD = _ints(
    "3 67 197 369 417 614 642 763 791 812 861 884 950 965 968 976 994 1013 1019 1028 1064 1103 "
    "1126 1144 1152 1186 1199 1271 1320 1341 1359 1408 1486 1533 1542 1596 1662 1677 1688 1696 "
    "1801 1918 1929 1934 2028 2056 2119 2181 2243 2363 2386 2471 2472 2478 2490 2659 2702 2725 "
    "2753 2887 2945 2961 2987 3078 3122 3374 3407 3420 3517 3575 3622 3657 3780 3800 3822 3943 "
    "3999 4056 4070 4304 4422 4552 4561 4619 4662 4709 4717 4744 4911 4919 5054 5072 5140 5146 "
    "5220 5305 5571 5572 5604 5627 5685 5737 5823 5878 5924 5957 5991 6049 6101 6233 6320 6405 "
    "6428 6457 6468 6499 6519 6521 6536 6560 6580 6804 6850 6851 6864 6867 6909 6955 7005 7053 "
    "7104 7219 7301 7353 7359 7424 7474 7481 7564 7628 7767 7889 7945 8011 8088 8111 8133 8134 "
    "8137 8313 8387 8445 8604 8711 8758 8779 8791 8858 8974 9002 9014 9028 9120 9143 9163 9179 "
    "9246 9264 9278 9286 9353 9358 9388 9411 9455 9469 9501 9528 9548 9551 9593 9652 9738 9842 "
    "9977 9991 10009 10055 10060 10118 10141 10279 10332 10392 10467 10602 10664 10730 10789 "
    "10881 10948 10955 11078 11147 11150 11161 11173 11185 11313 11391 11420 11452 11493 11573 "
    "11667 11741 11951 11979 12097 12120 12404 12526 12586 12734 12776 12779 12928 13015 13056 "
    "13072 13371 13407 13423 13455 13466 13547 13616 13762 14065 14077 14155 14270 14277 14325 "
    "14328 14338 14343 14473 14486 14533 "
)

NEU_BUILD_PROFANE = _ints("1013 8858 ")

NEU_HELD = _ints(
    "8 72 321 478 499 670 754 925 973 1026 1093 1185 1229 1250 1365 1453 1471 1641 1686 1740 1748 "
    "1809 1876 1986 2059 2080 2099 2101 2210 2273 2278 2325 2366 2484 2523 2711 2763 2841 2906 "
    "2946 3009 3040 3048 3114 3179 3267 3270 3345 3357 3360 3393 3417 3449 3458 3473 3511 3512 "
    "3552 3577 3644 3653 3729 3761 3818 3828 3835 3853 3936 3942 3946 3996 4095 4175 4321 4371 "
    "4399 4426 4549 4645 4688 4743 5027 5046 5067 5165 5234 5251 5279 5326 5338 5428 5455 5506 "
    "5516 5521 5532 5594 5624 5759 5828 5842 5906 5913 6099 6151 6286 6459 6481 6510 6788 6840 "
    "6874 6916 6924 6940 6952 7027 7123 7275 7311 7327 7575 7692 7695 7746 7757 7774 7817 7842 "
    "7891 8041 8145 8231 8262 8314 8410 8435 8594 8635 8662 8734 8796 8867 8893 9072 9077 9079 "
    "9345 9374 9423 9477 9518 9657 9666 9670 9701 9750 9918 9938 9940 10045 10090 10130 10245 "
    "10266 10277 10313 10348 10411 10432 10485 10495 10541 10573 10587 10598 10605 10618 10758 "
    "10890 10894 11041 11079 11241 11317 11417 11460 11505 11601 11610 11655 11725 11747 11751 "
    "11769 11824 11832 11893 11958 12022 12072 12102 12142 12143 12151 12201 12202 12210 12222 "
    "12249 12266 12367 12401 12507 12511 12552 12629 12652 12706 12720 12805 12852 12881 12913 "
    "13012 13080 13233 13319 13333 13387 13410 13528 13546 13549 13829 13861 13943 14045 14058 "
    "14066 14170 14189 14289 14356 14357 14425 14453 14459 14465 14535 "
)

NEU_HELD_PROFANE = _ints("6924 12805 ")

NEU_BLIND = _ints(
    "96 128 186 388 618 626 711 797 857 927 934 1225 1356 1370 1375 1405 1457 1466 1488 1521 1570 "
    "1633 1793 1861 1988 2013 2111 2145 2191 2222 2261 2305 2425 2437 2468 2554 2584 2728 2902 "
    "2954 2985 3014 3033 3036 3075 3155 3359 3384 3395 3406 3460 3526 3593 3612 3669 3677 3683 "
    "3714 3844 3913 3914 3978 4222 4243 4266 4351 4375 4574 4882 5020 5026 5257 5271 5285 5328 "
    "5369 5414 5596 5716 5727 5751 6006 6068 6139 6153 6294 6328 6344 6393 6458 6464 6500 6508 "
    "6551 6588 6760 6768 6773 6828 6853 6855 6878 6930 6959 7030 7113 7148 7157 7215 7220 7430 "
    "7435 7496 7516 7533 7829 7839 7850 7957 8035 8076 8299 8466 8501 8533 8795 8876 8964 8999 "
    "9060 9061 9134 9250 9466 9519 9621 9937 9985 10106 10175 10178 10276 10321 10408 10480 10592 "
    "10729 10870 11090 11106 11209 11213 11444 11498 11514 11581 11607 11615 11676 11797 11889 "
    "12076 12078 12138 12167 12194 12224 12237 12253 12262 12376 12537 12683 12688 12756 12898 "
    "12965 12968 13079 13085 13144 13218 13356 13375 13437 13450 13540 13730 13781 13803 13903 "
    "13947 13948 13993 14120 14352 14417 14482 14543 14555 "
)

NEU_BLIND_PROFANE = _ints("6153 ")
