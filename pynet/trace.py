"""One backpropagation step, computed but not applied, with everything a
viewer needs to show *why* each weight changes.

Indexing (the same as ``Network``): node layers l = 0 (inputs) … L
(outputs); weight layers l = 0 … L−1, ``weights[l][k][j]`` from node j of
node layer l into node k of node layer l+1.

Three meanings of "the part of node k's error sent back along w_kj"
(``shares[kind][l][k][j]``) and the error each node collects
(``node_errors[kind][l][j]`` = Σ_k of the shares arriving at node j):

    proportional  e_k · w_kj / Σ_i w_ki     the seed's intuition: the shares of
                                            e_k sum back to e_k. Starts from
                                            e = t − o at the outputs.
    transposed    w_kj · e_k                the seed's e_hidden = whoᵀ·e, through
                                            the weights before the step. Starts
                                            from e = t − o. (The course's code
                                            sends e through who *after* adding
                                            its output step: NeuralNetwork
                                            mode="course".)
    gradient      w_kj · δ_k                exact backprop: node j collects
                                            ∂E/∂a_j = Σ_k w_kj δ_k. Starts from δ
                                            at the outputs.

The proportional denominator Σ_i w_ki (incoming weights from nodes; the bias
is not a node and takes no share) can be near zero or negative
(docs/chapter.md, note S6). Rule, reported per node in ``share_rules[l][k]``:

    "sum"      |Σ_i w_ki| ≥ TINY · Σ_i |w_ki|: the seed's formula, shares sum to e_k
    "abs_sum"  otherwise: divide by Σ_i |w_ki| (shares keep the weights' signs
               and no longer sum to e_k, but cannot explode)
    "equal"    all incoming weights are 0: each of the n inputs gets e_k / n

A batch trace (``Network.backprop_batch``) averages every per-sample quantity
over its samples; its gradients and updates are those of the batch step
(the mean gradient).
"""

from __future__ import annotations

from typing import Any

from .passes import propagate

TINY = 0.01
KINDS = ("proportional", "transposed", "gradient")


class Trace:
    """The result of ``Network.backprop``: read the attributes or ``to_dict()``.

    Attributes (lists of floats, shaped as in the module docstring):
    ``inputs``, ``net_inputs`` (``net_inputs[0]`` is None), ``activations``,
    ``targets``, ``errors`` (t − o), ``loss`` (mean E before the step),
    ``loss_after`` (mean E of the same samples after the step), ``deltas``,
    ``grad_weights``, ``grad_biases``, ``updates`` (Δw = −η ∂E/∂w),
    ``bias_updates``, ``shares``, ``node_errors``, ``share_rules``,
    ``learning_rate``, ``samples`` (batch size), ``layers``,
    ``layer_activations``, ``loss_name``.
    """

    layers: list[int]
    layer_activations: list[str]
    loss_name: str
    learning_rate: float
    samples: int
    inputs: list[float]
    net_inputs: list[list[float] | None]
    activations: list[list[float]]
    targets: list[float]
    errors: list[float]
    loss: float
    loss_after: float
    deltas: list[list[float]]
    grad_weights: list[list[list[float]]]
    grad_biases: list[list[float]]
    updates: list[list[list[float]]]
    bias_updates: list[list[float]]
    shares: dict[str, list[list[list[float]]]]
    node_errors: dict[str, list[list[float]]]
    share_rules: list[list[str]]

    FIELDS = ("layers", "layer_activations", "loss_name", "learning_rate", "samples",
              "inputs", "net_inputs", "activations", "targets", "errors", "loss",
              "loss_after", "deltas", "grad_weights", "grad_biases", "updates",
              "bias_updates", "shares", "node_errors", "share_rules")

    def __init__(self, **values: Any) -> None:
        for name in self.FIELDS:
            setattr(self, name, values[name])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict with the attribute names as keys."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def __repr__(self) -> str:
        return f"<Trace layers={self.layers} samples={self.samples} loss={self.loss:.6g}>"


def proportional_denominators(weights: list[list[list[float]]]) -> tuple[list, list]:
    """Per weight layer and destination node: the divisor and its rule."""
    denominators, rules = [], []
    for w in weights:
        dl, rl = [], []
        for row in w:
            s = 0.0
            a = 0.0
            for v in row:
                s += v
                a += abs(v)
            if a == 0.0:
                dl.append(float(len(row)))
                rl.append("equal")
            elif abs(s) >= TINY * a:
                dl.append(s)
                rl.append("sum")
            else:
                dl.append(a)
                rl.append("abs_sum")
        denominators.append(dl)
        rules.append(rl)
    return denominators, rules


def _sample(net, x, t, denominators, rules) -> dict[str, Any]:
    zs, acts = net._forward(x)
    deltas = net._deltas(zs, acts, t)
    o = acts[-1]
    errors = [tk - ok for tk, ok in zip(t, o)]
    W = net.weights
    L = len(W)
    shares: dict[str, list] = {kind: [None] * L for kind in KINDS}
    node_errors: dict[str, list] = {kind: [None] * (L + 1) for kind in KINDS}
    node_errors["proportional"][L] = list(errors)
    node_errors["transposed"][L] = list(errors)
    node_errors["gradient"][L] = list(deltas[-1])
    for l in range(L - 1, -1, -1):
        n_src = net.layers[l]
        for kind in KINDS:
            sent_from = deltas[l] if kind == "gradient" else node_errors[kind][l + 1]
            layer_shares = []
            for k, row in enumerate(W[l]):
                ek = sent_from[k]
                if kind != "proportional":
                    layer_shares.append([wkj * ek for wkj in row])
                elif rules[l][k] == "equal":
                    layer_shares.append([ek / n_src] * n_src)
                else:
                    layer_shares.append([ek * wkj / denominators[l][k] for wkj in row])
            collected = [0.0] * n_src
            for srow in layer_shares:
                for j, v in enumerate(srow):
                    collected[j] += v
            shares[kind][l] = layer_shares
            node_errors[kind][l] = collected
    grad_w = [[[dk * aj for aj in acts[l]] for dk in d] for l, d in enumerate(deltas)]
    grad_b = [list(d) if net.bias else [0.0] * len(d) for d in deltas]
    return {
        "inputs": list(x), "net_inputs": zs, "activations": acts, "targets": list(t),
        "errors": errors, "loss": net._sample_loss(zs, acts, t), "deltas": deltas,
        "grad_weights": grad_w, "grad_biases": grad_b, "shares": shares,
        "node_errors": node_errors,
    }


def _mean(values: list[Any]) -> Any:
    """Element-wise mean of equally shaped nested lists / dicts of floats."""
    first = values[0]
    if first is None:
        return None
    if isinstance(first, dict):
        return {key: _mean([v[key] for v in values]) for key in first}
    if isinstance(first, list):
        return [_mean([v[i] for v in values]) for i in range(len(first))]
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def build(net, X: list[list[float]], T: list[list[float]]) -> Trace:
    """Trace of one step of ``net`` on the (already validated) batch X, T."""
    denominators, rules = proportional_denominators(net.weights)
    samples = [_sample(net, x, t, denominators, rules) for x, t in zip(X, T)]
    agg = samples[0] if len(samples) == 1 else _mean(samples)
    lr = net.learning_rate
    updates = [[[-lr * g for g in row] for row in gl] for gl in agg["grad_weights"]]
    bias_updates = [[-lr * g for g in gl] for gl in agg["grad_biases"]]
    after_w = [[[w + u for w, u in zip(row, urow)] for row, urow in zip(wl, ul)]
               for wl, ul in zip(net.weights, updates)]
    after_b = [[b + u for b, u in zip(bl, ul)] for bl, ul in zip(net.biases, bias_updates)]
    loss_after = _loss_with(net, after_w, after_b, X, T)
    return Trace(layers=list(net.layers), layer_activations=net.layer_activations,
                 loss_name=net.loss_name, learning_rate=lr, samples=len(X),
                 updates=updates, bias_updates=bias_updates, share_rules=rules,
                 loss_after=loss_after, **agg)


def _loss_with(net, weights, biases, X, T) -> float:
    """Mean loss of (X, T) under other weights, without touching ``net``."""
    total = 0.0
    for x, t in zip(X, T):
        zs, acts = propagate(weights, biases, net.layer_activations, x)
        total += net._sample_loss(zs, acts, t)
    return total / len(X)
