"""Masking that cannot be dodged: zero-width and other invisible characters between digits,
full-width digits and @, Thai digits, and any separators are normalised away before detection,
and the span is masked in the original text. Display names carry no invisible characters."""

from __future__ import annotations

import pytest

from accounts.services import profile_update
from moderation.screening import MASKS, mask_personal_data

ID = MASKS["citizen_id"]
PHONE = MASKS["phone"]
EMAIL = MASKS["email"]


def with_check_digit(first12: str) -> str:
    """Thai citizen ID check digit (mod 11), as the Department of Provincial Administration
    defines it."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


CID = with_check_digit("110180012345")  # 1101800123458


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("โทร 081\u200b234\u200b5678 นะ", f"โทร {PHONE} นะ"),
        ("โทร 0\u200c8\u200d1\u20602345678", f"โทร {PHONE}"),
        ("โทร 081\u202e234\u202c5678", f"โทร {PHONE}"),  # bidirectional override inside
        ("โทร 081\u00ad234\ufeff5678", f"โทร {PHONE}"),  # soft hyphen, BOM
        ("เบอร์ ０８１２３４５６７８ ค่ะ", f"เบอร์ {PHONE} ค่ะ"),  # full-width digits
        ("เบอร์ ๐๘๑-๒๓๔-๕๖๗๘", f"เบอร์ {PHONE}"),
        ("เบอร์ 081/234/5678", f"เบอร์ {PHONE}"),
        ("เบอร์ 081_234_5678", f"เบอร์ {PHONE}"),
        (f"บัตร {CID[0]}-{CID[1:5]} {CID[5:10]}/{CID[10:12]}-{CID[12]} ครับ", f"บัตร {ID} ครับ"),
        (f"บัตร {CID[:4]}\u200b{CID[4:]}", f"บัตร {ID}"),
        (
            "บัตร " + "".join(chr(0xFF10 + int(d)) for d in CID) + " ครับ",
            f"บัตร {ID} ครับ",
        ),
        ("mail som\u200bchai@gmail.com please", f"mail {EMAIL} please"),
        ("mail somchai@gma\u200bil.com please", f"mail {EMAIL} please"),
        ("mail somchai＠gmail．com please", f"mail {EMAIL} please"),
        ("ｓｏｍｃｈａｉ@gmail.com", EMAIL),
    ],
)
def test_dodges_are_masked_in_the_original_text(text, expected):
    masked, findings = mask_personal_data(text)
    assert masked == expected
    assert findings


@pytest.mark.parametrize(
    "text",
    [
        "ร่างฉบับปี ๒๕๖๘ มาตรา ๑๒ วรรค ๓",
        "ราคา ๑,๒๐๐ บาท ภายใน 15 วัน",
        "ทำให้ดีขึ้น\u200bนะคะ",  # a zero-width space alone is left where it is
        "price 1,200 baht in 2025",
    ],
)
def test_ordinary_text_is_untouched(text):
    assert mask_personal_data(text) == (text, [])


def test_display_names_lose_invisible_and_bidi_characters(alice):
    profile_update(user=alice, display_name="Ali\u200bce\u202e ecilA\u202c", name_kind="real")
    alice.refresh_from_db()
    assert alice.display_name == "Alice ecilA"
    profile_update(user=alice, display_name="สมชาย ใจดีน้ำใจงาม", name_kind="real")
    alice.refresh_from_db()
    assert alice.display_name == "สมชาย ใจดีน้ำใจงาม"  # Thai untouched (SARA AM kept)
