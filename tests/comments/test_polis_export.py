"""The Polis export reader on the four real conversations and on broken files.

Real data: "Data was gathered using the Polis software (compdemocracy.org/polis) and is
sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project."
"""

from __future__ import annotations

import csv
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from comments.polis_export import PolisExportError, read_polis_export

POLIS_DATA = Path(
    os.environ.get(
        "POLIS_DATA_DIR", Path(__file__).resolve().parents[3] / "shared" / "data" / "polis"
    )
)
CONVERSATIONS = [
    "15-per-hour-seattle",
    "brexit-consensus",
    "canadian-electoral-reform",
    "scoop-hivemind.biodiversity",
]

COMMENTS_HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote"


def _conversation(name: str) -> Path:
    path = POLIS_DATA / name
    if not path.is_dir():
        pytest.skip(f"Polis sample data not found in {path}")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_real_conversation_matches_its_files(name: str) -> None:
    folder = _conversation(name)
    export = read_polis_export(folder)

    comment_rows = _rows(folder / "comments.csv")
    assert len(export.comments) == len(comment_rows)
    assert {c.external_id for c in export.comments} == {r["comment-id"] for r in comment_rows}
    assert all(c.body.strip() and c.moderated in (-1, 0, 1) for c in export.comments)
    assert all(c.created.tzinfo is UTC for c in export.comments)

    # The latest vote of every voter on every comment, computed independently.
    latest: dict[tuple[str, str], tuple[int, int]] = {}
    for row in _rows(folder / "votes.csv"):
        key = (row["voter-id"], row["comment-id"])
        stamp = int(row["timestamp"])
        if key not in latest or stamp >= latest[key][0]:
            latest[key] = (stamp, int(row["vote"]))
    assert len(export.votes) == len(latest)
    assert {(v.voter_id, v.comment_id): v.value for v in export.votes} == {
        key: value for key, (_, value) in latest.items()
    }
    assert all(
        v.created == datetime.fromtimestamp(latest[(v.voter_id, v.comment_id)][0] / 1000, UTC)
        for v in export.votes[:50]
    )

    groups = {
        r["participant"]: r["group-id"]
        for r in _rows(folder / "participants-votes.csv")
        if r["group-id"]
    }
    assert export.groups == groups

    summary = dict(csv.reader((folder / "summary.csv").open(newline="", encoding="utf-8")))
    assert export.title == summary["topic"]
    assert export.url == summary["url"]
    assert export.description == summary["conversation-description"].strip()


def test_real_counts() -> None:
    export = read_polis_export(_conversation("15-per-hour-seattle"))
    assert export.title == "$15/hour"
    assert (len(export.comments), len(export.votes), len(export.groups)) == (54, 2872, 138)
    export = read_polis_export(_conversation("scoop-hivemind.biodiversity"))
    assert (len(export.comments), len(export.votes), len(export.groups)) == (316, 29719, 443)


@pytest.mark.parametrize("name", ["brexit-consensus", "canadian-electoral-reform"])
def test_participants_votes_used_when_votes_csv_is_absent(name: str, tmp_path: Path) -> None:
    folder = _conversation(name)
    for file in ("comments.csv", "participants-votes.csv", "summary.csv"):
        shutil.copy(folder / file, tmp_path / file)
    from_matrix = read_polis_export(tmp_path)
    from_votes = read_polis_export(folder)
    assert {(v.voter_id, v.comment_id, v.value) for v in from_matrix.votes} == {
        (v.voter_id, v.comment_id, v.value) for v in from_votes.votes
    }
    created = {c.external_id: c.created for c in from_matrix.comments}
    assert all(v.created == created[v.comment_id] for v in from_matrix.votes)
    assert from_matrix.groups == from_votes.groups


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _export(folder: Path, comments: str, votes: str | None = None, **files: str) -> Path:
    _write(folder, "comments.csv", comments)
    if votes is not None:
        _write(folder, "votes.csv", votes)
    for name, text in files.items():
        _write(folder, name.replace("_", "-") + ".csv", text)
    return folder


GOOD_COMMENTS = (
    f"{COMMENTS_HEADER}\n"
    '1500000000000,x,0,7,1,0,1,"Plain, with a comma"\n'
    '1500000001000,x,1,8,0,1,0,"Two\nlines and ""quotes"""\n'
    "1500000002000,x,2,7,0,0,-1,Hidden one\n"
)


def test_small_export_with_tricky_bodies_and_repeated_votes(tmp_path: Path) -> None:
    votes = (
        f"{VOTES_HEADER}\n"
        "1500000005000,x,0,3,1\n"
        "1500000009000,x,0,3,-1\n"  # later: counts
        "1500000007000,x,0,3,0\n"  # earlier than the one above, listed after it
        "1500000005000,x,1,4,0\n"
        "1500000005000,x,1,4,+1\n"  # same time, later line wins
    )
    export = read_polis_export(_export(tmp_path, GOOD_COMMENTS, votes))
    assert export.title == tmp_path.name and export.url == "" and export.description == ""
    assert [c.body for c in export.comments] == [
        "Plain, with a comma",
        'Two\nlines and "quotes"',
        "Hidden one",
    ]
    assert [c.moderated for c in export.comments] == [1, 0, -1]
    assert export.comments[0].created == datetime(2017, 7, 14, 2, 40, tzinfo=UTC)
    assert sorted((v.voter_id, v.comment_id, v.value) for v in export.votes) == [
        ("3", "0", -1),
        ("4", "1", 1),
    ]
    assert export.groups == {}


def test_participants_votes_with_other_leading_column_order(tmp_path: Path) -> None:
    matrix = "group-id,n-votes,participant,n-comments,0,1,2\n1,2,10,3,1,-1,\n,1,11,3,,,0\n"
    export = read_polis_export(_export(tmp_path, GOOD_COMMENTS, participants_votes=matrix))
    assert sorted((v.voter_id, v.comment_id, v.value) for v in export.votes) == [
        ("10", "0", 1),
        ("10", "1", -1),
        ("11", "2", 0),
    ]
    assert export.groups == {"10": "1"}


def test_summary_values(tmp_path: Path) -> None:
    summary = 'topic,A topic\nurl,https://pol.is/x\nconversation-description,"Line one\nline two"\n'
    export = read_polis_export(_export(tmp_path, GOOD_COMMENTS, summary=summary))
    assert (export.title, export.url, export.description) == (
        "A topic",
        "https://pol.is/x",
        "Line one\nline two",
    )


def _error(folder: Path) -> PolisExportError:
    with pytest.raises(PolisExportError) as caught:
        read_polis_export(folder)
    return caught.value


def test_missing_comments_file(tmp_path: Path) -> None:
    error = _error(tmp_path)
    assert (error.file, error.line) == ("comments.csv", None)
    assert str(error) == "comments.csv: required file is missing"


def test_missing_column(tmp_path: Path) -> None:
    comments = "timestamp,comment-id,author-id,moderated\n1500000000000,0,7,1\n"
    error = _error(_export(tmp_path, comments))
    assert (error.file, error.line) == ("comments.csv", 1)
    assert "comment-body" in error.reason


def test_missing_vote_column(tmp_path: Path) -> None:
    error = _error(_export(tmp_path, GOOD_COMMENTS, "timestamp,comment-id,vote\n"))
    assert (error.file, error.line) == ("votes.csv", 1)
    assert "voter-id" in error.reason


def test_bad_vote_value(tmp_path: Path) -> None:
    votes = f"{VOTES_HEADER}\n1500000005000,x,0,3,1\n1500000005000,x,1,3,x\n"
    error = _error(_export(tmp_path, GOOD_COMMENTS, votes))
    assert (error.file, error.line) == ("votes.csv", 3)
    assert str(error) == "votes.csv line 3: vote must be 1, -1 or 0, got 'x'"


def test_vote_on_unknown_comment(tmp_path: Path) -> None:
    votes = f"{VOTES_HEADER}\n1500000005000,x,0,3,1\n1500000005000,x,1,3,1\n1500000005000,x,9,3,1\n"
    error = _error(_export(tmp_path, GOOD_COMMENTS, votes))
    assert (error.file, error.line) == ("votes.csv", 4)
    assert "unknown comment-id 9" in error.reason


def test_broken_timestamp_in_comments(tmp_path: Path) -> None:
    # Line 2 holds a body over two physical lines, so the broken record starts on line 4.
    comments = (
        f"{COMMENTS_HEADER}\n"
        '1500000000000,x,0,7,1,0,1,"first\nsecond"\n'
        "2017-07-14 02:40,x,1,8,0,1,0,Body\n"
    )
    error = _error(_export(tmp_path, comments))
    assert (error.file, error.line) == ("comments.csv", 4)
    assert "timestamp" in error.reason


def test_broken_timestamp_in_votes(tmp_path: Path) -> None:
    votes = f"{VOTES_HEADER}\n15e11,x,0,3,1\n"
    error = _error(_export(tmp_path, GOOD_COMMENTS, votes))
    assert (error.file, error.line) == ("votes.csv", 2)


def test_duplicate_comment_id(tmp_path: Path) -> None:
    comments = GOOD_COMMENTS + "1500000003000,x,1,9,0,0,1,Again number one\n"
    error = _error(_export(tmp_path, comments))
    assert (error.file, error.line) == ("comments.csv", 6)
    assert "duplicate comment-id 1" in error.reason


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("1500000003000,x,abc,9,0,0,1,Text", "comment-id"),
        ("1500000003000,x,3,-2,0,0,1,Text", "author-id"),
        ("1500000003000,x,3,9,0,0,2,Text", "moderated"),
        ("1500000003000,x,3,9,0,0,1", "expected 8 fields"),
        ('1500000003000,x,3,9,0,0,1,"never closed', "malformed"),
    ],
)
def test_bad_comment_rows(tmp_path: Path, row: str, words: str) -> None:
    error = _error(_export(tmp_path, GOOD_COMMENTS + row + "\n"))
    assert (error.file, error.line) == ("comments.csv", 6)
    assert words in error.reason


def test_bad_participants_votes(tmp_path: Path) -> None:
    matrix = "participant,group-id,0,1\n5,0,1,-1\n6,,2,\n"
    error = _error(_export(tmp_path, GOOD_COMMENTS, participants_votes=matrix))
    assert (error.file, error.line) == ("participants-votes.csv", 3)
    assert "got '2'" in error.reason


def test_participants_votes_column_for_unknown_comment(tmp_path: Path) -> None:
    matrix = "participant,group-id,0,42\n5,0,1,-1\n"
    error = _error(_export(tmp_path, GOOD_COMMENTS, participants_votes=matrix))
    assert (error.file, error.line) == ("participants-votes.csv", 1)
    assert "unknown comment-id 42" in error.reason


def test_bad_summary(tmp_path: Path) -> None:
    error = _error(_export(tmp_path, GOOD_COMMENTS, summary="topic,A,extra\n"))
    assert (error.file, error.line) == ("summary.csv", 1)


def test_error_is_a_value_error_with_attributes() -> None:
    error = PolisExportError("votes.csv", 12, "vote must be 1, -1 or 0, got 'x'")
    assert isinstance(error, ValueError)
    assert str(error) == "votes.csv line 12: vote must be 1, -1 or 0, got 'x'"
    assert (error.file, error.line, error.reason) == (
        "votes.csv",
        12,
        "vote must be 1, -1 or 0, got 'x'",
    )


def test_empty_body_is_a_removed_comment_with_a_notice(tmp_path: Path) -> None:
    # Real exports (e.g. the Polis conversations in shared/data) carry the comments their
    # moderators removed with an empty comment-body; votes on them still refer to their id.
    votes = f"{VOTES_HEADER}\n1500000005000,x,3,4,1\n"
    comments = GOOD_COMMENTS + "1500000003000,x,3,9,0,0,-1,   \n"
    export = read_polis_export(_export(tmp_path, comments, votes))
    assert [c.body for c in export.comments][-1] == ""
    assert [(v.comment_id, v.value) for v in export.votes] == [("3", 1)]
    assert export.notices == [
        "comments.csv line 6: comment 3 has an empty body; imported as a removed comment"
    ]
    with pytest.raises(PolisExportError) as caught:
        read_polis_export(tmp_path, lenient=False)
    assert (caught.value.line, "empty comment-body" in caught.value.reason) == (6, True)
