"""The error every service raises for input it refuses: a clear message, nothing changed."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.field = field
