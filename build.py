#!/usr/bin/env python3
"""pynet's one entry point: set up, build, serve, test and benchmark.

    python3 build.py serve [--port 8000] [--open]   set up, build, serve dist/
    python3 build.py test [pytest args]             set up, build, lint, run every test
    python3 build.py lint                           set up, build, run the linters only
    python3 build.py build                          set up and build dist/ only
    python3 build.py bench                          set up, build, run the benchmarks

Standard library only at top level: it runs with the bare interpreter and
creates .venv (pinned dev requirements from pyproject.toml) and node_modules
(npm ci from package-lock.json) itself, idempotently; `test` and `bench` also
provide a Chromium (see provide_browser).
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import functools
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
WEB = ROOT / "web"
NODE_MODULES = ROOT / "node_modules"
PYODIDE_NPM = NODE_MODULES / "pyodide"
D3_NPM = NODE_MODULES / "d3"
MIN_PYTHON = (3, 12)
MIN_NODE = 20
PYODIDE_PYTHON = "3.14"  # the CPython inside pyodide 314.x
#: the only runtime files the page needs (plus our lock and wheel)
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
#: the heap snapshot in dist/pyodide/ (optional for the page: it falls back to a normal boot)
SNAPSHOT_FILE = "pynet.snapshot"
#: the stdlib modules the page does not import at start-up (and every source), in dist/pyodide/:
#: fetched on the first import that needs one (tools/bytecode.py, web/js/worker/stdlib-rest.py)
STDLIB_REST = "python_stdlib_rest.zip"
#: the page without bytecode and snapshot, for the equivalence tests and the benchmark
PLAIN_SITE = BUILD / "site-plain"
#: dev requirements that also run inside Pyodide for the unit tests
PYODIDE_TEST_REQS = ("pytest", "hypothesis")
MIME = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
        ".svg": "image/svg+xml", ".css": "text/css", ".html": "text/html", ".png": "image/png"}


class StepFailed(Exception):
    """A set-up or build step failed; the message says which and why."""


# ---------------------------------------------------------------- output
def step(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def info(msg: str) -> None:
    print(f"    {msg}", flush=True)


def run(cmd: Sequence[object], what: str, **kw) -> subprocess.CompletedProcess:
    """Run a command; on failure raise StepFailed naming the command and its output."""
    shown = " ".join(str(c) for c in cmd)
    capture = kw.pop("capture", True)
    try:
        proc = subprocess.run([str(c) for c in cmd], cwd=kw.pop("cwd", ROOT), text=True,
                              capture_output=capture, **kw, check=False)
    except FileNotFoundError as exc:
        raise StepFailed(f"{what}: could not run `{shown}`: {exc.strerror}: {exc.filename}") from exc
    if proc.returncode != 0:
        tail = ""
        if capture:
            out = ((proc.stdout or "") + (proc.stderr or "")).strip().splitlines()
            tail = "\n".join("      " + line for line in out[-25:])
        raise StepFailed(f"{what}: `{shown}` exited with status {proc.returncode}\n{tail}")
    return proc


def digest(paths: list[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def stamp_ok(name: str, value: str) -> bool:
    p = BUILD / "stamps" / name
    return p.exists() and p.read_text() == value


def stamp_write(name: str, value: str) -> None:
    p = BUILD / "stamps" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(value)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


# ---------------------------------------------------------------- set-up
def check_python() -> None:
    if sys.version_info < MIN_PYTHON:
        need = ".".join(map(str, MIN_PYTHON))
        found = ".".join(map(str, sys.version_info[:3]))
        raise StepFailed(
            f"Python {need} or newer is needed, but this is Python {found} ({sys.executable}).\n"
            f"    With pyenv, `.python-version` selects {need} in this folder "
            f"(`pyenv install {need}` if it is missing); otherwise run `python{need} build.py ...`.")


def dev_requirements() -> list[str]:
    import tomllib
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return list(data["project"]["optional-dependencies"]["dev"])


def setup_venv() -> None:
    reqs = dev_requirements()
    want = f"{sys.version_info[:3]}|{'|'.join(reqs)}"
    py = venv_python()
    if py.exists() and stamp_ok("venv", want):
        info(".venv is up to date")
        return
    if py.exists():
        found = subprocess.run([str(py), "-c", "import sys; print(sys.version_info[:3])"],
                               capture_output=True, text=True, check=False).stdout.strip()
        if found != str(tuple(sys.version_info[:3])):
            info(f".venv was made with Python {found or '?'}; recreating it with "
                 f"{sys.version.split()[0]}")
            shutil.rmtree(VENV)
    if not py.exists():
        step(f"Creating .venv with {sys.executable} ({sys.version.split()[0]})")
        run([sys.executable, "-m", "venv", VENV], "create .venv")
    step(f"Installing {len(reqs)} pinned development requirements into .venv")
    run([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", *reqs],
        "pip install the dev requirements from pyproject.toml")
    stamp_write("venv", want)


def setup_npm() -> None:
    npm = shutil.which("npm")
    node = shutil.which("node")
    if not npm or not node:
        raise StepFailed(f"Node.js >= {MIN_NODE} with npm is needed (for Pyodide and the page's "
                         "JS libraries), but `node`/`npm` is not on PATH.")
    lock = ROOT / "package-lock.json"
    want = digest([ROOT / "package.json", lock])
    if (PYODIDE_NPM / "pyodide.mjs").exists() and stamp_ok("npm", want):
        info("node_modules is up to date")
        return
    ver = run([node, "--version"], "node --version").stdout.strip()
    major = int(ver.lstrip("v").split(".")[0] or 0)
    if major < MIN_NODE:
        raise StepFailed(f"Node.js >= {MIN_NODE} is needed, found {ver} ({node}).")
    step("Installing the page's JS dependencies (npm ci from package-lock.json)")
    run([npm, "ci", "--no-audit", "--no-fund"], "npm ci")
    stamp_write("npm", want)


def setup() -> None:
    step("Set-up")
    check_python()
    setup_venv()
    setup_npm()


# ---------------------------------------------------------------- build
def pynet_sources() -> list[Path]:
    files = [p for p in (ROOT / "pynet").rglob("*") if p.is_file()
             and "__pycache__" not in p.parts and not p.name.endswith((".pyc", ".pyo"))]
    return files + [ROOT / "pyproject.toml"] + ([ROOT / "README.md"] if (ROOT / "README.md").exists() else [])


def build_wheel() -> Path:
    """Build the pynet wheel into build/wheel/ unless the sources are unchanged."""
    out = BUILD / "wheel"
    want = digest(pynet_sources())
    wheels = sorted(out.glob("pynet-*.whl"))
    if len(wheels) == 1 and stamp_ok("wheel", want):
        info(f"wheel is up to date: {wheels[0].name}")
        return wheels[0]
    step("Building the pynet wheel")
    shutil.rmtree(out, ignore_errors=True)
    # setuptools' own scratch space; stale files there could end up in the wheel (an old
    # pynet.egg-info's SOURCES.txt adds modules of packages pyproject.toml does not list)
    for scratch in [BUILD / "lib", *BUILD.glob("bdist.*"), ROOT / "pynet.egg-info"]:
        shutil.rmtree(scratch, ignore_errors=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="315532800")  # reproducible zip timestamps
    run([venv_python(), "-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps",
         "--no-build-isolation", "-w", out, "."], "build the pynet wheel", env=env)
    for scratch in [BUILD / "lib", *BUILD.glob("bdist.*"), ROOT / "pynet.egg-info"]:
        shutil.rmtree(scratch, ignore_errors=True)
    wheels = sorted(out.glob("pynet-*.whl"))
    if len(wheels) != 1:
        raise StepFailed(f"build the pynet wheel: expected one wheel in {out}, found {wheels}")
    stamp_write("wheel", want)
    info(f"built {wheels[0].name}")
    return wheels[0]


def build_lock(wheel: Path, name: str = "lock") -> Path:
    """A pyodide-lock.json listing only our wheel (with its sha256), kept with the
    original `info` block; regenerated whenever the wheel changes. Written to
    build/<name>/ (one per wheel: the page's, and the plain site's)."""
    lock = BUILD / name / "pyodide-lock.json"
    want = hashlib.sha256(wheel.read_bytes()).hexdigest() + "|" + digest([PYODIDE_NPM / "pyodide-lock.json"])
    if lock.exists() and stamp_ok(name, want):
        info("pyodide-lock.json is up to date")
        return lock
    step("Writing pyodide-lock.json for the wheel (pyodide lockfile add-wheels)")
    lock.parent.mkdir(parents=True, exist_ok=True)
    base = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    base_path = BUILD / name / "base-lock.json"
    base_path.write_text(json.dumps({"info": base["info"], "packages": {}}, indent=1))
    run([venv_bin("pyodide"), "lockfile", "add-wheels", "--input", base_path,
         "--output", lock, wheel], "pyodide lockfile add-wheels")
    data = json.loads(lock.read_text())
    entry = data["packages"].get("pynet")
    if not entry or entry.get("sha256") != hashlib.sha256(wheel.read_bytes()).hexdigest():
        raise StepFailed(f"pyodide lockfile add-wheels: {lock} does not list {wheel.name} "
                         "with its sha256")
    stamp_write(name, want)
    return lock


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def node_tool(script: str, *args: object, what: str, env: dict | None = None) -> str:
    """Run tools/<script> with Node (Pyodide from node_modules); returns its output."""
    proc = run(["node", ROOT / "tools" / script, *args], what, env=env)
    out = (proc.stdout or "").strip()
    for line in out.splitlines():
        info(line)
    return out


def build_bytecode(wheel: Path) -> tuple[Path, Path]:
    """python_stdlib.zip and the wheel with unchecked-hash .pyc files, compiled by
    Pyodide's own CPython in Node (tools/bytecode.py); sources stay in both, for
    tracebacks. Redone only when the wheel, Pyodide or the tool change."""
    out = BUILD / "bytecode"
    stdlib, fast_wheel = out / "python_stdlib.zip", out / wheel.name
    rest = out / STDLIB_REST
    tools = [ROOT / "tools" / "bytecode.py", ROOT / "tools" / "run_in_pyodide.mjs"]
    want = "|".join([sha256_file(wheel), digest([PYODIDE_NPM / "python_stdlib.zip",
                                                 PYODIDE_NPM / "pyodide.asm.wasm", *tools])])
    if stdlib.exists() and rest.exists() and fast_wheel.exists() and stamp_ok("bytecode", want):
        info("bytecode is up to date")
        return stdlib, fast_wheel
    step("Compiling the stdlib zip and the wheel to bytecode with Pyodide's CPython (Node)")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rel = lambda p: p.relative_to(ROOT)
    node_tool("run_in_pyodide.mjs", "tools/bytecode.py", "stdlib", rel(PYODIDE_NPM / "python_stdlib.zip"),
              rel(stdlib), rel(wheel), rel(rest), what="compile python_stdlib.zip to bytecode",
              env=dict(os.environ, PYTHONNODEBUGRANGES="1"))  # why: tools/bytecode.py
    node_tool("run_in_pyodide.mjs", "tools/bytecode.py", "wheel", rel(wheel), rel(fast_wheel),
              what="compile the pynet wheel to bytecode", env={k: v for k, v in os.environ.items()
                                                               if k != "PYTHONNODEBUGRANGES"})
    for made in (stdlib, rest, fast_wheel):
        made.chmod(0o644)  # NODEFS creates files 0666
    stamp_write("bytecode", want)
    return stdlib, fast_wheel


def snapshot_key(stdlib: Path, wheel: Path) -> str:
    """What a snapshot is valid for: the exact runtime, stdlib zip and wheel the
    page loads (and the tool that made it)."""
    parts = [f"{name}={sha256_file(PYODIDE_NPM / name)}" for name in RUNTIME_FILES[:3]]
    parts += [f"python_stdlib.zip={sha256_file(stdlib)}", f"{wheel.name}={sha256_file(wheel)}",
              f"make_snapshot.mjs={sha256_file(ROOT / 'tools' / 'make_snapshot.mjs')}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def build_snapshot(stdlib: Path, wheel: Path) -> dict:
    """The heap snapshot (tools/make_snapshot.mjs, TZ=UTC), remade whenever its key
    changes. Returns build-info's entry: file, key, bytes (unpacked Pyodide part)."""
    out = BUILD / "snapshot" / SNAPSHOT_FILE
    key = snapshot_key(stdlib, wheel)
    meta = BUILD / "snapshot" / "snapshot.json"
    if out.exists() and meta.exists() and stamp_ok("snapshot", key):
        info("heap snapshot is up to date")
        return json.loads(meta.read_text())
    step("Making the heap snapshot (Pyodide booted, pynet imported)")
    out.parent.mkdir(parents=True, exist_ok=True)
    node_tool("make_snapshot.mjs", "--stdlib", stdlib, "--wheel", wheel, "--key", key, "--out", out,
              what="make the heap snapshot", env=dict(os.environ, TZ="UTC"))
    import gzip
    raw = gzip.decompress(out.read_bytes())
    header = f"PYNETSNAP1\n{key}\n".encode()
    if not raw.startswith(header):
        raise StepFailed(f"make the heap snapshot: {out} does not start with its key")
    entry = {"file": f"pyodide/{SNAPSHOT_FILE}", "key": key, "bytes": len(raw) - len(header)}
    meta.write_text(json.dumps(entry))
    stamp_write("snapshot", key)
    return entry


def build_plain_site(wheel: Path, lock: Path) -> None:
    """build/site-plain/: the page as it was before bytecode and snapshot (npm's
    python_stdlib.zip, the source-only wheel): what the equivalence tests and
    `build.py bench` compare the fast start-up against. Not for deploying."""
    wanted: set[Path] = set()
    for src in site_sources():
        sync_file(src, PLAIN_SITE / src.relative_to(WEB), wanted)
    runtime = {name: PYODIDE_NPM / name for name in RUNTIME_FILES}
    assemble_runtime(PLAIN_SITE, runtime, wheel, lock, None, wanted)
    finish_site(PLAIN_SITE, wanted)
    prune(PLAIN_SITE, wanted)


def assemble_runtime(site: Path, runtime: dict[str, Path], wheel: Path, lock: Path,
                     snapshot: dict | None, wanted: set[Path], stdlib_rest: Path | None = None) -> int:
    """Copy the runtime files, wheel, lock, snapshot and d3 into a site; write its
    js/build-info.js. Returns how many files changed."""
    rt = site / "pyodide"
    changed = 0
    for name, src in runtime.items():
        if not src.exists():
            raise StepFailed(f"copy the Pyodide runtime: {src} is missing (npm ci?)")
        changed += sync_file(src, rt / name, wanted)
    changed += sync_file(wheel, rt / wheel.name, wanted)
    changed += sync_file(lock, rt / "pyodide-lock.json", wanted)
    if snapshot:
        changed += sync_file(BUILD / "snapshot" / SNAPSHOT_FILE, rt / SNAPSHOT_FILE, wanted)
    rest = None
    if stdlib_rest is not None:
        changed += sync_file(stdlib_rest, rt / STDLIB_REST, wanted)
        import zipfile
        with zipfile.ZipFile(stdlib_rest) as z:   # top-level names an import may ask for
            names = sorted({n.split("/")[0].removesuffix(".py") for n in z.namelist()
                            if n.endswith(".py")})
        rest = {"file": f"pyodide/{STDLIB_REST}", "bytes": stdlib_rest.stat().st_size, "names": names}
    changed += sync_file(D3_NPM / "dist" / "d3.min.js", site / "vendor" / "d3.min.js", wanted)
    pyodide_version = json.loads((PYODIDE_NPM / "package.json").read_text())["version"]
    sizes = {f"pyodide/{n}": (rt / n).stat().st_size for n in runtime}
    sizes[f"pyodide/{wheel.name}"] = wheel.stat().st_size
    if snapshot:
        sizes[snapshot["file"]] = (rt / SNAPSHOT_FILE).stat().st_size
    from pynet.page import settings, spec  # pure Python: the page's settings have one source of truth
    build_info = {"pyodide": pyodide_version, "wheel": wheel.name, "sizes": sizes,
                  "total": sum(sizes.values()), "snapshot": snapshot, "stdlibRest": rest,
                  "settings": {"defaults": settings.DEFAULTS, "limits": settings.LIMITS,
                               "live": list(settings.LIVE),
                               # the settings table: web/js/settings.js builds its parsers from it
                               "table": [dataclasses.asdict(t) for t in settings.SETTINGS],
                               "shapes": spec.shapes()}}
    changed += write_if_changed(site / "js" / "build-info.js",
                                "// Written by build.py: what the page loads, how big it is, and the\n"
                                "// settings' defaults and limits from pynet/page/settings.py.\n"
                                f"export default {json.dumps(build_info, indent=2)};\n", wanted)
    return changed


FINISHED = {"index.html", "sw.js"}  # web/'s files that finish_site writes (not copied as they are)


def site_sources() -> list[Path]:
    """web/'s files copied into a site as they are: not those finish_site writes, nor
    the type declarations that only `tsc` reads (web/js/*.d.ts)."""
    return sorted(p for p in WEB.rglob("*") if p.is_file() and p.name not in FINISHED
                  and not p.name.endswith(".d.ts"))


def finish_site(site: Path, wanted: set[Path]) -> int:
    """index.html's file list and Content-Security-Policy (inline hashes), and sw.js
    (tools/site_files.py)."""
    from tools import site_files
    index = site / "index.html"
    listed = site_files.page_files(site, [p for p in wanted if p.is_file()])
    html = site_files.fill_page_files((WEB / "index.html").read_text(), listed)
    changed: int = write_if_changed(index, site_files.fill_csp(html), wanted)
    sw = site / "sw.js"
    files = [p for p in wanted if p != sw and p.is_file()]
    sw_text = site_files.fill_service_worker((WEB / "sw.js").read_text(), site, files,
                                             optional=(f"pyodide/{SNAPSHOT_FILE}", f"pyodide/{STDLIB_REST}"))
    changed += write_if_changed(sw, sw_text, wanted)
    return changed


def prune(site: Path, wanted: set[Path]) -> int:
    """Drop anything in site/ no longer produced; returns how many files went."""
    removed = 0
    for p in sorted(site.rglob("*"), reverse=True):
        if p.is_file() and p not in wanted:
            p.unlink()
            removed += 1
        elif p.is_dir() and not any(p.iterdir()):
            p.rmdir()
    return removed


def sync_file(src: Path, dst: Path, wanted: set[Path]) -> bool:
    wanted.add(dst)
    if dst.exists():
        a, b = src.stat(), dst.stat()
        if a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns:
            return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    return True


def write_if_changed(dst: Path, text: str, wanted: set[Path]) -> bool:
    wanted.add(dst)
    if dst.exists() and dst.read_text() == text:
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(text)
    return True


def build(quiet: bool = False) -> None:
    t0 = time.perf_counter()
    step("Build")
    wheel = build_wheel()
    stdlib, fast_wheel = build_bytecode(wheel)
    lock = build_lock(fast_wheel)
    snapshot = build_snapshot(stdlib, fast_wheel)
    wanted: set[Path] = set()
    changed = 0
    for src in site_sources():
        changed += sync_file(src, DIST / src.relative_to(WEB), wanted)
    runtime = {name: PYODIDE_NPM / name for name in RUNTIME_FILES}
    runtime["python_stdlib.zip"] = stdlib
    changed += assemble_runtime(DIST, runtime, fast_wheel, lock, snapshot, wanted,
                                BUILD / "bytecode" / STDLIB_REST)
    changed += finish_site(DIST, wanted)
    removed = prune(DIST, wanted)
    build_plain_site(wheel, build_lock(wheel, "lock-plain"))
    total = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file())
    info(f"dist/: {len(wanted)} files, {total / 1e6:.1f} MB ({changed} updated, {removed} removed) "
         f"in {time.perf_counter() - t0:.2f} s")


# ---------------------------------------------------------------- serve
class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with correct MIME types and no caching (always the latest build)."""

    # the base class's own attribute, replaced for this class (not a shared default)
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}  # noqa: RUF012

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt: str, *args) -> None:  # quiet unless an error
        if args and str(args[1] if len(args) > 1 else "").startswith(("4", "5")):
            super().log_message(fmt, *args)


def make_server(directory: Path, port: int, handler: type = Handler) -> http.server.ThreadingHTTPServer:
    """Bind 127.0.0.1:port (0 = any free port); raises OSError if taken."""
    cls = type("Server", (http.server.ThreadingHTTPServer,), {"daemon_threads": True,
                                                             "allow_reuse_address": False})
    return cls(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, open_browser: bool) -> int:
    try:
        server = make_server(DIST, port)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            why = "is already in use" if exc.errno == errno.EADDRINUSE else "is not allowed"
            raise StepFailed(f"serve: port {port} {why}; try `python3 build.py serve --port "
                             f"{free_port()}`") from exc
        raise
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    step(f"Serving dist/ at {url}  (Ctrl-C to stop)")
    if open_browser:
        import webbrowser
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        server.server_close()
    return 0


# ---------------------------------------------------------------- browser
# The browser tests and the load benchmark drive a Chromium through Playwright. `test` and
# `bench` provide one like .venv and node_modules: one already there, else Playwright's
# download, else Debian's package; `serve` and `build` never ask for one.

#: Chromium flags: --no-sandbox (added for root) and the ones that keep it from calling home,
#: which a closed network would refuse many times over (shared/notes/pyodide.md).
CHROMIUM_FLAGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--disable-quic", "--disable-gpu"]
#: how build.py tells the tests which browser it chose ("playwright" = Playwright's own)
CHROMIUM_ENV = "PYNET_CHROMIUM"
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser")
PLAYWRIGHT_PROBE = """
import json, sys
from playwright.sync_api import sync_playwright
what, path, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with sync_playwright() as p:
    if what == "where":
        print(p.chromium.executable_path)
    else:
        browser = p.chromium.launch(args=args, **({"executable_path": path} if path else {}))
        browser.new_page().set_content("<p>ok</p>")
        browser.close()
        print("launched")
"""


def chromium_args() -> list[str]:
    return (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []) + CHROMIUM_FLAGS


class Machine:
    """What choosing a browser needs to know about, or do to, this machine.
    tests/tooling/test_browser_setup.py replaces it with a fake."""

    def playwright_chromium(self) -> str | None:
        """Path of Playwright's own Chromium for the pinned Playwright, if it is installed."""
        proc = subprocess.run([str(venv_python()), "-c", PLAYWRIGHT_PROBE, "where", "", "[]"],
                              capture_output=True, text=True, check=False)
        path = proc.stdout.strip()
        return path if proc.returncode == 0 and path and Path(path).exists() else None

    def system_chromium(self) -> str | None:
        for name in SYSTEM_CHROMIUMS:
            if found := shutil.which(name):
                return found
        return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None

    def launch_error(self, path: str | None) -> str | None:
        """None if Playwright can start this Chromium (None = its own) and open a page,
        else the reason."""
        proc = subprocess.run([str(venv_python()), "-c", PLAYWRIGHT_PROBE, "launch", path or "",
                               json.dumps(chromium_args())], capture_output=True, text=True,
                              timeout=120, check=False)
        if proc.returncode == 0:
            return None
        lines = [ln for ln in (proc.stderr + proc.stdout).strip().splitlines() if ln.strip()]
        return lines[-1] if lines else f"exit status {proc.returncode}"

    def run(self, cmd: list[str], timeout: float) -> tuple[int, str]:
        """Run a command, showing its output as it comes (installs are slow);
        return (exit status, its last line of output)."""
        info(f"$ {' '.join(cmd)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, env=env)
        except FileNotFoundError as exc:
            return 127, f"{exc.filename}: not found"
        deadline, last = time.monotonic() + timeout, ""
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip():
                last = line.strip()
                print(f"      {last}", flush=True)
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                return 124, f"gave up after {timeout:.0f} s"
        return proc.wait(), last

    def apt_get(self) -> str | None:
        return shutil.which("apt-get")

    def is_root(self) -> bool:
        return hasattr(os, "geteuid") and os.geteuid() == 0

    def passwordless_sudo(self) -> bool:
        if not shutil.which("sudo"):
            return False
        return subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0


def provide_browser(machine: Machine | None = None) -> str | None:
    """Find or install a Chromium that Playwright can drive; return its path (None means
    Playwright's own). Prints one line saying which and why; raises StepFailed with the
    exact command to run when there is none and none can be installed."""
    m = machine or Machine()
    tried: list[str] = []

    def usable(path: str | None, what: str) -> bool:
        why = m.launch_error(path)
        if why is None:
            return True
        tried.append(f"{what} did not start: {why}")
        return False

    own = m.playwright_chromium()
    if own and usable(None, f"Playwright's Chromium ({own})"):
        info(f"Browser: Playwright's own Chromium, {own} (already installed)")
        return None
    system = m.system_chromium()
    if system and usable(system, f"the system Chromium ({system})"):
        reason = "Playwright's own is not installed" if not own else "Playwright's own did not start"
        info(f"Browser: the system Chromium, {system} (already installed; {reason})")
        return system
    step("No usable Chromium for the browser tests: installing one")
    playwright_cmd = [str(venv_bin("playwright")), "install", "chromium"]
    rc, last = m.run(playwright_cmd, timeout=900)
    if rc == 0:
        own = m.playwright_chromium()
        if own and usable(None, f"Playwright's Chromium ({own})"):
            info(f"Browser: Playwright's own Chromium, {own} (installed just now by "
                 "`playwright install chromium`)")
            return None
    else:
        tried.append(f"`{' '.join(playwright_cmd)}` failed: {last}")
    apt = m.apt_get()
    sudo = [] if m.is_root() else (["sudo", "-n"] if apt and m.passwordless_sudo() else None)
    if apt and sudo is not None:
        for cmd in ([*sudo, apt, "update"], [*sudo, apt, "install", "-y", "chromium"]):
            rc, last = m.run(cmd, timeout=1200)
            if rc != 0:
                tried.append(f"`{' '.join(cmd)}` failed: {last}")
                break
        else:
            system = m.system_chromium()
            if system and usable(system, f"Debian's chromium ({system})"):
                info(f"Browser: the system Chromium, {system} (installed just now with apt-get, "
                     "since Playwright's download failed)")
                return system
            if not system:
                tried.append("apt-get installed chromium, but no chromium is on PATH")
    elif apt:
        tried.append("apt-get is here, but this user is not root and has no password-less sudo")
    else:
        tried.append("there is no apt-get on this machine")
    command = ("sudo apt-get install -y chromium" if apt and not m.is_root() else
               "apt-get install -y chromium" if apt else " ".join(playwright_cmd))
    raise StepFailed("No Chromium for the browser tests, and none could be installed:\n"
                     + "".join(f"      - {t}\n" for t in tried)
                     + f"    Run `{command}`, then `python3 build.py test` again.")


# ---------------------------------------------------------------- test
def pyodide_test_wheels() -> Path:
    """Pure (or wasm) wheels of pytest, hypothesis and their dependencies for
    Pyodide's Python, downloaded once into build/pyodide-wheels/."""
    pins = [r for r in dev_requirements() if r.split("==")[0].split("[")[0] in PYODIDE_TEST_REQS]
    out = BUILD / "pyodide-wheels"
    abi = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())["info"]["abi_version"]
    want = f"{PYODIDE_PYTHON}|{abi}|{'|'.join(pins)}"
    if stamp_ok("pyodide-wheels", want) and any(out.glob("*.whl")):
        info(f"test wheels for Pyodide are cached in {out.relative_to(ROOT)}/")
        return out
    step(f"Downloading wheels of {', '.join(pins)} for Pyodide (Python {PYODIDE_PYTHON})")
    shutil.rmtree(out, ignore_errors=True)
    tag = f"{PYODIDE_PYTHON.replace('.', '')}"
    run([venv_python(), "-m", "pip", "download", "--disable-pip-version-check", "-q",
         "--only-binary=:all:", "--python-version", PYODIDE_PYTHON, "--implementation", "cp",
         "--abi", f"cp{tag}", "--abi", "none", "--platform", f"pyemscripten_{abi}_wasm32",
         "--platform", "any", "-d", out, *pins], "pip download the test wheels for Pyodide")
    stamp_write("pyodide-wheels", want)
    return out


def run_tests(pytest_args: list[str]) -> int:
    results: list[tuple[str, int, str]] = []
    step("Tests on CPython " + sys.version.split()[0] + " (unit tests and browser tests)")
    proc = subprocess.run([str(venv_python()), "-m", "pytest", *pytest_args], cwd=ROOT, check=False)
    results.append(("CPython + browser", proc.returncode, ""))
    wheels = pyodide_test_wheels()
    wheel = next((BUILD / "wheel").glob("pynet-*.whl"))
    step("The same unit tests inside Pyodide (Node)")
    proc = subprocess.run(["node", str(ROOT / "tests" / "pyodide_runner.mjs"),
                           "--wheels", str(wheels), "--pynet", str(wheel), "--", *pytest_args],
                          cwd=ROOT, check=False)
    code = proc.returncode
    if code == 5 and pytest_args:  # pytest's "no tests collected"
        results.append(("Pyodide (Node)", 0, "nothing selected by these arguments"))
    else:
        results.append(("Pyodide (Node)", code, ""))
    step("Summary")
    for name, rc, note in results:
        info(f"{name:20s} {note or ('passed' if rc == 0 else f'FAILED (exit status {rc})')}")
    return next((rc for _, rc, _ in results if rc != 0), 0)


# ---------------------------------------------------------------- lint
def linters() -> list[tuple[str, list[str]]]:
    """The checks `lint` runs, each as (its name, its command); all dev-only, pinned in
    pyproject.toml's dev requirements and package-lock.json."""
    return [("ruff check .", [str(venv_bin("ruff")), "check", "."]),
            ("mypy pynet", [str(venv_bin("mypy")), "pynet"]),
            ("tsc -p .", ["node", str(NODE_MODULES / "typescript" / "bin" / "tsc"), "-p", "."]),
            # the pure JS modules as built (tests/js import dist/js: build-info.js is only there);
            # the files named, not the folder: Node's reading of a folder argument changed over versions
            ("node --test tests/js/", ["node", "--test", *sorted(str(p.relative_to(ROOT)) for p in
                                                                 (ROOT / "tests" / "js").glob("*.test.mjs"))])]


def lint(checks: list[tuple[str, list[str]]] | None = None) -> int:
    """Run every check; one line each, and the output of those that fail.
    Returns 0 if all passed, else 1."""
    step("Lint")
    failed = 0
    for name, cmd in linters() if checks is None else checks:
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, check=False)
            code, out = proc.returncode, (proc.stdout + proc.stderr).strip()
        except FileNotFoundError as exc:
            code, out = 127, f"could not run `{' '.join(cmd)}`: {exc.strerror}: {exc.filename}"
        took = f"{time.perf_counter() - t0:.1f} s"
        if code == 0:
            info(f"{name:24s} passed ({took})")
            continue
        failed += 1
        info(f"{name:24s} FAILED (exit status {code}, {took})")
        print("\n".join("      " + line for line in out.splitlines()), flush=True)
    return 1 if failed else 0


# ---------------------------------------------------------------- bench
#: every benchmark (scripts, not tests: `build.py bench` runs them)
BENCH = ROOT / "bench"


def bench() -> int:
    status = 0
    engine = BENCH / "bench_engine.py"
    if engine.exists():
        step(f"Engine benchmarks ({engine.relative_to(ROOT)})")
        status |= subprocess.run([str(venv_python()), str(engine)], cwd=ROOT, check=False).returncode
    else:
        info(f"{engine.relative_to(ROOT)} not present; skipping the engine benchmarks")
    step("Page load benchmark (headless Chromium, cold cache, median of 3)")
    status |= subprocess.run([str(venv_python()), str(BENCH / "bench_load.py")],
                             cwd=ROOT, check=False).returncode
    status |= bench_startup()
    step("First-visit benchmark (headless Chromium over simulated links; page vs bare Pyodide)")
    status |= subprocess.run([str(venv_python()), str(BENCH / "bench_first_visit.py")],
                             cwd=ROOT, check=False).returncode
    step("Animation benchmark (headless Chromium: default network and 64-32-10)")
    status |= subprocess.run([str(venv_python()), str(BENCH / "bench_anim.py")],
                             cwd=ROOT, check=False).returncode
    step("Playground benchmark (headless Chromium: default problem with every view on; digits to 95 %)")
    status |= subprocess.run([str(venv_python()), str(BENCH / "bench_play.py")],
                             cwd=ROOT, check=False).returncode
    step("Soak benchmarks (20,000 animated steps in Chromium; 1,000,000 Network.train steps in CPython)")
    for script in (BENCH / "bench_page_soak.py", BENCH / "bench_engine_soak.py"):
        status |= subprocess.run([str(venv_python()), str(script)], cwd=ROOT, check=False).returncode
    return status


def bench_startup() -> int:
    """Plain boot vs bytecode vs heap snapshot vs a bare Pyodide, cold and warm."""
    step("Start-up benchmark (headless Chromium; plain, bytecode, snapshot, bare Pyodide; median of 3)")
    return subprocess.run([str(venv_python()), str(BENCH / "bench_startup.py")],
                          cwd=ROOT, check=False).returncode


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="set up, build and serve dist/ on 127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--open", action="store_true", help="open the page in a browser")
    sub.add_parser("test", help="set up, build, run every test (extra args go to pytest)",
                   add_help=False)
    sub.add_parser("build", help="set up and build dist/")
    sub.add_parser("lint", help="set up, build, run ruff, mypy, tsc and the JS unit tests")
    sub.add_parser("bench", help="set up, build, run the benchmarks")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["test"]:  # everything after `test` belongs to pytest
        args, extra = parser.parse_args(["test"]), argv[1:]
    else:
        args, extra = parser.parse_args(argv), []
    try:
        setup()
        build()
        if args.command == "serve":
            return serve(args.port, args.open)
        if args.command == "lint":
            return lint()
        if args.command == "test" and (code := lint()) != 0:
            print("\nERROR: lint failed (above); the tests did not run.", file=sys.stderr, flush=True)
            return code
        if args.command in ("test", "bench"):  # the only commands that drive a browser
            step("Browser")
            chosen = provide_browser()
            os.environ[CHROMIUM_ENV] = chosen or "playwright"  # tests/browser/chromium.py reads it
            return run_tests(extra) if args.command == "test" else bench()
        return 0
    except StepFailed as exc:
        print(f"\nERROR: {exc}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
