"""Cold page-load benchmark (run by `python3 build.py bench`; not a test).

Serves dist/ in-process, opens it in headless Chromium with a fresh context
(cold HTTP cache) three times, and prints the medians of: network layout drawn,
Python ready, first trained epoch on screen (ms from navigation start), plus the
size of dist/.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # chromium.py, shared with the browser tests

from chromium import launch_args
from playwright.sync_api import sync_playwright

import build

RUNS = 3
TARGET_FIRST_EPOCH_MS = 3500
TARGET_LAYOUT_MS = 500

MEASURE = """() => window.pynet.ready
  .then(() => window.pynet.step(1))
  .then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  .then(() => ({...window.pynet.timings}))"""


def dist_size() -> tuple[int, int, int]:
    files = [p for p in build.DIST.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)
    return len(files), raw, gz


def main() -> int:
    server = build.make_server(build.DIST, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(p))
        for i in range(RUNS):
            context = browser.new_context(service_workers="block")  # a fresh, empty HTTP cache; no service worker
            page = context.new_page()
            page.goto(url)
            t = page.evaluate(MEASURE)
            rows.append(t)
            print(f"    run {i + 1}: layout {t['layout']:.0f} ms, Python ready {t['ready']:.0f} ms, "
                  f"first epoch on screen {t['firstEpoch']:.0f} ms", flush=True)
            context.close()
        browser.close()
    server.shutdown()
    med = {k: statistics.median(r[k] for r in rows) for k in ("layout", "ready", "firstEpoch")}
    n, raw, gz = dist_size()
    ok = lambda v, target: "ok" if v <= target else "OVER TARGET"
    print(f"    median of {RUNS} cold loads (headless Chromium, localhost):")
    print(f"      network layout drawn   {med['layout']:7.0f} ms  (target {TARGET_LAYOUT_MS} ms: "
          f"{ok(med['layout'], TARGET_LAYOUT_MS)})")
    print(f"      Python ready           {med['ready']:7.0f} ms")
    print(f"      first epoch on screen  {med['firstEpoch']:7.0f} ms  (target {TARGET_FIRST_EPOCH_MS} ms: "
          f"{ok(med['firstEpoch'], TARGET_FIRST_EPOCH_MS)})")
    phases = ("workerStarted", "runtimeImported", "pythonStarted", "pynetLoaded", "facadeImported")
    print("      worker phases (median ms from navigation): " + ", ".join(
        f"{k} {statistics.median(r['worker'][k] for r in rows):.0f}" for k in phases))
    print(f"    dist/: {n} files, {raw / 1e6:.1f} MB raw, {gz / 1e6:.1f} MB gzipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
