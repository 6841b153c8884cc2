"""pynet.fast (the generated, shape-specialised epoch) against the reference.

The reference is a loop of ``Network._step`` over consecutive chunks of the
order -- exactly what ``Network.fit`` did before the fast path. Both run on
copies with identical weights and order; weights, biases and the epoch loss
must agree to 1e-12 (relative, or absolute below 1). Then the fast path's
refusals, the step it names when a run diverges, and its bounded cache of
kernels. Runs under CPython and inside Pyodide: no numpy.
"""

from __future__ import annotations

import itertools
import math
import random
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pynet import fast
from pynet.errors import DivergedError
from pynet.network import Network

TOL = 1e-12
HIDDEN = ("sigmoid", "tanh", "relu", "linear")
OUT_LOSS = (("sigmoid", "squared"), ("tanh", "squared"), ("linear", "squared"),
            ("softmax", "squared"), ("sigmoid", "cross_entropy"),
            ("softmax", "cross_entropy"))


# ----------------------------------------------------------------- helpers
def reference_epoch(net, rows, targets, order, batch_size, l1, l2):
    """One epoch with the readable reference step (the fast path's spec)."""
    total = 0.0
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        total += net._step([rows[i] for i in idx], [targets[i] for i in idx],
                           net.learning_rate, l1, l2) * len(idx)
    return total / len(order)


def close(a: float, b: float, tol: float = TOL) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


def assert_same_params(fast_net, ref_net, tol=TOL):
    for l, (wf, wr) in enumerate(zip(fast_net.weights, ref_net.weights)):
        for k, (rf, rr) in enumerate(zip(wf, wr)):
            assert len(rf) == len(rr)
            for j, (a, b) in enumerate(zip(rf, rr)):
                assert close(a, b, tol), f"weights[{l}][{k}][{j}]: fast {a!r} != reference {b!r}"
    for l, (bf, br) in enumerate(zip(fast_net.biases, ref_net.biases)):
        assert len(bf) == len(br)
        for k, (a, b) in enumerate(zip(bf, br)):
            assert close(a, b, tol), f"biases[{l}][{k}]: fast {a!r} != reference {b!r}"


def make_data(rng, layers, n, out, loss):
    rows = [[rng.uniform(-2.0, 2.0) for _ in range(layers[0])] for _ in range(n)]
    m = layers[-1]
    if loss == "cross_entropy" and out == "softmax":
        targets = []
        for _ in range(n):
            if rng.random() < 0.7:                 # one-hot
                t = [0.0] * m
                t[rng.randrange(m)] = 1.0
            else:                                  # soft targets, not summing to 1
                t = [rng.random() for _ in range(m)]
            targets.append(t)
    elif out == "sigmoid" or loss == "cross_entropy":
        targets = [[rng.random() for _ in range(m)] for _ in range(n)]
    else:
        targets = [[rng.uniform(-1.0, 1.0) for _ in range(m)] for _ in range(n)]
    return rows, targets


def compare(layers, hidden, out, loss, bias, n, batch_size, l1, l2, seed,
            lr=0.1, epochs=1, tol=TOL):
    """Run ``epochs`` epochs fast and reference from the same state; assert equal."""
    rng = random.Random(seed)
    net = Network(layers, activation=list(hidden), output_activation=out, loss=loss,
                  bias=bias, learning_rate=lr, init="xavier", seed=seed)
    rows, targets = make_data(rng, layers, n, out, loss)
    f, r = net.copy(), net.copy()
    for _ in range(epochs):
        order = list(range(n))
        rng.shuffle(order)
        try:
            er = reference_epoch(r, rows, targets, order, batch_size, l1, l2)
        except DivergedError as exc:       # then fast diverges the same way
            with pytest.raises(DivergedError) as info:
                fast.epoch(f, rows, targets, order, batch_size, l1, l2)
            assert str(info.value) == str(exc)
            assert_same_params(f, r, tol)
            return
        ef = fast.epoch(f, rows, targets, order, batch_size, l1, l2)
        assert isinstance(ef, float)
        assert close(ef, er, tol), f"epoch loss: fast {ef!r} != reference {er!r}"
        assert_same_params(f, r, tol)


def n_params(layers):
    return sum(a * b + b for a, b in itertools.pairwise(layers))


# ---------------------------------------------------- agreement, small nets
@pytest.mark.parametrize("out,loss", OUT_LOSS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("bias", [True, False])
def test_every_configuration_matches_reference(hidden, out, loss, bias):
    seed = zlib.crc32(repr((hidden, out, loss, bias)).encode()) % 10_000
    rng = random.Random(seed)
    for case in range(3):
        n_hidden = 1 + case                       # 1, 2 and 3 hidden layers
        layers = [rng.randint(1, 6) for _ in range(n_hidden + 2)]
        n = rng.randint(1, 23)
        batch_size = rng.choice([1, n, rng.randint(1, n), 7])
        l1, l2 = [(0.0, 0.0), (0.01, 0.0), (0.0, 0.03), (0.02, 0.05)][(case + seed) % 4]
        compare(layers, [hidden] * n_hidden, out, loss, bias, n, batch_size, l1, l2,
                seed=seed + case)


@pytest.mark.parametrize("out,loss", OUT_LOSS)
def test_no_hidden_layer_and_one_node_layers(out, loss):
    for i, layers in enumerate(([3, 1], [1, 4], [1, 1, 1], [2, 1, 1, 3])):
        compare(layers, ["tanh"] * (len(layers) - 2), out, loss, True, 9, 4, 0.0, 0.0,
                seed=i)


def test_mixed_hidden_activations_and_several_epochs():
    for i, hidden in enumerate(itertools.permutations(HIDDEN, 3)):
        compare([3, 5, 4, 3, 2], hidden, "softmax", "cross_entropy", i % 2 == 0, 17,
                1 + i % 6, 0.01 * (i % 2), 0.02 * (i % 3 == 0), seed=i, epochs=2)


def test_batch_sizes_dividing_or_not():
    for batch_size in range(1, 14):
        compare([2, 4, 2, 1], ["tanh", "tanh"], "tanh", "squared", True, 12, batch_size, 0.0, 0.0,
                seed=batch_size, lr=0.03)


def test_playground_default_over_several_epochs():
    # The unrolled code sums in the reference's order, so on every runtime
    # the result is usually bit-identical; the test only demands 1e-12.
    compare([2, 4, 2, 1], ["tanh", "tanh"], "tanh", "squared", True, 250, 10, 0.0, 0.0,
            seed=1, lr=0.03, epochs=3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_networks_match_reference(data):
    n_hidden = data.draw(st.integers(0, 3), "hidden layers")
    layers = data.draw(st.lists(st.integers(1, 6), min_size=n_hidden + 2,
                                max_size=n_hidden + 2), "layers")
    hidden = data.draw(st.lists(st.sampled_from(HIDDEN), min_size=n_hidden,
                                max_size=n_hidden), "hidden")
    out, loss = data.draw(st.sampled_from(OUT_LOSS), "output, loss")
    bias = data.draw(st.booleans(), "bias")
    n = data.draw(st.integers(1, 20), "samples")
    batch_size = data.draw(st.integers(1, n + 2), "batch size")
    l1 = data.draw(st.sampled_from([0.0, 0.001, 0.05]), "l1")
    l2 = data.draw(st.sampled_from([0.0, 0.002, 0.1]), "l2")
    lr = data.draw(st.sampled_from([0.01, 0.3, 1.0]), "learning rate")
    seed = data.draw(st.integers(0, 2**16), "seed")
    compare(layers, hidden, out, loss, bias, n, batch_size, l1, l2, seed=seed, lr=lr)


# ---------------------------------------------------- agreement, large nets
@pytest.mark.parametrize("out,loss", OUT_LOSS)
def test_large_networks_use_row_wise_code_and_match(out, loss):
    layers = [9, 20, 16, 5]
    assert n_params(layers) > fast.UNROLL_LIMIT
    net = Network(layers, activation=["relu", "sigmoid"], output_activation=out, loss=loss)
    assert "dot(" in fast.source(net)            # the row-wise generator
    for i, (bias, batch_size, l1, l2) in enumerate([(True, 1, 0.0, 0.0), (False, 7, 0.01, 0.02),
                                                    (True, 40, 0.0, 0.01)]):
        compare(layers, ["relu", "sigmoid"], out, loss, bias, 40, batch_size, l1, l2,
                seed=100 + i)
    compare([12, 30, 10], ["tanh"], out, loss, True, 30, 10, 0.0, 0.0, seed=7, epochs=2)
    compare([30, 4, 3, 4, 12], ["linear", "tanh", "sigmoid"], out, loss, True, 25, 3,
            0.0, 0.0, seed=8)


def test_small_networks_are_unrolled():
    net = Network([2, 4, 2, 1], activation="tanh")
    src = fast.source(net)
    assert "w0_0_0" in src and "dot(" not in src


def test_generated_code_grows_linearly():
    def size(layers):
        return len(fast.source(Network(layers, activation="tanh")))
    # row-wise code does not depend on the widths at all
    assert size([64, 32, 10]) == size([640, 320, 100])
    # unrolled code grows with the number of weights, not faster
    small, double = size([4, 5, 3]), size([8, 10, 6])
    assert double < 5 * small


# ------------------------------------------------------------- fit uses it
def test_fit_matches_reference_with_shuffling():
    rng = random.Random(3)
    rows, targets = make_data(rng, [2, 3, 1], 31, "tanh", "squared")
    net = Network([2, 5, 3, 1], activation=["tanh", "relu"], output_activation="tanh",
                  learning_rate=0.05, seed=11)
    ref = net.copy()
    history = net.fit(rows, targets, epochs=4, batch_size=6, l1=0.001, l2=0.01)
    order = list(range(len(rows)))
    for e in range(4):
        ref.rng.shuffle(order)
        expected = reference_epoch(ref, rows, targets, order, 6, 0.001, 0.01)
        assert close(history[e], expected)
    assert_same_params(net, ref)


# ---------------------------------------------------------------- in place
def test_weights_written_back_in_place():
    for layers in ([2, 4, 2, 1], [10, 30, 20, 2]):     # unrolled and row-wise
        net = Network(layers, activation="tanh", seed=5)
        rows, targets = make_data(random.Random(1), layers, 12, "sigmoid", "squared")
        weight_lists = list(net.weights)
        row_objects = [row for w in net.weights for row in w]
        bias_objects = list(net.biases)
        before = [list(row) for row in row_objects]
        fast.epoch(net, rows, targets, list(range(12)), 5, 0.0, 0.0)
        assert all(a is b for a, b in zip(weight_lists, net.weights))
        assert all(a is b for a, b in zip(row_objects, (r for w in net.weights for r in w)))
        assert all(a is b for a, b in zip(bias_objects, net.biases))
        assert any(row != old for row, old in zip(row_objects, before))
        assert all(type(v) is float for row in row_objects for v in row)


def test_inputs_are_not_modified():
    net = Network([3, 4, 2], activation="relu", output_activation="softmax",
                  loss="cross_entropy", seed=2)
    rows, targets = make_data(random.Random(2), [3, 4, 2], 10, "softmax", "cross_entropy")
    copies = ([list(r) for r in rows], [list(t) for t in targets])
    order = list(range(10))[::-1]
    fast.epoch(net, rows, targets, order, 3, 0.1, 0.1)
    assert (rows, targets, order) == (*copies, list(range(10))[::-1])


# ----------------------------------------------------------------- cache
def test_kernel_is_cached_per_shape():
    a = Network([3, 7, 2], activation="sigmoid", seed=1)
    b = Network([3, 7, 2], activation="sigmoid", seed=2, learning_rate=0.5)
    fn = fast.kernel(a)
    size = len(fast._CACHE)
    assert fast.kernel(b) is fn
    assert len(fast._CACHE) == size
    fast.epoch(b, [[0.1, 0.2, 0.3]], [[0.5, 0.5]], [0], 1, 0.0, 0.0)
    assert len(fast._CACHE) == size               # same shape, no new code
    assert fast.kernel(Network([3, 7, 2], activation="tanh")) is not fn
    assert fast.kernel(Network([3, 7, 2], activation="sigmoid", bias=False)) is not fn
    assert fast.kernel(Network([3, 7, 3], activation="sigmoid")) is not fn
    assert fast.kernel(a, reg=True) is not fn


# ------------------------------------------------------------- divergence
def reference_until_divergence(net, rows, targets, order, batch_size, l1, l2):
    """Reference steps until one raises; returns (steps done, exception)."""
    for s, start in enumerate(range(0, len(order), batch_size)):
        idx = order[start:start + batch_size]
        try:
            net._step([rows[i] for i in idx], [targets[i] for i in idx],
                      net.learning_rate, l1, l2)
        except DivergedError as exc:
            return s, exc
    return None, None


def diverging_case(layers, out, loss, lr, bias=True, hidden="tanh", seed=0, n=40,
                   batch_size=4, l2=0.0):
    rng = random.Random(seed)
    net = Network(layers, activation=hidden, output_activation=out, loss=loss, bias=bias,
                  learning_rate=lr, seed=seed)
    rows, targets = make_data(rng, layers, n, out, loss)
    rows = [[10.0 * v for v in r] for r in rows]
    order = list(range(n))
    rng.shuffle(order)
    ref = net.copy()
    step, exc = reference_until_divergence(ref, rows, targets, order, batch_size, 0.0, l2)
    return net, ref, rows, targets, order, step, exc


@pytest.mark.parametrize("layers,out,loss,lr,hidden", [
    ([2, 3, 1], "linear", "squared", 1.0, "linear"),        # loss overflows mid-epoch
    ([2, 4, 2, 1], "linear", "squared", 0.3, "linear"),
    ([3, 5, 3], "softmax", "cross_entropy", 1e306, "linear"),
    ([3, 5, 3], "softmax", "cross_entropy", 1e308, "linear"),  # weights overflow
    ([2, 1], "linear", "squared", 1e307, "linear"),
    ([40, 30, 2], "linear", "squared", 1.0, "linear"),     # row-wise code
])
def test_divergence_rolls_back_the_bad_step(layers, out, loss, lr, hidden):
    net, ref, rows, targets, order, _step, exc = diverging_case(layers, out, loss, lr,
                                                               hidden=hidden)
    assert exc is not None, "case does not diverge"
    old_rows = [row for w in net.weights for row in w]
    with pytest.raises(DivergedError) as info:
        fast.epoch(net, rows, targets, order, 4, 0.0, 0.0)
    # the network is the reference's state before the failing step
    assert_same_params(net, ref)
    assert str(info.value) == str(exc)
    assert (info.value.loss == exc.loss or
            (math.isnan(info.value.loss) and math.isnan(exc.loss)) or
            close(info.value.loss, exc.loss))
    assert all(a is b for a, b in zip(old_rows, (r for w in net.weights for r in w)))
    assert all(math.isfinite(v) for w in net.weights for row in w for v in row)


def test_divergence_at_first_step_changes_nothing():
    net = Network([2, 2, 1], activation="linear", output_activation="linear",
                  learning_rate=1e300, seed=1)
    before = net.to_dict()
    with pytest.raises(DivergedError, match="non-finite"):
        fast.epoch(net, [[1e10, 1e10], [1.0, 2.0]], [[0.0], [1.0]], [0, 1], 1, 0.0, 0.0)
    assert net.to_dict() == before


def test_divergence_found_mid_epoch_keeps_earlier_steps():
    for seed in range(30):
        net, ref, rows, targets, order, step, exc = diverging_case(
            [2, 3, 1], "linear", "squared", 0.9, hidden="linear", seed=seed, n=60,
            batch_size=2)
        if exc is not None and step and step > 1:
            break
    else:
        pytest.fail("no seed diverges mid-epoch")
    start = net.copy()
    with pytest.raises(DivergedError):
        fast.epoch(net, rows, targets, order, 2, 0.0, 0.0)
    assert_same_params(net, ref)
    assert net.to_dict()["weights"] != start.to_dict()["weights"]


@pytest.mark.parametrize("layers", [[2, 3, 1], [20, 30, 1]])
def test_weights_overflowing_mid_epoch_roll_back(layers):
    # zero inputs keep the loss finite while l2 blows the weights up by 1e10 a step
    net = Network(layers, activation="tanh", output_activation="tanh", bias=False,
                  learning_rate=1.0, seed=0)
    X, T = [[0.0] * layers[0]] * 40, [[0.5]] * 40
    ref = net.copy()
    step, exc = reference_until_divergence(ref, X, T, list(range(40)), 1, 0.0, 1e10)
    assert step is not None and step > 10 and "non-finite" in str(exc)
    with pytest.raises(DivergedError) as info:
        fast.epoch(net, X, T, list(range(40)), 1, 0.0, 1e10)
    assert str(info.value) == str(exc) and close(info.value.loss, exc.loss)
    assert_same_params(net, ref)


def test_fit_reports_divergence_with_epoch():
    net = Network([2, 3, 1], activation="linear", output_activation="linear",
                  learning_rate=2.0, seed=3)
    X = [[10.0 * i, -5.0 * i] for i in range(20)]
    T = [[float(i)] for i in range(20)]
    with pytest.raises(DivergedError) as info:
        net.fit(X, T, epochs=50, batch_size=1)
    assert info.value.epoch is not None and str(info.value).startswith("epoch ")
    assert all(math.isfinite(v) for w in net.weights for row in w for v in row)


# ---------------------------------------------------------------- shuffle
def test_shuffle_is_random_shuffle():
    for seed, n in [(0, 0), (1, 1), (2, 2), (3, 250), ("x", 1000), (5, 17)]:
        a, b = random.Random(seed), random.Random(seed)
        xa, xb = list(range(n)), list(range(n))
        for _ in range(3):
            a.shuffle(xa)
            fast.shuffle(b, xb)
            assert xa == xb
        assert a.getstate() == b.getstate()

    class Mine(random.Random):
        pass

    class OwnDraws(random.Random):       # Random then shuffles with random(), not getrandbits
        def random(self):
            return super().random()
    for kind in (Mine, OwnDraws):
        a, b = kind(9), kind(9)
        xa, xb = list(range(30)), list(range(30))
        a.shuffle(xa)
        fast.shuffle(b, xb)
        assert xa == xb and a.getstate() == b.getstate()


# ------------------------------------------- the generated code's own edges
def test_row_wise_code_without_math_sumprod_matches_reference(monkeypatch):
    """CPython 3.11 has no math.sumprod: the row-wise code falls back to its own dot."""
    monkeypatch.delattr(math, "sumprod", raising=False)
    monkeypatch.setattr(fast, "_CACHE", {})
    monkeypatch.setattr(fast, "_SOURCES", {})
    layers = [9, 20, 16, 5]
    net = Network(layers, activation=["relu", "sigmoid"], output_activation="sigmoid")
    assert n_params(layers) > fast.UNROLL_LIMIT
    assert fast.kernel(net).__globals__["dot"].__name__ == "dot"      # not sumprod
    compare(layers, ["relu", "sigmoid"], "sigmoid", "squared", True, 40, 7, 0.0, 0.01, seed=3)


def test_source_is_the_unregularised_kernels_by_default(monkeypatch):
    monkeypatch.setattr(fast, "_CACHE", {})
    monkeypatch.setattr(fast, "_SOURCES", {})
    net = Network([2, 3, 1], seed=0)
    with_penalty = fast.source(net, True)           # built here, not found in a cache
    assert "l1 * " in with_penalty and "l2 * " in with_penalty
    plain = fast.source(net)
    assert "l1 * " not in plain and plain == fast.source(net, False)


def test_a_weight_diverging_among_the_first_of_many_is_caught():
    """Over 32 weights and biases the finiteness sum spans several lines of the
    generated code; a weight of the first line becoming infinite must count."""
    net = Network([2, 8, 8, 1], activation="tanh", output_activation="linear",
                  learning_rate=1000.0, seed=1)
    assert 32 < n_params([2, 8, 8, 1]) <= fast.UNROLL_LIMIT
    for row in net.weights[0]:
        row[0] = 0.0            # z stays small, so ∂E/∂w0_k0 = δ_k · 1e308 is huge
    before = net.to_dict()
    with pytest.raises(DivergedError, match="epoch 1, step 1: a weight became non-finite"):
        net.fit([[1e308, 0.5]], [[10.0]])
    assert net.to_dict() == before
    net.weights = before["weights"]
    net.learning_rate = 0.001                        # the same step, smaller: applied
    net.fit([[1e308, 0.5]], [[10.0]])
    assert net.to_dict() != before


@pytest.mark.parametrize("loss", ["cross_entropy", "squared"])
@pytest.mark.parametrize("n_out", [2, 3])
def test_softmax_shifts_by_the_largest_net_input(loss, n_out):
    """Softmax is computed as exp(z - max z) / Σ (activations.softmax): with the
    first net input 800 below another, exp(z_k - z_0) would overflow (inf/inf =
    NaN). The fast path must give what the reference step gives, finite."""
    net = Network([1, n_out], output_activation="softmax", loss=loss, bias=False,
                  learning_rate=0.5)
    net.weights = [[[0.0]] + [[800.0 - k] for k in range(1, n_out)]]
    ref = net.copy()
    t = [1.0] + [0.0] * (n_out - 1)
    history = net.fit([[1.0]], [t], shuffle=False)
    expected = ref.train([1.0], t)                   # the reference step
    assert math.isfinite(history[0]) and close(history[0], expected)
    assert_same_params(net, ref)


def test_a_bias_diverging_alone_in_row_wise_code_is_caught():
    """Row-wise code, one weight layer with biases: the finiteness check looks at
    the weights and then the biases. With zero inputs the weights' gradient is 0
    and only the bias step overflows."""
    net = Network([400, 1], activation="linear", learning_rate=1e308, seed=0)
    assert n_params([400, 1]) > fast.UNROLL_LIMIT          # the row-wise kernel
    net.biases = [[10.0]]
    before = net.to_dict()
    with pytest.raises(DivergedError, match="epoch 1, step 1: a weight became non-finite"):
        net.fit([[0.0] * 400], [[0.0]])
    assert net.to_dict() == before
    ref = Network.from_dict(before)
    with pytest.raises(DivergedError, match="a weight became non-finite"):
        ref.train([0.0] * 400, [0.0])                      # the reference agrees


def test_the_unroll_limit_is_inclusive():
    """UNROLL_LIMIT: networks with *at most* this many weights and biases are unrolled."""
    at, over = [fast.UNROLL_LIMIT - 1, 1], [fast.UNROLL_LIMIT, 1]
    assert n_params(at) == fast.UNROLL_LIMIT and n_params(over) == fast.UNROLL_LIMIT + 1
    unrolled = fast.source(Network(at, activation="tanh"))
    assert "w0_0_0" in unrolled and "dot(" not in unrolled
    row_wise = fast.source(Network(over, activation="tanh"))
    assert "w0_0_0" not in row_wise and "dot(" in row_wise


def test_overflowing_sum_of_finite_weights_in_row_wise_code():
    n = Network([2, 30, 30, 1], output_activation="tanh", bias=False, seed=1)
    assert "dot(" in fast.source(n)
    n.weights[0][0] = [1e308, 1e308]            # (in place, as a user may)
    n.fit([[0.0, 0.0]], [[0.0]], epochs=1)
    assert n.weights[0][0] == [1e308, 1e308]


# -------------------------- biases in the fast path's check
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


# ------------------ row-wise bias step over a short last batch
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


# ---------------------------- the fast path's divergence step
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
