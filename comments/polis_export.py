"""Strict reader of a Polis conversation export directory.

A Polis export is a folder of CSV files:

- ``comments.csv`` (required): ``timestamp`` (ms since the epoch), ``comment-id``,
  ``author-id``, ``moderated`` (-1 hidden, 0 unmoderated, 1 accepted), ``comment-body``;
  ``datetime``, ``agrees`` and ``disagrees`` are optional.
- ``votes.csv``: ``timestamp``, ``comment-id``, ``voter-id``, ``vote`` (1, -1 or 0). A voter may
  vote on the same comment several times; only the latest vote counts.
- ``participants-votes.csv``: ``participant``, ``group-id`` (the opinion group Polis assigned,
  empty when none), a few count columns, then one column per comment id holding 1, -1, 0 or
  nothing. The order of the leading columns varies between exports: the first column whose
  header is a number starts the comment columns. Votes are read from here only when
  ``votes.csv`` is absent; the groups are always read from here when the file exists.
- ``summary.csv`` (optional): two-column ``key,value`` rows; ``topic``, ``url`` and
  ``conversation-description`` are used.

Every problem raises :class:`PolisExportError` naming the file, the 1-based line (of the first
physical line of the offending record) and the reason. No Django involved: pure Python.

The four sample conversations in ``../shared/data/polis``: "Data was gathered using the Polis
software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The
Computational Democracy Project."
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = [
    "PolisComment",
    "PolisExport",
    "PolisExportError",
    "PolisVote",
    "read_polis_export",
]

COMMENTS_FILE = "comments.csv"
VOTES_FILE = "votes.csv"
PARTICIPANTS_VOTES_FILE = "participants-votes.csv"
SUMMARY_FILE = "summary.csv"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ID_RE = re.compile(r"\d+")
_INT_RE = re.compile(r"[+-]?\d+")
_VOTE_VALUES = {"1": 1, "+1": 1, "-1": -1, "0": 0, "-0": 0, "+0": 0}
_MODERATED_VALUES = {"-1": -1, "0": 0, "1": 1, "+1": 1}


class PolisExportError(ValueError):
    """A Polis export file is missing or malformed."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = file if line is None else f"{file} line {line}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[PolisExportError], tuple[str, int | None, str]]:
        return (type(self), (self.file, self.line, self.reason))


@dataclass(frozen=True)
class PolisComment:
    external_id: str
    author_id: str
    created: datetime
    moderated: int
    body: str


@dataclass(frozen=True)
class PolisVote:
    """The latest vote of one voter on one comment.

    ``created`` is the time of that vote. When the votes come from ``participants-votes.csv``
    (which has no times) it is the creation time of the comment, a lower bound.
    """

    comment_id: str
    voter_id: str
    value: int
    created: datetime


@dataclass
class PolisExport:
    title: str
    description: str
    url: str
    comments: list[PolisComment] = field(default_factory=list)
    votes: list[PolisVote] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)
    # What was read but is not an ordinary comment, said to the person importing.
    notices: list[str] = field(default_factory=list)


class _Table:
    """One CSV file read strictly: a header, then records tagged with their first line."""

    def __init__(self, path: Path, required: tuple[str, ...]) -> None:
        self.path = path
        self.name = path.name
        self.required = required
        self.header: list[str] = []
        self.header_line = 0
        self.columns: dict[str, int] = {}

    def error(self, line: int | None, reason: str) -> PolisExportError:
        return PolisExportError(self.name, line, reason)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(first line number, fields)`` for every non-blank record after the header."""
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle, strict=True)
                previous_end = 0
                try:
                    for row in reader:
                        start, previous_end = previous_end + 1, reader.line_num
                        if not row or all(not cell.strip() for cell in row):
                            continue
                        if not self.header:
                            self._set_header(start, row)
                            continue
                        if len(row) != len(self.header):
                            raise self.error(
                                start,
                                f"expected {len(self.header)} fields as in the header, "
                                f"got {len(row)}",
                            )
                        yield start, row
                except csv.Error as exc:
                    raise self.error(previous_end + 1, f"malformed CSV: {exc}") from None
        except UnicodeDecodeError as exc:
            raise self.error(None, f"not valid UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise self.error(None, f"cannot be read: {exc.strerror or exc}") from None
        if not self.header:
            raise self.error(None, "empty file, no header")

    def _set_header(self, line: int, row: list[str]) -> None:
        header = [cell.strip() for cell in row]
        columns: dict[str, int] = {}
        for index, name in enumerate(header):
            if name in columns:
                raise self.error(line, f"duplicate column {name!r}")
            columns[name] = index
        missing = [name for name in self.required if name not in columns]
        if missing:
            raise self.error(line, "missing required column(s): " + ", ".join(missing))
        self.header = header
        self.header_line = line
        self.columns = columns


def _parse_id(table: _Table, line: int, column: str, value: str) -> str:
    value = value.strip()
    if not _ID_RE.fullmatch(value):
        raise table.error(line, f"{column} must be a non-negative integer, got {value!r}")
    return str(int(value))


def _parse_timestamp(table: _Table, line: int, value: str) -> datetime:
    value = value.strip()
    if not _ID_RE.fullmatch(value):
        raise table.error(
            line, f"timestamp must be milliseconds since 1970 as an integer, got {value!r}"
        )
    try:
        return _EPOCH + timedelta(milliseconds=int(value))
    except OverflowError:
        raise table.error(line, f"timestamp out of range, got {value!r}") from None


def _parse_vote(table: _Table, line: int, value: str) -> int:
    vote = _VOTE_VALUES.get(value.strip())
    if vote is None:
        raise table.error(line, f"vote must be 1, -1 or 0, got {value!r}")
    return vote


def _read_comments(path: Path, notices: list[str] | None = None) -> list[PolisComment]:
    table = _Table(path, ("timestamp", "comment-id", "author-id", "moderated", "comment-body"))
    comments: list[PolisComment] = []
    seen: dict[str, int] = {}
    for line, row in table.records():
        col = table.columns
        comment_id = _parse_id(table, line, "comment-id", row[col["comment-id"]])
        if comment_id in seen:
            raise table.error(
                line, f"duplicate comment-id {comment_id} (first on line {seen[comment_id]})"
            )
        seen[comment_id] = line
        author_id = _parse_id(table, line, "author-id", row[col["author-id"]])
        created = _parse_timestamp(table, line, row[col["timestamp"]])
        raw_moderated = row[col["moderated"]].strip()
        moderated = _MODERATED_VALUES.get(raw_moderated)
        if moderated is None:
            raise table.error(line, f"moderated must be -1, 0 or 1, got {raw_moderated!r}")
        for count_column in ("agrees", "disagrees"):
            if count_column in col:
                raw = row[col[count_column]].strip()
                if raw and not _ID_RE.fullmatch(raw):
                    raise table.error(
                        line, f"{count_column} must be a non-negative integer, got {raw!r}"
                    )
        body = row[col["comment-body"]]
        if not body.strip():
            # Real exports hold the comments their moderators removed (or their authors
            # deleted) with an empty body. They are kept as removed comments, so the votes on
            # them stay consistent.
            if notices is not None:
                notices.append(
                    f"{table.name} line {line}: comment {comment_id} has an empty body; "
                    "imported as a removed comment"
                )
            else:
                raise table.error(line, f"comment {comment_id} has an empty comment-body")
        comments.append(PolisComment(comment_id, author_id, created, moderated, body.strip()))
    return comments


def _read_votes(path: Path, comment_ids: set[str]) -> list[PolisVote]:
    table = _Table(path, ("timestamp", "comment-id", "voter-id", "vote"))
    # (voter, comment) -> (created, line, value); the latest time wins, the later line on ties.
    latest: dict[tuple[str, str], tuple[datetime, int, int]] = {}
    for line, row in table.records():
        col = table.columns
        created = _parse_timestamp(table, line, row[col["timestamp"]])
        comment_id = _parse_id(table, line, "comment-id", row[col["comment-id"]])
        voter_id = _parse_id(table, line, "voter-id", row[col["voter-id"]])
        value = _parse_vote(table, line, row[col["vote"]])
        if comment_id not in comment_ids:
            raise table.error(line, f"vote on unknown comment-id {comment_id}")
        key = (voter_id, comment_id)
        known = latest.get(key)
        if known is None or created >= known[0]:
            latest[key] = (created, line, value)
    ordered = sorted(latest.items(), key=lambda item: (item[1][0], item[1][1]))
    return [
        PolisVote(comment_id=comment_id, voter_id=voter_id, value=value, created=created)
        for (voter_id, comment_id), (created, _line, value) in ordered
    ]


def _read_participants_votes(
    path: Path, comments: dict[str, PolisComment]
) -> tuple[list[PolisVote], dict[str, str]]:
    table = _Table(path, ("participant", "group-id"))
    votes: list[PolisVote] = []
    groups: dict[str, str] = {}
    seen: dict[str, int] = {}
    comment_columns: list[tuple[int, str]] | None = None
    for line, row in table.records():
        if comment_columns is None:
            comment_columns = _comment_columns(table, comments)
        col = table.columns
        participant = _parse_id(table, line, "participant", row[col["participant"]])
        if participant in seen:
            raise table.error(
                line, f"duplicate participant {participant} (first on line {seen[participant]})"
            )
        seen[participant] = line
        raw_group = row[col["group-id"]].strip()
        if raw_group:
            groups[participant] = _parse_id(table, line, "group-id", raw_group)
        for index, comment_id in comment_columns:
            cell = row[index].strip()
            if not cell:
                continue
            value = _VOTE_VALUES.get(cell)
            if value is None:
                raise table.error(
                    line, f"vote must be 1, -1 or 0, got {cell!r} (column {comment_id})"
                )
            votes.append(PolisVote(comment_id, participant, value, comments[comment_id].created))
    if comment_columns is None:
        _comment_columns(table, comments)
    return votes, groups


def _comment_columns(table: _Table, comments: dict[str, PolisComment]) -> list[tuple[int, str]]:
    """The (index, comment id) of every comment column, checked against comments.csv."""
    line = table.header_line
    first = next((i for i, name in enumerate(table.header) if _INT_RE.fullmatch(name)), None)
    if first is None:
        raise table.error(line, "no comment columns (no column header is a comment id)")
    columns: list[tuple[int, str]] = []
    for index in range(first, len(table.header)):
        name = table.header[index]
        if not _ID_RE.fullmatch(name):
            raise table.error(
                line,
                f"column {index + 1} after the first comment column is not a comment id: {name!r}",
            )
        comment_id = str(int(name))
        if comment_id not in comments:
            raise table.error(line, f"column for unknown comment-id {comment_id}")
        columns.append((index, comment_id))
    if len({comment_id for _, comment_id in columns}) != len(columns):
        raise table.error(line, "the same comment-id heads two columns")
    return columns


def _read_summary(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            previous_end = 0
            try:
                for row in reader:
                    start, previous_end = previous_end + 1, reader.line_num
                    if not row or all(not cell.strip() for cell in row):
                        continue
                    if len(row) != 2:
                        raise PolisExportError(
                            path.name, start, f"expected 2 fields (key,value), got {len(row)}"
                        )
                    key = row[0].strip()
                    if key in values:
                        raise PolisExportError(path.name, start, f"duplicate key {key!r}")
                    values[key] = row[1].strip()
            except csv.Error as exc:
                raise PolisExportError(
                    path.name, previous_end + 1, f"malformed CSV: {exc}"
                ) from None
    except UnicodeDecodeError as exc:
        raise PolisExportError(path.name, None, f"not valid UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise PolisExportError(path.name, None, f"cannot be read: {exc.strerror or exc}") from None
    return values


def read_polis_export(path: Path, *, lenient: bool = True) -> PolisExport:
    """Read and validate the Polis export in directory ``path``.

    Comments with an empty body (removed at the source) are read with ``body == ""`` and
    listed in ``notices``; with ``lenient=False`` they are an error like any other.

    The title defaults to the directory name when there is no ``summary.csv`` or no topic.
    Votes are reduced to the latest vote per (voter, comment) and ordered by time.
    """
    path = Path(path)
    if not path.is_dir():
        raise PolisExportError(str(path), None, "not a directory")
    comments_path = path / COMMENTS_FILE
    if not comments_path.is_file():
        raise PolisExportError(COMMENTS_FILE, None, "required file is missing")
    notices: list[str] = []
    comments = _read_comments(comments_path, notices if lenient else None)
    by_id = {comment.external_id: comment for comment in comments}

    votes: list[PolisVote] = []
    groups: dict[str, str] = {}
    participants_path = path / PARTICIPANTS_VOTES_FILE
    votes_path = path / VOTES_FILE
    if participants_path.is_file():
        matrix_votes, groups = _read_participants_votes(participants_path, by_id)
        if not votes_path.is_file():
            votes = matrix_votes
    if votes_path.is_file():
        votes = _read_votes(votes_path, set(by_id))

    summary: dict[str, str] = {}
    summary_path = path / SUMMARY_FILE
    if summary_path.is_file():
        summary = _read_summary(summary_path)
    return PolisExport(
        title=summary.get("topic") or path.name,
        description=summary.get("conversation-description", ""),
        url=summary.get("url", ""),
        comments=comments,
        votes=votes,
        groups=groups,
        notices=notices,
    )
