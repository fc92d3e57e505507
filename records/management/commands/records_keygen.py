from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from records.services import new_signing_key


class Command(BaseCommand):
    help = "Make a new Ed25519 key for signing the public record's checkpoints."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", help="write it to this file (mode 600) instead of stdout")

    def handle(self, *args, out: str | None = None, **options) -> None:
        key = new_signing_key()
        if out:
            path = Path(out)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(key + "\n")
            self.stdout.write(f"Wrote a new signing key to {path}")
        else:
            self.stdout.write(key)
