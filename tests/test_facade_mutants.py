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


def test_stepping_without_training_points_says_so():
    from facade_calls import call, started
    f = started(seed=1)
    assert call(f, op="clear")["ok"], "clear"
    r = call(f, op="step", n=1)
    assert r["ok"] is False
    assert r["error"] == ("data: there are no training points (add points, load_csv or "
                          "choose a dataset)")


def test_the_course_rule_stops_at_the_target_loss_too():
    from facade_calls import call, started
    f = started(seed=3, update="course", target_loss=100)    # any first epoch reaches it
    r = call(f, op="step", n=5)
    assert r["ok"] and r["stopped"] == "target_loss" and r["epoch"] == 1, r
