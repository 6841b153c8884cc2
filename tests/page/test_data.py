"""The data requests (data, predict, grid, confusion, load_csv, add_point,
remove_point, clear, export_data): the data sets and their targets, own data
and its train/test split, points, accuracy and the confusion matrix, heatmap
grids and their limits, and each data set's shape. CPython and Pyodide."""

from __future__ import annotations

import json
import random
import statistics

import pytest
from facade_calls import BIG, _unchanged_after, call, json_values, started
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pynet import datasets
from pynet.facade import LIMITS, Facade
from pynet.page import spec, tabular
from pynet.page.settings import DATASETS, OUTPUT_ACTIVATIONS


def test_classification_targets_are_plus_minus_one_with_tanh_output():
    f = started(dataset="xor")
    assert {t[0] for t in f.train_t + f.test_t} == {-1.0, 1.0}
    assert f.net.output_activation == "tanh"


def test_regression_uses_a_linear_output_and_float_targets():
    f = started(dataset="plane")
    assert f.net.output_activation == "linear"
    assert len({t[0] for t in f.train_t}) > 10


def test_data_returns_the_split_points_and_targets():
    f = started(dataset="xor", samples=40, train_ratio=0.25)
    r = call(f, op="data")
    assert r["ok"] and len(r["train_x"]) == 10 and len(r["test_x"]) == 30
    assert r["train_x"] == f.train_x and r["train_t"] == [t[0] for t in f.train_t]
    assert set(r["test_t"]) <= {-1.0, 1.0}


def test_predict_matches_the_network():
    f = started(seed=2)
    pts = [[0.0, 0.0], [3.0, -2.5], [-6, 6]]
    r = call(f, op="predict", points=pts)
    assert r["ok"] and r["outputs"] == pytest.approx([f.net.run(p)[0] for p in pts])


@pytest.mark.parametrize("points, words", [
    (None, "points: expected a list of 1 to 20000 points"),
    ([], "points: expected a list of 1 to 20000 points [x1, x2], got list of length 0"),
    ([[1, 2], [3]], "points[1]: expected [x1, x2] with two finite numbers"),
    ([[1, "2"]], "points[0]: expected [x1, x2]"),
    ([[1, True]], "points[0]: expected [x1, x2]"),
])
def test_predict_validates_points(points, words):
    r = call(started(), op="predict", points=points)
    assert r["ok"] is False and words in r["error"]


def test_huge_integer_points_name_the_point():
    f = started()
    r = json.loads(f.handle('{"op": "predict", "points": [[0, 1], [%s, 0]]}' % BIG))  # noqa: UP031
    assert r["ok"] is False and r["error"].startswith("points[1]: expected [x1, x2]")
    assert len(r["error"]) < 200


def test_points_limit_is_enforced_at_exactly_its_edge():
    f = started(hidden=[])
    lo, hi = LIMITS["points"]
    assert call(f, op="predict", points=[[0.5, 0.5]] * hi)["ok"] is True
    r = call(f, op="predict", points=[[0.5, 0.5]] * (hi + 1))
    assert r["ok"] is False and r["error"].startswith(f"points: expected a list of {lo} to {hi}")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_points_are_refused(literal):
    f = started()
    r = json.loads(f.handle('{"op": "predict", "points": [[0, 0], [%s, 1]]}' % literal))  # noqa: UP031
    assert r["ok"] is False and r["error"].startswith("points[1]: expected [x1, x2] with two "
                                                      "finite numbers")
    r = f.request({"op": "predict", "points": [[1, float(literal)]]})
    assert r["ok"] is False and r["error"].startswith("points[0]")


def test_regression_targets_are_the_values():
    from pynet import datasets
    f = started(dataset="plane", samples=20, seed=2, noise=0.1)
    X, y = datasets.plane(n=20, noise=0.1, seed=2)
    _, y_tr, _, y_te = datasets.split(X, y, train_ratio=0.5, seed=2)
    assert f.train_t == [[float(v)] for v in y_tr] and f.test_t == [[float(v)] for v in y_te]


def test_custom_data_without_any_says_what_to_do_in_the_users_words():
    from facade_calls import call
    r = call(Facade(), op="init", settings={"dataset": "custom"})
    assert r == {"ok": False, "type": "SettingsError",
                 "error": "dataset: 'custom' is your own data and there is none yet: load a CSV "
                          "or add points first"}


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
    req = {"op": "grid", "n": 6, "neurons": True, "x_range": [-3, 3], "y_range": [-2, 4]}
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


def test_grid_work_is_bounded():
    f = started(dataset="digits", hidden=[32])
    r = call(f, op="grid", n=30)
    assert r["ok"] is False
    assert "n: 30 x 30 points x 2410 weights and biases is more than 2000000 multiply-adds; " \
           "use n <= 28" in r["error"]
    assert call(f, op="grid", n=28)["ok"]


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


def test_csv_of_10_mb_is_refused_by_its_limit():
    text = "0.5,0.25,a\n" * (10_000_000 // 11 + 1)
    assert len(text) >= 10_000_000
    most = max(LIMITS["model_chars"], LIMITS["csv_chars"]) + 1_000_000
    req = {"op": "load_csv", "text": text}
    _unchanged_after(req, f"request: {len(json.dumps(req))} characters, more than the limit of {most}")
    over = "0.5,0.25,a\n" * (tabular.MAX_CHARS // 11 + 1)   # just over csv_chars: the CSV's own limit
    _unchanged_after({"op": "load_csv", "text": over},
                     f"text: {len(over)} characters, more than the limit of {tabular.MAX_CHARS}")


def test_csv_of_binary_junk_names_line_and_column():
    junk = bytes(random.Random(9).randrange(256) for _ in range(4096)).decode("latin-1")
    f = started()
    r = call(f, op="load_csv", text=junk)
    assert r["ok"] is False and "line " in r["error"] and "column " in r["error"], r
    _unchanged_after({"op": "load_csv", "text": junk}, "line ")


def test_csv_with_500_distinct_labels_is_refused_at_the_21st():
    text = "x,y,label\n" + "".join(f"{i},{i % 7},c{i}\n" for i in range(500))
    _unchanged_after({"op": "load_csv", "text": text},
                     "line 22, column 3: label 'c20' would be class 21; at most 20 distinct labels")


def test_csv_with_one_column_names_it():
    _unchanged_after({"op": "load_csv", "text": "1\n2\n3\n"}, "line 1, column 2: expected at least 2 columns")


def test_load_csv_makes_own_data_and_a_network_for_it():
    f = started(hidden=[3])
    text = "a,b,c,label\n" + "".join(f"{i},{i % 3},{-i},{'xyz'[i % 3]}\n" for i in range(30))
    r = call(f, op="load_csv", text=text)
    assert r["ok"], r
    assert r["settings"]["dataset"] == "custom" and r["layers"] == [3, 3, 3]
    assert r["activations"][-1] == "softmax" and r["loss"] == "cross_entropy"
    assert r["classes"] == ["x", "y", "z"] and r["features"] == ["a", "b", "c"]
    assert r["train_size"] == 15 and r["test_size"] == 15 and r["epoch"] == 0
    d = call(f, op="data")
    rows = sorted(d["train_x"] + d["test_x"])
    assert rows == sorted([[float(i), float(i % 3), float(-i)] for i in range(30)])
    for x, y in zip(d["train_x"] + d["test_x"], d["train_y"] + d["test_y"]):
        assert y == int(x[0]) % 3


def test_load_csv_refuses_hidden_layers_too_wide_for_2d_data_when_named():
    # hidden named in the request is checked as given; the sizes in use are fitted
    # to the new data instead (test_playground: ..._fits_hidden_to_its_limit_and_says_so)
    f = started(dataset="iris", hidden=[20])
    before = call(f, op="state")
    r = call(f, op="load_csv", text="1,2,a\n3,4,b\n5,6,a\n7,8,b\n", settings={"hidden": [20]})
    assert r["ok"] is False and "hidden[0]: expected a whole number from 1 to 8" in r["error"]
    assert call(f, op="state") == before
    r = call(f, op="load_csv", text="1,2,a\n3,4,b\n5,6,a\n7,8,b\n", settings={"hidden": [5]})
    assert r["ok"] and r["layers"] == [2, 5, 1] and r["settings"]["dataset"] == "custom"
    r = call(f, op="load_csv", text="1,2,a\n3,4,b\n", settings=[1])
    assert r["ok"] is False and "settings: expected an object" in r["error"]


@pytest.mark.parametrize("dataset", ["circle", "plane", "iris"])
def test_export_data_then_load_csv_gives_the_same_split_weights_and_run(dataset):
    a = started(dataset=dataset, seed=4, hidden=[3])
    text = call(a, op="export_data")["csv"]
    b = started(seed=4, hidden=[3])
    assert call(b, op="load_csv", text=text)["ok"]
    da, db = call(a, op="data"), call(b, op="data")
    if dataset == "iris":   # own data is used as given: compare the unscaled rows
        t = a.table
        assert db["train_x"] == [t.x[i] for i in a.train_idx]
        assert db["test_y"] == da["test_y"] and db["classes"] == da["classes"]
        return
    assert da["train_x"] == db["train_x"] and da["test_x"] == db["test_x"]
    assert da["train_t"] == db["train_t"] and da["test_t"] == db["test_t"]
    sa, sb = call(a, op="step", n=3, snapshot=True), call(b, op="step", n=3, snapshot=True)
    assert sa["weights"] == sb["weights"] and sa["history"] == sb["history"]


def sets(f: Facade) -> tuple[list, list]:
    d = call(f, op="data")
    return d["train_x"], d["test_x"]


def clicked() -> Facade:
    """Circle data with two points clicked into the training set."""
    f = started(dataset="circle", samples=30, seed=5)
    assert call(f, op="add_point", x=[2, 3], label=1)["ok"]
    assert call(f, op="add_point", x=[-4, 1], label=0)["ok"]
    return f


def test_a_rebuild_and_a_trip_to_another_data_set_keep_the_split():
    f = clicked()
    before = sets(f)
    assert [2.0, 3.0] in before[0] and [-4.0, 1.0] in before[0]
    assert call(f, op="set_state", settings={"hidden": [3]})["reset"] is True
    assert sets(f) == before
    call(f, op="set_state", settings={"dataset": "xor"})
    call(f, op="set_state", settings={"dataset": "custom"})
    assert sets(f) == before
    # a new seed or train_ratio is a new split, asked for
    call(f, op="set_state", settings={"seed": 6})
    assert sets(f) != before
    call(f, op="set_state", settings={"seed": 5})
    assert sets(f) != before            # the clicked split is gone once re-split


def test_export_data_split_reloads_the_same_sets_and_the_same_run():
    f = clicked()
    call(f, op="set_state", settings={"hidden": [3]})
    out = call(f, op="export_data")
    assert out["split"]["seed"] == 5 and len(out["split"]["train"]) == len(sets(f)[0])
    g = Facade()
    r = call(g, op="load_csv", text=out["csv"], split=out["split"],
             settings={k: v for k, v in call(f, op="state")["settings"].items() if k != "dataset"})
    assert r["ok"], r
    assert sets(g) == sets(f)
    assert call(g, op="step", n=3)["train_loss"] == call(f, op="step", n=3)["train_loss"]
    # without the split (or with another seed's) the rows are split by the seed
    h = Facade()
    assert call(h, op="load_csv", text=out["csv"], settings={"seed": 5})["ok"]
    assert sets(h) != sets(f)
    k = Facade()
    assert call(k, op="load_csv", text=out["csv"], split=out["split"], settings={"seed": 7})["ok"]
    train, test = tabular.split_indices(out["rows"], 0.5, 7)
    rows = tabular.parse_csv(out["csv"]).x
    assert sets(k) == ([rows[i] for i in train], [rows[i] for i in test])


def test_a_split_with_an_empty_test_set_reloads():
    # two points clicked after Clear, both training points: they stay so, the
    # empty test set is what the user made (the seed alone would split them 1/1)
    f = clicked()
    call(f, op="clear")
    call(f, op="add_point", x=[1, 1], label=1)
    call(f, op="add_point", x=[-1, 1], label=0)
    out = call(f, op="export_data")
    assert out["split"]["train"] == [0, 1] and out["split"]["test"] == []
    g = Facade()
    r = call(g, op="load_csv", text=out["csv"], split=out["split"], settings={"seed": 5})
    assert r["ok"], r
    assert (r["train_size"], r["test_size"]) == (2, 0)
    assert call(Facade(), op="load_csv", text=out["csv"], settings={"seed": 5})["test_size"] == 1


ROWS3 = "a,b,y\n0,0,0\n1,1,1\n2,2,0\n"


@pytest.mark.parametrize("split, words", [
    ("train", "split: expected an object with seed"),
    ({"train": [0, 1, 2], "test": []}, "split: expected an object with seed"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 1], "test": [2], "extra": 1}, "split: expected an object"),
    ({"seed": "1", "train_ratio": 0.5, "train": [0, 1], "test": [2]}, "split.seed: expected a whole number"),
    ({"seed": 1, "train_ratio": 2, "train": [0, 1], "test": [2]}, "split.train_ratio: expected a number from"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 3], "test": [2]}, "split.train: expected a list of row numbers from 0 to 2"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, True], "test": [2]}, "split.train: expected a list of row numbers"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 1], "test": "2"}, "split.test: expected a list of row numbers"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 1], "test": [1, 2]}, "split.test: a row is listed twice"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 0], "test": [2]}, "split.train: a row is listed twice"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0], "test": [2]}, "split: 1 of the 3 rows are in neither"),
])
def test_bad_splits_are_refused_naming_the_field_and_change_nothing(split, words):
    f = started(dataset="xor", samples=20)
    before = (call(f, op="state"), call(f, op="data"))
    r = call(f, op="load_csv", text=ROWS3, split=split)
    assert r["ok"] is False and words in r["error"], r
    assert (call(f, op="state"), call(f, op="data")) == before


@hsettings(max_examples=40, deadline=None)
@given(st.data())
def test_any_partition_of_the_rows_is_kept_exactly(data):
    n = data.draw(st.integers(2, 12))      # two rows at least: two classes
    rows = data.draw(st.permutations(list(range(n))))
    cut = data.draw(st.integers(0, n))
    text = "a,b,y\n" + "".join(f"{i},{-i},{i % 2}\n" for i in range(n))
    split = {"seed": 1, "train_ratio": 0.5, "train": rows[:cut], "test": rows[cut:]}
    f = Facade()
    r = call(f, op="load_csv", text=text, split=split, settings={"seed": 1})
    assert r["ok"], r
    assert sets(f) == ([[float(i), float(-i)] for i in rows[:cut]], [[float(i), float(-i)] for i in rows[cut:]])
    assert call(f, op="export_data")["split"] == split


@hsettings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(
                        st.sampled_from(["seed", "train_ratio", "train", "test", "x"]), c, max_size=5),
                    max_leaves=12))
def test_any_other_split_is_refused_with_a_message_naming_split(junk):
    f = Facade()
    r = json.loads(f.handle(json.dumps({"op": "load_csv", "text": ROWS3, "split": junk})))
    if junk is None:
        assert r["ok"]                  # no split: split by the seed
    else:
        assert r["ok"] is False and r["error"].startswith("split"), r


def test_each_shape_has_the_node_limit_the_facade_enforces():
    shapes = spec.shapes()
    assert set(shapes) == set(DATASETS) - {"custom"}
    for name, shape in shapes.items():
        lo, hi = shape["hidden_nodes"]
        assert shape["hidden_nodes"] in (LIMITS["hidden_nodes"], LIMITS["hidden_nodes_wide"])
        f = started(dataset=name, hidden=[hi])
        st_ = call(f, op="state")
        assert st_["layers"][0] == shape["inputs"] and st_["hidden_nodes"] == [lo, hi]
        r = call(f, op="set_state", settings={"hidden": [hi + 1]})
        assert r["ok"] is False and "hidden[0]" in r["error"]
    # own data: export_data's shape, by its features
    for text, wide in ((ROWS3, False), ("a,b,c,y\n0,0,0,0\n1,1,1,1\n2,2,2,0\n", True)):
        f = Facade()
        assert call(f, op="load_csv", text=text)["ok"]
        shape = call(f, op="export_data")["shape"]
        assert shape["hidden_nodes"] == LIMITS["hidden_nodes_wide" if wide else "hidden_nodes"]
        assert shape["inputs"] == len(text.split("\n")[0].split(",")) - 1
        assert shape["outputs"]["auto"] == call(f, op="state")["layers"][-1]
        assert call(f, op="state")["hidden_nodes"] == shape["hidden_nodes"]
        hi = shape["hidden_nodes"][1]
        assert call(f, op="set_state", settings={"hidden": [hi]})["ok"]
        assert call(f, op="set_state", settings={"hidden": [hi + 1]})["ok"] is False


def test_the_recovery_copy_keeps_the_split():
    # restore.checkpoint/restore (a crashed worker, the divergence panel): the split comes back too
    f = clicked()
    call(f, op="step", n=2)
    copy = call(f, op="checkpoint", data=True)
    assert copy["split"] == call(f, op="export_data")["split"]
    g = Facade()
    r = call(g, op="restore", settings=copy["settings"], json=copy["json"], data=copy["data"],
             split=copy["split"])
    assert r["ok"], r
    assert sets(g) == sets(f) and r["epoch"] == 2
    assert call(started(dataset="xor"), op="checkpoint", data=True).get("split") is None


def test_shapes_are_the_layers_the_facade_builds_for_every_data_set_and_output():
    shapes = spec.shapes()
    assert set(shapes) == set(DATASETS) - {"custom"}
    checked = 0
    for name, shape in shapes.items():
        for act in OUTPUT_ACTIVATIONS:
            hidden = [4, 2]
            r = json.loads(Facade().handle(json.dumps(
                {"op": "init", "settings": {"dataset": name, "output_activation": act,
                                            "hidden": hidden}})))
            if not r["ok"]:     # e.g. softmax on regression: not offered in shapes either
                assert act not in shape["outputs"], (name, act, r["error"])
                continue
            assert r["layers"] == [shape["inputs"], *hidden, shape["outputs"][act]], (name, act)
            checked += 1
    assert checked >= 30


def test_iris_and_digits_shapes():
    shapes = spec.shapes()
    assert shapes["iris"]["inputs"] == 4 and shapes["iris"]["outputs"]["auto"] == 3
    assert shapes["digits"]["inputs"] == 64 and shapes["digits"]["outputs"]["auto"] == 10
    assert shapes["plane"]["outputs"] == {"auto": 1, "tanh": 1, "sigmoid": 1, "linear": 1}
