"""Downloads are streamed under ASGI: a piece reaches the client before the next is made."""

from __future__ import annotations

import asyncio
import io

from django.core.handlers.asgi import ASGIRequest
from django.test import RequestFactory

from consult.streaming import streaming_response


def _asgi_request() -> ASGIRequest:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/data.zip",
        "query_string": b"",
        "headers": [],
        "server": ("testserver", 80),
    }
    return ASGIRequest(scope, io.BytesIO())


def test_pieces_are_made_as_the_client_reads_them_and_an_early_stop_closes_the_source():
    made: list[int] = []
    closed: list[bool] = []

    def source():
        try:
            for i in range(1000):
                made.append(i)
                yield b"x" * 1024
        finally:
            closed.append(True)

    response = streaming_response(_asgi_request(), source(), content_type="application/zip")
    assert response.is_async  # Django would otherwise collect every piece first

    async def read_three() -> int:
        got = 0
        stream = response.streaming_content
        async for _piece in stream:
            got += 1
            if got == 3:
                break
        await stream.aclose()
        return got

    assert asyncio.run(read_three()) == 3
    assert len(made) <= 4  # not the 1,000 pieces
    assert closed == [True]


def test_a_plain_request_keeps_the_synchronous_stream():
    response = streaming_response(RequestFactory().get("/"), iter([b"a", b"b"]))
    assert not response.is_async
    assert b"".join(response.streaming_content) == b"ab"
