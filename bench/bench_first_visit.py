"""First-visit benchmark (run by `python3 build.py bench`; not a test): what a
visitor meets over a real link.

A test server sends every file gzip-encoded where a static host would (text,
JavaScript, JSON, wasm; not the zip, wheel or snapshot, which are compressed
already) through a simulated link: each response waits one round trip before
its first byte, and all bodies share one token bucket at the link's rate. The
server counts the requests and the bytes it really sent. Profiles:

  localhost   no limit
  desktop     10 Mbps, 40 ms round trip   (Lighthouse's desktop profile)
  mobile      1.6 Mbps, 150 ms round trip (Lighthouse's mobile profile)

For each profile, interleaved: the pynet page (dist/) and a bare Pyodide boot of
the npm package's own files (one loadPyodide and one runPython), each in a fresh
browser context (empty HTTP cache, no service worker): the first visit, then,
once the service worker (if any) has installed, the repeat visit. Prints medians
of the time to ready and to the first epoch on screen, the bytes until ready
and in total, and the goals of issue 17 as ratios measured in this run.

    .venv/bin/python bench/bench_first_visit.py [--runs N] [--profiles localhost,desktop,mobile]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_startup import BARE, make_bare_site  # the same bare Pyodide site
from chromium import launch_args

import build

PROFILES = {"localhost": (None, 0.0), "desktop": (10e6, 0.040), "mobile": (1.6e6, 0.150)}
GZIP_TYPES = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".map")

PAGE_READY = """() => window.pynet.ready
  .then(() => window.pynet.step(1))
  .then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  .then(() => ({ready: window.pynet.timings.ready, firstEpoch: window.pynet.timings.firstEpoch}))"""
BARE_READY = "() => window.bareReady.then((ready) => ({ready, firstEpoch: null}))"
SW_SETTLED = """async () => {
  if (!('serviceWorker' in navigator)) return 'none';
  let reg = null;
  for (let i = 0; i < 50 && !reg; i++) {  // the page registers it once it is ready
    reg = await navigator.serviceWorker.getRegistration();
    if (!reg) await new Promise((r) => setTimeout(r, 100));
  }
  if (!reg) return 'none';
  const deadline = performance.now() + 600000;
  while (performance.now() < deadline) {
    if (reg.active && !reg.installing && !reg.waiting) return 'active';
    if (!reg.installing && !reg.waiting && !reg.active) return 'failed';
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'timeout';
}"""


class Link:
    """A shared link: one token bucket for every body byte, one round trip per response."""

    def __init__(self, rate_bps: float | None, rtt: float) -> None:
        self.rate = rate_bps / 8 if rate_bps else None   # bytes per second
        self.rtt = rtt
        self.lock = threading.Lock()
        self.free_at = 0.0          # when the link has sent everything queued so far
        self.sent = 0
        self.requests: list[str] = []

    def send(self, wfile, data: bytes) -> None:
        chunk = 16384
        for i in range(0, len(data), chunk):
            part = data[i:i + chunk]
            if self.rate:
                with self.lock:
                    start = max(time.monotonic(), self.free_at)
                    self.free_at = start + len(part) / self.rate
                    wait = self.free_at - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            wfile.write(part)
            with self.lock:
                self.sent += len(part)


def handler_for(root: Path, link: Link) -> type:
    class Handler(build.Handler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            f = root / (path.lstrip("/") or "index.html")
            if f.is_dir():
                f = f / "index.html"
            with link.lock:
                link.requests.append(path)
            if link.rtt:
                time.sleep(link.rtt)
            if not f.is_file():
                self.send_error(404)
                return
            data = f.read_bytes()
            encoded = f.suffix in GZIP_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")
            if encoded:
                data = gzip.compress(data, 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(f)))
            self.send_header("Content-Length", str(len(data)))
            if encoded:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            link.send(self.wfile, data)

    return Handler


def quiet(link: Link, seconds: float = 2.0, most: float = 600.0) -> None:
    """Wait until the server has sent nothing for ``seconds``."""
    end = time.monotonic() + most
    last, since = link.sent, time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.2)
        if link.sent != last:
            last, since = link.sent, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return


def visit_pair(browser, root: Path, ready_js: str, profile: str) -> dict:
    """A first and a repeat visit in one fresh context, on a fresh server and link."""
    rate, rtt = PROFILES[profile]
    link = Link(rate, rtt)
    # a simulated link is served on 127.0.0.2: to the page a host that is not this machine by
    # name, so it decides as a visitor's browser would (web/js/worker/boot.js, snapshotPays)
    host = "127.0.0.1" if rate is None else "127.0.0.2"
    cls = type("Server", (http.server.ThreadingHTTPServer,), {"daemon_threads": True})
    server = cls((host, 0), functools.partial(handler_for(root, link), directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{host}:{server.server_address[1]}/"
    out: dict = {}
    try:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(900_000)
        page.goto(url)
        t = page.evaluate(ready_js)
        out["first"] = {**t, "bytes_ready": link.sent, "requests_ready": len(link.requests)}
        sw = page.evaluate(SW_SETTLED)
        quiet(link)
        out["first"].update(bytes_total=link.sent, requests_total=len(link.requests), sw=sw,
                            repeated=sorted({p for p in link.requests if link.requests.count(p) > 1}))
        before, n_before = link.sent, len(link.requests)
        page.goto(url)
        t = page.evaluate(ready_js)
        out["repeat"] = {**t, "bytes_ready": link.sent - before,
                         "requests_ready": len(link.requests) - n_before}
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profiles", default="localhost,desktop,mobile")
    ap.add_argument("--mobile-runs", type=int, default=1, help="runs at the mobile profile (slow)")
    args = ap.parse_args(argv)
    profiles = [p for p in args.profiles.split(",") if p]
    for p in profiles:
        if p not in PROFILES:
            ap.error(f"--profiles: unknown profile {p!r} (known: {', '.join(PROFILES)})")
    make_bare_site()
    from playwright.sync_api import sync_playwright

    sites = {"page": (build.DIST, PAGE_READY), "bare": (BARE, BARE_READY)}
    results: dict[tuple[str, str], list[dict]] = {}
    load_before = os.getloadavg()
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(p))
        for profile in profiles:
            runs = args.mobile_runs if profile == "mobile" else args.runs
            for i in range(runs):
                for name, (root, ready_js) in sites.items():
                    r = visit_pair(browser, root, ready_js, profile)
                    results.setdefault((profile, name), []).append(r)
                    f, rep = r["first"], r["repeat"]
                    print(f"    {profile:9s} run {i + 1} {name:4s}: first ready {f['ready']:7.0f} ms, "
                          f"{f['bytes_ready'] / 1e6:5.2f} MB until ready, {f['bytes_total'] / 1e6:5.2f} MB "
                          f"in all ({f['requests_total']} requests, service worker {f['sw']}"
                          f"{', twice: ' + ' '.join(f['repeated']) if f['repeated'] else ''}); "
                          f"repeat ready {rep['ready']:6.0f} ms, {rep['bytes_ready'] / 1e6:5.2f} MB",
                          flush=True)
        browser.close()
    load_after = os.getloadavg()

    def med(profile: str, name: str, visit: str, key: str) -> float | None:
        vals = [r[visit][key] for r in results[(profile, name)] if r[visit].get(key) is not None]
        return statistics.median(vals) if vals else None

    print("\n    First visit and repeat visit, medians (ms from navigation; MB the server sent)")
    print("    profile   site  first ready  1st epoch  MB to ready  MB in all  repeat ready  repeat MB")
    for profile in profiles:
        for name in sites:
            fe = med(profile, name, "first", "firstEpoch")
            print(f"    {profile:9s} {name:4s} {med(profile, name, 'first', 'ready'):11.0f}  "
                  f"{'-' if fe is None else f'{fe:9.0f}':>9s}  "
                  f"{med(profile, name, 'first', 'bytes_ready') / 1e6:11.2f}  "
                  f"{med(profile, name, 'first', 'bytes_total') / 1e6:9.2f}  "
                  f"{med(profile, name, 'repeat', 'ready'):12.0f}  "
                  f"{med(profile, name, 'repeat', 'bytes_ready') / 1e6:9.2f}")
    print("\n    Goals (issue 17), as ratios measured in this run:")

    def goal(text: str, value: float, limit: float) -> None:
        print(f"    {text}: {value:.2f}  (goal <= {limit}: {'met' if value <= limit else 'NOT met'})")

    for profile in profiles:
        bare = med(profile, "bare", "first", "ready")
        first, repeat = med(profile, "page", "first", "ready"), med(profile, "page", "repeat", "ready")
        total, to_ready = med(profile, "page", "first", "bytes_total"), med(profile, "page", "first", "bytes_ready")
        if profile == "desktop":
            goal("desktop: first visit ready / bare Pyodide ready", first / bare, 0.70)
        if profile == "localhost":
            goal("localhost: first visit ready / bare Pyodide ready", first / bare, 0.47)
        goal(f"{profile}: repeat visit ready / bare first visit ready", repeat / bare, 0.30)
        goal(f"{profile}: first visit bytes in all / bytes until ready", total / to_ready, 1.05)
    print(f"    load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
          f"after: {', '.join(f'{x:.2f}' for x in load_after)} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
