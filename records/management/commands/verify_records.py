from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from records import selectors


class Command(BaseCommand):
    help = "Check the whole public record from the database (exits 1 naming each problem)."

    def handle(self, *args, **options) -> None:
        problems = 0
        for problem in selectors.check_all():
            problems += 1
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"the public record does not verify ({problems} problem(s))")
        self.stdout.write(
            f"OK: {selectors.tree_size()} entries re-derived; every checkpoint and content checks out"
        )
