import threading

import pytest
from django.db import connection

from comments.models import Vote
from comments.services import comment_create, comment_set_status, divisiveness, vote_cast
from consult.errors import ServiceError


@pytest.fixture
def comment(alice, consultation):
    return comment_create(consultation=consultation, author=alice, body="ควรมีสถานีตรวจวัดทุกอำเภอ")


def test_one_vote_per_person_and_it_can_change(comment, bob):
    vote_cast(comment=comment, user=bob, value=1)
    c = vote_cast(comment=comment, user=bob, value=1)
    assert (c.agree_count, c.disagree_count, c.pass_count) == (1, 0, 0)
    c = vote_cast(comment=comment, user=bob, value=-1)
    assert (c.agree_count, c.disagree_count, c.pass_count) == (0, 1, 0)
    c = vote_cast(comment=comment, user=bob, value=0)
    assert (c.agree_count, c.disagree_count, c.pass_count) == (0, 0, 1)
    assert Vote.objects.filter(comment=comment).count() == 1


def test_counts_match_the_votes(comment, make_user):
    people = [make_user(f"p{i}") for i in range(9)]
    for i, person in enumerate(people):
        vote_cast(comment=comment, user=person, value=[1, -1, 0][i % 3])
    comment.refresh_from_db()
    assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (3, 3, 3)
    assert comment.divisiveness == divisiveness(3, 3) > divisiveness(6, 0)


def test_bad_value_is_refused(comment, bob):
    with pytest.raises(ServiceError):
        vote_cast(comment=comment, user=bob, value=2)
    assert not Vote.objects.exists()


def test_no_votes_on_hidden_comments_or_closed_consultations(
    comment, bob, make_consultation, alice
):
    comment_set_status(comment=comment, status="hidden")
    with pytest.raises(ServiceError):
        vote_cast(comment=comment, user=bob, value=1)
    closed = make_consultation("closed")
    old = comment_create(consultation=closed, author=None, body="old", channel="offline")
    with pytest.raises(ServiceError):
        vote_cast(comment=old, user=bob, value=1)
    assert not Vote.objects.exists()


def test_vote_endpoint_without_javascript_redirects_back(client, comment, bob):
    client.force_login(bob)
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "1"})
    assert response.status_code == 302 and response.url.endswith(f"#c{comment.pk}")
    comment.refresh_from_db()
    assert comment.agree_count == 1


def test_vote_endpoint_refuses_offsite_redirects(client, comment, bob):
    client.force_login(bob)
    response = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "1", "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.url


def test_vote_endpoint_answers_json(client, comment, bob):
    client.force_login(bob)
    response = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "-1"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {
        "ok": True,
        "id": comment.pk,
        "value": -1,
        "counts": {"agree": 0, "disagree": 1, "pass": 0},
    }
    response = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "x"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400 and response.json()["ok"] is False


def test_unverified_and_anonymous_people_cannot_vote(client, comment, carol):
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(carol)
    client.post(f"/comments/{comment.pk}/vote/", {"value": "1"})
    assert not Vote.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_end_with_exact_counts(postgres_only, alice, consultation, make_user):
    comment = comment_create(consultation=consultation, author=alice, body="Hot take")
    voters = [make_user(f"voter{i}") for i in range(40)]
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def storm(chunk):
        try:
            barrier.wait()
            for person, value in chunk:
                vote_cast(comment=comment, user=person, value=value)
                # change of mind: every voter flips once, the counts must follow
                vote_cast(comment=comment, user=person, value=-value if value else 1)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    plan = [(v, [1, -1, 0][i % 3]) for i, v in enumerate(voters)]
    threads = [threading.Thread(target=storm, args=(plan[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    comment.refresh_from_db()
    final = {1: 0, -1: 0, 0: 0}
    for _person, value in plan:
        final[-value if value else 1] += 1
    assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (
        final[1],
        final[-1],
        final[0],
    )
    assert Vote.objects.filter(comment=comment).count() == 40
