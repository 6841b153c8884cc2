"""Issue 10, facade side: hostile requests and the mutations that used to
leave the suite green. CPython and Pyodide alike (no numpy)."""

from __future__ import annotations

import json
import math

import pytest

from pynet import facade
from pynet.facade import LIMITS, Facade
from pynet.network import Network
from facade_calls import call, started  # noqa: E402  (tests/ is on sys.path)
from facade_calls import BIG



# ----------------------------------------------- defect 1: deep nesting
@pytest.mark.parametrize("text", [
    "[" * 1500 + "]" * 1500,
    '{"op": "init", "settings": {"hidden": ' + "[" * 5000 + "]" * 5000 + "}}",
    "{" + '"a":{' * 3000 + "}" * 3001,
])
def test_deeply_nested_json_is_an_error_answer_not_an_exception(text):
    r = json.loads(Facade().handle(text))
    assert r == {"ok": False, "type": "ValueError",
                 "error": "request: brackets nested more than 32 deep"}


@pytest.mark.parametrize("depth, ok", [(32, True), (33, False)])
def test_request_depth_limit_is_exact(depth, ok):
    # settings: {"hidden": [[...[3]...]]}: 2 levels of objects, depth - 2 of lists
    text = '{"op": "init", "settings": {"hidden": ' + "[" * (depth - 2) + "3" + \
        "]" * (depth - 2) + "}}"
    r = json.loads(Facade().handle(text))
    assert r["ok"] is False
    if ok:   # parsed, then refused as a setting
        assert r["error"].startswith("hidden") and r["type"] == "SettingsError"
    else:
        assert r["error"] == "request: brackets nested more than 32 deep"
    assert LIMITS["request_depth"] == 32


@pytest.mark.parametrize("text", [
    '{"op": "init", "settings": {"dataset": "' + "[" * 200 + '"}}',    # brackets in a string
    '{"op": "init", "settings": {"dataset": "\\\"' + "{" * 200 + '"}}',  # after an escaped quote
])
def test_brackets_inside_strings_do_not_count(text):
    r = json.loads(Facade().handle(text))
    assert r["ok"] is False and r["error"].startswith("dataset: expected one of")


def test_unbalanced_brackets_are_a_json_error():
    r = json.loads(Facade().handle("[" * 50))
    assert r["ok"] is False and r["error"].startswith("request: not valid JSON")


def test_deeply_nested_request_dict_is_an_error_answer():
    nested: list = []
    for _ in range(3000):                       # past the recursion limit
        nested = [nested]
    f = Facade()
    r = f.request({"op": "init", "settings": {"hidden": nested}})
    assert r["ok"] is False and r["error"].startswith("hidden")
    assert len(r["error"]) < 200
    r = f.request(nested)
    assert r["ok"] is False and r["error"].startswith("request: expected an object")


# ----------------------------------------------- defect 2: huge integers
@pytest.mark.parametrize("key", ["learning_rate", "noise", "train_ratio"])
def test_huge_integer_settings_name_the_setting(key):
    f = started(dataset="xor", seed=3)
    before = call(f, op="state")
    r = json.loads(f.handle('{"op": "set_state", "settings": {"%s": %s}}' % (key, BIG)))
    assert r["ok"] is False and r["type"] == "SettingsError"
    assert r["error"].startswith(f"{key}: expected a number from")
    assert len(r["error"]) < 200
    assert call(f, op="state") == before


@pytest.mark.parametrize("key", ["samples", "seed", "batch_size"])
def test_huge_integer_whole_number_settings_name_the_setting(key):
    r = json.loads(Facade().handle('{"op": "init", "settings": {"%s": %s}}' % (key, BIG)))
    assert r["ok"] is False and r["error"].startswith(f"{key}: expected a whole number from")
    assert len(r["error"]) < 200


def test_huge_integer_points_name_the_point():
    f = started()
    r = json.loads(f.handle('{"op": "predict", "points": [[0, 1], [%s, 0]]}' % BIG))
    assert r["ok"] is False and r["error"].startswith("points[1]: expected [x1, x2]")
    assert len(r["error"]) < 200


# ----------------------------------------------- defect 3: divergence
ISSUE_CASE = dict(dataset="plane", activation="linear", learning_rate=10, batch_size=1,
                  hidden=[8, 8, 8])
# one full-batch step per epoch: the loss grows for a few epochs, then overflows
LATE_CASE = dict(dataset="plane", activation="linear", learning_rate=1, batch_size=1000,
                 hidden=[8, 8, 8], samples=40)


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


# ----------------------------------------------- defect 7: no echo
@pytest.mark.parametrize("settings, start", [
    ({"hidden": [1] * 10 ** 6}, "hidden: expected a list of 0 to 6"),
    ({"dataset": "x" * 10 ** 6}, "dataset: expected one of"),
    ({"noise": "x" * 10 ** 6}, "noise: expected a number"),
    ({"x" * 10 ** 6: 1}, "settings: unknown setting"),
    ({"seed": [0] * 10 ** 6}, "seed: expected a whole number"),
])
def test_errors_quote_at_most_a_short_excerpt_of_the_input(settings, start):
    r = call(Facade(), op="init", settings=settings)
    assert r["ok"] is False and r["error"].startswith(start)
    assert len(r["error"]) < 300


def test_other_errors_do_not_echo_long_input_either():
    f = started()
    long = "y" * 10 ** 5
    for req in ({"op": long}, {"op": "predict", "points": [[1, long]]},
                {"op": "init", "settings": [long]}):
        r = f.request(req)
        # the op message lists every op (~350 characters) but quotes at most 60 of the input
        assert r["ok"] is False and len(r["error"]) < 600 and "y" * 61 not in r["error"], \
            r["error"][:100]
    r = f.request([long])
    assert r["ok"] is False and len(r["error"]) < 300


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
    lo, hi = LIMITS["samples"]
    assert hi * params <= LIMITS["step_work"]


def test_many_small_epochs_are_still_allowed():
    f = started(samples=20, hidden=[], train_ratio=0.5)
    r = call(f, op="step", n=LIMITS["step"][1])
    assert r["ok"] and r["epoch"] == LIMITS["step"][1]


# ------------------------------------------ mutations in the facade
def test_test_loss_is_measured_on_the_test_set():
    f = started(dataset="gauss", hidden=[3], seed=5, noise=0.5)
    call(f, op="step", n=3)
    s = call(f, op="state")
    assert s["test_loss"] == f.net.loss(f.test_x, f.test_t)
    assert s["train_loss"] == f.net.loss(f.train_x, f.train_t)
    assert s["test_loss"] != s["train_loss"]
    r = call(f, op="step")
    assert r["test_loss"] == f.net.loss(f.test_x, f.test_t) != r["train_loss"]


def test_non_finite_losses_and_outputs_are_null_not_invalid_json():
    f = started(dataset="plane", hidden=[])
    f.net.weights[0][0][:] = [1e300, 1e300]
    s = call(f, op="state")
    assert s["ok"] is True
    assert s["train_loss"] is None and s["test_loss"] is None
    r = call(f, op="predict", points=[[1e10, 1e10], [-1e10, -1e10], [1e10, -1e10], [0, 0]])
    assert r["ok"] is True and r["outputs"][:3] == [None, None, None]   # inf, -inf, nan
    assert r["outputs"][3] == f.net.biases[0][0]


def test_non_finite_history_entries_are_null():
    assert facade._finite_or_none(math.inf) is None
    assert facade._finite_or_none(math.nan) is None
    assert facade._finite_or_none(-math.inf) is None
    assert facade._finite_or_none(1.5) == 1.5


def test_points_limit_is_enforced_at_exactly_its_edge():
    f = started(hidden=[])
    lo, hi = LIMITS["points"]
    assert call(f, op="predict", points=[[0.5, 0.5]] * hi)["ok"] is True
    r = call(f, op="predict", points=[[0.5, 0.5]] * (hi + 1))
    assert r["ok"] is False and r["error"].startswith(f"points: expected a list of {lo} to {hi}")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_points_are_refused(literal):
    f = started()
    r = json.loads(f.handle('{"op": "predict", "points": [[0, 0], [%s, 1]]}' % literal))
    assert r["ok"] is False and r["error"].startswith("points[1]: expected [x1, x2] with two "
                                                      "finite numbers")
    r = f.request({"op": "predict", "points": [[1, float(literal)]]})
    assert r["ok"] is False and r["error"].startswith("points[0]")


@pytest.mark.parametrize("key, value", [("batch_size", True), ("samples", True),
                                        ("seed", False), ("hidden", [True])])
def test_booleans_are_not_whole_numbers(key, value):
    r = call(Facade(), op="init", settings={key: value})
    assert r["ok"] is False and "expected a whole number" in r["error"]


def test_step_count_true_is_not_one():
    r = call(started(), op="step", n=True)
    assert r["ok"] is False and r["error"].startswith("n: expected a whole number")


@pytest.mark.parametrize("exc", [ZeroDivisionError("division by zero"),
                                 OverflowError("math range error")])
def test_arithmetic_errors_in_an_op_are_answers(exc):
    f = started()

    def boom(*args, **kwargs):
        raise exc

    f.op_state = boom  # whatever an op computes, the dispatch answers
    r = f.request({"op": "state"})
    assert r == {"ok": False, "error": str(exc), "type": type(exc).__name__}
    assert json.loads(f.handle('{"op": "state"}'))["type"] == type(exc).__name__


# ------------------------------- mutants that survived the first mutmut run
def test_a_step_is_fit_with_exactly_the_settings():
    """Rebuilt independently from the settings: dataset (with its noise), split,
    targets (class 1 → +1), network (learning_rate, seed) and fit (batch_size,
    shuffled every epoch). Kills dropped arguments in _build and op_step."""
    from pynet import datasets
    s = dict(dataset="xor", noise=0.3, hidden=[3], learning_rate=0.3, batch_size=7,
             samples=60, seed=4, train_ratio=0.4, activation="sigmoid")
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


def test_regression_targets_are_the_values():
    from pynet import datasets
    f = started(dataset="plane", samples=20, seed=2, noise=0.1)
    X, y = datasets.plane(n=20, noise=0.1, seed=2)
    _, y_tr, _, y_te = datasets.split(X, y, train_ratio=0.5, seed=2)
    assert f.train_t == [[float(v)] for v in y_tr] and f.test_t == [[float(v)] for v in y_te]


def test_hidden_layers_limit_is_inclusive():
    lo, hi = LIMITS["hidden_layers"]
    r = call(Facade(), op="init", settings={"hidden": [1] * hi})
    assert r["ok"] and len(r["layers"]) == hi + 2


def test_a_whole_float_is_a_whole_number():
    r = call(Facade(), op="init", settings={"batch_size": 7.0, "hidden": [3.0]})
    assert r["ok"] and r["settings"]["batch_size"] == 7 and r["layers"] == [2, 3, 1]
    assert type(r["settings"]["batch_size"]) is int


def test_set_state_before_init_merges_over_the_defaults():
    r = call(Facade(), op="set_state", settings={"hidden": [2]})
    assert r["ok"] and r["settings"] == {**facade.DEFAULTS, "hidden": [2]}
    r = call(Facade(), op="set_state")
    assert r["ok"] and r["settings"] == facade.DEFAULTS


def test_error_answers_carry_the_error_type():
    r = json.loads(Facade().handle("{nope"))
    assert r == {"ok": False, "error": r["error"], "type": "ValueError"}
    assert r["error"].startswith("request: not valid JSON (")
    r = call(Facade(), op="state")
    assert r == {"ok": False, "error": 'no network yet: send {"op": "init"} first',
                 "type": "SettingsError"}
    r = call(Facade(), op="init", settings={"colour": 1})
    assert "(known: dataset, noise, train_ratio" in r["error"]
    r = call(Facade(), op="init", settings={"dataset": "moons"})
    assert "expected one of circle, xor, gauss, spiral, plane, multigauss, iris, digits, " \
        "custom, got 'moons'" in r["error"]
    r = call(started(), op="predict", points="x")
    assert r["error"] == "points: expected a list of 1 to 20000 points [x1, x2], got str"


@pytest.mark.parametrize("req, message", [
    ({"op": "init", "settings": {"noise": "0.1"}}, "noise: expected a number, got '0.1'"),
    ({"op": "init", "settings": {"noise": 0.75}},
     "noise: expected a number from 0 to 0.5, got 0.75"),
    ({"op": "init", "settings": {"batch_size": "7"}},
     "batch_size: expected a whole number, got '7'"),
    ({"op": "init", "settings": {"batch_size": 0}},
     "batch_size: expected a whole number from 1 to 1000, got 0"),
    ({"op": "init", "settings": {"hidden": "4,2"}},
     "hidden: expected a list of 0 to 6 layer sizes, got '4,2'"),
    ({"op": "init", "settings": [1, 2]}, "settings: expected an object, got [1, 2]"),
    ({"op": 7}, "op: expected one of "
                + ", ".join(sorted(n[3:] for n in dir(Facade) if n.startswith("op_")))
                + ", got 7"),
])
def test_messages_quote_the_value_that_came(req, message):
    assert Facade().request(req) == {"ok": False, "error": message, "type": "SettingsError"}
    assert Facade().request([1, 2]) == {"ok": False, "type": "SettingsError",
                                        "error": "request: expected an object, got [1, 2]"}
