"""python manage.py analyze SLUG [--json PATH] [--themes N] [--min-votes N] [--seed N]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.documents import run_document
from analytics.services import analyze_now
from consult.errors import ServiceError
from topics.models import Consultation


class Command(BaseCommand):
    help = (
        "Analyse a consultation now: campaigns, themes and opinion groups. The run is stored "
        "(see the analysis dashboard) and, with --json, written to a file ('-' for stdout)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--json", dest="json_path", metavar="PATH")
        parser.add_argument("--themes", type=int, default=None, help="number of themes")
        parser.add_argument("--min-votes", type=int, default=None, help="votes to be grouped")
        parser.add_argument("--seed", type=int, default=0)

    def handle(
        self,
        *args,
        slug: str,
        json_path: str | None,
        themes: int | None,
        min_votes: int | None,
        seed: int,
        **options,
    ) -> None:
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"No consultation with the slug {slug!r}.")
        try:
            run = analyze_now(
                consultation=consultation, n_themes=themes, min_votes=min_votes, seed=seed
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        document = run_document(run)
        if json_path:
            text = json.dumps(document, ensure_ascii=False, indent=1)
            if json_path == "-":
                self.stdout.write(text)
            else:
                Path(json_path).write_text(text + "\n", encoding="utf-8")
        opinion = document["opinion_groups"]
        timings = ", ".join(f"{k} {v:.2f}s" for k, v in run.params.get("timings", {}).items())
        message = (
            f"Run {run.pk} of {slug}: {run.n_comments} comments, "
            f"{len(document['themes'])} themes ({len(document['unassigned_ids'])} unassigned), "
            f"{len(document['campaigns'])} campaigns, {len(opinion['groups'])} opinion groups "
            f"of {len(opinion['participants'])} participants. [{timings}]"
        )
        (self.stderr if json_path == "-" else self.stdout).write(message)
