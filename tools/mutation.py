"""Mutation testing of one pynet module with mutmut, scoped to a focused test
selection so a run fits a small machine (not part of CI: it is slow).

    .venv/bin/pip install -r tools/mutation-requirements.txt     # once
    .venv/bin/python tools/mutation.py training                   # HEAD's code and tests
    .venv/bin/python tools/mutation.py training --rev caa1730     # another commit's
    .venv/bin/python tools/mutation.py network --show             # diffs of the survivors
    .venv/bin/python tools/mutation.py network --only 'pynet.network.x_propagate__mutmut_*'

It copies the commit's tracked files to ``build/mutation/<module>-<rev>/``,
adds a ``[tool.mutmut]`` section mutating only ``pynet/<module>.py`` (or
``pynet/page/<module>.py``) with the
tests listed in ``FOCUS`` below (the ones that exercise that module; mutmut
then runs, per mutant, only those of them that call the mutated function),
runs ``mutmut run`` there and prints the score and every surviving mutant.
``pyproject.toml``'s own ``[tool.mutmut]`` section is the unscoped set-up
(all target modules, the whole unit suite) for ``.venv/bin/mutmut run`` in
a clean checkout.
"""

from __future__ import annotations

import argparse
import collections
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGE = ["tests/page", "tests/engine/test_doctests.py"]
FOCUS = {
    "activations": ["tests/reference/test_network_numpy.py", "tests/reference/test_finite_differences.py",
                    "tests/reference/test_chapter.py", "tests/engine/test_network.py",
                    "tests/engine/test_activations.py"],
    "losses": ["tests/reference/test_network_numpy.py", "tests/reference/test_finite_differences.py",
               "tests/reference/test_chapter.py"],
    "trace": ["tests/engine/test_trace.py", "tests/reference/test_chapter.py", "tests/engine/test_course.py",
              "tests/reference/test_network_numpy.py", "tests/engine/test_network.py",
              "tests/engine/test_fast.py"],
    # the page's backend (pynet/page/): its request groups, state, settings table and CSV
    **{m: PAGE for m in ("requests", "state", "settings", "session", "training", "model_files",
                         "panel", "recovery", "compare", "tabular", "spec", "snippet")},
    "data": [*PAGE, "tests/engine/test_metrics.py"],
    "paths": ["tests/engine/test_paths.py", "tests/reference/test_paths_numpy.py"],
    "network": ["tests/engine/test_network.py", "tests/reference/test_chapter.py", "tests/engine/test_course.py",
                "tests/engine/test_trace.py", "tests/reference/test_network_numpy.py",
                "tests/reference/test_finite_differences.py", "tests/engine/test_fast.py"],
    "fast": ["tests/engine/test_fast.py", "tests/engine/test_network.py", "tests/engine/test_course.py",
             "tests/engine/test_trace.py"],
}


def export(rev: str, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    # the harness fix (fresh kernel cache per mutant) applies to every revision
    shutil.copy(ROOT / "tests" / "conftest.py", dest / "tests" / "conftest.py")


def configure(dest: Path, module: str) -> None:
    py = dest / "pyproject.toml"
    text = py.read_text(encoding="utf-8")
    # replace any existing section: its header and every line up to the next table's header
    text = re.sub(r"\n\[tool\.mutmut\]\n(?:(?!\[).*(?:\n|$))*", "\n", text)
    tests = [t for t in FOCUS[module] if (dest / t).exists()]
    # an engine module in pynet/, a page module in pynet/page/
    target = next((p for p in (f"pynet/{module}.py", f"pynet/page/{module}.py") if (dest / p).exists()),
                  f"pynet/{module}.py")
    text += ("\n[tool.mutmut]\n"
             'source_paths = ["pynet"]\n'
             f'only_mutate = ["{target}"]\n'
             f"pytest_add_cli_args_test_selection = {tests!r}\n".replace("'", '"') +
             'pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not slow"]\n'
             'also_copy = ["README.md"]\n')
    py.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("module", choices=sorted(FOCUS))
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", action="store_true", help="print the diff of every survivor")
    ap.add_argument("--only", nargs="+", default=[], metavar="NAME",
                    help="run only these mutants (mutmut names, * globs): e.g. the survivors "
                         "of an earlier run and every mutant of the functions changed since")
    args = ap.parse_args()
    rev = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    dest = ROOT / "build" / "mutation" / f"{args.module}-{rev}"
    export(rev, dest)
    configure(dest, args.module)
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run([mutmut, "run", "--max-children", str(args.jobs), *args.only], cwd=dest,
                   env=env, stdout=subprocess.DEVNULL, check=False)
    out = subprocess.run([mutmut, "results", "--all", "true"], cwd=dest, env=env,
                         capture_output=True, text=True, check=False).stdout
    status = dict(line.strip().rsplit(": ", 1) for line in out.splitlines() if ": " in line)
    if args.only:   # the score of the mutants run (the others are "not checked")
        status = {k: v for k, v in status.items() if v != "not checked"}
    counts = collections.Counter(status.values())
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    total = sum(counts.values())
    print(f"pynet/{args.module}.py at {rev}: {killed} of {total} mutants killed "
          f"({100 * killed / max(total, 1):.1f} %); {dict(sorted(counts.items()))}")
    for name, st in sorted(status.items()):
        if st not in ("killed", "timeout"):
            print(f"  {st}: {name}")
            if args.show:
                print(subprocess.run([mutmut, "show", name], cwd=dest, env=env,
                                     capture_output=True, text=True, check=False).stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
