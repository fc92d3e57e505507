"""Thai-aware search: words inside unspaced Thai text, words spread over sections, ranked,
highlighted safely; the same results on SQLite (FTS5) and PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from comments.services import comment_create
from search import backend, highlight, selectors
from search.models import Document
from topics.models import Section
from topics.selectors import ListFilters, consultation_list

pytestmark = pytest.mark.django_db(transaction=True)  # the index is written after commit

LONG_SECTION = (
    "ให้ผู้ประกอบกิจการโรงงานที่ปล่อยน้ำเสียลงสู่แหล่งน้ำสาธารณะต้องติดตั้งระบบบำบัดน้ำเสีย"
    "และรายงานผลการตรวจวัดคุณภาพน้ำทิ้งต่อพนักงานเจ้าหน้าที่ทุกเดือนโดยไม่ชักช้า"
)


@pytest.fixture
def drafts(make_consultation):
    water = make_consultation("open", title="ร่างพระราชบัญญัติการจัดการน้ำเสีย", summary="")
    Section.objects.filter(consultation=water, position=0).update(text=LONG_SECTION)
    Section.objects.filter(consultation=water, position=1).update(text="กำหนดอัตราค่าธรรมเนียม")
    # The index follows model saves; these updates bypassed them: index again.
    from search.services import index_consultation

    index_consultation(water.pk)
    tax = make_consultation(
        "open",
        title="ร่างกฎกระทรวงว่าด้วยภาษีรถยนต์ไฟฟ้า",
        summary="Tax on electric vehicles and emissions standards",
    )
    Section.objects.create(consultation=tax, position=5, number="มาตรา 9", text="รายงานผล")
    old = make_consultation("closed", title="ร่างระเบียบการรายงานของโรงงาน", summary="")
    draft = make_consultation("draft", title="ร่างที่ยังไม่เผยแพร่ เรื่องน้ำเสีย")
    return {"water": water, "tax": tax, "old": old, "draft": draft}


def found(q: str, **filters) -> list[str]:
    from topics.models import Consultation

    ids = selectors.consultation_ids(ListFilters(q=q, **filters))
    slugs = dict(Consultation.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [slugs[i] for i in ids]


def substring_match(q: str) -> list[str]:
    return [c.slug for c in consultation_list(ListFilters(q=q))]


def test_the_full_text_engine_in_use(db):
    assert backend.engine() == ("postgres" if connection.vendor == "postgresql" else "fts5")


def test_a_thai_word_inside_a_long_unspaced_section_is_found(drafts):
    # "ระบบบำบัด" sits inside LONG_SECTION with no space around it; the old list search
    # looked at titles and summaries only.
    assert substring_match("ระบบบำบัด") == []
    assert found("ระบบบำบัด") == [drafts["water"].slug]


def test_two_words_across_sections_are_found_where_a_substring_match_misses(drafts):
    # One word in section 1, the other in section 2, typed with a space between them.
    q = "น้ำทิ้ง ค่าธรรมเนียม"
    assert substring_match(q) == []
    assert found(q) == [drafts["water"].slug]
    # Typed without a space, as Thai is written: segmented the same way.
    assert found("น้ำทิ้งค่าธรรมเนียม") == [drafts["water"].slug]


def test_a_partial_word_typed_without_typos_matches(drafts):
    assert found("รถยน") == [drafts["tax"].slug]  # "รถยนต์" cut short
    # "รถยนต์" inside the dictionary compound "ภาษีรถยนต์" (one word to the segmenter)
    assert substring_match("รถยนต์ ไฟฟ้า") == []
    assert found("รถยนต์ ไฟฟ้า") == [drafts["tax"].slug]


def test_a_thai_word_cut_short_finds_that_word_not_its_pieces(make_consultation):
    # "ชาวประม" (of "ชาวประมง") segments into "ชาว", "ประ", "ม"; as separate prefixes they
    # would also match "ชาวบ้าน ... ประชุม ... มาก", which has no word starting as typed.
    fishers = make_consultation("open", title="ให้ชาวประมงพื้นบ้านจดทะเบียนเรือ", summary="")
    make_consultation("open", title="ชาวบ้านประชุมกันมาก", summary="")
    assert found("ชาวประม") == [fishers.slug]
    assert backend.query_words("ชาวประม") == ["ชาวประม"]


def test_results_are_ranked_title_first_and_drafts_are_never_found(drafts):
    # "รายงาน" is in the old consultation's title, in the other two only in a section.
    results = found("รายงาน")
    assert results[0] == drafts["old"].slug
    assert set(results) == {drafts["old"].slug, drafts["water"].slug, drafts["tax"].slug}
    assert drafts["draft"].slug not in found("น้ำเสีย")


def test_filters_work_as_in_the_list(drafts):
    assert found("รายงาน", status="closed") == [drafts["old"].slug]
    assert found("รายงาน", status="open", category="energy") == []


def test_english_without_stemming_prefix_and_case(drafts):
    assert found("Emissions") == [drafts["tax"].slug]
    assert found("electric vehic") == [drafts["tax"].slug]
    assert found("emitted") == []  # no stemming: a different word is not a match
    assert found("") == [] and found("!!! ???") == []


def test_the_index_follows_edits_and_new_sections(drafts):
    water = drafts["water"]
    assert found("ปลาทู") == []
    Section.objects.create(consultation=water, position=9, number="มาตรา 10", text="ห้ามจับปลาทู")
    assert found("ปลาทู") == [water.slug]
    water.title = "ร่างกฎหมายประมง"
    water.save()
    assert found("ประมง") == [water.slug]
    assert Document.objects.filter(object_id=water.pk, kind="c").count() == 1


def test_highlighting_escapes_first_then_marks():
    html = highlight.mark("<b>ภาษี</b> & ภาษีรถ", ["ภาษี", "b"])
    assert html == (
        "&lt;<mark>b</mark>&gt;<mark>ภาษี</mark>&lt;/<mark>b</mark>&gt; &amp; <mark>ภาษี</mark>รถ"
    )


def test_the_results_page_marks_the_words_and_shows_where_they_matched(client, drafts):
    page = client.get(reverse("search:results"), {"q": "ระบบบำบัด"}).content.decode()
    assert drafts["water"].title in page
    assert "<mark>ระบบ</mark><mark>บำบัด</mark>" in page or "<mark>ระบบบำบัด</mark>" in page
    # No query: the list page with the same filters.
    response = client.get(reverse("search:results"), {"status": "open"})
    assert response.status_code == 302 and response.url == "/?status=open"


def test_comments_of_a_consultation_are_searchable(client, alice, drafts):
    water = drafts["water"]
    mine = comment_create(
        consultation=water, author=alice, body="ควรเพิ่มโทษปรับโรงงานที่ลักลอบปล่อยน้ำเสีย"
    )
    comment_create(consultation=water, author=alice, body="เห็นด้วยกับร่างนี้")
    hits, _ = selectors.comments(water, "ลักลอบ")
    assert [h.obj.pk for h in hits] == [mine.pk]
    page = client.get(reverse("search:comments", args=[water.slug]), {"q": "ลักลอบ"})
    assert "<mark>ลักลอบ</mark>" in page.content.decode()
    # Hidden by a moderator: no longer found.
    from comments.models import Status
    from comments.services import comment_set_status

    comment_set_status(comment=mine, status=Status.HIDDEN, reason="off_topic")
    assert selectors.comments(water, "ลักลอบ")[0] == []


def test_an_edited_comment_is_found_by_its_new_words_only(alice, drafts):
    from comments.services import comment_edit

    water = drafts["water"]
    mine = comment_create(consultation=water, author=alice, body="ควรเพิ่มโทษปรับโรงงาน")
    assert [h.obj.pk for h in selectors.comments(water, "โรงงาน")[0]] == [mine.pk]
    comment_edit(comment=mine, user=alice, body="ควรตรวจคุณภาพน้ำทุกเดือน")
    assert selectors.comments(water, "โรงงาน")[0] == []
    assert [h.obj.pk for h in selectors.comments(water, "คุณภาพ")[0]] == [mine.pk]


def test_every_match_is_counted_and_reached_a_page_at_a_time(client, make_consultation):
    # 23 matches: the count says 23 (not the 20 shown), page 2 holds the other 3, the
    # pages together are the ranked list, and a page past the end shows the last one.
    made = [
        make_consultation("open", sections=0, title=f"ร่างประกาศเรื่องป่าชายเลน {i}", summary="")
        for i in range(23)
    ]
    results = selectors.consultation_results(ListFilters(q="ป่าชายเลน"))
    assert results.count() == 23
    ranked = results[0:23]
    assert sorted(ranked) == sorted(c.pk for c in made)
    assert results[0:20] + results[20:40] == ranked
    url = reverse("search:results")
    first = client.get(url, {"q": "ป่าชายเลน"}).content.decode()
    second = client.get(url, {"q": "ป่าชายเลน", "page": 2}).content.decode()
    assert "23" in first and "page=2" in first
    links = {c.pk: f'href="{c.get_absolute_url()}"' for c in made}
    assert [pk for pk in ranked if links[pk] in first] == ranked[:20]
    assert [pk for pk in ranked if links[pk] in second] == ranked[20:]
    past_the_end = client.get(url, {"q": "ป่าชายเลน", "page": 99}).content.decode()
    assert [pk for pk in ranked if links[pk] in past_the_end] == ranked[20:]


def test_a_change_rolled_back_does_not_keep_a_later_one_out_of_the_index(drafts):
    # The first transaction queues the draft's indexing and is rolled back; the next one
    # has something else queued first. Its new section must still be indexed.
    from django.db import transaction

    water = drafts["water"]
    with pytest.raises(RuntimeError), transaction.atomic():
        Section.objects.create(consultation=water, position=7, number="มาตรา 8", text="ยกเลิก")
        raise RuntimeError("rolled back")
    with transaction.atomic():
        transaction.on_commit(lambda: None)
        Section.objects.create(
            consultation=water, position=8, number="มาตรา 9", text="ป่าชายเลนต้องได้รับการคุ้มครอง"
        )
    assert found("ป่าชายเลน") == [water.slug]
    assert found("ยกเลิก") == []
