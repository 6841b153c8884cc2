"""``Network.backprop`` / ``Trace``: the documented fields and their
relations, the share rules at their boundaries, and exact values down to the
sign of zero (no numpy: the full reference comparison is in
tests/reference/test_network_numpy.py)."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction as F

import pytest

import pynet
from pynet import trace as trace_module
from pynet.network import Network

KEYS = {"layers", "layer_activations", "loss_name", "learning_rate", "samples", "inputs",
        "net_inputs", "activations", "targets", "errors", "loss", "loss_after", "deltas",
        "grad_weights", "grad_biases", "updates", "bias_updates", "shares", "node_errors",
        "share_rules"}


def isclose(a, b, rel=1e-12, abs_tol=1e-15):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def random_case(seed, **kw):
    rng = random.Random(seed)
    layers = [rng.randint(1, 4)] + [rng.randint(1, 5) for _ in range(rng.randint(0, 2))] + \
             [rng.randint(2, 4)]
    opts = {"activation": rng.choice(["sigmoid", "tanh", "relu", "linear"]),
                "output_activation": rng.choice(["sigmoid", "tanh", "linear", "softmax"]),
                "bias": rng.random() < 0.7, "learning_rate": rng.uniform(0.05, 1.0), "seed": seed}
    opts.update(kw)
    net = pynet.Network(layers, **opts)
    x = [rng.uniform(-1, 1) for _ in range(layers[0])]
    t = [rng.uniform(0, 1) for _ in range(layers[-1])]
    return net, x, t


def test_to_dict_is_json_with_documented_keys():
    net, x, t = random_case(0)
    tr = net.backprop(x, t)
    d = tr.to_dict()
    assert set(d) == KEYS == set(pynet.Trace.FIELDS)
    again = json.loads(json.dumps(d))
    assert again == d                                   # plain lists, floats, str, None
    assert set(d["shares"]) == set(d["node_errors"]) == {"proportional", "transposed", "gradient"}
    assert d["net_inputs"][0] is None
    assert d["samples"] == 1
    assert repr(tr).startswith("<Trace layers=")


@pytest.mark.parametrize("seed", range(10))
def test_shapes(seed):
    net, x, t = random_case(seed)
    tr = net.backprop(x, t)
    L = len(net.layers) - 1
    assert [len(a) for a in tr.activations] == net.layers
    assert [len(d) for d in tr.deltas] == net.layers[1:]
    for kind in trace_module.KINDS:
        assert len(tr.shares[kind]) == L
        assert [len(n) for n in tr.node_errors[kind]] == net.layers
        for l in range(L):
            assert [len(r) for r in tr.shares[kind][l]] == [net.layers[l]] * net.layers[l + 1]
    assert [[len(r) for r in g] for g in tr.grad_weights] == [[len(r) for r in w] for w in net.weights]
    assert tr.layer_activations == net.activation + [net.output_activation]


@pytest.mark.parametrize("seed", range(20))
def test_relations_between_fields(seed):
    net, x, t = random_case(seed)
    tr = net.backprop(x, t)
    W = net.weights
    L = len(W)
    acts = tr.activations
    assert tr.inputs == x and tr.targets == t
    assert tr.errors == [tk - ok for tk, ok in zip(t, acts[-1])]
    for l in range(L):
        rows, cols = net.layers[l + 1], net.layers[l]
        d = tr.deltas[l]
        for k in range(rows):
            for j in range(cols):
                # grad_weights = δ aᵀ; updates = −η grad
                assert tr.grad_weights[l][k][j] == d[k] * acts[l][j]
                assert tr.updates[l][k][j] == -net.learning_rate * tr.grad_weights[l][k][j]
                # per-weight shares
                assert tr.shares["transposed"][l][k][j] == W[l][k][j] * tr.node_errors["transposed"][l + 1][k]
                assert tr.shares["gradient"][l][k][j] == W[l][k][j] * d[k]
        for j in range(cols):
            # transposed node errors = Wᵀ e, gradient node errors = Wᵀ δ
            te = math.fsum(W[l][k][j] * tr.node_errors["transposed"][l + 1][k] for k in range(rows))
            ge = math.fsum(W[l][k][j] * d[k] for k in range(rows))
            assert isclose(tr.node_errors["transposed"][l][j], te)
            assert isclose(tr.node_errors["gradient"][l][j], ge)
            # each node collects the shares arriving at it
            for kind in ("proportional", "transposed", "gradient"):
                got = tr.node_errors[kind][l][j]
                want = math.fsum(tr.shares[kind][l][k][j] for k in range(rows))
                assert isclose(got, want)
        if net.bias:
            assert tr.grad_biases[l] == d
        else:
            assert tr.grad_biases[l] == [0.0] * rows
        assert tr.bias_updates[l] == [-net.learning_rate * g for g in tr.grad_biases[l]]
    assert tr.node_errors["transposed"][L] == tr.errors
    assert tr.node_errors["proportional"][L] == tr.errors
    assert tr.node_errors["gradient"][L] == tr.deltas[-1]
    # the trace's gradients are the network's
    dW, db = net.gradients(x, t)
    assert dW == tr.grad_weights and db == tr.grad_biases


@pytest.mark.parametrize("seed", range(20))
def test_loss_after_is_the_loss_after_the_real_step(seed):
    net, x, t = random_case(seed)
    tr = net.backprop(x, t)
    before = net.to_dict()
    loss = net.train(x, t)
    assert loss == tr.loss
    assert isclose(net.loss([x], [t]), tr.loss_after)
    for w, w0, u in zip(net.weights, before["weights"], tr.updates):
        for row, row0, urow in zip(w, w0, u):
            for a, b, c in zip(row, row0, urow):
                assert isclose(a, b + c)


def test_proportional_shares_sum_to_node_error_under_sum_rule():
    """Exact check with Fractions on a hand-made layer: shares_kj = e_k w_kj / Σ_i w_ki."""
    net = pynet.Network([3, 2], output_activation="linear", bias=False)
    net.weights = [[[0.5, -0.25, 1.0], [2.0, 0.5, -1.5]]]
    e = [0.375, -0.75]
    tr = net.backprop([0.0, 0.0, 0.0], e)         # o = 0, so errors are exactly e
    assert tr.share_rules == [["sum", "sum"]]
    for k, row in enumerate(net.weights[0]):
        s = sum(F(w) for w in row)
        want = [F(e[k]) * F(w) / s for w in row]
        got = tr.shares["proportional"][0][k]
        assert all(isclose(g, float(wv)) for g, wv in zip(got, want))
        assert isclose(math.fsum(got), e[k])


def test_abs_sum_rule_when_incoming_weights_nearly_cancel():
    net = pynet.Network([3, 2], output_activation="linear", bias=False)
    # |Σ w| = 0.005 < TINY (0.01) * Σ|w| (= 2.005 * 0.01): rule "abs_sum"
    # second row exactly at the threshold boundary on the "sum" side
    net.weights = [[[1.0, -1.0, 0.005], [1.0, -0.98, 0.0]]]
    assert trace_module.TINY == 0.01
    tr = net.backprop([0.0, 0.0, 0.0], [0.5, 0.25])
    assert tr.share_rules == [["abs_sum", "sum"]]
    a = 1.0 + 1.0 + 0.005
    got = tr.shares["proportional"][0][0]
    assert all(isclose(g, 0.5 * w / a) for g, w in zip(got, net.weights[0][0]))
    # shares keep the weights' signs and stay bounded, but no longer sum to e
    assert abs(math.fsum(got)) < 0.5
    assert max(abs(g) for g in got) <= 0.5
    # the "sum" row: |0.02| >= 0.01 * 1.98
    got2 = tr.shares["proportional"][0][1]
    assert isclose(math.fsum(got2), 0.25)


def test_equal_rule_when_all_incoming_weights_are_zero():
    net = pynet.Network([4, 2], output_activation="linear", bias=False)
    net.weights = [[[0.0] * 4, [0.1, 0.2, 0.3, 0.4]]]
    tr = net.backprop([0.0] * 4, [0.8, 0.4])
    assert tr.share_rules == [["equal", "sum"]]
    assert tr.shares["proportional"][0][0] == [0.2] * 4
    assert isclose(math.fsum(tr.shares["proportional"][0][0]), 0.8)


def test_rules_apply_in_hidden_layers_too():
    net = pynet.Network([2, 2, 1], activation="linear", output_activation="linear", bias=False)
    net.weights = [[[0.0, 0.0], [0.3, -0.3]], [[0.5, 0.5]]]
    tr = net.backprop([1.0, 1.0], [1.0])
    assert tr.share_rules == [["equal", "abs_sum"], ["sum"]]
    e_hidden = tr.node_errors["proportional"][1]
    assert isclose(e_hidden[0], tr.errors[0] / 2) and isclose(e_hidden[1], tr.errors[0] / 2)
    assert tr.shares["proportional"][0][0] == [e_hidden[0] / 2] * 2
    assert isclose(tr.shares["proportional"][0][1][0], e_hidden[1] * 0.3 / 0.6)
    assert isclose(tr.shares["proportional"][0][1][1], -e_hidden[1] * 0.3 / 0.6)


def test_batch_trace_is_mean_of_single_traces():
    net, _, _ = random_case(3, output_activation="sigmoid")
    rng = random.Random(9)
    X = [[rng.uniform(-1, 1) for _ in range(net.layers[0])] for _ in range(5)]
    T = [[rng.uniform(0, 1) for _ in range(net.layers[-1])] for _ in range(5)]
    batch = net.backprop_batch(X, T)
    singles = [net.backprop(x, t) for x, t in zip(X, T)]
    assert batch.samples == 5

    def mean(get):
        vals = [get(s) for s in singles]
        return math.fsum(vals) / len(vals)

    assert isclose(batch.loss, mean(lambda s: s.loss))
    assert isclose(batch.loss, net.loss(X, T))
    for l, g in enumerate(batch.grad_weights):
        for k, row in enumerate(g):
            for j, v in enumerate(row):
                assert isclose(v, mean(lambda s: s.grad_weights[l][k][j]))  # noqa: B023  (called at once)
                for kind in ("proportional", "transposed", "gradient"):
                    assert isclose(batch.shares[kind][l][k][j],
                                   mean(lambda s: s.shares[kind][l][k][j]))  # noqa: B023  (called at once)
    for kind in ("proportional", "transposed", "gradient"):
        for l, layer in enumerate(batch.node_errors[kind]):
            for j, v in enumerate(layer):
                assert isclose(v, mean(lambda s: s.node_errors[kind][l][j]))  # noqa: B023  (called at once)
    copy = net.copy()
    copy.train_batch(X, T)
    assert isclose(copy.loss(X, T), batch.loss_after)


def test_backprop_validates_and_changes_nothing():
    net, x, t = random_case(5)
    before = net.to_dict()
    with pytest.raises(ValueError, match="x"):
        net.backprop(x + [0.0], t)
    with pytest.raises(ValueError, match=r"t\[0\]"):
        net.backprop(x, [math.inf] + t[1:])
    with pytest.raises(ValueError, match="T"):
        net.backprop_batch([x, x], [t])
    net.backprop(x, t)
    net.backprop_batch([x, x], [t, t])
    assert net.to_dict() == before


def test_to_dict_keys_are_the_declared_attributes():
    """FIELDS (the keys of to_dict) and the annotated attributes cannot drift apart."""
    import typing
    assert list(pynet.Trace.FIELDS) == list(typing.get_type_hints(pynet.Trace))


# ------------------------------------- the TINY boundary itself
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


def sign(v: float) -> float:
    return math.copysign(1.0, v)


def test_equal_rule_reports_the_number_of_inputs_as_denominator():
    # all-zero row: e_k is split into n equal parts, so the divisor shown is n
    # (stepping.py sends these denominators to the page)
    w = [[[0.0, 0.0, 0.0], [0.5, 0.25, 0.0]], [[0.0, 0.0], [1.0, -1.0]]]
    denominators, rules = trace_module.proportional_denominators(w)
    assert rules == [["equal", "sum"], ["equal", "abs_sum"]]
    assert denominators == [[3.0, 0.75], [2.0, 2.0]]
    assert all(type(d) is float for dl in denominators for d in dl)


def test_single_sample_trace_keeps_exact_values_including_the_sign_of_zero():
    # One sample: the trace holds that sample's own numbers, not a re-summed
    # mean (0.0 + v turns −0.0 into +0.0): the input −0.0 is shown as given
    # and ∂E/∂w_kj = δ_k a_j is −0.0 when δ_k < 0 and a_j = +0.0.
    net = pynet.Network([2, 1], output_activation="linear", seed=0)
    net.weights = [[[0.5, 0.5]]]
    net.biases = [[0.0]]
    tr = net.backprop([-0.0, 0.0], [1.0])            # o = 0, δ = o − t = −1
    assert tr.deltas == [[-1.0]]
    assert sign(tr.inputs[0]) == -1.0 and sign(tr.inputs[1]) == 1.0
    assert sign(tr.activations[0][0]) == -1.0
    g = tr.grad_weights[0][0]
    assert g == [0.0, 0.0]
    assert [sign(v) for v in g] == [1.0, -1.0]       # (−1)(−0.0) = +0.0, (−1)(+0.0) = −0.0
    assert json.dumps(tr.to_dict()["inputs"]) == "[-0.0, 0.0]"
