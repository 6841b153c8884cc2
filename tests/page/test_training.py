"""The training requests (step, step_sample, step_batch, step_epoch,
train_for, trace, set_weight): epochs and their history, the settings that
reach the training (learning rate, l1/l2, the course rule), stop conditions,
the work limit of one request, divergence that keeps only the finite epochs,
traces per sample, batch and epoch, the epoch cursor, time-boxed play slices,
editing a weight. CPython and Pyodide."""

from __future__ import annotations

import json
import math

import pytest
from facade_calls import _unchanged_after, call, close, net_from, started
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pynet import course_rule
from pynet.course import NeuralNetwork
from pynet.course_rule import step as course_step
from pynet.errors import DivergedError
from pynet.facade import LIMITS, Facade
from pynet.network import Network
from pynet.page.training import WEIGHT_LIMIT
from pynet.trace import KINDS


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


@pytest.mark.parametrize("n", [0, -1, 1.5, "3", 10001])
def test_step_count_is_validated(n):
    r = call(started(), op="step", n=n)
    assert r["ok"] is False and r["error"].startswith("n: expected a whole number")


def test_divergence_answers_with_the_kept_state_see_test_facade_edges():
    """The real divergence tests are the test_divergence_* ones below; here only
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


# ----------------------------------------------- defect 3: divergence
ISSUE_CASE = {"dataset": "plane", "activation": "linear", "learning_rate": 10, "batch_size": 1,
                  "hidden": [8, 8, 8]}
# one full-batch step per epoch: the loss grows for a few epochs, then overflows
LATE_CASE = {"dataset": "plane", "activation": "linear", "learning_rate": 1, "batch_size": 1000,
                 "hidden": [8, 8, 8], "samples": 40}


def test_divergence_in_the_first_epoch_changes_nothing():
    f = started(**ISSUE_CASE)
    before = call(f, op="state")
    rng_before = f.net.rng.getstate()
    r = call(f, op="step", n=20)
    assert r["ok"] is False and r["type"] == "DivergedError"
    step = int(r["error"].split(", step ")[1].split(" ")[0])
    assert r["error"] == (f"training diverged in epoch 1, step {step} of "
                          f"{before['train_size']}: the loss stopped being a finite number, "
                          f"so the learning_rate 10 is probably too high. Kept the network "
                          f"after epoch 0; epoch 1 undone.")
    assert r["epoch"] == 0 and r["history"] == []
    assert r["train_loss"] == before["train_loss"] and r["test_loss"] == before["test_loss"]
    assert call(f, op="state") == before          # weights, biases, epoch, losses
    assert f.net.rng.getstate() == rng_before     # the shuffle generator too
    again = call(f, op="step", n=20)              # so the same request fails the same way
    assert again == r


def test_divergence_keeps_the_epochs_that_completed_with_a_finite_loss():
    f = started(**LATE_CASE)
    r = call(f, op="step", n=50)
    assert r["ok"] is False and r["type"] == "DivergedError"
    kept = r["epoch"]
    assert kept >= 2, r                           # several good epochs first
    assert len(r["history"]) == kept and all(math.isfinite(h) for h in r["history"])
    assert f"Kept the network after epoch {kept}" in r["error"]
    s = call(f, op="state")
    assert s["epoch"] == kept
    assert s["train_loss"] is not None and math.isfinite(s["train_loss"])
    # state() tells the truth: its losses are those of its weights ...
    net = Network([2, 8, 8, 8, 1], activation="linear", output_activation="linear")
    net.weights, net.biases = s["weights"], s["biases"]
    assert net.loss(f.train_x, f.train_t) == s["train_loss"]
    assert net.loss(f.test_x, f.test_t) == s["test_loss"]
    # ... and they are the network a session that asked for just those epochs has
    g = started(**LATE_CASE)
    ok = call(g, op="step", n=kept)
    assert ok["ok"] and ok["history"] == r["history"]
    assert call(g, op="state") == s
    assert g.net.rng.getstate() == f.net.rng.getstate()


def test_divergence_error_names_the_epoch_and_step_of_the_failure():
    f = started(**LATE_CASE)
    call(f, op="step", n=2)
    r = call(f, op="step", n=50)
    assert r["ok"] is False
    # one step per epoch here; the failing epoch is after the ones kept (which
    # count from the start of the session, not of this request)
    failed = int(r["error"].split("diverged in epoch ")[1].split(",")[0])
    assert failed > r["epoch"] >= 2
    kept = r["epoch"]
    undone = f"epoch {failed}" if failed == kept + 1 else f"epochs {kept + 1} to {failed}"
    assert r["error"] == (f"training diverged in epoch {failed}, step 1 of 1: the loss stopped "
                          f"being a finite number, so the learning_rate 1 is probably too high. "
                          f"Kept the network after epoch {kept}"
                          f"{'' if failed == kept + 1 else ' (its loss is finite)'}; "
                          f"{undone} undone.")
    assert failed == kept + 2     # here the last completed epoch ended on an infinite loss


# ----------------------------------------------- defect 8: bounded work
def test_a_step_request_is_bounded_in_work():
    f = started(samples=2000, hidden=[8] * 6, batch_size=1, train_ratio=0.5)
    params = sum(len(w) * len(w[0]) + len(w) for w in f.net.weights)
    assert params == 393
    per_epoch = 1000 * params
    most = LIMITS["step_work"] // per_epoch
    assert most >= 1
    r = call(f, op="step", n=most + 1)
    assert r["ok"] is False and r["type"] == "SettingsError"
    assert r["error"].startswith(f"n: {most + 1} epochs of 1000 training samples")
    assert f"ask for at most {most}" in r["error"]
    assert call(f, op="state")["epoch"] == 0
    r = call(f, op="step", n=1)                    # one epoch is always allowed
    assert r["ok"] and r["epoch"] == 1


def test_the_largest_epoch_fits_the_work_limit():
    """One epoch of the biggest network on the most samples is always allowed."""
    params = 2 * 8 + 8 + 5 * (8 * 8 + 8) + 8 + 1
    _lo, hi = LIMITS["samples"]
    assert hi * params <= LIMITS["step_work"]


def test_many_small_epochs_are_still_allowed():
    f = started(samples=20, hidden=[], train_ratio=0.5)
    r = call(f, op="step", n=LIMITS["step"][1])
    assert r["ok"] and r["epoch"] == LIMITS["step"][1]


def test_test_loss_is_measured_on_the_test_set():
    f = started(dataset="gauss", hidden=[3], seed=5, noise=0.5)
    call(f, op="step", n=3)
    s = call(f, op="state")
    assert s["test_loss"] == f.net.loss(f.test_x, f.test_t)
    assert s["train_loss"] == f.net.loss(f.train_x, f.train_t)
    assert s["test_loss"] != s["train_loss"]
    r = call(f, op="step")
    assert r["test_loss"] == f.net.loss(f.test_x, f.test_t) != r["train_loss"]


def test_step_count_true_is_not_one():
    r = call(started(), op="step", n=True)
    assert r["ok"] is False and r["error"].startswith("n: expected a whole number")


# ------------------------------- mutants that survived the first mutmut run
def test_a_step_is_fit_with_exactly_the_settings():
    """Rebuilt independently from the settings: dataset (with its noise), split,
    targets (class 1 → +1), network (learning_rate, seed) and fit (batch_size,
    shuffled every epoch). Kills dropped arguments in _build and op_step."""
    from pynet import datasets
    s = {"dataset": "xor", "noise": 0.3, "hidden": [3], "learning_rate": 0.3, "batch_size": 7,
             "samples": 60, "seed": 4, "train_ratio": 0.4, "activation": "sigmoid"}
    f = started(**s)
    X, y = datasets.xor(n=60, noise=0.3, seed=4)
    x_tr, y_tr, x_te, y_te = datasets.split(X, y, train_ratio=0.4, seed=4)
    assert f.train_x == x_tr and f.test_x == x_te
    assert f.train_t == [[1.0 if v == 1 else -1.0] for v in y_tr]
    assert f.test_t == [[1.0 if v == 1 else -1.0] for v in y_te]
    net = Network([2, 3, 1], activation="sigmoid", output_activation="tanh",
                  learning_rate=0.3, seed=4)
    history = net.fit(x_tr, f.train_t, epochs=3, batch_size=7, shuffle=True)
    r = call(f, op="step", n=3, snapshot=True)
    assert r["history"] == history
    assert r["weights"] == net.weights and r["biases"] == net.biases
    # and noise does change the data (xor's labels)
    assert datasets.xor(n=60, noise=0.0, seed=4) != (X, y)


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
    def sign(w):
        return (w > 0) - (w < 0)
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
    r = json.loads(f.handle('{"op": "set_weight", "l": 0, "k": 0, "j": 0, "value": %s}' % literal))  # noqa: UP031
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


# ------------------------------- play slices follow the settings' rule
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


def play_until_stopped(f, limit=200, **req):
    """train_for slices until one answers ``stopped`` (or ``limit`` slices)."""
    for _ in range(limit):
        r = call(f, op="train_for", ms=50, **req)
        assert r["ok"], r
        if r["stopped"]:
            return r
    raise AssertionError(f"no stop after {limit} slices (epoch {r['epoch']})")


@pytest.mark.parametrize("glow", [None, "proportional"])
def test_train_for_stops_exactly_at_max_epoch_and_then_trains_nothing(glow):
    f = started(seed=2, max_epoch=3)
    r = play_until_stopped(f, glow=glow)
    assert r["stopped"] == "max_epoch" and r["epoch"] == 3 and r["cursor"] == 0
    assert "train_loss" in r and "train_accuracy" in r     # the final figures come with it
    again = call(f, op="train_for", ms=5, glow=glow)
    assert again["stopped"] == "max_epoch" and again["steps"] == 0
    assert again["weights"] == r["weights"] and again["epoch"] == 3
    # raising the limit (a live setting) lets training go on from there
    assert call(f, op="set_state", settings={"max_epoch": 5})["reset"] is False
    assert play_until_stopped(f, glow=glow)["epoch"] == 5


def test_train_for_stops_at_max_epoch_before_any_training():
    f = started(seed=2, max_epoch=1)
    call(f, op="step", n=1)
    r = call(f, op="train_for", ms=5)
    assert r["ok"] and r["stopped"] == "max_epoch" and r["steps"] == 0 and r["epoch"] == 1


def test_train_for_stops_at_the_same_epoch_as_step_for_a_target_loss():
    hist = call(started(seed=3, learning_rate=0.1), op="step", n=30)["history"]
    # a target between two history values (no float-rounding tie with any of them)
    target = sorted(hist)[len(hist) // 2] * (1 + 1e-6)
    assert all(abs(h - target) > 1e-9 for h in hist)
    first = next(i for i, h in enumerate(hist) if h <= target)
    stepped = call(started(seed=3, learning_rate=0.1, target_loss=target), op="step", n=30)
    assert stepped["stopped"] == "target_loss" and stepped["epoch"] == first + 1
    played = play_until_stopped(started(seed=3, learning_rate=0.1, target_loss=target))
    assert played["stopped"] == "target_loss" and played["epoch"] == first + 1
    assert played["cursor"] == 0


def test_train_for_without_stop_conditions_reports_null():
    r = call(started(seed=2), op="train_for", ms=5)
    assert r["ok"] and r["stopped"] is None


@pytest.mark.parametrize("value, words", [
    ("0.5", "value: expected a number, got str '0.5'"),
    (1e308, "value: expected a finite number from -1000 to 1000, got 1e+308"),
    (True, "value: expected a number, got bool True"),
])
def test_set_weight_refuses_text_and_huge(value, words):
    """The page refuses text and NaN before asking (stepper.js); the facade refuses them too."""
    _unchanged_after({"op": "set_weight", "l": 0, "k": 0, "j": 0, "value": value}, words)


def test_set_weight_refuses_nan():
    f = started(dataset="xor", seed=3)
    before = call(f, op="state")
    r = json.loads(f.handle('{"op": "set_weight", "l": 0, "k": 0, "j": 0, "value": NaN}'))
    assert r["ok"] is False and "value: expected a finite number from -1000 to 1000, got nan" in r["error"]
    assert call(f, op="state") == before
