"""The README's example prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_readme_example_prints_its_documented_output():
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- readme-example -->", 1)[1]
    code, rest = re.match(r"\s*```python\n(.*?)```(.*)", block, re.DOTALL).groups()
    expected = re.search(r"```\n(.*?)```", rest, re.DOTALL).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})  # noqa: S102  (the README's example, run here)
    got_lines = out.getvalue().strip().splitlines()
    want_lines = expected.strip().splitlines()
    assert len(got_lines) == len(want_lines) == 6
    for got, want in zip(got_lines, want_lines):
        g, w = numbers(got), numbers(want)
        assert len(g) == len(w) > 0
        assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(g, w)), (got, want)
