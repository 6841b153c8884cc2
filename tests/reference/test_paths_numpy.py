"""pynet.paths against numpy: the sum over the chain rule's paths is the
gradient of an independent numpy backprop (to 1e-12), for several shapes and
activations (relu away from its kink, softmax with cross-entropy), and every
path listed has the factors and the product a numpy enumeration gives."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

import pynet
from pynet import paths

pytestmark = pytest.mark.numpy

CASES = [  # layers, hidden activation, output activation, loss
    ([2, 3, 1], "sigmoid", "sigmoid", "squared"),
    ([3, 4, 2], "tanh", "linear", "squared"),
    ([2, 3, 3, 2], "tanh", "softmax", "cross_entropy"),
    ([2, 4, 3, 2], "relu", "sigmoid", "cross_entropy"),
    ([4, 2, 3, 2, 3], "sigmoid", "softmax", "squared"),
    ([3, 2], "linear", "tanh", "squared"),
]


def act(name, z):
    return {"sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh,
            "relu": lambda v: np.maximum(v, 0.0), "linear": lambda v: v}[name](z)


def dact(name, z):
    a = act(name, z)
    return {"sigmoid": a * (1 - a), "tanh": 1 - a * a, "relu": (z > 0).astype(float),
            "linear": np.ones_like(z)}[name]


def reference(net, x, t):
    """numpy forward and backward: (activations, f' of hidden layers, output δ, dW)."""
    W = [np.array(w) for w in net.weights]
    b = [np.array(v) for v in net.biases]
    acts, zs = [np.array(x)], [None]
    names = net.layer_activations
    for l, (w, bl) in enumerate(zip(W, b)):
        z = w @ acts[-1] + bl
        zs.append(z)
        if names[l] == "softmax":
            e = np.exp(z - z.max())
            acts.append(e / e.sum())
        else:
            acts.append(act(names[l], z))
    o, t = acts[-1], np.array(t)
    if net.loss_name == "cross_entropy":
        delta = o - t if names[-1] == "sigmoid" else o * t.sum() - t
    elif names[-1] == "softmax":
        J = np.diag(o) - np.outer(o, o)
        delta = J.T @ (o - t)
    else:
        delta = (o - t) * dact(names[-1], zs[-1])
    deltas = [None] * len(W)
    deltas[-1] = delta
    for l in range(len(W) - 1, 0, -1):
        deltas[l - 1] = (W[l].T @ deltas[l]) * dact(names[l - 1], zs[l])
    dW = [np.outer(d, a) for d, a in zip(deltas, acts)]
    fp = [None] + [dact(names[m - 1], zs[m]) for m in range(1, len(W))] + [None]
    return acts, fp, delta, dW


def network(layers, hidden, out, loss, seed):
    net = pynet.Network(layers, activation=hidden, output_activation=out, loss=loss, seed=seed)
    rng = random.Random(seed)
    x = [rng.uniform(-1, 1) for _ in range(layers[0])]
    if out == "softmax" or loss == "cross_entropy":
        t = [0.0] * layers[-1]
        t[rng.randrange(layers[-1])] = 1.0
    else:
        t = [rng.uniform(-0.9, 0.9) for _ in range(layers[-1])]
    return net, x, t


@pytest.mark.parametrize("layers,hidden,out,loss", CASES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_path_sum_of_every_weight_is_numpys_gradient(layers, hidden, out, loss, seed):
    net, x, t = network(layers, hidden, out, loss, seed)
    if hidden == "relu":   # away from the kink: no hidden net input within 1e-6 of 0
        zs, _ = net.forward(x)
        assert all(abs(z) > 1e-6 for layer in zs[1:-1] for z in layer)
    _, _, _, dW = reference(net, x, t)
    for l, w in enumerate(net.weights):
        for k, row in enumerate(w):
            for j in range(len(row)):
                r = paths.paths(net, [x], [t], l, k, j, limit=10_000)
                listed = sum(p["product"] for p in r["paths"])
                assert r["count"] == len(r["paths"]) == int(np.prod(layers[l + 2:]))
                assert listed == pytest.approx(dW[l][k, j], rel=1e-12, abs=1e-12)
                assert r["sum"] == pytest.approx(dW[l][k, j], rel=1e-12, abs=1e-12)
                assert r["gradient"] == pytest.approx(dW[l][k, j], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("layers,hidden,out,loss", CASES[2:5])
def test_each_listed_path_has_numpys_factors_and_product(layers, hidden, out, loss):
    net, x, t = network(layers, hidden, out, loss, 7)
    acts, fp, delta, _ = reference(net, x, t)
    L = len(layers) - 1
    l, k, j = 0, 1, 0
    r = paths.paths(net, [x], [t], l, k, j, limit=10_000)
    expected = {}
    for rest in itertools.product(*(range(n) for n in layers[l + 2:])):
        nodes = [(l, j), (l + 1, k)] + [(l + 2 + i, n) for i, n in enumerate(rest)]
        factors = [acts[l][j]]
        for (m, p), (_, n) in itertools.pairwise(nodes[1:]):
            factors += [fp[m][p], net.weights[m][n][p]]
        factors.append(delta[nodes[-1][1]])
        expected[tuple(nodes)] = factors
        assert nodes[-1][0] == L
    assert len(expected) == r["count"]
    for p in r["paths"]:
        factors = expected[tuple(tuple(n) for n in p["nodes"])]
        assert p["factors"] == pytest.approx(factors, rel=1e-12, abs=1e-15)
        assert p["product"] == pytest.approx(float(np.prod(factors)), rel=1e-12, abs=1e-15)


def test_a_batch_paths_sum_is_the_mean_gradient():
    net, _, _ = network([2, 3, 2, 1], "tanh", "tanh", "squared", 4)
    rng = random.Random(5)
    X = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(6)]
    T = [[rng.uniform(-0.9, 0.9)] for _ in range(6)]
    mean = np.mean([reference(net, x, t)[3][0][2, 1] for x, t in zip(X, T)])
    r = paths.paths(net, X, T, 0, 2, 1)
    assert r["samples"] == 6
    assert sum(p["product"] for p in r["paths"]) == pytest.approx(mean, rel=1e-12, abs=1e-15)
    assert r["sum"] == pytest.approx(mean, rel=1e-12, abs=1e-15)
    assert r["gradient"] == pytest.approx(mean, rel=1e-12, abs=1e-15)
