"""Start-up benchmark (run by `python3 build.py bench`; not a test).

In one run of headless Chromium, loads, three times each and interleaved:
  plain      build/site-plain/ (npm's stdlib zip, source-only wheel: the page before bytecode)
  bytecode   dist/ with ?boot=normal (bytecode, no snapshot)
  snapshot   dist/ (the default: heap snapshot)
  bare       a module worker that only runs loadPyodide() on the npm package's own
             files (node_modules/pyodide) and one runPython: the yardstick
each cold (a fresh browser context: empty HTTP and code caches) and then warm
(the same context, a second visit). Prints medians of: navigation -> network layout
drawn, -> Python ready, -> first trained epoch on screen; the goals as ratios
measured in this run; and what a first visit downloads, raw and gzipped, from
the requests the page really made. Timing is noisy: the load average is printed.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # chromium.py, shared with the browser tests

from chromium import launch_args
from playwright.sync_api import sync_playwright

import build

RUNS = 3
BARE = build.BUILD / "bench-bare"
BARE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

PAGE = """() => window.pynet.ready
  .then(() => window.pynet.step(1))
  .then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  .then(() => ({layout: window.pynet.timings.layout, ready: window.pynet.timings.ready,
                firstEpoch: window.pynet.timings.firstEpoch}))"""
BARE_PAGE = "() => window.bareReady.then((ready) => ({layout: null, ready, firstEpoch: null}))"


def make_bare_site() -> None:
    """index.html + a module worker that boots the npm package's Pyodide, nothing else."""
    (BARE / "pyodide").mkdir(parents=True, exist_ok=True)
    for name in BARE_FILES:
        link = BARE / "pyodide" / name
        if not link.exists():
            link.symlink_to(build.PYODIDE_NPM / name)
    (BARE / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bare Pyodide</title>\n'
        '<script type="module">\n'
        'window.bareReady = new Promise((resolve) => {\n'
        '  const w = new Worker("worker.js", { type: "module" });\n'
        '  w.onmessage = () => resolve(performance.now());\n'
        '});\n</script>\n')
    (BARE / "worker.js").write_text(
        'import { loadPyodide } from "./pyodide/pyodide.mjs";\n'
        'const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });\n'
        'pyodide.runPython("1 + 1");\n'
        'postMessage("ready");\n')


def serve(root: Path):
    server = build.make_server(root, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def transfer(root: Path, paths: set[str]) -> tuple[int, int]:
    """Raw and gzip-6 bytes of the files behind these request paths (a server's
    on-the-fly gzip; the zip, wheel and snapshot are compressed already)."""
    raw = gz = 0
    for path in paths:
        f = root / (path.lstrip("/") or "index.html")
        if f.is_file():
            data = f.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data, 6))
    return raw, gz


def main() -> int:
    make_bare_site()
    modes = {"plain": (build.PLAIN_SITE, "", PAGE), "bytecode": (build.DIST, "?boot=normal", PAGE),
             "snapshot": (build.DIST, "", PAGE), "bare": (BARE, "", BARE_PAGE)}
    servers = {name: serve(root) for name, (root, _, _) in modes.items()}
    rows: dict[tuple[str, str], list[dict]] = {}
    sizes: dict[str, tuple[int, int]] = {}
    load_before = os.getloadavg()
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(p))
        for i in range(RUNS):
            for name, (root, query, measure) in modes.items():
                url = servers[name][1] + query
                # empty HTTP cache, empty code cache; no service worker (it would fill its cache
                # during the cold visit and serve the warm one: README "Robustness", offline)
                context = browser.new_context(service_workers="block")
                seen: set[str] = set()
                context.on("request", lambda r, seen=seen: seen.add(urlsplit(r.url).path))
                page = context.new_page()
                for visit in ("cold", "warm"):
                    page.goto(url)
                    t = page.evaluate(measure)
                    rows.setdefault((name, visit), []).append(t)
                    if visit == "cold" and i == 0:
                        sizes[name] = transfer(root, set(seen))
                    print(f"    run {i + 1} {name:8s} {visit}: " + ", ".join(
                        f"{k} {v:.0f} ms" for k, v in t.items() if v is not None), flush=True)
                context.close()
        browser.close()
    for server, _ in servers.values():
        server.shutdown()
    load_after = os.getloadavg()

    med = {key: {k: (statistics.median(r[k] for r in runs) if runs[0][k] is not None else None)
                 for k in runs[0]} for key, runs in rows.items()}
    fmt = lambda v: "      -" if v is None else f"{v:7.0f}"
    print(f"\n    Start-up, median of {RUNS} (ms from navigation; headless Chromium, localhost)")
    print("    mode      visit   layout    ready  1st epoch")
    for (name, visit), m in med.items():
        print(f"    {name:9s} {visit:5s} {fmt(m['layout'])}  {fmt(m['ready'])}  {fmt(m['firstEpoch'])}")
    print("\n    What a first visit downloads (requests made by the cold load):")
    for name, (raw, gz) in sizes.items():
        print(f"    {name:9s} {raw / 1e6:6.2f} MB raw  {gz / 1e6:6.2f} MB gzipped")
    bare = med[("bare", "cold")]["ready"]
    snap = med[("snapshot", "cold")]
    print("\n    Goals, as ratios measured in this run:")
    for visit in ("cold", "warm"):
        r = med[("snapshot", visit)]["ready"] / med[("bare", visit)]["ready"]
        print(f"    snapshot ready / bare Pyodide ready ({visit}): {r:.2f}  (goal <= 0.5: "
              f"{'met' if r <= 0.5 else 'NOT met'})")
    for name in ("plain", "bytecode"):
        print(f"    snapshot ready / {name} ready (cold): {snap['ready'] / med[(name, 'cold')]['ready']:.2f}")
    gap = snap["firstEpoch"] - snap["ready"]
    print(f"    first epoch on screen after ready (snapshot, cold): {gap:.0f} ms  (goal <= 100 ms: "
          f"{'met' if gap <= 100 else 'NOT met'})")
    ratio = sizes["snapshot"][1] / sizes["plain"][1]
    print(f"    first-visit download gzipped, snapshot / plain: {ratio:.2f}  (goal <= 2: "
          f"{'met' if ratio <= 2 else 'NOT met'})")
    print(f"    bare Pyodide ready (cold): {bare:.0f} ms")
    print(f"    load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
          f"after: {', '.join(f'{x:.2f}' for x in load_after)} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
