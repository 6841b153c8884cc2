"""Start-up (README "Start-up"): bytecode, the heap snapshot and its fallback.

The same conversation (tests/browser/startup_conversation.py) is held with the
snapshot boot, the bytecode-only boot (`?boot=normal`) and the plain boot
(build/site-plain/: npm's stdlib, the source-only wheel), in Node (the page's
worker, web/js/runtime.js, run by boot_node.mjs) and in Chromium; answers must
be identical JSON. A missing, truncated, foreign or corrupt snapshot must still
give a working page with the same answers, said on the console only.
"""

from __future__ import annotations

import base64
import concurrent.futures
import gzip
import hashlib
import json
import os
import subprocess
import zipfile

import pytest
import startup_conversation as conv
from conftest import build

HERE = build.ROOT / "tests" / "browser"
#: a zone with a half-hour offset and daylight saving time, so a frozen UTC shows
TZ = "America/St_Johns"


def build_info(site=build.DIST) -> dict:
    text = (site / "js" / "build-info.js").read_text()
    return json.loads(text.split("export default ", 1)[1].rstrip().rstrip(";"))


# ---------------------------------------------------------------- what the build made
def test_the_first_download_is_bytecode_of_what_the_page_imports_and_the_rest_waits_in_its_own_zip():
    npm = zipfile.ZipFile(build.PYODIDE_NPM / "python_stdlib.zip")
    ours = zipfile.ZipFile(build.DIST / "pyodide" / "python_stdlib.zip")
    rest = zipfile.ZipFile(build.DIST / "pyodide" / build.STDLIB_REST)
    theirs = {i.filename: npm.read(i) for i in npm.infolist()}
    sources = [n for n in ours.namelist() if not n.endswith(".pyc")]
    first = [n for n in ours.namelist() if n.endswith(".pyc")]
    # every npm entry byte for byte in one of the two; the page's modules with their
    # sources (tracebacks read as before), the rest apart
    for name, data in theirs.items():
        assert (ours if name in sources else rest).read(name) == data, name
    assert set(rest.namelist()) | set(sources) == set(theirs) and not set(rest.namelist()) & set(sources)
    assert sorted(sources) == sorted(n[:-1] for n in first)
    assert first and all(n[:-1] in theirs for n in first)
    assert {"json/decoder.pyc", "random.pyc", "gzip.pyc", "csv.pyc", "importlib/metadata/__init__.pyc"} <= set(first)
    assert not {"os.pyc", "codecs.pyc", "importlib/_bootstrap.pyc"} & set(first)  # frozen: never loaded
    assert "colorsys.pyc" not in first      # nothing the page does imports it
    first_bytes = (build.DIST / "pyodide" / "python_stdlib.zip").stat().st_size
    rest_bytes = (build.DIST / "pyodide" / build.STDLIB_REST).stat().st_size
    assert first_bytes < 0.6 * (first_bytes + rest_bytes)   # a first visit skips over 40 % of it
    magics = set()
    for name in first:
        head = ours.read(name)[:16]
        magics.add(head[:4])
        # PEP 552 flags: bit 0 = hash-based, bit 1 = check the source; we want 0b01
        assert int.from_bytes(head[4:8], "little") == 0b01, name
    assert len(magics) == 1  # one interpreter made them all


def test_the_wheel_carries_unchecked_bytecode_and_a_valid_record():
    (wheel,) = (build.DIST / "pyodide").glob("pynet-*.whl")
    z = zipfile.ZipFile(wheel)
    names = z.namelist()
    sources = [n for n in names if n.startswith("pynet/") and n.endswith(".py")]
    for src in sources:
        folder, _, base = src.rpartition("/")
        pyc = f"{folder}/__pycache__/{base[:-3]}.cpython-314.pyc"
        assert pyc in names, pyc
        assert int.from_bytes(z.read(pyc)[4:8], "little") == 0b01, pyc
    record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
    rows = [line.split(",") for line in z.read(record_name).decode().splitlines() if line]
    listed = {row[0] for row in rows}
    assert listed == set(names)
    for path, digest_, size in rows:
        if path == record_name:
            continue
        data = z.read(path)
        want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest_, int(size)) == (f"sha256={want}", len(data)), path


def test_the_snapshot_is_keyed_on_the_files_the_page_loads():
    info = build_info()["snapshot"]
    rt = build.DIST / "pyodide"
    (wheel,) = rt.glob("pynet-*.whl")
    assert info["file"] == f"pyodide/{build.SNAPSHOT_FILE}"
    assert info["key"] == build.snapshot_key(rt / "python_stdlib.zip", wheel)
    raw = gzip.decompress((rt / build.SNAPSHOT_FILE).read_bytes())
    header = f"PYNETSNAP1\n{info['key']}\n".encode()
    assert raw.startswith(header) and len(raw) - len(header) == info["bytes"]
    # another stdlib or wheel gives another key, so an old snapshot is refused
    plain = build.PLAIN_SITE / "pyodide"
    assert build.snapshot_key(plain / "python_stdlib.zip", wheel) != info["key"]
    assert build.snapshot_key(rt / "python_stdlib.zip", plain / wheel.name) != info["key"]


def test_the_plain_site_is_the_page_without_bytecode_or_snapshot():
    rt = build.PLAIN_SITE / "pyodide"
    assert (rt / "python_stdlib.zip").read_bytes() == (build.PYODIDE_NPM / "python_stdlib.zip").read_bytes()
    (wheel,) = rt.glob("pynet-*.whl")
    assert not any(n.endswith(".pyc") for n in zipfile.ZipFile(wheel).namelist())
    assert not (rt / build.SNAPSHOT_FILE).exists() and build_info(build.PLAIN_SITE)["snapshot"] is None
    lock = json.loads((rt / "pyodide-lock.json").read_text())
    assert lock["packages"]["pynet"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()


# ---------------------------------------------------------------- in Node
NODE_RUNS = {  # name: (site, extra arguments)
    "snapshot": (build.DIST, []),
    "snapshot again": (build.DIST, ["--boot", "bogus"]),  # an unknown mode: the default, and a warning
    "bytecode": (build.DIST, ["--boot", "normal"]),
    "plain": (build.PLAIN_SITE, []),
    "missing": (build.DIST, ["--tamper", "missing"]),
    "truncated": (build.DIST, ["--tamper", "truncated"]),
    "foreign": (build.DIST, ["--tamper", "foreign"]),
    "corrupt": (build.DIST, ["--tamper", "corrupt"]),
}


@pytest.fixture(scope="module")
def node_runs(tmp_path_factory) -> dict[str, dict]:
    """Every boot of NODE_RUNS, each holding the whole conversation (two at a time)."""
    path = tmp_path_factory.mktemp("startup") / "conversation.json"
    path.write_text(json.dumps({"facade": conv.FACADE, "python": conv.PYTHON}))
    env = dict(os.environ, TZ=TZ)

    def run(item):
        name, (site, extra) = item
        proc = subprocess.run(["node", str(HERE / "boot_node.mjs"), str(site), str(path), *extra],
                              capture_output=True, text=True, env=env, timeout=300, check=False)
        assert proc.returncode == 0, f"{name}: {proc.stderr[-2000:]}"
        return name, json.loads(proc.stdout.strip().splitlines()[-1])

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, NODE_RUNS.items()))


def test_node_every_boot_gives_identical_answers(node_runs):
    for name, out in node_runs.items():
        assert "failed" not in out, f"{name}: {out.get('failed')}"
    base = node_runs["plain"]
    assert base["boot"] == "normal"
    oks = [a["ok"] for a in base["facade"]]
    assert oks[:8] == [True] * 8 and oks[12:] == [False, False]  # (8-11: iris/digits, see FACADE)
    assert base["python"]["iris_history"][-1] < base["python"]["iris_history"][0]
    for name, out in node_runs.items():
        assert out["facade"] == base["facade"], name
        assert conv.comparable(out["python"]) == conv.comparable(base["python"]), name


def test_node_the_snapshot_is_used_and_bytecode_is_loaded(node_runs):
    assert node_runs["snapshot"]["boot"] == "snapshot" and node_runs["snapshot"]["warnings"] == []
    again = node_runs["snapshot again"]
    assert again["boot"] == "snapshot"
    assert again["warnings"] == ['pynet: unknown boot mode "bogus" (known: auto, normal, snapshot); using "auto"']
    assert node_runs["bytecode"]["boot"] == "normal" and node_runs["bytecode"]["warnings"] == []
    for name in ("snapshot", "bytecode"):
        diag = node_runs[name]["python"]["diag"]
        assert diag == {"json.decoder": "/lib/python314.zip/json/decoder.pyc", "pynet.network pyc": True}
    assert node_runs["plain"]["python"]["diag"] == {
        "json.decoder": "/lib/python314.zip/json/decoder.py", "pynet.network pyc": False}


def test_node_tracebacks_show_source_lines_with_bytecode(node_runs):
    py = node_runs["snapshot"]["python"]
    assert "pynet/network.py" in py["traceback_pynet"] and "ValueError" in py["traceback_pynet"]
    assert "return _default_decoder.decode(s)" in py["traceback_stdlib"]  # a source line, from the zip
    plain = node_runs["plain"]["python"]
    assert py["traceback_pynet"] == plain["traceback_pynet"]  # pynet's frames: even the ~~~^^^ markers


def test_node_the_visitor_gets_fresh_random_state_and_own_time_zone(node_runs):
    draws = {name: out["python"]["random"] for name, out in node_runs.items()}
    assert draws["snapshot"] != draws["snapshot again"]
    assert len(set(draws.values())) == len(draws)
    # St John's: UTC−3:30, daylight saving time; as the plain boot sees it, not the build's UTC
    assert node_runs["snapshot"]["python"]["time"][:4] == [12600, 9000, 1, ["UTC-0330", "UTC-0230"]]


@pytest.mark.parametrize("tamper, why", [
    ("missing", "pynet.snapshot: HTTP 404"),
    ("truncated", "pynet.snapshot"),
    ("foreign", "belongs to another build"),
    ("corrupt", "it did not restore"),
])
def test_node_a_bad_snapshot_falls_back_to_the_normal_boot(node_runs, tamper, why):
    out = node_runs[tamper]
    assert out["boot"] == "normal"
    assert len(out["warnings"]) == 1 and "not using the heap snapshot" in out["warnings"][0]
    assert why in out["warnings"][0]
    assert out["facade"] == node_runs["snapshot"]["facade"]


# ---------------------------------------------------------------- in Chromium
#: served as pyodide/pyodide.mjs in these tests only: keeps the instance the
#: worker made, so the test can talk to that very interpreter (worker.evaluate)
WRAPPER = b"""
import { loadPyodide as real, version } from "./pyodide-real.mjs";
export { version };
export async function loadPyodide(options) {
  const pyodide = await real(options);
  self.__pynetTestPyodide = pyodide;
  return pyodide;
}
"""
CONVERSE = """([requests, code]) => {
  const pyodide = self.__pynetTestPyodide;
  const facade = pyodide.pyimport("pynet.facade");
  const answers = requests.map((r) => JSON.parse(facade.handle(JSON.stringify(r))));
  facade.destroy();
  return { facade: answers, python: JSON.parse(pyodide.runPython(code)) };
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": TZ}


def converse_in_chromium(app, site, query: str = "", root=build.DIST) -> dict:
    """Open the page, wait until it is ready, hold the conversation in its worker."""
    site.server.root = root
    site.server.override["pyodide/pyodide-real.mjs"] = (root / "pyodide" / "pyodide.mjs").read_bytes()
    site.server.override["pyodide/pyodide.mjs"] = WRAPPER
    warnings: list[str] = []
    app.page.on("worker", lambda w: w.on("console", lambda m: warnings.append(m.text)
                                         if m.type == "warning" else None))
    app.page.goto(site.url + query)
    first = app.ready()
    assert first["epoch"] == 0 and app.call("window.pynet.phase") == "ready"
    (worker,) = app.page.workers
    out = worker.evaluate(CONVERSE, [conv.FACADE, conv.PYTHON])
    out["boot"] = "snapshot" if app.call("'snapshotRestored' in window.pynet.timings.worker") else "normal"
    out["warnings"] = warnings
    return out


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["snapshot", "bytecode", "plain"])
def test_chromium_every_boot_gives_the_same_answers_as_node(app, site, console_errors, node_runs, mode):
    query, root = {"snapshot": ("", build.DIST), "bytecode": ("?boot=normal", build.DIST),
                   "plain": ("", build.PLAIN_SITE)}[mode]
    out = converse_in_chromium(app, site, query, root)
    assert out["boot"] == ("snapshot" if mode == "snapshot" else "normal")
    assert out["warnings"] == [] and console_errors == []
    reference = node_runs["plain"]
    assert out["facade"] == reference["facade"]
    assert conv.comparable(out["python"]) == conv.comparable(reference["python"])
    assert out["python"]["random"] not in {r["python"]["random"] for r in node_runs.values()}


@pytest.mark.browser
@pytest.mark.parametrize("tamper", ["missing", "truncated", "foreign"])
def test_chromium_a_bad_snapshot_still_gives_a_working_page(app, site, console_errors, node_runs, tamper):
    path = f"pyodide/{build.SNAPSHOT_FILE}"
    good = (build.DIST / path).read_bytes()
    if tamper == "missing":
        site.server.blocked.add(path)
    elif tamper == "truncated":
        site.server.override[path] = good[: len(good) // 2]
    else:
        raw = bytearray(gzip.decompress(good))
        raw[11:75] = b"0" * 64  # another build's key
        site.server.override[path] = gzip.compress(bytes(raw), 1)
    out = converse_in_chromium(app, site)
    assert out["boot"] == "normal"
    assert len(out["warnings"]) == 1 and "not using the heap snapshot" in out["warnings"][0]
    assert console_errors == []  # nothing for the user: no error, no error UI
    assert app.page.locator("#error").is_hidden()
    assert out["facade"] == node_runs["plain"]["facade"]
    assert conv.comparable(out["python"]) == conv.comparable(node_runs["plain"]["python"])


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["pyodide/python_stdlib.zip", "pyodide/pyodide.asm.wasm"])
def test_chromium_without_the_snapshot_a_missing_runtime_file_is_still_named(app, site, missing):
    """(tests/browser/test_page.py checks every file with the snapshot boot.)"""
    site.server.blocked.add(missing)
    app.page.goto(site.url + "?boot=normal")
    error = app.page.locator("#error")
    error.wait_for(state="visible", timeout=30_000)
    assert missing.split("/")[-1] in error.text_content() and "404" in error.text_content()
    assert app.call("window.pynet.phase") == "error"
