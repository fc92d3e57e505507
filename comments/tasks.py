"""Background work for comments (the ``django.tasks`` API; database backend by default)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from comments.models import LiveEvent


@task()
def prune_live_events() -> int:
    """Forget live events older than ``LIVE_EVENTS_KEEP_DAYS``: a page that old is told to
    reload (its catch-up finds a gap), so nothing a page needs is lost."""
    cutoff = timezone.now() - timedelta(days=settings.LIVE_EVENTS_KEEP_DAYS)
    deleted, _ = LiveEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
