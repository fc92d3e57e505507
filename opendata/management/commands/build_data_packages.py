"""python manage.py build_data_packages [--out DIR] [--slug S ...]

Writes every published consultation's data package (``<slug>-data.zip``) and Polis layout
(``<slug>-polis.zip``), plus ``catalog.json``, into a folder: for mirrors and backups.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from opendata import catalog, package, polis


class Command(BaseCommand):
    help = "Build the open-data package of every published consultation into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("var/opendata"))
        parser.add_argument("--slug", action="append", default=[], help="only these (repeat)")
        parser.add_argument("--no-polis", action="store_true", help="skip the Polis layout")

    def handle(self, *args, out: Path, slug: list[str], no_polis: bool, **opts) -> None:
        out.mkdir(parents=True, exist_ok=True)
        done = []
        for consultation in package.published_consultations():
            if slug and consultation.slug not in slug:
                continue
            outputs = [(f"{consultation.slug}-data.zip", package.package_stream)]
            if not no_polis:
                outputs.append((f"{consultation.slug}-polis.zip", polis.polis_stream))
            for name, stream in outputs:
                partial = out / f".{name}.partial"
                with partial.open("wb") as handle:
                    for chunk in stream(consultation):
                        handle.write(chunk)
                os.replace(partial, out / name)  # a mirror never sees half a file
            done.append(consultation)
            self.stdout.write(f"{consultation.slug}: {out / outputs[0][0]}")
        (out / "catalog.json").write_text(
            json.dumps(catalog.dcat_catalog(done), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"Built {len(done)} package(s) in {out}"))
