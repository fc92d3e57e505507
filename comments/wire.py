"""One event, many pages: the WebSocket frame is built once and written to each connection.

Under Daphne an ASGI ``websocket.send`` for one connection goes through the consumer, the
server's reply handler, Autobahn's framing and Twisted's buffer: tens of microseconds of
Python per message, times every open page. For the hub's messages (the same text to
hundreds of pages) the frame is built once per event and variant (``frame``) and written to
each connection's transport, when the server is Daphne, the connection is open, nothing of
it is queued, and no compression was negotiated. Anything else (another ASGI server, the
test communicator) takes the ordinary ASGI path; the two never reorder a connection's
messages (the consumer writes directly only when its own queue is empty).
"""

from __future__ import annotations

import functools
import struct
from typing import Any

SCOPE_KEY = "consult.wire"  # the Daphne protocol of the connection, put there by LoopRegistrar


def frame(text: str) -> bytes:
    """An unmasked, unfragmented RFC 6455 text frame (as a server sends) holding ``text``."""
    payload = text.encode("utf-8")
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x81, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x81, 126, n)
    else:
        head = struct.pack("!BBQ", 0x81, 127, n)
    return head + payload


def daphne_protocol(send: Any) -> Any | None:
    """The Daphne WebSocket protocol behind an ASGI ``send`` (``partial(handle_reply,
    protocol)``), or None for any other server."""
    if not isinstance(send, functools.partial) or not send.args:
        return None
    if getattr(send.func, "__name__", "") != "handle_reply":
        return None
    protocol = send.args[0]
    try:
        from daphne.ws_protocol import WebSocketProtocol
    except ImportError:  # pragma: no cover - Daphne is a pinned dependency
        return None
    return protocol if isinstance(protocol, WebSocketProtocol) else None


def writable(protocol: Any) -> bool:
    """Whether a frame may be written to ``protocol``'s transport now: open, nothing queued
    in Autobahn, no per-message compression."""
    return (
        getattr(protocol, "state", None) == protocol.STATE_OPEN
        and not protocol.send_queue
        and getattr(protocol, "_perMessageCompress", None) is None
        and protocol.transport is not None
    )
