"""import_comments: CSV and JSON Lines, all or nothing, errors naming the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from comments.models import Channel, Comment
from topics.models import Consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the platform's default language is Thai)."""
    with translation.override("en"):
        yield


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_import_keeps_ids_sections_stance_and_dates(tmp_path, consultation):
    path = write(
        tmp_path,
        "comments.csv",
        "text,external_id,author,stance,section,created\n"
        "ควรห้ามเผาในที่โล่งทุกพื้นที่,A-1,สมชาย,เห็นด้วย,มาตรา 1,2568-03-01\n"
        '"Fine factories, not farmers",A-2,,oppose,2,2025-03-02T09:30\n'
        "ไม่มีความเห็นเพิ่มเติม,,,,,\n",
    )
    call_command("import_comments", str(path), consultation=consultation.slug)
    comments = {c.external_id: c for c in Comment.objects.filter(consultation=consultation)}
    assert set(comments) == {"A-1", "A-2", ""}
    assert all(c.channel == Channel.IMPORT for c in comments.values())
    assert comments["A-1"].stance == "support"
    assert comments["A-1"].section.number == "มาตรา 1"
    assert comments["A-1"].created_at.year == 2025  # Buddhist-era year read as 2025
    assert comments["A-1"].author_name == "สมชาย"
    assert comments["A-2"].section.number == "มาตรา 2"  # by position
    assert comments["A-2"].body == "Fine factories, not farmers"


def test_a_bad_line_imports_nothing_and_names_the_line(tmp_path, consultation):
    path = write(
        tmp_path,
        "comments.csv",
        "text,stance\nหนึ่ง,support\nสอง,oppose\nสาม,maybe\nสี่,support\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_comments", str(path), consultation=consultation.slug)
    assert "line 4" in str(error.value) and "maybe" in str(error.value)
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_a_line_refused_by_the_service_rolls_back_the_earlier_ones(tmp_path, consultation):
    lines = [
        {"text": "first comment", "external_id": "x1"},
        {"text": "second", "external_id": "x2"},
    ]
    lines.append({"text": "x" * 6000, "external_id": "x3"})  # too long for comment_create
    path = write(tmp_path, "c.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("import_comments", str(path), consultation=consultation.slug)
    assert "Line 3" in str(error.value)
    assert Comment.objects.filter(consultation=consultation).count() == 0
    consultation.refresh_from_db()
    assert consultation.comment_count == 0


def test_duplicate_external_ids_and_unknown_sections_are_refused(tmp_path, consultation):
    dup = write(tmp_path, "d.csv", "text,external_id\na,1\nb,2\nc,1\n")
    with pytest.raises(CommandError, match="Line 4"):
        call_command("import_comments", str(dup), consultation=consultation.slug)
    section = write(tmp_path, "s.csv", "text,section\na,มาตรา 9\n")
    with pytest.raises(CommandError, match="Line 2"):
        call_command("import_comments", str(section), consultation=consultation.slug)
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_missing_text_column_and_bad_json(tmp_path, consultation):
    with pytest.raises(CommandError, match="line 1.*'text'"):
        call_command(
            "import_comments",
            str(write(tmp_path, "h.csv", "body\nhello\n")),
            consultation=consultation.slug,
        )
    with pytest.raises(CommandError, match="line 2"):
        call_command(
            "import_comments",
            str(write(tmp_path, "j.jsonl", '{"text": "ok"}\n{"text": \n')),
            consultation=consultation.slug,
        )
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_create_makes_a_draft_consultation_with_the_sections_named(tmp_path, db):
    path = write(
        tmp_path,
        "c.jsonl",
        '{"text": "ข้อความแรก", "section": "มาตรา 3"}\n{"text": "second", "section": "มาตรา 5"}\n',
    )
    call_command(
        "import_comments", str(path), consultation="hearing-1", create=True, title="Hearing one"
    )
    consultation = Consultation.objects.get(slug="hearing-1")
    assert consultation.title == "Hearing one"
    assert consultation.published_at is None
    assert [s.number for s in consultation.sections.order_by("position")] == ["มาตรา 3", "มาตรา 5"]
    assert consultation.comments.count() == 2


def test_create_needs_a_title_and_an_unknown_slug_needs_create(tmp_path, db):
    path = write(tmp_path, "c.csv", "text\nhello\n")
    with pytest.raises(CommandError, match="--create"):
        call_command("import_comments", str(path), consultation="nope")
    with pytest.raises(CommandError, match="title"):
        call_command("import_comments", str(path), consultation="nope", create=True)
    assert not Consultation.objects.filter(slug="nope").exists()
