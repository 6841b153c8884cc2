"""Bad input is refused with a TypeError/ValueError naming the argument, and
leaves the network unchanged; a diverging step raises DivergedError and is
rolled back."""

from __future__ import annotations

import json
import math

import pytest

import pynet

NAN, INF = math.nan, math.inf


def net_and_state(**kw):
    net = pynet.Network([2, 3, 2], seed=1, **kw)
    return net, json.dumps(net.to_dict())


def unchanged(net, state):
    return json.dumps(net.to_dict()) == state


# --------------------------------------------------------- the constructor
@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(layers=[]), ValueError, "layers"),
    (dict(layers=[3]), ValueError, "layers"),
    (dict(layers=[2, 0, 1]), ValueError, r"layers\[1\]"),
    (dict(layers=[2, -3, 1]), ValueError, r"layers\[1\]"),
    (dict(layers=[2, 2.5, 1]), TypeError, r"layers\[1\]"),
    (dict(layers=[2, True, 1]), TypeError, r"layers\[1\]"),
    (dict(layers="231"), TypeError, "layers"),
    (dict(layers=5), TypeError, "layers"),
    (dict(layers=[2, 2, 1], activation="softplus"), ValueError, "activation"),
    (dict(layers=[2, 2, 1], activation="softmax"), ValueError, "activation"),
    (dict(layers=[2, 2, 2, 1], activation=["tanh"]), ValueError, "activation"),
    (dict(layers=[2, 2, 2, 1], activation=["tanh", "swish"]), ValueError, r"activation\[1\]"),
    (dict(layers=[2, 2, 1], activation=3), TypeError, "activation"),
    (dict(layers=[2, 2, 1], output_activation="relu"), ValueError, "output_activation"),
    (dict(layers=[2, 2, 1], output_activation=1), TypeError, "output_activation"),
    (dict(layers=[2, 2, 1], loss="mse"), ValueError, "loss"),
    (dict(layers=[2, 2, 1], loss="cross_entropy", output_activation="tanh"), ValueError, "loss"),
    (dict(layers=[2, 2, 1], loss="cross_entropy", output_activation="linear"), ValueError, "loss"),
    (dict(layers=[2, 2, 1], activation="tanh", loss="cross_entropy"), ValueError, "loss"),
    (dict(layers=[2, 2, 1], bias=1), TypeError, "bias"),
    (dict(layers=[2, 2, 1], learning_rate=0), ValueError, "learning_rate"),
    (dict(layers=[2, 2, 1], learning_rate=-0.1), ValueError, "learning_rate"),
    (dict(layers=[2, 2, 1], learning_rate=NAN), ValueError, "learning_rate"),
    (dict(layers=[2, 2, 1], learning_rate=INF), ValueError, "learning_rate"),
    (dict(layers=[2, 2, 1], learning_rate="0.1"), TypeError, "learning_rate"),
    (dict(layers=[2, 2, 1], init="he"), ValueError, "init"),
    (dict(layers=[2, 2, 1], seed=[1, 2]), TypeError, "seed"),
    (dict(layers=[2, 2, 1], seed={"a": 1}), TypeError, "seed"),
])
def test_constructor_rejects(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        pynet.Network(**kwargs)


def test_cross_entropy_accepts_sigmoid_and_softmax():
    pynet.Network([2, 2, 1], activation="tanh", output_activation="sigmoid", loss="cross_entropy")
    pynet.Network([2, 2, 3], output_activation="softmax", loss="cross_entropy")


# ------------------------------------------------------- vectors and batches
def calls(net):
    """Every method that takes x/t/X/T, as (name, call(x, t, X, T))."""
    return [
        ("run", lambda x, t, X, T: net.run(x)),
        ("forward", lambda x, t, X, T: net.forward(x)),
        ("predict", lambda x, t, X, T: net.predict(X)),
        ("gradients", lambda x, t, X, T: net.gradients(x, t)),
        ("backprop", lambda x, t, X, T: net.backprop(x, t)),
        ("train", lambda x, t, X, T: net.train(x, t)),
        ("loss", lambda x, t, X, T: net.loss(X, T)),
        ("train_batch", lambda x, t, X, T: net.train_batch(X, T)),
        ("backprop_batch", lambda x, t, X, T: net.backprop_batch(X, T)),
        ("fit", lambda x, t, X, T: net.fit(X, T, epochs=2)),
    ]


GOOD_X, GOOD_T = [0.5, -0.5], [0.1, 0.9]
BAD_X = [  # (x, exception, pattern)
    ([0.5], ValueError, r"x: expected 2 numbers, got 1"),
    ([0.5, 0.1, 0.2], ValueError, r"x: expected 2 numbers, got 3"),
    ([0.5, "a"], TypeError, r"x\[1\]"),
    ([0.5, None], TypeError, r"x\[1\]"),
    ([True, 0.5], TypeError, r"x\[0\]"),
    ([0.5, NAN], ValueError, r"x\[1\]: expected a finite number"),
    ([INF, 0.5], ValueError, r"x\[0\]"),
    ([0.5, -INF], ValueError, r"x\[1\]"),
    ("ab", TypeError, "x"),
    (3.0, TypeError, "x"),
    ([[0.5, 0.5]], ValueError, "x"),
]
BAD_T = [
    ([0.1], ValueError, r"t: expected 2 numbers"),
    ([0.1, "b"], TypeError, r"t\[1\]"),
    ([NAN, 0.1], ValueError, r"t\[0\]"),
    ([0.1, INF], ValueError, r"t\[1\]"),
    (None, TypeError, "t"),
]


@pytest.mark.parametrize("x,exc,pattern", BAD_X)
def test_bad_x_everywhere(x, exc, pattern):
    net, state = net_and_state()
    for name, call in calls(net):
        batch_pattern = pattern.replace("x", r"X\[1\]", 1) if not pattern.startswith("x\\[") else \
            "X\\[1\\]" + pattern[1:]
        if name in ("run", "forward", "gradients", "backprop", "train"):
            with pytest.raises(exc, match=pattern):
                call(x, GOOD_T, None, None)
        else:
            with pytest.raises(exc, match=batch_pattern):
                call(None, None, [GOOD_X, x], [GOOD_T, GOOD_T])
        assert unchanged(net, state), name


@pytest.mark.parametrize("t,exc,pattern", BAD_T)
def test_bad_t_everywhere(t, exc, pattern):
    net, state = net_and_state()
    for name, call in calls(net):
        if name in ("run", "forward", "predict"):
            continue
        if name in ("gradients", "backprop", "train"):
            with pytest.raises(exc, match=pattern):
                call(GOOD_X, t, None, None)
        else:
            batch = "T\\[0\\]" + pattern[1:]
            with pytest.raises(exc, match=batch):
                call(None, None, [GOOD_X, GOOD_X], [t, GOOD_T])
        assert unchanged(net, state), name


@pytest.mark.parametrize("X,T,exc,pattern", [
    ([], [], ValueError, "X"),
    ("xx", [GOOD_T], TypeError, "X"),
    (5, [GOOD_T], TypeError, "X"),
    ([GOOD_X, GOOD_X], [GOOD_T], ValueError, "T"),
    ([GOOD_X], [GOOD_T, GOOD_T], ValueError, "T"),
    ([GOOD_X], 7, TypeError, "T"),
    ([GOOD_X], "t", TypeError, "T"),
])
def test_bad_batches(X, T, exc, pattern):
    net, state = net_and_state()
    for name in ("loss", "train_batch", "backprop_batch", "fit"):
        with pytest.raises(exc, match=pattern):
            getattr(net, name)(X, T)
        assert unchanged(net, state)
    if not isinstance(X, list) or not X:
        with pytest.raises(exc, match=pattern):
            net.predict(X)


def test_bad_row_late_in_a_batch_changes_nothing():
    """Validation runs before any step: a bad row 99 of 100 leaves all as it was."""
    net, state = net_and_state()
    X = [[0.1 * i, 0.2] for i in range(100)]
    T = [GOOD_T] * 100
    X[99] = [0.0, NAN]
    with pytest.raises(ValueError, match=r"X\[99\]\[1\]"):
        net.fit(X, T, epochs=3)
    T[98] = [0.0, "x"]
    X[99] = [0.0, 0.0]
    with pytest.raises(TypeError, match=r"T\[98\]\[1\]"):
        net.fit(X, T, epochs=3, batch_size=7)
    assert unchanged(net, state)


def test_cross_entropy_targets_must_be_probabilities():
    net = pynet.Network([2, 2], output_activation="sigmoid", loss="cross_entropy", seed=0)
    state = json.dumps(net.to_dict())
    with pytest.raises(ValueError, match=r"t\[1\]"):
        net.train([0.0, 1.0], [0.5, 1.5])
    with pytest.raises(ValueError, match=r"T\[0\]\[0\]"):
        net.fit([[0.0, 1.0]], [[-0.1, 0.5]])
    assert unchanged(net, state)


# --------------------------------------------------------------- fit options
@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(epochs=0), ValueError, "epochs"),
    (dict(epochs=-1), ValueError, "epochs"),
    (dict(epochs=2.0), TypeError, "epochs"),
    (dict(epochs="3"), TypeError, "epochs"),
    (dict(epochs=True), TypeError, "epochs"),
    (dict(batch_size=0), ValueError, "batch_size"),
    (dict(batch_size=1.5), TypeError, "batch_size"),
    (dict(batch_size=None), TypeError, "batch_size"),
    (dict(l1=-0.1), ValueError, "l1"),
    (dict(l1=NAN), ValueError, "l1"),
    (dict(l1="0"), TypeError, "l1"),
    (dict(l2=-1e-9), ValueError, "l2"),
    (dict(l2=INF), ValueError, "l2"),
    (dict(l2=None), TypeError, "l2"),
    (dict(shuffle=1), TypeError, "shuffle"),
    (dict(callback=3), TypeError, "callback"),
    (dict(callback="print"), TypeError, "callback"),
])
def test_fit_rejects_bad_options(kwargs, exc, match):
    net, state = net_and_state()
    with pytest.raises(exc, match=match):
        net.fit([GOOD_X], [GOOD_T], **kwargs)
    assert unchanged(net, state)


# -------------------------------------------------------------- from_dict
def good_dict():
    return pynet.Network([2, 3, 1], seed=0).to_dict()


def edit(**changes):
    d = good_dict()
    for k, v in changes.items():
        if v is KeyError:
            del d[k]
        else:
            d[k] = v
    return d


@pytest.mark.parametrize("d,exc,match", [
    ([], TypeError, "dict"),
    ("{}", TypeError, "dict"),
    (None, TypeError, "dict"),
    (edit(format="other"), ValueError, "format"),
    (edit(format=KeyError), ValueError, "format"),
    (edit(version=2), ValueError, "version"),
    (edit(version=KeyError), ValueError, "version"),
    (edit(version="1"), ValueError, "version"),
    (edit(weights=KeyError), ValueError, "weights"),
    (edit(biases=KeyError), ValueError, "biases"),
    (edit(layers=KeyError), ValueError, "layers"),
    (edit(loss=KeyError), ValueError, "loss"),
    (edit(learning_rate=KeyError), ValueError, "learning_rate"),
    (edit(layers=[2, 3]), ValueError, "activation"),
    (edit(layers=[2, 4, 1]), ValueError, r"weights\[0\]"),
    (edit(layers=[2, 0, 1]), ValueError, r"layers\[1\]"),
    (edit(activation="nope"), ValueError, "activation"),
    (edit(loss="hinge"), ValueError, "loss"),
    (edit(learning_rate=-1), ValueError, "learning_rate"),
    (edit(bias="yes"), TypeError, "bias"),
    (edit(weights=[[[0.1, 0.2]] * 3]), ValueError, "weights"),
    (edit(weights=[[[0.1, 0.2]] * 2, [[0.1, 0.2, 0.3]]]), ValueError, r"weights\[0\]"),
    (edit(weights=[[[0.1, 0.2]] * 3, [[0.1, 0.2]]]), ValueError, r"weights\[1\]\[0\]"),
    (edit(weights=[[[0.1, 0.2]] * 3, [[0.1, "x", 0.3]]]), TypeError, r"weights\[1\]\[0\]\[1\]"),
    (edit(weights=[[[0.1, NAN]] * 3, [[0.1, 0.2, 0.3]]]), ValueError, r"weights\[0\]\[0\]\[1\]"),
    (edit(weights="w"), ValueError, "weights"),
    (edit(biases=[[0.0] * 3]), ValueError, "biases"),
    (edit(biases=[[0.0] * 2, [0.0]]), ValueError, r"biases\[0\]"),
    (edit(biases=[[0.0] * 3, [INF]]), ValueError, r"biases\[1\]\[0\]"),
    (dict(edit(bias=False), biases=[[0.0] * 3, [0.5]]), ValueError, "biases"),
    (edit(seed=[1]), TypeError, "seed"),
])
def test_from_dict_rejects(d, exc, match):
    with pytest.raises(exc, match=match):
        pynet.Network.from_dict(d)


LONG = "q" * 100_000
MANY = ["q"] * 100_000


@pytest.mark.parametrize("make", [
    lambda: pynet.Network(LONG),
    lambda: pynet.Network([2, 3, 1], activation=LONG),
    lambda: pynet.Network([2, 3, 1], activation=MANY),
    lambda: pynet.Network([2, 3, 1], output_activation=LONG),
    lambda: pynet.Network([2, 3, 1], loss=LONG),
    lambda: pynet.Network([2, 3, 1], init=LONG),
    lambda: pynet.Network([2, 3, 1], bias=LONG),
    lambda: pynet.Network([2, -10 ** 4000, 1]),
    lambda: pynet.Network([2, 3, 1]).fit([GOOD_X], [[0.5]], shuffle=MANY),
    lambda: pynet.Network([2, 3, 1]).fit([GOOD_X], [[0.5]], callback=MANY),
    lambda: pynet.Network.from_dict(edit(format=LONG)),
    lambda: pynet.Network.from_dict(edit(version=MANY)),
    lambda: pynet.Network.from_dict(edit(layers=[LONG, 3, 1])),
])
def test_a_huge_bad_value_is_quoted_in_at_most_60_characters(make):
    with pytest.raises((TypeError, ValueError)) as info:
        make()
    message = str(info.value)
    # the message itself (~150 characters) plus at most 60 of the value
    assert len(message) < 230, message[:300]


def test_from_dict_does_not_alias_its_input():
    d = good_dict()
    net = pynet.Network.from_dict(d)
    d["weights"][0][0][0] = 123.0
    assert net.weights[0][0][0] != 123.0


# -------------------------------------------------------------- divergence
def linear_net(lr=0.1):
    net = pynet.Network([2, 2, 1], activation="linear", output_activation="linear",
                        learning_rate=lr, seed=0)
    return net


def test_huge_learning_rate_diverges_train():
    net = linear_net(lr=1e300)
    state = json.dumps(net.to_dict())
    with pytest.raises(pynet.DivergedError) as info:
        net.train([1e10, -1e10], [1e10])             # the gradient times η overflows
    assert unchanged(net, state)
    assert info.value.step == 1 and info.value.epoch is None
    assert "learning rate" in str(info.value)
    assert math.isfinite(info.value.loss)


def test_weights_near_max_float_diverge_train():
    net = linear_net()
    net.weights = [[[1e308, 1e308], [1e308, -1e308]], [[1e308, 1e308]]]
    state = json.dumps(net.to_dict())
    with pytest.raises(pynet.DivergedError) as info:
        net.train([1.0, 1.0], [0.0])                 # the loss itself is inf / nan
    assert not math.isfinite(info.value.loss)
    assert unchanged(net, state)


def test_diverging_train_batch_rolls_back():
    net = linear_net(lr=1e300)
    state = json.dumps(net.to_dict())
    with pytest.raises(pynet.DivergedError):
        net.train_batch([[1.0, 1.0], [1e10, 1e10]], [[0.0], [1e10]])
    assert unchanged(net, state)


def test_diverging_fit_leaves_weights_as_before_the_bad_step():
    """η large enough that the weights grow every step until one step
    overflows: the network must equal the reference after the last good step."""
    X = [[1.0, 2.0], [-1.5, 0.5], [2.0, -1.0]]
    T = [[1.0], [-1.0], [0.5]]
    net = linear_net(lr=5.0)
    ref = net.copy()
    good_states = [json.dumps(ref.to_dict())]
    diverged_at = None
    for step in range(1, 10000):                       # the same steps, one by one
        i = (step - 1) % 3
        try:
            ref.train(X[i], T[i])
        except pynet.DivergedError:
            diverged_at = step
            break
        good_states.append(json.dumps(ref.to_dict()))
    assert diverged_at is not None and diverged_at > 3   # several good steps first
    with pytest.raises(pynet.DivergedError) as info:
        net.fit(X, T, epochs=10000, batch_size=1, shuffle=False)
    assert info.value.epoch == (diverged_at - 1) // 3 + 1
    assert info.value.step == diverged_at
    assert str(info.value).startswith(f"epoch {info.value.epoch}, step {diverged_at}:")
    got = net.to_dict()
    want = json.loads(good_states[-1])
    assert got["biases"] == want["biases"]
    for a, b in zip(got["weights"], want["weights"]):
        for ra, rb in zip(a, b):
            assert all(math.isclose(p, q, rel_tol=1e-9) for p, q in zip(ra, rb))


def test_diverging_fit_in_first_step_changes_nothing():
    net = linear_net(lr=1e300)
    state = json.dumps(net.to_dict())
    with pytest.raises(pynet.DivergedError) as info:
        net.fit([[1e10, 1e10]], [[1e10]], epochs=3, batch_size=4)
    assert info.value.epoch == 1
    assert info.value.step == 1
    assert unchanged(net, state)


@pytest.mark.parametrize("mode", ["gradient", "course"])
def test_diverging_course_class_train(mode):
    nn = pynet.NeuralNetwork(2, 1, 2, 1e300, mode=mode, bias=1.0, seed=0)
    nn.wih = [[1e-20, 1e-20, 0.0], [-1e-20, 1e-20, 0.0]]
    state = json.dumps(nn.network.to_dict())
    with pytest.raises(pynet.DivergedError):
        nn.train([1e15, 1e15], [1.0])        # gradient 1e13-ish times η = 1e300
    assert json.dumps(nn.network.to_dict()) == state
    # non-finite loss: ±inf net inputs cancel to nan
    nn = pynet.NeuralNetwork(2, 1, 2, 0.1, mode=mode, seed=0)
    nn.wih = [[1e308, -1e308], [0.1, 0.1]]
    state = json.dumps(nn.network.to_dict())
    with pytest.raises(pynet.DivergedError):
        nn.train([2.0, 2.0], [1.0])
    assert json.dumps(nn.network.to_dict()) == state
