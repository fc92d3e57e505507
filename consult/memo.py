"""Facts about the person making a request, worked out once per request.

A page asks "may this person comment / vote / take a position / answer?" several times, and
each answer needs the same few facts (assurance level, suspension, consent). Inside a request
the first answer is kept; outside one (commands, tests calling a function directly) nothing
is kept. A service that changes one of these facts calls ``forget``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_store: ContextVar[dict[Hashable, object] | None] = ContextVar("request_memo", default=None)


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]  # type: ignore[return-value]


def forget() -> None:
    store = _store.get()
    if store is not None:
        store.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
