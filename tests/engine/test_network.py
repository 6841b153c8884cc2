"""``pynet.Network``'s contract: constructor, initialisers, reproducibility,
forward/run/predict/loss, copy, persistence (``to_dict``/``from_dict``), fit's
history and callback; bad input refused with a message that names the argument
and quotes at most 60 characters, leaving the network unchanged; a diverging
step rolled back; and the network actually learns (XOR, TensorFlow Playground's
circle, the UCI digits; only digits is marked ``slow``). No numpy: CPython and
Pyodide."""

from __future__ import annotations

import json
import math
import random
import time

import pytest

import pynet
from pynet import activations, datasets, metrics
from pynet.network import Network


def floats(v):
    return type(v) is list and all(type(x) is float for x in v)


# ------------------------------------------------------------ constructor
def test_defaults():
    net = pynet.Network([2, 3, 1])
    assert net.layers == [2, 3, 1]
    assert net.activation == ["sigmoid"]
    assert net.output_activation == "sigmoid"
    assert net.loss_name == "squared"
    assert net.bias is True and net.learning_rate == 0.1 and net.init == "course"
    assert [len(w) for w in net.weights] == [3, 1]
    assert [len(r) for w in net.weights for r in w] == [2, 2, 2, 3]
    assert [len(b) for b in net.biases] == [3, 1]


def test_keyword_and_positional_forms():
    a = pynet.Network([2, 3, 2], "tanh", "linear", "squared", False, 0.05, "xavier", 11)
    b = pynet.Network(layers=[2, 3, 2], activation="tanh", output_activation="linear",
                      loss="squared", bias=False, learning_rate=0.05, init="xavier", seed=11)
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize("hidden,expected", [("sigmoid", "sigmoid"), ("tanh", "tanh"),
                                             ("linear", "linear"), ("relu", "sigmoid")])
def test_output_activation_default(hidden, expected):
    assert pynet.Network([2, 2, 1], activation=hidden).output_activation == expected


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "linear"])
def test_without_hidden_layers_the_one_activation_is_the_outputs(name):
    """Issue 6: Network([4, 2], activation="linear") is linear, not silently sigmoid."""
    net = pynet.Network([4, 2], activation=name, seed=3)
    assert net.output_activation == name and net.activation == []
    assert net.layer_activations == [name]
    x = [0.5, -1.5, 2.0, 0.25]
    z = [bk + sum(w * v for w, v in zip(row, x)) for row, bk in zip(net.weights[0], net.biases[0])]
    f = {"sigmoid": activations.sigmoid, "tanh": math.tanh, "linear": lambda v: v}[name]
    assert net.run(x) == pytest.approx([f(v) for v in z], rel=1e-12)
    restored = pynet.Network.from_dict(json.loads(json.dumps(net.to_dict())))
    assert restored.output_activation == name and restored.run(x) == net.run(x)


@pytest.mark.parametrize("name, out", [("linear", "sigmoid"), ("sigmoid", "linear"),
                                       ("relu", "tanh"), ("tanh", "softmax")])
def test_without_hidden_layers_output_activation_wins(name, out):
    net = pynet.Network([4, 2], activation=name, output_activation=out, seed=3)
    assert net.output_activation == out and net.layer_activations == [out]
    restored = pynet.Network.from_dict(net.to_dict())
    assert restored.output_activation == out


def test_without_hidden_layers_an_activation_list_must_be_empty():
    assert pynet.Network([4, 2], activation=[]).output_activation == "sigmoid"
    assert pynet.Network([4, 2], activation=[], output_activation="linear").layer_activations \
        == ["linear"]
    with pytest.raises(ValueError, match=r"activation: expected 0 names"):
        pynet.Network([4, 2], activation=["linear"])
    with pytest.raises(ValueError, match=r"activation: 'relu' cannot be the output"):
        pynet.Network([4, 2], activation="relu")


def test_per_layer_activation_lists():
    net = pynet.Network([2, 3, 4, 5, 1], activation=["relu", "tanh", "linear"],
                        output_activation="sigmoid", seed=0)
    assert net.layer_activations == ["relu", "tanh", "linear", "sigmoid"]
    x = [0.3, -0.9]
    zs, acts = net.forward(x)
    f = {"relu": activations.relu, "tanh": math.tanh, "linear": lambda z: z,
         "sigmoid": activations.sigmoid}
    a = x
    for l, (w, b, name) in enumerate(zip(net.weights, net.biases, net.layer_activations)):
        z = [bk + math.fsum(wkj * aj for wkj, aj in zip(row, a)) for row, bk in zip(w, b)]
        a = [f[name](v) for v in z]
        assert all(math.isclose(p, q, rel_tol=1e-12, abs_tol=1e-15) for p, q in zip(zs[l + 1], z))
        assert all(math.isclose(p, q, rel_tol=1e-12, abs_tol=1e-15) for p, q in zip(acts[l + 1], a))
    # relu layer really is relu
    assert all(v >= 0.0 for v in acts[1])


@pytest.mark.parametrize("bias", [True, False])
def test_course_init_range(bias):
    for n_in in (1, 3, 10, 50):
        net = pynet.Network([n_in, 20, 5], bias=bias, init="course", seed=n_in)
        for w, b, fan_in in zip(net.weights, net.biases, (n_in, 20)):
            r = 1 / math.sqrt(fan_in + (1 if bias else 0))
            vals = [v for row in w for v in row] + (b if bias else [])
            assert all(-r <= v <= r for v in vals)
            assert max(abs(v) for v in vals) > r / 3            # really spread out
            if not bias:
                assert b == [0.0] * len(b)


def test_course_init_is_truncated_normal_not_uniform():
    """With n_in = 1 and no bias the radius is r = 1. The share of draws
    within ±0.5 is 0.5 for U(−1, 1) but (Φ(0.5)−Φ(−0.5)) / (Φ(1)−Φ(−1))
    ≈ 0.5623 for N(0, 1) cut to ±1 (the course's truncated_normal)."""
    net = pynet.Network([1, 4000, 1], bias=False, seed=2)
    vals = [row[0] for row in net.weights[0]]
    inside = sum(abs(v) <= 0.5 for v in vals) / len(vals)
    assert abs(inside - 0.5623) < 0.03
    assert abs(sum(vals) / len(vals)) < 0.03


def test_xavier_and_uniform_ranges():
    net = pynet.Network([30, 20, 10], init="xavier", seed=1)
    for w, (n_in, n_out) in zip(net.weights, ((30, 20), (20, 10))):
        r = math.sqrt(6 / (n_in + n_out))
        vals = [v for row in w for v in row]
        assert all(-r <= v <= r for v in vals) and max(map(abs, vals)) > 0.8 * r
    assert all(v == 0.0 for b in net.biases for v in b)
    net = pynet.Network([30, 20, 10], init="uniform", seed=1)
    vals = [v for w in net.weights for row in w for v in row]
    assert all(-0.5 <= v < 0.5 for v in vals)
    assert min(vals) < -0.45 and max(vals) > 0.45
    assert all(v == 0.1 for b in net.biases for v in b)       # as TF Playground


@pytest.mark.parametrize("init", ["course", "xavier", "uniform"])
def test_seed_reproducible_and_global_random_untouched(init):
    random.seed(1234)
    state = random.getstate()
    a = pynet.Network([3, 5, 2], init=init, seed=42)
    b = pynet.Network([3, 5, 2], init=init, seed=42)
    c = pynet.Network([3, 5, 2], init=init, seed=43)
    X = [[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [1.0, 0.0, -1.0]]
    T = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]
    a.fit(X, T, epochs=3, batch_size=2, shuffle=True)
    b.fit(X, T, epochs=3, batch_size=2, shuffle=True)
    assert random.getstate() == state
    assert a.weights == b.weights and a.biases == b.biases
    assert c.weights != pynet.Network([3, 5, 2], init=init, seed=42).weights
    assert pynet.Network([3, 5, 2], init=init, seed="text").weights == \
        pynet.Network([3, 5, 2], init=init, seed="text").weights


def test_shuffle_uses_the_networks_generator():
    X = [[float(i), float(-i)] for i in range(8)]
    T = [[float(i % 2)] for i in range(8)]
    a = pynet.Network([2, 3, 1], seed=1)
    b = pynet.Network([2, 3, 1], seed=1)
    c = pynet.Network([2, 3, 1], seed=1)
    a.fit(X, T, epochs=2, batch_size=3, shuffle=True)
    b.fit(X, T, epochs=2, batch_size=3, shuffle=True)
    c.fit(X, T, epochs=2, batch_size=3, shuffle=False)
    assert a.weights == b.weights
    assert a.weights != c.weights


# ---------------------------------------------------------------- forward
def test_run_forward_predict_outputs_are_plain_floats():
    net = pynet.Network([3, 4, 2], activation="tanh", output_activation="softmax", seed=0)
    x = (1, 2, 3)                                   # ints and tuples accepted
    out = net.run(x)
    assert floats(out) and len(out) == 2
    assert math.isclose(sum(out), 1.0, rel_tol=1e-15)
    zs, acts = net.forward(x)
    assert zs[0] is None and acts[0] == [1.0, 2.0, 3.0] and floats(acts[0])
    assert acts[-1] == out
    assert all(floats(z) for z in zs[1:]) and all(floats(a) for a in acts)
    P = net.predict([x, [0.0, 0.0, 0.0]])
    assert P[0] == out and floats(P[1]) and len(P) == 2


def test_loss_is_mean_half_squared_error():
    net = pynet.Network([1, 2], output_activation="linear", bias=False)
    net.weights = [[[1.0], [-2.0]]]
    X = [[1.0], [0.5]]
    T = [[0.0, 0.0], [1.0, 1.0]]
    # sample 1: o = (1, -2): ½(1 + 4) = 2.5 ; sample 2: o = (0.5, -1): ½(0.25 + 4) = 2.125
    assert net.loss(X, T) == (2.5 + 2.125) / 2


def test_cross_entropy_loss_values():
    net = pynet.Network([1, 2], output_activation="sigmoid", loss="cross_entropy", bias=False)
    net.weights = [[[0.5], [-1.0]]]
    o = net.run([1.0])
    t = [1.0, 0.25]
    want = -(math.log(o[0]) + 0.25 * math.log(o[1]) + 0.75 * math.log(1 - o[1]))
    assert math.isclose(net.loss([[1.0]], [t]), want, rel_tol=1e-12)
    sm = pynet.Network([1, 3], output_activation="softmax", loss="cross_entropy", bias=False)
    sm.weights = [[[0.5], [-1.0], [2.0]]]
    o = sm.run([1.0])
    t = [0.2, 0.3, 0.5]
    want = -math.fsum(tk * math.log(ok) for tk, ok in zip(t, o))
    assert math.isclose(sm.loss([[1.0]], [t]), want, rel_tol=1e-12)


# ------------------------------------------------------------ copy / dict
def test_copy_is_independent():
    net = pynet.Network([2, 3, 1], seed=3)
    twin = net.copy()
    assert twin.to_dict() == net.to_dict()
    assert twin.weights is not net.weights and twin.weights[0][0] is not net.weights[0][0]
    twin.train([1.0, 0.0], [1.0])
    assert twin.to_dict() != net.to_dict()
    net2 = pynet.Network([2, 3, 1], seed=3)
    assert net.to_dict() == net2.to_dict()
    # same generator state: the same shuffles afterwards
    X = [[float(i), 1.0] for i in range(6)]
    T = [[float(i % 2)] for i in range(6)]
    a, b = net.copy(), net.copy()
    a.fit(X, T, epochs=2, batch_size=1)
    b.fit(X, T, epochs=2, batch_size=1)
    assert a.weights == b.weights


@pytest.mark.parametrize("seed", range(6))
def test_to_dict_from_dict_round_trip_through_json(seed):
    rng = random.Random(seed)
    hidden = [rng.choice(["sigmoid", "tanh", "relu", "linear"]) for _ in range(rng.randint(0, 3))]
    layers = [rng.randint(1, 5) for _ in range(len(hidden) + 2)]
    out = rng.choice(["sigmoid", "softmax"])
    net = pynet.Network(layers, activation=hidden, output_activation=out,
                        loss=rng.choice(["squared", "cross_entropy"]), bias=rng.random() < 0.5,
                        learning_rate=rng.uniform(0.001, 1), init=rng.choice(["course", "xavier", "uniform"]),
                        seed=seed)
    # awkward floats survive JSON exactly
    net.weights[0][0][0] = 0.1 + 0.2
    net.weights[-1][-1][-1] = -1.2345678901234567e-300
    d = net.to_dict()
    text = json.dumps(d)
    back = pynet.Network.from_dict(json.loads(text))
    assert back.to_dict() == d
    assert json.dumps(back.to_dict()) == text
    assert back.weights == net.weights and back.biases == net.biases
    x = [rng.uniform(-1, 1) for _ in range(layers[0])]
    assert back.run(x) == net.run(x)
    assert d["format"] == "pynet.Network" and d["version"] == 1


# -------------------------------------------------------------------- fit
def test_fit_history_length_and_meaning():
    net = pynet.Network([2, 4, 1], activation="tanh", seed=0, learning_rate=0.2)
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.5]]
    T = [[0.1], [0.9], [0.9], [0.1], [0.5]]
    twin = net.copy()
    history = net.fit(X, T, epochs=7, batch_size=2, shuffle=False)
    assert len(history) == 7 and floats(history)
    # history[e] = mean over the epoch's steps of (loss before step × batch size) / n
    for e in range(7):
        total = 0.0
        for s in range(0, 5, 2):
            total += twin.train_batch(X[s:s + 2], T[s:s + 2]) * len(X[s:s + 2])
        assert math.isclose(history[e], total / 5, rel_tol=1e-12)
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
               for wa, wb in zip(net.weights, twin.weights)
               for ra, rb in zip(wa, wb) for a, b in zip(ra, rb))


def test_callback_sees_each_epoch_and_false_stops():
    net = pynet.Network([2, 2, 1], seed=0)
    X, T = [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]
    seen = []

    def cb(epoch, loss):
        seen.append((epoch, loss))
        return False if epoch == 4 else None

    history = net.fit(X, T, epochs=50, callback=cb)
    assert len(history) == 4
    assert [e for e, _ in seen] == [1, 2, 3, 4]
    assert [l for _, l in seen] == history
    # anything but False (None, 0, "") continues
    assert len(pynet.Network([2, 2, 1], seed=0).fit(X, T, epochs=3, callback=lambda e, l: 0)) == 3


def test_fit_batch_larger_than_data_is_one_full_batch():
    net = pynet.Network([2, 3, 1], seed=4)
    twin = net.copy()
    X = [[0.1, 0.2], [0.3, -0.4], [0.9, 0.0]]
    T = [[0.0], [1.0], [0.5]]
    h = net.fit(X, T, epochs=1, batch_size=100, shuffle=False)
    assert math.isclose(h[0], twin.train_batch(X, T), rel_tol=1e-12)
    for wa, wb in zip(net.weights, twin.weights):
        for ra, rb in zip(wa, wb):
            assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15) for a, b in zip(ra, rb))


def test_l2_shrinks_weights_not_biases():
    base = pynet.Network([2, 3, 1], seed=5, learning_rate=0.5)
    X, T = [[0.2, 0.4]], [[0.6]]
    plain, reg = base.copy(), base.copy()
    plain.fit(X, T, epochs=1, shuffle=False)
    reg.fit(X, T, epochs=1, shuffle=False, l2=0.1)
    for l in range(2):
        for k, row in enumerate(base.weights[l]):
            for j, w in enumerate(row):
                # Δ = −η (g + l2 w): reg − plain = −η l2 w
                assert math.isclose(reg.weights[l][k][j] - plain.weights[l][k][j], -0.5 * 0.1 * w,
                                    rel_tol=1e-9, abs_tol=1e-15)
        assert reg.biases[l] == plain.biases[l]


def test_l1_moves_weights_by_sign():
    base = pynet.Network([2, 3, 1], seed=6, learning_rate=0.5)
    X, T = [[0.2, 0.4]], [[0.6]]
    plain, reg = base.copy(), base.copy()
    plain.train_batch(X, T)
    reg.fit(X, T, epochs=1, shuffle=False, l1=0.01)
    for l in range(2):
        for k, row in enumerate(base.weights[l]):
            for j, w in enumerate(row):
                want = -0.5 * 0.01 * math.copysign(1.0, w)
                assert math.isclose(reg.weights[l][k][j] - plain.weights[l][k][j], want,
                                    rel_tol=1e-9, abs_tol=1e-15)


def test_train_and_train_batch_return_loss_before_step():
    net = pynet.Network([2, 3, 2], seed=7)
    x, t = [0.5, -0.5], [0.2, 0.8]
    before = net.loss([x], [t])
    assert net.train(x, t) == before
    assert net.loss([x], [t]) < before
    X, T = [x, [0.1, 0.1]], [t, [0.9, 0.1]]
    before = net.loss(X, T)
    assert math.isclose(net.train_batch(X, T), before, rel_tol=1e-15)


def test_weights_are_assignable_lists_used_by_run():
    net = pynet.Network([2, 1], output_activation="linear", bias=False)
    net.weights[0][0] = [2.0, -3.0]
    assert net.run([1.0, 1.0]) == [-1.0]
    row = net.weights[0][0]
    net.train([1.0, 1.0], [0.0])
    assert row is net.weights[0][0]                  # updated in place
    assert row != [2.0, -3.0]


def test_public_names():
    for name in ("Network", "NeuralNetwork", "Trace", "DivergedError", "gradcheck",
                 "datasets", "metrics"):
        assert hasattr(pynet, name)
    assert issubclass(pynet.DivergedError, ArithmeticError)
    assert callable(pynet.gradcheck)


NAN, INF = math.nan, math.inf


def net_and_state(**kw):
    net = pynet.Network([2, 3, 2], seed=1, **kw)
    return net, json.dumps(net.to_dict())


def unchanged(net, state):
    return json.dumps(net.to_dict()) == state


# --------------------------------------------------------- the constructor
@pytest.mark.parametrize("kwargs,exc,match", [
    ({"layers": []}, ValueError, "layers"),
    ({"layers": [3]}, ValueError, "layers"),
    ({"layers": [2, 0, 1]}, ValueError, r"layers\[1\]"),
    ({"layers": [2, -3, 1]}, ValueError, r"layers\[1\]"),
    ({"layers": [2, 2.5, 1]}, TypeError, r"layers\[1\]"),
    ({"layers": [2, True, 1]}, TypeError, r"layers\[1\]"),
    ({"layers": "231"}, TypeError, "layers"),
    ({"layers": 5}, TypeError, "layers"),
    ({"layers": [2, 2, 1], "activation": "softplus"}, ValueError, "activation"),
    ({"layers": [2, 2, 1], "activation": "softmax"}, ValueError, "activation"),
    ({"layers": [2, 2, 2, 1], "activation": ["tanh"]}, ValueError, "activation"),
    ({"layers": [2, 2, 2, 1], "activation": ["tanh", "swish"]}, ValueError, r"activation\[1\]"),
    ({"layers": [2, 2, 1], "activation": 3}, TypeError, "activation"),
    ({"layers": [2, 2, 1], "output_activation": "relu"}, ValueError, "output_activation"),
    ({"layers": [2, 2, 1], "output_activation": 1}, TypeError, "output_activation"),
    ({"layers": [2, 2, 1], "loss": "mse"}, ValueError, "loss"),
    ({"layers": [2, 2, 1], "loss": "cross_entropy", "output_activation": "tanh"}, ValueError, "loss"),
    ({"layers": [2, 2, 1], "loss": "cross_entropy", "output_activation": "linear"}, ValueError, "loss"),
    ({"layers": [2, 2, 1], "activation": "tanh", "loss": "cross_entropy"}, ValueError, "loss"),
    ({"layers": [2, 2, 1], "bias": 1}, TypeError, "bias"),
    ({"layers": [2, 2, 1], "learning_rate": 0}, ValueError, "learning_rate"),
    ({"layers": [2, 2, 1], "learning_rate": -0.1}, ValueError, "learning_rate"),
    ({"layers": [2, 2, 1], "learning_rate": NAN}, ValueError, "learning_rate"),
    ({"layers": [2, 2, 1], "learning_rate": INF}, ValueError, "learning_rate"),
    ({"layers": [2, 2, 1], "learning_rate": "0.1"}, TypeError, "learning_rate"),
    ({"layers": [2, 2, 1], "init": "he"}, ValueError, "init"),
    ({"layers": [2, 2, 1], "seed": [1, 2]}, TypeError, "seed"),
    ({"layers": [2, 2, 1], "seed": {"a": 1}}, TypeError, "seed"),
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
    ({"epochs": 0}, ValueError, "epochs"),
    ({"epochs": -1}, ValueError, "epochs"),
    ({"epochs": 2.0}, TypeError, "epochs"),
    ({"epochs": "3"}, TypeError, "epochs"),
    ({"epochs": True}, TypeError, "epochs"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 1.5}, TypeError, "batch_size"),
    ({"batch_size": None}, TypeError, "batch_size"),
    ({"l1": -0.1}, ValueError, "l1"),
    ({"l1": NAN}, ValueError, "l1"),
    ({"l1": "0"}, TypeError, "l1"),
    ({"l2": -1e-9}, ValueError, "l2"),
    ({"l2": INF}, ValueError, "l2"),
    ({"l2": None}, TypeError, "l2"),
    ({"shuffle": 1}, TypeError, "shuffle"),
    ({"callback": 3}, TypeError, "callback"),
    ({"callback": "print"}, TypeError, "callback"),
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


BIG = 10 ** 400          # an int no float can hold


# ------------------------------------------------ defect 2: huge integers
@pytest.mark.parametrize("call, name", [
    (lambda: Network([2, 1]).run([BIG, 0]), r"x\[0\]"),
    (lambda: Network([2, 1]).run([0, -BIG]), r"x\[1\]"),
    (lambda: Network([2, 1], learning_rate=BIG), "learning_rate"),
    (lambda: Network([2, 1]).fit([[0, 0]], [[0]], l2=BIG), "l2"),
    (lambda: Network([2, 1]).fit([[0, 0]], [[0]], l1=BIG), "l1"),
    (lambda: Network([2, 1]).train([0, 0], [BIG]), r"t\[0\]"),
    (lambda: Network([2, 1]).predict([[1, 2], [BIG, 1]]), r"X\[1\]\[0\]"),
])
def test_huge_integers_get_a_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name) as info:
        call()
    assert "too large for a float" in str(info.value)
    assert len(str(info.value)) < 200           # the 401-digit number is not echoed whole


def test_learning_rate_setter_refuses_a_huge_integer():
    net = Network([2, 1], learning_rate=0.25)
    with pytest.raises(ValueError, match="learning_rate"):
        net.learning_rate = BIG
    assert net.learning_rate == 0.25


def test_an_integer_beyond_the_str_digit_limit_is_still_reported_shortly():
    with pytest.raises(ValueError, match=r"x\[0\]: expected a finite number, got <int") as info:
        Network([1, 1]).run([10 ** 5000])
    assert len(str(info.value)) < 150


# ------------------------------------------ defect 4: no false divergence
def test_finite_weights_whose_sum_overflows_are_not_divergence():
    n = Network([2, 1], output_activation="tanh", bias=False)
    n.weights = [[[1e308, 1e308]]]
    n.train([0, 0], [0])                        # used to raise "non-finite"
    assert n.weights == [[[1e308, 1e308]]]
    assert n.fit([[0, 0]], [[0]], epochs=2) == [0.0, 0.0]
    assert n.weights == [[[1e308, 1e308]]]


# -------------------------------- defect 5: from_dict checks shapes first
def test_from_dict_refuses_a_huge_declared_network_quickly():
    d = Network([1, 2, 1], seed=0).to_dict()
    d.update(layers=[1, 1500, 1500, 1], activation=["sigmoid", "sigmoid"], weights=[])
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="weights"):
        Network.from_dict(d)
    # drawing 2.25 million initial weights took seconds; checking the shape is
    # immediate (a generous bound: this is not a benchmark, slow runtimes pass)
    assert time.perf_counter() - t0 < 0.5
    d.update(weights=[[[0.0]] * 1500, [[0.0] * 1500] * 1500, [[0.0] * 1500]], biases=[[]])
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="biases"):     # before 2.25 million weight values
        Network.from_dict(d)
    assert time.perf_counter() - t0 < 0.5


def test_from_dict_restores_the_seeds_generator_state():
    """The generator of a restored network is where the seed's own network
    left it (its initial draws), so restores train alike."""
    net = Network([2, 3, 1], seed=42)
    restored = Network.from_dict(net.to_dict())
    assert restored.rng.getstate() == Network([2, 3, 1], seed=42).rng.getstate()


# ----------------------------- defect 6: assigned weights are checked
@pytest.mark.parametrize("weights, match", [
    ([[[0.5]]], r"weights\[0\]\[0\]: expected a list of 2 numbers"),
    ([[[0.5, 0.5], [1.0, 1.0]]], r"weights\[0\]: expected 1 rows"),
    ([[[0.5, math.nan]]], r"weights\[0\]\[0\]\[1\]"),
    ([[[0.5, math.inf]]], r"weights\[0\]\[0\]\[1\]"),
    ([], "weights must be a list of 1 matrices"),
    ([[[0.5, 0.5]], [[1.0]]], "weights must be a list of 1 matrices"),
])
def test_assigning_wrong_weights_is_refused_and_changes_nothing(weights, match):
    n = Network([2, 1], seed=0)
    before = n.to_dict()
    with pytest.raises(ValueError, match=match):
        n.weights = weights
    assert n.to_dict() == before


def test_assigning_weights_stores_floats_and_a_copy():
    n = Network([2, 1], seed=0)
    w = [[[1, 2]]]
    n.weights = w
    w[0][0][0] = 99
    assert n.weights == [[[1.0, 2.0]]] and type(n.weights[0][0][0]) is float
    assert n.run([1, 1]) == pytest.approx([1 / (1 + math.exp(-(3.0 + n.biases[0][0])))])


@pytest.mark.parametrize("how", ["run", "train", "fit", "copy", "backprop", "to_dict"])
def test_weights_edited_in_place_into_a_wrong_shape_are_caught_when_used(how):
    n = Network([2, 1], seed=0)
    n.weights[0][0] = [0.5]                     # one number for two inputs
    use = {"run": lambda: n.run([1, 1]), "train": lambda: n.train([1, 1], [0]),
           "fit": lambda: n.fit([[1, 1]], [[0]]), "copy": n.copy,
           "backprop": lambda: n.backprop([1, 1], [0]), "to_dict": n.to_dict}[how]
    with pytest.raises(ValueError, match=r"weights\[0\]\[0\]: expected a list of 2 numbers"):
        use()


def test_a_nan_weight_set_in_place_is_caught_when_used():
    n = Network([2, 2, 1], seed=0)
    n.weights[1][0][1] = math.nan
    with pytest.raises(ValueError, match=r"weights\[1\]\[0\]\[1\]"):
        n.run([0.0, 0.0])


def test_bias_by_hand_on_a_network_without_biases():
    n = Network([2, 1], bias=False, seed=0)
    with pytest.raises(ValueError, match=r"biases\[0\]\[0\]: must be 0 because"):
        n.biases = [[0.3]]
    n.biases[0][0] = 0.3                        # in place: caught on use, clearly
    for use in (n.copy, lambda: n.run([1, 1]), lambda: n.fit([[1, 1]], [[0]])):
        with pytest.raises(ValueError, match=r"biases\[0\]\[0\]: must be 0 because"):
            use()


# ------------------------------- copy / to_dict / the generator
def test_copy_keeps_the_generator_state_of_the_original():
    X = [[i / 10, (i % 3) / 3] for i in range(12)]
    T = [[(i % 2) * 1.0] for i in range(12)]
    net = Network([2, 3, 1], seed=5)
    net.fit(X, T, epochs=2)                     # the generator has moved on
    twin = net.copy()
    assert twin.rng.getstate() == net.rng.getstate()
    net.fit(X, T, epochs=3)
    twin.fit(X, T, epochs=3)
    assert twin.weights == net.weights and twin.biases == net.biases


def test_to_dict_keeps_the_seed_so_restores_train_alike():
    X = [[i / 10, (i % 3) / 3] for i in range(12)]
    T = [[(i % 2) * 1.0] for i in range(12)]
    d = json.loads(json.dumps(Network([2, 3, 1], seed=8).to_dict()))
    assert d["seed"] == 8
    a, b = Network.from_dict(d), Network.from_dict(d)
    a.fit(X, T, epochs=3)
    b.fit(X, T, epochs=3)
    assert a.weights == b.weights
    # and like a network built with that seed and given those weights
    c = Network([2, 3, 1], seed=8)
    c.fit(X, T, epochs=3)
    assert c.weights == a.weights


# ---------------------------------------- l1 at a weight of 0
@pytest.mark.parametrize("layers", [[2, 1], [2, 30, 30, 1]])
def test_l1_leaves_a_zero_weight_with_zero_gradient_at_zero(layers):
    """sign(0) = 0: the l1 term does not push a weight that is exactly 0."""
    net = Network(layers, activation="tanh", output_activation="linear", seed=2)
    net.weights[0][0][0] = 0.0                  # its input is 0: its gradient is 0
    start, ref = net.copy(), net.copy()
    net.fit([[0.0, 1.0]], [[0.5]], epochs=1, l1=0.1)           # the fast path
    ref._step([[0.0, 1.0]], [[0.5]], ref.learning_rate, 0.1)   # the reference
    assert net.weights[0][0][0] == 0.0 and ref.weights[0][0][0] == 0.0
    # the step did happen: the weight beside it (input 1) moved, in both
    assert net.weights[0][0][1] != start.weights[0][0][1]
    assert net.weights[0][0][1] == pytest.approx(ref.weights[0][0][1], rel=1e-12)


# --------------------------- a set is not an ordered vector
@pytest.mark.parametrize("value", [{1.0, 2.0}, frozenset({1.0, 2.0}), {"a": 1.0, "b": 2.0}])
def test_unordered_collections_are_not_vectors(value):
    with pytest.raises(TypeError, match="x: expected a sequence of numbers"):
        Network([2, 1]).run(value)
    with pytest.raises(TypeError, match=r"X: expected a sequence of samples"):
        Network([2, 1]).predict(value)


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
    ({"epochs": 0}, "epochs: expected a positive integer, got 0"),
    ({"batch_size": 0}, "batch_size: expected a positive integer, got 0"),
    ({"l1": -1}, "l1: expected a number ≥ 0, got -1.0"),
    ({"l2": -0.5}, "l2: expected a number ≥ 0, got -0.5"),
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
    (edited(version=2), (ValueError, ("from_dict: 'version' 2 is not supported (this pynet reads "
                                     "version 1)"))),
    (edited(init=KeyError, weights=KeyError),
     (ValueError, "from_dict: missing field(s) init, weights")),
    (edited(weights="w"), (ValueError, ("from_dict: 'weights' must be a list of 2 matrices (one "
                                       "per weight layer), got 'w'"))),
    (edited(biases=[[0, 0, 0]]), (ValueError, ("from_dict: 'biases' must be a list of 2 vectors "
                                              "(one per weight layer), got [[0, 0, 0]]"))),
    (edited(weights=[[[0.1, 0.2]] * 2, [[1, 1, 1]]]),
     (ValueError, ("weights[0]: expected 3 rows (one per node of layer 1), got [[0.1, 0.2], "
                  "[0.1, 0.2]]"))),
    (edited(weights=[[[0.1, 0.2]] * 3, [[1, 1, 1]] * 2]),
     (ValueError, ("weights[1]: expected 1 rows (one per node of layer 2), got [[1, 1, 1], "
                  "[1, 1, 1]]"))),
    (edited(weights=[[[0.1, 0.2]] * 3, [[1, 1]]]),
     (ValueError, ("weights[1][0]: expected a list of 3 numbers (one per node of layer 1), "
                  "got [1, 1]"))),
    (edited(weights=[[[0.1, 0.2]] * 3, [[1, 1, "x"]]]),
     (TypeError, "weights[1][0][2]: expected a number, got str 'x'")),
    (edited(biases=[[0, 0], [0]]),
     (ValueError, "biases[0]: expected a list of 3 numbers (one per node of layer 1), got [0, 0]")),
    (edited(biases=[[0, 0, 0], [0, "b"]]),
     (ValueError, ("biases[1]: expected a list of 1 numbers (one per node of layer 2), "
                  "got [0, 'b']"))),
])
def test_from_dict_says_which_field_is_wrong(d, expected):
    assert message(pynet.Network.from_dict, d) == expected


@pytest.mark.parametrize("value, expected", [
    ("w", "weights must be a list of 2 matrices (one per weight layer), got 'w'"),
    ([[[0.1, 0.2]] * 3, [[1, 1]]], ("weights[1][0]: expected a list of 3 numbers (one per node "
                                   "of layer 1), got [1, 1]")),
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


@pytest.mark.parametrize("kwargs, expected", [
    ({"shuffle": 1}, "shuffle: expected True or False, got 1"),
    ({"callback": 3}, "callback: expected a function (epoch, loss), got 3"),
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
    ({"activation": "softmax"},
     (ValueError, "activation: expected one of sigmoid, tanh, relu, linear; got 'softmax'")),
    ({"activation": 5}, (TypeError, "activation: expected a name or a list of 1 names, got int")),
    ({"activation": ["tanh", "relu"]},
     (ValueError, "activation: expected 1 names (one per hidden layer), got 2: ['tanh', 'relu']")),
    ({"learning_rate": "x"}, (TypeError, "learning_rate: expected a number, got str 'x'")),
    ({"output_activation": "relu"},
     (ValueError, "output_activation: expected one of sigmoid, tanh, linear, softmax; got 'relu'")),
    ({"loss": "hinge"}, (ValueError, "loss: expected one of squared, cross_entropy; got 'hinge'")),
    ({"loss": "cross_entropy", "output_activation": "tanh"},
     (ValueError, "loss: 'cross_entropy' needs a sigmoid or softmax output_activation, got 'tanh'")),
    ({"bias": 1}, (TypeError, "bias: expected True or False, got int 1")),
    ({"init": "zeros"}, (ValueError, "init: expected one of course, xavier, uniform; got 'zeros'")),
    ({"seed": [1]}, (TypeError, "seed: expected None, an int or a str, got list [1]")),
])
def test_network_names_the_bad_setting(kwargs, expected):
    assert message(pynet.Network, [2, 3, 1], **kwargs) == expected


def test_relu_cannot_be_the_output_of_a_network_without_hidden_layers():
    assert message(pynet.Network, [2, 1], activation="relu") == (
        ValueError, ("activation: 'relu' cannot be the output activation of a network without "
                    "hidden layers (expected one of sigmoid, tanh, linear, softmax)"))


@pytest.mark.parametrize("layers, expected", [
    ("21", (TypeError, "layers: expected a list of layer sizes such as [2, 4, 1], got str '21'")),
    ([3], (ValueError, "layers: expected at least 2 sizes (inputs and outputs), got [3]")),
])
def test_bad_layers_are_quoted(layers, expected):
    assert message(pynet.Network, layers) == expected


XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_T = [[0.0], [1.0], [1.0], [0.0]]


def stop_below(net, X, T, threshold):
    """A fit callback that stops once the mean loss over (X, T) is below."""
    def callback(epoch, loss):
        return False if net.loss(X, T) < threshold else None
    return callback


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("activation,lr,init", [("sigmoid", 2.0, "course"),
                                                ("tanh", 0.3, "xavier")])
def test_xor(activation, lr, init, seed):
    net = pynet.Network([2, 4, 1], activation=activation, output_activation="sigmoid",
                        learning_rate=lr, init=init, seed=seed)
    start = net.loss(XOR_X, XOR_T)
    history = net.fit(XOR_X, XOR_T, epochs=5000,
                      callback=stop_below(net, XOR_X, XOR_T, 0.01))
    assert len(history) < 5000
    assert net.loss(XOR_X, XOR_T) < 0.01 < start
    predictions = [round(o[0]) for o in net.predict(XOR_X)]
    assert predictions == [0, 1, 1, 0]


@pytest.mark.parametrize("mode", ["gradient", "course"])
def test_xor_with_the_course_class(mode):
    # The course's own rule (raw errors through the updated weights) gets stuck
    # in a plateau on XOR for some seeds: measured over seeds 0-7 at η = 1,
    # seeds 2 and 3 stay near E = 0.065 after 4000 epochs, the other six learn
    # (exact gradient mode: all eight). Seed 0 learns in both modes.
    nn = pynet.NeuralNetwork(2, 1, 4, 1.0, bias=1, mode=mode, seed=0)
    for _ in range(4000):
        for x, t in zip(XOR_X, XOR_T):
            nn.train(x, t)
        if nn.network.loss(XOR_X, XOR_T) < 0.01:
            break
    assert nn.network.loss(XOR_X, XOR_T) < 0.01
    assert [round(nn.run(x)[0]) for x in XOR_X] == [0, 1, 1, 0]


@pytest.mark.parametrize("seed", range(3))
def test_tf_playground_circle(seed):
    """TF Playground's defaults: circle, noise 0, 50 % training data, 2-4-2-1
    tanh, U(-0.5, 0.5) init, η = 0.03, batch 10, labels ±1; the training loss
    falls below 0.01 within 300 epochs."""
    X, y = datasets.circle(500, noise=0, seed=seed)
    X_train, y_train, X_test, y_test = datasets.split(X, y, 0.5, seed=seed + 100)
    assert len(X_train) == 250 and len(X_test) == 250
    T_train = [[1.0 if label == 1 else -1.0] for label in y_train]
    T_test = [[1.0 if label == 1 else -1.0] for label in y_test]
    net = pynet.Network([2, 4, 2, 1], activation="tanh", output_activation="tanh",
                        init="uniform", learning_rate=0.03, seed=seed)
    start = net.loss(X_train, T_train)
    history = net.fit(X_train, T_train, epochs=300, batch_size=10,
                      callback=stop_below(net, X_train, T_train, 0.01))
    assert len(history) <= 300
    assert net.loss(X_train, T_train) < 0.01 < start
    # and it generalises: the test points are classified by the sign of the output
    correct = sum((o[0] > 0) == (t[0] > 0) for o, t in zip(net.predict(X_test), T_test))
    assert correct / len(X_test) >= 0.97


@pytest.mark.slow
def test_digits():
    """64-32-10 sigmoid network, the course's squared error, pixels / 16,
    one-hot targets, 70/30 split: at least 95 % test accuracy in 10 epochs
    (about 8 s on CPython)."""
    X, y = datasets.digits()
    assert len(X) == 1797 and len(X[0]) == 64
    X = [[v / 16 for v in row] for row in X]
    X_train, y_train, X_test, y_test = datasets.split(X, y, 0.7, seed=0)
    net = pynet.Network([64, 32, 10], activation="sigmoid", output_activation="sigmoid",
                        learning_rate=0.5, seed=1)
    net.fit(X_train, datasets.one_hot(y_train, 10), epochs=10)
    predicted = [metrics.argmax(o) for o in net.predict(X_test)]
    assert metrics.accuracy(y_test, predicted) >= 0.95
