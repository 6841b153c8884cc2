"""Soak benchmark (run by `python3 build.py bench`; not a test).

The default problem (circle, 2-4-2-1 tanh, batch 10) playing with the
condensed animation on (the glow of the gradient shares) in headless Chromium
for 20,000 training steps (batches). Measured after a warm-up of 1,000 steps
and at the end, each time paused and after a forced garbage collection:

* the JS heap in use (CDP Runtime.getHeapUsage, after HeapProfiler.collectGarbage);
* the worker's wasm memory (Pyodide's linear memory, reported by the worker:
  window.pynet.memory(); it only grows, so growth = memory that was needed);
* Python objects alive in the worker (len(gc.get_objects()) through the
  Python panel's op) -- the stand-in for live PyProxies: the worker makes
  none per call (JSON text in and out), only its one long-lived handle;
* the frame rate over 2 s of play right after the warm-up and after the
  20,000th step (so the run ends a few thousand steps past 20,000).

Goal (issue 9): growth under 5 MB. The machine is shared: the load average is
printed with the numbers; nothing here is a pass/fail test.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # chromium.py, shared with the browser tests

from chromium import launch_args
from playwright.sync_api import sync_playwright

import build

WARM_UP = 1_000
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20_000
STEPS_NOW = """window.pynet.state().then((s) => s.epoch * Math.ceil(s.train_size / s.settings.batch_size)
  + Math.ceil((s.cursor || 0) / s.settings.batch_size))"""
FPS = """() => new Promise((done) => { const f0 = window.pynet.stats().frames, t0 = performance.now();
  setTimeout(() => done((window.pynet.stats().frames - f0) * 1000 / (performance.now() - t0)), 2000); })"""
PY_OBJECTS = "window.pynet._request({op: 'run_python', code: 'import gc; gc.collect(); len(gc.get_objects())'})"


def memory(page, cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    wasm = page.evaluate("window.pynet.memory()")["wasmBytes"]
    py = int(page.evaluate(PY_OBJECTS)["stdout"])
    return {"js_heap": heap["usedSize"], "wasm": wasm, "py_objects": py}


def steps_done(page) -> int:
    return page.evaluate(STEPS_NOW)


def play_until(page, steps: int) -> float:
    """Play until `steps` training steps are done, then 2 s more: the fps of those 2 s."""
    page.evaluate("window.pynet.play()")
    while steps_done(page) < steps:   # state() is answered between slices
        time.sleep(0.05)
    fps = page.evaluate(FPS)
    page.evaluate("window.pynet.pause()")
    return fps


def main() -> int:
    server = build.make_server(build.DIST, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/#shares=gradient"
    with sync_playwright() as p:
        args = launch_args(p)
        browser = p.chromium.launch(**args)
        ctx = browser.new_context(viewport={"width": 1440, "height": 900}, service_workers="block")
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        page.goto(url)
        page.evaluate("window.pynet.ready")
        t0 = time.perf_counter()
        fps_start = play_until(page, WARM_UP)
        start_steps = steps_done(page)
        start = memory(page, cdp)
        fps_end = play_until(page, STEPS)
        end_steps = steps_done(page)
        end = memory(page, cdp)
        seconds = time.perf_counter() - t0
        ctx.close()
        browser.close()
    server.shutdown()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    mb = lambda b: b / 1e6
    print(f"    {end_steps:,} steps (batches of 10) playing with the glow on, in {seconds:.0f} s")
    print(f"    after {start_steps:,} steps: JS heap {mb(start['js_heap']):.2f} MB, wasm {mb(start['wasm']):.2f} MB, "
          f"{start['py_objects']:,} Python objects; {fps_start:.0f} fps")
    print(f"    after {end_steps:,} steps: JS heap {mb(end['js_heap']):.2f} MB, wasm {mb(end['wasm']):.2f} MB, "
          f"{end['py_objects']:,} Python objects; {fps_end:.0f} fps")
    print(f"    growth: JS heap {mb(end['js_heap'] - start['js_heap']):+.2f} MB, wasm "
          f"{mb(end['wasm'] - start['wasm']):+.2f} MB, Python objects {end['py_objects'] - start['py_objects']:+,} "
          f"(goal: under 5 MB)")
    print(f"    load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    if "--json" in sys.argv:
        print(json.dumps({"start": start, "end": end, "fps": [fps_start, fps_end], "steps": end_steps}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
