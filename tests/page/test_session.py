"""The session requests (init, set_state, state, defaults, preset): a
session is its settings merged over the defaults or the current ones; the same
settings give the same data, weights and run; the presets (the chapter's
2-2-2 example, the wide 64-32-10 network). CPython and Pyodide."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from facade_calls import call, close, started

from pynet import facade
from pynet.facade import DEFAULTS, Facade
from pynet.page.session import CHAPTER_H, CHAPTER_WHO


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


def test_state_matches_the_network_it_reports():
    f = started(dataset="gauss", hidden=[3], seed=5)
    s = call(f, op="state")
    assert s["weights"] == f.net.weights and s["biases"] == f.net.biases
    assert s["train_loss"] == pytest.approx(f.net.loss(f.train_x, f.train_t))


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


def test_step_and_state_before_init_say_what_to_do():
    for op in ("step", "state"):
        r = call(Facade(), op=op)
        assert r["ok"] is False and '"op": "init"' in r["error"]


def test_defaults_op_lists_defaults_and_limits():
    r = call(Facade(), op="defaults")
    assert r["ok"] and r["settings"] == DEFAULTS
    assert r["limits"]["datasets"] == ["circle", "xor", "gauss", "spiral", "plane", "multigauss",
                                       "iris", "digits", "custom"]


def test_set_state_before_init_merges_over_the_defaults():
    r = call(Facade(), op="set_state", settings={"hidden": [2]})
    assert r["ok"] and r["settings"] == {**facade.DEFAULTS, "hidden": [2]}
    r = call(Facade(), op="set_state")
    assert r["ok"] and r["settings"] == facade.DEFAULTS


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


# ------------------------------------------------------------ presets
def test_chapter_preset_reproduces_the_seed_example():
    f = Facade()
    r = call(f, op="preset", name="chapter")
    assert r["ok"] and r["preset"] == "chapter" and r["layers"] == [4, 2]
    assert r["weights"] == [CHAPTER_WHO]
    s = call(f, op="step_sample")
    tr = s["trace"]
    assert s["sample"]["x"] == CHAPTER_H
    assert close(tr["activations"][-1], [0.92, 0.18], 1e-12)
    assert close(tr["errors"], [0.08, 0.82], 1e-12)
    want = [Fraction(12, 275), Fraction(2, 275), Fraction(3, 275), Fraction(1, 55)]
    assert close(tr["shares"]["proportional"][0][0], [float(v) for v in want], 1e-9)
    assert f"{tr['shares']['proportional'][0][0][0]:.4f}" == "0.0436"  # not the printed 0.0343
    assert close(tr["shares"]["transposed"][0][0], [0.048, 0.008, 0.012, 0.02], 1e-9)


def test_chapter_preset_gives_the_sigmoid_reading_of_the_example_with_its_sign():
    # seed notes, test vectors: with o taken as sigmoid outputs, (t − o)·o(1 − o) is
    # 92/15625 and 15129/125000; δ = ∂E/∂z is its negative (the sign the chapter drops)
    sc = call(Facade(), op="preset", name="chapter")["sigmoid_case"]
    assert close(sc["o"], [0.92, 0.18], 1e-12) and sc["t"] == [1.0, 1.0]
    assert close(sc["delta"], [-float(Fraction(92, 15625)), -float(Fraction(15129, 125000))], 1e-12)
    h = [float(v) for v in CHAPTER_H]
    assert close(sc["grad_weights"], [[d * hj for hj in h] for d in sc["delta"]], 1e-12)
    assert close(sc["updates"], [[-0.1 * g for g in row] for row in sc["grad_weights"]], 1e-12)
    assert sc["learning_rate"] == 0.1
    assert all(u > 0 for row in sc["updates"] for u in row)  # both outputs are below t: weights grow


def test_wide_preset_is_64_32_10_and_a_one_kind_trace_is_small():
    f = Facade()
    r = call(f, op="preset", name="wide")
    assert r["layers"] == [64, 32, 10] and r["train_size"] == 100
    s = call(f, op="step_sample", kinds=["proportional"])
    assert sum(len(row) for w in s["trace"]["shares"]["proportional"] for row in w) == 64 * 32 + 32 * 10
    full = call(f, op="trace")
    one = call(f, op="trace", kinds=["proportional"])
    assert len(json.dumps(one)) < 0.7 * len(json.dumps(full))


def test_a_preset_ends_when_the_settings_rebuild_the_network():
    f = Facade()
    assert call(f, op="preset", name="chapter")["preset"] == "chapter"
    assert call(f, op="set_weight", l=0, k=0, j=0, value=0.5)["preset"] == "chapter"
    call(f, op="set_state", settings={"seed": 2})
    assert call(f, op="step_sample")["preset"] is None


def test_an_unknown_preset_is_refused():
    f = started()
    r = call(f, op="preset", name="digits")
    assert not r["ok"] and r["error"].startswith("name:")
