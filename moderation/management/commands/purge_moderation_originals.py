"""Erase the unmasked originals (personal data) of comments whose retention has passed.

Run it daily (cron, or the ``purge_originals`` task on the task queue)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from moderation.services import originals_purge


class Command(BaseCommand):
    help = "Erase unmasked originals of comments (personal data) after their retention time."

    def handle(self, *args, **options) -> None:
        n = originals_purge()
        if options["verbosity"]:
            self.stdout.write(f"Erased {n} original text(s).")
