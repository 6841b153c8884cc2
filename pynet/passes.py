"""The forward and backward passes, formula by formula: the one place both
``pynet.network`` (training) and ``pynet.trace`` (explaining a step) compute
them, so neither imports the other's module for them.

Notation as in ``pynet.network`` (destination first):

    z[l+1]_k = b[l]_k + Σ_j w[l]_kj a[l]_j,   a[l+1]_k = f_l(z[l+1]_k)
    output:  δ = ∂E/∂o ⊙ f'(z)                (see losses.output_delta)
    hidden:  δ[l-1]_j = f'(z[l]_j) Σ_k w[l]_kj δ[l]_k
"""

from __future__ import annotations

from collections.abc import Sequence

from . import activations as act
from . import losses

Matrix = list[list[float]]


def propagate(weights: list[Matrix], biases: list[list[float]], layer_activations: list[str],
              x: list[float]) -> tuple[list[list[float] | None], list[list[float]]]:
    """The forward pass: net inputs and activations of every node layer."""
    zs: list[list[float] | None] = [None]
    acts = [x]
    a = x
    for w, b, f in zip(weights, biases, layer_activations):
        z = []
        for row, bk in zip(w, b):
            s = bk                          # z_k = b_k + Σ_j w_kj a_j
            for wkj, aj in zip(row, a):
                s += wkj * aj
            z.append(s)
        a = act.apply(f, z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def deltas(weights: list[Matrix], layers: Sequence[int], hidden_activations: Sequence[str],
           loss_name: str, output_activation: str, zs: list, acts: list,
           t: list[float]) -> list[list[float]]:
    """δ for every weight layer, from the output back."""
    n = len(weights)
    out: list[list[float]] = [[] for _ in range(n)]
    out[-1] = losses.output_delta(loss_name, output_activation, zs[-1], acts[-1], t)
    for l in range(n - 1, 0, -1):
        w, d = weights[l], out[l]
        fprime = act.DERIVATIVES[hidden_activations[l - 1]]
        z, a = zs[l], acts[l]
        prev = []
        for j in range(layers[l]):
            s = 0.0                     # ∂E/∂a_j = Σ_k w_kj δ_k
            for k, dk in enumerate(d):
                s += w[k][j] * dk
            prev.append(s * fprime(z[j], a[j]))
        out[l - 1] = prev
    return out
