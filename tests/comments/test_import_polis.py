import csv
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from comments.models import Comment, Vote
from topics.models import Consultation

POLIS = Path(settings.DEMO_DATA_DIR) / "polis"
CONVERSATIONS = [
    "15-per-hour-seattle",
    "brexit-consensus",
    "canadian-electoral-reform",
    "scoop-hivemind.biodiversity",
]


def expected_counts(folder: Path) -> tuple[int, int, int]:
    with (folder / "comments.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hidden = sum(1 for r in rows if r["moderated"].strip() == "-1")
    with (folder / "votes.csv").open(encoding="utf-8") as fh:
        latest = {(r["voter-id"], r["comment-id"]) for r in csv.DictReader(fh)}
    return len(rows), hidden, len(latest)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_each_polis_conversation_imports_with_the_right_counts(db, name):
    folder = POLIS / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not available")
    call_command("import_polis", str(folder), slug="conv")
    n_comments, n_hidden, n_votes = expected_counts(folder)
    c = Consultation.objects.get(slug="conv")
    assert Comment.objects.filter(consultation=c).count() == n_comments
    assert Comment.objects.filter(consultation=c, status="hidden").count() == n_hidden
    assert c.comment_count == n_comments - n_hidden
    assert Vote.objects.filter(consultation=c).count() == n_votes
    assert not Comment.objects.filter(consultation=c).exclude(channel="import").exists()
    assert "CC BY 4.0" in c.source_note
    # source ids kept; each comment's counts equal its votes
    sample = Comment.objects.filter(consultation=c).order_by("?").first()
    assert sample.external_id.isdigit() and sample.external_author.isdigit()
    votes = Vote.objects.filter(comment=sample)
    assert sample.agree_count == votes.filter(value=1).count()
    assert sample.disagree_count == votes.filter(value=-1).count()
    assert all(v.external_voter for v in votes[:20])
    # The participant is named in the reader's language, not stored in English.
    from django.utils import translation

    assert sample.author_name == ""
    with translation.override("en"):
        assert sample.display_author == f"Participant {sample.external_author}"
    # Imported text has no stance of its own: none is invented.
    assert sample.stance == ""


def _broken_copy(tmp_path: Path, filename: str, mutate) -> Path:
    if not (POLIS / "brexit-consensus").exists():
        pytest.skip("sample data not available")
    folder = tmp_path / "conv"
    shutil.copytree(POLIS / "brexit-consensus", folder)
    path = folder / filename
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(mutate(lines)), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("filename", "mutate", "message"),
    [
        (
            "votes.csv",
            lambda lines: lines[:50] + [lines[50].rsplit(",", 1)[0] + ",7\n"] + lines[51:],
            "votes.csv line 51",
        ),
        (
            "votes.csv",
            lambda lines: lines[:10] + ["1500000000000,Mon,99999,1,1\n"] + lines[10:],
            "votes.csv line 11",
        ),
        (
            "comments.csv",
            lambda lines: [lines[0].replace("comment-body", "text")] + lines[1:],
            "comments.csv",
        ),
    ],
)
def test_malformed_file_imports_nothing_and_names_file_and_line(
    db, tmp_path, filename, mutate, message
):
    if not (POLIS / "brexit-consensus").is_dir():
        pytest.skip("sample data not available")
    folder = _broken_copy(tmp_path, filename, mutate)
    with pytest.raises(CommandError) as err:
        call_command("import_polis", str(folder), slug="broken")
    assert message in str(err.value) and "Nothing imported" in str(err.value)
    assert not Consultation.objects.filter(slug="broken").exists()
    assert not Comment.objects.exists() and not Vote.objects.exists()


def test_importing_twice_under_one_slug_is_refused(db):
    folder = POLIS / "brexit-consensus"
    if not folder.is_dir():
        pytest.skip("sample data not available")
    call_command("import_polis", str(folder), slug="once")
    before = Comment.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_polis", str(folder), slug="once")
    assert Comment.objects.count() == before


def test_comment_with_empty_body_is_imported_as_removed_and_keeps_its_votes(db, tmp_path):
    """Real exports carry moderated-out or deleted comments with an empty comment-body."""
    if not (POLIS / "brexit-consensus").exists():
        pytest.skip("sample data not available")
    folder = tmp_path / "conv"
    shutil.copytree(POLIS / "brexit-consensus", folder)
    path = folder / "comments.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    body = rows[0].index("comment-body")
    blanked = rows[1][rows[0].index("comment-id")]
    rows[1][body] = ""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = io.StringIO()
    call_command("import_polis", str(folder), slug="conv", stdout=out)
    n_comments, _hidden, n_votes = expected_counts(folder)
    c = Consultation.objects.get(slug="conv")
    removed = Comment.objects.get(consultation=c, external_id=blanked)
    assert (removed.status, removed.body, removed.status_reason) == (
        "removed",
        "",
        "source_removed",
    )
    assert Comment.objects.filter(consultation=c).count() == n_comments
    assert Vote.objects.filter(consultation=c).count() == n_votes
    assert Vote.objects.filter(comment=removed).count() == removed.agree_count + (
        removed.disagree_count + removed.pass_count
    )
    assert f"comment {blanked} has an empty body" in out.getvalue()
