"""Background work for accounts (the ``django.tasks`` API)."""

from __future__ import annotations

from django_tasks import task

from accounts.services import purge_expired


@task()
def purge_personal_data() -> dict[str, int]:
    """Erase IP addresses and audit entries past their retention (run daily)."""
    return purge_expired()
