"""The public record on the database: entries written with the writes they record, receipts,
checkpoints, endpoints, and the full check (manage.py verify_records)."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from comments.models import Comment
from comments.services import comment_create, comment_edit, comment_set_status, vote_cast
from records import selectors, services, verify
from records.models import Checkpoint, Entry, EntryContent
from topics.services import position_set


def check_records() -> list[str]:
    return list(selectors.check_all())


def verifier() -> verify.Verifier:
    return verify.Verifier.parse(services.verifier_key_line())


@pytest.fixture
def posted(alice, bob, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ควรมีสถานีตรวจวัดทุกอำเภอ")
    vote_cast(comment=comment, user=bob, value=1)
    return comment


def test_each_write_appends_one_numbered_entry(posted, alice, bob, consultation):
    comment_edit(comment=posted, user=alice, body="ควรมีสถานีตรวจวัดทุกอำเภอและทุกตำบล")
    comment_set_status(comment=posted, status="hidden", reason="off_topic")
    position_set(consultation=consultation, user=bob, value="support")
    kinds = list(Entry.objects.order_by("index").values_list("index", "kind"))
    assert kinds == [
        (0, "comment.created"),
        (1, "vote.cast"),
        (2, "comment.edited"),
        (3, "comment.status"),
        (4, "position.set"),
    ]
    status = json.loads(EntryContent.objects.get(entry_id=3).canonical)
    assert (status["status"], status["reason"]) == ("hidden", "off_topic")
    assert check_records() == []


def test_a_rolled_back_write_leaves_no_entry(alice, consultation):
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_create(consultation=consultation, author=alice, body="จะถูกยกเลิก")
        raise RuntimeError("the request failed after the write")
    assert not Comment.objects.exists()
    assert not Entry.objects.exists()
    assert selectors.tree_size() == 0
    comment_create(consultation=consultation, author=alice, body="ครั้งนี้บันทึกจริง")
    assert list(Entry.objects.values_list("index", flat=True)) == [0]


def test_votes_are_recorded_under_a_pseudonym_per_consultation(alice, bob, make_consultation):
    first, second = make_consultation("open"), make_consultation("open")
    a = comment_create(consultation=first, author=alice, body="หนึ่ง")
    b = comment_create(consultation=second, author=alice, body="สอง")
    vote_cast(comment=a, user=bob, value=1)
    vote_cast(comment=b, user=bob, value=-1)
    votes = [json.loads(c.canonical) for c in EntryContent.objects.filter(entry__kind="vote.cast")]
    assert votes[0]["participant"] != votes[1]["participant"]
    assert set(votes[0]) == {"comment", "participant", "value"}  # no account id
    assert bob.pk not in (votes[0]["participant"], votes[1]["participant"])


def test_receipt_verifies_against_the_signed_checkpoint(posted, alice, client):
    pending = selectors.receipt(index=0, viewer=alice)
    assert pending["checkpoint"] is None
    assert verify.check_receipt(pending, verifier()) is None  # entry and content check out
    checkpoint = services.checkpoint_sign()
    assert checkpoint.size == 2
    assert services.checkpoint_sign() == checkpoint  # nothing new: no new checkpoint
    client.force_login(alice)
    data = json.loads(client.get("/records/receipt/0.json").content)
    assert data["content"]["body"] == "ควรมีสถานีตรวจวัดทุกอำเภอ"
    assert verify.check_receipt(data, verifier()).size == 2
    data["content"]["body"] = "ควรมีสถานีตรวจวัดบางอำเภอ"
    with pytest.raises(verify.VerificationError, match="entry 0"):
        verify.check_receipt(data, verifier())


def test_consistency_between_checkpoints(make_user, consultation, client):
    people = [make_user(f"p{i}") for i in range(7)]
    for i in range(3):
        comment_create(consultation=consultation, author=people[i], body=f"ข้อ {i}")
    old = services.checkpoint_sign()
    for i in range(3, 7):
        comment_create(consultation=consultation, author=people[i], body=f"ข้อเพิ่ม {i}")
    new = services.checkpoint_sign()
    response = client.get(f"/records/proof/consistency?first={old.size}&second={new.size}")
    proof = response.json()["proof"]
    verify.check_consistency(old.note, new.note, proof, verifier())
    assert client.get("/records/checkpoint").content.decode() == new.note
    assert client.get(f"/records/checkpoint/{old.size}").content.decode() == old.note
    inclusion = client.get(f"/records/proof/inclusion?index=1&size={new.size}").json()
    leaf = bytes(Entry.objects.get(index=1).leaf_hash)
    verify.verify_inclusion(
        leaf, 1, new.size, [base64.b64decode(p) for p in inclusion["proof"]], new.root
    )


@pytest.mark.parametrize(
    "query",
    ["index=abc", "index=5&size=2", "index=-1", "", "index=0&size=99999999999999999999"],
)
def test_bad_proof_requests_get_a_clear_error(posted, client, query):
    services.checkpoint_sign()
    response = client.get(f"/records/proof/inclusion?{query}")
    assert response.status_code == 400
    assert response.json()["error"]
    assert client.get("/records/proof/consistency?first=2&second=1").status_code == 400
    assert client.get("/records/entries?start=x").status_code == 400


def test_closing_a_consultation_signs_a_checkpoint_covering_it(
    make_staff, consultation, alice, django_capture_on_commit_callbacks
):
    from topics.services import consultation_close

    editor = make_staff("editor", "editor")
    comment_create(consultation=consultation, author=alice, body="ก่อนปิด")
    with django_capture_on_commit_callbacks(execute=True):
        consultation_close(actor=editor, consultation=consultation, reason="ครบกำหนด")
    last = Entry.objects.order_by("-index").first()
    assert last.kind == "consultation.closed"
    covering = selectors.checkpoint_covering(consultation=consultation)
    assert covering is not None and covering.size == last.index + 1
    assert Checkpoint.objects.count() == 1


def test_public_contents_hide_what_is_not_public(alice, consultation, client):
    shown = comment_create(consultation=consultation, author=alice, body="เผยแพร่")
    held = comment_create(consultation=consultation, author=alice, body="รอตรวจ")
    comment_set_status(comment=held, status="pending", reason="held")
    lines = client.get("/records/contents").content.decode().splitlines()
    items = {json.loads(x)["index"]: json.loads(x) for x in lines}
    assert items[0]["content"]["body"] == shown.body
    assert 1 not in items  # the held comment's text is not public
    assert 2 in items  # the status change is
    assert "รอตรวจ" not in client.get("/records/receipt/1/").content.decode()


def test_my_receipts_and_the_receipt_page(posted, alice, bob, client):
    services.checkpoint_sign()
    client.force_login(bob)
    page = client.get("/records/mine/").content.decode()
    assert "vote.cast" in page and "comment.created" not in page
    response = client.get(f"/records/mine/vote/{posted.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/records/receipt/1/")
    assert client.get(f"/records/mine/comment/{posted.pk}/").status_code == 404  # not bob's
    client.force_login(alice)
    response = client.get(f"/records/mine/comment/{posted.pk}/", follow=True)
    assert response.status_code == 200
    assert 'href="/records/receipt/0.json"' in response.content.decode()
    assert posted.body in response.content.decode()  # the author sees the content and salt


def test_the_public_page_checks_a_pasted_receipt(posted, alice, client):
    services.checkpoint_sign()
    receipt = json.dumps(selectors.receipt(index=0, viewer=alice), ensure_ascii=False)
    response = client.post("/records/", {"receipt": receipt})
    assert response.status_code == 200
    assert 'class="verified"' in response.content.decode()
    forged = receipt.replace("ควรมีสถานี", "ไม่ควรมีสถานี")
    response = client.post("/records/", {"receipt": forged})
    assert response.status_code == 400 and 'class="verified"' not in response.content.decode()
    response = client.post("/records/", {"receipt": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.content.decode()


def test_verify_records_command(posted):
    services.checkpoint_sign()
    call_command("verify_records")
    Comment.objects.filter(pk=posted.pk).update(body="ข้อความที่ถูกแก้")
    with pytest.raises(CommandError):
        call_command("verify_records")
