"""Scanned attachments are kept outside the public media: no URL serves them except the
workspace view that checks the agency's staff permission."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        root = getattr(settings, "PRIVATE_FILES_ROOT", None) or settings.VAR_DIR / "private"
        self._wrapped = FileSystemStorage(location=str(root), base_url=None)


private_storage = _PrivateStorage()
