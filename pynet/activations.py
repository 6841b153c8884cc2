"""Activation functions and their derivatives.

Every element-wise activation is given as ``f(z)`` and its derivative
expressed through the net input z *and* the output a = f(z), because the
cheapest closed forms use a:

    sigmoid  σ(z) = 1 / (1 + e^-z)      σ'(z) = a (1 - a)
    tanh     tanh(z)                     tanh'(z) = 1 - a²
    relu     max(0, z)                   relu'(z) = 1 if z > 0 else 0   (0 at the kink)
    linear   z                           1

``softmax`` is not element-wise: o_i = e^{z_i} / Σ_j e^{z_j}, with Jacobian
∂o_i/∂z_j = o_i (δ_ij − o_j). It is only allowed on the output layer and
the network handles its Jacobian (see ``network.output_delta``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
OUTPUT = ("sigmoid", "tanh", "linear", "softmax")


def sigmoid(z: float) -> float:
    # Two branches so that exp never overflows: for z < 0, e^z/(1+e^z).
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def relu(z: float) -> float:
    return max(0.0, z)


def linear(z: float) -> float:
    return z


def d_sigmoid(z: float, a: float) -> float:
    return a * (1.0 - a)


def d_tanh(z: float, a: float) -> float:
    return 1.0 - a * a


def d_relu(z: float, a: float) -> float:
    return 1.0 if z > 0.0 else 0.0


def d_linear(z: float, a: float) -> float:
    return 1.0


def softmax(zs: list[float]) -> list[float]:
    # Subtract the max so that exp cannot overflow; the result is unchanged.
    m = max(zs)
    es = [math.exp(z - m) for z in zs]
    s = math.fsum(es)
    return [e / s for e in es]


FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sigmoid": sigmoid, "tanh": math.tanh, "relu": relu, "linear": linear,
}
DERIVATIVES: dict[str, Callable[[float, float], float]] = {
    "sigmoid": d_sigmoid, "tanh": d_tanh, "relu": d_relu, "linear": d_linear,
}


def apply(name: str, zs: list[float]) -> list[float]:
    """Activate a whole layer: ``zs`` net inputs → outputs."""
    if name == "softmax":
        return softmax(zs)
    f = FUNCTIONS[name]
    return [f(z) for z in zs]
