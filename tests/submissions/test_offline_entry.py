"""Offline submissions (paper, phone, public meeting, e-mail) entered by the agency's editors:
who may enter them, that each is a screened comment shown with how it arrived, and that the
scan stays with the agency's staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Channel, Comment, Status
from consult.dates import format_date
from submissions.models import OfflineSubmission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture
def editor(make_staff):
    return make_staff("eddie", "editor")


@pytest.fixture
def other_editor(make_staff, db):
    from topics.models import Agency

    other = Agency.objects.create(slug="doe", name_th="กรมอื่น", name_en="Other Department")
    return make_staff("olga", "editor", agency_obj=other)


def entry(consultation, **fields) -> dict:
    data = {
        "reference": "P-001",
        "via": "paper",
        "received_on": timezone.localdate().isoformat(),
        "sender": "สมชาย ใจดี",
        "section": str(consultation.sections.first().pk),
        "stance": "oppose",
        "body": "ไม่เห็นด้วยกับมาตรานี้ เพราะภาระต่อชุมชนมากเกินไป",
    }
    data.update(fields)
    return data


def url(consultation, name: str = "submissions:enter") -> str:
    return reverse(name, args=[consultation.slug])


def test_only_the_agencys_editors_may_enter(
    client, consultation, editor, other_editor, make_staff, alice
):
    client.force_login(editor)
    assert client.get(url(consultation)).status_code == 200
    assert client.get(url(consultation, "submissions:batch")).status_code == 200
    for person in (other_editor, make_staff("ana", "analyst"), alice):
        client.force_login(person)
        assert client.get(url(consultation)).status_code == 403
        assert client.post(url(consultation), entry(consultation)).status_code == 403
        assert client.get(url(consultation, "submissions:batch")).status_code == 403
    client.logout()
    assert client.get(url(consultation)).status_code == 302  # to sign in
    assert not Comment.objects.exists()


def test_an_editor_without_second_factor_is_refused(client, consultation, make_staff):
    client.force_login(make_staff("nomfa", "editor", mfa=False))
    response = client.post(url(consultation), entry(consultation))
    assert response.status_code == 302 and response.url.startswith("/accounts/2fa")
    assert not Comment.objects.exists()


def test_another_agencys_draft_is_not_found(client, make_consultation, other_editor):
    draft = make_consultation("draft")
    client.force_login(other_editor)
    assert client.get(url(draft)).status_code == 404


def test_one_entry_is_a_screened_offline_comment_shown_with_how_it_arrived(
    client, consultation, editor
):
    client.force_login(editor)
    received = timezone.localdate() - timedelta(days=1)
    body = "ไม่เห็นด้วย ติดต่อกลับที่ 081-234-5678"
    response = client.post(
        url(consultation), entry(consultation, body=body, received_on=received.isoformat())
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.channel == Channel.OFFLINE and comment.offline_via == "paper"
    assert comment.status == Status.PUBLISHED and comment.author_id is None
    assert "081-234-5678" not in comment.body  # screened: the phone number is masked
    assert comment.stance == "oppose" and comment.section == consultation.sections.first()
    assert timezone.localdate(comment.created_at) == received
    submission = OfflineSubmission.objects.get()
    assert submission.reference == "P-001" and submission.entered_by == editor
    consultation.refresh_from_db()
    assert consultation.comment_count == 1

    client.logout()
    client.cookies["lang"] = "en"
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "A submission received on paper" in page
    assert f"received on paper, {format_date(received, lang='en')}" in page
    assert "สมชาย" not in page  # not agreed to be named: the name stays with the agency


def test_the_name_is_shown_when_the_sender_agreed(client, consultation, editor):
    client.force_login(editor)
    client.post(url(consultation), entry(consultation, name_public="on", via="meeting"))
    client.logout()
    client.cookies["lang"] = "en"
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "สมชาย ใจดี" in page and "made at a public meeting" in page


def test_abusive_text_is_held_for_review_like_any_comment(client, consultation, editor):
    client.force_login(editor)
    client.cookies["lang"] = "en"
    response = client.post(
        url(consultation), entry(consultation, body="ไอ้ควาย รัฐบาลโง่"), follow=True
    )
    assert "awaits review" in response.content.decode()
    assert Comment.objects.get().status == Status.PENDING
    client.logout()
    assert "รัฐบาลโง่" not in client.get(consultation.get_absolute_url()).content.decode()


def test_bad_entries_say_why_and_save_nothing(client, consultation, editor):
    client.force_login(editor)
    client.cookies["lang"] = "en"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = client.post(url(consultation), entry(consultation, received_on=future)).content
    assert b"cannot be in the future" in page
    client.post(url(consultation), entry(consultation))
    page = client.post(url(consultation), entry(consultation, body="อีกฉบับ")).content.decode()
    assert "P-001 has already been entered" in page
    assert Comment.objects.count() == 1


def test_the_scan_is_kept_private_to_the_agencys_staff(
    client, consultation, editor, other_editor, make_staff, alice, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    scan = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(url(consultation), {**entry(consultation), "attachment": scan}).status_code
        == 302
    )
    submission = OfflineSubmission.objects.get()
    assert submission.attachment and submission.attachment_type == "application/pdf"
    # stored outside the public media, under a name nobody can guess
    assert str(settings.PRIVATE_FILES_ROOT) in submission.attachment.path
    assert "letter" not in submission.attachment.name
    scan_url = reverse("submissions:attachment", args=[consultation.slug, submission.pk])
    response = client.get(scan_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(make_staff("ana", "analyst"))  # the agency's staff
    assert client.get(scan_url).status_code == 200
    for person in (other_editor, alice):
        client.force_login(person)
        assert client.get(scan_url).status_code == 403
    client.logout()
    assert client.get(scan_url).status_code == 302
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert scan_url not in page and "/scan/" not in page


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(client, consultation, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    client.cookies["lang"] = "en"
    fake = SimpleUploadedFile(
        "letter.pdf", b"<html><script>x</script>", content_type="application/pdf"
    )
    page = client.post(url(consultation), {**entry(consultation), "attachment": fake}).content
    assert b"must be a PDF, PNG or JPEG" in page
    assert not Comment.objects.exists() and not OfflineSubmission.objects.exists()
