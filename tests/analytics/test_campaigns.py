"""Form letters and mail-merge campaigns: exact and near-duplicate comments."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from analytics.campaigns import Campaign, find_campaigns

BENCH_DATA = Path(__file__).resolve().parents[2] / "bench" / "data"

LETTER_EN = (
    "Dear Committee, my name is {name} and I live in {city}. I am writing about the draft act "
    "because the new {w1} on small farmers is not fair. Please {w2} section 12 and give us "
    "{w3} support before the law comes into force. We have no machines and no money to change "
    "how we clear our fields. Thank you for reading my letter."
)
SLOTS_EN = {
    "w1": ["rule", "burden", "penalty", "charge"],
    "w2": ["reconsider", "amend", "withdraw", "review"],
    "w3": ["real", "financial", "practical", "direct"],
}
LETTER_TH = (
    "เรียนคณะกรรมการ ข้าพเจ้า{name} อาศัยอยู่ที่{city} ขอแสดงความเห็นต่อร่างกฎหมายฉบับนี้ว่า"
    "{w1}ต่อเกษตรกรรายย่อยไม่เป็นธรรม ขอให้{w2}มาตรา 12 และให้การสนับสนุน{w3}ก่อนบังคับใช้ "
    "เพราะเกษตรกรไม่มีเครื่องจักรและไม่มีเงินเปลี่ยนวิธีเตรียมแปลง ขอบคุณที่รับฟัง"
)
SLOTS_TH = {
    "w1": ["ภาระ", "บทลงโทษ", "ค่าธรรมเนียม", "ข้อบังคับ"],
    "w2": ["ทบทวน", "แก้ไข", "ยกเลิก", "ปรับปรุง"],
    "w3": ["อย่างจริงจัง", "ด้านการเงิน", "ที่ใช้ได้จริง", "โดยตรง"],
}
FIRST = "John Mary Ann Peter Lisa Tom Kate Somchai Malee Niran Ploy Arthit".split()
LAST = "Smith Jones Lee Brown Wong Dee Srisuk Chaiyo Boonmee Tan Park Kim".split()
FIRST_TH = "สมชาย มาลี นิรันดร์ พลอย อาทิตย์ วนิดา ชัย สมศรี บุญมี ประยูร".split()
LAST_TH = "ศรีสุข ใจดี แก้วมณี บุญมา ทองดี รักไทย".split()
CITIES = ["Chiang Mai", "Lampang", "Nan", "Tak", "Phrae", "Lamphun"]
CITIES_TH = ["เชียงใหม่", "ลำปาง", "น่าน", "ตาก", "แพร่", "ลำพูน"]


def mail_merge(lang: str, n: int, seed: int = 0) -> list[str]:
    """``n`` copies of one letter, each with its own sender and city and 1-3 words swapped."""
    rng = random.Random(seed)
    template, slots = (LETTER_EN, SLOTS_EN) if lang == "en" else (LETTER_TH, SLOTS_TH)
    first, last = (FIRST, LAST) if lang == "en" else (FIRST_TH, LAST_TH)
    cities = CITIES if lang == "en" else CITIES_TH
    out = []
    for _ in range(n):
        fill = {key: values[0] for key, values in slots.items()}
        for key in rng.sample(sorted(slots), rng.randint(1, 3)):
            fill[key] = rng.choice(slots[key][1:])
        name = f"{rng.choice(first)} {rng.choice(last)}"
        out.append(template.format(name=name, city=rng.choice(cities), **fill))
    return out


def background(lang: str) -> list[str]:
    """Independent comments on the same draft (hand-written, bench/data)."""
    path = BENCH_DATA / f"labelled_{lang}.tsv"
    return [line.split("\t", 1)[1] for line in path.read_text(encoding="utf-8").splitlines()]


def shuffled(*groups: tuple[str, list[str]], seed: int = 0) -> tuple[list[str], list[str]]:
    """Ids (prefix + number) and texts of several groups, interleaved at random."""
    rows = [(f"{prefix}{i}", t) for prefix, texts in groups for i, t in enumerate(texts)]
    random.Random(seed).shuffle(rows)
    return [r[0] for r in rows], [r[1] for r in rows]


@pytest.mark.parametrize("lang", ["en", "th"])
def test_mail_merge_campaign_is_found_once_with_exactly_its_members(lang: str) -> None:
    letters = mail_merge(lang, 200)
    assert len(set(letters)) > 150  # variants, not copies
    ids, texts = shuffled(("letter", letters), ("c", background(lang)))

    campaigns = find_campaigns(ids, texts)

    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert isinstance(campaign, Campaign)
    assert campaign.id == 1
    assert campaign.size == 200 == len(campaign.member_ids)
    assert set(campaign.member_ids) == {f"letter{i}" for i in range(200)}
    assert campaign.representative_id in campaign.member_ids
    assert campaign.member_ids == [i for i in ids if i.startswith("letter")]  # input order


def test_exact_copies_with_cosmetic_differences_are_one_campaign() -> None:
    letter = mail_merge("en", 1)[0]
    copies = [letter, letter.upper(), letter + " 😡😡", "  " + letter.replace(" ", "  "), letter]
    ids, texts = shuffled(("copy", copies), ("c", background("en")), seed=3)

    (campaign,) = find_campaigns(ids, texts)

    assert sorted(campaign.member_ids) == sorted(f"copy{i}" for i in range(5))
    assert campaign.exact_copies == 5


def test_campaigns_are_numbered_by_size_and_small_groups_ignored() -> None:
    big = mail_merge("en", 30, seed=1)
    small = mail_merge("th", 4, seed=2)
    pair = ["This exact sentence about land tax was posted twice by the same person today."] * 2
    ids, texts = shuffled(("big", big), ("small", small), ("pair", pair), ("c", background("en")))

    campaigns = find_campaigns(ids, texts)

    assert [(c.id, c.size) for c in campaigns] == [(1, 30), (2, 4)]
    assert all(m.startswith("big") for m in campaigns[0].member_ids)
    assert all(m.startswith("small") for m in campaigns[1].member_ids)
    assert find_campaigns(ids, texts, min_size=5)[0].size == 30
    assert len(find_campaigns(ids, texts, min_size=2)) == 3


def test_short_common_answers_are_not_campaigns() -> None:
    answers = ["เห็นด้วยค่ะ"] * 50 + ["เห็นด้วยครับ"] * 50 + ["I agree"] * 50 + ["+1"] * 20
    ids = [f"a{i}" for i in range(len(answers))]
    assert find_campaigns(ids, answers) == []


def test_independent_comments_on_one_draft_are_not_campaigns() -> None:
    for lang in ("en", "th"):
        texts = background(lang)
        assert find_campaigns([str(i) for i in range(len(texts))], texts) == []


def test_threshold_separates_variants_from_rewrites() -> None:
    letter = mail_merge("en", 1)[0]
    words = letter.split()
    rewrites = []
    rng = random.Random(5)
    for _ in range(10):  # about half of the words replaced: a different text
        rewrites.append(
            " ".join(w if rng.random() < 0.5 else f"word{rng.randrange(999)}" for w in words)
        )
    ids, texts = shuffled(("letter", mail_merge("en", 20, seed=4)), ("rewrite", rewrites))

    (campaign,) = find_campaigns(ids, texts, threshold=0.7)
    assert all(m.startswith("letter") for m in campaign.member_ids)
    assert campaign.size == 20
    loose = find_campaigns(ids, texts, threshold=0.2)
    assert max(c.size for c in loose) > 20


def test_result_is_deterministic_and_independent_of_input_order() -> None:
    ids, texts = shuffled(
        ("en", mail_merge("en", 50, seed=7)),
        ("th", mail_merge("th", 40, seed=8)),
        ("c", background("en") + background("th")),
    )
    first = find_campaigns(ids, texts)
    assert find_campaigns(ids, texts) == first
    order = list(range(len(ids)))
    random.Random(9).shuffle(order)
    again = find_campaigns([ids[i] for i in order], [texts[i] for i in order])
    assert [sorted(c.member_ids) for c in again] == [sorted(c.member_ids) for c in first]


def test_many_comments_many_campaigns() -> None:
    rng = random.Random(11)
    groups = [
        (f"l{g}_", mail_merge("en" if g % 2 else "th", rng.randint(3, 40), seed=g))
        for g in range(40)
    ]
    base = background("en") + background("th")
    filler = [f"{rng.choice(base)} {rng.choice(base)}" for _ in range(3000)]
    ids, texts = shuffled(*groups, ("f", filler), seed=12)
    campaigns = find_campaigns(ids, texts)
    planted = {f"{p}{i}" for p, t in groups for i in range(len(t))}
    # the 20 English groups share one template, the 20 Thai groups another: groups of the same
    # template may merge, but letters never merge with independent comments
    for c in campaigns:
        fillers = sum(m.startswith("f") for m in c.member_ids)
        assert fillers in (0, c.size)
    found = {m for c in campaigns for m in c.member_ids if not m.startswith("f")}
    assert found == planted


def test_input_validation() -> None:
    with pytest.raises(ValueError):
        find_campaigns(["a", "b"], ["only one"])
    with pytest.raises(ValueError):
        find_campaigns(["a", "a", "b"], ["x", "y", "z"])
    assert find_campaigns([], []) == []
    assert find_campaigns(["a"], ["one comment alone is never a campaign of course"]) == []


def test_worker_processes_give_the_same_campaigns(monkeypatch: pytest.MonkeyPatch) -> None:
    from analytics import text

    if threading.active_count() > 1:
        pytest.skip("other threads are running: worker processes are not used")
    ids, texts = shuffled(
        ("en", mail_merge("en", 60, seed=13)),
        ("th", mail_merge("th", 50, seed=14)),
        ("c", background("en") + background("th")),
    )
    in_process = find_campaigns(ids, texts)
    monkeypatch.setattr(text, "PARALLEL_MIN", 100)
    monkeypatch.setattr(text, "workers", lambda: 2)
    monkeypatch.setattr("analytics.campaigns._CHUNK", 100)  # several chunks, two workers
    assert text.pool_size(len(texts), 100) == 2
    assert find_campaigns(ids, texts) == in_process
