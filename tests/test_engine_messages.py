"""The engine's exact messages, defaults and edges that mutation testing of
``pynet/network.py`` and ``pynet/fast.py`` found unpinned (README, "Mutation
testing"): a message must name the argument the caller got wrong and say
what was expected. Runs on CPython and in Pyodide (no numpy)."""

from __future__ import annotations

import json

import pytest

import pynet

X = [[0.5, -0.5], [0.25, 1.0], [-1.0, 0.75]]
T = [[0.1], [0.9], [0.4]]


def message(fn, *args, **kwargs) -> tuple[type, str]:
    with pytest.raises((TypeError, ValueError)) as info:
        fn(*args, **kwargs)
    return info.type, str(info.value)


# ------------------------------------------------------- the samples X
@pytest.mark.parametrize("method, args", [
    ("predict", ()), ("loss", (T,)), ("train_batch", (T,)), ("fit", (T,)),
    ("backprop_batch", (T,)),
])
def test_a_bad_x_matrix_is_named_x(method, args):
    net = pynet.Network([2, 3, 1], seed=0)
    assert message(getattr(net, method), "abc", *args) == (
        TypeError, "X: expected a sequence of samples, got str 'abc'")
    assert message(getattr(net, method), [[0.5, -0.5], [1.0]], *args) == (
        ValueError, "X[1]: expected 2 numbers, got 1")


@pytest.mark.parametrize("method", ["loss", "train_batch", "fit", "backprop_batch"])
def test_bad_targets_t_are_named_t(method):
    net = pynet.Network([2, 3, 1], seed=0)
    assert message(getattr(net, method), X, 7) == (
        TypeError, "T: expected a sequence of target vectors, got int")
    assert message(getattr(net, method), X, T[:2]) == (
        ValueError, "T: expected 3 target vectors (one per row of X), got 2")


# ---------------------------------------------------------------- fit
@pytest.mark.parametrize("kwargs, expected", [
    (dict(epochs=0), "epochs: expected a positive integer, got 0"),
    (dict(batch_size=0), "batch_size: expected a positive integer, got 0"),
    (dict(l1=-1), "l1: expected a number ≥ 0, got -1.0"),
    (dict(l2=-0.5), "l2: expected a number ≥ 0, got -0.5"),
])
def test_fit_names_the_bad_option(kwargs, expected):
    net = pynet.Network([2, 3, 1], seed=0)
    before = net.to_dict()
    assert message(net.fit, X, T, **kwargs) == (ValueError, expected)
    assert net.to_dict() == before


def test_fit_defaults_are_one_shuffled_epoch_of_single_samples_without_penalty():
    a = pynet.Network([2, 3, 1], seed=4)
    b, c = a.copy(), a.copy()
    history = a.fit(X, T)
    assert history == b.fit(X, T, epochs=1, batch_size=1, shuffle=True, l1=0.0, l2=0.0)
    assert len(history) == 1 and a.to_dict() == b.to_dict()
    assert a.rng.getstate() == b.rng.getstate()
    c.fit(X, T, epochs=1, batch_size=2)      # the default matters: another batch size differs
    assert c.weights != a.weights


# ---------------------------------------------------------- persistence
def test_a_seed_json_cannot_hold_is_left_out_of_to_dict():
    net = pynet.Network([2, 1], seed=b"bytes are a valid seed")
    d = net.to_dict()
    assert d["seed"] is None and json.loads(json.dumps(d)) == d
    assert pynet.Network([2, 1], seed="s").to_dict()["seed"] == "s"
    assert pynet.Network([2, 1], seed=7).to_dict()["seed"] == 7
    assert pynet.Network([2, 1]).to_dict()["seed"] is None


def good_dict() -> dict:
    return pynet.Network([2, 3, 1], seed=0).to_dict()


def edited(**changes) -> dict:
    d = good_dict()
    for k, v in changes.items():
        if v is KeyError:
            del d[k]
        else:
            d[k] = v
    return d


@pytest.mark.parametrize("d, expected", [
    ([1, 2], (TypeError, "from_dict: expected a dict, got list")),
    (edited(format="keras"), (ValueError, "from_dict: 'format' must be 'pynet.Network', got 'keras'")),
    (edited(version=2), (ValueError, "from_dict: 'version' 2 is not supported (this pynet reads "
                                     "version 1)")),
    (edited(init=KeyError, weights=KeyError),
     (ValueError, "from_dict: missing field(s) init, weights")),
    (edited(weights="w"), (ValueError, "from_dict: 'weights' must be a list of 2 matrices (one "
                                       "per weight layer), got 'w'")),
    (edited(biases=[[0, 0, 0]]), (ValueError, "from_dict: 'biases' must be a list of 2 vectors "
                                              "(one per weight layer), got [[0, 0, 0]]")),
    (edited(weights=[[[0.1, 0.2]] * 2, [[1, 1, 1]]]),
     (ValueError, "weights[0]: expected 3 rows (one per node of layer 1), got [[0.1, 0.2], "
                  "[0.1, 0.2]]")),
    (edited(weights=[[[0.1, 0.2]] * 3, [[1, 1, 1]] * 2]),
     (ValueError, "weights[1]: expected 1 rows (one per node of layer 2), got [[1, 1, 1], "
                  "[1, 1, 1]]")),
    (edited(weights=[[[0.1, 0.2]] * 3, [[1, 1]]]),
     (ValueError, "weights[1][0]: expected a list of 3 numbers (one per node of layer 1), "
                  "got [1, 1]")),
    (edited(weights=[[[0.1, 0.2]] * 3, [[1, 1, "x"]]]),
     (TypeError, "weights[1][0][2]: expected a number, got str 'x'")),
    (edited(biases=[[0, 0], [0]]),
     (ValueError, "biases[0]: expected a list of 3 numbers (one per node of layer 1), got [0, 0]")),
    (edited(biases=[[0, 0, 0], [0, "b"]]),
     (ValueError, "biases[1]: expected a list of 1 numbers (one per node of layer 2), "
                  "got [0, 'b']")),
])
def test_from_dict_says_which_field_is_wrong(d, expected):
    assert message(pynet.Network.from_dict, d) == expected


@pytest.mark.parametrize("value, expected", [
    ("w", "weights must be a list of 2 matrices (one per weight layer), got 'w'"),
    ([[[0.1, 0.2]] * 3, [[1, 1]]], "weights[1][0]: expected a list of 3 numbers (one per node "
                                   "of layer 1), got [1, 1]"),
])
def test_assigning_weights_says_which_row_is_wrong(value, expected):
    net = pynet.Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError) as info:
        net.weights = value
    assert str(info.value) == expected


def test_assigning_biases_names_them():
    net = pynet.Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError) as info:
        net.biases = [[0.0] * 3]
    assert str(info.value) == ("biases must be a list of 2 vectors (one per weight layer), "
                               "got [[0.0, 0.0, 0.0]]")


# ------------------------------------- weights and biases edited in place
def _remove_last(seq):
    del seq[-1]


@pytest.mark.parametrize("edit, exc, start", [
    (lambda n: _remove_last(n.weights), ValueError, "weights must be a list of 2 matrices"),
    (lambda n: n.weights.append([[0.0] * 3]), ValueError, "weights must be a list of 2 matrices"),
    (lambda n: _remove_last(n.biases), ValueError, "biases must be a list of 2 vectors"),
    (lambda n: n.biases.append([0.0]), ValueError, "biases must be a list of 2 vectors"),
    (lambda n: n.weights[1].append([0.0] * 3), ValueError, "weights[1]: expected 1 rows"),
    (lambda n: n.weights.__setitem__(0, tuple(n.weights[0])), ValueError,
     "weights[0]: expected 3 rows"),
    (lambda n: n.weights[0].__setitem__(1, (0.5, 0.5)), ValueError,
     "weights[0][1]: expected a list of 2 numbers"),
    (lambda n: n.weights[0][2].append(0.0), ValueError, "weights[0][2]: expected a list of 2"),
    (lambda n: n.weights[0][2].__setitem__(1, "x"), TypeError, "weights[0][2][1]: expected a number"),
    (lambda n: n.weights[1][0].__setitem__(2, float("inf")), ValueError,
     "weights[1][0][2]: expected a finite number"),
    (lambda n: n.biases[0].append(0.0), ValueError, "biases[0]: expected a list of 3 numbers"),
    (lambda n: n.biases.__setitem__(1, (0.5,)), ValueError, "biases[1]: expected a list of 1"),
    (lambda n: n.biases[0].__setitem__(1, float("nan")), ValueError,
     "biases[0][1]: expected a finite number"),
])
@pytest.mark.parametrize("use", ["run", "fit", "to_dict"])
def test_an_in_place_edit_is_caught_with_its_place_when_used(edit, exc, start, use):
    net = pynet.Network([2, 3, 1], seed=0)
    edit(net)
    before = repr((net.weights, net.biases))
    act = {"run": lambda: net.run([0.5, 0.5]), "fit": lambda: net.fit(X, T),
           "to_dict": net.to_dict}[use]
    kind, text = message(act)
    assert kind is exc and text.startswith(start), text
    assert repr((net.weights, net.biases)) == before      # nothing was trained or changed


# ------------------------------------------------------------- divergence
@pytest.mark.parametrize("train", [lambda n: n.train([10.0], [0.0]),
                                   lambda n: n.train_batch([[10.0]], [[0.0]])])
def test_a_non_finite_loss_before_a_step_is_step_1_outside_fit(train):
    net = pynet.Network([1, 1], activation="linear", bias=False)
    net.weights = [[[1e308]]]                 # finite, but the output 1e309 is not
    with pytest.raises(pynet.DivergedError) as info:
        train(net)
    e = info.value
    assert (e.step, e.epoch, e.loss) == (1, None, float("inf"))
    assert str(e) == ("the loss is inf before this step: the network has diverged (lower "
                      "the learning rate)")
    assert net.weights == [[[1e308]]]


def test_a_non_finite_new_weight_is_step_1_outside_fit():
    net = pynet.Network([1, 1], activation="linear", bias=False, learning_rate=1e300)
    net.weights = [[[1.0]]]
    with pytest.raises(pynet.DivergedError) as info:
        net.train([1e10], [0.0])
    e = info.value
    assert (e.step, e.epoch) == (1, None) and e.loss == 0.5e20
    assert str(e) == ("a weight became non-finite in this step (lower the learning rate); "
                      "the step was not applied")
    assert net.weights == [[[1.0]]]


# ------------------------------------------- found by the "after" mutation runs
@pytest.mark.parametrize("kwargs, expected", [
    (dict(shuffle=1), "shuffle: expected True or False, got 1"),
    (dict(callback=3), "callback: expected a function (epoch, loss), got 3"),
])
def test_fit_quotes_the_bad_shuffle_or_callback(kwargs, expected):
    net = pynet.Network([2, 3, 1], seed=0)
    before = net.to_dict()
    assert message(net.fit, X, T, **kwargs) == (TypeError, expected)
    assert net.to_dict() == before


# The scan in Network._check_params decides whether the precise checks run.
# The in-place edits above leave a good layer beside the bad one, and a good
# layer alone can trigger the precise checks; these edits make every layer
# (or the list of layers itself) wrong, so only the scan's own test of that
# property catches them.
def _set(seq, i, value):
    seq[i] = value


def _both(n, edit_w, edit_b):
    edit_w(n.weights)
    edit_b(n.biases)


@pytest.mark.parametrize("layers, edit, exc, expected", [
    ([2, 3, 1], lambda n: _both(n, lambda w: w.append([[0.0] * 3]), lambda b: b.append([0.0])),
     ValueError, "weights must be a list of 2 matrices (one per weight layer), got "),
    ([2, 3, 1], lambda n: _both(n, lambda w: w.extend([[[0.0] * 3]] * 2),
                                lambda b: b.extend([[0.0]] * 2)),
     ValueError, "weights must be a list of 2 matrices (one per weight layer), got "),
    ([2, 3, 1], lambda n: _both(n, _remove_last, _remove_last),
     ValueError, "weights must be a list of 2 matrices (one per weight layer), got "),
    ([2, 3, 1], lambda n: n.weights.clear(),
     ValueError, "weights must be a list of 2 matrices (one per weight layer), got []"),
    ([2, 1], lambda n: _set(n.weights, 0, tuple(n.weights[0])),
     ValueError, "weights[0]: expected 1 rows (one per node of layer 1), got "),
    ([2, 1], lambda n: _set(n.biases, 0, tuple(n.biases[0])),
     ValueError, "biases[0]: expected a list of 1 numbers (one per node of layer 1), got "),
    ([2, 1], lambda n: n.weights[0].append([0.0, 0.0]),
     ValueError, "weights[0]: expected 1 rows (one per node of layer 1), got "),
    ([1, 2, 1], lambda n: _remove_last(n.weights[0]),
     ValueError, "weights[0]: expected 2 rows (one per node of layer 1), got "),
    ([2, 1], lambda n: n.biases[0].append(0.0),
     ValueError, "biases[0]: expected a list of 1 numbers (one per node of layer 1), got "),
    ([1, 2, 1], lambda n: _remove_last(n.biases[0]),
     ValueError, "biases[0]: expected a list of 2 numbers (one per node of layer 1), got "),
    ([2, 1], lambda n: _set(n.biases[0], 0, float("nan")),
     ValueError, "biases[0][0]: expected a finite number, got nan"),
    ([2, 1], lambda n: _set(n.weights[0], 0, tuple(n.weights[0][0])),
     ValueError, "weights[0][0]: expected a list of 2 numbers (one per node of layer 0), got "),
    ([2, 1], lambda n: _set(n.weights[0][0], 1, float("inf")),
     ValueError, "weights[0][0][1]: expected a finite number, got inf"),
])
@pytest.mark.parametrize("use", ["run", "fit"])
def test_an_in_place_edit_of_every_layer_is_caught_when_used(layers, edit, exc, expected, use):
    net = pynet.Network(layers, seed=0)
    edit(net)
    before = repr((net.weights, net.biases))
    x = [0.5] * layers[0]
    act = {"run": lambda: net.run(x), "fit": lambda: net.fit([x, x], [[0.1], [0.9]])}[use]
    kind, text = message(act)
    assert kind is exc and text.startswith(expected), text
    assert repr((net.weights, net.biases)) == before


class _Row(list):
    """A list subclass: the scan flags it (it wants plain lists), the precise
    checks accept it (isinstance), so the call goes on as with a list."""


def test_a_row_the_scan_flags_but_the_checks_accept_changes_nothing():
    net = pynet.Network([2, 3, 1], seed=0)
    net.biases = [[0.25, -0.5, 0.75], [0.5]]        # non-zero biases: bias=True is honoured
    plain = net.copy()
    net.weights[0][1] = _Row(net.weights[0][1])
    assert net.run([0.5, -0.5]) == plain.run([0.5, -0.5])
    assert net.fit(X, T, shuffle=False) == plain.fit(X, T, shuffle=False)
    assert net.weights == plain.weights and net.biases == plain.biases


@pytest.mark.parametrize("kwargs, expected", [
    (dict(activation="softmax"),
     (ValueError, "activation: expected one of sigmoid, tanh, relu, linear; got 'softmax'")),
    (dict(activation=5), (TypeError, "activation: expected a name or a list of 1 names, got int")),
    (dict(activation=["tanh", "relu"]),
     (ValueError, "activation: expected 1 names (one per hidden layer), got 2: ['tanh', 'relu']")),
    (dict(learning_rate="x"), (TypeError, "learning_rate: expected a number, got str 'x'")),
    (dict(output_activation="relu"),
     (ValueError, "output_activation: expected one of sigmoid, tanh, linear, softmax; got 'relu'")),
    (dict(loss="hinge"), (ValueError, "loss: expected one of squared, cross_entropy; got 'hinge'")),
    (dict(loss="cross_entropy", output_activation="tanh"),
     (ValueError, "loss: 'cross_entropy' needs a sigmoid or softmax output_activation, got 'tanh'")),
    (dict(bias=1), (TypeError, "bias: expected True or False, got int 1")),
    (dict(init="zeros"), (ValueError, "init: expected one of course, xavier, uniform; got 'zeros'")),
    (dict(seed=[1]), (TypeError, "seed: expected None, an int or a str, got list [1]")),
])
def test_network_names_the_bad_setting(kwargs, expected):
    assert message(pynet.Network, [2, 3, 1], **kwargs) == expected


def test_relu_cannot_be_the_output_of_a_network_without_hidden_layers():
    assert message(pynet.Network, [2, 1], activation="relu") == (
        ValueError, "activation: 'relu' cannot be the output activation of a network without "
                    "hidden layers (expected one of sigmoid, tanh, linear, softmax)")



@pytest.mark.parametrize("layers, expected", [
    ("21", (TypeError, "layers: expected a list of layer sizes such as [2, 4, 1], got str '21'")),
    ([3], (ValueError, "layers: expected at least 2 sizes (inputs and outputs), got [3]")),
])
def test_bad_layers_are_quoted(layers, expected):
    assert message(pynet.Network, layers) == expected
