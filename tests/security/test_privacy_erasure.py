"""Privacy: deleting an account erases the unmasked originals and earlier versions of the
person's comments; citizen ID numbers are never kept, not even in the original moderators see;
the retention purges run as periodic jobs; moderators do not see authors' e-mail addresses;
deleting the account and downloading one's data need a recent sign-in."""

from __future__ import annotations

from django.test import Client

from comments.models import Comment, CommentRevision
from comments.services import comment_create, comment_edit
from consult import periodic
from moderation.models import Screening

PHONE_TEXT = "ติดต่อผมที่ 081-234-5678 เรื่องฝุ่นควัน"


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


CID = with_check_digit("110370023456")


def test_account_deletion_erases_originals_and_revisions(client, alice, consultation):
    comment = comment_create(consultation=consultation, author=alice, body=PHONE_TEXT)
    assert "081-234-5678" in Screening.objects.get(comment=comment).original_text
    comment_edit(comment=comment, user=alice, body="ฉบับแก้: ฝุ่นควันจากไร่อ้อย 081-234-5678")
    assert CommentRevision.objects.filter(comment=comment).exists()
    client.force_login(alice)
    response = client.post("/me/delete/", {"comments": "keep", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/", response["Location"]
    assert not CommentRevision.objects.filter(comment=comment).exists()
    screening = Screening.objects.get(comment=comment)
    assert screening.original_text == "" and screening.purged_at is not None
    assert "081-234-5678" not in Comment.objects.get(pk=comment.pk).body


def test_citizen_ids_are_not_kept_in_the_original(alice, consultation):
    comment = comment_create(
        consultation=consultation,
        author=alice,
        body=f"เลขบัตรผม {CID} โทร 081-234-5678",
    )
    original = Screening.objects.get(comment=comment).original_text
    assert CID not in original and "[ID •••]" in original
    assert "081-234-5678" in original  # phone numbers stay for moderators until retention ends
    only_id = comment_create(consultation=consultation, author=alice, body=f"เลขบัตร {CID}")
    screening = Screening.objects.get(comment=only_id)
    assert CID not in screening.original_text


def test_retention_purges_are_periodic_jobs():
    names = {job.name for job in periodic.jobs()}
    assert {"moderation.purge_originals", "accounts.purge_personal_data"} <= names


def test_the_purge_jobs_run_from_the_worker(db, settings):
    from django_tasks_db.models import DBTaskResult

    enqueued = periodic.enqueue_due()
    assert {"moderation.purge_originals", "accounts.purge_personal_data"} <= set(enqueued)
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "accounts.tasks.purge_personal_data" in paths
    assert "moderation.tasks.purge_originals" in paths


def test_moderators_do_not_see_authors_email(client, alice, make_staff, consultation):
    comment = comment_create(consultation=consultation, author=alice, body="ความเห็นธรรมดา")
    client.force_login(make_staff("mod", "moderator", platform=True))
    page = client.get(f"/moderation/comments/{comment.pk}/").content.decode()
    assert alice.display_name in page
    assert alice.email not in page


def _stale_sign_in(user) -> Client:
    """Signed in an hour ago: allauth's records say so."""
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**r, "at": time.time() - 3600} for r in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()
    return client


def test_delete_and_download_need_a_recent_sign_in(alice):
    client = _stale_sign_in(alice)
    response = client.get("/me/data/download/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    response = client.post("/me/delete/", {"comments": "keep", "confirm": "on"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    alice.refresh_from_db()  # still there
    response = client.post(
        "/accounts/reauthenticate/", {"password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get("/me/data/download/").status_code == 200
