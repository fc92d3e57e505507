"""Extractive summaries and Thai sentence splitting (reports.summaries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.summaries import split_sentences, summarise

# Planted theme: four distinct points, each made by five people in different words, plus a
# sentence of chit-chat in some comments. A good summary has one sentence per point.
PLANTED_EN = {
    "fines": [
        "Factories that exceed the emission limits should pay much higher fines.",
        "The fines for polluting factories are far too low to change anything.",
        "Raise the fines on factories that break the emission limits.",
        "Polluting factories must face fines that actually hurt them.",
        "Higher fines for factories over the limits, please.",
    ],
    "sensors": [
        "Every school needs an air quality sensor with the readings published online.",
        "Put cheap air quality sensors in schools and publish the data.",
        "Parents want to see the air quality sensor readings from their school.",
        "Air quality sensors in every school would protect children.",
        "Install sensors for air quality at schools and open the data.",
    ],
    "farmers": [
        "Farmers need machines to plough the stubble under instead of burning it.",
        "Lend farmers machines so they can stop burning their fields.",
        "Small farmers cannot afford machines to avoid burning stubble.",
        "Give farmers machines or money before banning burning.",
        "Without machines for farmers, the burning ban will fail.",
    ],
    "buses": [
        "Old diesel buses in Bangkok spew black smoke every day.",
        "Replace the old diesel buses with electric buses.",
        "Black smoke from diesel buses is the worst on my street.",
        "The city should retire its diesel buses and buy electric ones.",
        "Diesel buses with black smoke should be taken off the road.",
    ],
}

PLANTED_TH = {
    "ค่าปรับ": [
        "โรงงานที่ปล่อยมลพิษเกินมาตรฐานต้องเสียค่าปรับสูงกว่านี้มาก",
        "ค่าปรับโรงงานที่ปล่อยมลพิษต่ำเกินไปจนไม่มีใครกลัว",
        "ขอให้เพิ่มค่าปรับโรงงานที่ปล่อยมลพิษเกินค่ามาตรฐาน",
        "โรงงานปล่อยมลพิษควรโดนค่าปรับที่แรงจริง ๆ",
    ],
    "เซ็นเซอร์": [
        "ทุกโรงเรียนควรมีเซ็นเซอร์วัดฝุ่นและเปิดข้อมูลให้ผู้ปกครองดู",
        "ติดเซ็นเซอร์วัดฝุ่นราคาถูกในโรงเรียนแล้วเปิดข้อมูลออนไลน์",
        "ผู้ปกครองอยากเห็นค่าฝุ่นจากเซ็นเซอร์ในโรงเรียนของลูก",
        "เซ็นเซอร์วัดฝุ่นในโรงเรียนช่วยปกป้องเด็กได้",
    ],
    "เครื่องจักร": [
        "เกษตรกรต้องมีเครื่องจักรไถกลบตอซังแทนการเผา",
        "รัฐควรให้เกษตรกรยืมเครื่องจักรจะได้เลิกเผาในแปลงนา",
        "ชาวนารายย่อยไม่มีเงินซื้อเครื่องจักรไถกลบตอซัง",
        "ถ้าไม่มีเครื่องจักรให้เกษตรกร การห้ามเผาก็ล้มเหลว",
    ],
}


def _comments(planted: dict[str, list[str]]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    comments, point_of = [], {}
    for point, texts in planted.items():
        for n, text in enumerate(texts):
            cid = f"{point}-{n}"
            comments.append((cid, text))
            point_of[cid] = point
    # interleave, as comments arrive
    comments.sort(key=lambda c: (int(c[0].rsplit("-", 1)[1]), c[0]))
    return comments, point_of


@pytest.mark.parametrize("planted", [PLANTED_EN, PLANTED_TH], ids=["en", "th"])
def test_summary_covers_every_planted_point_once(planted):
    comments, point_of = _comments(planted)
    summary = summarise(comments, max_sentences=len(planted), min_sentences=len(planted))
    points = [point_of[s.comment_ids[0]] for s in summary.sentences]
    assert sorted(points) == sorted(planted), points  # every point, none twice
    assert summary.redundancy < 0.5


@pytest.mark.parametrize("planted", [PLANTED_EN, PLANTED_TH], ids=["en", "th"])
def test_every_summary_sentence_comes_from_the_comments_it_names(planted):
    comments, _ = _comments(planted)
    text_of = dict(comments)
    summary = summarise(comments)
    assert 2 <= len(summary.sentences) <= 4
    for sentence in summary.sentences:
        assert sentence.comment_ids
        for cid in sentence.comment_ids:
            assert sentence.text in text_of[cid]


def test_a_form_letter_is_one_candidate_carrying_every_sender():
    letter = "Stop the incinerator project near the river. It will poison our water."
    comments = [(f"f{i}", letter) for i in range(6)]
    comments += [("a", "The incinerator will bring trucks through the village every night.")]
    summary = summarise(comments)
    sentences = [s.text for s in summary.sentences]
    assert len(sentences) == len(set(sentences))  # the letter's sentences appear once each
    first = next(s for s in summary.sentences if s.text.startswith("Stop the incinerator"))
    assert first.comment_ids == [f"f{i}" for i in range(6)]


def test_no_comments_no_summary():
    assert summarise([]).sentences == []
    assert summarise([("1", "   ")]).sentences == []


# Thai sentence splitting. Texts: bench/data/labelled_th.tsv (comments written for this
# project as Thai people post them, see bench/data/README.md) and the demo hearing's comments
# (topics/demo/clean_air_act.json). Expected cuts made by hand by a Thai reader: a space ends
# a sentence, except before a connective (และ, แต่, เพราะ ...), after ๆ, or around a short
# particle or number.
THAI_CASES = [
    (
        "สนับสนุนร่างนี้เต็มที่ครับ อยู่เชียงใหม่ทุกปีช่วงมีนาคมหายใจไม่ออก ลูกต้องหยุดเรียน อยากให้ออกกฎหมายโดยเร็ว",
        [
            "สนับสนุนร่างนี้เต็มที่ครับ",
            "อยู่เชียงใหม่ทุกปีช่วงมีนาคมหายใจไม่ออก",
            "ลูกต้องหยุดเรียน",
            "อยากให้ออกกฎหมายโดยเร็ว",
        ],
    ),
    (
        "ค่าธรรมเนียมมลพิษควรคิดตามปริมาณจริงที่วัดได้ และเปิดเผยรายชื่อโรงงานที่ปล่อยเกินเกณฑ์ต่อสาธารณะทุกเดือน",
        ["ค่าธรรมเนียมมลพิษควรคิดตามปริมาณจริงที่วัดได้ และเปิดเผยรายชื่อโรงงานที่ปล่อยเกินเกณฑ์ต่อสาธารณะทุกเดือน"],
    ),
    (
        "ชอบมาตรา 6 ที่รับรองสิทธิในอากาศสะอาด แต่ควรเขียนให้ชัดว่าประชาชนฟ้องหน่วยงานรัฐได้ถ้าไม่ทำตามหน้าที่",
        ["ชอบมาตรา 6 ที่รับรองสิทธิในอากาศสะอาด แต่ควรเขียนให้ชัดว่าประชาชนฟ้องหน่วยงานรัฐได้ถ้าไม่ทำตามหน้าที่"],
    ),
    (
        "ควรมีเซ็นเซอร์ราคาถูกในโรงเรียนทุกแห่ง และเปิดข้อมูลเป็น open data ให้แอปต่าง ๆ ดึงไปใช้ได้",
        ["ควรมีเซ็นเซอร์ราคาถูกในโรงเรียนทุกแห่ง และเปิดข้อมูลเป็น open data ให้แอปต่าง ๆ ดึงไปใช้ได้"],
    ),
    (
        "ห้ามเผาอย่างเดียวไม่ได้แก้ปัญหา เกษตรกรรายย่อยไม่มีเงินจ้างรถไถกลบตอซัง "
        "ถ้าจะห้ามต้องมีเครื่องจักรให้ยืมหรือเงินชดเชยก่อน ไม่อย่างนั้นภาระตกที่ชาวบ้าน",
        [
            "ห้ามเผาอย่างเดียวไม่ได้แก้ปัญหา",
            "เกษตรกรรายย่อยไม่มีเงินจ้างรถไถกลบตอซัง ถ้าจะห้ามต้องมีเครื่องจักรให้ยืมหรือเงินชดเชยก่อน",
            "ไม่อย่างนั้นภาระตกที่ชาวบ้าน",
        ],
    ),
    (
        "ขอให้มีระยะผ่อนผันอย่างน้อย 3 ปี",
        ["ขอให้มีระยะผ่อนผันอย่างน้อย 3 ปี"],
    ),
    (
        "Good idea. But who pays for it? ควรมีงบประมาณชัดเจน",
        ["Good idea.", "But who pays for it?", "ควรมีงบประมาณชัดเจน"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), THAI_CASES)
def test_thai_sentences_are_split_where_a_reader_would(text, expected):
    assert split_sentences(text) == expected


def test_splitting_keeps_every_character_of_real_comments():
    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "labelled_th.tsv"
    for line in path.read_text(encoding="utf-8").splitlines()[:120]:
        text = line.split("\t", 1)[1]
        sentences = split_sentences(text)
        assert sentences
        assert " ".join(sentences) == " ".join(text.split())
        assert all(s == s.strip() and s for s in sentences)
