"""The hub's frames: RFC 6455 text frames a server sends (unmasked, one frame per message)."""

from __future__ import annotations

import struct

import pytest

from comments import wire


def parse(data: bytes) -> tuple[str, bytes]:
    """(text, rest) of one server-to-client frame, checked as a client would check it."""
    first, second = data[0], data[1]
    assert first == 0x81, "FIN set, no extension bits, opcode 1 (text)"
    assert not second & 0x80, "a server's frames are not masked"
    n, at = second & 0x7F, 2
    if n == 126:
        (n,), at = struct.unpack("!H", data[2:4]), 4
        assert n >= 126, "the shortest length form is used"
    elif n == 127:
        (n,), at = struct.unpack("!Q", data[2:10]), 10
        assert n >= 1 << 16, "the shortest length form is used"
    return data[at : at + n].decode("utf-8"), data[at + n :]


def test_the_rfc_6455_example_of_an_unmasked_text_frame():
    # RFC 6455, section 5.7: 'A single-frame unmasked text message' containing "Hello".
    assert wire.frame("Hello") == bytes([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])


def test_the_rfc_6455_length_forms():
    # RFC 6455, section 5.7: a 256-byte message has the 16-bit length 0x7E 0x0100, a 64 KiB
    # message the 64-bit one 0x7F 0x0000000000010000 (the examples are binary; the length
    # encoding is the same for text).
    assert wire.frame("a" * 256)[:4] == bytes([0x81, 0x7E, 0x01, 0x00])
    assert wire.frame("a" * 65536)[:10] == bytes([0x81, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70000])
def test_every_length_round_trips_in_thai(size):
    text = ("ก" * size)[:size]  # three bytes a character in UTF-8
    data = wire.frame(text)
    got, rest = parse(data)
    assert got == text and rest == b""


def test_frames_written_one_after_another_read_back_in_order():
    texts = ['{"seq": 1}', "x" * 300, "ความคิดเห็น" * 9000]
    stream = b"".join(wire.frame(t) for t in texts)
    out = []
    while stream:
        text, stream = parse(stream)
        out.append(text)
    assert out == texts


def test_only_daphne_protocols_are_written_to_directly():
    import functools

    from daphne.ws_protocol import WebSocketProtocol

    async def handle_reply(protocol, message):  # the shape of Daphne's send
        pass

    protocol = WebSocketProtocol()
    assert wire.daphne_protocol(functools.partial(handle_reply, protocol)) is protocol
    assert wire.daphne_protocol(functools.partial(handle_reply, object())) is None
    assert wire.daphne_protocol(handle_reply) is None  # e.g. the test communicator's send
    # Not open yet (the handshake is not done): the ordinary path.
    assert not wire.writable(protocol)
