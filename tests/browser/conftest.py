"""Browser tests: a real headless Chromium (Debian's, driven by Playwright) against the real
ASGI application served live, HTTP and WebSocket.

The live server is Daphne running in a thread of the test process, started once per test
process (Twisted's reactor cannot be restarted). In-process means the server shares the test's
channel layer, cache and database settings: a live event emitted by a service the test calls
directly reaches the browsers even with the in-memory channel layer, and on PostgreSQL/Redis the
test database and a per-run Redis prefix are used alike.

On SQLite the test database is moved to a file for the run when browser tests are selected, so
the server's threads and the test share it (the shared-cache in-memory database locks whole
tables between connections). Tests use ``transactional_db`` so what they write is committed.

Playwright's sync API keeps its event loop marked as running in the main thread, so Django's
ORM refuses sync calls there; ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set only while a browser module
runs, and Playwright is stopped before any other module's tests run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import override_settings
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000

_sqlite_dir: str | None = None


# --- one xdist worker for the browser tests ---------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep ``xdist_group`` working for these tests under ``--dist loadgroup``.

    pytest-xdist 3.8 groups by appending ``@group`` to ``item._nodeid``, which pytest 9.2 no
    longer reads (the id lives in ``item._id``), so groups were silently ignored and every
    worker started its own server and browser. Only this directory's items are touched, and
    nothing is done when xdist's own suffix took effect.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    here = Path(__file__).parent
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is None or "@" in item.nodeid or here not in item.path.parents:
            continue
        if not hasattr(item, "_id"):
            continue
        from _pytest.nodeid import NodeId

        group = mark.args[0] if mark.args else mark.kwargs.get("name", "default")
        # xdist reads the group after the last "@" only if no "]" follows it, so the whole
        # id, parameters included, goes into the last name.
        path, _sep, rest = item.nodeid.partition("::")
        *parents, last = rest.split("::")
        item._id = NodeId(path=path, names=(*parents, f"{last}@{group}"))


# --- test database visible to the server ----------------------------------------------------


def pytest_collection_finish(session: pytest.Session) -> None:
    """Put the SQLite test database in a file when browser tests will run in this process."""
    global _sqlite_dir
    if not any(item.get_closest_marker("browser") for item in session.items):
        return
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = db.setdefault("TEST", {})
    if test.get("NAME") and test["NAME"] != ":memory:":
        return
    _sqlite_dir = tempfile.mkdtemp(prefix="consult-browser-db-")
    # pytest-django appends the xdist worker id (``_gw0``) to this name.
    test["NAME"] = str(Path(_sqlite_dir) / "test.sqlite3")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _sqlite_dir:
        shutil.rmtree(_sqlite_dir, ignore_errors=True)


# --- the live ASGI server --------------------------------------------------------------------


class LiveASGIServer:
    """Daphne serving ``consult.asgi.application`` on a free port, in a daemon thread."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        from daphne.server import Server

        from consult.asgi import application

        self._server = Server(
            application=application,
            endpoints=[f"tcp:port=0:interface={self.host}"],
            signal_handlers=False,
            verbosity=0,
            application_close_timeout=5,
        )
        self._thread = threading.Thread(target=self._run, name="live-asgi-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.listening_addresses:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError(f"the live server did not start: {self._error!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("the live server did not start listening in time")
            time.sleep(0.02)
        self.port = self._server.listening_addresses[0][1]

    def _run(self) -> None:
        try:
            self._server.run()
        except BaseException as exc:  # reported by start()
            self._error = exc

    def call_on_loop(self, coroutine: Any, timeout: float = 10.0) -> Any:
        """Run a coroutine on the server's event loop (where its channel layer lives)."""
        import asyncio

        from twisted.internet import reactor

        loop = reactor._asyncioEventloop  # type: ignore[attr-defined]
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)

    def stop(self) -> None:
        from twisted.internet import reactor

        if self._thread is not None and self._thread.is_alive():
            reactor.callFromThread(self._server.stop)  # type: ignore[attr-defined]
            self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def asgi_server(django_db_setup: None) -> Iterator[LiveASGIServer]:
    server = LiveASGIServer()
    server.start()
    yield server
    server.stop()


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(asgi_server: LiveASGIServer) -> Iterator[Browser]:
    """Chromium for one module, with the test settings the live server needs meanwhile."""
    run = uuid.uuid4().hex[:10]
    hosts = list(settings.ALLOWED_HOSTS)
    overrides: dict[str, Any] = {
        "ALLOWED_HOSTS": hosts if "127.0.0.1" in hosts else [*hosts, "127.0.0.1"],
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }
    layer = settings.CHANNEL_LAYERS["default"]
    if "CONFIG" in layer and "prefix" in layer["CONFIG"]:
        # Another run on the same Redis must not see this run's groups, and the reverse.
        config = {**layer["CONFIG"], "prefix": f"{layer['CONFIG']['prefix']}-test-{run}"}
        overrides["CHANNEL_LAYERS"] = {"default": {**layer, "CONFIG": config}}
    cache = settings.CACHES["default"]
    if "KEY_PREFIX" in cache:
        overrides["CACHES"] = {
            "default": {**cache, "KEY_PREFIX": f"{cache['KEY_PREFIX']}-test-{run}"}
        }
    db = connections["default"].settings_dict
    conn_max_age = db.get("CONN_MAX_AGE", 0)
    previous_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # The server's threads close their connections after each request, so the test database
    # can be flushed and dropped.
    db["CONN_MAX_AGE"] = 0
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        with override_settings(**overrides):
            playwright = sync_playwright().start()
            try:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    yield chromium
                finally:
                    chromium.close()
            finally:
                playwright.stop()
                _flush_channel_layer(asgi_server)
    finally:
        db["CONN_MAX_AGE"] = conn_max_age
        if previous_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous_unsafe


def _flush_channel_layer(server: LiveASGIServer) -> None:
    """Drop this module's groups and messages, and close its connections to the layer."""
    from channels.layers import get_channel_layer

    from comments import hub

    # The server's live hub listens on a channel the flush drops: it starts anew.
    server.call_on_loop(hub.reset())
    layer = get_channel_layer()
    if layer is not None and hasattr(layer, "flush"):
        try:
            server.call_on_loop(layer.flush())
        except Exception:  # cleanup only; the keys expire anyway
            pass


@pytest.fixture
def live_url(asgi_server: LiveASGIServer, transactional_db: None) -> Iterator[str]:
    """The live server's address, for a test whose data is committed."""
    yield asgi_server.url
    from comments import live

    # The live-update emitter remembers the server's loop; other tests in this process must
    # not send through it.
    live._loop = None
    with live._pending_lock:
        live._pending.clear()


@dataclass
class Viewer:
    """One browser context with one page, and what went wrong in it."""

    context: BrowserContext
    page: Page
    base_url: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Response | None:
        return self.page.goto(self.base_url + path)

    def wait_live(self) -> None:
        """Wait until the page's WebSocket is open and its first sync was sent."""
        self.page.locator('#live-status[data-state="live"]').wait_for(state="attached")

    def problems(self) -> list[str]:
        return self.page_errors + self.server_errors + self.csp_violations


CSP_MARK = "CSP violation:"
# Every page reports what the Content Security Policy blocked (the browser also logs it).
CSP_LISTENER = (
    "document.addEventListener('securitypolicyviolation', function (e) {"
    f" console.error('{CSP_MARK} ' + e.violatedDirective + ' blocked ' + e.blockedURI"
    " + ' at ' + e.sourceFile + ':' + e.lineNumber); });"
)


@pytest.fixture
def open_viewer(browser: Browser, live_url: str) -> Iterator[Callable[..., Viewer]]:
    """Make a browser context (signed in as ``user`` if given) with one page.

    Every page is checked at the end: no uncaught JavaScript error, no server error response,
    no missing script, stylesheet or font, and no Content Security Policy violation (what the
    policy blocked would silently not work for real users).
    """
    viewers: list[Viewer] = []

    def make(user: Any = None, **context_options: Any) -> Viewer:
        context_options.setdefault("locale", "en-GB")
        context_options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        if user is not None:
            context.add_cookies([session_cookie(user, live_url)])
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        viewer = Viewer(context=context, page=page, base_url=live_url)
        page.on("pageerror", lambda exc: viewer.page_errors.append(str(exc)))

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                viewer.console_errors.append(message.text)
                if message.text.startswith(CSP_MARK) or "Content Security Policy" in message.text:
                    viewer.csp_violations.append(message.text)

        def on_response(response: Response) -> None:
            broken_asset = response.status >= 400 and "/static/" in response.url
            if response.status >= 500 or broken_asset:
                viewer.server_errors.append(f"{response.status} {response.url}")

        page.on("console", on_console)
        page.on("response", on_response)
        viewers.append(viewer)
        return viewer

    yield make
    problems = [f"page {i + 1}: {p}" for i, v in enumerate(viewers) for p in v.problems()]
    for viewer in viewers:
        try:
            viewer.context.close()
        except PlaywrightError:
            pass
    assert not problems, f"errors in the browser or on the server: {problems}"


def session_cookie(user: Any, base_url: str) -> dict[str, Any]:
    """A signed-in session for ``user``, as a cookie for the live server."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}
