"""Weight initialisation schemes. All randomness comes from the ``rng``
passed in (a ``random.Random``), never from the global generator.

    course   truncated normal N(0, 1) cut to ±1/√n, n = n_in (+1 with a bias),
             as the course's ``truncated_normal(mean=0, sd=1, low=-rad, upp=rad)``;
             biases drawn the same way (the course's bias column).
    xavier   Glorot uniform U(−r, r), r = √(6 / (n_in + n_out)); biases 0.
    uniform  U(−0.5, 0.5) as TensorFlow Playground; biases 0.1 as it does.
"""

from __future__ import annotations

import math
import random
from statistics import NormalDist

NAMES = ("course", "xavier", "uniform")
_STD = NormalDist()


def truncated_normal(rng: random.Random, radius: float) -> float:
    """N(0, 1) conditioned on |x| ≤ radius, by inverting the CDF
    (exact, and O(1) even when the radius is tiny)."""
    lo = _STD.cdf(-radius)
    hi = _STD.cdf(radius)
    u = lo + (hi - lo) * rng.random()
    if u <= 0.0 or u >= 1.0:  # cannot happen for finite radius; keep inv_cdf total
        return 0.0
    x = _STD.inv_cdf(u)
    return max(-radius, min(radius, x))


def layer(name: str, rng: random.Random, n_in: int, n_out: int,
          bias: bool) -> tuple[list[list[float]], list[float]]:
    """Weights ``[n_out][n_in]`` (destination first) and biases ``[n_out]``."""
    if name == "course":
        r = 1.0 / math.sqrt(n_in + (1 if bias else 0))
        w = [[truncated_normal(rng, r) for _ in range(n_in)] for _ in range(n_out)]
        b = [truncated_normal(rng, r) if bias else 0.0 for _ in range(n_out)]
    elif name == "xavier":
        r = math.sqrt(6.0 / (n_in + n_out))
        w = [[rng.uniform(-r, r) for _ in range(n_in)] for _ in range(n_out)]
        b = [0.0] * n_out
    else:
        w = [[rng.random() - 0.5 for _ in range(n_in)] for _ in range(n_out)]
        b = [0.1 if bias else 0.0] * n_out
    return w, b
