"""Personal data in submissions: Thai citizen ID numbers (with their check digit), Thai phone
numbers and e-mail addresses are found and masked. Plain pytest functions, no database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # runs without pytest-django, which would add it
    sys.path.insert(0, str(ROOT))

from moderation.screening import (  # noqa: E402
    MASKS,
    Reason,
    find_personal_data,
    is_valid_citizen_id,
    mask_personal_data,
    screen,
)

ID = MASKS["citizen_id"]
PHONE = MASKS["phone"]
EMAIL = MASKS["email"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


VALID = with_check_digit("110370023456")  # 1103700234560
VALID_2 = with_check_digit("350990012345")
INVALID = VALID[:12] + str((int(VALID[12]) + 1) % 10)


def dashed(number: str) -> str:
    return f"{number[0]}-{number[1:5]}-{number[5:10]}-{number[10:12]}-{number[12]}"


def spaced(number: str) -> str:
    return dashed(number).replace("-", " ")


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_personal_data(text)]


# ------------------------------------------------------------------------ check digit


def test_check_digit_rule() -> None:
    assert VALID == "1103700234560"
    assert is_valid_citizen_id(VALID)
    assert is_valid_citizen_id(VALID_2)
    assert not is_valid_citizen_id(INVALID)
    # the mod-11 rule: sum of digit[i] * (13 - i) for the first 12, check = (11 - sum % 11) % 10
    assert is_valid_citizen_id("3101700123459") == (
        (11 - sum(int(d) * (13 - i) for i, d in enumerate("310170012345")) % 11) % 10 == 9
    )


def test_check_digit_accepts_separators_and_thai_digits() -> None:
    assert is_valid_citizen_id(dashed(VALID))
    assert is_valid_citizen_id(spaced(VALID))
    assert is_valid_citizen_id(VALID.translate(THAI_DIGITS))
    assert not is_valid_citizen_id(VALID[:12])
    assert not is_valid_citizen_id(VALID + "1")
    assert not is_valid_citizen_id("")


@pytest.mark.parametrize("first12", ["123456789012", "100000000000", "899999999999"])
def test_every_generated_number_is_valid(first12: str) -> None:
    number = with_check_digit(first12)
    assert is_valid_citizen_id(number)
    for wrong in range(10):
        if str(wrong) != number[12]:
            assert not is_valid_citizen_id(number[:12] + str(wrong))


# ---------------------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    "written",
    [
        VALID,
        dashed(VALID),
        spaced(VALID),
        VALID.translate(THAI_DIGITS),
        dashed(VALID).translate(THAI_DIGITS),
        spaced(VALID).translate(THAI_DIGITS),
        " ".join(VALID),  # every digit spaced out
        f"{VALID[:4]} {VALID[4:8]} {VALID[8:]}",
    ],
)
def test_valid_id_is_masked_in_every_form(written: str) -> None:
    text = f"เลขประจำตัวประชาชน {written} ค่ะ"
    masked, findings = mask_personal_data(text)
    assert masked == f"เลขประจำตัวประชาชน {ID} ค่ะ"
    assert [f.kind for f in findings] == ["citizen_id"]
    f = findings[0]
    assert text[f.start : f.end] == written
    assert f.text == ID  # the finding does not copy the number
    assert f.reason == Reason.PERSONAL_DATA


def test_id_inside_thai_text_without_spaces() -> None:
    masked, _ = mask_personal_data(f"เลขบัตร{VALID}ครับ")
    assert masked == f"เลขบัตร{ID}ครับ"


@pytest.mark.parametrize(
    "written",
    [INVALID, dashed(INVALID), spaced(INVALID), INVALID.translate(THAI_DIGITS)],
)
def test_checksum_invalid_13_digits_are_not_masked(written: str) -> None:
    text = f"เลขที่หนังสือ {written}"
    assert mask_personal_data(text) == (text, [])


def test_two_ids_and_a_longer_number() -> None:
    text = f"ผู้ร้อง {VALID} และ {dashed(VALID_2)} อ้างอิง 99{VALID}99"
    masked, findings = mask_personal_data(text)
    assert masked == f"ผู้ร้อง {ID} และ {ID} อ้างอิง 99{VALID}99"
    assert len(findings) == 2


def test_id_next_to_other_numbers() -> None:
    masked, _ = mask_personal_data(f"ข้อ 5 {spaced(VALID)} ปี 2567")
    assert masked == f"ข้อ 5 {ID} ปี 2567"


# -------------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "written",
    [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "08-1234-5678",
        "081.234.5678",
        "0612345678",
        "0912345678",
        "02-123-4567",
        "021234567",
        "02 123 4567",
        "(02) 123 4567",
        "053-123-456",
        "+66812345678",
        "+66 81 234 5678",
        "+66-81-234-5678",
        "(+66) 81 234 5678",
        "+66 (0) 81 234 5678",
        "+66 2 123 4567",
        "0066 81 234 5678",
        "๐๘๑-๒๓๔-๕๖๗๘",
        "๐๒ ๑๒๓ ๔๕๖๗",
    ],
)
def test_phone_numbers_are_masked(written: str) -> None:
    text = f"โทร {written} ได้ตลอด"
    masked, findings = mask_personal_data(text)
    assert masked == f"โทร {PHONE} ได้ตลอด", written
    assert [f.kind for f in findings] == ["phone"]
    assert text[findings[0].start : findings[0].end] == written


@pytest.mark.parametrize(
    "text",
    [
        "งบประมาณ 1,500,000 บาท",
        "ปีงบประมาณ 2566-2567",
        "มาตรา 12 วรรคสอง",
        "เพิ่มขึ้น 10000000000%",
        "วันที่ 12/05/2566",
        "เวลา 11.00-15.00 น.",
        "ร้อยละ 26.06",
        "เลขที่ 1234567890",  # ten digits, but not 06/08/09
        "081234567",  # nine digits starting 08: too short for a mobile
        "08123456789",  # eleven digits
        "ราคา 2,490.- บาท",
        "ISBN 978-616-123-456-7",
    ],
)
def test_other_numbers_are_not_masked(text: str) -> None:
    assert mask_personal_data(text) == (text, [])


def test_phone_inside_thai_text_and_next_to_a_year() -> None:
    masked, _ = mask_personal_data("ปี 2566 0812345678 ติดต่อ")
    assert masked == f"ปี 2566 {PHONE} ติดต่อ"
    masked, _ = mask_personal_data("โทร0812345678ครับ")
    assert masked == f"โทร{PHONE}ครับ"


# -------------------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    "written",
    [
        "somchai@example.com",
        "Somchai.K@Example.CO.TH",
        "first.last+consult@mail.example.org",
        "user_1@sub.domain.go.th",
        "somchai @ example.com",
        "somchai＠example.com",
        "somchai [at] example [dot] com",
        "somchai(at)example.com",
        "somchai {at} example (dot) co (dot) th",
        "somchai at gmail dot com",
        "somchai at hotmail.com",
        "somchai แอท gmail ดอท com",
    ],
)
def test_email_addresses_are_masked(written: str) -> None:
    text = f"ส่งมาที่ {written} นะคะ"
    masked, findings = mask_personal_data(text)
    assert masked == f"ส่งมาที่ {EMAIL} นะคะ", written
    assert [f.kind for f in findings] == ["email"]


def test_email_glued_to_thai_text() -> None:
    masked, _ = mask_personal_data("ติดต่อname@example.comครับ")
    assert masked == f"ติดต่อ{EMAIL}ครับ"


@pytest.mark.parametrize(
    "text",
    [
        "ขอบคุณ @somchai ที่แจ้งมา",
        "look at this dot com boom",
        "meet (at) noon",
        "ราคา 5@10 บาท",
        "ราคา 5 @ 10.50 บาท",
        "see example.com",
    ],
)
def test_not_email_addresses(text: str) -> None:
    assert "email" not in kinds(text)


# -------------------------------------------------------------------------- all together


def test_everything_masked_once_in_order() -> None:
    text = f"ชื่อ สมชาย บัตร {dashed(VALID)} โทร 081-234-5678 อีเมล somchai@example.com"
    masked, findings = mask_personal_data(text)
    assert masked == f"ชื่อ สมชาย บัตร {ID} โทร {PHONE} อีเมล {EMAIL}"
    assert [f.kind for f in findings] == ["citizen_id", "phone", "email"]
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for digit_run in ("1037", "234-5678", "somchai@"):
        assert digit_run not in masked


def test_placeholders_are_one_form_for_both_languages() -> None:
    assert ID == "[ID •••]" and PHONE == "[☎ •••]" and EMAIL == "[✉ •••]"
    for placeholder in MASKS.values():
        assert placeholder.startswith("[") and placeholder.endswith("•••]")
        assert find_personal_data(placeholder) == []  # masking twice changes nothing


def test_screen_publishes_masked_text_and_keeps_the_original() -> None:
    text = f"ผมชื่อสมชาย เลขบัตร {VALID} โทร 0812345678"
    r = screen(text)
    assert r.outcome == "publish"
    assert r.reasons == [Reason.PERSONAL_DATA]
    assert r.masked_text == f"ผมชื่อสมชาย เลขบัตร {ID} โทร {PHONE}"
    assert r.original_text == text
    assert VALID not in r.masked_text and VALID not in r.message_th + r.message_en
    assert all(VALID not in f.text for f in r.findings)
    assert "เลขประจำตัวประชาชน" in r.message_th and "ID numbers" in r.message_en


def test_invalid_id_is_published_unchanged() -> None:
    r = screen(f"เลขที่อ้างอิง {INVALID}")
    assert r.reasons == [] and r.masked_text == r.original_text
