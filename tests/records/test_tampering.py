"""Tampering with the stored record is caught by manage.py verify_records and by the standalone
verifier (records/verify.py, fed only what the public endpoints serve), and both name the
entry."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from comments.models import Comment
from comments.services import comment_create, vote_cast
from records import selectors, services, verify
from records.models import Entry


@pytest.fixture
def log(make_user, consultation):
    """Six entries, a checkpoint signed after each (as a watcher would have kept them)."""
    people = [make_user(f"p{i}") for i in range(4)]
    notes = []
    comments = []
    for i, person in enumerate(people[:3]):
        comments.append(
            comment_create(consultation=consultation, author=person, body=f"ความเห็นที่ {i}")
        )
        notes.append(services.checkpoint_sign().note)
    for comment in comments:
        vote_cast(comment=comment, user=people[3], value=1)
        notes.append(services.checkpoint_sign().note)
    assert selectors.tree_size() == 6
    return {"notes": notes, "comments": comments}


def standalone(client, tmp_path, notes: list[str]) -> tuple[int, str]:
    """Download the public files and run the standalone verifier on them."""
    (tmp_path / "key.txt").write_text(client.get("/records/key").content.decode())
    (tmp_path / "entries.txt").write_bytes(client.get("/records/entries").content)
    (tmp_path / "contents.jsonl").write_bytes(client.get("/records/contents").content)
    paths = []
    for i, note in enumerate(notes):
        path = tmp_path / f"checkpoint-{i}.txt"
        path.write_text(note)
        paths.append(str(path))
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = verify.main(
            [
                "tree",
                "--key",
                str(tmp_path / "key.txt"),
                "--entries",
                str(tmp_path / "entries.txt"),
                "--contents",
                str(tmp_path / "contents.jsonl"),
                *paths,
            ]
        )
    return code, err.getvalue()


def test_an_untouched_record_verifies_both_ways(log, client, tmp_path):
    assert list(selectors.check_all()) == []
    assert standalone(client, tmp_path, log["notes"]) == (0, "")


def test_a_changed_comment_text_is_caught(log, client, tmp_path):
    comment = log["comments"][1]
    Comment.objects.filter(pk=comment.pk).update(body="ข้อความที่ถูกแก้ทีหลัง")
    problems = list(selectors.check_all())
    assert any(p.startswith("entry 1:") and "text differs" in p for p in problems)
    code, err = standalone(client, tmp_path, log["notes"])
    assert code == 1 and "entry 1:" in err


def test_a_deleted_entry_is_caught(log, client, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_entrycontent WHERE entry_id = 2")
        cursor.execute('DELETE FROM records_entry WHERE "index" = 2')
    problems = list(selectors.check_all())
    assert problems[0].startswith("entry 2: missing")
    code, err = standalone(client, tmp_path, log["notes"])
    assert code == 1 and "entry 2:" in err


def _swap(a: int, b: int) -> None:
    fields = ["created_at", "kind", "consultation_id", "subject", "commitment", "leaf_hash"]
    ra, rb = Entry.objects.get(index=a), Entry.objects.get(index=b)
    values_a = {f: getattr(ra, f) for f in fields}
    values_b = {f: getattr(rb, f) for f in fields}
    Entry.objects.filter(index=a).update(**values_b)
    Entry.objects.filter(index=b).update(**values_a)


def test_reordered_entries_are_caught(log, client, tmp_path):
    _swap(3, 4)
    problems = list(selectors.check_all())
    assert any(p.startswith("entry 3:") for p in problems)
    code, err = standalone(client, tmp_path, log["notes"])
    assert code == 1 and "entries 3..3" in err


def test_a_rewritten_entry_is_caught_even_with_its_hash_recomputed(log, client, tmp_path):
    row = Entry.objects.get(index=4)
    forged = hashlib.sha256(b"a different vote").digest()
    row.commitment = forged
    row.leaf_hash = verify.leaf_hash(services.entry_of(row).line().encode())
    Entry.objects.filter(index=4).update(commitment=forged, leaf_hash=row.leaf_hash)
    problems = list(selectors.check_all())
    assert any(p.startswith("entries 4..4") for p in problems)
    assert any(p.startswith("entry 4:") and "commitment" in p for p in problems)
    code, err = standalone(client, tmp_path, log["notes"])
    assert code == 1 and "4" in err and ("entries 4..4" in err or "entry 4:" in err)


def test_a_forged_checkpoint_is_refused(log, client, tmp_path):
    notes = list(log["notes"])
    notes[-1] = notes[-1].replace("\n6\n", "\n5\n")
    code, err = standalone(client, tmp_path, notes)
    assert code == 1 and "signature" in err
