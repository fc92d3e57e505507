"""Two moderators claim (and decide) the same item at the same moment: exactly one gets it.
Measured on PostgreSQL, where the two claims really run at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from comments.models import Status
from comments.services import comment_create
from consult.errors import ServiceError
from moderation import services
from moderation.models import Action, LogEntry, QueueItem

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(i, fn) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # reported in results
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def held_item(alice, consultation) -> QueueItem:
    comment = comment_create(consultation=consultation, author=alice, body="ไอ้ควาย รัฐบาลโง่")
    assert comment.status == Status.PENDING
    return QueueItem.objects.get(comment=comment)


@pytest.mark.parametrize("round_", range(5))
def test_two_moderators_claim_at_once_exactly_one_gets_it(
    postgres_only, make_staff, alice, consultation, round_
):
    mods = [make_staff("m1", "moderator"), make_staff("m2", "moderator", platform=True)]
    item = held_item(alice, consultation)
    results = run_at_once([lambda m=m: services.queue_claim(item=item, moderator=m) for m in mods])
    assert sorted(results) == [False, True], results
    item.refresh_from_db()
    assert item.claimed_by == mods[results.index(True)]


def test_two_moderators_decide_at_once_exactly_one_decision(
    postgres_only, make_staff, alice, consultation
):
    mods = [make_staff("m1", "moderator"), make_staff("m2", "moderator", platform=True)]
    item = held_item(alice, consultation)
    actions = [Action.APPROVE, Action.HIDE]
    results = run_at_once(
        [
            lambda m=m, a=a: services.decision_record(
                comment=item.comment,
                moderator=m,
                action=a,
                reason="abuse",
                note="หยาบคาย",
                item=item,
            )
            for m, a in zip(mods, actions, strict=True)
        ]
    )
    errors = [r for r in results if isinstance(r, ServiceError)]
    assert len(errors) == 1, results
    assert LogEntry.objects.filter(comment=item.comment, action__in=actions).count() == 1
