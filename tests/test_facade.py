"""The page's facade (pynet.facade): JSON in, JSON out. Runs on CPython and in Pyodide."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pynet import facade
from pynet.page import settings
from pynet.errors import DivergedError
from pynet.facade import DEFAULTS, Facade
from facade_calls import call, started  # noqa: E402  (tests/ is on sys.path)


def test_init_with_defaults_is_tf_playground():
    f = Facade()
    r = call(f, op="init")
    assert r["ok"] is True
    assert r["settings"] == DEFAULTS
    assert DEFAULTS["dataset"] == "circle" and DEFAULTS["hidden"] == [4, 2]
    assert DEFAULTS["activation"] == "tanh" and DEFAULTS["learning_rate"] == 0.03
    assert DEFAULTS["batch_size"] == 10 and DEFAULTS["train_ratio"] == 0.5
    assert r["epoch"] == 0
    assert r["layers"] == [2, 4, 2, 1]
    assert r["activations"] == ["tanh", "tanh", "tanh"]
    assert (r["train_size"], r["test_size"]) == (250, 250)
    assert [len(w) for w in r["weights"]] == [4, 2, 1]
    assert [len(w[0]) for w in r["weights"]] == [2, 4, 2]
    assert [len(b) for b in r["biases"]] == [4, 2, 1]
    assert math.isfinite(r["train_loss"]) and math.isfinite(r["test_loss"])


def test_same_settings_same_session():
    a, b = started(dataset="xor", seed=7), started(dataset="xor", seed=7)
    ra, rb = call(a, op="step", n=3), call(b, op="step", n=3)
    assert ra == rb
    assert call(a, op="state") == call(b, op="state")


def test_seed_changes_the_weights():
    a, b = started(seed=1), started(seed=2)
    assert call(a, op="state")["weights"] != call(b, op="state")["weights"]


def test_step_counts_epochs_and_returns_history():
    f = started()
    r = call(f, op="step", n=4)
    assert r["ok"] and r["epoch"] == 4 and len(r["history"]) == 4
    assert "weights" not in r
    r = call(f, op="step", snapshot=True)
    assert r["epoch"] == 5 and len(r["history"]) == 1
    assert r["layers"] == [2, 4, 2, 1] and "weights" in r
    assert call(f, op="state")["epoch"] == 5


def test_training_lowers_the_loss():
    f = started(dataset="circle", seed=3, learning_rate=0.1)
    before = call(f, op="state")
    after = call(f, op="step", n=40)
    assert after["train_loss"] < 0.5 * before["train_loss"]
    assert after["test_loss"] < 0.5 * before["test_loss"]


def test_state_matches_the_network_it_reports():
    f = started(dataset="gauss", hidden=[3], seed=5)
    s = call(f, op="state")
    assert s["weights"] == f.net.weights and s["biases"] == f.net.biases
    assert s["train_loss"] == pytest.approx(f.net.loss(f.train_x, f.train_t))


def test_classification_targets_are_plus_minus_one_with_tanh_output():
    f = started(dataset="xor")
    assert {t[0] for t in f.train_t + f.test_t} == {-1.0, 1.0}
    assert f.net.output_activation == "tanh"


def test_regression_uses_a_linear_output_and_float_targets():
    f = started(dataset="plane")
    assert f.net.output_activation == "linear"
    assert len({t[0] for t in f.train_t}) > 10


def test_set_state_merges_over_current_and_restarts():
    f = started(dataset="xor", hidden=[3], seed=4)
    call(f, op="step", n=2)
    r = call(f, op="set_state", settings={"activation": "relu"})
    assert r["ok"] and r["epoch"] == 0
    assert r["settings"]["dataset"] == "xor" and r["settings"]["hidden"] == [3]
    assert r["settings"]["activation"] == "relu" and r["layers"] == [2, 3, 1]


def test_init_merges_over_defaults():
    f = started(dataset="xor", hidden=[3])
    r = call(f, op="init", settings={"seed": 2})
    assert r["settings"]["dataset"] == DEFAULTS["dataset"]
    assert r["settings"]["hidden"] == DEFAULTS["hidden"]


def test_hidden_can_be_empty():
    r = call(Facade(), op="init", settings={"hidden": []})
    assert r["ok"] and r["layers"] == [2, 1]


@pytest.mark.parametrize("key, value, words", [
    ("dataset", "moons", "dataset: expected one of circle"),
    ("noise", -0.1, "noise: expected a number from 0 to 0.5"),
    ("noise", "0.1", "noise: expected a number"),
    ("noise", True, "noise: expected a number"),
    ("train_ratio", 1.0, "train_ratio: expected a number from 0.1 to 0.9"),
    ("hidden", "4,2", "hidden: expected a list"),
    ("hidden", [1] * 7, "hidden: expected a list of 0 to 6"),
    ("hidden", [4, 0], "hidden[1]: expected a whole number from 1 to 8"),
    ("hidden", [9], "hidden[0]: expected a whole number from 1 to 8"),
    ("hidden", [2.5], "hidden[0]: expected a whole number"),
    ("activation", "softmax", "activation: expected one of tanh"),
    ("learning_rate", 0, "learning_rate: expected a number from"),
    ("learning_rate", 1e9, "learning_rate: expected a number from"),
    ("batch_size", 0, "batch_size: expected a whole number from 1"),
    ("batch_size", 1.5, "batch_size: expected a whole number"),
    ("samples", 5, "samples: expected a whole number from 10"),
    ("seed", -1, "seed: expected a whole number from 0"),
    ("colour", "red", "unknown setting 'colour'"),
])
def test_bad_settings_get_a_specific_message_and_change_nothing(key, value, words):
    f = started(dataset="xor", seed=9)
    before = call(f, op="state")
    for op in ("init", "set_state"):
        r = call(f, op=op, settings={key: value})
        assert r["ok"] is False
        assert words in r["error"]
    assert call(f, op="state") == before


@pytest.mark.parametrize("text, words", [
    ("{not json", "request: not valid JSON"),
    ("[1, 2]", "request: expected an object"),
    ('{"op": "fly"}', "op: expected one of "),
    ('{"op": "fly"}', "got 'fly'"),
    ('{"x": 1}', "op: expected one of"),
    ('{"op": "init", "settings": [1]}', "settings: expected an object"),
])
def test_bad_requests_answer_with_errors_not_exceptions(text, words):
    r = json.loads(Facade().handle(text))
    assert r["ok"] is False and words in r["error"]


def test_step_and_state_before_init_say_what_to_do():
    for op in ("step", "state"):
        r = call(Facade(), op=op)
        assert r["ok"] is False and '"op": "init"' in r["error"]


@pytest.mark.parametrize("n", [0, -1, 1.5, "3", 10001])
def test_step_count_is_validated(n):
    r = call(started(), op="step", n=n)
    assert r["ok"] is False and r["error"].startswith("n: expected a whole number")


def test_divergence_answers_with_the_kept_state_see_test_facade_edges():
    """The real divergence tests are in tests/test_facade_edges.py; here only
    that a DivergedError inside fit never escapes as an exception."""
    f = started()
    before = call(f, op="state")

    def diverge(*args, **kwargs):
        raise DivergedError("epoch 1, step 1: loss is inf", epoch=1, step=1, loss=math.inf)

    f.net.fit = diverge
    r = call(f, op="step", n=5)
    assert r["ok"] is False and r["type"] == "DivergedError"
    assert "diverged in epoch 1, step 1" in r["error"] and "learning_rate" in r["error"]
    assert r["epoch"] == 0 and r["history"] == []
    assert call(f, op="state") == before


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


def test_defaults_op_lists_defaults_and_limits():
    r = call(Facade(), op="defaults")
    assert r["ok"] and r["settings"] == DEFAULTS
    assert r["limits"]["datasets"] == ["circle", "xor", "gauss", "spiral", "plane", "multigauss",
                                       "iris", "digits", "custom"]


def test_module_level_handle_keeps_one_session():
    r = json.loads(facade.handle(json.dumps({"op": "init", "settings": {"hidden": [2]}})))
    assert r["ok"]
    r = json.loads(facade.handle('{"op": "step", "n": 2}'))
    assert r["ok"] and r["epoch"] == 2


valid_settings = st.fixed_dictionaries({}, optional={
    "dataset": st.sampled_from(settings.CLASSIFICATION + settings.REGRESSION),  # the 2-D sets
    "noise": st.floats(0, 0.5),
    "train_ratio": st.floats(0.1, 0.9),
    "hidden": st.lists(st.integers(1, 8), max_size=3),
    "activation": st.sampled_from(settings.ACTIVATIONS),
    "learning_rate": st.floats(1e-5, 1.0),
    "batch_size": st.integers(1, 50),
    "samples": st.integers(10, 60),
    "seed": st.integers(0, 2**31 - 1),
})


@hsettings(max_examples=25, deadline=None)
@given(valid_settings)
def test_any_valid_settings_build_a_matching_network(s):
    r = call(Facade(), op="init", settings=s)
    assert r["ok"], r
    merged = {**DEFAULTS, **s}
    assert r["layers"] == [2, *merged["hidden"], 1]
    assert r["train_size"] + r["test_size"] == merged["samples"]
    assert r["train_size"] >= 1 and r["test_size"] >= 1
    assert r["settings"] == {k: (float(v) if isinstance(DEFAULTS[k], float) else v)
                             for k, v in merged.items()}
