"""python manage.py import_comments FILE --consultation SLUG [--create --title TITLE] [--agency A]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.importing import ImportFileError, read_comment_file
from analytics.services import comments_import
from consult.errors import ServiceError
from topics.models import Consultation


class Command(BaseCommand):
    help = (
        "Import comments from a CSV file with a header or a JSON Lines file. Column 'text' is "
        "required; 'external_id', 'author', 'stance', 'section' and 'created' are optional. "
        "All or nothing: any bad line stops the import and nothing is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--consultation", required=True, metavar="SLUG")
        parser.add_argument(
            "--create", action="store_true", help="create the consultation (as a draft)"
        )
        parser.add_argument("--title", default="", help="title of the new consultation")
        parser.add_argument("--agency", default="", help="agency slug of the new consultation")

    def handle(
        self,
        *args,
        file: Path,
        consultation: str,
        create: bool,
        title: str,
        agency: str,
        **options,
    ) -> None:
        target = Consultation.objects.filter(slug=consultation).first()
        if target is None and not create:
            raise CommandError(
                f"Nothing imported. No consultation {consultation!r} (add --create --title ...)."
            )
        if target is not None and create:
            raise CommandError(f"Nothing imported. The consultation {consultation!r} exists.")
        try:
            rows = read_comment_file(file)
        except ImportFileError as exc:
            where = f"{file}, line {exc.line}" if exc.line else str(file)
            raise CommandError(f"Nothing imported. {where}: {exc.reason}") from exc
        try:
            target, comments = comments_import(
                consultation=target,
                rows=rows,
                create_slug=consultation,
                create_title=title,
                agency_slug=agency,
            )
        except ServiceError as exc:
            raise CommandError(f"Nothing imported. {file}: {exc.message}") from exc
        published = sum(1 for c in comments if c.status == "published")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(comments)} comments into {target.slug} "
                f"({published} published, {len(comments) - published} held by screening)."
            )
        )
