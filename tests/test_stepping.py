"""The facade's fine-grained steps (pynet.stepping): traces per sample, batch
and epoch, the epoch cursor, time-boxed slices, editing a weight, presets.
Runs on CPython and in Pyodide (no numpy)."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pynet import course_rule
from pynet.facade import Facade
from pynet.page.session import CHAPTER_H, CHAPTER_WHO
from pynet.page.training import WEIGHT_LIMIT
from pynet.trace import KINDS
from facade_calls import call, net_from, started  # noqa: E402  (tests/ is on sys.path)


def close(a, b, tol=1e-12):
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


# ------------------------------------------------------------ one sample
def test_step_sample_trace_equals_pynet_on_the_same_weights_and_sample_per_kind():
    f = started(dataset="xor", seed=3)
    before = call(f, op="state")
    r = call(f, op="step_sample")
    assert r["ok"], r
    sample = r["sample"]
    ref = net_from(before).backprop(sample["x"], sample["t"]).to_dict()
    for kind in KINDS:
        assert r["trace"]["shares"][kind] == ref["shares"][kind], kind
        assert r["trace"]["node_errors"][kind] == ref["node_errors"][kind], kind
    for key in ("activations", "errors", "deltas", "grad_weights", "updates", "loss", "loss_after"):
        assert r["trace"][key] == ref[key], key
    # the divisors shown beside the proportional shares are those of the pre-step weights
    assert close(r["trace"]["denominators"], [[sum(row) for row in w] for w in before["weights"]])


def test_step_sample_shares_follow_their_formulas_on_the_pre_step_weights():
    f = started(dataset="circle", seed=5)
    W = call(f, op="state")["weights"]
    tr = call(f, op="step_sample")["trace"]
    L = len(W)
    e, delta = tr["errors"], tr["deltas"]
    for k, row in enumerate(W[L - 1]):
        s = sum(row)
        assert tr["share_rules"][L - 1][k] == "sum"  # default init: no tiny sums here
        for j, w in enumerate(row):
            assert math.isclose(tr["shares"]["proportional"][L - 1][k][j], e[k] * w / s, rel_tol=1e-12)
            assert math.isclose(tr["shares"]["transposed"][L - 1][k][j], w * e[k], rel_tol=1e-12)
            assert math.isclose(tr["shares"]["gradient"][L - 1][k][j], w * delta[L - 1][k], rel_tol=1e-12)
        # the proportional shares of e_k sum back to e_k (seed note S4)
        assert math.isclose(sum(tr["shares"]["proportional"][L - 1][k]), e[k], rel_tol=1e-9)
    # a hidden node collects Σ_k of the shares arriving; the next layer sends that on
    for kind in ("proportional", "transposed"):
        got = tr["node_errors"][kind][L - 1]
        want = [sum(tr["shares"][kind][L - 1][k][j] for k in range(len(W[L - 1])))
                for j in range(len(W[L - 1][0]))]
        assert close(got, want)


def test_weights_after_a_sample_step_are_the_old_weights_plus_the_updates():
    f = started(seed=2)
    old = call(f, op="state")
    r = call(f, op="step_sample")
    upd = r["trace"]["updates"]
    want = [[[w + u for w, u in zip(row, urow)] for row, urow in zip(wl, ul)]
            for wl, ul in zip(old["weights"], upd)]
    assert r["weights"] == want == call(f, op="state")["weights"]
    assert r["weights"] != old["weights"]


def test_a_traced_step_applies_the_course_rule_when_the_settings_say_so():
    # update=course: the animation still explains exact backprop (shares, deltas,
    # gradients), but the step adds what play would add, the course's rule
    f = started(dataset="xor", seed=6, hidden=[3], update="course")
    before = call(f, op="state")
    r = call(f, op="step_sample")
    x, t = r["sample"]["x"], r["sample"]["t"]
    ref = net_from(before)
    exact = ref.backprop(x, t).to_dict()
    course_rule.step(ref, [x], [t], ref.learning_rate)
    assert close(r["weights"], ref.weights) and close(r["biases"], ref.biases)
    tr = r["trace"]
    assert tr["rule"] == "course" and (tr["l1"], tr["l2"]) == (0.0, 0.0)
    assert tr["grad_weights"] == exact["grad_weights"]   # the explained gradient is exact
    assert close(tr["updates"], [[[n - o for n, o in zip(nr, orow)] for nr, orow in zip(nl, ol)]
                                 for nl, ol in zip(r["weights"], before["weights"])])
    assert not close(tr["updates"][0], exact["updates"][0], 1e-9)  # the hidden step differs
    assert math.isclose(tr["loss_after"], ref.loss([x], [t]), rel_tol=1e-12)


def test_a_traced_step_applies_l1_and_l2_as_play_does():
    f = started(dataset="circle", seed=7, l1=0.01, l2=0.02)
    before = call(f, op="state")
    r = call(f, op="step_sample")
    x, t = r["sample"]["x"], r["sample"]["t"]
    grad = net_from(before).backprop(x, t).grad_weights
    lr = before["settings"]["learning_rate"]
    sign = lambda w: (w > 0) - (w < 0)
    want = [[[w - lr * (g + 0.01 * sign(w) + 0.02 * w) for w, g in zip(row, grow)]
             for row, grow in zip(wl, gl)] for wl, gl in zip(before["weights"], grad)]
    assert close(r["weights"], want, 1e-12)
    assert r["trace"]["rule"] == "exact" and (r["trace"]["l1"], r["trace"]["l2"]) == (0.01, 0.02)
    assert close(r["trace"]["updates"],
                 [[[wn - w for wn, w in zip(rn, ro)] for rn, ro in zip(ln, lo)]
                  for ln, lo in zip(r["weights"], before["weights"])])


def test_a_diverging_course_step_changes_nothing():
    f = started(dataset="plane", seed=1, hidden=[8, 8], activation="relu",
                output_activation="linear", learning_rate=10, update="course", batch_size=1)
    for _ in range(200):
        before = call(f, op="state")
        r = call(f, op="step_sample")
        if not r["ok"]:
            break
    else:
        pytest.fail("learning_rate 10 on plane never diverged")
    assert r["type"] == "DivergedError", r
    after = call(f, op="state")
    assert after["weights"] == before["weights"] and after["biases"] == before["biases"]
    assert after["epoch"] == before["epoch"]


def test_a_step_measures_the_losses_on_small_data_and_skips_them_on_big_data():
    f = started(seed=2)  # the default problem: 17 parameters × 500 points
    r = call(f, op="step_sample")
    assert r["losses_measured"] is True
    assert r["train_loss"] == call(f, op="state")["train_loss"]
    f = started(dataset="iris", hidden=[64, 64], seed=2)  # 4,803 parameters × 150 points
    before = call(f, op="state")
    r = call(f, op="step_sample")
    assert r["losses_measured"] is False
    assert not {"train_loss", "test_loss", "train_accuracy", "test_accuracy"} & set(r)
    assert r["weights"] != before["weights"] and r["epoch"] == 0
    # asked for, they are measured; and the step that ends an epoch measures them
    assert call(f, op="step_sample", losses=True)["train_loss"] == call(f, op="state")["train_loss"]
    assert "train_loss" not in call(f, op="step_batch", losses=False)
    r = call(f, op="step_epoch")
    assert r["epoch"] == 1 and r["losses_measured"] is True and r["train_loss"] is not None


@pytest.mark.parametrize("bad", ["yes", 1, None, [True]])
def test_the_losses_flag_is_checked(bad):
    f = started(seed=2)
    before = call(f, op="state")
    r = call(f, op="step_sample", losses=bad)
    assert not r["ok"] and r["error"].startswith("losses: expected true, false or \"auto\"")
    assert call(f, op="state") == before
    # nothing moved, not even the epoch's order: the next steps are those of a fresh facade
    fresh = started(seed=2)
    assert [call(f, op="step_sample")["sample"] for _ in range(3)] == \
        [call(fresh, op="step_sample")["sample"] for _ in range(3)]


def test_the_cursor_walks_a_permutation_and_an_epoch_ends_after_every_sample():
    f = started(dataset="xor", samples=40, seed=4)  # 20 training samples
    size = call(f, op="state")["train_size"]
    seen = []
    for n in range(size):
        r = call(f, op="step_sample")
        seen.append(r["sample"]["index"])
        assert r["epoch"] == (1 if n == size - 1 else 0)
        assert r["cursor"] == (n + 1) % size and r["epoch_size"] == size
    assert sorted(seen) == list(range(size))
    again = [call(f, op="step_sample")["sample"]["index"] for _ in range(size)]
    assert sorted(again) == list(range(size)) and again != seen  # a new order for epoch 2


def test_a_whole_epoch_of_batch_steps_equals_one_epoch_step():
    a, b = started(seed=9, samples=60), started(seed=9, samples=60)  # 30 samples, batch 10
    r = None
    for _ in range(3):
        r = call(a, op="step_batch")
        assert len(r["batch"]) == 10
    assert r["epoch"] == 1 and r["cursor"] == 0
    e = call(b, op="step", n=1)
    assert e["epoch"] == 1
    assert close(call(a, op="state")["weights"], call(b, op="state")["weights"])


def test_step_epoch_from_the_start_equals_an_epoch_step_and_from_mid_epoch_finishes_it():
    a, b = started(seed=8), started(seed=8)
    r = call(a, op="step_epoch")
    assert r["ok"] and r["epoch"] == 1 and r["cursor"] == 0 and len(r["batch"]) == 10
    call(b, op="step", n=1)
    assert close(call(a, op="state")["weights"], call(b, op="state")["weights"])
    # mid-epoch: the rest only
    c = started(seed=8, samples=60)
    for _ in range(7):
        call(c, op="step_sample")
    r = call(c, op="step_epoch")
    assert r["epoch"] == 1 and r["cursor"] == 0
    assert len(r["batch"]) == 3  # 23 samples left: two steps of 10 untraced, the traced last of 3


def test_an_epoch_step_mid_epoch_starts_the_cursor_afresh():
    f = started(seed=1)
    for _ in range(3):
        call(f, op="step_sample")
    assert call(f, op="step", n=1)["epoch"] == 1
    r = call(f, op="step_sample")
    assert r["cursor"] == 1 and r["epoch"] == 1


def test_batch_trace_is_the_mean_over_its_samples():
    f = started(seed=6)
    before = call(f, op="state")
    r = call(f, op="step_batch")
    net = net_from(before)
    data = call(f, op="data")
    X = [data["train_x"][i] for i in r["batch"]]
    T = [[data["train_t"][i]] for i in r["batch"]]
    ref = net.backprop_batch(X, T).to_dict()
    assert r["trace"]["samples"] == len(r["batch"]) == 10
    for kind in KINDS:
        assert r["trace"]["shares"][kind] == ref["shares"][kind]


def test_kinds_limit_the_trace_and_bad_kinds_are_refused():
    f = started()
    r = call(f, op="step_sample", kinds=["gradient"])
    assert list(r["trace"]["shares"]) == ["gradient"] and list(r["trace"]["node_errors"]) == ["gradient"]
    for bad in ([], ["exact"], "gradient", None):
        before = call(f, op="state")
        r = call(f, op="step_sample", kinds=bad)
        assert not r["ok"] and r["error"].startswith("kinds:")
        assert call(f, op="state") == before


def test_trace_previews_the_next_sample_without_changing_anything():
    f = started(seed=4)
    before = call(f, op="state")
    p = call(f, op="trace")
    assert call(f, op="state") == before
    r = call(f, op="step_sample")
    assert p["sample"] == r["sample"] and p["trace"] == r["trace"]


# ------------------------------------------------------------ play slices
def test_train_for_trains_at_least_one_step_and_reports_the_glow():
    f = started(seed=3)
    r = call(f, op="train_for", ms=5, glow="proportional", losses=True)
    assert r["ok"] and r["steps"] >= 1
    assert r["weights"] == call(f, op="state")["weights"]
    shapes = [[len(row) for row in w] for w in r["weights"]]
    assert [[len(row) for row in w] for w in r["glow"]] == shapes
    assert all(v >= 0 for w in r["glow"] for row in w for v in row)
    assert math.isfinite(r["train_loss"])
    q = call(f, op="train_for", ms=5)
    assert "glow" not in q and "train_loss" not in q
    assert q["epoch"] * q["epoch_size"] + q["cursor"] >= r["epoch"] * r["epoch_size"] + r["cursor"] + 10


@pytest.mark.parametrize("bad", [0, -1, 1001, "12", True, None])
def test_train_for_refuses_bad_slices(bad):
    f = started()
    before = call(f, op="state")
    r = call(f, op="train_for", ms=bad)
    assert not r["ok"] and r["error"].startswith("ms:")
    assert call(f, op="state") == before


def test_train_for_refuses_an_unknown_glow_kind():
    f = started()
    r = call(f, op="train_for", ms=5, glow="exact")
    assert not r["ok"] and r["error"].startswith("glow:")


# ------------------------------------------------------------ editing a weight
def test_set_weight_changes_the_state_and_the_next_trace():
    f = started(seed=2)
    r = call(f, op="set_weight", l=1, k=0, j=2, value=1.25)
    assert r["ok"] and r["weights"][1][0][2] == 1.25
    assert call(f, op="state")["weights"][1][0][2] == 1.25
    tr = call(f, op="trace")["trace"]
    ref = net_from(call(f, op="state")).backprop(*[call(f, op="trace")["sample"][k] for k in "xt"])
    assert tr["shares"] == ref.to_dict()["shares"]


@pytest.mark.parametrize("req,key", [
    ({"l": 0, "k": 0, "j": 0, "value": "0.5"}, "value"),
    ({"l": 0, "k": 0, "j": 0, "value": "abc"}, "value"),
    ({"l": 0, "k": 0, "j": 0, "value": True}, "value"),
    ({"l": 0, "k": 0, "j": 0, "value": None}, "value"),
    ({"l": 0, "k": 0, "j": 0, "value": WEIGHT_LIMIT * 2}, "value"),
    ({"l": 0, "k": 0, "j": 0}, "value"),
    ({"l": 3, "k": 0, "j": 0, "value": 1}, "l"),
    ({"l": 0, "k": 4, "j": 0, "value": 1}, "k"),
    ({"l": 0, "k": 0, "j": 2, "value": 1}, "j"),
    ({"l": -1, "k": 0, "j": 0, "value": 1}, "l"),
    ({"l": 0.0, "k": 0, "j": 0, "value": 1}, "l"),
])
def test_set_weight_refuses_bad_input_and_changes_nothing(req, key):
    f = started()
    before = call(f, op="state")
    r = call(f, op="set_weight", **req)
    assert not r["ok"] and r["error"].startswith(f"{key}:"), r
    assert call(f, op="state") == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_set_weight_refuses_non_finite_json_numbers(literal):
    f = started()
    before = call(f, op="state")
    r = json.loads(f.handle('{"op": "set_weight", "l": 0, "k": 0, "j": 0, "value": %s}' % literal))
    assert not r["ok"] and r["error"].startswith("value:")
    assert call(f, op="state") == before


@hsettings(max_examples=60, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                 st.integers(), st.booleans(), st.none()))
def test_set_weight_accepts_exactly_the_finite_numbers_within_the_limit(value):
    f = started()
    before = call(f, op="state")
    r = f.request({"op": "set_weight", "l": 0, "k": 1, "j": 0, "value": value})
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value) and abs(value) <= WEIGHT_LIMIT)
    assert r["ok"] is ok, (value, r)
    if ok:
        assert call(f, op="state")["weights"][0][1][0] == float(value)
    else:
        assert call(f, op="state") == before


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


# ------------------------------- play slices follow the settings' rule (merge of issues 7 and 8)
def test_play_slices_use_the_course_rule_and_penalties_when_the_settings_say_so():
    from pynet import course_rule
    f = started(update="course", batch_size=5, l2=0.01, seed=3)
    start = call(f, op="state")
    r = call(f, op="train_for", ms=1)
    assert r["ok"]
    steps = r["steps"]
    assert 1 <= steps <= 50  # within the first epoch of 250 points
    order = f._order  # the epoch's order, drawn with the network's generator
    net = net_from(start)
    for s in range(steps):
        batch = order[s * 5:(s + 1) * 5]
        course_rule.step(net, [f.train_x[i] for i in batch], [f.train_t[i] for i in batch],
                         start["settings"]["learning_rate"], 0.0, 0.01)
    assert r["weights"] == [[list(row) for row in w] for w in net.weights]
    exact = started(update="exact", batch_size=5, l2=0.01, seed=3)
    assert call(exact, op="train_for", ms=1)["weights"] != net_from(start).weights


def test_a_diverging_play_slice_changes_nothing():
    f = started(dataset="plane", hidden=[8, 8, 8], activation="linear", learning_rate=10,
                batch_size=1)
    last = call(f, op="state")
    for _ in range(200):
        r = call(f, op="train_for", ms=5)
        if not r["ok"]:
            break
        last = call(f, op="state")
    assert r["ok"] is False and r["type"] == "DivergedError"
    now = call(f, op="state")
    assert now["weights"] == last["weights"] and now["biases"] == last["biases"]
    assert now["epoch"] == last["epoch"] and now["train_loss"] == last["train_loss"]
    again = call(f, op="train_for", ms=5)  # the cursor was not moved past untrained samples
    assert again["ok"] is False and call(f, op="state")["weights"] == last["weights"]
