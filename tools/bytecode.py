"""Precompile Python sources to bytecode, inside Pyodide's own CPython.

Run by tools/run_in_pyodide.mjs (build.py calls it), never by the host Python:
bytecode is only valid for the interpreter that made it (Pyodide 314.x carries
CPython 3.14; the host's 3.12 bytecode would be ignored or refused).

    bytecode.py stdlib IN.zip OUT.zip WHEEL [REST.zip]
                                              python_stdlib.zip with a .pyc beside
                                              each .py that the page imports; with
                                              REST.zip, OUT.zip holds only those
                                              modules and REST.zip everything else
    bytecode.py wheel IN.whl OUT.whl          the wheel with __pycache__/*.cpython-314.pyc

Which stdlib modules the page imports is found out, not listed: WHEEL (the
pynet wheel, imported straight from the zip) runs the page's conversation
(every facade op, iris and digits) in this fresh interpreter, and every module
then loaded from the stdlib zip gets a .pyc (about 140 of its 559 modules, plus
the few this script needs itself; not the frozen ones, which never load from the
zip). The others stay source only, as before: an import Pyodide does not need at
start-up still works, compiled when it happens, and the zip grows by about
1.3 MB instead of 4.5 MB for all of them.

build.py runs the stdlib step with PYTHONNODEBUGRANGES=1: the stdlib's .pyc carry
no column tables (a third of their size; the first visit's download is a goal),
so tracebacks through stdlib frames show file, line and source but not the
~~~^^^ markers under it; pynet's own .pyc keep them.

Every .pyc is an *unchecked* hash-based pyc (PEP 552): the importer loads it
without reading or hashing the source, which is where the start-up time goes.
The .py files stay, so tracebacks still show source lines (linecache reads
them through the importer), and each code object's co_filename is the path the
normal import would have given it, so tracebacks look exactly as before.
Output is deterministic: entry order and timestamps are copied from the input.
"""

from __future__ import annotations

import sys

# Where Pyodide mounts these files; must match what the page's import system sees.
STDLIB_MOUNT = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
SITE_PACKAGES = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"


def modules_the_page_imports(wheel: str, mount: str) -> set[str]:
    """Zip entry names (``json/decoder.py``) of the stdlib modules loaded once
    the page's conversation has run. Called before this script imports
    anything else, so its own imports hardly add to the set."""
    sys.path.insert(0, wheel)  # a pure wheel is importable as a zip
    import importlib
    import json

    importlib.invalidate_caches()   # the worker's boot calls it (it imports importlib.metadata)
    # what Pyodide's loadPackage imports to install the wheel (the page's normal boot)
    import pathlib, shutil, site, tarfile, tempfile, zipfile  # noqa: F401, I001
    from pynet import datasets, facade
    f = facade.Facade()
    for request in ({"op": "defaults"}, {"op": "init", "settings": {"seed": 3}},
                    {"op": "step", "n": 2, "snapshot": True}, {"op": "state"}, {"op": "data"},
                    {"op": "predict", "points": [[0.5, -0.5]]}, {"op": "step_sample"},
                    {"op": "train_for", "ms": 5, "glow": "gradient"}, {"op": "grid", "n": 5},
                    {"op": "confusion"}, {"op": "export_python"}, {"op": "checkpoint", "data": True},
                    {"op": "run_python", "code": "print(net)\n1 / 0"},
                    {"op": "load_csv", "text": "a,b,y\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n"},
                    {"op": "set_state", "settings": {"dataset": "iris"}}, {"op": "compare", "epochs": 1},
                    {"op": "set_state", "settings": {"dataset": "plane"}}, {"op": "bad"}):
        json.loads(f.handle(json.dumps(request)))
    model = json.loads(f.handle('{"op": "export_model"}'))["json"]
    json.loads(f.handle(json.dumps({"op": "load_model", "json": model})))
    datasets.iris()
    datasets.digits()
    sys.path.remove(wheel)
    # the spec's origin, not __file__: frozen modules (os, codecs, site, ...) have a
    # __file__ in the zip but never load from it, so bytecode for them is dead weight
    origins = (getattr(getattr(m, "__spec__", None), "origin", None) or ""
               for m in list(sys.modules.values()))
    return {f[len(mount) + 1:] for f in origins if f.startswith(mount + "/")}


USED = (modules_the_page_imports(sys.argv[4], STDLIB_MOUNT)
        if __name__ == "__main__" and sys.argv[1:2] == ["stdlib"] else set())

# imported after the function above on purpose: see its docstring
import base64
import contextlib
import hashlib
import importlib._bootstrap_external as bootstrap_external
import importlib.util
import zipfile


def to_pyc(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=0)
    return bytes(bootstrap_external._code_to_hash_pyc(
        code, importlib.util.source_hash(source), checked=False))


def copy_entry(zout: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    zout.writestr(info, data, compress_type=info.compress_type)


def pyc_info(template: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(name, date_time=template.date_time)
    out.compress_type = zipfile.ZIP_DEFLATED
    out.external_attr = template.external_attr
    return out


def stdlib(src: str, dst: str, used: set[str], rest: str | None = None) -> None:
    """Without ``rest``: the whole zip, with a .pyc beside each module the page
    imports. With ``rest``: ``dst`` holds only those .pyc (what a first visit
    downloads) and ``rest`` every other entry, their sources included (fetched
    when an import or a traceback first needs it: web/js/worker/stdlib-rest.py)."""
    compiled = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout, \
            (zipfile.ZipFile(rest, "w") if rest else contextlib.nullcontext()) as zrest:
        for info in zin.infolist():
            data = zin.read(info)
            if zrest is None or info.filename in used:   # sources stay beside (tracebacks)
                copy_entry(zout, info, data)
            else:
                copy_entry(zrest, info, data)
            if info.filename in used:
                # zipimport looks for NAME.pyc next to NAME.py (no __pycache__ in zips)
                zout.writestr(pyc_info(info, info.filename + "c"),
                              to_pyc(data, f"{STDLIB_MOUNT}/{info.filename}"))
                compiled += 1
    missing = used - {i.filename for i in zipfile.ZipFile(src).infolist()}
    if missing:  # the interpreter is not running on this zip: the list would be wrong
        raise SystemExit(f"stdlib: {src} lacks modules this interpreter imported: {sorted(missing)[:5]}")
    print(f"stdlib: {compiled} of the zip's modules compiled (those the page imports)", flush=True)


def record_line(name: str, data: bytes) -> str:
    h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={h},{len(data)}"


def wheel(src: str, dst: str) -> None:
    tag = sys.implementation.cache_tag
    compiled = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        infos = zin.infolist()
        record = next(i for i in infos if i.filename.endswith(".dist-info/RECORD"))
        added: list[str] = []
        for info in infos:
            if info is record:
                continue
            data = zin.read(info)
            copy_entry(zout, info, data)
            if info.filename.endswith(".py"):
                folder, _, base = info.filename.rpartition("/")
                name = f"{folder}/__pycache__/{base[:-3]}.{tag}.pyc"
                pyc = to_pyc(data, f"{SITE_PACKAGES}/{info.filename}")
                zout.writestr(pyc_info(info, name), pyc)
                added.append(record_line(name, pyc))
                compiled += 1
        # RECORD lists every file with its hash (PEP 376/427): keep the wheel valid.
        lines = [line for line in zin.read(record).decode().splitlines()
                 if line and not line.startswith(record.filename + ",")]
        lines += added + [f"{record.filename},,"]
        copy_entry(zout, record, ("\n".join(lines) + "\n").encode())
    print(f"wheel: {compiled} modules compiled", flush=True)


if __name__ == "__main__":
    kind, src, dst = sys.argv[1:4]
    if kind == "stdlib":
        stdlib(src, dst, USED, sys.argv[5] if len(sys.argv) > 5 else None)
    else:
        wheel(src, dst)
