"""Faults under a steady stream of comment posts, through the production topology
(bench/cluster.py: its own Redis and PostgreSQL, two Daphne processes, one worker).

    .venv/bin/python bench/faults.py [--rate 20] [--phase 40] [--only redis,postgres,asgi,worker]

For each fault, comments are posted at ``--rate`` a second for ``--phase`` seconds, the fault
happening 10 s in: Redis killed for 20 s; PostgreSQL stopped and started again (5 s down); one
ASGI process killed (started again 10 s later); a worker killed in the middle of an analysis.
Clients behave like the page's script behind a proxy: a refused connection goes to the other
process, a 503 or a dropped connection is retried with the same token. Printed per fault:
posts acknowledged, lost (acknowledged but not in the database), duplicated (one token, two
comments), responses by status, and seconds until every process is ready again.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster import Cluster, have_services  # noqa: E402
from bench.load import LOAD_ENV, Person, Tally, count_in_database, post_comments, seed  # noqa: E402


def ready_everywhere(cluster: Cluster) -> bool:
    import json

    for i in range(cluster.n_asgi):
        try:
            with urllib.request.urlopen(cluster.url(i) + "/readyz", timeout=2) as r:  # noqa: S310
                if json.loads(r.read())["status"] != "ok":
                    return False
        except OSError:
            return False
    return True


def seconds_to_ready(cluster: Cluster, since: float, limit: float = 120) -> float:
    while time.monotonic() - since < limit:
        if ready_everywhere(cluster):
            return time.monotonic() - since
        time.sleep(0.25)
    return float("nan")


def fault_redis(cluster: Cluster) -> float:
    cluster.kill_redis()
    time.sleep(20)
    cluster.start_redis()
    return seconds_to_ready(cluster, time.monotonic())


def fault_postgres(cluster: Cluster) -> float:
    cluster.restart_postgres(down_seconds=5)
    return seconds_to_ready(cluster, time.monotonic())


def fault_asgi(cluster: Cluster) -> float:
    cluster.kill_asgi(0)
    time.sleep(10)
    cluster.start_asgi(0)
    return seconds_to_ready(cluster, time.monotonic())


def fault_worker(cluster: Cluster, slug: str) -> float:
    """Queue an analysis, kill the worker as soon as the run is running, start a new worker;
    seconds from the kill until the run is marked failed (and a new run may start)."""
    code = f"""
from analytics import services
from topics.models import Consultation
run = services.run_request(consultation=Consultation.objects.get(slug={slug!r}), requested_by=None)
print("RUN", run.pk)
"""
    out = cluster.manage("shell", "-c", code)
    run_id = int(out.split("RUN")[1].split()[0])
    status = _run_status(cluster, run_id, wait_for="running", limit=120)
    if status != "running":
        return float("nan")
    cluster.kill_worker(0)
    killed = time.monotonic()
    cluster.start_worker(0)
    status = _run_status(cluster, run_id, wait_for="failed", limit=300)
    return time.monotonic() - killed if status == "failed" else float("nan")


def _run_status(cluster: Cluster, run_id: int, *, wait_for: str, limit: float) -> str:
    import psycopg

    deadline = time.monotonic() + limit
    status = ""
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(cluster.database_url, connect_timeout=2) as conn:
                row = conn.execute(
                    "SELECT status FROM analytics_analysisrun WHERE id = %s", (run_id,)
                ).fetchone()
                status = row[0] if row else ""
        except psycopg.OperationalError:
            status = ""
        if status == wait_for or status in ("done", "failed"):
            return status
        time.sleep(0.05)
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--phase", type=float, default=40)
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--only", default="redis,postgres,asgi,worker")
    parser.add_argument("--http-port", type=int, default=8135)
    parser.add_argument("--redis-port", type=int, default=16335)
    parser.add_argument("--pg-port", type=int, default=15430)
    args = parser.parse_args()
    ok, why = have_services()
    if not ok:
        sys.exit(why)
    env = {
        **LOAD_ENV,
        "ANALYTICS_RUN_STALE_SECONDS": "20",
        "ANALYTICS_RUN_HEARTBEAT_SECONDS": "2",
    }
    cluster = Cluster(
        asgi=2,
        workers=1,
        http_port=args.http_port,
        redis_port=args.redis_port,
        pg_port=args.pg_port,
        env=env,
    )
    rows = []
    try:
        cluster.start()
        info = seed(cluster, args.users)
        people = [Person(session=s) for s in info["sessions"]]
        faults = {
            "redis": ("Redis killed for 20 s", lambda: fault_redis(cluster)),
            "postgres": ("PostgreSQL restarted (5 s down)", lambda: fault_postgres(cluster)),
            "asgi": ("one ASGI process killed (10 s)", lambda: fault_asgi(cluster)),
            "worker": ("worker killed mid-analysis", lambda: fault_worker(cluster, info["slug"])),
        }
        for name in args.only.split(","):
            label, inject = faults[name]
            tally = Tally()
            marker = f"[{name}-{os.getpid()}]"
            recovered: list[float] = []

            def later(inject=inject, recovered=recovered) -> None:
                time.sleep(10)
                recovered.append(inject())

            started = time.monotonic()
            chaos = threading.Thread(target=later, daemon=True)
            chaos.start()
            post_comments(
                cluster,
                people,
                info["slug"],
                rate=args.rate,
                seconds=args.phase,
                tally=tally,
                marker=marker,
            )
            chaos.join()
            elapsed = time.monotonic() - started
            stored = count_in_database(cluster, marker, tally.acknowledged)
            lost = stored["lost"]
            load = os.getloadavg()
            rows.append(
                (
                    label,
                    len(tally.acknowledged),
                    len(tally.acknowledged) / elapsed,
                    lost,
                    stored["duplicated"],
                    dict(sorted(tally.statuses.items())),
                    recovered[0] if recovered else float("nan"),
                    f"{load[0]:.1f}",
                )
            )
            print(
                "  refused (not lost):",
                dict(tally.refused),
                " connection errors:",
                dict(tally.errors),
            )
            print(rows[-1], flush=True)
    finally:
        cluster.stop()
    print()
    print(
        f"{'fault':34} {'acked':>6} {'acked/s':>7} {'lost':>5} {'dup':>4} "
        f"{'recover s':>9} {'load1':>5}  responses (0 = connection refused/reset)"
    )
    for label, acked, per_s, lost, dup, statuses, recover, load in rows:
        print(
            f"{label:34} {acked:6d} {per_s:7.1f} {lost:5d} {dup:4d} {recover:9.1f} {load:>5}  "
            f"{statuses}"
        )


if __name__ == "__main__":
    main()
