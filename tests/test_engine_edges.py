"""Issue 10, engine side: the defects a hostile review found, and tests for the
mutations that used to leave the whole suite green. Each test names the
defect or mutation it kills. CPython and Pyodide alike (no numpy)."""

from __future__ import annotations

import json
import math
import time

import pytest

import pynet
from pynet import fast
from pynet import trace as trace_module
from pynet.errors import DivergedError
from pynet.network import Network

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


def test_overflowing_sum_of_finite_weights_in_row_wise_code():
    n = Network([2, 30, 30, 1], output_activation="tanh", bias=False, seed=1)
    assert "dot(" in fast.source(n)
    n.weights[0][0] = [1e308, 1e308]            # (in place, as a user may)
    n.fit([[0.0, 0.0]], [[0.0]], epochs=1)
    assert n.weights[0][0] == [1e308, 1e308]


def test_course_class_sum_overflow_is_not_divergence():
    nn = pynet.NeuralNetwork(2, 1, 1, 0.1, seed=0)
    nn.wih = [[1e308, 1e308]]
    nn.train([0.0, 0.0], [0.5])
    assert nn.wih == [[1e308, 1e308]]


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


# ------------------------------- mutations: copy / to_dict / the generator
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


# ------------------------------------- mutation: the TINY boundary itself
def test_proportional_rule_at_exactly_the_tiny_boundary_is_sum():
    # |Σ w| = 1.0 and TINY · Σ|w| = 0.01 · 100.0 = 1.0 exactly (all exact in binary)
    net = Network([2, 1], output_activation="linear", bias=False)
    net.weights = [[[50.5, -49.5]]]
    assert abs(50.5 + -49.5) == trace_module.TINY * (50.5 + 49.5)
    tr = net.backprop([0.0, 0.0], [2.0])
    assert tr.share_rules == [["sum"]]
    assert tr.shares["proportional"][0][0] == [2.0 * 50.5 / 1.0, 2.0 * -49.5 / 1.0]
    net.weights = [[[50.5, -49.50000000000001]]]     # just below: abs_sum
    assert net.backprop([0.0, 0.0], [2.0]).share_rules == [["abs_sum"]]


# ---------------------------------------- mutation: l1 at a weight of 0
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


# -------------------------- mutation: biases in the fast path's check
@pytest.mark.parametrize("layers", [[2, 3, 1], [2, 20, 20, 1]])
def test_fast_path_refuses_an_infinite_bias(layers):
    """Input 0 and biases 0 make every weight gradient exactly 0, so only the
    biases overflow (η = 1e300 times a delta of 1e10)."""
    net = Network(layers, activation="tanh", output_activation="linear",
                  learning_rate=1e300, seed=0)
    net.biases = [[0.0] * n for n in layers[1:]]
    assert ("dot(" in fast.source(net)) == (layers[1] == 20)
    before = net.to_dict()
    with pytest.raises(DivergedError, match="non-finite") as info:
        net.fit([[0.0, 0.0]], [[1e10]])
    assert info.value.step == 1 and info.value.epoch == 1
    assert net.to_dict() == before


# ------------------ mutation: row-wise bias step over a short last batch
@pytest.mark.parametrize("n, batch", [(7, 3), (11, 4), (5, 2)])
def test_row_wise_bias_step_uses_the_real_size_of_a_short_last_batch(n, batch):
    layers = [3, 20, 16, 2]
    net = Network(layers, activation="tanh", output_activation="linear", seed=n)
    assert "dot(" in fast.source(net)
    X = [[(i * 7 % 5) / 5, (i % 3) - 1.0, i / n] for i in range(n)]
    T = [[math.sin(i), math.cos(i)] for i in range(n)]
    ref = net.copy()
    net.fit(X, T, epochs=1, batch_size=batch, shuffle=False)
    for s in range(0, n, batch):
        ref._step(X[s:s + batch], T[s:s + batch], ref.learning_rate)
    for got, want in zip(net.biases, ref.biases):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


# ---------------------------- mutation: the fast path's divergence step
@pytest.mark.parametrize("layers", [[2, 3, 1], [40, 30, 2]])
def test_fast_path_names_the_failing_step_within_the_epoch(layers):
    net = Network(layers, activation="linear", output_activation="linear",
                  learning_rate=0.5, seed=3)
    X = [[float(i % 5 + 1) * 3] * layers[0] for i in range(30)]
    T = [[float(i)] * layers[-1] for i in range(30)]
    ref, start = net.copy(), net.copy()
    done = 0
    with pytest.raises(DivergedError):
        for i in range(30):
            ref._step([X[i]], [T[i]], ref.learning_rate)
            done += 1
    with pytest.raises(DivergedError) as info:
        fast.epoch(net, X, T, list(range(30)), 1, 0.0, 0.0)
    assert info.value.step == done + 1
    with pytest.raises(DivergedError) as info:
        start.fit(X, T, epochs=1, shuffle=False)
    assert info.value.step == done + 1 and done > 1


# --------------------------- mutation: a set is not an ordered vector
@pytest.mark.parametrize("value", [{1.0, 2.0}, frozenset({1.0, 2.0}), {"a": 1.0, "b": 2.0}])
def test_unordered_collections_are_not_vectors(value):
    with pytest.raises(TypeError, match="x: expected a sequence of numbers"):
        Network([2, 1]).run(value)
    with pytest.raises(TypeError, match=r"X: expected a sequence of samples"):
        Network([2, 1]).predict(value)


# ------------------------- defect 8: the kernel cache is bounded (LRU)
def test_kernel_cache_keeps_the_most_recently_used_shapes(monkeypatch):
    monkeypatch.setattr(fast, "_CACHE", {})
    monkeypatch.setattr(fast, "_SOURCES", {})
    monkeypatch.setattr(fast, "CACHE_SIZE", 3)
    nets = [Network([2, k, 1]) for k in range(1, 6)]
    first = fast.kernel(nets[0])
    fast.kernel(nets[1])
    fast.kernel(nets[2])
    assert fast.kernel(nets[0]) is first        # used again: now the most recent
    fast.kernel(nets[3])                        # evicts nets[1], the least recent
    assert len(fast._CACHE) == 3 and len(fast._SOURCES) == 3
    keys = [fast._key(n, False) for n in nets]
    assert keys[1] not in fast._CACHE and keys[0] in fast._CACHE
    assert fast.kernel(nets[0]) is first
    fast.kernel(nets[4])                        # evicts nets[2]
    assert set(fast._CACHE) == {keys[0], keys[3], keys[4]} == set(fast._SOURCES)
    assert "w0_0_0" in fast.source(nets[1])     # rebuilt on demand, still bounded
    assert len(fast._CACHE) == 3


def test_default_cache_size_is_bounded():
    assert 1 <= fast.CACHE_SIZE <= 64
