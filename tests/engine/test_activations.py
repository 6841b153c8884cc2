"""The element-wise activations.

relu(z) = max(0, z) is +0.0 for every z ≤ 0, including z = −0.0: a relu node
whose net input is −0.0 (bias −0.0 plus a product −1·0.0) must not show or
serialise its activation as "-0.0".
"""

from __future__ import annotations

import json
import math

import pynet
from pynet import activations


def positive_zero(v: float) -> bool:
    return v == 0.0 and math.copysign(1.0, v) == 1.0


def test_relu_of_negative_zero_is_positive_zero():
    assert math.copysign(1.0, -0.0) == -1.0          # the input really is −0.0
    assert positive_zero(activations.relu(-0.0))
    assert positive_zero(activations.relu(0.0))
    assert positive_zero(activations.relu(-1e-300))
    assert activations.relu(5e-324) == 5e-324        # smallest positive z passes through
    out = activations.apply("relu", [-0.0, -2.0, 0.0, 3.5])
    assert [math.copysign(1.0, v) for v in out[:3]] == [1.0, 1.0, 1.0]
    assert out == [0.0, 0.0, 0.0, 3.5]


def test_relu_node_with_negative_zero_net_input_shows_zero():
    net = pynet.Network([1, 1, 1], activation="relu", output_activation="linear", seed=0)
    net.weights = [[[-1.0]], [[2.0]]]
    net.biases = [[-0.0], [0.25]]
    zs, acts = net.forward([0.0])
    assert math.copysign(1.0, zs[1][0]) == -1.0      # z = −0.0 + (−1)(0.0) = −0.0
    assert positive_zero(acts[1][0])
    assert json.dumps(acts[1]) == "[0.0]"
    assert net.run([0.0]) == [0.25]
