"""pynet.paths on its own (CPython and Pyodide): the path count, the listed
paths are the largest, the multiplication counts, the nudge's central
difference converges at order ε², the network is never changed, and bad
arguments are refused by name."""

from __future__ import annotations

import itertools
import math
import random

import pytest

import pynet
from pynet import paths


def net_and_sample(layers, hidden="tanh", out="tanh", seed=3):
    net = pynet.Network(layers, activation=hidden, output_activation=out, seed=seed)
    rng = random.Random(seed)
    return net, [rng.uniform(-1, 1) for _ in range(layers[0])], \
        [rng.uniform(-0.9, 0.9) for _ in range(layers[-1])]


def all_products(net, x, t, l, k, j):
    """Every path's product, by brute force over the layers after the destination."""
    r = paths.paths(net, [x], [t], l, k, j, limit=10_000)
    assert len(r["paths"]) == r["count"]
    return sorted((abs(p["product"]) for p in r["paths"]), reverse=True)


@pytest.mark.parametrize("layers,l,count", [([2, 3, 1], 0, 1), ([2, 3, 1], 1, 1),
                                            ([2, 4, 3, 2], 0, 6), ([3, 2, 5, 4, 2], 0, 40),
                                            ([3, 2, 5, 4, 2], 2, 2)])
def test_the_path_count_is_the_product_of_the_widths_after_the_destination(layers, l, count):
    net, x, t = net_and_sample(layers)
    assert paths.paths(net, [x], [t], l, 0, 0)["count"] == count == paths.path_count(layers, l)


def test_the_listed_paths_are_the_largest_by_absolute_product():
    net, x, t = net_and_sample([2, 6, 6, 6, 2])   # 72 paths from a first-layer weight
    every = all_products(net, x, t, 0, 3, 1)
    r = paths.paths(net, [x], [t], 0, 3, 1, limit=10)
    assert r["count"] == 72 and len(r["paths"]) == 10
    assert [abs(p["product"]) for p in r["paths"]] == pytest.approx(every[:10], rel=1e-15)
    assert r["sum"] == pytest.approx(r["gradient"], rel=1e-12, abs=1e-15)


def test_a_network_with_millions_of_paths_lists_fifty_and_counts_them_all():
    net, x, t = net_and_sample([2, 30, 30, 30, 30, 30, 2], seed=1)
    r = paths.paths(net, [x], [t], 0, 0, 0)
    assert r["count"] == 30 ** 4 * 2 == 1_620_000
    assert len(r["paths"]) == paths.PATH_LIMIT == 50
    assert r["sum"] == pytest.approx(r["gradient"], rel=1e-9, abs=1e-15)


def test_multiplications_count_each_paths_factors_and_backprops_deltas():
    layers = [2, 3, 2, 2]
    net, x, t = net_and_sample(layers)
    by_paths = 0
    for l, w in enumerate(net.weights):
        for k, j in itertools.product(range(len(w)), range(len(w[0]))):
            r = paths.paths(net, [x], [t], l, k, j, limit=10_000)
            by_paths += sum(len(p["factors"]) - 1 for p in r["paths"])
    weights = 2 * 3 + 3 * 2 + 2 * 2
    deltas = 3 * (2 + 1) + 2 * (2 + 1)   # hidden layers: Σ_k w_kj δ_k, then × f'
    assert paths.multiplications(layers) == {"paths": by_paths, "backprop": weights + deltas}


def test_paths_grow_with_the_product_of_widths_and_backprop_with_the_weights():
    small, big = paths.multiplications([2, 8, 8, 1]), paths.multiplications([2, 8, 8, 8, 8, 1])
    assert small["paths"] > small["backprop"]
    assert big["paths"] / big["backprop"] > 10 * small["paths"] / small["backprop"]


@pytest.mark.parametrize("hidden,out", [("sigmoid", "sigmoid"), ("tanh", "linear"), ("tanh", "tanh")])
def test_the_central_difference_agrees_with_the_gradient_at_order_eps_squared(hidden, out):
    net, x, t = net_and_sample([2, 3, 2, 1], hidden, out)
    errors = []
    for eps in (1e-1, 1e-2):
        r = paths.nudge(net, [x], [t], 0, 1, 0, eps)
        assert r["numeric"] == (r["loss_plus"] - r["loss_minus"]) / (2 * eps)
        errors.append(abs(r["numeric"] - r["gradient"]))
    assert errors[1] < errors[0] / 30       # ε ten times smaller: the error ~100 times smaller
    r = paths.nudge(net, [x], [t], 0, 1, 0)
    assert r["eps"] == 1e-4 and r["agree_digits"] >= 6


def test_nudge_paths_and_the_linear_guess_leave_the_network_exactly_as_it_was():
    net, x, t = net_and_sample([2, 3, 2, 1])
    before, rng = net.to_dict(), net.rng.getstate()
    paths.nudge(net, [x], [t], 1, 1, 2, 0.5)
    paths.paths(net, [x], [t], 0, 0, 0)
    trace = net.backprop(x, t)
    paths.linear_guess(net, [x], [t], trace.updates, trace.bias_updates, 0, 0, 0)
    assert net.to_dict() == before and net.rng.getstate() == rng


def test_the_linear_guess_of_a_step_is_close_for_a_small_rate_and_exact_to_first_order():
    net, x, t = net_and_sample([2, 3, 1])
    guesses = []
    for lr in (0.1, 0.01):
        net.learning_rate = lr
        trace = net.backprop(x, t)
        r = paths.linear_guess(net, [x], [t], trace.updates, trace.bias_updates, 0, 2, 1)
        assert r["step"]["actual"] == pytest.approx(trace.loss_after, rel=1e-12)
        assert r["weight"]["delta"] == trace.updates[0][2][1]
        guesses.append(abs(r["step"]["predicted"] - r["step"]["actual"]))
    assert guesses[1] < guesses[0] / 30     # the guess's error is of second order in η


@pytest.mark.parametrize("a,b,digits", [(1.0, 1.0, 16), (1.2345, 1.2349, 3), (1.0, -1.0, 0),
                                        (0.0, 1e-9, 0), (2e-7, 2.000001e-7, 6)])
def test_agree_digits_counts_the_shared_leading_digits(a, b, digits):
    assert paths.agree_digits(a, b) == digits


@pytest.mark.parametrize("call,message", [
    (lambda n, x, t: paths.paths(n, [x], [t], 3, 0, 0), "l: expected a whole number from 0 to 1"),
    (lambda n, x, t: paths.paths(n, [x], [t], 0, 3, 0), "k: expected a whole number from 0 to 2"),
    (lambda n, x, t: paths.nudge(n, [x], [t], 0, 0, True), "j: expected"),
    (lambda n, x, t: paths.nudge(n, [x], [t], 0, 0, 0, 0.0), "eps: expected a number above 0"),
    (lambda n, x, t: paths.nudge(n, [x], [t], 0, 0, 0, math.inf), "eps"),
    (lambda n, x, t: paths.paths(n, [[1.0]], [t], 0, 0, 0), "X"),
])
def test_bad_arguments_are_refused_by_name(call, message):
    net, x, t = net_and_sample([2, 3, 1])
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(")):
        call(net, x, t)
