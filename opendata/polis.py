"""A consultation in Polis's export layout, so the Polis toolchain reads our data.

``comments.csv``, ``votes.csv``, ``participants-votes.csv`` and ``summary.csv`` as Polis
writes them (agree +1, disagree -1, pass 0; ``moderated`` -1 for a comment not shown). The
text of a hidden or removed comment is left empty, as in real Polis exports of removed
comments. Participant ids are the open-data pseudonyms of ``opendata.pseudonyms``; comment
ids are the source's ids when every comment has a numeric one (an imported Polis conversation
keeps its ids), else our own ids. ``comments.services.import_polis_conversation`` reads all
of this back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from analytics.rendering import current_opinion
from analytics.selectors import participant_id
from comments.models import Comment, Status, Vote
from opendata.package import zip_stream
from opendata.pseudonyms import Pseudonyms
from topics.models import Consultation

COMMENTS_HEADER = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]
VOTES_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]


def _millis(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


def _polis_date(moment: Any) -> str:
    return moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


class PolisLayout:
    def __init__(self, consultation: Consultation) -> None:
        self.consultation = consultation
        self.ids = Pseudonyms(consultation.pk)
        rows = list(
            Comment.objects.filter(consultation=consultation)
            .exclude(status=Status.PENDING)
            .order_by("created_at", "id")
            .values_list("id", "external_id")
        )
        numeric = all(ext.isdigit() for _pk, ext in rows) and len({e for _p, e in rows}) == len(
            rows
        )
        self.comment_id = {pk: (str(int(ext)) if numeric else str(pk)) for pk, ext in rows}
        opinion, _version, _at = current_opinion(consultation)
        self.groups: dict[str, int] = {
            str(k): int(v) for k, v in opinion.get("participants", {}).items()
        }

    def comments(self) -> Iterator[list[object]]:
        rows = (
            Comment.objects.filter(pk__in=self.comment_id.keys())
            .order_by("created_at", "id")
            .values_list(
                "id",
                "created_at",
                "author_id",
                "external_author",
                "agree_count",
                "disagree_count",
                "status",
                "body",
            )
        )
        for pk, created, author, ext_author, agree, disagree, status, body in rows.iterator(
            chunk_size=5000
        ):
            published = status == Status.PUBLISHED
            yield [
                _millis(created),
                _polis_date(created),
                self.comment_id[pk],
                self.ids.of(author, ext_author) or 0,
                agree,
                disagree,
                1 if published else -1,
                body if published else "",
            ]

    def _votes(self) -> Iterator[tuple[Any, str, int, int, str]]:
        rows = (
            Vote.objects.filter(consultation=self.consultation)
            .order_by("updated_at", "id")
            .values_list("comment_id", "user_id", "external_voter", "value", "updated_at")
        )
        for comment_id, user_id, external, value, when in rows.iterator(chunk_size=20_000):
            cid = self.comment_id.get(comment_id)
            voter = self.ids.of(user_id, external)
            if cid is None or voter is None:
                continue
            yield when, cid, voter, value, participant_id(user_id, external)

    def votes(self) -> Iterator[list[object]]:
        for when, cid, voter, value, _pid in self._votes():
            yield [_millis(when), _polis_date(when), cid, voter, value]

    def participants_votes(self) -> tuple[list[str], list[list[object]]]:
        """The participant x comment matrix; held in memory (Polis-sized conversations)."""
        matrix: dict[int, dict[str, int]] = defaultdict(dict)
        group_of: dict[int, int | None] = {}
        for _when, cid, voter, value, pid in self._votes():
            matrix[voter][cid] = value
            group_of[voter] = self.groups.get(pid)
        authored: Counter[int] = Counter()
        for _ts, _dt, _cid, author, *_rest in self.comments():
            authored[int(author)] += 1  # type: ignore[call-overload]
        columns = list(self.comment_id.values())
        header = [
            "participant",
            "group-id",
            "n-comments",
            "n-votes",
            "n-agree",
            "n-disagree",
            *columns,
        ]
        rows: list[list[object]] = []
        for voter in sorted(matrix):
            votes = matrix[voter]
            group = group_of.get(voter)
            rows.append(
                [
                    voter,
                    "" if group is None else group,
                    authored.get(voter, 0),
                    len(votes),
                    sum(1 for v in votes.values() if v == 1),
                    sum(1 for v in votes.values() if v == -1),
                    *(votes.get(c, "") for c in columns),
                ]
            )
        return header, rows

    def summary(self, n_voters: int, n_groups: int) -> list[list[object]]:
        c = self.consultation
        commenters = (
            Comment.objects.filter(pk__in=self.comment_id.keys())
            .values("author_id", "external_author")
            .distinct()
            .count()
        )
        return [
            ["topic", c.title],
            ["url", settings.SITE_URL.rstrip("/") + c.get_absolute_url()],
            ["voters", n_voters],
            ["voters-in-conv", n_voters],
            ["commenters", commenters],
            ["comments", len(self.comment_id)],
            ["groups", n_groups],
            ["conversation-description", c.summary],
        ]


def polis_stream(consultation: Consultation) -> Iterator[bytes]:
    layout = PolisLayout(consultation)
    matrix_header, matrix_rows = layout.participants_votes()
    n_groups = len({g for g in layout.groups.values()})
    summary = layout.summary(len(matrix_rows), n_groups)
    return zip_stream(
        [
            ("comments.csv", layout.comments, COMMENTS_HEADER),
            ("votes.csv", layout.votes, VOTES_HEADER),
            ("participants-votes.csv", lambda: matrix_rows, matrix_header),
            ("summary.csv", lambda: summary[1:], [str(v) for v in summary[0]]),
        ]
    )
