"""Ports for servers tests start: from ``TEST_PORTS`` (e.g. "8135-8139"; Redis servers from
``TEST_REDIS_PORTS``) when set, else free ones the system picks."""

from __future__ import annotations

import os
import socket


def free_ports(n: int, *, redis: bool = False) -> list[int]:
    wanted = os.environ.get("TEST_REDIS_PORTS" if redis else "TEST_PORTS", "")
    candidates: list[int] = []
    if wanted:
        low, _sep, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    ports: list[int] = []
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == n:
            return ports
    if wanted:
        raise RuntimeError(f"not enough free ports in TEST_PORTS={wanted}")
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()
