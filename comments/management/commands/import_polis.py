"""python manage.py import_polis DIR [--slug S] [--agency SLUG] [--title T]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from comments.polis_export import PolisExportError, read_polis_export
from comments.services import import_polis_conversation
from consult.errors import ServiceError
from topics.models import Agency


def polis_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        slug="polis",
        defaults={"name_th": "บทสนทนา Polis (นำเข้า)", "name_en": "Polis conversations (imported)"},
    )
    return agency


class Command(BaseCommand):
    help = "Import a Polis export folder (comments.csv + votes.csv or participants-votes.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--slug", help="slug of the new consultation (default: folder name)")
        parser.add_argument("--agency", help="slug of an existing agency (default: 'polis')")
        parser.add_argument("--title", default="", help="title (default: the export's topic)")

    def handle(
        self, *args, directory: Path, slug: str | None, agency: str | None, title: str, **opts
    ) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a folder")
        try:
            export = read_polis_export(directory)
        except PolisExportError as exc:
            raise CommandError(f"Nothing imported. {directory}/{exc}") from exc
        slug = slug or slugify(directory.name.replace(".", "-"))[:120]
        if agency:
            owner = Agency.objects.filter(slug=agency).first()
            if owner is None:
                raise CommandError(f"Nothing imported. No agency with the slug {agency!r}.")
        else:
            owner = polis_agency()
        try:
            consultation = import_polis_conversation(
                export=export, slug=slug, agency=owner, title=title
            )
        except ServiceError as exc:
            raise CommandError(f"Nothing imported. {exc.message}") from exc
        for notice in export.notices:
            self.stdout.write(f"Note: {notice}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {slug}: {len(export.comments)} comments, {len(export.votes)} votes "
                f"({consultation.get_absolute_url()})"
            )
        )
