"""python manage.py purge_personal_data — apply the retention settings (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.services import purge_expired


class Command(BaseCommand):
    help = "Erase IP addresses and audit entries older than their retention periods."

    def handle(self, *args, **options) -> None:
        result = purge_expired()
        self.stdout.write(
            f"IP addresses erased: {result['ip_addresses']}; "
            f"audit entries removed: {result['audit_entries']}"
        )
