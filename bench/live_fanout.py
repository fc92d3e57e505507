"""Live fan-out in the production shape: two Daphne processes sharing Redis and PostgreSQL.

1,000 WebSocket clients (half on each process) watch one open consultation while comments are
posted over HTTP (alternately to each process, each by another person) at 2 a second, then 10
a second. For every comment and client: the time from just before the POST is sent to the
moment the client has the comment (live, or through a catch-up the client asked for after a
gap or a "resync"), and the comments each client never got. Then 5,000 clients on one
process: connections held and resident memory per connection.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/live_fanout.py

Options: ``--clients`` (1000), ``--seconds`` per rate (30), ``--rates`` (2,10),
``--rss-clients`` (5000; 0 skips), ``--redis-port`` (16330; a redis-server started and stopped
here), ``--ports`` for the two processes and the memory one (8130,8131,8132).

The clients are a minimal RFC 6455 client in this process (one asyncio loop); they behave as
the page's script does: they ask for ``sync`` from the number the page was rendered at, ask
again after a gap in the numbers or a ``resync``, and answer pings. The machine is shared:
the load average is printed beside every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
TOKEN = re.compile(rb"\[b(\d+)\]")
SEQ = re.compile(rb'"seq": (\d+)')
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: Django's unmasked secret format


HEADER = (
    "| rate | posts | non-201 | POST answered p50 ms | clients | p50 ms | p99 ms | max ms "
    "| missed/client (mean) | max | gaps | resyncs | load 1/5/15 |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- a minimal WebSocket client ------------------------------------------------------------


class Socket:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int, path: str) -> Socket:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**22)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head[:80])
        return cls(reader, writer)

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(head + mask + masked)

    def send(self, message: dict) -> None:
        self._frame(0x1, json.dumps(message).encode())

    async def receive(self) -> bytes | None:
        """The next text message (pings answered on the way); ``None`` when closed."""
        parts: list[bytes] = []
        while True:
            b0, b1 = await self.reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack(">H", await self.reader.readexactly(2))
            elif n == 127:
                (n,) = struct.unpack(">Q", await self.reader.readexactly(8))
            payload = await self.reader.readexactly(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:
                self._frame(0xA, payload)
                continue
            if opcode == 0x8:
                return None
            if opcode in (0x1, 0x0):
                parts.append(payload)
                if b0 & 0x80:
                    return b"".join(parts)

    def close(self) -> None:
        self.writer.close()


class Client:
    """One open page: what it has received and when."""

    def __init__(self, port: int, consultation_id: int, seq: int) -> None:
        self.port, self.consultation_id, self.seq = port, consultation_id, seq
        self.arrived: dict[int, float] = {}
        self.resyncs = self.gaps = self.retries = 0
        self.syncing = False
        self.socket: Socket | None = None
        self.connected = asyncio.Event()

    def sync(self) -> None:
        if not self.syncing and self.socket is not None:
            self.syncing = True
            self.socket.send({"type": "sync", "seq": self.seq, "ids": []})

    async def run(self) -> None:
        for attempt in range(8):  # a busy server's listen queue may overflow: try again
            try:
                self.socket = await asyncio.wait_for(
                    Socket.open(self.port, f"/ws/consultations/{self.consultation_id}/?lang=th"),
                    15,
                )
                break
            except (ConnectionError, OSError, asyncio.IncompleteReadError, TimeoutError):
                self.retries += 1
                await asyncio.sleep(0.2 * 2**attempt)
        else:
            raise ConnectionError("could not connect")
        self.sync()
        self.connected.set()
        while True:
            data = await self.socket.receive()
            now = time.time()
            if data is None:
                return
            if data.startswith(b'{"type": "comment"'):
                m = TOKEN.search(data)
                if m:
                    self.arrived.setdefault(int(m.group(1)), now)
                seq = int(SEQ.search(data).group(1))
                if seq == self.seq + 1 and not self.syncing:
                    self.seq = seq
                elif seq > self.seq:
                    self.gaps += 1
                    self.sync()
            elif data.startswith(b'{"type": "sync"'):
                message = json.loads(data)
                if message["op"] == "batch":
                    for event in message["events"]:
                        m = TOKEN.search(event.get("html", "").encode())
                        if m:
                            self.arrived.setdefault(int(m.group(1)), now)
                    self.seq = max(self.seq, message["seq"])
                    self.syncing = False
                    if message["more"]:
                        self.sync()
                elif message["op"] == "resync":
                    self.resyncs += 1
                    self.syncing = False
                    self.sync()


async def open_clients(port_of, n: int, consultation_id: int, seq: int) -> tuple[list, list]:
    clients = [Client(port_of(i), consultation_id, seq) for i in range(n)]
    tasks = []
    gate = asyncio.Semaphore(25)

    async def start(client: Client) -> None:
        async with gate:
            task = asyncio.create_task(client.run())
            tasks.append(task)
            done = asyncio.create_task(client.connected.wait())
            await asyncio.wait([task, done], timeout=180, return_when=asyncio.FIRST_COMPLETED)
            done.cancel()

    await asyncio.gather(*(start(c) for c in clients))
    return clients, tasks


def client_process(conn, ports: list[int], n: int, consultation_id: int, seq: int) -> None:
    """A process holding ``n`` clients (the clients must not compete with the poster for one
    event loop): it answers ("report", lo, hi) with what its clients received."""

    async def serve() -> None:
        clients, tasks = await open_clients(
            lambda i: ports[i % len(ports)], n, consultation_id, seq
        )
        conn.send(("connected", sum(1 for t in tasks if not t.done())))
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command[0] == "report":
                lo, hi = command[1], command[2]
                conn.send(
                    (
                        [{k: v for k, v in c.arrived.items() if lo <= k < hi} for c in clients],
                        sum(c.gaps for c in clients),
                        sum(c.resyncs for c in clients),
                        sum(1 for t in tasks if not t.done()),
                    )
                )
            else:
                for c in clients:
                    if c.socket is not None:
                        c.socket.close()
                return

    asyncio.run(serve())


class Pool:
    """Clients spread over a few processes."""

    def __init__(self, processes: int, ports: list[int], n: int, cid: int, seq: int) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.pipes, self.procs = [], []
        for i in range(processes):
            here, there = ctx.Pipe()
            share = n // processes + (1 if i < n % processes else 0)
            proc = ctx.Process(
                target=client_process, args=(there, ports, share, cid, seq), daemon=True
            )
            proc.start()
            self.pipes.append(here)
            self.procs.append(proc)
        self.n = n

    def wait_connected(self) -> int:
        return sum(pipe.recv()[1] for pipe in self.pipes)

    def report(self, lo: int, hi: int) -> tuple[list[dict], int, int, int]:
        for pipe in self.pipes:
            pipe.send(("report", lo, hi))
        arrived, gaps, resyncs, held = [], 0, 0, 0
        for pipe in self.pipes:
            a, g, r, h = pipe.recv()
            arrived += a
            gaps += g
            resyncs += r
            held += h
        return arrived, gaps, resyncs, held

    def stop(self) -> None:
        for pipe in self.pipes:
            pipe.send(("stop",))
        for proc in self.procs:
            proc.join(20)
            if proc.is_alive():
                proc.kill()


# --- posting -----------------------------------------------------------------------------


async def post_comment(port: int, slug: str, session: str, body: str) -> int:
    form = urllib.parse.urlencode(
        {"body": body, "stance": "neutral", "csrfmiddlewaretoken": CSRF}
    ).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST /c/{slug}/comments/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: sessionid={session}; csrftoken={CSRF}\r\nAccept: application/json\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(form)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + form
    )
    status = int((await reader.readline()).split()[1])
    rest = await reader.read()
    writer.close()
    if status != 201 and not REFUSED:
        REFUSED.append(f"{status}: {rest[-300:].decode(errors='replace')}")
        print("# first refused post:", REFUSED[0].replace("\r\n", " | "), flush=True)
    return status


REFUSED: list[str] = []


async def post_at(rate: float, seconds: float, first: int, ports, slug, sessions, posted):
    tasks = []
    start = time.monotonic()
    count = int(rate * seconds)
    for i in range(count):
        await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        n = first + i
        body = f"ความเห็นทดสอบ [b{n}] ควรลดฝุ่นละอองในเขตเมือง comment number {n}"
        posted[n] = time.time()
        tasks.append(
            asyncio.create_task(
                timed(
                    n, post_comment(ports[n % len(ports)], slug, sessions[n % len(sessions)], body)
                )
            )
        )
    return await asyncio.gather(*tasks)


ANSWERED: dict[int, float] = {}


async def timed(n: int, request) -> int:
    status = await request
    ANSWERED[n] = time.time()
    return status


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(rate: float, pool: Pool, tokens: range, posted: dict, statuses) -> None:
    arrived, gaps, resyncs, _held = pool.report(tokens.start, tokens.stop)
    latencies = []
    missed = []
    accepted = [n for n, status in zip(tokens, statuses, strict=True) if status == 201]
    for got_by_client in arrived:  # a refused post is not a comment a page could miss
        got = [got_by_client[n] - posted[n] for n in accepted if n in got_by_client]
        latencies += got
        missed.append(len(accepted) - len(got))
    if os.environ.get("FANOUT_SLOWEST"):  # which comments were late, for a diagnosis
        worst = []
        for n in accepted:
            times = sorted(c[n] - posted[n] for c in arrived if n in c)
            if times:
                late = sum(1 for t in times if t > 0.15)
                worst.append((times[-1], times[len(times) // 2], late, n, ANSWERED[n] - posted[n]))
        print(
            "# slowest (max ms, median ms, clients > 150 ms, comment, POST answered ms):",
            [
                (round(1000 * w), round(1000 * m), k, n, round(1000 * a))
                for w, m, k, n, a in sorted(worst)[-6:]
            ],
        )
    latencies = latencies or [float("nan")]
    bad = sum(1 for s in statuses if s != 201)
    answer = [ANSWERED[n] - posted[n] for n in tokens if n in ANSWERED] or [float("nan")]
    print(
        f"| {rate:>4g}/s | {len(tokens):>5} | {bad:>3} | {1000 * percentile(answer, 50):>7.0f} | "
        f"{len(arrived):>5} | "
        f"{1000 * percentile(latencies, 50):>7.0f} | {1000 * percentile(latencies, 99):>7.0f} | "
        f"{1000 * max(latencies):>7.0f} | {statistics.mean(missed):>6.2f} | {max(missed):>4} | "
        f"{gaps:>5} | {resyncs:>5} | {load()} |",
        flush=True,
    )


# --- the servers ------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start_daphne(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BASE / ".venv/bin/daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "consult.asgi:application",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(BASE / "var" / f"bench-daphne-{port}.log", "w"),  # noqa: SIM115
    )


async def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _r, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.3)
    raise RuntimeError(f"nothing listens on {port}")


def setup_data(people: int) -> tuple[str, int, list[str]]:
    """An open consultation and ``people`` verified, consenting citizens with sessions."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.test import Client as DjangoClient
    from django.utils import timezone

    from accounts.models import Consent
    from consult.models import User
    from topics.models import Agency, Consultation

    agency, _ = Agency.objects.get_or_create(
        slug="bench-live", defaults={"name_th": "หน่วยงานทดสอบ", "name_en": "Bench agency"}
    )
    slug = f"live-fanout-{int(time.time())}"
    now = timezone.now()
    consultation = Consultation.objects.create(
        agency=agency,
        slug=slug,
        title="ร่างทดสอบการกระจายข้อความสด",
        summary="ทดสอบ",
        kind="draft_act",
        category="health",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        published_at=now - timedelta(days=1),
    )
    sessions = []
    for i in range(people):
        email = f"live-bench-{i}@example.org"
        user = User.objects.filter(username=email).first()
        if user is None:
            user = User.objects.create_user(
                username=email, email=email, password="x" * 20, display_name=f"ผู้ทดสอบ {i}"
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            Consent.objects.create(
                user=user, notice_version=settings.CONSENT_NOTICE_VERSION, language="th"
            )
        client = DjangoClient()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    return slug, consultation.pk, sessions


async def main(args: argparse.Namespace) -> None:
    from asgiref.sync import sync_to_async

    from comments.selectors import live_position

    ports = [int(p) for p in args.ports.split(",")]
    rates = [float(r) for r in args.rates.split(",")]
    total_posts = int(sum(r * args.seconds for r in rates)) + 40
    slug, consultation_id, sessions = await sync_to_async(setup_data)(max(60, total_posts // 2))
    env = dict(os.environ)
    servers = [start_daphne(p, env) for p in ports[:2]]
    try:
        for p in ports[:2]:
            await wait_port(p)
        print(
            f"# {args.clients} clients on 2 Daphne processes, Redis :{args.redis_port}, "
            f"{env['DATABASE_URL'].rsplit('/', 1)[-1]}; load before: {load()}",
            flush=True,
        )
        # Warm up each process (first request, first render, first screening) unmeasured.
        for p in ports[:2]:
            for i in range(2):
                await post_comment(p, slug, sessions[-1 - i], f"warm-up {p} {i}")
        seq = await sync_to_async(live_position)(consultation_id)
        pool = Pool(args.processes, ports[:2], args.clients, consultation_id, seq)
        held = await asyncio.to_thread(pool.wait_connected)
        print(
            f"# connected {held} of {args.clients}; server RSS (MiB): "
            + ", ".join(f"{rss_kib(s.pid) / 1024:.0f}" for s in servers),
            flush=True,
        )
        print(HEADER)
        posted: dict[int, float] = {}
        first = 0
        for rate in rates:
            statuses = await post_at(rate, args.seconds, first, ports[:2], slug, sessions, posted)
            await asyncio.sleep(args.grace)  # stragglers
            report(rate, pool, range(first, first + len(statuses)), posted, statuses)
            first += len(statuses) + 1000
        pool.stop()

        if args.rss_clients:
            solo = start_daphne(ports[2], env)
            servers.append(solo)
            await wait_port(ports[2])
            await post_comment(ports[2], slug, sessions[-3], "warm-up solo")
            warm = Pool(1, [ports[2]], 20, consultation_id, 0)
            await asyncio.to_thread(warm.wait_connected)
            await asyncio.sleep(2)
            before = rss_kib(solo.pid)
            seq = await sync_to_async(live_position)(consultation_id)
            started = time.monotonic()
            many = Pool(args.processes, [ports[2]], args.rss_clients, consultation_id, seq)
            held = await asyncio.to_thread(many.wait_connected)
            took = time.monotonic() - started
            await asyncio.sleep(3)
            after = rss_kib(solo.pid)
            print(
                "\n| clients on one process | connected in | held | RSS before | RSS after "
                "| per connection | load 1/5/15 |\n|---|---|---|---|---|---|---|\n"
                f"| {args.rss_clients} | {took:.1f} s | {held} | {before / 1024:.0f} MiB | "
                f"{after / 1024:.0f} MiB | {(after - before) / max(held, 1):.1f} KiB | {load()} |",
                flush=True,
            )
            print("\n(comments posted to that process)")
            print(HEADER)
            statuses = await post_at(2, 10, first, [ports[2]], slug, sessions, posted)
            await asyncio.sleep(args.grace)
            report(2, many, range(first, first + len(statuses)), posted, statuses)
            many.stop()
            warm.stop()
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
        for s in servers:
            try:
                s.wait(10)
            except subprocess.TimeoutExpired:
                s.kill()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rates", default="2,10")
    parser.add_argument("--rss-clients", type=int, default=5000)
    parser.add_argument("--redis-port", type=int, default=16330)
    parser.add_argument("--ports", default="8130,8131,8132")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--grace", type=float, default=10, help="seconds to wait after posting")
    args = parser.parse_args()
    # Stopped from outside (Ctrl-C, timeout): still stop the servers and clients it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the production shape).")
    redis_dir = tempfile.mkdtemp(prefix="bench-redis-")
    redis = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(args.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            redis_dir,
        ],
        stdout=subprocess.DEVNULL,
    )
    os.environ.update(
        {
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "k" * 50),
            "ALLOWED_HOSTS": "127.0.0.1",
            # plain HTTP on 127.0.0.1: no TLS proxy in front
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "RATE_COMMENT_USER": "100000/60",
            "RATE_COMMENT_IP": "100000/60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "consult.settings",
            "PYTHAINLP_OFFLINE": "1",
            "PYTHAINLP_READ_ONLY": "1",
        }
    )
    (BASE / "var").mkdir(exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE, check=True
        )
        sys.path.insert(0, str(BASE))
        import django

        django.setup()
        asyncio.run(main(args))
    finally:
        redis.terminate()
        redis.wait(10)
        shutil.rmtree(redis_dir, ignore_errors=True)


if __name__ == "__main__":
    cli()
