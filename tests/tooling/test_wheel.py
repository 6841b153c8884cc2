"""The wheel build.py makes (the page loads it into Pyodide) holds every file of
pynet/: each module of every subpackage, the data files and py.typed. A
subpackage missing from pyproject.toml's packages would leave the page
without it while every CPython test (run from the source tree) still passed."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import build

PYNET = build.ROOT / "pynet"


def source_files() -> set[str]:
    return {p.relative_to(build.ROOT).as_posix() for p in PYNET.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
            and not p.name.endswith((".pyc", ".pyo"))}


def test_the_wheel_holds_every_file_of_pynet():
    wheel = build.build_wheel()    # the one build.py ships (rebuilt only if pynet changed)
    with zipfile.ZipFile(wheel) as z:
        names = {n for n in z.namelist() if n.startswith("pynet/")}
    want = source_files()
    assert {n for n in want if n.endswith(".py")} >= {"pynet/facade.py", "pynet/page/requests.py",
                                                       "pynet/page/state.py"}
    assert sorted(want - names) == []
    assert sorted(n for n in names - want if not n.endswith(".pyc")) == []
