"""Animation benchmark (run by `python3 build.py bench`; not a test).

For the default network (circle, 2-4-2-1) and the 64-32-10 network fed random
inputs (#preset=wide), in headless Chromium (software rendering, --disable-gpu):

* one four-phase sample step at speed 1: frame rate while it animates, the
  longest main-thread task (PerformanceObserver "longtask"), the trace's size
  (JSON characters as the page received it) and the step's round trip
  (worker time + transfer + parse, from the page);
* 4 s of play with the condensed animation on: frame rate, longest task,
  worker milliseconds per training slice (median), snapshots received.

Goals (issue 7): ≥ 50 fps and no task over 50 ms for the default problem,
≥ 30 fps for 64-32-10. The machine is shared: the load average is printed
with the numbers, and nothing here is a pass/fail test.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # chromium.py, shared with the browser tests

from chromium import launch_args
from playwright.sync_api import sync_playwright

import build

CASES = [("default 2-4-2-1", ""), ("64-32-10 (random inputs)", "#preset=wide")]
OBSERVE = """() => { window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({type: 'longtask'}); }"""
RESET = "() => { window.__long = []; window.__f0 = window.pynet.stats().frames; window.__t0 = performance.now(); }"
READ = """() => ({ longest: Math.max(0, ...window.__long), tasks: window.__long.length,
  fps: (window.pynet.stats().frames - window.__f0) * 1000 / (performance.now() - window.__t0),
  stats: window.pynet.stats() })"""


def measure(page, url: str) -> dict:
    page.goto(url)
    page.evaluate(OBSERVE)
    page.evaluate("window.pynet.ready")
    page.wait_for_timeout(500)
    out = {}
    page.evaluate(RESET)
    size = page.evaluate("window.pynet.stepSample().then((t) => JSON.stringify(t).length)")
    r = page.evaluate(READ)
    out["step"] = {"fps": r["fps"], "longest": r["longest"], "trace_chars": size,
                   "round_trip_ms": r["stats"]["lastStepMs"]}
    page.evaluate("window.pynet.play()")
    page.wait_for_timeout(500)
    page.evaluate(RESET)
    page.wait_for_timeout(4000)
    r = page.evaluate(READ)
    page.evaluate("window.pynet.pause()")
    out["play"] = {"fps": r["fps"], "longest": r["longest"], "worker_ms": r["stats"]["workerMsMedian"],
                   "snapshots": r["stats"]["snapshots"]}
    return out


def main() -> int:
    server = build.make_server(build.DIST, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(p))
        for name, hash_ in CASES:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, service_workers="block")
            results[name] = measure(page, base + hash_)
            page.close()
        browser.close()
    server.shutdown()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for name, r in results.items():
        s, pl = r["step"], r["play"]
        print(f"    {name}:")
        print(f"      sample step, four phases at speed 1: {s['fps']:.0f} fps, longest main-thread task "
              f"{s['longest']:.0f} ms, trace {s['trace_chars'] / 1000:.1f} k chars (JSON), "
              f"step round trip {s['round_trip_ms']:.0f} ms")
        print(f"      playing (condensed glow), 4 s: {pl['fps']:.0f} fps, longest task {pl['longest']:.0f} ms, "
              f"worker {pl['worker_ms']:.1f} ms per slice (median), {pl['snapshots']} snapshots")
    print(f"    load average (1, 5, 15 min): {load} on {os.cpu_count()} cores; goals: default ≥ 50 fps and "
          f"no task > 50 ms, 64-32-10 ≥ 30 fps")
    if "--json" in sys.argv:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
