"""Why the gradient is right: the chain rule's paths for one weight, and a
finite-difference nudge of it.

Notation as ``pynet.network`` (destination first): node layers 0 … L,
``weights[l][k][j]`` from node j of layer l into node k of layer l + 1,
a = f(z), and the output's ∂E/∂z_o = δ_o (``losses.output_delta``: o − t
for softmax or sigmoid with cross-entropy).

**Paths.** Changing w_kj changes z_k of layer d = l + 1, which reaches the
loss along every path k → m → … → o through the layers after it. By the chain
rule ∂E/∂w_kj is the sum over those paths of the product of their factors

    h_j · f′(z_k) · w_mk · f′(z_m) · … · w_om · δ_o

(h_j = a_j of layer l; one f′ and one weight per hidden node on the path; no
f′ when the destination is an output: δ_o already holds it). There are
Π n_m such paths (the widths of the layers after d; 1 when d = L), which
grows with the product of the widths. Backprop computes the same sum once per
node instead of once per path: δ_k = f′(z_k) Σ_m w_mk δ_m, reused by every
weight into k, and ∂E/∂w_kj = δ_k·h_j.

**Counting multiplications** (the δ_o at the outputs are given to both):
a path with F factors costs F − 1, so the path sums of all weights of weight
layer l cost n_l·n_{l+1}·P_{l+1}·(1 + 2(L − l − 1)) with P the path count;
backprop costs n_m·(n_{m+1} + 1) per hidden layer m (its δ) plus one per weight
(δ_k·h_j).

**Nudge.** (E(w + ε) − E(w − ε)) / 2ε, the central difference, agrees with
∂E/∂w to O(ε²) (plus rounding of order 1e-16/ε); it is computed on a copy,
so the network is left exactly as it was.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from . import activations as act
from . import losses
from . import validate as check

#: the paths listed for one weight (the largest by |product|); ``count`` says how many there are
PATH_LIMIT = 50


def _index(value: Any, name: str, size: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise ValueError(f"{name}: expected a whole number from 0 to {size - 1}, "
                         f"got {check._show(value)}")
    return value


def _weight(net, l: Any, k: Any, j: Any) -> tuple[int, int, int]:
    l = _index(l, "l", len(net.weights))
    k = _index(k, "k", net.layers[l + 1])
    j = _index(j, "j", net.layers[l])
    return l, k, j


def _pass(net, x: list[float], t: list[float]) -> tuple[list, list, list[float]]:
    """Activations a, derivatives f′(z) of hidden layers (None for inputs and
    outputs) and the output δ for one sample."""
    zs, acts = net._forward(x)
    fprime: list[list[float] | None] = [None]
    for m in range(1, len(net.layers) - 1):
        d = act.DERIVATIVES[net.layer_activations[m - 1]]
        fprime.append([d(z, a) for z, a in zip(zs[m], acts[m])])
    fprime.append(None)
    delta_out = losses.output_delta(net.loss_name, net.output_activation, zs[-1], acts[-1], t)
    return acts, fprime, delta_out


def path_count(layers: Sequence[int], l: int) -> int:
    """How many paths lead from the destination of weight layer ``l`` to the outputs:
    the product of the widths of the layers after it."""
    return math.prod(layers[l + 2:])


def multiplications(layers: Sequence[int]) -> dict[str, int]:
    """Multiplications for every weight's ∂E/∂w: ``paths`` (each path's product
    apart) and ``backprop`` (δ once per node); see the module docstring."""
    L = len(layers) - 1
    by_paths = sum(layers[l] * layers[l + 1] * path_count(layers, l) * (1 + 2 * (L - l - 1))
                   for l in range(L))
    by_backprop = sum(layers[l] * layers[l + 1] for l in range(L)) + \
        sum(layers[m] * (layers[m + 1] + 1) for m in range(1, L))
    return {"paths": by_paths, "backprop": by_backprop}


def _sample_paths(net, acts: list, fprime: list, delta_out: list[float],
                  l: int, k: int, j: int, limit: int) -> tuple[list[tuple], float]:
    """The ``limit`` largest paths (by |product|) for w_kj as (nodes, factors,
    product), and the sum over every path (accumulated forward layer by layer,
    without listing them)."""
    L = len(net.layers) - 1
    d = l + 1
    start = [acts[l][j]]
    # partial paths ending at a node: (|product|, nodes, factors, product)
    if d < L:
        start.append(fprime[d][k])
    first = math.prod(start)
    partial = {k: [(abs(first), [[l, j], [d, k]], start, first)]}
    # the sum over all paths: s_n = Σ (products of partial paths ending at n)
    sums = {k: first}
    for m in range(d + 1, L + 1):
        w = net.weights[m - 1]
        nxt: dict[int, list[tuple]] = {}
        nsums: dict[int, float] = {}
        for n in range(net.layers[m]):
            f = fprime[m][n] if m < L else 1.0
            cands = []
            s = 0.0
            for p, plist in partial.items():
                s += sums[p] * w[n][p]
                for _, nodes, factors, prod in plist:
                    extra = [w[n][p], f] if m < L else [w[n][p]]
                    value = prod * w[n][p] * f
                    cands.append((abs(value), nodes + [[m, n]], factors + extra, value))
            nxt[n] = heapq.nlargest(limit, cands, key=lambda c: c[0])
            nsums[n] = s * f
        partial, sums = nxt, nsums
    found = []
    total = 0.0
    for o, plist in partial.items():
        total += sums[o] * delta_out[o]
        for _, nodes, factors, prod in plist:
            found.append((nodes, factors + [delta_out[o]], prod * delta_out[o]))
    found.sort(key=lambda p: -abs(p[2]))
    return found[:limit], total


def _factors(net, acts: list, fprime: list, delta_out: list[float], nodes: list) -> list[float]:
    """The factors of the path through ``nodes`` ([layer, index], from h_j to the output)."""
    l, j = nodes[0]
    factors = [acts[l][j]]
    for (m, p), (_, n) in pairwise(nodes[1:]):
        factors += [fprime[m][p], net.weights[m][n][p]]
    return factors + [delta_out[nodes[-1][1]]]


def paths(net, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]], l: int, k: int, j: int,
          limit: int = PATH_LIMIT) -> dict[str, Any]:
    """The chain rule's paths for w_kj of weight layer ``l`` on the samples ``X``
    (one row: that sample; several: their batch mean, as a batch step uses).

    Answers ``paths`` (at most ``limit``, largest |product| first): each with
    ``nodes`` ([layer, index] from h_j to the output), ``factors`` (h_j, then
    f′ and the weight of each node after the destination, δ_o last) and
    ``product``; ``count`` (all paths), ``sum`` (over all paths), ``gradient``
    (∂E/∂w_kj by backprop, ``Network.gradients``), ``multiplications`` and
    ``samples``. For a batch each factor and product is the mean over the
    samples (the mean of the products, which is not the product of the means);
    the batch's paths listed are the largest of every sample's ``limit``
    largest, each evaluated exactly on the whole batch."""
    net._check_params()
    l, k, j = _weight(net, l, k, j)
    rows = check.matrix(X, net.layers[0], "X")
    targets = net._target_rows(T, len(rows))
    limit = _index(limit, "limit", 10_001) or 1
    passes = [_pass(net, x, t) for x, t in zip(rows, targets)]
    n = len(rows)
    total = 0.0
    candidates: dict[str, list] = {}
    for acts, fprime, delta_out in passes:
        found, s = _sample_paths(net, acts, fprime, delta_out, l, k, j, limit)
        total += s
        for nodes, _, _ in found:
            candidates.setdefault(repr(nodes), nodes)
    gradient = math.fsum(net._gradients(x, t)[0][l][k][j] for x, t in zip(rows, targets)) / n
    if n == 1:
        listed = found
    else:   # every sample's largest paths, each evaluated exactly on the whole batch
        listed = []
        for nodes in candidates.values():
            per = [_factors(net, a, fp, do, nodes) for a, fp, do in passes]
            factors = [math.fsum(col) / n for col in zip(*per)]
            listed.append((nodes, factors, math.fsum(math.prod(f) for f in per) / n))
        listed.sort(key=lambda p: -abs(p[2]))
        listed = listed[:limit]
    return {"paths": [{"nodes": nodes, "factors": factors, "product": prod}
                      for nodes, factors, prod in listed],
            "count": path_count(net.layers, l), "sum": total / n, "gradient": gradient,
            "multiplications": multiplications(net.layers), "samples": n}


def agree_digits(a: float, b: float) -> int:
    """How many leading significant digits ``a`` and ``b`` share (0 to 16)."""
    if a == b:
        return 16
    scale = max(abs(a), abs(b))
    if not math.isfinite(scale) or scale == 0.0:
        return 0
    rel = abs(a - b) / scale
    return max(0, min(16, math.floor(-math.log10(rel))))


def nudge(net, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]], l: int, k: int, j: int,
          eps: float = 1e-4) -> dict[str, Any]:
    """E (the mean loss over ``X``) with w_kj moved by ±``eps``, their central
    difference and ∂E/∂w_kj by backprop, computed on a copy: ``loss_minus``,
    ``loss_plus``, ``numeric``, ``gradient``, ``agree_digits``, ``eps``, ``loss``."""
    net._check_params()
    l, k, j = _weight(net, l, k, j)
    eps = check.number(eps, "eps")
    if not 0.0 < eps <= 1.0:
        raise ValueError(f"eps: expected a number above 0 and at most 1, got {check._show(eps)}")
    rows = check.matrix(X, net.layers[0], "X")
    targets = net._target_rows(T, len(rows))
    moved = net.copy()
    w = net.weights[l][k][j]
    moved.weights[l][k][j] = w + eps
    plus = moved.loss(rows, targets)
    moved.weights[l][k][j] = w - eps
    minus = moved.loss(rows, targets)
    numeric = (plus - minus) / (2.0 * eps)
    gradient = math.fsum(net._gradients(x, t)[0][l][k][j] for x, t in zip(rows, targets)) / len(rows)
    return {"loss_minus": minus, "loss_plus": plus, "numeric": numeric, "gradient": gradient,
            "agree_digits": agree_digits(numeric, gradient), "eps": eps,
            "loss": net.loss(rows, targets)}


def linear_guess(net, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]],
                 updates: Sequence, bias_updates: Sequence, l: int, k: int, j: int) -> dict[str, Any]:
    """How good the step's linear guess is: E(w + Δw) ≈ E(w) + Δw·∂E/∂w against
    the real new loss, for the step ``updates`` (Δw, shaped as ``weights``) on
    these samples. ``weight``: only w_kj moved by its Δw; ``step``: every weight
    and bias moved (the real step). Computed on copies; ``net`` is unchanged."""
    net._check_params()
    l, k, j = _weight(net, l, k, j)
    rows = check.matrix(X, net.layers[0], "X")
    targets = net._target_rows(T, len(rows))
    n = len(rows)
    dW = [[[0.0] * len(r) for r in wl] for wl in net.weights]
    db = [[0.0] * len(b) for b in net.biases]
    for x, t in zip(rows, targets):
        gw, gb, _ = net._gradients(x, t)
        for acc, g in zip(dW, gw):
            for ra, rg in zip(acc, g):
                for i, v in enumerate(rg):
                    ra[i] += v / n
        for acc_b, g_b in zip(db, gb):
            for i, v in enumerate(g_b):
                acc_b[i] += v / n
    loss = net.loss(rows, targets)
    dw = updates[l][k][j]
    one = net.copy()
    one.weights[l][k][j] = net.weights[l][k][j] + dw
    whole = net.copy()
    whole.weights = [[[w + u for w, u in zip(r, ur)] for r, ur in zip(wl, ul)]
                     for wl, ul in zip(net.weights, updates)]
    if net.bias:
        whole.biases = [[b + u for b, u in zip(bl, ul)] for bl, ul in zip(net.biases, bias_updates)]
    step_guess = loss + math.fsum(u * g for ul, gl in zip(updates, dW) for ur, gr in zip(ul, gl)
                                  for u, g in zip(ur, gr))
    if net.bias:
        step_guess += math.fsum(u * g for ul, gl in zip(bias_updates, db) for u, g in zip(ul, gl))
    return {"loss": loss,
            "weight": {"delta": dw, "predicted": loss + dw * dW[l][k][j],
                       "actual": one.loss(rows, targets)},
            "step": {"predicted": step_guess, "actual": whole.loss(rows, targets)}}
