"""The course's hidden-layer rule for any ``Network`` (the playground's
``update = "course"``), next to the exact gradient that ``Network.fit`` uses.

The course sends the *raw* output error back, without the derivatives:

    e[L] = t − o                               (output error)
    e[l] = W[l]ᵀ e[l+1]                         (hidden "errors", through the
                                                 weights just updated: the course
                                                 steps each layer before it
                                                 sends its error back)
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

from collections.abc import Callable
from typing import Any, cast

from . import activations as act
from . import losses
from .errors import DivergedError
from .network import Network, _check_loss, _sign


def step(net: Network, X: list[list[float]], T: list[list[float]], lr: float,
         l1: float = 0.0, l2: float = 0.0) -> float:
    """One step with the course's rule on the batch; returns the mean loss before it.

    Layer by layer from the output back, as the course's ``train`` does: the
    layer's δ (exact at the output, −e ⊙ f'(z) below), its step on the batch's
    mean δ aᵀ (with l1/l2 as ``Network.fit``), and only then the raw errors of
    the layer below, e = Wᵀ e through the weights *just updated*. With one
    sample this is ``pynet.NeuralNetwork(mode="course")`` exactly."""
    L = len(net.weights)
    # zs[0] is None (inputs have no net input); every later layer's is a list
    passes = cast(list[tuple[list[list[float]], list[list[float]]]], [net._forward(x) for x in X])
    n = len(X)
    mean_loss = sum(net._sample_loss(zs, acts, t) for (zs, acts), t in zip(passes, T)) / n
    _check_loss(mean_loss)
    errors = [[tk - ok for tk, ok in zip(t, acts[-1])] for (_, acts), t in zip(passes, T)]
    new_w: list[list[list[float]]] = [[] for _ in range(L)]
    new_b: list[list[float]] = [[] for _ in range(L)]
    for l in range(L - 1, -1, -1):
        gW = [[0.0] * len(row) for row in net.weights[l]]
        gb = [0.0] * len(net.biases[l])
        for (zs, acts), t, e in zip(passes, T, errors):
            if l == L - 1:
                d = losses.output_delta(net.loss_name, net.output_activation, zs[-1], acts[-1], t)
            else:
                fprime = act.DERIVATIVES[net.activation[l]]
                d = [-ek * fprime(zk, ak) for ek, zk, ak in zip(e, zs[l + 1], acts[l + 1])]
            for k, dk in enumerate(d):
                row = gW[k]
                for j, aj in enumerate(acts[l]):
                    row[j] += dk * aj
                gb[k] += dk
        new_w[l] = [[wkj - lr * (g / n + l1 * _sign(wkj) + l2 * wkj) for wkj, g in zip(row, grow)]
                    for row, grow in zip(net.weights[l], gW)]
        new_b[l] = ([bk - lr * g / n for bk, g in zip(net.biases[l], gb)] if net.bias
                    else list(net.biases[l]))
        if l > 0:  # the raw errors of layer l, through the weights just updated
            W = new_w[l]
            errors = [[sum(W[k][j] * e[k] for k in range(len(e))) for j in range(net.layers[l])]
                      for e in errors]
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
