"""Browser-test fixtures: dist/ served in-process on a free port, Chromium
(Playwright's own or the system's), and a guard that fails any request to a
host other than the test server.

The server can be told, per test, to answer 404 for some files (``blocked``),
to hold a file back until an event is set (``hold``), to serve other bytes for
a file (``override``), to serve the site under a sub-path (``prefix``) and to
serve another built site than dist/ (``root``, e.g. build/site-plain/).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from chromium import launch_args

import build  # stdlib only at top level

SUB_PATH = "/some/sub/path/"


class ControlledHandler(build.Handler):
    def _target(self) -> str | None:
        """Path relative to dist/ ("" for the index), or None if outside the site."""
        path = urlsplit(self.path).path
        prefix = SUB_PATH if self.server.use_prefix else "/"
        if not path.startswith(prefix):
            return None
        return path[len(prefix):]

    def _dispatch(self, head: bool) -> None:
        rel = self._target()
        self.server.log.append(rel)
        if rel is None or rel in self.server.blocked:
            self.send_error(404, "Not Found")
            return
        event = self.server.hold.get(rel)
        if event is not None:
            event.wait(30)
        if rel in self.server.override:
            body = self.server.override[rel]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(rel))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        self.path = "/" + rel
        self.directory = str(self.server.root)
        (super().do_HEAD if head else super().do_GET)()

    def send_response(self, code: int, message: str | None = None) -> None:
        # what was really sent: 200 with a body, or 304 (the browser's copy is still good)
        self.server.responses.append((self._target(), code))
        super().send_response(code, message)

    def end_headers(self) -> None:
        for name, value in self.server.headers.items():  # e.g. a Content-Security-Policy
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)


class Site:
    """The running test server and its per-test controls."""

    def __init__(self) -> None:
        if not (build.DIST / "index.html").exists():
            raise RuntimeError("dist/ is not built: run `python3 build.py build` (or build.py test)")
        self.server = build.make_server(build.DIST, 0, ControlledHandler)
        self.server.use_prefix = False
        self.reset()
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        s = self.server
        for event in getattr(s, "hold", {}).values():
            event.set()
        s.blocked, s.hold, s.override, s.log = set(), {}, {}, []
        s.responses = []  # (path, status) of every response
        s.headers = {}  # extra response headers for every file
        s.root = build.DIST
        s.use_prefix = False

    @property
    def url(self) -> str:
        return self.origin + (SUB_PATH if self.server.use_prefix else "/")


@pytest.fixture(scope="session")
def site():
    s = Site()
    yield s
    s.reset()
    s.server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_site(site):
    site.reset()
    yield
    site.reset()


#: Hang guards, not speed limits: a Pyodide start takes ~3 s alone but far longer on a
#: 2-core machine busy with other jobs, and Playwright's 5 s default for `expect`
#: turned such slowness into failures. Speed is measured by `build.py bench`.
HANG_GUARD_MS = 90_000


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    from playwright.sync_api import expect
    expect.set_options(timeout=HANG_GUARD_MS)


@pytest.fixture(autouse=True)
def _patient_context(context):
    context.set_default_timeout(HANG_GUARD_MS)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Playwright evaluates string predicates (``wait_for_function("expr")``) with eval, which
    the page's Content-Security-Policy forbids: tests bypass it, except test_csp.py, which opens
    its own context that keeps it. Service workers are blocked too (each test would otherwise
    cache the whole site in the background), except in test_offline.py's own context."""
    return {**browser_context_args, "bypass_csp": True, "service_workers": "block"}


@pytest.fixture(scope="session")
def base_url(site) -> str:
    return site.origin + "/"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    try:
        extra = launch_args(playwright)
    except RuntimeError as exc:  # no Chromium at all: fail loudly, never skip
        pytest.fail(str(exc), pytrace=False)
    return {**browser_type_launch_args, **extra,
            "args": [*browser_type_launch_args.get("args", []), *extra["args"]]}


@pytest.fixture
def foreign_requests(context, site):
    """Every request to another host is aborted and recorded; the test fails if any was tried."""
    attempted: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith((site.origin + "/", "data:")):
            route.continue_()
        else:
            attempted.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    yield attempted
    assert attempted == [], f"the page tried to reach other hosts: {attempted}"


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught exceptions seen on the page (and its worker)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("worker", lambda w: w.on("console", lambda m: errors.append(
        f"worker console.{m.type}: {m.text}") if m.type == "error" else None))
    return errors


@pytest.fixture
def app(page, site, foreign_requests):
    """The page, opened and guarded; call ``app.open()`` after arranging the server."""

    class App:
        def __init__(self) -> None:
            self.page = page

        def open(self, hash: str = "") -> App:
            page.goto(site.url + hash)
            return self

        def ready(self) -> dict:
            return page.evaluate("window.pynet.ready")

        def call(self, expr: str):
            return page.evaluate(expr)

    return App()
