"""PDPA erasure: the salt and content go, the log and earlier receipts still verify."""

from __future__ import annotations

import json

from comments.models import Comment
from comments.services import comment_create, vote_cast
from records import selectors, services, verify
from records.models import EntryContent


def test_account_deletion_erases_content_but_receipts_still_verify(
    alice, bob, make_consultation, client
):
    from accounts.services import account_delete

    consultation = make_consultation("open", legal_basis="consent")
    comment = comment_create(consultation=consultation, author=alice, body="ชื่อฉันคือสมชาย")
    other = comment_create(consultation=consultation, author=bob, body="ความเห็นของบ๊อบ")
    vote_cast(comment=other, user=alice, value=-1)
    services.checkpoint_sign()
    receipts = {i: selectors.receipt(index=i, viewer=alice) for i in (0, 2)}
    assert receipts[0]["content"]["body"] == "ชื่อฉันคือสมชาย"

    account_delete(user=alice, remove_comments=True)

    assert Comment.objects.get(pk=comment.pk).body == ""
    assert not EntryContent.objects.filter(entry_id__in=[0, 2]).exists()  # salt + content gone
    assert EntryContent.objects.filter(entry_id=1).exists()  # bob's comment is untouched
    assert "สมชาย" not in json.dumps([c.canonical for c in EntryContent.objects.all()])
    assert "สมชาย" not in client.get("/records/contents").content.decode()
    assert list(selectors.check_all()) == []  # the log still verifies
    verifier = verify.Verifier.parse(services.verifier_key_line())
    for receipt in receipts.values():  # what alice downloaded before still proves her entries
        assert verify.check_receipt(receipt, verifier).size == 3
    after = selectors.receipt(index=0)
    assert after["content_erased"] and after["content"] is None
    assert verify.check_receipt(after, verifier).size == 3


def test_kept_comments_keep_their_content_but_lose_the_link_to_the_person(alice, consultation):
    from accounts.services import account_delete

    comment_create(consultation=consultation, author=alice, body="ความเห็นตามกฎหมาย")
    account_delete(user=alice, remove_comments=True)  # legal duty: the comment stays
    content = EntryContent.objects.get(entry_id=0)
    assert json.loads(content.canonical)["body"] == "ความเห็นตามกฎหมาย"
    assert content.user_id is None
    assert list(selectors.check_all()) == []


def test_purged_originals_take_unpublished_text_out_of_the_record(alice, consultation):
    from comments.services import comment_set_status
    from consult import signals
    from moderation.models import Screening

    held = comment_create(consultation=consultation, author=alice, body="รอตรวจสอบ")
    comment_set_status(comment=held, status="pending", reason="personal_data")
    signals.originals_purged.send(sender=Screening, comment_ids=[held.pk])
    assert not EntryContent.objects.filter(entry_id=0).exists()
    assert EntryContent.objects.filter(entry_id=1).exists()  # the status change stays
    assert list(selectors.check_all()) == []
