"""pynet.forward, the generated forward pass behind the page's heatmaps,
losses and accuracy: bit for bit ``network.propagate`` on small networks,
within rounding in the row-wise code of large ones, and a bounded cache of
kernels. CPython and Pyodide."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pynet.network import Network


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=3), st.integers(1, 4),
       st.lists(st.sampled_from(["tanh", "sigmoid", "relu", "linear"]), min_size=3, max_size=3),
       st.sampled_from(["tanh", "sigmoid", "linear", "softmax"]), st.booleans(),
       st.integers(0, 1000))
def test_generated_grid_forward_pass_is_the_reference_bit_for_bit(hidden, n_in, acts, out,
                                                                 neurons, seed):
    from pynet import forward
    from pynet.network import propagate
    net = Network([n_in, *hidden, 3], activation=acts[:len(hidden)], output_activation=out,
                  init="xavier", seed=seed)
    pts = [[(i * 7 % 11 - 5) * 0.7 + j for j in range(n_in)] for i in range(9)]
    got = forward.outputs(net, pts, neurons)
    first = 1 if neurons else len(net.layers) - 1
    want = [tuple(v for a in propagate(net.weights, net.biases, net.layer_activations, p)[1][first:]
                  for v in a) for p in pts]
    assert got == want


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=3), st.integers(1, 4),
       st.lists(st.sampled_from(["tanh", "sigmoid", "relu", "linear"]), min_size=3, max_size=3),
       st.sampled_from(["tanh", "sigmoid", "linear", "softmax"]), st.integers(1, 4),
       st.integers(0, 1000))
def test_generated_last_layer_pass_is_the_reference_bit_for_bit(hidden, n_in, acts, out, n_out, seed):
    # the losses and accuracy the page shows while playing come from this pass
    from pynet import forward
    from pynet.network import propagate
    if out == "softmax" and n_out == 1:
        n_out = 2
    net = Network([n_in, *hidden, n_out], activation=acts[:len(hidden)], output_activation=out,
                  init="xavier", seed=seed)
    pts = [[(i * 7 % 11 - 5) * 0.7 + j for j in range(n_in)] for i in range(9)]
    got = forward.last_layer(net, pts)
    want = [(zs[-1], a[-1]) for zs, a in
            (propagate(net.weights, net.biases, net.layer_activations, p) for p in pts)]
    assert [(list(z), list(o)) for z, o in got] == want


def test_large_networks_measure_as_the_reference_up_to_rounding():
    from pynet import fast, forward
    net = Network([64, 16, 10], output_activation="softmax", seed=1)
    assert sum(a * b + b for a, b in zip(net.layers, net.layers[1:])) > fast.UNROLL_LIMIT
    pts = [[j / 64 for j in range(64)], [0.5] * 64]
    for (z, o), p in zip(forward.last_layer(net, pts), pts):
        zs, acts = net.forward(p)
        assert z == pytest.approx(zs[-1], rel=1e-12) and o == pytest.approx(acts[-1], rel=1e-12)


def test_forward_kernel_cache_is_bounded():
    from pynet import forward
    forward._CACHE.clear()
    for n in range(1, forward.CACHE_LIMIT + 6):
        net = Network([2, n, 1], seed=1)
        forward.outputs(net, [[0.1, 0.2]])
        assert len(forward._CACHE) <= forward.CACHE_LIMIT
    assert len(forward._CACHE) == forward.CACHE_LIMIT
    # the newest shapes are kept, the oldest forgotten
    assert any(k[0] == (2, forward.CACHE_LIMIT + 5, 1) for k in forward._CACHE)
    assert not any(k[0] == (2, 1, 1) for k in forward._CACHE)


@pytest.mark.parametrize("neurons", [False, True])
@pytest.mark.parametrize("layers, hidden, out", [
    ([64, 16, 10], ["sigmoid"], "softmax"), ([64, 32, 10], ["tanh"], "sigmoid"),
    ([4, 64, 64, 3], ["relu", "tanh"], "linear")])
def test_large_networks_forward_row_by_row_as_the_reference_up_to_rounding(layers, hidden, out, neurons):
    from pynet import fast, forward
    from pynet.network import propagate
    net = Network(layers, activation=hidden, output_activation=out, seed=1)
    assert sum(a * b + b for a, b in zip(net.layers, net.layers[1:])) > fast.UNROLL_LIMIT
    pts = [[(j % 7) / 7 - 0.3 for j in range(layers[0])], [0.5] * layers[0],
           [((i * 13) % 17) / 17 for i in range(layers[0])]]
    first = 1 if neurons else len(layers) - 1
    want = [[v for a in propagate(net.weights, net.biases, net.layer_activations, p)[1][first:] for v in a]
            for p in pts]
    got = forward.outputs(net, pts, neurons)
    assert [len(g) for g in got] == [len(w) for w in want]
    for g, w in zip(got, want):
        assert g == pytest.approx(w, rel=1e-12, abs=1e-12)
