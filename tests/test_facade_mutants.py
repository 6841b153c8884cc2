"""Facade behaviour that the "after" mutation run of pynet/facade.py found
unpinned by the facade's own test files (README, "Mutation testing"). CPython
and Pyodide alike (no numpy)."""

from __future__ import annotations

import json

from pynet.facade import LIMITS, Facade


def test_a_request_over_the_size_limit_is_refused_whole_and_the_limit_is_exact():
    most = max(LIMITS["model_chars"], LIMITS["csv_chars"]) + 1_000_000
    f = Facade()
    assert json.loads(f.handle(" " * (most + 1))) == {
        "ok": False, "type": "ValueError",
        "error": f"request: {most + 1} characters, more than the limit of {most} (model_chars "
                 f"{LIMITS['model_chars']}, csv_chars {LIMITS['csv_chars']}, plus the request "
                 "around them)"}
    at = json.loads(f.handle(" " * most))        # at the limit: read, then refused as JSON
    assert at["ok"] is False and at["type"] == "ValueError"
    assert at["error"].startswith("request: not valid JSON ("), at
