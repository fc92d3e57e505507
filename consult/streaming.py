"""Responses streamed piece by piece, under ASGI too.

Under ASGI, Django collects a *synchronous* iterator of a ``StreamingHttpResponse`` into one
list before sending anything: a 100 MB data package would sit whole in memory and the client
would wait for the last byte to get the first. :func:`streaming_response` hands an ASGI
server an asynchronous iterator instead, which takes each piece from the synchronous one on
the request's own thread (where its database cursor lives), as the client reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse

_END = object()


async def _pieces(content: Iterable[Any]) -> AsyncIterator[Any]:
    iterator: Iterator[Any] = iter(content)
    step = sync_to_async(lambda: next(iterator, _END), thread_sensitive=True)
    try:
        while (piece := await step()) is not _END:
            yield piece
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:  # a generator left early (client gone): its cursor closes
            await sync_to_async(close, thread_sensitive=True)()


def streaming_response(
    request: HttpRequest, content: Iterable[Any], **kwargs: Any
) -> StreamingHttpResponse:
    """A ``StreamingHttpResponse`` of ``content`` that is streamed under ASGI as well."""
    if isinstance(request, ASGIRequest):
        return StreamingHttpResponse(_pieces(content), **kwargs)
    return StreamingHttpResponse(content, **kwargs)
