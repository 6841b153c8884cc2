"""Check analytic gradients against central finite differences.

    n_i = (E(θ + h e_i) − E(θ − h e_i)) / 2h          (error O(h²))
    error = ‖a − n‖ / (‖a‖ + ‖n‖)                    (0 when both vanish)

Smooth networks give about 1e-9 in float64 with h = 1e-5; a wrong gradient
gives something of order 1. ReLU kinks break the check only when an input
sits within h of a kink.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import validate as check


def numeric_gradients(net, x: Sequence[float], t: Sequence[float],
                      h: float = 1e-5) -> tuple[list, list]:
    """Finite-difference ``(dW, db)`` shaped like ``net.gradients``; the
    network's parameters are restored exactly afterwards."""
    xv = check.vector(x, net.layers[0], "x")
    tv = net._targets(t)

    def loss() -> float:
        zs, acts = net._forward(xv)
        return net._sample_loss(zs, acts, tv)

    def slope(values: list[float], i: int) -> float:
        original = values[i]
        try:
            values[i] = original + h
            up = loss()
            values[i] = original - h
            down = loss()
        finally:
            values[i] = original
        return (up - down) / (2.0 * h)

    dW = [[[slope(row, j) for j in range(len(row))] for row in w] for w in net.weights]
    db = [[slope(b, k) if net.bias else 0.0 for k in range(len(b))] for b in net.biases]
    return dW, db


def gradcheck(net, x: Sequence[float], t: Sequence[float], h: float = 1e-5) -> float:
    """Norm relative error between ``net.gradients(x, t)`` and finite differences."""
    h = check.number(h, "h")
    if h <= 0.0:
        raise ValueError(f"h: expected a step > 0, got {h}")
    aW, ab = net.gradients(x, t)
    nW, nb = numeric_gradients(net, x, t, h)
    return relative_error(_flat(aW, ab), _flat(nW, nb))


def relative_error(a: list[float], n: list[float]) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖), or 0.0 when both are zero vectors."""
    diff = math.sqrt(math.fsum((p - q) ** 2 for p, q in zip(a, n)))
    scale = math.sqrt(math.fsum(p * p for p in a)) + math.sqrt(math.fsum(q * q for q in n))
    return 0.0 if scale == 0.0 else diff / scale


def _flat(W: list, b: list) -> list[float]:
    return [v for w in W for row in w for v in row] + [v for bl in b for v in bl]
