"""The ``Network`` API contract: constructor, initialisers, reproducibility,
forward/run/predict/loss, copy, persistence, fit's history and callback."""

from __future__ import annotations

import json
import math
import random

import pytest

import pynet
from pynet import activations


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
