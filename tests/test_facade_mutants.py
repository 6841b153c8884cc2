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


def _per_epoch(f: Facade) -> int:
    """step_work's units for one epoch: training samples × (weights + biases),
    counted here from the state's own weight lists."""
    st = call_state(f)
    params = sum(len(w) * len(w[0]) + len(w) for w in st["weights"])
    return len(call_data(f)["train_x"]) * params


def call_state(f: Facade) -> dict:
    return json.loads(f.handle('{"op": "state"}'))


def call_data(f: Facade) -> dict:
    return json.loads(f.handle('{"op": "data"}'))


def test_step_work_allows_exactly_the_limit_and_refuses_one_epoch_more(monkeypatch):
    from facade_calls import call, started
    f = started(seed=2, samples=40)
    per_epoch = _per_epoch(f)
    assert per_epoch == 20 * 25       # 20 training samples, 2-4-2-1 has 25 weights and biases
    monkeypatch.setitem(LIMITS, "step_work", 3 * per_epoch)
    at = call(f, op="step", n=3)                      # n × per_epoch == step_work: allowed
    assert at["ok"] and at["epoch"] == 3, at
    over = call(f, op="step", n=4)
    assert over["ok"] is False and over["type"] == "SettingsError"
    assert over["error"].startswith("n: 4 epochs of 20 training samples"), over
    assert "ask for at most 3 " in over["error"], over
    assert call_state(f)["epoch"] == 3                # the refused request trained nothing


def test_two_epochs_over_the_work_limit_are_refused_one_is_always_allowed(monkeypatch):
    from facade_calls import call, started
    f = started(seed=2, samples=40)
    monkeypatch.setitem(LIMITS, "step_work", _per_epoch(f))    # exactly one epoch
    two = call(f, op="step", n=2)
    assert two["ok"] is False and "ask for at most 1 " in two["error"], two
    monkeypatch.setitem(LIMITS, "step_work", 1)                 # less than one epoch
    one = call(f, op="step", n=1)
    assert one["ok"] and one["epoch"] == 1, one


def test_target_loss_zero_is_off_even_when_the_loss_is_exactly_zero():
    # One own point at the origin with target 0, no bias, linear output and no
    # hidden layer: the output is 0·w = 0 exactly, so every epoch's loss is 0.0.
    # target_loss 0 means "off": training goes on (a stop at loss <= 0 would end it).
    from facade_calls import call, started
    f = started(seed=1, bias=False, hidden=[], output_activation="linear", train_ratio=0.9)
    r = call(f, op="load_csv", text="x1,x2,y\n0,0,0\n0,0,0\n0,0,0\n0,0,0\n0,0,0\n"
                                    "0,0,0\n0,0,0\n0,0,0\n0,0,0\n0,0,0\n", kind="regression")
    assert r["ok"], r
    stepped = call(f, op="step", n=3)
    assert stepped["ok"] and stepped["history"] == [0.0, 0.0, 0.0], stepped
    assert stepped["epoch"] == 3 and stepped["stopped"] is None, stepped
    # and a positive target_loss does stop there, after the first epoch
    assert call(f, op="set_state", settings={"target_loss": 0.001})["ok"]
    stopped = call(f, op="step", n=3)
    assert stopped["epoch"] == 4 and stopped["stopped"] == "target_loss", stopped
