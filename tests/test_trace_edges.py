"""Trace details the wider suite left open (found by mutation testing, see
README "Mutation testing")."""

from __future__ import annotations

import json
import math

import pynet
from pynet import trace as trace_module


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
