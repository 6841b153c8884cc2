"""Why the gradient is right, as the page asks (requests paths and nudge,
CPython and Pyodide): on the last step's samples at the weights before it, the
path sum is the gradient the step's trace shows; the nudge's central difference
agrees with it; nothing of the session changes; bad weights are refused by name."""

from __future__ import annotations

import pytest
from facade_calls import call, started


def unchanged(f) -> tuple:
    return call(f, op="state"), call(f, op="export_model")["json"], call(f, op="data")


@pytest.mark.parametrize("settings,op", [({"dataset": "xor", "seed": 2}, "step_sample"),
                                         ({"dataset": "circle", "hidden": [3, 2], "batch_size": 5}, "step_batch"),
                                         ({"dataset": "iris", "hidden": [4]}, "step_sample")])
def test_the_path_sum_is_the_gradient_the_steps_trace_shows(settings, op):
    f = started(**settings)
    call(f, op="step", n=2)
    r = call(f, op=op)
    grads = r["trace"]["grad_weights"]
    for l, k, j in [(0, 0, 0), (0, 1, 1), (len(grads) - 1, 0, 1)]:
        p = call(f, op="paths", l=l, k=k, j=j)
        assert p["ok"] and p["at"] == "last_step", p
        assert p["samples"] == len(r.get("batch", [0]))
        assert p["gradient"] == pytest.approx(grads[l][k][j], rel=1e-12, abs=1e-15)
        assert p["sum"] == pytest.approx(p["gradient"], rel=1e-9, abs=1e-15)
        widths = r["layers"][l + 2:]
        count = 1
        for w in widths:
            count *= w
        assert p["count"] == count and len(p["paths"]) == min(count, 50)


def test_nudge_agrees_with_the_gradient_and_changes_nothing():
    f = started(dataset="xor", seed=4)
    call(f, op="step_sample")
    before = unchanged(f)
    n = call(f, op="nudge", l=1, k=0, j=1)
    assert n["ok"] and n["at"] == "last_step", n
    assert n["numeric"] == pytest.approx(n["gradient"], rel=1e-6, abs=1e-10)
    assert n["agree_digits"] >= 6 and n["eps"] == 1e-4
    guess = n["linear_guess"]
    r = call(f, op="state")
    assert guess["step"]["actual"] <= n["loss"] + 1e-12          # the step went down the slope
    assert abs(guess["step"]["predicted"] - guess["step"]["actual"]) < 1e-3
    assert unchanged(f) == before
    assert call(f, op="paths", l=0, k=0, j=0)["ok"]
    assert unchanged(f) == before and r["epoch"] == before[0]["epoch"]


def test_after_more_training_or_an_edit_the_next_sample_at_the_weights_now_is_used():
    f = started(dataset="xor", seed=5)
    assert call(f, op="paths", l=0, k=0, j=0)["at"] == "now"       # nothing stepped yet
    call(f, op="step_sample")
    assert call(f, op="paths", l=0, k=0, j=0)["at"] == "last_step"
    call(f, op="step", n=1)                                          # the weights moved on
    p = call(f, op="paths", l=0, k=0, j=0)
    assert p["at"] == "now" and p["samples"] == 1
    call(f, op="step_sample")
    call(f, op="set_weight", l=0, k=0, j=0, value=0.25)
    assert call(f, op="nudge", l=0, k=0, j=0)["at"] == "now"


@pytest.mark.parametrize("req,words", [
    ({"l": 5, "k": 0, "j": 0}, "l: expected a whole number from 0 to 2"),
    ({"l": 0, "k": 9, "j": 0}, "k: expected a whole number from 0 to 3"),
    ({"l": 0, "k": 0, "j": "x"}, "j: expected a whole number"),
    ({"l": 0, "k": 0, "j": 0, "eps": 0}, "eps: expected a number above 0"),
    ({"l": 0, "k": 0, "j": 0, "eps": "tiny"}, "eps: expected a number above 0 and at most 1, got 'tiny'"),
])
def test_a_bad_weight_or_eps_is_refused_by_name(req, words):
    f = started(dataset="xor")
    before = unchanged(f)
    r = call(f, op="nudge" if "eps" in req else "paths", **req)
    assert r["ok"] is False and words in r["error"], r
    assert unchanged(f) == before


def test_no_training_points_is_refused_in_words():
    f = started(dataset="xor")
    call(f, op="clear")
    r = call(f, op="paths", l=0, k=0, j=0)
    assert r["ok"] is False and "there are no training points" in r["error"]
