"""A spreadsheet of offline submissions: previewed, every row checked, entered all or nothing;
a bad row is named by its line and nothing is entered."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from comments.models import Channel, Comment
from submissions.models import OfflineSubmission

pytestmark = pytest.mark.django_db

HEADER = "reference,name,name_public,via,received,section,stance,text\n"


@pytest.fixture
def editor_client(client, make_staff):
    client.force_login(make_staff("eddie", "editor"))
    client.cookies["lang"] = "en"
    return client


def day(offset: int = 0) -> str:
    return (timezone.localdate() - timedelta(days=offset)).isoformat()


def good_csv() -> str:
    be_date = timezone.localdate() - timedelta(days=1)
    return (
        HEADER
        + f"P-1,สมศรี,yes,paper,{day()},มาตรา 1,support,เห็นด้วยกับมาตรา 1\n"
        + f"T-2,,no,phone,{day(1)},2,oppose,โทรมาคัดค้านมาตรา 2\n"
        # a Buddhist-era date and Thai labels, as a Thai office writes them
        + f"M-3,ชมรมผู้สูงอายุ,ไม่,เวทีสาธารณะ,{be_date.day:02d}/{be_date.month:02d}/{be_date.year + 543},,ข้อเสนอแนะ,ควรมีช่วงเปลี่ยนผ่าน\n"
    )


def upload(client, consultation, text: str | bytes, name: str = "batch.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("submissions:batch", args=[consultation.slug]),
        {"file": SimpleUploadedFile(name, data)},
    )


def confirm(client, consultation, page: str):
    held = re.search(r'name="held" value="([^"]*)"', page).group(1)
    return client.post(
        reverse("submissions:batch", args=[consultation.slug]), {"confirm": "1", "held": held}
    )


def test_a_good_batch_is_previewed_then_entered_whole(editor_client, consultation):
    page = upload(editor_client, consultation, good_csv()).content.decode()
    assert "All 3 rows checked" in page and "โทรมาคัดค้าน" in page
    assert not Comment.objects.exists()  # the preview keeps nothing
    response = confirm(editor_client, consultation, page)
    assert response.status_code == 302
    comments = {c.offline_submission.reference: c for c in Comment.objects.all()}
    assert set(comments) == {"P-1", "T-2", "M-3"}
    assert all(c.channel == Channel.OFFLINE for c in comments.values())
    assert comments["P-1"].author_name == "สมศรี" and comments["P-1"].stance == "support"
    assert comments["T-2"].offline_via == "phone" and comments["T-2"].section.number == "มาตรา 2"
    assert comments["M-3"].offline_via == "meeting" and comments["M-3"].author_name == ""
    assert comments["M-3"].stance == "suggestion" and comments["M-3"].section is None
    m3 = OfflineSubmission.objects.get(reference="M-3")
    assert m3.received_on == timezone.localdate() - timedelta(days=1)
    assert m3.sender == "ชมรมผู้สูงอายุ"
    consultation.refresh_from_db()
    assert consultation.comment_count == 3


def test_one_bad_row_enters_nothing_and_is_named(editor_client, consultation):
    text = good_csv() + f"X-4,,no,pigeon,{day()},,,ส่งทางนกพิราบ\n"
    page = upload(editor_client, consultation, text).content.decode()
    assert "nothing was entered" in page
    assert re.search(r"Line 5</a>: How it arrived must be one of", page)
    assert "Line 2<" not in page and 'name="confirm"' not in page
    # a made-up confirmation enters nothing either
    forged = editor_client.post(
        reverse("submissions:batch", args=[consultation.slug]), {"confirm": "1", "held": "x:y:z"}
    )
    assert "the checked copy has expired" in forged.content.decode()
    assert not Comment.objects.exists() and not OfflineSubmission.objects.exists()


def test_a_checked_file_is_confirmed_once_by_the_editor_who_checked_it(
    editor_client, consultation, make_staff
):
    from django.test import Client

    page = upload(editor_client, consultation, good_csv()).content.decode()
    client = Client()
    client.force_login(make_staff("edna", "editor"))  # another editor of the agency
    client.cookies["lang"] = "en"
    assert "has expired" in confirm(client, consultation, page).content.decode()
    assert confirm(editor_client, consultation, page).status_code == 302
    assert "has expired" in confirm(editor_client, consultation, page).content.decode()
    assert Comment.objects.count() == 3


def test_rows_the_service_refuses_are_named_too(editor_client, consultation, settings):
    settings.COMMENT_MAX_LENGTH = 50
    text = (
        HEADER
        + f"A-1,,,paper,{day()},,,สั้น ๆ\n"
        + f"A-1,,,paper,{day()},,,อีกฉบับ\n"  # the same reference twice
        + f"A-3,,,paper,{day()},,,{'ยาว' * 40}\n"  # longer than a comment may be
        + f"A-4,,,paper,{day(-2)},,,มาจากอนาคต\n"
        + f"A-5,,,paper,{day()},มาตรา 9,,ไม่มีมาตรานี้\n"
    )
    page = upload(editor_client, consultation, text).content.decode()
    assert re.search(r"Line 3</a>: Reference number A-1 is also on line 2", page)
    assert re.search(r"Line 4</a>: A comment can be at most 50 characters", page)
    assert re.search(r"Line 5</a>: The date received cannot be in the future", page)
    assert re.search(r"Line 6</a>: This draft has no section มาตรา 9", page)
    assert "Line 2<" not in page
    assert not Comment.objects.exists()


def test_a_reference_already_entered_is_refused(editor_client, consultation):
    confirm(
        editor_client,
        consultation,
        upload(editor_client, consultation, good_csv()).content.decode(),
    )
    page = upload(editor_client, consultation, good_csv()).content.decode()
    assert "Reference number P-1 has already been entered" in page
    assert Comment.objects.count() == 3


def test_an_xlsx_file_is_read_like_a_csv(editor_client, consultation):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in good_csv().splitlines():
        sheet.append(line.split(","))
    sheet["E2"] = timezone.localdate()  # a real date cell
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(editor_client, consultation, buffer.getvalue(), "batch.xlsx").content.decode()
    assert "All 3 rows checked" in page
    assert confirm(editor_client, consultation, page).status_code == 302
    assert Comment.objects.filter(channel=Channel.OFFLINE).count() == 3


def test_an_unreadable_file_says_so(editor_client, consultation):
    page = upload(editor_client, consultation, "ชื่อ,อื่น ๆ\nก,ข\n").content.decode()
    assert "missing: reference, via, received, text" in page
    page = upload(editor_client, consultation, b"PK\x03\x04broken", "b.xlsx").content.decode()
    assert "not a readable XLSX file" in page
    page = upload(editor_client, consultation, "x".encode("utf-16"), "b.csv").content.decode()
    assert "UTF-8" in page
    assert not Comment.objects.exists()


def test_the_batch_screen_is_for_the_agencys_editors_only(client, consultation, make_staff, alice):
    client.force_login(make_staff("ana", "analyst"))
    assert upload(client, consultation, good_csv()).status_code == 403
    client.force_login(alice)
    assert upload(client, consultation, good_csv()).status_code == 403
    assert not Comment.objects.exists()
