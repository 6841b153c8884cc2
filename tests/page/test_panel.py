"""The Python panel (run_python, pynet.panel): the live network as `net`,
captured output, tracebacks, and a training state that survives any code.
CPython and Pyodide."""

from __future__ import annotations

import json

import pytest
from facade_calls import call, started

from pynet.facade import Facade
from pynet.page import panel


def test_the_panel_runs_as_panel_with_pynet_x_and_t():
    f = started(seed=1)
    r = call(f, op="run_python", code="print(__name__, pynet.__name__, x == X[0], t == T[0], len(X))")
    assert r["stdout"] == "__panel__ pynet True True 250\n", r
    assert call(f, op="clear")["ok"]
    r = call(f, op="run_python", code="print(x, t, X, T)")
    assert r["stdout"] == "None None [] []\n", r


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


def test_code_that_leaves_an_output_the_data_cannot_use_is_undone_with_the_reason():
    f = started(seed=4)
    r = call(f, op="run_python", code="net.output_activation = 'softmax'")
    assert r["restored"] and r["invalid"] == ("output_activation/loss: this output and loss do not "
                                              "fit the data"), r


def run(f: Facade, code: str) -> dict:
    r = call(f, op="run_python", code=code)
    assert r["ok"], r
    return r


def test_code_changes_the_live_network_and_the_state_follows():
    f = started(seed=3)
    r = run(f, "net.weights[0][0][0] = 0.5\nprint('set', net.weights[0][0][0])")
    assert r["stdout"] == "set 0.5\n" and not r["failed"] and not r["restored"]
    assert call(f, op="state")["weights"][0][0][0] == 0.5
    assert call(f, op="step")["ok"]


def test_the_issue_example_with_x_and_t_and_a_repl_style_last_expression():
    f = started(seed=3)
    r = run(f, 'net.backprop(x, t).shares["gradient"]')
    shares = f.net.backprop(f.train_x[0], f.train_t[0]).shares["gradient"]
    assert r["stdout"] == repr(shares) + "\n"
    assert run(f, "None")["stdout"] == ""


def test_names_persist_between_runs_like_a_repl():
    f = started()
    run(f, "k = 41")
    assert run(f, "k + 1")["stdout"] == "42\n"


def test_an_exception_gives_its_traceback_and_restores_the_network():
    f = started(seed=2)
    call(f, op="step", n=2)
    before = call(f, op="state")
    rng = f.net.rng.getstate()
    r = run(f, "net.weights[0][0][0] = 9.0\nnet.fit(X, T, epochs=1)\n"
               "def g():\n    return 1 / 0\ng()")
    assert r["failed"] and r["restored"]
    tb = r["traceback"]
    assert tb.startswith("Traceback (most recent call last):")
    assert 'File "<panel>", line 5, in <module>' in tb and "line 4, in g" in tb
    assert tb.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "playground.py" not in tb and "panel.py" not in tb
    assert call(f, op="state") == before and f.net.rng.getstate() == rng
    assert call(f, op="step", n=1)["epoch"] == 3


def test_syntax_errors_show_where():
    f = started()
    r = run(f, "net.weights[0 = 1")
    assert r["failed"] and "SyntaxError" in r["traceback"] and "<panel>" in r["traceback"]


@pytest.mark.parametrize("code, words", [
    ("net.weights[0][0][0] = 'abc'", "net.weights[0][0][0]: expected a number, got str 'abc'"),
    ("net.weights[1][0][1] = float('nan')", "net.weights[1][0][1]: expected a finite number, got nan"),
    ("net.biases[2][0] = 1e308 * 10", "net.biases[2][0]: expected a finite number, got inf"),
    ("net.weights[0][0][0] = 10 ** 400", "expected a finite number, got an int of 401 digits"),
    ("net.weights[0][0].append(1.0)", "net.weights[0][0]: expected a list of 2 numbers"),
    ("net.weights.pop()", "net.weights: expected a list of 3 layers"),
    ("net.layers = [2, 4, 1]", "net.layers: the layer sizes must stay [2, 4, 2, 1]"),
    ("net.activation = ['tanh', 'softmax']", "net.activation: expected a list of 2 names"),
    ("net._learning_rate = -1", "net.learning_rate: expected a number > 0"),
    ("net.learning_rate = 100", "learning_rate: expected a number from 1e-05 to 10"),
    ("net.fit = None", "net: attributes added or deleted (fit)"),
    ("del net.seed", "net: attributes added or deleted (seed)"),
    ("net.rng = None", "net.rng: expected a random.Random, got NoneType"),
    ("net.bias = 1", "net.bias / net.init"),
    ("net.output_activation = 'softmax'", "output_activation/loss: this output and loss do not"),
    ("net.loss_name = 'cross_entropy'", "not a supported pair"),
])
def test_code_that_leaves_a_broken_network_is_undone(code, words):
    f = started(seed=4)
    before = call(f, op="state")
    seed, attributes = f.net.seed, sorted(vars(f.net))
    r = run(f, code)
    assert not r["failed"] and r["restored"] and words in r["invalid"], r
    assert call(f, op="state") == before
    assert f.net.seed == seed and sorted(vars(f.net)) == attributes
    assert call(f, op="step")["ok"]


def test_int_weights_become_floats():
    f = started()
    run(f, "net.weights[0][0][0] = 2")
    assert type(f.net.weights[0][0][0]) is float and f.net.weights[0][0][0] == 2.0


def test_learning_rate_and_activations_changed_in_code_become_the_settings():
    f = started(hidden=[3, 2])
    r = run(f, "net.learning_rate = 0.1\nnet.activation = ['relu', 'tanh']")
    assert not r["restored"]
    s = call(f, op="state")
    assert s["settings"]["learning_rate"] == 0.1
    assert s["settings"]["activation"] == ["relu", "tanh"]
    assert s["activations"] == ["relu", "tanh", "tanh"]


def test_an_output_activation_changed_in_code_re_encodes_the_targets():
    f = started(dataset="xor")
    assert {t[0] for t in f.train_t} == {-1.0, 1.0}
    r = run(f, "net.output_activation = 'sigmoid'")
    assert not r["restored"] and r["settings"]["output_activation"] == "sigmoid"
    assert {t[0] for t in f.train_t} == {0.0, 1.0}
    assert call(f, op="step")["ok"]


def test_huge_output_is_truncated_with_a_note():
    f = started()
    r = run(f, "print('x' * 1000000)\nimport sys\n_ = sys.stderr.write('e' * 30000)")
    assert len(r["stdout"]) < panel.MAX_OUTPUT + 200
    assert r["stdout"].startswith("x" * panel.MAX_OUTPUT)
    assert f"[output truncated: {1000001 - panel.MAX_OUTPUT} more characters not shown]" \
        in r["stdout"]
    assert "[output truncated: 10000 more characters" in r["stderr"]


def test_exit_in_the_panel_does_not_end_the_session():
    f = started()
    r = run(f, "import sys\nsys.exit(3)")
    assert r["failed"] and "SystemExit" in r["traceback"]
    assert call(f, op="state")["ok"]


def test_rebinding_net_does_not_replace_the_network():
    f = started()
    net = f.net
    run(f, "net = None")
    assert f.net is net and run(f, "net is not None")["stdout"] == "True\n"


def test_the_training_data_given_to_code_are_copies():
    f = started()
    before = call(f, op="data")
    run(f, "X[0][0] = 99.0\nT.clear()\nx[0] = 5.0")
    assert call(f, op="data") == before


@pytest.mark.parametrize("code, words", [
    (None, "code: expected Python source text"),
    ("#" * (panel.MAX_CODE + 1), f"code: {panel.MAX_CODE + 1} characters, more than the limit"),
])
def test_bad_code_requests(code, words):
    r = call(started(), op="run_python", code=code)
    assert r["ok"] is False and words in r["error"]


def test_nothing_runs_from_settings():
    # settings are data: a code-looking value is refused by name, never executed
    f = started()
    r = call(f, op="init", settings={"activation": "__import__('os').system('echo hi')"})
    assert r["ok"] is False and r["error"].startswith("activation: expected one of")
    assert "__panel__" not in json.dumps(call(f, op="state"))
