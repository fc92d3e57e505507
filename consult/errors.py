"""The error every service raises for input it refuses: a clear message, nothing changed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.field = field


class Refused(PermissionDenied):
    """A 403 that says why and where to go instead (links shown on the 403 page)."""

    def __init__(self, message: str, *, links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.links = links or []
