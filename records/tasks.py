"""Background work for the public record (the ``django.tasks`` API)."""

from __future__ import annotations

from django_tasks import task

from records.services import checkpoint_sign


@task()
def sign_checkpoint() -> int:
    """Sign a checkpoint when the log grew since the last one (registered as periodic)."""
    checkpoint = checkpoint_sign()
    return checkpoint.size if checkpoint else 0
