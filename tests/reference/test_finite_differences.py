"""Analytic gradients against central finite differences, for random
architectures and every activation / output / loss pair."""

from __future__ import annotations

import importlib
import math
import random

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import pynet

gc = importlib.import_module("pynet.gradient_check")   # the module, not the function

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
PAIRS = [("squared", o) for o in ("sigmoid", "tanh", "linear", "softmax")] + \
        [("cross_entropy", o) for o in ("sigmoid", "softmax")]
COMBOS = [(h, loss, o) for h in HIDDEN for loss, o in PAIRS]


def make(rng, hidden, loss, out, bias=True, init=None):
    depth = rng.randint(0, 3)
    n_out = rng.randint(2 if out == "softmax" else 1, 4)
    layers = [rng.randint(1, 4)] + [rng.randint(1, 5) for _ in range(depth)] + [n_out]
    acts = [rng.choice(HIDDEN) if hidden == "mixed" else hidden for _ in range(depth)]
    net = pynet.Network(layers, activation=acts, output_activation=out, loss=loss, bias=bias,
                        init=init or rng.choice(["course", "xavier", "uniform"]),
                        seed=rng.random())
    # make the weights larger than the initialiser's so that gradients are not tiny
    for w in net.weights:
        for row in w:
            row[:] = [rng.uniform(-1.5, 1.5) for _ in row]
    if bias:
        net.biases = [[rng.uniform(-0.5, 0.5) for _ in b] for b in net.biases]
    x = [rng.uniform(-1, 1) for _ in range(layers[0])]
    t = [rng.uniform(0, 1) for _ in range(n_out)]
    if out == "tanh":
        t = [2 * v - 1 for v in t]
    return net, x, t


def away_from_kinks(net, x, margin=1e-3):
    """No relu unit has |z| <= margin (the finite difference would cross the kink)."""
    zs, _ = net.forward(x)
    for l, name in enumerate(net.activation):
        if name == "relu" and any(abs(z) <= margin for z in zs[l + 1]):
            return False
    return True


def gradient_norm(net, x, t):
    dW, db = net.gradients(x, t)
    return math.sqrt(sum(v * v for v in gc._flat(dW, db)))


def well_conditioned(net, x, t):
    """Central differences lose about eps * E / h per element to rounding, so
    the check is only meaningful when the gradient is not tiny next to E."""
    return gradient_norm(net, x, t) >= 1e-2 * (1.0 + net.loss([x], [t]))


@pytest.mark.parametrize("hidden,loss,out", COMBOS)
def test_every_pair_passes_gradcheck(hidden, loss, out):
    rng = random.Random(f"{hidden}-{loss}-{out}")
    checked = 0
    while checked < 6:
        net, x, t = make(rng, hidden, loss, out, bias=rng.random() < 0.8)
        if not away_from_kinks(net, x) or not well_conditioned(net, x, t):
            continue
        assert pynet.gradcheck(net, x, t) < 1e-7
        checked += 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), combo=st.sampled_from(COMBOS + [("mixed", l, o) for l, o in PAIRS]),
       bias=st.booleans())
def test_random_networks_pass_gradcheck(seed, combo, bias):
    hidden, loss, out = combo
    net, x, t = make(random.Random(seed), hidden, loss, out, bias=bias)
    assume(away_from_kinks(net, x))
    assume(well_conditioned(net, x, t))
    assert pynet.gradcheck(net, x, t) < 1e-7


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), combo=st.sampled_from(COMBOS))
def test_elementwise_agreement(seed, combo):
    """Per element: relative error < 1e-6, with an absolute floor for
    gradients under 1e-6 (notes, "Gradient checking")."""
    net, x, t = make(random.Random(seed), *combo)
    assume(away_from_kinks(net, x))
    aW, ab = net.gradients(x, t)
    nW, nb = gc.numeric_gradients(net, x, t)
    for a, n in zip(gc._flat(aW, ab), gc._flat(nW, nb)):
        assert abs(a - n) <= 1e-6 * max(abs(a), abs(n), 1e-6) + 1e-9


def test_numeric_gradients_restore_parameters():
    net, x, t = make(random.Random(1), "tanh", "squared", "linear")
    before = net.to_dict()
    gc.numeric_gradients(net, x, t)
    pynet.gradcheck(net, x, t)
    assert net.to_dict() == before


def test_gradcheck_detects_a_wrong_gradient(monkeypatch):
    net, x, t = make(random.Random(2), "sigmoid", "squared", "sigmoid")
    assert pynet.gradcheck(net, x, t) < 1e-7
    real = net.gradients

    def doubled_last_layer(xx, tt):
        dW, db = real(xx, tt)
        dW[-1] = [[2 * v for v in row] for row in dW[-1]]
        return dW, db

    monkeypatch.setattr(net, "gradients", doubled_last_layer)
    assert pynet.gradcheck(net, x, t) > 1e-2


def test_gradcheck_rejects_bad_step():
    net, x, t = make(random.Random(3), "tanh", "squared", "tanh")
    with pytest.raises(ValueError, match="h"):
        pynet.gradcheck(net, x, t, h=0.0)
    with pytest.raises(TypeError, match="h"):
        pynet.gradcheck(net, x, t, h="1e-5")


def test_relative_error_definition():
    assert gc.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert math.isclose(gc.relative_error([3.0, 0.0], [0.0, 4.0]), 5.0 / 7.0, rel_tol=1e-15)
    assert gc.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0


def test_no_bias_gradients_are_zero():
    net, x, t = make(random.Random(4), "tanh", "cross_entropy", "softmax", bias=False)
    _dW, db = net.gradients(x, t)
    assert all(v == 0.0 for b in db for v in b)
    assert pynet.gradcheck(net, x, t) < 1e-7


@pytest.mark.parametrize("out", ["sigmoid", "softmax"])
def test_cross_entropy_with_saturated_outputs_is_finite(out):
    net = pynet.Network([1, 2], output_activation=out, loss="cross_entropy", bias=False)
    net.weights = [[[800.0], [-800.0]]]
    t = [0.0, 1.0]
    loss = net.loss([[1.0]], [t])
    assert math.isfinite(loss) and loss > 100
    dW, _ = net.gradients([1.0], t)
    assert all(math.isfinite(v) for row in dW[0] for v in row)


# ----------------------------------------------- the course's rule fails it
def _course_direction_error(seed, mode):
    """Relative error between the update direction (w_before − w_after)/η of
    NeuralNetwork.train and the finite-difference gradient, over all weight
    layers and over the layers below the output."""
    rng = random.Random(seed)
    sizes = [rng.randint(1, 5)] + [rng.randint(1, 6) for _ in range(rng.randint(1, 3))] + \
            [rng.randint(1, 4)]
    x = [rng.uniform(-1, 1) for _ in range(sizes[0])]
    t = [rng.uniform(0, 1) for _ in range(sizes[-1])]
    bias = rng.choice([None, 1.0])
    nn = pynet.NeuralNetwork(network_structure=sizes, learning_rate=1e-3, bias=bias,
                             mode=mode, seed=seed)
    dW, db = gc.numeric_gradients(nn.network, x, t)
    numeric = [[list(r) + ([] if bias is None else [bk]) for r, bk in zip(w, b)]
               for w, b in zip(dW, db)]
    before = nn.weights_matrices
    nn.train(x, t)
    after = nn.weights_matrices
    direction = [[[(p - q) / 1e-3 for p, q in zip(rb, ra)] for rb, ra in zip(mb, ma)]
                 for mb, ma in zip(before, after)]
    flat = lambda m: [v for layer in m for row in layer for v in row]
    return (gc.relative_error(flat(direction), flat(numeric)),
            gc.relative_error(flat(direction[:-1]), flat(numeric[:-1])))


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_course_class_gradient_mode_passes(seed):
    overall, _ = _course_direction_error(seed, "gradient")
    assert overall < 1e-7


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
@example(seed=59385542)
def test_course_mode_fails_the_gradient_check(seed):
    """Seed note S7: the course's hidden-layer update (raw errors Wᵀe through
    the just-updated weights) is not the gradient. Its relative error is of
    order 1 (>= 0.44 in 3000 random networks), but rare networks come closer
    (0.094 at seed 59385542, found by hypothesis inside Pyodide), so the test
    asks for > 0.01: still 10^5 times the exact rule's < 1e-7."""
    _, hidden = _course_direction_error(seed, "course")
    assert hidden > 0.01
