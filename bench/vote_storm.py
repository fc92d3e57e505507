"""Vote storm through the production topology (bench/cluster.py): 100 people vote as fast as
the two ASGI processes take it for 30 s, on the 40 comments of one consultation, while one
page is open on each process.

    .venv/bin/python bench/vote_storm.py [--users 100] [--seconds 30]

Prints votes accepted a second, responses by status, live messages a second each open page
received (vote counts are coalesced), and whether the counts on every comment equal its vote
rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster import Cluster, have_services  # noqa: E402
from bench.load import LOAD_ENV, Person, _post, seed  # noqa: E402
from bench.wsclient import WebSocket  # noqa: E402

COMMENTS = """
import json
from comments.models import Comment
from comments.services import comment_create
from consult.models import User
from topics.models import Consultation
c = Consultation.objects.get(slug="bench-live")
authors = list(User.objects.filter(email__startswith="bench")[:40])
ids = [comment_create(consultation=c, author=a, body=f"ข้อเสนอที่ {i} เรื่องการขยายเวลา {i * 7919}",
                      stance="neutral").pk for i, a in enumerate(authors)]
print("IDS" + json.dumps(ids))
"""

CHECK = """
import json
from django.db.models import Count, Q
from comments.models import Comment
rows = Comment.objects.filter(consultation__slug="bench-live").annotate(
    a=Count("votes", filter=Q(votes__value=1)), d=Count("votes", filter=Q(votes__value=-1)),
    p=Count("votes", filter=Q(votes__value=0)))
bad = [r.pk for r in rows if (r.agree_count, r.disagree_count, r.pass_count) != (r.a, r.d, r.p)]
total = sum(r.a + r.d + r.p for r in rows)
print("CHECK" + json.dumps({"mismatched": bad, "vote_rows": total}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--http-port", type=int, default=8135)
    parser.add_argument("--redis-port", type=int, default=16335)
    parser.add_argument("--pg-port", type=int, default=15430)
    args = parser.parse_args()
    ok, why = have_services()
    if not ok:
        sys.exit(why)
    cluster = Cluster(
        asgi=2,
        workers=1,
        http_port=args.http_port,
        redis_port=args.redis_port,
        pg_port=args.pg_port,
        env=LOAD_ENV,
    )
    try:
        cluster.start()
        info = seed(cluster, max(args.users, 40))
        out = cluster.manage("shell", "-c", COMMENTS)
        ids = json.loads(out[out.index("IDS") + 3 :].strip().splitlines()[0])
        people = [Person(session=s) for s in info["sessions"][: args.users]]

        pages: list[Counter] = []
        stop = threading.Event()

        def page(i: int) -> None:
            seen: Counter = Counter()
            pages.append(seen)
            url = (
                cluster.url(i).replace("http", "ws") + f"/ws/consultations/{info['consultation']}/"
            )
            ws = WebSocket(url, origin=cluster.url(i))
            while not stop.is_set():
                try:
                    message = ws.recv(timeout=0.5)
                except (TimeoutError, OSError):
                    continue
                seen[message.get("type", "?")] += 1
            ws.close()

        readers = [threading.Thread(target=page, args=(i,), daemon=True) for i in range(2)]
        for r in readers:
            r.start()
        time.sleep(2)

        statuses: Counter = Counter()
        latencies: list[float] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def voter(k: int) -> None:
            rng = random.Random(k)
            person = people[k]
            server = k % cluster.n_asgi
            while time.monotonic() < deadline:
                pk = rng.choice(ids)
                started = time.monotonic()
                try:
                    status, _body = _post(
                        cluster.url(server) + f"/comments/{pk}/vote/",
                        person,
                        {"value": rng.choice(["1", "-1", "0"])},
                    )
                except OSError:
                    status = 0
                with lock:
                    statuses[status] += 1
                    latencies.append(time.monotonic() - started)

        load_before = os.getloadavg()[0]
        voters = [
            threading.Thread(target=voter, args=(k,), daemon=True) for k in range(len(people))
        ]
        started = time.monotonic()
        for v in voters:
            v.start()
        for v in voters:
            v.join()
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()[0]
        time.sleep(2)  # the last coalesced counts
        stop.set()
        for r in readers:
            r.join(timeout=5)
        out = cluster.manage("shell", "-c", CHECK)
        check = json.loads(out[out.index("CHECK") + 5 :].strip().splitlines()[0])
    finally:
        cluster.stop()
    latencies.sort()
    ok_votes = statuses.get(200, 0)
    print()
    print(
        f"vote storm: {len(people)} people, {elapsed:.0f} s, 2 ASGI processes, own Redis + PostgreSQL"
    )
    print(f"{'votes accepted':32} {ok_votes:8d}   {ok_votes / elapsed:7.1f} /s")
    print(f"{'responses by status':32} {dict(sorted(statuses.items()))}")
    if latencies:
        p50 = latencies[len(latencies) // 2] * 1000
        p99 = latencies[int(len(latencies) * 0.99)] * 1000
        print(f"{'vote latency p50 / p99':32} {p50:8.0f} / {p99:.0f} ms")
    for i, seen in enumerate(pages):
        print(
            f"{'live messages, page on process ' + str(i):32} {sum(seen.values()):8d}   "
            f"{seen.get('votes', 0) / elapsed:7.1f} vote-count messages/s  {dict(seen)}"
        )
    print(
        f"{'counts shown = vote rows':32} {'yes' if not check['mismatched'] else 'NO'}"
        f"   ({check['vote_rows']} rows; mismatched comments: {check['mismatched']})"
    )
    print(f"{'load average (1 min)':32} {load_before:.1f} before, {load_after:.1f} after")


if __name__ == "__main__":
    main()
