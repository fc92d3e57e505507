"""Scanned attachments are kept outside the public media: no URL serves them except the
workspace view that checks the agency's staff permission."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_FILES_ROOT`` (default ``VAR_DIR/private``), without a URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # read each time: tests and deployments may change it
        return str(getattr(settings, "PRIVATE_FILES_ROOT", None) or settings.VAR_DIR / "private")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def deconstruct(self):  # noqa: ANN201 - Django's signature
        return ("submissions.storage.PrivateStorage", (), {})


private_storage = PrivateStorage()
