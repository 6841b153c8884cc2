"""Facade behaviour that the "after" mutation run of pynet/facade.py found
unpinned by the facade's own test files (README, "Mutation testing"). CPython
and Pyodide alike (no numpy)."""

from __future__ import annotations

import json

import pytest

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


# ---------------------------------------------------------------- the full run at 569c2f8

def test_a_weight_that_overflows_while_the_loss_is_finite_is_named_as_a_weight():
    from facade_calls import call, started
    f = started(dataset="plane", activation="linear", hidden=[1], bias=False, batch_size=1,
                samples=20, learning_rate=0.01)
    # h = 1e307·x is finite, the output 1e-300·h is small, but the output weight's
    # gradient (o − t)·h overflows: the step makes a weight infinite, not the loss
    f.net.weights = [[[1e307, 1e307]], [[1e-300]]]
    before = call(f, op="state")
    r = call(f, op="step", n=1)
    assert r["error"] == ("training diverged in epoch 1, step 1 of 10: a weight stopped being a "
                          "finite number, so the learning_rate 0.01 is probably too high. Kept the "
                          "network after epoch 0; epoch 1 undone.")
    assert call(f, op="state") == before


def test_one_epoch_undone_after_kept_ones_is_named_in_the_singular():
    from facade_calls import call, started
    f = started(dataset="plane", activation="linear", hidden=[8, 8, 8], batch_size=1,
                learning_rate=0.001)
    assert call(f, op="step", n=1)["ok"]
    assert call(f, op="set_state", settings={"learning_rate": 10})["reset"] is False
    r = call(f, op="step", n=5)
    assert r["ok"] is False and r["epoch"] == 1
    assert r["error"].startswith("training diverged in epoch 2, step ")
    assert r["error"].endswith(": the loss stopped being a finite number, so the learning_rate 10 "
                               "is probably too high. Kept the network after epoch 1; epoch 2 undone.")


def test_custom_data_without_any_says_what_to_send():
    from facade_calls import call
    r = call(Facade(), op="init", settings={"dataset": "custom"})
    assert r == {"ok": False, "type": "SettingsError",
                 "error": "dataset: 'custom' is your own data and there is none yet: send "
                          "load_csv or add_point first"}


def test_own_data_with_more_than_two_features_allows_wide_hidden_layers():
    # the facade passes the own data's width to validate_settings (hidden's limit)
    from facade_calls import call, started
    f = started(seed=1)
    rows = "".join(f"{i},{i % 3},{i % 5},{'ab'[i % 2]}\n" for i in range(20))
    assert call(f, op="load_csv", text="x1,x2,x3,label\n" + rows)["ok"]
    wide = LIMITS["hidden_nodes_wide"][1]
    r = call(f, op="set_state", settings={"hidden": [wide]})
    assert r["ok"] and r["layers"] == [3, wide, 1], r
    assert call(f, op="set_state", settings={"hidden": [wide + 1]})["error"].startswith(
        f"hidden[0]: expected a whole number from 1 to {wide}, got {wide + 1}")


def test_state_without_losses_answers_the_epoch_only():
    # the page's cheap snapshot while playing: {"losses": false} skips measuring them
    from facade_calls import call, started
    f = started(seed=1)
    assert call(f, op="step", n=2)["ok"]
    full = call(f, op="state")
    cheap = call(f, op="state", losses=False)
    assert "train_loss" not in cheap and "test_loss" not in cheap and cheap["epoch"] == 2
    assert {k: v for k, v in full.items() if k not in ("train_loss", "test_loss", "train_accuracy",
                                                        "test_accuracy")} == cheap
    assert call(f, op="state", losses=True) == full == call(f, op="state", losses=None)


def test_data_gives_whole_target_vectors_when_there_are_several_outputs():
    from facade_calls import call, started
    d = call(started(dataset="iris", seed=1), op="data")
    assert all(len(t) == 3 and sorted(t) == [0.0, 0.0, 1.0] for t in d["train_t"] + d["test_t"])
    assert [t.index(1.0) for t in d["train_t"]] == d["train_y"]
    one = call(started(dataset="xor", seed=1), op="data")
    assert all(t in (-1.0, 1.0) for t in one["train_t"] + one["test_t"])


def test_predict_names_the_shape_a_point_of_a_wide_network_needs():
    from facade_calls import call, started
    f = started(dataset="iris", seed=1)
    r = call(f, op="predict", points=[[0, 0, 0, 0], [1, 2]])
    assert r["ok"] is False
    assert r["error"] == "points[1]: expected a list of 4 finite numbers, got [1, 2]", r
    two = call(started(dataset="xor", seed=1), op="predict", points=[[0, 0], [0, 0, 0]])
    assert two["error"] == "points[1]: expected [x1, x2] with two finite numbers, got [0, 0, 0]", two


def test_own_data_too_small_to_split_is_refused_whole():
    # one row cannot give both a training and a test point: refused, nothing changes
    from facade_calls import call, started
    f = started(seed=1)
    before = call(f, op="state")
    r = call(f, op="load_csv", text="x1,x2,y\n0,0,1\n", kind="regression")
    assert r == {"ok": False, "type": "SettingsError",
                 "error": "train_ratio: 0.5 of 1 samples leaves an empty training or test set"}
    assert call(f, op="state") == before
    two = call(f, op="load_csv", text="x1,x2,y\n0,0,1\n1,1,2\n", kind="regression",
               settings={"train_ratio": 0.9})
    assert two["ok"] and (two["train_size"], two["test_size"]) == (1, 1), two


@pytest.mark.parametrize("op", ["load_model", "restore"])
@pytest.mark.parametrize("depth", [33, 5000, 100_000])
def test_a_model_nested_thousands_deep_is_refused_before_it_is_parsed(op, depth):
    # The request's own depth check skips strings, so a model file nested thousands
    # deep reached json.loads: inside Pyodide that was a fatal error (the worker died),
    # on CPython a RecursionError. Now refused by its depth, with nothing changed.
    from facade_calls import call, started
    f = started(seed=1)
    before = call(f, op="state")
    r = call(f, op=op, settings={}, json="[" * depth + "]" * depth)
    assert r == {"ok": False, "type": "ModelError",
                 "error": f"json: brackets nested more than {LIMITS['request_depth']} deep "
                          "(a saved model nests 4 deep)"}
    assert call(f, op="state") == before


def test_a_model_nested_just_within_the_depth_limit_is_read_then_refused_for_its_content():
    from facade_calls import call, started
    f = started(seed=1)
    depth = LIMITS["request_depth"]
    r = call(f, op="load_model", json="[" * depth + "]" * depth)
    assert r["error"] == "model: expected a JSON object, got list", r
    saved = call(f, op="export_model")["json"]
    assert call(f, op="load_model", json=saved)["ok"]      # a real model passes the check


def test_settings_messages_quote_the_bad_value():
    # (the "after" run of pynet/settings.py at c0ecf2d: these two quoted None instead)
    from facade_calls import call
    r = call(Facade(), op="init", settings={"bias": "yes"})
    assert r["error"] == "bias: expected true or false, got 'yes'"
    r = call(Facade(), op="init", settings={"hidden": [3, 3], "activation": ["tanh", "relu", "tanh"]})
    assert r["error"] == ("activation: expected one name or 2 (one per hidden layer), got 3: "
                          "['tanh', 'relu', 'tanh']")
