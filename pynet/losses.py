"""Loss functions E(o, t) for one sample and the output deltas δ = ∂E/∂z.

Sign convention, stated once for the whole package: the error of an output
node is e_k = t_k − o_k (target minus output); the gradient is g = ∂E/∂w and
an update is Δw = −η g. The course writes the descent direction
(t − o) o (1 − o) h and *adds* it, which is the same step
(docs/chapter.md, note S2).

    squared         E = ½ Σ_k (t_k − o_k)²            ∂E/∂o_k = o_k − t_k
    cross_entropy   sigmoid outputs:  E = −Σ_k [t_k ln o_k + (1 − t_k) ln(1 − o_k)]
                    softmax output:   E = −Σ_k t_k ln o_k

δ_k = ∂E/∂z_k = Σ_i ∂E/∂o_i · ∂o_i/∂z_k. For an element-wise activation
that is (o_k − t_k) f'(z_k). Cross-entropy with its matching output cancels
f' and gives δ = o − t (softmax: δ_k = o_k Σ_i t_i − t_k, which is o − t
when the targets sum to 1). Softmax with squared error uses the Jacobian
∂o_i/∂z_k = o_i (δ_ik − o_k): δ_k = o_k (g_k − Σ_i o_i g_i), g = o − t.

Cross-entropy is computed from the net inputs z (log-sigmoid and
log-sum-exp), so saturated outputs give a large finite loss, not inf.
"""

from __future__ import annotations

import math

from . import activations

NAMES = ("squared", "cross_entropy")
# Output activations each loss supports.
SUPPORTED = {
    "squared": activations.OUTPUT,
    "cross_entropy": ("sigmoid", "softmax"),
}


def softplus(z: float) -> float:
    """ln(1 + e^z) without overflow."""
    if z > 0.0:
        return z + math.log1p(math.exp(-z))
    return math.log1p(math.exp(z))


def loss(name: str, output_activation: str, z: list[float], o: list[float],
         t: list[float]) -> float:
    """E for one sample with net inputs ``z``, outputs ``o`` and targets ``t``."""
    if name == "squared":
        s = 0.0
        for ok, tk in zip(o, t):
            d = tk - ok
            s += d * d
        return 0.5 * s
    if output_activation == "sigmoid":
        # ln σ(z) = −softplus(−z),  ln(1 − σ(z)) = −softplus(z)
        s = 0.0
        for zk, tk in zip(z, t):
            s += tk * softplus(-zk) + (1.0 - tk) * softplus(zk)
        return s
    # softmax: −Σ t_k (z_k − logsumexp(z))
    m = max(z)
    lse = m + math.log(math.fsum(math.exp(zk - m) for zk in z))
    s = 0.0
    for zk, tk in zip(z, t):
        s += tk * (lse - zk)
    return s


def output_delta(name: str, output_activation: str, z: list[float],
                 o: list[float], t: list[float]) -> list[float]:
    """δ = ∂E/∂z at the output layer (formulas in the module docstring)."""
    if name == "cross_entropy":
        if output_activation == "sigmoid":
            return [ok - tk for ok, tk in zip(o, t)]
        st = math.fsum(t)
        return [ok * st - tk for ok, tk in zip(o, t)]
    g = [ok - tk for ok, tk in zip(o, t)]
    if output_activation == "softmax":
        og = 0.0
        for ok, gk in zip(o, g):
            og += ok * gk
        return [ok * (gk - og) for ok, gk in zip(o, g)]
    d = activations.DERIVATIVES[output_activation]
    return [gk * d(zk, ok) for gk, zk, ok in zip(g, z, o)]
