"""Open data: a valid Frictionless package without personal data, pseudonymous participant
ids per consultation, the Polis layout round trip, the catalogue and the build command."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from frictionless import validate

from analytics.opinion import compute_opinion_groups
from analytics.selectors import vote_matrix
from analytics.services import opinion_map_refresh
from comments.models import Comment, Vote
from comments.polis_export import read_polis_export
from comments.services import (
    comment_create,
    comment_set_status,
    import_polis_conversation,
    vote_cast,
)
from opendata.models import AgencyDataSettings
from opendata.pseudonyms import Pseudonyms
from topics.models import Answer, Consultation, Question
from topics.services import position_set

# Planted personal data: none of it may appear in any file of the package.
REAL_NAME = "Somchai Jaidee"
THAI_NAME = "สมชาย ใจดี"
PHONE = "081-234-5678"
CITIZEN_ID = "1101700203450"  # a valid Thai ID number (mod-11 check digit)
HIDDEN_TEXT = "ข้อความที่ถูกซ่อนโดยผู้ดูแล"
IP_ADDRESS = "203.0.113.77"


def _close(consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()


def _unzip(response) -> dict[str, bytes]:
    assert response.status_code == 200 and response.streaming
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture
def planted(make_user, make_consultation):
    somchai = make_user("somchai")
    thai = make_user("thai")
    for person, name in ((somchai, REAL_NAME), (thai, THAI_NAME)):
        person.display_name = name
        person.save(update_fields=["display_name"])
    c = make_consultation("open", slug="planted")
    q = Question.objects.create(consultation=c, kind="text", prompt="ข้อเสนอแนะเพิ่มเติม")
    Answer.objects.create(
        question=q, user=somchai, value=f"ติดต่อ {somchai.email} หรือ {PHONE} เลขบัตร {CITIZEN_ID}"
    )
    first = comment_create(
        consultation=c,
        author=somchai,
        body=f"โทร {PHONE} อีเมล {thai.email} บัตร {CITIZEN_ID} ไม่เห็นด้วย",
        stance="oppose",
    )
    hidden = comment_create(consultation=c, author=thai, body=HIDDEN_TEXT)
    comment_set_status(comment=hidden, status="hidden", reason="off_topic")
    reply = comment_create(consultation=c, author=thai, body="เห็นด้วยกับความเห็นนี้", parent=first)
    page = Client(REMOTE_ADDR=IP_ADDRESS)  # the page sees an address; the package must not
    page.force_login(thai)
    posted = page.post(
        f"/c/{c.slug}/comments/",
        {"body": "ผ่านหน้าเว็บ", "stance": "support"},
        HTTP_ACCEPT="application/json",
    )
    assert posted.status_code == 201
    vote_cast(comment=first, user=thai, value=1)
    vote_cast(comment=reply, user=somchai, value=-1)
    position_set(consultation=c, user=somchai, value="oppose")
    position_set(consultation=c, user=thai, value="support")
    _close(c)
    return c, [somchai, thai]


def test_package_validates_and_holds_no_personal_data(planted, tmp_path):
    consultation, people = planted
    files = _unzip(Client().get(f"/c/{consultation.slug}/data/package.zip"))
    assert {
        "datapackage.json",
        "consultation.json",
        "sections.csv",
        "comments.csv",
        "votes.csv",
        "positions.csv",
        "answers.csv",
        "themes.csv",
        "moderation.csv",
    } <= set(files)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    everything = b"\n".join(files.values()).decode()
    planted_values = [REAL_NAME, THAI_NAME, PHONE, CITIZEN_ID, HIDDEN_TEXT, IP_ADDRESS]
    planted_values += [p.email for p in people] + [p.email.split("@")[0] + "@" for p in people]
    for value in planted_values:
        assert value not in everything, value
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["final"] is True
    assert descriptor["title"] and descriptor["title_en"]
    comments = files["comments.csv"].decode()
    assert "เห็นด้วยกับความเห็นนี้" in comments  # published replies are there
    # header + 4 (the hidden one as a placeholder)
    assert len(comments.strip().splitlines()) == 5


def test_the_package_is_streamed_when_served_by_the_asgi_server(planted):
    """Served by the ASGI server, the ZIP goes out piece by piece (Django would otherwise
    collect all of it in memory first), and the pieces make the same package."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    consultation, _people = planted
    url = f"/c/{consultation.slug}/data/package.zip"

    async def fetch() -> tuple[bool, bytes]:
        response = await AsyncClient().get(url)
        assert response.status_code == 200
        body = b"".join([piece async for piece in response.streaming_content])
        return response.is_async, body

    streamed, body = async_to_sync(fetch)()
    assert streamed
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = set(archive.namelist())
        assert {"datapackage.json", "comments.csv", "votes.csv"} <= names
        assert archive.read("comments.csv") == _unzip(Client().get(url))["comments.csv"]


def test_participant_ids_are_per_consultation_and_unlinkable(alice, make_consultation):
    one = make_consultation("open", slug="one")
    two = make_consultation("open", slug="two")
    for c in (one, two):
        comment = comment_create(consultation=c, author=None, body="ตัวอย่าง", channel="offline")
        vote_cast(comment=comment, user=alice, value=1)
    ids = []
    for c in (one, two):
        files = _unzip(Client().get(f"/c/{c.slug}/data/package.zip"))
        rows = files["votes.csv"].decode().strip().splitlines()[1:]
        ids.append(rows[0].split(",")[1])
    assert ids[0] != ids[1]
    assert str(alice.pk) not in ids
    assert Pseudonyms(one.pk).of(alice.pk) == int(ids[0])  # stable within a consultation


def test_licence_is_settable_per_agency(planted):
    consultation, _people = planted
    AgencyDataSettings.objects.create(agency=consultation.agency, licence="CC0-1.0")
    descriptor = Client().get(f"/c/{consultation.slug}/data/datapackage.json").json()
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"


def test_draft_has_no_data(make_consultation):
    draft = make_consultation("draft", slug="secret")
    assert Client().get("/c/secret/data/").status_code == 404
    assert Client().get("/c/secret/data/package.zip").status_code == 404
    assert "secret" not in Client().get("/data/api/3/action/package_list").content.decode()
    assert draft.slug not in Client().get("/data/catalog.json").content.decode()


def test_data_page(planted):
    consultation, _people = planted
    r = Client().get(f"/c/{consultation.slug}/data/")
    assert r.status_code == 200
    assert b"package.zip" in r.content and b"polis.zip" in r.content


def test_catalogue_and_ckan_api(planted):
    consultation, _people = planted
    catalog = Client().get("/data/catalog.json").json()
    datasets = catalog["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [consultation.slug]
    names = Client().get("/data/api/3/action/package_list").json()
    assert names["success"] and names["result"] == [consultation.slug]
    shown = (
        Client()
        .post(
            "/data/api/action/package_show",
            json.dumps({"id": consultation.slug}),
            content_type="application/json",
        )
        .json()["result"]
    )
    assert shown["name"] == consultation.slug and shown["license_id"] == "CC-BY-4.0"
    assert {r["format"] for r in shown["resources"]} == {"ZIP", "JSON"}
    missing = Client().get("/data/api/3/action/package_show", {"id": "nope"})
    assert missing.status_code == 404 and missing.json()["success"] is False


def test_build_data_packages_command(planted, tmp_path):
    consultation, _people = planted
    call_command("build_data_packages", out=tmp_path, stdout=io.StringIO())
    assert (tmp_path / f"{consultation.slug}-data.zip").is_file()
    assert (tmp_path / f"{consultation.slug}-polis.zip").is_file()
    assert json.loads((tmp_path / "catalog.json").read_text())["dcat:dataset"]
    with zipfile.ZipFile(tmp_path / f"{consultation.slug}-data.zip") as zf:
        assert "datapackage.json" in zf.namelist()


# --- the Polis round trip ------------------------------------------------------------------


@pytest.fixture
def two_camps(make_user, make_consultation):
    """20 people in two camps voting on 12 comments: clear opinion groups."""
    c = make_consultation("open", slug="camps")
    authors = [make_user(f"author{i}") for i in range(6)]
    comments = [
        comment_create(consultation=c, author=authors[i % 6], body=f"ข้อเสนอที่ {i}")
        for i in range(12)
    ]
    for p in range(20):
        voter = make_user(f"voter{p}")
        camp = p % 2
        for i, comment in enumerate(comments):
            if (p + i) % 7 == 0:
                continue  # not everyone votes on everything
            value = 1 if (i % 2 == camp) else -1
            if i == 11:
                value = 1  # one consensus comment
            vote_cast(comment=comment, user=voter, value=value)
    hidden = comment_create(consultation=c, author=authors[5], body="ถูกลบ")
    comment_set_status(comment=hidden, status="removed", reason="off_topic")
    opinion_map_refresh(consultation=c)
    _close(c)
    return c


def _partition(groups: dict[str, int]) -> set[frozenset[str]]:
    by: dict[int, set[str]] = {}
    for person, group in groups.items():
        by.setdefault(group, set()).add(person)
    return {frozenset(members) for members in by.values()}


def test_polis_round_trip(two_camps, tmp_path, agency):
    original = two_camps
    files = _unzip(Client().get(f"/c/{original.slug}/data/polis.zip"))
    assert set(files) == {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"}
    folder = tmp_path / "export"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    export = read_polis_export(folder)
    assert export.notices  # the removed comment came with an empty body, and is said so
    imported = import_polis_conversation(export=export, slug="camps-again", agency=agency)

    def comments_of(c: Consultation) -> list[tuple[str, str]]:
        return sorted(Comment.objects.filter(consultation=c).values_list("body", "status"))

    assert comments_of(imported) == sorted(
        (b, s) if s == "published" else ("", "removed") for b, s in comments_of(original)
    )
    ids = Pseudonyms(original.pk)
    before = {
        (body, str(ids.of(user_id)), value)
        for body, user_id, value in Vote.objects.filter(consultation=original).values_list(
            "comment__body", "user_id", "value"
        )
    }
    after = set(
        Vote.objects.filter(consultation=imported).values_list(
            "comment__body", "external_voter", "value"
        )
    )
    assert before == after and len(before) > 200

    # opinion groups: the same people together, computed from either side
    def groups(c: Consultation, rename) -> set[frozenset[str]]:
        m = vote_matrix(c)
        result = compute_opinion_groups(m.participant_ids, m.comment_ids, m.rows, m.cols, m.values)
        return _partition({rename(p): g for p, g in result.participants.items()})

    original_groups = groups(original, lambda p: str(ids.of(int(p))))
    assert len(original_groups) >= 2
    assert groups(imported, str) == original_groups
    # and the groups written into participants-votes.csv are the live map's
    assert _partition(export.groups) == original_groups
    summary = dict(
        line.split(",", 1) for line in files["summary.csv"].decode().strip().splitlines()
    )
    assert summary["comments"] == "13" and summary["voters"] == "20"


def test_polis_layout_reads_back_with_the_strict_reader_except_removed(two_camps, tmp_path):
    files = _unzip(Client().get(f"/c/{two_camps.slug}/data/polis.zip"))
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    export = read_polis_export(tmp_path)
    assert len(export.comments) == 13 and sum(1 for c in export.comments if not c.body) == 1
    assert Path(tmp_path / "participants-votes.csv").read_text().startswith("participant,group-id")


# --- the package written by PostgreSQL's COPY ----------------------------------------------

MESSY_BODIES = [
    'ไม่เห็นด้วย, เพราะ "ค่าใช้จ่าย" สูงเกินไป',
    "บรรทัดแรก\nบรรทัดที่สอง\r\nบรรทัดที่สาม\rจบ",
    '"',
    '""',
    "  spaces around  ",
    "emoji 👩🏽‍⚕️🇹🇭 and combining ก่ํา ZWJ\u200d and RTL \u202eشكرا",
    "\\. and \\N and a tab\there",
    ",",
]


def _csv_files(consultation: Consultation, *, in_database: bool) -> dict[str, bytes]:
    from opendata.package import package_stream

    data = b"".join(package_stream(consultation, in_database=in_database))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name.endswith(".csv")}


def test_copy_writes_the_same_bytes_as_python(postgres_only, make_user, make_consultation):
    import csv

    from accounts.services import account_delete

    c = make_consultation("open", slug="messy")
    section = c.sections.first()
    alice, gone, voter = make_user("alice-m"), make_user("gone"), make_user("voter-m")
    start = timezone.now() - timedelta(hours=1)
    comments = [  # (directly: more than the posting rate allows one person)
        Comment.objects.create(
            consultation=c,
            author=alice,
            body=body,
            stance="oppose" if i % 2 else "",
            section=section if i % 3 else None,
            created_at=start + timedelta(seconds=i, microseconds=999_999),
        )
        for i, body in enumerate(MESSY_BODIES)
    ]
    reply = comment_create(consultation=c, author=gone, body="ตอบ\n", parent=comments[0])
    imported = comment_create(
        consultation=c, author=None, body="นำเข้า", channel="import", external_id='a,"1"'
    )
    Comment.objects.filter(pk=imported.pk).update(external_author="ผู้เขียน,นำเข้า 🙂")
    pending = comment_create(consultation=c, author=alice, body="รอตรวจ ไม่ควรปรากฏ")
    hidden = comment_create(consultation=c, author=alice, body=HIDDEN_TEXT)
    for comment in comments + [reply, pending, hidden]:
        vote_cast(comment=comment, user=voter, value=1)
        if comment != reply:
            vote_cast(comment=comment, user=gone, value=-1)
    comment_set_status(comment=hidden, status="hidden", reason="off_topic")
    now = timezone.now()
    for external in ("v1", "ผู้ลงคะแนน,1", 'q"uote\nline'):
        Vote.objects.create(
            consultation=c,
            comment=imported,
            external_voter=external,
            value=0,
            created_at=now,
            updated_at=now,
        )
    Comment.objects.filter(pk=pending.pk).update(status="pending")
    account_delete(user=gone, remove_comments=False)  # the reply stays, its author unlinked

    copied = _csv_files(c, in_database=True)
    written = _csv_files(c, in_database=False)
    assert copied.keys() == written.keys()
    for name in copied:
        assert copied[name] == written[name], name

    comments_csv = list(csv.reader(io.StringIO(copied["comments.csv"].decode(), newline="")))
    bodies = {row[0]: row[9] for row in comments_csv[1:]}
    assert set(MESSY_BODIES) <= set(bodies.values())
    assert str(pending.pk) not in bodies and bodies[str(hidden.pk)] == ""
    by_id = {row[0]: row for row in comments_csv[1:]}
    ids = Pseudonyms(c.pk)
    assert by_id[str(reply.pk)][4] == ""  # deleted account: no participant
    assert by_id[str(imported.pk)][1] == 'a,"1"'
    assert by_id[str(imported.pk)][4] == str(ids.of(None, "ผู้เขียน,นำเข้า 🙂"))
    assert copied["comments.csv"].count(b"\r\n") > len(comments_csv)  # CRLF rows, and inside

    votes_csv = list(csv.reader(io.StringIO(copied["votes.csv"].decode(), newline="")))[1:]
    # one person's on the 8 messy comments, the reply and the hidden one; 3 imported voters;
    # the deleted account's votes and the votes on the pending comment are left out
    assert len(votes_csv) == len(MESSY_BODIES) + 2 + 3
    assert {row[1] for row in votes_csv} == {
        str(ids.of(voter.pk)),
        *(str(ids.of(None, v)) for v in ("v1", "ผู้ลงคะแนน,1", 'q"uote\nline')),
    }
