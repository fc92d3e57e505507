"""Positions on the whole draft: one per person, changeable, counted exactly."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.db.models import Count

from accounts.services import account_delete
from consult.errors import ServiceError
from topics.models import Consultation, Position
from topics.services import position_set


def shown_counts(html: str) -> dict[str, int]:
    return {value: int(n) for value, n in re.findall(r'data-position-count="(\w+)">(\d+)<', html)}


def stored_counts(consultation: Consultation) -> dict[str, int]:
    consultation.refresh_from_db()
    return {
        "support": consultation.support_count,
        "oppose": consultation.oppose_count,
        "undecided": consultation.undecided_count,
    }


def counted_rows(consultation: Consultation) -> dict[str, int]:
    rows = dict(
        Position.objects.filter(consultation=consultation)
        .values_list("value")
        .annotate(n=Count("id"))
        .values_list("value", "n")
    )
    return {value: rows.get(value, 0) for value in ("support", "oppose", "undecided")}


def test_taking_changing_and_repeating_a_position(client, alice, bob, consultation):
    client.force_login(alice)
    client.post(f"/c/{consultation.slug}/position/", {"value": "support"})
    client.force_login(bob)
    client.post(f"/c/{consultation.slug}/position/", {"value": "support"})
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert shown_counts(page) == {"support": 2, "oppose": 0, "undecided": 0}

    # Bob changes his mind, then presses the same button again: one position, moved once.
    client.post(f"/c/{consultation.slug}/position/", {"value": "oppose"})
    client.post(f"/c/{consultation.slug}/position/", {"value": "oppose"})
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert shown_counts(page) == {"support": 1, "oppose": 1, "undecided": 0}
    assert 'value="oppose" aria-pressed="true"' in page
    assert Position.objects.filter(consultation=consultation).count() == 2


def test_json_answer_carries_the_new_counts(client, alice, consultation):
    client.force_login(alice)
    response = client.post(
        f"/c/{consultation.slug}/position/",
        {"value": "undecided"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json() == {
        "ok": True,
        "counts": {"support": 0, "oppose": 0, "undecided": 1},
    }


def test_a_refused_position_changes_no_count(alice, consultation, make_consultation):
    with pytest.raises(ServiceError):
        position_set(consultation=consultation, user=alice, value="maybe")
    closed = make_consultation("closed")
    with pytest.raises(ServiceError):
        position_set(consultation=closed, user=alice, value="support")
    assert stored_counts(consultation) == {"support": 0, "oppose": 0, "undecided": 0}
    assert stored_counts(closed) == {"support": 0, "oppose": 0, "undecided": 0}
    assert not Position.objects.exists()


def test_counts_stay_when_the_person_deletes_their_account(alice, bob, consultation):
    position_set(consultation=consultation, user=alice, value="oppose")
    position_set(consultation=consultation, user=bob, value="support")
    account_delete(user=alice, remove_comments=False)
    assert stored_counts(consultation) == {"support": 1, "oppose": 1, "undecided": 0}
    assert stored_counts(consultation) == counted_rows(consultation)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_positions_end_with_exact_counts(postgres_only, consultation, make_user):
    people = [make_user(f"person{i}") for i in range(30)]
    values = ["support", "oppose", "undecided"]
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def storm(chunk):
        try:
            barrier.wait()
            for i, person in chunk:
                position_set(consultation=consultation, user=person, value=values[i % 3])
                # each person changes their mind, and twice sends the same again
                position_set(consultation=consultation, user=person, value=values[(i + 1) % 3])
                position_set(consultation=consultation, user=person, value=values[(i + 1) % 3])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    plan = list(enumerate(people))
    # Each person's writes come from two threads at once too, racing on the first insert.
    threads = [threading.Thread(target=storm, args=(plan[i::5],)) for i in range(5)]
    threads += [threading.Thread(target=storm, args=(plan[i::5],)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Position.objects.filter(consultation=consultation).count() == 30
    assert stored_counts(consultation) == counted_rows(consultation)
    assert sum(stored_counts(consultation).values()) == 30
