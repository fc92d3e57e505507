"""The production topology on one machine: Redis, PostgreSQL, several ASGI processes (Daphne)
and background workers, every one a child process this script starts and stops.

    .venv/bin/python bench/cluster.py --asgi 2 --workers 2 --http-port 8135 \\
        --redis-port 16335 --pg-port 15430 --demo

starts its own redis-server and its own PostgreSQL (initdb into a temporary directory; as the
``postgres`` user when run as root), migrates, optionally loads the demo data, and serves on
http://127.0.0.1:8135/ and :8136/ until Ctrl-C. ``--database-url`` uses an existing database
instead of starting PostgreSQL. The fault benchmark (bench/faults.py) and the end-to-end test
(tests/ops/test_cluster.py) drive the same class: kill Redis, restart PostgreSQL, kill one
ASGI process or a worker, and start them again.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DAPHNE = str(ROOT / ".venv" / "bin" / "daphne")


def pg_bindir() -> str | None:
    """Directory of PostgreSQL's server binaries (newest installed), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:  # Debian's layout
        return str(Path(found[-1]).parent)
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and shutil.which("initdb") and shutil.which("createdb"):
        return str(Path(pg_ctl).parent)
    return None


def have_services() -> tuple[bool, str]:
    if not shutil.which("redis-server"):
        return False, "redis-server is not installed"
    if pg_bindir() is None:
        return False, "PostgreSQL server binaries are not installed"
    return True, ""


class Cluster:
    def __init__(
        self,
        *,
        asgi: int = 2,
        workers: int = 1,
        http_port: int = 8135,
        redis_port: int = 16335,
        pg_port: int = 15430,
        database_url: str | None = None,
        workdir: str | None = None,
        env: dict[str, str] | None = None,
        fsync: bool = True,
    ) -> None:
        self.n_asgi = asgi
        self.n_workers = workers
        self.http_ports = [http_port + i for i in range(asgi)]
        self.redis_port = redis_port
        self.pg_port = pg_port
        self.own_postgres = database_url is None
        self.database_url = database_url or f"postgres://postgres@127.0.0.1:{pg_port}/consult"
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="consult-cluster-"))
        self.extra_env = env or {}
        self.fsync = fsync
        self.redis: subprocess.Popen | None = None
        self.asgi: list[subprocess.Popen | None] = [None] * asgi
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.pgdata = self.workdir / "pgdata"

    # --- environment ------------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DEBUG": "0",
                "SECRET_KEY": "cluster-secret-key-for-local-measurements-only",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_COOKIES": "0",
                # plain HTTP on 127.0.0.1: no TLS proxy in front of the local cluster
                "SECURE_SSL_REDIRECT": "0",
                "SERVE_STATIC": "1",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "PYTHAINLP_OFFLINE": "1",
                "PYTHAINLP_READ_ONLY": "1",
                "PYTHAINLP_DATA_DIR": os.environ.get(
                    "PYTHAINLP_DATA_DIR", str(ROOT / "var" / "pythainlp-data")
                ),
                "PERIODIC_CHECK_SECONDS": "5",
                "LOG_FORMAT": "json",
            }
        )
        env.update(self.extra_env)
        return env

    def url(self, i: int = 0) -> str:
        return f"http://127.0.0.1:{self.http_ports[i]}"

    def _log(self, name: str):
        return open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None):
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env,
            stdout=self._log(name),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    # --- Redis ------------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.redis = self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
        )
        _wait(lambda: _redis_ping(self.redis_port), 10, "redis-server")

    def kill_redis(self) -> None:
        _kill(self.redis, signal.SIGKILL)
        self.redis = None

    # --- PostgreSQL -----------------------------------------------------------------------

    def _pg(self, *args: str) -> list[str]:
        command = [str(Path(pg_bindir() or "") / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def init_postgres(self) -> None:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.pgdata, "postgres")
        subprocess.run(
            self._pg(
                "initdb", "-D", str(self.pgdata), "-A", "trust", "-U", "postgres", "-E", "UTF8"
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_postgres(self) -> None:
        options = (
            f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.pgdata} "
            f"-c max_connections=200 -c fsync={'on' if self.fsync else 'off'}"
        )
        subprocess.run(
            self._pg(
                "pg_ctl",
                "-D",
                str(self.pgdata),
                "-o",
                options,
                "-l",
                str(self.pgdata / "log"),
                "-w",
                "start",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop_postgres(self, mode: str = "fast") -> None:
        subprocess.run(
            self._pg("pg_ctl", "-D", str(self.pgdata), "-m", mode, "-w", "stop"),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def restart_postgres(self, down_seconds: float = 0) -> None:
        self.stop_postgres()
        time.sleep(down_seconds)
        self.start_postgres()

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    # --- ASGI processes and workers -------------------------------------------------------

    def start_asgi(self, i: int) -> None:
        port = self.http_ports[i]
        self.asgi[i] = self._spawn(
            f"asgi{i}", [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "consult.asgi:application"]
        )

    def kill_asgi(self, i: int, sig: int = signal.SIGKILL) -> None:
        _kill(self.asgi[i], sig)
        self.asgi[i] = None

    def start_worker(self, i: int) -> None:
        self.workers[i] = self._spawn(
            f"worker{i}", [PYTHON, "manage.py", "worker", "--queue-name", "*", "--interval", "0.5"]
        )

    def kill_worker(self, i: int, sig: int = signal.SIGKILL) -> None:
        _kill(self.workers[i], sig)
        self.workers[i] = None

    def wait_ready(self, timeout: float = 180) -> None:
        for i in range(self.n_asgi):
            _wait(lambda i=i: _http_ok(self.url(i) + "/healthz"), timeout, f"ASGI process {i}")

    # --- all together ---------------------------------------------------------------------

    def start(self, *, migrate: bool = True) -> Cluster:
        self.start_redis()
        if self.own_postgres:
            self.init_postgres()
            self.start_postgres()
            subprocess.run(
                self._pg(
                    "createdb",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.pg_port),
                    "-U",
                    "postgres",
                    "consult",
                ),
                check=True,
            )
        if migrate:
            self.manage("migrate", "--noinput", "-v", "0")
        for i in range(self.n_asgi):
            self.start_asgi(i)
        for i in range(self.n_workers):
            self.start_worker(i)
        self.wait_ready()
        return self

    def stop(self) -> None:
        for proc in [*self.asgi, *self.workers]:
            _kill(proc, signal.SIGTERM)
        self.kill_redis()
        if self.own_postgres and self.pgdata.exists():
            self.stop_postgres("immediate")
            shutil.rmtree(self.pgdata, ignore_errors=True)  # the logs stay in workdir

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def logs(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _kill(proc: subprocess.Popen | None, sig: int) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)  # its own session: the process and its children only
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def _wait(ready, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
            return response.status == 200
    except OSError:
        return False


def _redis_ping(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--asgi", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--http-port", type=int, default=8135)
    parser.add_argument("--redis-port", type=int, default=16335)
    parser.add_argument("--pg-port", type=int, default=15430)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--demo", action="store_true", help="load the demo consultations")
    args = parser.parse_args()
    ok, why = have_services()
    if not ok and not (args.database_url and shutil.which("redis-server")):
        sys.exit(why)
    cluster = Cluster(
        asgi=args.asgi,
        workers=args.workers,
        http_port=args.http_port,
        redis_port=args.redis_port,
        pg_port=args.pg_port,
        database_url=args.database_url,
    )
    try:
        cluster.start()
        if args.demo:
            cluster.manage("load_demo")
        print("cluster up; logs in", cluster.workdir)
        for i in range(cluster.n_asgi):
            print(f"  ASGI {i}: {cluster.url(i)}/")
        print(f"  Redis: 127.0.0.1:{cluster.redis_port}   database: {cluster.database_url}")
        print("Ctrl-C to stop")
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
