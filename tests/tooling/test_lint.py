"""build.py lint: every check reported on one line, the output of those that fail,
and a non-zero status if any failed; `build.py test` stops on a failed lint.

tests/tooling/ tests build.py itself: CPython only (the Pyodide run ignores it)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import build


def check(code: int, text: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; print({text!r}); sys.exit({code})"]


def test_lint_reports_each_check_on_one_line_and_passes_when_all_pass(capsys):
    assert build.lint([("first", check(0, "fine")), ("second", check(0, "also fine"))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out if "passed (" in line] == ["first", "second"]
    assert "fine" not in "\n".join(out)  # a passing check's output is not shown


def test_lint_fails_if_one_check_fails_and_shows_that_output(capsys):
    status = build.lint([("good", check(0, "quiet")), ("bad", check(3, "bad.py:1: the finding")),
                         ("after", check(0, "still run"))])
    out = capsys.readouterr().out
    assert status != 0
    assert "bad" in out and "FAILED (exit status 3" in out
    assert "bad.py:1: the finding" in out
    assert "after" in out and out.count("passed (") == 2  # every check runs, not only up to the failure


def test_a_missing_tool_is_a_failed_check_that_names_it(capsys):
    assert build.lint([("ghost", ["/nonexistent/ghost-linter", "."])]) != 0
    assert "could not run `/nonexistent/ghost-linter .`" in capsys.readouterr().out


def test_the_checks_are_ruff_mypy_tsc_and_the_js_unit_tests():
    names = [name for name, _ in build.linters()]
    assert names == ["ruff check .", "mypy pynet", "tsc -p .", "node --test tests/js/"]


def test_build_py_test_stops_when_lint_fails(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(build, "setup", lambda: None)
    monkeypatch.setattr(build, "build", lambda: None)
    monkeypatch.setattr(build, "lint", lambda: 1)
    monkeypatch.setattr(build, "provide_browser", lambda: ran.append("browser"))
    monkeypatch.setattr(build, "run_tests", lambda extra: ran.append("tests") or 0)
    assert build.main(["test", "tests/x.py"]) == 1
    assert ran == []
    assert "lint failed" in capsys.readouterr().err
