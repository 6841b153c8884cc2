"""The playground's settings and ops in pynet.facade / pynet.playground:
data sets, model settings, accuracy, points, model files, the Python snippet,
heatmap grids, stop conditions and reproducible runs. CPython and Pyodide."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pynet import datasets
from pynet.page import snippet, tabular
from pynet.course import NeuralNetwork
from pynet.course_rule import step as course_step
from pynet.facade import DEFAULTS, LIMITS, Facade
from pynet.network import Network
from facade_calls import call, started  # noqa: E402  (tests/ is on sys.path)


# ---------------------------------------------------------------- data sets

@pytest.mark.parametrize("settings, layers, acts, loss", [
    ({}, [2, 4, 2, 1], ["tanh", "tanh", "tanh"], "squared"),
    ({"dataset": "plane", "hidden": [3]}, [2, 3, 1], ["tanh", "linear"], "squared"),
    ({"dataset": "iris", "hidden": [5]}, [4, 5, 3], ["tanh", "softmax"], "cross_entropy"),
    ({"dataset": "digits", "hidden": [16]}, [64, 16, 10], ["tanh", "softmax"], "cross_entropy"),
    ({"output_activation": "softmax"}, [2, 4, 2, 2], ["tanh", "tanh", "softmax"],
     "cross_entropy"),
    ({"loss": "cross_entropy", "hidden": []}, [2, 1], ["sigmoid"], "cross_entropy"),
    ({"dataset": "iris", "output_activation": "tanh", "hidden": [4]}, [4, 4, 3],
     ["tanh", "tanh"], "squared"),
])
def test_each_data_set_gets_a_sensible_default_output(settings, layers, acts, loss):
    r = call(started(**settings), op="state")
    assert r["layers"] == layers and r["activations"] == acts and r["loss"] == loss


def test_targets_follow_the_output():
    f = started(dataset="xor", loss="cross_entropy")            # sigmoid: 0/1
    assert {t[0] for t in f.train_t} == {0.0, 1.0}
    f = started(dataset="iris", output_activation="tanh", hidden=[4])    # one-hot -1/+1
    assert all(sorted(t) == [-1.0, -1.0, 1.0] for t in f.train_t)
    f = started(dataset="iris", hidden=[4])                      # softmax: one-hot 0/1
    assert all(sorted(t) == [0.0, 0.0, 1.0] for t in f.train_t)
    for t, y in zip(f.train_t, call(f, op="data")["train_y"]):
        assert t[y] == 1.0


def test_iris_is_standardised_with_the_training_set_only():
    f = started(dataset="iris", seed=3, train_ratio=0.4)
    X, y = datasets.iris()
    tr, _, te, _ = datasets.split(X, y, train_ratio=0.4, seed=3)
    cols = list(zip(*tr))
    mean = [statistics.fmean(c) for c in cols]
    sd = [statistics.pstdev(c) for c in cols]
    d = call(f, op="data")
    assert d["train_x"] == [[(v - m) / s for v, m, s in zip(r, mean, sd)] for r in tr]
    assert d["test_x"] == [[(v - m) / s for v, m, s in zip(r, mean, sd)] for r in te]
    for j in range(4):  # standardised training features: mean 0, sd 1
        col = [r[j] for r in d["train_x"]]
        assert abs(statistics.fmean(col)) < 1e-12 and statistics.pstdev(col) == pytest.approx(1)
    assert "training set" in d["scaling"] and d["classes"] == ["setosa", "versicolor", "virginica"]


def test_digits_pixels_are_divided_by_16():
    f = started(dataset="digits", hidden=[8])
    X, y = datasets.digits()
    tr, ytr, _, _ = datasets.split(X, y, train_ratio=0.5, seed=1)
    d = call(f, op="data")
    assert d["train_x"] == [[v / 16 for v in r] for r in tr] and d["train_y"] == ytr
    assert max(max(r) for r in d["train_x"]) == 1.0 and "16" in d["scaling"]


# ------------------------------------------------------------------ settings

@pytest.mark.parametrize("settings, words", [
    ({"hidden": [9]}, "hidden[0]: expected a whole number from 1 to 8, got 9 (for 2-D data; iris"),
    ({"dataset": "iris", "hidden": [65]}, "hidden[0]: expected a whole number from 1 to 64"),
    ({"activation": ["tanh"] * 3}, "activation: expected one name or 2 (one per hidden layer)"),
    ({"activation": ["tanh", "soft"]}, "activation[1]: expected one of tanh"),
    ({"activation": "softmax"}, "activation: expected one of tanh"),
    ({"output_activation": "relu"}, "output_activation: expected one of auto, tanh"),
    ({"loss": "hinge"}, "loss: expected one of auto, squared, cross_entropy"),
    ({"loss": "cross_entropy", "output_activation": "tanh"},
     "loss: cross_entropy needs a sigmoid or softmax output_activation, got tanh"),
    ({"dataset": "plane", "output_activation": "softmax"},
     "output_activation: softmax needs classes; plane is a regression data set"),
    ({"dataset": "plane", "loss": "cross_entropy"}, "loss: cross_entropy needs classes"),
    ({"l1": -0.1}, "l1: expected a number from 0 to 10"),
    ({"l2": "0.1"}, "l2: expected a number"),
    ({"bias": 1}, "bias: expected true or false"),
    ({"init": "zeros"}, "init: expected one of course, xavier, uniform"),
    ({"update": "adam"}, "update: expected one of exact, course"),
    ({"target_loss": -1}, "target_loss: expected a number from 0 to 100"),
    ({"max_epoch": 1.5}, "max_epoch: expected a whole number"),
    ({"max_epoch": 10**8}, "max_epoch: expected a whole number from 0 to 10000000"),
    ({"dataset": "custom"}, "dataset: 'custom' is your own data and there is none yet"),
])
def test_bad_new_settings_are_refused_by_name_and_change_nothing(settings, words):
    f = started(dataset="xor", seed=2)
    before = call(f, op="state")
    for op in ("init", "set_state"):
        r = call(f, op=op, settings=settings)
        assert r["ok"] is False and words in r["error"], r
    assert call(f, op="state") == before


def test_activation_per_hidden_layer():
    r = call(started(hidden=[3, 2], activation=["relu", "sigmoid"]), op="state")
    assert r["activations"] == ["relu", "sigmoid", "tanh"]
    assert r["settings"]["activation"] == ["relu", "sigmoid"]
    r = call(started(hidden=[3], activation=["relu"]), op="state")
    assert r["settings"]["activation"] == "relu"


def test_every_setting_is_in_defaults_and_limits_have_the_lists():
    for key in ("output_activation", "loss", "l1", "l2", "bias", "init", "update",
                "target_loss", "max_epoch"):
        assert key in DEFAULTS
    assert LIMITS["hidden_nodes_wide"] == [1, 64]
    assert set(LIMITS["datasets"]) >= {"iris", "digits", "custom"}


def test_learning_rate_changes_while_training_without_a_reset():
    f = started(seed=5)
    call(f, op="step", n=3)
    before = call(f, op="state")
    r = call(f, op="set_state", settings={"learning_rate": 0.3})
    assert r["ok"] and r["reset"] is False and r["epoch"] == 3
    assert r["weights"] == before["weights"] and f.net.learning_rate == 0.3
    # the next epochs train with the new rate: same as a network copied and fitted at 0.3
    ref = f.net.copy()
    hist = ref.fit(f.train_x, f.train_t, epochs=2, batch_size=10)
    r = call(f, op="step", n=2, snapshot=True)
    assert r["weights"] == ref.weights and r["history"] == hist and r["epoch"] == 5
    r = call(f, op="set_state", settings={"seed": 6})
    assert r["reset"] is True and r["epoch"] == 0


def test_l1_l2_reach_the_training():
    f = started(l1=0.01, l2=0.02, batch_size=7, seed=3)
    ref = f.net.copy()
    hist = ref.fit(f.train_x, f.train_t, epochs=2, batch_size=7, l1=0.01, l2=0.02)
    r = call(f, op="step", n=2, snapshot=True)
    assert r["weights"] == ref.weights and r["history"] == hist
    plain = started(batch_size=7, seed=3)
    assert call(plain, op="step", n=2, snapshot=True)["weights"] != r["weights"]


def test_bias_and_init_settings():
    r = call(started(bias=False), op="step", n=2, snapshot=True)
    assert all(v == 0.0 for b in r["biases"] for v in b)
    r = call(started(init="uniform"), op="state")
    assert all(v == 0.1 for b in r["biases"] for v in b)
    assert all(-0.5 <= w <= 0.5 for layer in r["weights"] for row in layer for w in row)


def test_course_update_is_the_course_rule_not_the_gradient():
    # pynet.NeuralNetwork(mode="course") is the course's code; course_rule must match it
    nn = NeuralNetwork(network_structure=[3, 4, 2, 2], learning_rate=0.4, bias=1.0,
                       mode="course", seed=8)
    net, exact = nn.network.copy(), nn.network.copy()
    x, t = [0.3, -0.7, 0.9], [0.1, 0.9]
    nn.train(x, t)
    exact.train(x, t)
    course_step(net, [x], [t], 0.4)
    flat = [v for w in net.weights for row in w for v in row] + \
        [v for b in net.biases for v in b]
    ref = [v for w in nn.network.weights for row in w for v in row] + \
        [v for b in nn.network.biases for v in b]
    assert flat == pytest.approx(ref, rel=1e-12, abs=1e-15)
    # the output layer's step is exact backprop's; the hidden layers' is not
    def rows(m):
        return [v for row in m for v in row]
    assert rows(net.weights[-1]) == pytest.approx(rows(exact.weights[-1]), rel=1e-12)
    assert rows(net.weights[0]) != pytest.approx(rows(exact.weights[0]), rel=1e-6)
    exact = started(update="exact", seed=4, hidden=[3])
    course = started(update="course", seed=4, hidden=[3])
    assert call(exact, op="state")["weights"] == call(course, op="state")["weights"]
    we = call(exact, op="step", n=1, snapshot=True)["weights"]
    wc = call(course, op="step", n=1, snapshot=True)
    assert wc["weights"] != we and wc["train_loss"] is not None
    # output layer deltas are exact in both; with one hidden layer the hidden rule differs


def test_update_can_change_without_reset():
    f = started()
    call(f, op="step", n=1)
    r = call(f, op="set_state", settings={"update": "course", "batch_size": 5, "l2": 0.001})
    assert r["reset"] is False and r["epoch"] == 1
    assert call(f, op="step", n=1)["epoch"] == 2


def test_max_epoch_stops_training():
    f = started(max_epoch=5)
    r = call(f, op="step", n=100)
    assert r["epoch"] == 5 and len(r["history"]) == 5 and r["stopped"] == "max_epoch"
    r = call(f, op="step", n=3)
    assert r["ok"] and r["epoch"] == 5 and r["history"] == [] and r["stopped"] == "max_epoch"
    r = call(started(), op="step", n=2)
    assert r["stopped"] is None


def test_target_loss_stops_training_at_the_first_epoch_below_it():
    f = started(seed=3, learning_rate=0.1)
    hist = call(f, op="step", n=30)["history"]
    target = hist[9]
    first = next(i for i, h in enumerate(hist) if h <= target)
    g = started(seed=3, learning_rate=0.1, target_loss=target)
    r = call(g, op="step", n=30)
    assert r["stopped"] == "target_loss" and r["epoch"] == first + 1
    assert r["history"] == hist[:first + 1]


# ------------------------------------------------------------------ accuracy

@pytest.mark.parametrize("settings", [{"dataset": "xor"}, {"dataset": "iris", "hidden": [4]},
                                      {"dataset": "xor", "loss": "cross_entropy"}])
def test_accuracy_and_confusion_agree_with_the_predictions(settings):
    f = started(**settings, seed=2)
    call(f, op="step", n=5)
    s, d, c = call(f, op="state"), call(f, op="data"), call(f, op="confusion")
    for part in ("train", "test"):
        p = call(f, op="predict", points=d[f"{part}_x"])
        outs = p["outputs"]
        if isinstance(outs[0], list):
            pred = [max(range(len(o)), key=o.__getitem__) for o in outs]
        else:
            mid = 0.5 if f.net.output_activation == "sigmoid" else 0.0
            pred = [int(o > mid) for o in outs]
        assert pred == p["classes"]
        truth = d[f"{part}_y"]
        right = sum(a == b for a, b in zip(pred, truth))
        assert s[f"{part}_accuracy"] == right / len(truth)
        cm = c[part]
        assert sum(map(sum, cm)) == len(truth)
        assert sum(cm[k][k] for k in range(len(cm))) == right
        for a, b in zip(truth, pred):
            cm[a][b] -= 1
        assert all(v == 0 for row in cm for v in row)
    assert c["test_wrong"] == [i for i, (a, b) in enumerate(zip(d["test_y"], c["test_predicted"]))
                               if a != b]


def test_regression_has_no_accuracy_nor_confusion():
    f = started(dataset="plane")
    s = call(f, op="state")
    assert s["train_accuracy"] is None and s["test_accuracy"] is None
    r = call(f, op="confusion")
    assert r["ok"] is False and "plane is regression data" in r["error"]


# ---------------------------------------------------------------- own points

def test_add_remove_clear_points_keep_the_network():
    f = started(dataset="xor", samples=20, seed=1)
    w = call(f, op="state")["weights"]
    r = call(f, op="add_point", x=[1.5, -2], label=1)
    assert r["ok"] and r["train_size"] == 11
    d = call(f, op="data")
    assert d["train_x"][-1] == [1.5, -2.0] and d["train_y"][-1] == 1 and d["train_t"][-1] == 1.0
    r = call(f, op="add_point", x=[0, 0], label=0, set="test")
    assert r["test_size"] == 11 and call(f, op="data")["test_y"][-1] == 0
    s = call(f, op="state")
    assert s["settings"]["dataset"] == "custom" and s["weights"] == w and s["epoch"] == 0
    assert call(f, op="export_data")["rows"] == 22
    gone = call(f, op="data")["train_x"][3]
    r = call(f, op="remove_point", set="train", index=3)
    assert r["train_size"] == 10 and gone not in call(f, op="data")["train_x"]
    assert call(f, op="step", n=1)["epoch"] == 1
    r = call(f, op="clear")
    assert r["train_size"] == 0 and r["train_loss"] is None
    r = call(f, op="step")
    assert r["ok"] is False and "no training points" in r["error"]
    call(f, op="add_point", x=[1, 1], label=1)
    call(f, op="add_point", x=[-1, 1], label=0, set="test")
    assert call(f, op="step")["ok"]


@pytest.mark.parametrize("req, words", [
    ({"op": "add_point", "x": [1], "label": 1}, "x: expected a list of 2 finite numbers"),
    ({"op": "add_point", "x": [1, float("nan")], "label": 1}, "request: not valid JSON"),
    ({"op": "add_point", "x": [1, 1e7], "label": 1}, "x: expected a list of 2"),
    ({"op": "add_point", "x": [1, 10**400], "label": 1}, "x: expected a list of 2"),
    ({"op": "add_point", "x": [1, 2], "label": 7}, "label: expected one of 0, 1"),
    ({"op": "add_point", "x": [1, 2], "label": None}, "label: expected a class name"),
    ({"op": "add_point", "x": [1, 2], "label": 1, "set": "dev"}, "set: expected train or test"),
    ({"op": "remove_point", "index": 99}, "index: expected a whole number from 0 to 9"),
    ({"op": "remove_point", "index": "1"}, "index: expected a whole number"),
])
def test_bad_points_are_refused_and_change_nothing(req, words):
    f = started(dataset="xor", samples=20)
    before = (call(f, op="state"), call(f, op="data"))
    text = json.dumps(req) if "nan" not in str(req) else json.dumps(req).replace("NaN", "nan")
    r = json.loads(f.handle(text))
    assert r["ok"] is False and words in r["error"], r
    assert (call(f, op="state"), call(f, op="data")) == before


def test_regression_points_take_a_number():
    f = started(dataset="plane", samples=20)
    assert call(f, op="add_point", x=[1, 2], label=0.25)["ok"]
    assert call(f, op="data")["train_t"][-1] == 0.25
    r = call(f, op="add_point", x=[1, 2], label="a")
    assert r["ok"] is False and "label: expected a number" in r["error"]


def test_limit_on_points():
    f = started(dataset="xor", samples=20)
    f.table.x += [[0.0, 0.0]] * (tabular.MAX_ROWS - 20)
    f.table.y += [0] * (tabular.MAX_ROWS - 20)
    r = call(f, op="add_point", x=[1, 2], label=1)
    assert r["ok"] is False and f"already has {tabular.MAX_ROWS} points" in r["error"]


# ---------------------------------------------------------------- model files

def test_model_json_round_trip_restores_weights_and_epoch():
    a = started(dataset="iris", hidden=[5, 3], activation=["relu", "tanh"], seed=3)
    call(a, op="step", n=4)
    text = call(a, op="export_model")["json"]
    d = json.loads(text)
    assert Network.from_dict(d).weights == a.net.weights and d["playground"]["epoch"] == 4
    b = started(dataset="iris", hidden=[2], seed=3)
    r = call(b, op="load_model", json=text)
    assert r["ok"], r
    sa = call(a, op="state")
    assert r["weights"] == sa["weights"] and r["biases"] == sa["biases"] and r["epoch"] == 4
    assert r["activations"] == sa["activations"] and r["train_loss"] == sa["train_loss"]
    assert r["settings"]["hidden"] == [5, 3] and r["settings"]["activation"] == ["relu", "tanh"]
    assert call(b, op="step", n=1)["epoch"] == 5


def _model(**changes) -> str:
    f = started(hidden=[3], seed=1)
    d = json.loads(call(f, op="export_model")["json"])
    d.update(changes)
    return json.dumps(d)


@pytest.mark.parametrize("text, words", [
    ("{not json", "json: not valid JSON"),
    ("[1, 2]", "model: expected a JSON object"),
    (_model(version=2), "model: 'version' 2 is not supported"),
    (_model(format="keras"), "model: 'format' must be 'pynet.Network'"),
    (_model(layers=[4, 3, 1]), "model: layers [4, 3, 1] do not match the current data "
                               "(circle: 2 inputs, 1 output"),
    (_model(layers=[2, 3, 3]), "do not match the current data"),
    (_model(layers=[2, 10**9, 1]), "model: hidden[0]: expected a whole number from 1 to 8"),
    (_model(layers=[2] + [3] * 7 + [1]), "model: hidden: expected a list of 0 to 6"),
    (_model(layers="2,3,1"), "model: layers: expected a list of layer sizes such as [2, 4, 1], "
                           "got str '2,3,1'"),
    (_model(layers=[2]), "model: layers: expected at least 2 sizes (inputs and outputs), got [2]"),
    (_model(layers=[2, True, 1]), "model: layers[1]: expected a positive integer, got bool True"),
    (_model(learning_rate=100), "model: learning_rate: expected a number from"),
    (_model(output_activation="softmax"), "do not match the current data"),
    (_model(weights=[[[1, 2]] * 2, [[1, 1, 1]]]), "model: weights[0]: expected 3 rows"),
    (_model(biases=[[0, 0, "a"], [0]]), "model: biases[0][2]: expected a number"),
    (_model(playground={"epoch": -1}), "model: 'playground.epoch' must be a whole number"),
    (_model(biases=[[0, 0, 10**400], [0]]), "model: "),
    (_model().replace('"learning_rate": 0.03', '"learning_rate": NaN'),
     "json: NaN is not a number JSON allows"),
    (_model().replace('"learning_rate": 0.03', '"learning_rate": Infinity'),
     "json: Infinity is not a number JSON allows"),
    (_model().replace('"learning_rate": 0.03', '"learning_rate": 1e999'),
     "model: learning_rate: expected a number"),
    (" " * (LIMITS["model_chars"] + 1), "json: 4000001 characters, more than the limit of 4000000"),
    (None, "json: expected the model's JSON text"),
])
def test_bad_model_json_is_refused_with_the_reason_and_changes_nothing(text, words):
    f = started(hidden=[3], seed=7)
    call(f, op="step", n=2)
    before = (call(f, op="state"), call(f, op="data"))
    r = call(f, op="load_model", json=text)
    assert r["ok"] is False and words in r["error"], r
    assert r["type"] == "ModelError"
    assert (call(f, op="state"), call(f, op="data")) == before


# ----------------------------------------------------------- Python snippet

def _run_snippet_here(source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<snippet>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


@pytest.mark.parametrize("settings", [{"dataset": "circle"}, {"dataset": "plane"},
                                      {"dataset": "iris", "hidden": [6]},
                                      {"dataset": "xor", "loss": "cross_entropy"}])
def test_exported_snippet_prints_the_facades_predictions(settings):
    f = started(**settings, seed=5)
    call(f, op="step", n=3)
    r = call(f, op="export_python")
    printed = snippet.parse_output(_run_snippet_here(r["source"]))
    want = call(f, op="predict", points=r["points"])
    assert len(printed) == 5
    raw = [list(f.table.x[i]) for i in f.test_idx[:5]]
    assert [p for p, _ in printed] == raw
    outs = [o if isinstance(o, list) else [o] for o in want["outputs"]]
    assert [o for _, o in printed] == outs


@pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide has no subprocesses; "
                    "test_exported_snippet_prints_the_facades_predictions runs it in-process there")
def test_exported_snippet_runs_in_a_separate_cpython():
    f = started(dataset="iris", hidden=[5], seed=2)
    call(f, op="step", n=5)
    r = call(f, op="export_python", points=7)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}   # pynet importable, as after pip install
    done = subprocess.run([sys.executable, "-c", r["source"]], capture_output=True,
                          text=True, timeout=60, cwd=root, env=env)
    assert done.returncode == 0, done.stderr
    printed = snippet.parse_output(done.stdout)
    want = call(f, op="predict", points=r["points"])
    assert [o for _, o in printed] == want["outputs"] and len(printed) == 7
    names = [line.rsplit(" ", 1)[1] for line in done.stdout.strip().splitlines()]
    assert names == [["setosa", "versicolor", "virginica"][k] for k in want["classes"]]


# ------------------------------------------------------------------- grids

def test_grid_matches_predict_on_the_same_points():
    f = started(dataset="xor", seed=4)
    call(f, op="step", n=2)
    r = call(f, op="grid", n=7, digits=6)
    assert r["x_range"] == [-6.0, 6.0] and r["y_range"] == [-6.0, 6.0]
    xs = [-6 + 12 * j / 6 for j in range(7)]
    pts = [[x, y] for y in xs for x in xs]        # row i = x2, column j = x1
    want = call(f, op="predict", points=pts)["outputs"]
    assert r["outputs"][0] == [round(v, 6) for v in want]
    assert r["classes"] == [int(v > 0) for v in want]
    assert "neurons" not in r


def test_grid_neurons_are_every_node_of_every_layer():
    f = started(dataset="circle", hidden=[3, 2])
    r = call(f, op="grid", n=5, neurons=True, x_range=[-1, 1], y_range=[0, 2])
    assert [len(layer) for layer in r["neurons"]] == [3, 2, 1]
    assert r["neurons"][-1] == r["outputs"]
    x = [-1 + 2 * 3 / 4, 0 + 2 * 2 / 4]            # cell i=2, j=3
    acts = f.net.forward(x)[1]
    for l, layer in enumerate(r["neurons"]):
        for k, values in enumerate(layer):
            assert len(values) == 25 and values[2 * 5 + 3] == round(acts[l + 1][k], 3)


@pytest.mark.parametrize("digits", [0, 2, 5])
def test_a_scaled_grid_holds_the_values_times_the_scale_as_integers(digits):
    f = started(dataset="circle", hidden=[3, 2])
    call(f, op="step", n=1)
    req = dict(op="grid", n=6, neurons=True, x_range=[-3, 3], y_range=[-2, 4])
    full = call(f, **req, digits=8)
    r = call(f, **req, digits=digits, scaled=True)
    assert r["scale"] == 10 ** digits and "scale" not in full
    assert r["classes"] == full["classes"]
    pts = [[-3 + 6 * j / 5, -2 + 6 * i / 5] for i in range(6) for j in range(6)]
    for l, layer in enumerate(r["neurons"]):
        for k, values in enumerate(layer):
            want = [round(f.net.forward(p)[1][l + 1][k] * 10 ** digits) for p in pts]
            assert values == want and all(type(v) is int for v in values)
    assert r["outputs"] == r["neurons"][-1]


def test_a_scaled_grid_has_null_where_a_value_is_not_finite():
    f = started(dataset="plane", hidden=[], output_activation="linear")
    f.net.weights[0][0][0] = 1e308          # x1 = ±6 → ±6e308: ±inf at both sides of the plane
    r = call(f, op="grid", n=3, scaled=True, digits=3)
    out = call(f, op="grid", n=3, digits=3)["outputs"][0]
    got = r["outputs"][0]
    assert [v is None for v in got] == [v is None for v in out]
    assert any(v is None for v in got) and all(type(v) is int for v in got if v is not None)


def test_grid_over_two_iris_features_holds_the_others_at_the_mean():
    f = started(dataset="iris", hidden=[4])
    r = call(f, op="grid", n=4, features=[2, 3])
    assert len(r["outputs"]) == 3 and len(r["classes"]) == 16
    lo, hi = r["x_range"]
    col = [x[2] for x in f.train_x + f.test_x]
    assert lo < min(col) and hi > max(col)
    p = [0.0, 0.0, lo, r["y_range"][0]]
    assert r["outputs"][1][0] == round(f.net.run(p)[1], 3)


@pytest.mark.parametrize("req, words", [
    ({"n": 1}, "n: expected a whole number from 2 to 100"),
    ({"n": 101}, "n: expected a whole number from 2 to 100"),
    ({"features": [0, 0]}, "features: expected two different feature indices"),
    ({"features": [0, 2]}, "features[1]: expected a whole number from 0 to 1"),
    ({"x_range": [1, 1]}, "x_range: expected low < high"),
    ({"y_range": [0, "a"]}, "y_range[1]: expected a number"),
    ({"neurons": "yes"}, "neurons: expected true or false"),
    ({"digits": 9}, "digits: expected a whole number from 0 to 8"),
    ({"fixed": [0]}, "fixed: expected 2 numbers"),
    ({"scaled": 1}, "scaled: expected true or false, got 1"),
])
def test_grid_arguments_are_checked(req, words):
    r = call(started(), op="grid", **req)
    assert r["ok"] is False and words in r["error"], r


def test_grid_values_are_bounded():
    f = started(dataset="iris", hidden=[64, 64, 64])
    r = call(f, op="grid", n=100, neurons=True)
    assert r["ok"] is False and "more than 250000 values" in r["error"]


# ------------------------------------------------------------ shared links

@pytest.mark.parametrize("settings", [
    {"dataset": "spiral", "noise": 0.2, "seed": 11, "hidden": [5, 3], "batch_size": 3},
    {"dataset": "multigauss", "seed": 3, "init": "xavier", "l2": 0.01},
    {"dataset": "iris", "seed": 9, "hidden": [6], "activation": "relu", "update": "course"},
    {"dataset": "digits", "seed": 2, "hidden": [6], "train_ratio": 0.1},
])
def test_the_same_settings_give_the_same_data_weights_and_run(settings):
    a, b = started(**settings), started(**settings)
    assert call(a, op="data") == call(b, op="data")
    assert call(a, op="state") == call(b, op="state")
    assert call(a, op="step", n=2) == call(b, op="step", n=2)
    assert call(a, op="state") == call(b, op="state")
    c = started(**{**settings, "seed": settings["seed"] + 1})
    assert call(c, op="state")["weights"] != call(a, op="state")["weights"]


def test_grid_work_is_bounded():
    f = started(dataset="digits", hidden=[32])
    r = call(f, op="grid", n=30)
    assert r["ok"] is False
    assert "n: 30 x 30 points x 2410 weights and biases is more than 2000000 multiply-adds; " \
           "use n <= 28" in r["error"]
    assert call(f, op="grid", n=28)["ok"]


# --------------------------------------------------------- property tests

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False,
                                                                      allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)
NEW_SETTINGS = ["output_activation", "loss", "l1", "l2", "bias", "init", "update",
                "target_loss", "max_epoch", "activation", "dataset", "hidden"]


@hsettings(max_examples=80, deadline=None)
@given(st.sampled_from(NEW_SETTINGS), json_values)
def test_any_value_of_a_setting_is_accepted_or_refused_by_name(key, value):
    f = started(dataset="xor", samples=40, seed=1)
    before = call(f, op="state")
    r = call(f, op="set_state", settings={key: value})
    if r["ok"]:
        assert r["settings"][key] is not None
        assert call(f, op="step")["ok"] or key == "dataset"
    else:
        assert r["error"].split(":")[0].split("[")[0] in (key, "output_activation", "loss",
                                                          "train_ratio"), r["error"]
        assert r["type"] == "SettingsError"
        assert call(f, op="state") == before


MODEL_KEYS = ["format", "version", "layers", "activation", "output_activation", "loss", "bias",
              "learning_rate", "init", "seed", "weights", "biases", "playground"]


@hsettings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MODEL_KEYS), json_values), min_size=1, max_size=3))
def test_a_mangled_model_is_loaded_consistently_or_refused_leaving_the_model(changes):
    source = started(hidden=[3], seed=5)
    d = json.loads(call(source, op="export_model")["json"])
    for key, value in changes:
        d[key] = value
    f = started(hidden=[2], seed=6)
    before = call(f, op="state")
    r = call(f, op="load_model", json=json.dumps(d))
    if r["ok"]:
        net = Network.from_dict(d)
        assert r["weights"] == net.weights and r["layers"] == net.layers
        assert call(f, op="step")["ok"]
    else:
        assert r["type"] == "ModelError" and r["error"].startswith(("model: ", "json: "))
        assert call(f, op="state") == before


OPS = ["add_point", "remove_point", "clear", "load_csv", "load_model", "grid", "confusion",
       "export_data", "export_model", "export_python", "predict"]


@hsettings(max_examples=150, deadline=None)
@given(st.sampled_from(OPS), st.dictionaries(
    st.sampled_from(["x", "label", "set", "index", "text", "json", "n", "features", "x_range",
                     "y_range", "fixed", "neurons", "digits", "points", "header", "kind"]),
    json_values, max_size=4))
def test_playground_ops_answer_any_arguments_with_a_result_or_a_named_error(op, args):
    f = started(dataset="xor", samples=30, seed=2)
    before = (call(f, op="state"), call(f, op="data"))
    text = f.handle(json.dumps({"op": op, **args}))
    r = json.loads(text)
    assert isinstance(r, dict) and isinstance(r["ok"], bool)
    if not r["ok"]:
        assert isinstance(r["error"], str) and r["error"]
        assert (call(f, op="state"), call(f, op="data")) == before


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=3), st.integers(1, 4),
       st.lists(st.sampled_from(["tanh", "sigmoid", "relu", "linear"]), min_size=3, max_size=3),
       st.sampled_from(["tanh", "sigmoid", "linear", "softmax"]), st.booleans(),
       st.integers(0, 1000))
def test_generated_grid_forward_pass_is_the_reference_bit_for_bit(hidden, n_in, acts, out,
                                                                 neurons, seed):
    from pynet import forward
    from pynet.network import propagate
    net = Network([n_in, *hidden, 3], activation=acts[:len(hidden)], output_activation=out,
                  init="xavier", seed=seed)
    pts = [[(i * 7 % 11 - 5) * 0.7 + j for j in range(n_in)] for i in range(9)]
    got = forward.outputs(net, pts, neurons)
    first = 1 if neurons else len(net.layers) - 1
    want = [tuple(v for a in propagate(net.weights, net.biases, net.layer_activations, p)[1][first:]
                  for v in a) for p in pts]
    assert got == want


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=3), st.integers(1, 4),
       st.lists(st.sampled_from(["tanh", "sigmoid", "relu", "linear"]), min_size=3, max_size=3),
       st.sampled_from(["tanh", "sigmoid", "linear", "softmax"]), st.integers(1, 4),
       st.integers(0, 1000))
def test_generated_last_layer_pass_is_the_reference_bit_for_bit(hidden, n_in, acts, out, n_out, seed):
    # the losses and accuracy the page shows while playing come from this pass
    from pynet import forward
    from pynet.network import propagate
    if out == "softmax" and n_out == 1:
        n_out = 2
    net = Network([n_in, *hidden, n_out], activation=acts[:len(hidden)], output_activation=out,
                  init="xavier", seed=seed)
    pts = [[(i * 7 % 11 - 5) * 0.7 + j for j in range(n_in)] for i in range(9)]
    got = forward.last_layer(net, pts)
    want = [(zs[-1], a[-1]) for zs, a in
            (propagate(net.weights, net.biases, net.layer_activations, p) for p in pts)]
    assert [(list(z), list(o)) for z, o in got] == want


def test_large_networks_measure_as_the_reference_up_to_rounding():
    from pynet import fast, forward
    net = Network([64, 16, 10], output_activation="softmax", seed=1)
    assert sum(a * b + b for a, b in zip(net.layers, net.layers[1:])) > fast.UNROLL_LIMIT
    pts = [[j / 64 for j in range(64)], [0.5] * 64]
    for (z, o), p in zip(forward.last_layer(net, pts), pts):
        zs, acts = net.forward(p)
        assert z == pytest.approx(zs[-1], rel=1e-12) and o == pytest.approx(acts[-1], rel=1e-12)


def test_digits_losses_and_confusion_come_from_the_row_wise_pass():
    f = Facade()
    call(f, op="init", settings={"dataset": "digits", "hidden": [32], "learning_rate": 0.3})
    call(f, op="step", n=1)
    s, c = call(f, op="state"), call(f, op="confusion")
    assert s["train_loss"] == pytest.approx(f.net.loss(f.train_x, f.train_t), rel=1e-12)
    assert s["test_loss"] == pytest.approx(f.net.loss(f.test_x, f.test_t), rel=1e-12)
    predicted = [f.spec.decide(f.net.run(x)) for x in f.test_x]
    assert c["test_predicted"] == predicted
    assert s["test_accuracy"] == sum(p == f.table.y[r] for p, r in zip(predicted, f.test_idx)) / len(predicted)


@pytest.mark.parametrize("settings", [
    {"dataset": "circle", "hidden": [4, 2], "activation": "tanh"},
    {"dataset": "spiral", "hidden": [5], "activation": "relu", "loss": "cross_entropy",
     "output_activation": "sigmoid"},
    {"dataset": "iris", "hidden": [6], "loss": "cross_entropy", "output_activation": "softmax"},
    {"dataset": "multigauss", "hidden": [3], "output_activation": "linear"},
])
def test_reported_losses_are_network_loss_exactly(settings):
    f = Facade()
    call(f, op="init", settings=settings)
    call(f, op="step", n=2)
    s = call(f, op="state")
    assert s["train_loss"] == f.net.loss(f.train_x, f.train_t)
    assert s["test_loss"] == f.net.loss(f.test_x, f.test_t)
    if "train_accuracy" in s and s["train_accuracy"] is not None:
        # accuracy: the class of each output vector, as predict would decide it
        right = sum(f.spec.decide(f.net.run(x)) == f.table.y[r]
                    for x, r in zip(f.train_x, f.train_idx))
        assert s["train_accuracy"] == right / len(f.train_x)


def test_forward_kernel_cache_is_bounded():
    from pynet import forward
    forward._CACHE.clear()
    for n in range(1, forward.CACHE_LIMIT + 6):
        net = Network([2, n, 1], seed=1)
        forward.outputs(net, [[0.1, 0.2]])
        assert len(forward._CACHE) <= forward.CACHE_LIMIT
    assert len(forward._CACHE) == forward.CACHE_LIMIT
    # the newest shapes are kept, the oldest forgotten
    assert any(k[0] == (2, forward.CACHE_LIMIT + 5, 1) for k in forward._CACHE)
    assert not any(k[0] == (2, 1, 1) for k in forward._CACHE)


@pytest.mark.parametrize("neurons", [False, True])
@pytest.mark.parametrize("layers, hidden, out", [
    ([64, 16, 10], ["sigmoid"], "softmax"), ([64, 32, 10], ["tanh"], "sigmoid"),
    ([4, 64, 64, 3], ["relu", "tanh"], "linear")])
def test_large_networks_forward_row_by_row_as_the_reference_up_to_rounding(layers, hidden, out, neurons):
    from pynet import fast, forward
    from pynet.network import propagate
    net = Network(layers, activation=hidden, output_activation=out, seed=1)
    assert sum(a * b + b for a, b in zip(net.layers, net.layers[1:])) > fast.UNROLL_LIMIT
    pts = [[(j % 7) / 7 - 0.3 for j in range(layers[0])], [0.5] * layers[0],
           [((i * 13) % 17) / 17 for i in range(layers[0])]]
    first = 1 if neurons else len(layers) - 1
    want = [[v for a in propagate(net.weights, net.biases, net.layer_activations, p)[1][first:] for v in a]
            for p in pts]
    got = forward.outputs(net, pts, neurons)
    assert [len(g) for g in got] == [len(w) for w in want]
    for g, w in zip(got, want):
        assert g == pytest.approx(w, rel=1e-12, abs=1e-12)


# ------------------------------------------------- quoting bad values in errors

LONG = "q" * 1000


def _facade_quote(value) -> str:
    """How the facade itself quotes ``value`` in an error (its answer to a bad op)."""
    error = call(Facade(), op=value)["error"]
    assert error.startswith("op: expected one of ") and ", got " in error, error
    return error.rsplit(", got ", 1)[1]


@pytest.mark.parametrize("req, start", [
    ({"op": "add_point", "x": [1, 2], "label": 1, "set": LONG}, "set: expected train or test"),
    ({"op": "add_point", "x": [1, 2], "label": LONG}, "label: expected one of 0, 1"),
    ({"op": "grid", "features": LONG}, "features: expected two different feature indices"),
    ({"op": "grid", "neurons": LONG}, "neurons: expected true or false"),
    ({"op": "grid", "x_range": LONG}, "x_range: expected [low, high]"),
    ({"op": "load_csv", "text": "a,b\n1,2\n3,4\n", "settings": LONG},
     "settings: expected an object"),
    ({"op": "load_model", "json": _model(format=LONG)}, "model: 'format' must be"),
    ({"op": "load_model", "json": _model(version=LONG)}, "model: 'version' "),
    ({"op": "load_model", "json": _model(playground={"epoch": LONG})},
     "model: 'playground.epoch' must be"),
])
def test_the_playground_quotes_a_bad_value_as_the_facade_does(req, start):
    f = started(dataset="xor", samples=20)
    r = call(f, **req)
    assert r["ok"] is False and r["error"].startswith(start), r
    quoted = _facade_quote(LONG)
    assert len(quoted) <= 60 and quoted in r["error"], (quoted, r["error"])
    assert len(r["error"]) < len(start) + 130, r["error"]


def test_a_long_bad_point_is_quoted_short():
    f = started(dataset="xor", samples=20)
    r = call(f, op="add_point", x=[1] * 100_000, label=1)
    assert r["ok"] is False and r["error"].endswith("got " + _facade_quote([1] * 100_000)), r


def test_a_model_missing_a_field_is_refused_naming_it():
    f = started(dataset="xor", samples=20)
    d = json.loads(_model())
    del d["weights"], d["init"]
    r = call(f, op="load_model", json=json.dumps(d))
    assert r["ok"] is False and r["error"] == "model: missing field(s) init, weights", r


# ------------------------------------- a CSV whose shape allows fewer hidden nodes

def test_a_2d_csv_loaded_over_digits_fits_hidden_to_its_limit_and_says_so():
    f = started(dataset="digits", hidden=[32, 12])
    r = call(f, op="load_csv", text="x1,x2,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n2,2,a\n3,1,b\n"
                                    "0.5,0.5,a\n1.5,1.5,b\n2,0,a\n0,2,b\n")
    assert r.get("ok", True) is not False, r
    assert r["settings"]["hidden"] == [8, 8] and r["layers"] == [2, 8, 8, 1]
    assert r["hidden_resized"] == {"from": [32, 12], "to": [8, 8], "nodes": [1, 8]}


def test_a_csv_that_fits_the_hidden_sizes_changes_none_and_named_hidden_is_checked_as_given():
    f = started(dataset="circle", hidden=[4])
    text = "a,b,c,label\n" + "".join(f"{i % 3},{i % 5},{i % 7},{'xy'[i % 2]}\n" for i in range(12))
    r = call(f, op="load_csv", text=text)
    assert r["hidden_resized"] is None and r["settings"]["hidden"] == [4]
    g = started(dataset="digits", hidden=[32])
    bad = call(g, op="load_csv", text="x1,x2,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n",
               settings={"hidden": [32]})
    assert bad["ok"] is False and "hidden[0]" in bad["error"]
    assert call(g, op="state")["settings"]["dataset"] == "digits"     # nothing changed
