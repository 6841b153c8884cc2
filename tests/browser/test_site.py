"""build.py's output and server (CPython only, no browser needed)."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import urllib.request

import pytest
from conftest import build

DIST = build.DIST


def test_dist_holds_only_the_runtime_files_the_page_needs():
    runtime = sorted(p.name for p in (DIST / "pyodide").iterdir())
    wheel = [n for n in runtime if n.endswith(".whl")]
    assert len(wheel) == 1 and wheel[0].startswith("pynet-")
    assert runtime == sorted([*build.RUNTIME_FILES, "pyodide-lock.json", wheel[0], build.SNAPSHOT_FILE,
                              build.STDLIB_REST])


def test_the_lock_lists_our_wheel_with_its_sha256():
    lock = json.loads((DIST / "pyodide" / "pyodide-lock.json").read_text())
    (wheel,) = (DIST / "pyodide").glob("pynet-*.whl")
    assert list(lock["packages"]) == ["pynet"]
    entry = lock["packages"]["pynet"]
    assert entry["file_name"] == wheel.name
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    npm_lock = json.loads((build.PYODIDE_NPM / "pyodide-lock.json").read_text())
    assert lock["info"] == npm_lock["info"]


def test_the_runtime_files_are_those_of_the_pinned_pyodide():
    pkg = json.loads((build.ROOT / "package.json").read_text())
    assert pkg["dependencies"]["pyodide"] == "314.0.7"  # exact, no ^ or ~
    for name in build.RUNTIME_FILES:
        if name != "python_stdlib.zip":  # ours adds bytecode: tests/browser/test_startup.py
            assert (DIST / "pyodide" / name).read_bytes() == (build.PYODIDE_NPM / name).read_bytes()


def test_the_page_uses_relative_urls_only():
    texts = {p: p.read_text() for p in [DIST / "index.html", *(DIST / "js").rglob("*.js"),
                                        DIST / "css" / "style.css"]}
    for path, text in texts.items():
        refs = re.findall(r'''(?:src|href)\s*=\s*["']([^"']+)''', text)
        # \b: a module name such as "zipimport" in build-info.js is no import
        refs += re.findall(r'''\b(?:import|from)\s*\(?\s*["']([^"']+)["']''', text)
        refs += re.findall(r'''new URL\(\s*["'`]([^"'`]+)''', text)
        for ref in refs:
            ok = ref.startswith(("./", "../", "data:")) or re.match(r"^[\w-]+[\w./-]*$", ref)
            link = path.name == "index.html" and ref == "https://pyodide.org/"  # a link, not a load
            assert ok or link, f"{path.relative_to(DIST)}: non-relative URL {ref!r}"
    assert '<link rel="icon" href="data:,">' in texts[DIST / "index.html"]


def test_server_sends_the_right_mime_types(site):
    types = {"": "text/html", "pyodide/pyodide.asm.wasm": "application/wasm",
             "pyodide/pyodide.mjs": "text/javascript", "js/main.js": "text/javascript",
             "pyodide/pyodide-lock.json": "application/json", "css/style.css": "text/css"}
    for path, mime in types.items():
        with urllib.request.urlopen(site.origin + "/" + path) as r:
            assert r.headers["Content-Type"].split(";")[0] == mime, path


def test_serve_names_a_taken_port_and_suggests_another():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(build.StepFailed, match=rf"port {port} is already in use; try "
                           r"`python3 build\.py serve --port \d+`"):
            build.serve(port, open_browser=False)


def test_an_old_python_gets_a_clear_message(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))
    with pytest.raises(build.StepFailed, match=r"Python 3\.12 or newer is needed, but this is "
                       r"Python 3\.11\.7"):
        build.check_python()


def test_a_failed_command_is_named_with_its_output():
    with pytest.raises(build.StepFailed) as info:
        build.run([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"], "demo step")
    msg = str(info.value)
    assert msg.startswith("demo step: `") and "exited with status 3" in msg and "boom" in msg


def test_a_second_build_changes_nothing():
    cmd = [sys.executable, str(build.ROOT / "build.py"), "build"]
    subprocess.run(cmd, capture_output=True, cwd=build.ROOT, check=True)  # (sources may have changed)
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=build.ROOT, check=True).stdout
    assert "wheel is up to date" in out and "pyodide-lock.json is up to date" in out
    assert "(0 updated, 0 removed)" in out
