"""The seed chapter's own numbers (shared/notes/seed-math.md, "Test vectors").

Expected values are exact fractions from the notes; pynet's floats must
agree to a relative 1e-12.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest

import pynet
from pynet import activations, losses

ROW = [0.6, 0.1, 0.15, 0.25]           # w11..w14 of the seed's example
E1, E2 = F(2, 25), F(41, 50)            # e1 = 0.08, e2 = 0.82


def close(a, b, rel=1e-12, abs_tol=0.0):
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_tol)


def seed_trace():
    """A linear 4 -> 2 layer whose first row is the seed's w1j and whose
    input is 0, so o = 0 and the errors t - o are exactly e1, e2."""
    net = pynet.Network([4, 2], output_activation="linear", bias=False)
    net.weights = [[list(ROW), [0.3, -0.2, 0.5, 0.4]]]
    return net.backprop([0.0, 0.0, 0.0, 0.0], [float(E1), float(E2)])


def test_errors_are_target_minus_output():
    assert F(1) - F(92, 100) == E1
    assert F(1) - F(18, 100) == E2
    assert close(1 - 0.92, 0.08) and close(1 - 0.18, 0.82)
    # t - o, not o - t (seed F1, notes: e_k = t_k - o_k)
    net = pynet.Network([1, 2], output_activation="linear", bias=False)
    net.weights = [[[0.92], [0.18]]]
    tr = net.backprop([1.0], [1.0, 1.0])
    assert close(tr.errors[0], E1) and close(tr.errors[1], E2)
    assert close(tr.loss, (E1 * E1 + E2 * E2) / 2)


def test_half_squared_errors():
    assert E1 * E1 / 2 == F(32, 10000)          # 0.0032
    assert E2 * E2 / 2 == F(3362, 10000)        # 0.3362
    assert close(losses.loss("squared", "sigmoid", [0.0], [0.92], [1.0]), 0.0032)
    assert close(losses.loss("squared", "sigmoid", [0.0], [0.18], [1.0]), 0.3362)


def test_proportional_shares_of_e1():
    tr = seed_trace()
    assert tr.errors[0] == 0.08 and tr.errors[1] == 0.82
    shares = tr.shares["proportional"][0][0]
    expected = [F(12, 275), F(2, 275), F(3, 275), F(1, 55)]
    # the fractions really are e1 * w1j / sum_i w1i
    denominator = sum(F(str(w)) for w in ROW)
    assert denominator == F(11, 10)
    assert [E1 * F(str(w)) / denominator for w in ROW] == expected
    for got, want in zip(shares, expected):
        assert close(got, want)
    assert tr.share_rules[0][0] == "sum"


def test_shares_of_e1_sum_back_to_e1():
    tr = seed_trace()
    shares = tr.shares["proportional"][0][0]
    assert F(12, 275) + F(2, 275) + F(3, 275) + F(1, 55) == E1
    assert close(math.fsum(shares), 0.08)
    # the same holds for the other output node (rule "sum")
    assert close(math.fsum(tr.shares["proportional"][0][1]), 0.82)


def test_printed_0_0343_is_a_slip():
    """The seed prints 0.0343 for 0.08 * 0.6 / (0.6 + 0.1 + 0.15 + 0.25);
    the right value is 12/275 = 0.04364; 0.0343 would need a denominator 1.4."""
    first = seed_trace().shares["proportional"][0][0][0]
    assert round(first, 4) == 0.0436
    assert not math.isclose(first, 0.0343, abs_tol=5e-5)
    assert round(0.08 * 0.6 / 1.4, 4) == 0.0343
    assert F(12, 275) != F(343, 10000)


def test_unnormalised_shares_do_not_sum_to_e1():
    """Dropping the denominators (who^T e, the 'transposed' kind) gives
    e1 * w1j = 0.048, 0.008, 0.012, 0.02, summing to 0.088 != e1 (note S4)."""
    tr = seed_trace()
    t = tr.shares["transposed"][0][0]
    for got, want in zip(t, [F(48, 1000), F(8, 1000), F(12, 1000), F(2, 100)]):
        assert close(got, want)
    assert close(math.fsum(t), F(88, 1000))
    assert not math.isclose(math.fsum(t), 0.08, rel_tol=1e-6)


def test_hidden_error_is_who_transpose_e():
    tr = seed_trace()
    W = [[F(str(v)) for v in ROW], [F(3, 10), F(-2, 10), F(5, 10), F(4, 10)]]
    e = [E1, E2]
    want = [sum(W[k][j] * e[k] for k in range(2)) for j in range(4)]
    for got, w in zip(tr.node_errors["transposed"][0], want):
        assert close(got, w)
    # proportional node errors: sum_k e_k w_kj / sum_i w_ki
    want_p = [sum(W[k][j] * e[k] / sum(W[k]) for k in range(2)) for j in range(4)]
    for got, w in zip(tr.node_errors["proportional"][0], want_p):
        assert close(got, w)


def test_sigmoid_and_its_derivative():
    assert activations.sigmoid(0.0) == 0.5
    assert activations.d_sigmoid(0.0, activations.sigmoid(0.0)) == 0.25
    s1 = activations.sigmoid(1.0)
    assert close(s1, 0.7310585786300049)
    assert close(activations.d_sigmoid(1.0, s1), 0.19661193324148185)
    assert close(s1, 1 / (1 + math.exp(-1)))
    # symmetric and overflow-free
    assert close(activations.sigmoid(-1.0), 1 - s1)
    assert activations.sigmoid(-1000.0) == 0.0 and activations.sigmoid(1000.0) == 1.0


@pytest.mark.parametrize("z", [-3.0, -0.5, 0.0, 0.7, 2.5])
def test_sigmoid_derivative_matches_finite_difference(z):
    h = 1e-6
    numeric = (activations.sigmoid(z + h) - activations.sigmoid(z - h)) / (2 * h)
    assert math.isclose(activations.d_sigmoid(z, activations.sigmoid(z)), numeric, rel_tol=1e-8)


def test_sigmoid_output_deltas_and_sign():
    """(t - o) o (1 - o) for o = 0.92, 0.18 is 92/15625 and 15129/125000;
    pynet's delta dE/dz is its negative (note S2: the seed writes the
    descent direction)."""
    o = [0.92, 0.18]
    assert [(1 - F(92, 100)) * F(92, 100) * F(8, 100),
            (1 - F(18, 100)) * F(18, 100) * F(82, 100)] == [F(92, 15625), F(15129, 125000)]
    z = [math.log(v / (1 - v)) for v in o]
    d = losses.output_delta("squared", "sigmoid", z, o, [1.0, 1.0])
    assert close(d[0], -F(92, 15625)) and close(d[1], -F(15129, 125000))
