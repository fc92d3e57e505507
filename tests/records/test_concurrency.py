"""Concurrent posts on PostgreSQL: one gapless, consistent log."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from comments.services import comment_create
from records import selectors, services
from records.models import Entry


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_posts_give_a_gapless_consistent_log(postgres_only, make_user, consultation):
    people = [make_user(f"writer{i}") for i in range(12)]
    barrier = threading.Barrier(12)
    errors: list[BaseException] = []

    def write(person) -> None:
        try:
            barrier.wait()
            for n in range(4):
                comment_create(consultation=consultation, author=person, body=f"{person.pk}-{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(Entry.objects.values_list("index", flat=True)) == list(range(48))
    services.checkpoint_sign()
    assert list(selectors.check_all()) == []
