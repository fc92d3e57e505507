"""Under Daphne the hub writes each event's frame straight to the connections: a plain
WebSocket client (as a browser reads the wire) gets whole, unmasked text frames, in order,
after the catch-up it asked for, for a short message (a vote count) and a long one (a Thai
comment card)."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from urllib.parse import urlsplit

import pytest

from comments import hub
from comments.models import VoteValue
from comments.selectors import live_position
from comments.services import comment_create, vote_cast
from consult.models import User
from topics.models import Consultation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


class RawSocket:
    def __init__(self, base_url: str, path: str) -> None:
        parts = urlsplit(base_url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: {base_url}\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head[:80]

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            assert chunk, "the server closed the connection"
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send(self, message: dict) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        assert len(payload) < 126
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def receive(self) -> dict:
        """The next text message; pings answered, every frame checked as a browser would."""
        while True:
            first, second = self._read(2)
            assert first & 0x80 and not first & 0x70, "one final frame, no extension bits"
            assert not second & 0x80, "a server's frames are not masked"
            n = second & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read(8))
            payload = self._read(n)
            opcode = first & 0x0F
            if opcode == 0x9:  # ping: answer, as a browser does
                mask = os.urandom(4)
                pong = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + pong)
                continue
            assert opcode == 0x1, f"a text frame, not opcode {opcode}"
            return json.loads(payload.decode("utf-8"))

    def close(self) -> None:
        self.sock.close()


async def _wired(consultation_id: int) -> list[bool]:
    return [conn.wire is not None for conn in hub.get_hub().watchers.get(consultation_id, {})]


def test_events_reach_a_plain_websocket_client_whole_and_in_order(
    asgi_server, browser, live_url: str, consultation: Consultation, alice: User, bob: User
):
    seq = live_position(consultation.pk)
    ws = RawSocket(live_url, f"/ws/consultations/{consultation.pk}/?lang=th")
    try:
        ws.send({"type": "sync", "seq": seq, "ids": []})
        assert ws.receive()["op"] == "batch"
        deadline = time.monotonic() + 10
        while asgi_server.call_on_loop(_wired(consultation.pk)) != [True]:
            assert time.monotonic() < deadline, "the connection did not join the hub"
            time.sleep(0.05)

        body = (  # a card of a few kilobytes
            "ควรเพิ่มจุดตรวจวัดคุณภาพอากาศในทุกอำเภอ และเผยแพร่ค่าฝุ่นทุกชั่วโมงให้ประชาชนรู้ "
            "โรงเรียนและโรงพยาบาลควรได้รับแจ้งเตือนก่อนเมื่อค่าฝุ่นเกินมาตรฐาน"
        )
        comments = [
            comment_create(consultation=consultation, author=alice, body=f"ข้อ {i}: {body}")
            for i in range(3)
        ]
        assert all(c.status == "published" for c in comments)
        vote_cast(comment=comments[0], user=bob, value=VoteValue.AGREE)
        got: list[dict] = []
        counts = None
        deadline = time.monotonic() + 15
        while (len(got) < 3 or counts is None) and time.monotonic() < deadline:
            message = ws.receive()
            if message["type"] == "comment" and message["op"] == "created":
                got.append(message)
            elif message["type"] == "votes":
                counts = message["counts"]
        assert [m["id"] for m in got] == [c.pk for c in comments]
        assert [m["seq"] for m in got] == [seq + 1, seq + 2, seq + 3]
        assert all("ควรเพิ่มจุดตรวจวัดคุณภาพอากาศ" in m["html"] for m in got)
        assert len(got[0]["html"].encode()) > 126  # the 16-bit length form
        assert counts is not None and str(comments[0].pk) in json.dumps(counts)
    finally:
        ws.close()
