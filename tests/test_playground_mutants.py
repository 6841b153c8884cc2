"""Playground behaviour that the first mutation run of pynet/playground.py
(868470b) found unpinned (README, "Mutation testing"). CPython and Pyodide
alike (no numpy)."""

from __future__ import annotations

import json

import pytest

from facade_calls import call, started
from pynet.facade import LIMITS


def _model(f, **playground_changes):
    d = json.loads(call(f, op="export_model")["json"])
    if playground_changes.get("drop"):
        del d["playground"]
    else:
        d["playground"].update(playground_changes)
    return json.dumps(d)


# ---------------------------------------------------------------- load_model

def test_a_model_without_its_playground_part_loads_at_epoch_zero():
    f = started(seed=1)
    assert call(f, op="step", n=3)["ok"]
    r = call(f, op="load_model", json=_model(f, drop=True))
    assert r["ok"] and r["epoch"] == 0, r


@pytest.mark.parametrize("epoch, ok", [(10 ** 9, True), (10 ** 9 + 1, False), (0, True), (-1, False)])
def test_a_models_epoch_is_a_whole_number_from_0_to_10_to_the_9(epoch, ok):
    f = started(seed=1)
    r = call(f, op="load_model", json=_model(f, epoch=epoch))
    if ok:
        assert r["ok"] and r["epoch"] == epoch, r
    else:
        assert r == {"ok": False, "type": "ModelError",
                     "error": f"model: 'playground.epoch' must be a whole number >= 0, got {epoch}"}


def test_a_model_for_other_data_names_the_outputs_it_needs():
    iris = started(dataset="iris", seed=1)
    circle = started(seed=1)
    r = call(circle, op="load_model", json=call(iris, op="export_model")["json"])
    assert r["error"] == ("model: layers [4, 4, 2, 3] do not match the current data (circle: 2 "
                          "inputs, 2 outputs for a softmax output)"), r
    r = call(iris, op="load_model", json=call(circle, op="export_model")["json"])
    assert r["error"] == ("model: layers [2, 4, 2, 1] do not match the current data (iris: 4 "
                          "inputs, 3 outputs for a tanh output)"), r
    wide = started(seed=1)
    rows = "".join(f"{i},{i % 3},{i % 5},{'ab'[i % 2]}\n" for i in range(20))
    assert call(wide, op="load_csv", text="x1,x2,x3,label\n" + rows)["ok"]
    r = call(wide, op="load_model", json=call(circle, op="export_model")["json"])
    assert r["error"] == ("model: layers [2, 4, 2, 1] do not match the current data (custom: 3 "
                          "inputs, 1 output for a tanh output)"), r


def test_a_model_with_one_activation_for_every_layer_sets_one_name():
    f = started(seed=1, hidden=[3, 3], activation=["relu", "relu"])
    r = call(f, op="load_model", json=call(f, op="export_model")["json"])
    assert r["ok"] and r["settings"]["activation"] == "relu", r
    g = started(seed=1, hidden=[3, 3], activation=["relu", "tanh"])
    r = call(g, op="load_model", json=call(g, op="export_model")["json"])
    assert r["ok"] and r["settings"]["activation"] == ["relu", "tanh"], r


def test_model_messages_drop_from_dicts_prefix_and_name_a_wrong_type():
    f = started(seed=1)
    d = json.loads(call(f, op="export_model")["json"])
    d["format"] = "something else"
    r = call(f, op="load_model", json=json.dumps(d))
    assert r["ok"] is False and r["error"].startswith("model: ") and "from_dict" not in r["error"], r
    r = call(f, op="load_model", json=5)
    assert r["error"] == "json: expected the model's JSON text, got int", r


def test_the_model_size_limit_is_exact(monkeypatch):
    f = started(seed=1)
    text = call(f, op="export_model")["json"]
    monkeypatch.setitem(LIMITS, "model_chars", len(text))
    assert call(f, op="load_model", json=text)["ok"]                    # at the limit
    r = call(f, op="load_model", json=text + " ")
    assert r["error"] == f"json: {len(text) + 1} characters, more than the limit of {len(text)}"


# ---------------------------------------------------------------- points

def test_clear_and_remove_answer_the_set_sizes_and_make_the_data_own():
    f = started(seed=1, samples=20)
    r = call(f, op="remove_point", set="test", index=0)
    assert (r["train_size"], r["test_size"]) == (10, 9), r
    assert call(f, op="state")["settings"]["dataset"] == "custom"
    g = started(seed=1, samples=20)
    r = call(g, op="clear")
    assert (r["train_size"], r["test_size"]) == (0, 0), r
    assert call(g, op="state")["settings"]["dataset"] == "custom"
    r = call(g, op="remove_point", set="train", index=0)
    assert r["error"] == "index: the train set is empty", r


def test_removing_a_test_point_removes_that_point_only():
    f = started(seed=1, samples=20)
    before = call(f, op="data")
    assert call(f, op="remove_point", set="test", index=3)["ok"]
    after = call(f, op="data")
    assert after["train_x"] == before["train_x"]
    assert after["test_x"] == before["test_x"][:3] + before["test_x"][4:]


def test_a_points_coordinates_and_label_may_be_exactly_1e6():
    f = started(dataset="plane", seed=1, samples=20)
    r = call(f, op="add_point", x=[1e6, -1e6], label=1e6)
    assert r["ok"] and r["train_size"] == 11, r
    r = call(f, op="add_point", x=[0, 0], label=-1e6)
    assert r["ok"], r
    r = call(f, op="add_point", x=[10 ** 6 + 1, 0], label=0)
    assert r["error"] == ("x: expected a list of 2 finite numbers (at most 1e6 in size, one per "
                          "feature: x1, x2), got [1000001, 0]"), r
    r = call(f, op="add_point", x=[0, 0], label=10 ** 6 + 1)
    assert r["error"] == "label: expected a number from -1e+06 to 1e+06, got 1000001", r


def test_the_first_edit_of_iris_keeps_its_scaling_and_its_points():
    # the named set is copied with its features, target, standardisation and wording
    f = started(dataset="iris", seed=1)
    before, state = call(f, op="data"), call(f, op="state")
    raw = call(f, op="export_data")["csv"].splitlines()
    first = [float(v) for v in raw[1].split(",")[:4]]
    assert call(f, op="add_point", x=first, label=raw[1].split(",")[4], set="test")["ok"]
    after, state2 = call(f, op="data"), call(f, op="state")
    assert after["train_x"] == before["train_x"] and after["test_x"][:-1] == before["test_x"]
    assert state2["scaling"] == state["scaling"] and state2["features"] == state["features"]
    assert state2["kind"] == "classes" and state2["classes"] == state["classes"]
    assert call(f, op="export_data")["csv"].splitlines()[0] == raw[0]   # the target's name too
    assert after["test_x"][-1] in before["train_x"] + before["test_x"]  # scaled as the others


# ---------------------------------------------------------------- load_csv

def test_load_csv_reads_the_header_as_told_and_counts_rows():
    f = started(seed=1)
    text = "1,2,a\n3,4,b\n5,6,a\n7,8,b\n"
    r = call(f, op="load_csv", text=text, header=False)
    assert r["ok"] and r["rows"] == 4 and r["train_size"] + r["test_size"] == 4, r
    r = call(f, op="load_csv", text=text, header=True)
    assert r["ok"] and r["rows"] == 3 and r["features"] == ["1", "2"], r


def test_a_wide_csv_over_digits_keeps_its_wide_hidden_layers():
    f = started(dataset="digits", hidden=[32], seed=1)
    rows = "".join(f"{i},{i % 3},{i % 5},{'ab'[i % 2]}\n" for i in range(20))
    r = call(f, op="load_csv", text="x1,x2,x3,label\n" + rows)
    assert r["ok"] and r["layers"] == [3, 32, 1] and r["hidden_resized"] is None, r


# ---------------------------------------------------------------- grid and export_python

def test_grid_defaults_and_limits_are_exact(monkeypatch):
    f = started(seed=1)
    g = call(f, op="grid")
    assert g["n"] == 50 and g["x_range"] == [-6.0, 6.0] and g["y_range"] == [-6.0, 6.0]
    assert g["features"] == [0, 1] and len(g["outputs"]) == 1
    iris = call(started(dataset="iris", seed=1), op="grid", n=3)
    assert iris["x_range"] != iris["y_range"]          # each axis its own feature's range
    assert len(iris["outputs"]) == 3
    monkeypatch.setitem(LIMITS, "grid_values", 10 * 10 * 1)
    assert call(f, op="grid", n=10)["ok"]                            # exactly the limit
    assert call(f, op="grid", n=11)["error"].startswith("n: 11 x 11 points x 1 nodes is more than 100")
    assert call(f, op="grid", n=3, neurons=True)["ok"]              # 63 values
    assert call(f, op="grid", n=4, neurons=True)["error"].startswith("n: 4 x 4 points x 7 nodes")
    monkeypatch.setitem(LIMITS, "grid_values", 250_000)
    monkeypatch.setitem(LIMITS, "grid_work", 10 * 10 * 25)
    assert call(f, op="grid", n=10)["ok"]
    assert call(f, op="grid", n=11)["ok"] is False


@pytest.mark.parametrize("req, error", [
    ({"x_range": [-1e6, 1e6], "y_range": [-1e6, 1e6]}, None),
    ({"x_range": [-10 ** 6 - 1, 0]}, "x_range[0]: expected a number from -1e+06 to 1e+06, got -1000001"),
    ({"y_range": [0, 10 ** 6 + 1]}, "y_range[1]: expected a number from -1e+06 to 1e+06, got 1000001"),
    ({"x_range": [1, 1]}, "x_range: expected low < high, got [1, 1]"),
    ({"x_range": "ab"}, "x_range: expected [low, high], got 'ab'"),
    ({"features": [0]}, "features: expected two different feature indices, got [0]"),
])
def test_grid_ranges_are_checked_by_name(req, error):
    r = call(started(seed=1), op="grid", n=2, **req)
    assert (r["ok"], r.get("error")) == (error is None, error), r


def test_export_python_takes_1_to_20_points_by_name():
    f = started(seed=1)
    assert call(f, op="export_python", points=1)["ok"] and call(f, op="export_python", points=20)["ok"]
    for bad in (0, 21):
        assert call(f, op="export_python", points=bad)["error"] == (
            f"points: expected a whole number from 1 to 20, got {bad}")
    src = call(f, op="export_python")["source"]
    assert "pynet network [2, 4, 2, 1] trained 0 epochs on circle in the playground" in src


# ---------------------------------------------------------------- classes from outputs

def _zeroed(f):
    f.net.weights = [[[0.0] * len(r) for r in layer] for layer in f.net.weights]
    f.net.biases = [[0.0] * len(b) for b in f.net.biases]


@pytest.mark.parametrize("settings", [{"output_activation": "sigmoid", "loss": "cross_entropy"},
                                      {"output_activation": "tanh"}])
def test_an_output_exactly_between_the_targets_is_class_0(settings):
    f = started(dataset="xor", seed=1, **settings)
    _zeroed(f)          # every output is f(0): 0.5 for sigmoid, 0 for tanh, the midpoint
    r = call(f, op="predict", points=[[1, 1], [-1, 2]])
    assert r["classes"] == [0, 0], r


def test_tied_class_outputs_give_the_first_class():
    f = started(dataset="iris", seed=1)
    _zeroed(f)          # softmax of equal net inputs: three equal outputs
    r = call(f, op="predict", points=[[0, 0, 0, 0]])
    assert r["classes"] == [0], r


def test_a_linear_output_has_targets_minus_1_and_1():
    d = call(started(dataset="xor", seed=1, output_activation="linear"), op="data")
    assert set(d["train_t"] + d["test_t"]) == {-1.0, 1.0}


# ---------------------------------------------------------------- the Python panel's names

def test_the_panel_runs_as_panel_with_pynet_x_and_t():
    f = started(seed=1)
    r = call(f, op="run_python", code="print(__name__, pynet.__name__, x == X[0], t == T[0], len(X))")
    assert r["stdout"] == "__panel__ pynet True True 250\n", r
    assert call(f, op="clear")["ok"]
    r = call(f, op="run_python", code="print(x, t, X, T)")
    assert r["stdout"] == "None None [] []\n", r


# ---------------------------------------------------------------- shapes and default grid ranges

def test_shapes_list_every_named_set_with_the_outputs_that_fit_it():
    from pynet.page import spec
    from pynet.page.settings import DATASETS
    s = spec.shapes()
    assert sorted(s) == sorted(d for d in DATASETS if d != "custom")
    assert s["plane"]["outputs"] == {"auto": 1, "tanh": 1, "sigmoid": 1, "linear": 1}
    assert s["iris"]["outputs"] == {"auto": 3, "tanh": 3, "sigmoid": 3, "linear": 3, "softmax": 3}
    assert s["circle"]["outputs"] == {"auto": 1, "tanh": 1, "sigmoid": 1, "linear": 1, "softmax": 2}


def _padded(values):
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or 1.0
    return [lo - pad, hi + pad]


def test_a_grid_over_table_data_spans_each_features_points_plus_10_percent():
    f = started(dataset="iris", seed=1)
    d = call(f, op="data")
    pts = d["train_x"] + d["test_x"]
    g = call(f, op="grid", n=2, features=[2, 1])
    assert g["x_range"] == _padded([p[2] for p in pts])
    assert g["y_range"] == _padded([p[1] for p in pts])


def test_a_grid_over_constant_or_no_own_data_spans_one_either_side():
    f = started(seed=1)
    rows = "".join(f"{i},5,{i % 4},{'ab'[i % 2]}\n" for i in range(10))     # x2 is always 5
    assert call(f, op="load_csv", text="x1,x2,x3,label\n" + rows)["ok"]
    g = call(f, op="grid", n=2, features=[1, 2])
    assert g["x_range"] == [4.0, 6.0] and g["y_range"] == _padded([float(i % 4) for i in range(10)])
    assert call(f, op="clear")["ok"]
    g = call(f, op="grid", n=2)
    assert g["x_range"] == [-1.0, 1.0] and g["y_range"] == [-1.0, 1.0]


# ---------------------------------------------------------------- the second re-run at b13c6e1

@pytest.mark.parametrize("playground", [{"dataset": "circle"}, 5, None])
def test_a_models_playground_part_without_an_epoch_loads_at_epoch_zero(playground):
    f = started(seed=1)
    assert call(f, op="step", n=2)["ok"]
    d = json.loads(call(f, op="export_model")["json"])
    d["playground"] = playground
    r = call(f, op="load_model", json=json.dumps(d))
    assert r["ok"] and r["epoch"] == 0, r


def test_a_model_with_a_bad_weight_names_it_without_from_dicts_prefix():
    f = started(seed=1)
    d = json.loads(call(f, op="export_model")["json"])
    d["weights"][0][0][0] = "x"
    r = call(f, op="load_model", json=json.dumps(d))
    assert r["error"] == "model: weights[0][0][0]: expected a number, got str 'x'", r


def test_export_model_says_what_the_data_looked_like():
    f = started(dataset="iris", seed=1)
    assert call(f, op="step", n=1)["ok"]
    d = json.loads(call(f, op="export_model")["json"])
    st = call(f, op="state")
    assert d["playground"] == {"epoch": 1, "dataset": "iris", "features": st["features"],
                               "classes": st["classes"]}


def test_state_and_confusion_name_outputs_and_classes():
    st = call(started(dataset="iris", seed=1), op="state")
    assert st["outputs"] == 3 and st["kind"] == "classes" and len(st["classes"]) == 3
    assert call(started(seed=1), op="state")["outputs"] == 1
    c = call(started(dataset="iris", seed=1), op="confusion")
    assert c["classes"] == st["classes"]


def test_a_bad_split_is_quoted():
    f = started(seed=1)
    text = "x1,x2,label\n0,0,a\n1,1,b\n2,2,a\n3,3,b\n"
    r = call(f, op="load_csv", text=text, split=5)
    assert r["error"] == ("split: expected an object with seed, train_ratio, train and test "
                          "(export_data's), got 5"), r
    split = {"seed": 1, "train_ratio": 0.5, "train": 7, "test": [0, 1, 2, 3]}
    r = call(f, op="load_csv", text=text, split=split)
    assert r["error"] == ("split.train: expected a list of row numbers from 0 to 3 (the data has "
                          "4 rows), got 7"), r


def test_a_wrong_point_for_64_pixels_lists_the_first_80_characters_of_their_names():
    f = started(dataset="digits", seed=1)
    names = ", ".join(f"pixel {r},{c}" for r in range(8) for c in range(8))
    r = call(f, op="add_point", x=[0, 0], label=3)
    assert r["error"] == (f"x: expected a list of 64 finite numbers (at most 1e6 in size, one per "
                          f"feature: {names[:80]}), got [0, 0]"), r
    g = started(dataset="plane", seed=1, samples=20)
    r = call(g, op="add_point", x=[0, 0], label=-10 ** 6 - 1)
    assert r["error"] == "label: expected a number from -1e+06 to 1e+06, got -1000001", r


@pytest.mark.parametrize("req, error", [
    ({"x_range": [10 ** 6 + 1, 10 ** 6 + 2]},
     "x_range[0]: expected a number from -1e+06 to 1e+06, got 1000001"),
    ({"y_range": [0, -10 ** 6 - 1]}, "y_range[1]: expected a number from -1e+06 to 1e+06, got -1000001"),
    ({"fixed": [0, "a"]}, "fixed[1]: expected a number, got 'a'"),
    ({"fixed": [0, 10 ** 6 + 1]}, "fixed[1]: expected a number from -1e+06 to 1e+06, got 1000001"),
    ({"fixed": [-10 ** 6 - 1, 0]}, "fixed[0]: expected a number from -1e+06 to 1e+06, got -1000001"),
])
def test_grid_bounds_name_the_value(req, error):
    r = call(started(seed=1), op="grid", n=2, **req)
    assert r.get("error") == error, r


def test_grid_classes_are_the_same_with_every_nodes_values():
    f = started(dataset="xor", seed=1)
    assert call(f, op="step", n=5)["ok"]
    plain, every = call(f, op="grid", n=5), call(f, op="grid", n=5, neurons=True)
    assert every["classes"] == plain["classes"] and len(set(plain["classes"])) == 2


def test_a_scaled_grid_with_an_infinite_value_keeps_the_others_exact():
    f = started(dataset="plane", hidden=[], output_activation="linear")
    f.net.weights[0][0][0] = 1e308          # x1 = ±6: ±inf; x1 = 0: finite
    r = call(f, op="grid", n=3, scaled=True, digits=3)["outputs"][0]
    out = call(f, op="grid", n=3, digits=8)["outputs"][0]
    assert [round(v * 1000) if v is not None else None for v in out] == r


def test_code_that_changes_settings_keeps_the_others_and_names_one_activation_once():
    f = started(dataset="xor", hidden=[3, 2], seed=2)
    r = call(f, op="run_python", code="net.activation = ['relu', 'relu']\nnet.learning_rate = 0.2")
    assert not r["restored"], r
    s = r["settings"]
    assert (s["activation"], s["learning_rate"], s["dataset"], s["hidden"], s["seed"]) == (
        "relu", 0.2, "xor", [3, 2], 2)
    r = call(f, op="run_python", code="net.output_activation = 'sigmoid'\nnet.loss_name = 'cross_entropy'")
    assert not r["restored"] and r["settings"]["loss"] == "cross_entropy", r
    assert r["settings"]["output_activation"] == "sigmoid"


@pytest.mark.parametrize("key, value, error", [
    ("weights", 5, "model: 'weights' must be a list of 3 matrices (one per weight layer), got 5"),
    ("biases", "x", "model: 'biases' must be a list of 3 vectors (one per weight layer), got 'x'"),
])
def test_a_model_with_badly_shaped_parameters_is_named_without_from_dicts_prefix(key, value, error):
    f = started(seed=1)
    d = json.loads(call(f, op="export_model")["json"])
    d[key] = value
    assert call(f, op="load_model", json=json.dumps(d))["error"] == error


def test_code_that_leaves_an_output_the_data_cannot_use_is_undone_with_the_reason():
    f = started(seed=4)
    r = call(f, op="run_python", code="net.output_activation = 'softmax'")
    assert r["restored"] and r["invalid"] == ("output_activation/loss: this output and loss do not "
                                              "fit the data"), r


def test_model_text_that_is_not_json_gives_the_parsers_reason():
    r = call(started(seed=1), op="load_model", json="{")
    assert r["error"] == ("json: not valid JSON (Expecting property name enclosed in double quotes: "
                          "line 1 column 2 (char 1))")
