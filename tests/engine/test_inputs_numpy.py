"""numpy arrays are accepted wherever a sequence of numbers is, and what
comes back is plain Python lists of Python floats."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import pynet

pytestmark = pytest.mark.numpy


def plain(v):
    if isinstance(v, list):
        return all(plain(x) for x in v)
    return type(v) is float


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_numpy_vectors_and_matrices(dtype):
    net = pynet.Network([3, 4, 2], seed=0)
    ref = net.copy()
    x = np.array([1, 0, 2], dtype=dtype)
    t = np.array([0, 1], dtype=dtype)
    X = np.array([[1, 0, 2], [0, 1, 1], [2, 2, 0]], dtype=dtype)
    T = np.array([[0, 1], [1, 0], [1, 1]], dtype=dtype)
    xl, tl = [float(v) for v in x], [float(v) for v in t]
    Xl, Tl = X.astype(float).tolist(), T.astype(float).tolist()
    out = net.run(x)
    assert plain(out) and out == ref.run(xl)
    zs, acts = net.forward(x)
    assert zs[0] is None and plain(acts) and plain(zs[1:])
    assert net.predict(X) == ref.predict(Xl) and plain(net.predict(X))
    assert net.loss(X, T) == ref.loss(Xl, Tl) and type(net.loss(X, T)) is float
    dW, db = net.gradients(x, t)
    assert (dW, db) == ref.gradients(xl, tl) and plain(dW) and plain(db)
    assert net.train(x, t) == ref.train(xl, tl)
    assert net.train_batch(X, T) == ref.train_batch(Xl, Tl)
    h = net.fit(X, T, epochs=2, batch_size=2, shuffle=False)
    assert h == ref.fit(Xl, Tl, epochs=2, batch_size=2, shuffle=False) and plain(h)
    assert net.to_dict() == ref.to_dict()
    json.dumps(net.to_dict())                          # nothing numpy leaked in
    tr = net.backprop(x, t)
    json.dumps(tr.to_dict())
    assert plain(tr.activations) and plain(tr.grad_weights)


def test_numpy_scalars_in_lists():
    net = pynet.Network([2, 1], seed=0)
    out = net.run([np.float64(0.5), np.int32(1)])
    assert plain(out)


def test_numpy_bad_shapes_and_values_are_refused():
    net = pynet.Network([2, 2], seed=0)
    state = json.dumps(net.to_dict())
    with pytest.raises(ValueError, match="x"):
        net.run(np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"x\[1\]"):
        net.train(np.array([0.0, np.nan]), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"T\[1\]\[0\]"):
        net.fit(np.zeros((2, 2)), np.array([[0.0, 1.0], [np.inf, 0.0]]))
    with pytest.raises(ValueError, match=r"X\[0\]"):
        net.train_batch(np.zeros((2, 3)), np.zeros((2, 2)))
    assert json.dumps(net.to_dict()) == state


def test_numpy_weight_matrices_for_the_course_class():
    nn = pynet.NeuralNetwork(2, 2, 2, 0.5, seed=0)
    nn.wih = np.array([[0.15, 0.20], [0.25, 0.30]])
    nn.who = np.array([[0.40, 0.45], [0.50, 0.55]])
    assert plain(nn.wih) and plain(nn.network.weights)
    out = nn.run(np.array([0.05, 0.10]))
    assert plain(out)
    assert math.isclose(out[0], 0.606477732206728, rel_tol=1e-12)
