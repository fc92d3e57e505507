from django.core.management.base import BaseCommand

from search import backend, services


class Command(BaseCommand):
    help = "Rebuild the search index of every consultation and published comment."

    def handle(self, *args, **options) -> None:
        consultations, comments = services.reindex_all()
        self.stdout.write(
            f"indexed {consultations} consultations and {comments} comments "
            f"(engine: {backend.engine()})"
        )
