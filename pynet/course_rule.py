"""The course's hidden-layer rule for any ``Network`` (the playground's
``update = "course"``), next to the exact gradient that ``Network.fit`` uses.

The course sends the *raw* output error back, without the derivatives:

    e[L] = t − o                               (output error)
    e[l] = W[l]ᵀ e[l+1]                         (hidden "errors", pre-update weights)
    δ[l] = −e[l] ⊙ f'_l(z[l])                   (hidden layers)
    δ[L] = ∂E/∂z at the output, exact           (losses.output_delta)

and then steps like backprop, Δw_kj = −η δ_k a_j. For a sigmoid output with
squared error δ[L] = −e[L] ⊙ o(1 − o), so this is exactly
``pynet.NeuralNetwork(mode="course")`` (the course's code); it is not the
gradient of E (exact backprop sends δ back, not e). Batches use the mean
over the batch, l1/l2 as in ``Network.fit``; a diverging step changes
nothing and raises ``DivergedError`` (through ``Network._commit``).
"""

from __future__ import annotations

from typing import Any, Callable

from . import activations as act
from . import losses
from .errors import DivergedError
from .network import Network, _check_loss, _sign


def deltas(net: Network, zs: list, acts: list, t: list[float]) -> list[list[float]]:
    """δ of every weight layer for one sample under the course's rule."""
    W = net.weights
    n = len(W)
    out: list[list[float]] = [[] for _ in range(n)]
    out[-1] = losses.output_delta(net.loss_name, net.output_activation, zs[-1], acts[-1], t)
    e = [tk - ok for tk, ok in zip(t, acts[-1])]
    for l in range(n - 1, 0, -1):
        e = [sum(W[l][k][j] * e[k] for k in range(len(e))) for j in range(net.layers[l])]
        fprime = act.DERIVATIVES[net.activation[l - 1]]
        out[l - 1] = [-ej * fprime(zj, aj) for ej, zj, aj in zip(e, zs[l], acts[l])]
    return out


def step(net: Network, X: list[list[float]], T: list[list[float]], lr: float,
         l1: float = 0.0, l2: float = 0.0) -> float:
    """One step on the batch's mean course-rule δ aᵀ; returns the mean loss before it."""
    gW = [[[0.0] * len(row) for row in w] for w in net.weights]
    gb = [[0.0] * len(b) for b in net.biases]
    total = 0.0
    for x, t in zip(X, T):
        zs, acts = net._forward(x)
        total += net._sample_loss(zs, acts, t)
        for l, d in enumerate(deltas(net, zs, acts, t)):
            a = acts[l]
            for k, dk in enumerate(d):
                row = gW[l][k]
                for j, aj in enumerate(a):
                    row[j] += dk * aj
                gb[l][k] += dk
    n = len(X)
    mean_loss = total / n
    _check_loss(mean_loss)
    new_w = [[[wkj - lr * (g / n + l1 * _sign(wkj) + l2 * wkj) for wkj, g in zip(row, grow)]
              for row, grow in zip(w, gl)] for w, gl in zip(net.weights, gW)]
    new_b = [[bk - lr * g / n for bk, g in zip(b, gbl)] if net.bias else list(b)
             for b, gbl in zip(net.biases, gb)]
    net._commit(new_w, new_b, mean_loss)
    return mean_loss


def fit(net: Network, X: list[list[float]], T: list[list[float]], epochs: int,
        batch_size: int, l1: float = 0.0, l2: float = 0.0,
        callback: Callable[[int, float], Any] | None = None) -> list[float]:
    """Like ``Network.fit(..., shuffle=True)`` (the same shuffles from the
    network's generator, the same history and errors) with the course's rule."""
    from . import fast
    history: list[float] = []
    order = list(range(len(X)))
    steps_per_epoch = -(-len(X) // batch_size)
    for epoch in range(1, epochs + 1):
        fast.shuffle(net.rng, order)
        total = 0.0
        for s, start in enumerate(range(0, len(order), batch_size)):
            idx = order[start:start + batch_size]
            try:
                total += step(net, [X[i] for i in idx], [T[i] for i in idx],
                              net.learning_rate, l1, l2) * len(idx)
            except DivergedError as exc:
                exc.epoch = epoch
                exc.step = (epoch - 1) * steps_per_epoch + s + 1
                exc.args = (f"epoch {epoch}, step {exc.step}: {exc.args[0]}",)
                raise
        history.append(total / len(X))
        if callback is not None and callback(epoch, history[-1]) is False:
            break
    return history
