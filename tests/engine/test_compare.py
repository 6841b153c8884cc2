"""The engine half of ``pynet.compare``: the course's rule against the exact
gradient on two copies of one network (``compare_rules``), and classes and
regression values as targets in (0, 1). CPython and Pyodide."""

from __future__ import annotations

import math
import random

import pytest

from pynet.compare import _unit_targets, compare_rules
from pynet.course import NeuralNetwork

X = [[0.1 * i, 0.05 * (7 - i)] for i in range(8)]
T = [0.99 if i % 2 else 0.01 for i in range(8)]


def test_both_copies_start_equal_and_the_exact_curve_is_online_gradient_descent():
    r = compare_rules(X, T, [3], 0.5, 4, seed=5)
    assert len(r["course"]) == len(r["gradient"]) == 4
    # replay the exact copy by hand with pynet's course class in gradient mode
    nn = NeuralNetwork(network_structure=[2, 3, 1], learning_rate=0.5, bias=1.0, mode="gradient", seed=5)
    course = NeuralNetwork(network_structure=[2, 3, 1], learning_rate=0.5, bias=1.0, mode="course", seed=5)
    assert nn.weights_matrices == course.weights_matrices  # the same start
    assert math.isclose(r["start_loss"], nn.network.loss(X, [[t] for t in T]), rel_tol=1e-12)
    rng = random.Random(5)
    order = list(range(len(X)))
    want = []
    for _ in range(4):
        rng.shuffle(order)
        for i in order:
            nn.train(X[i], [T[i]])
        want.append(nn.network.loss(X, [[t] for t in T]))
    assert r["gradient"] == want


def test_the_course_rule_differs_from_the_gradient_with_a_hidden_layer():
    r = compare_rules(X, T, [3], 0.5, 3, seed=2)
    assert r["course"] != r["gradient"]
    assert all(math.isfinite(v) for v in r["course"] + r["gradient"])


def test_unit_targets_map_classes_and_scale_regression():
    assert _unit_targets([-1.0, 1.0, 1.0], True) == [0.01, 0.99, 0.99]
    got = _unit_targets([-2.0, 0.0, 2.0], False)
    assert got[0] == pytest.approx(0.01) and got[1] == pytest.approx(0.5) and got[2] == pytest.approx(0.99)
