"""Background work for moderation (the ``django.tasks`` API; database backend by default)."""

from __future__ import annotations

from django_tasks import task

from moderation.services import originals_purge


@task()
def purge_originals() -> int:
    """Erase unmasked originals whose retention has passed (schedule it daily)."""
    return originals_purge()
