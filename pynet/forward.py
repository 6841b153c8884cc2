"""Forward passes over many points (the heatmap grids), in code generated for
the network's shape, like ``pynet.fast`` does for training.

``outputs(net, points, neurons)`` returns, per point, the activations of
every non-input node (``neurons=True``: node layers 1..L, in order) or of the
output nodes only, as a tuple. Small networks (at most ``fast.UNROLL_LIMIT``
weights and biases) get straight-line code with every weight in a local
variable and every sum written out in the reference's order
(``passes.propagate``: b_k first, then + w_kj a_j for j = 0, 1, ...), so the
values are the reference's, bit for bit. Larger ones (digits' 64-32-10) go
row by row, z_k = b_k + Σ_j w_kj a_j as one ``math.sumprod`` per node, as
``pynet.fast`` trains them: several times faster than ``propagate``, and
equal to it up to rounding (sumprod adds in extended precision; measured
within 1e-15 relative, tested to 1e-12).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from operator import mul
from typing import Any

from . import activations, fast

try:
    from math import sumprod as _dot  # type: ignore[attr-defined, unused-ignore]
except ImportError:        # CPython 3.11
    def _dot(p: Any, q: Any) -> float:
        return sum(map(mul, p, q))

_CACHE: dict[tuple, Callable[..., Any]] = {}
CACHE_LIMIT = 32   # generated functions kept (a few kB each for the shapes the page allows)


def outputs(net: Any, points: list[list[float]], neurons: bool = False) -> list[tuple]:
    layers = tuple(net.layers)
    if _too_big(layers):
        first = 1 if neurons else len(layers) - 1
        return [tuple(v for a in _rowwise(net, p)[1][first:] for v in a) for p in points]
    return _kernel(net, neurons)(net.weights, net.biases, points)


def last_layer(net: Any, points: list[list[float]]) -> list[tuple[Any, Any]]:
    """Per point, the output layer's net inputs z and outputs o, ``(z, o)``,
    as ``propagate`` gives them (bit for bit): what ``losses.loss`` needs. The
    losses and accuracy the page shows while training are one such pass over
    the data (``Facade._measure``)."""
    layers = tuple(net.layers)
    if _too_big(layers):
        return [(zs[-1], a[-1]) for zs, a in (_rowwise(net, p) for p in points)]
    return _kernel(net, "last")(net.weights, net.biases, points)


def _rowwise(net: Any, x: list[float]) -> tuple[list[Any], list[list[float]]]:
    """``propagate`` for big networks: each node's sum as one sumprod."""
    zs: list[Any] = [None]
    acts = [x]
    a = x
    for w, b, f in zip(net.weights, net.biases, net.layer_activations):
        z = [bk + _dot(row, a) for row, bk in zip(w, b)]   # z_k = b_k + Σ_j w_kj a_j
        a = activations.apply(f, z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def _too_big(layers: tuple) -> bool:
    return sum(a * b + b for a, b in pairwise(layers)) > fast.UNROLL_LIMIT


def _kernel(net: Any, neurons: bool | str) -> Callable[..., Any]:
    layers = tuple(net.layers)
    key = (layers, tuple(net.activation), net.output_activation, neurons)
    fn = _CACHE.get(key)
    if fn is None:
        if len(_CACHE) >= CACHE_LIMIT:   # bounded, like fast's kernels: forget the oldest
            del _CACHE[next(iter(_CACHE))]
        namespace: dict[str, Any] = {}
        exec(compile(source(*key), f"<pynet.forward {layers}>", "exec"), namespace)  # noqa: S102 -- our generated kernel
        fn = _CACHE[key] = namespace["run"]
    return fn


def source(layers: tuple, hidden: tuple, out_act: str, neurons: bool | str) -> str:
    """The generated function ``run(W, B, points)`` for this shape. ``neurons``:
    True (every non-input node's output), False (the outputs) or ``"last"``
    (the output layer's ``(z, o)``)."""
    acts = list(hidden) + [out_act]
    L = len(layers) - 1
    lines = ["from math import tanh, exp", "from pynet.activations import softmax", "",
             "def run(W, B, points):"]
    body = []
    for l in range(L):
        for k in range(layers[l + 1]):
            body.append(f"b{l}_{k} = B[{l}][{k}]")
            body += [f"w{l}_{k}_{j} = W[{l}][{k}][{j}]" for j in range(layers[l])]
    body += ["out = []", "append = out.append", "for p in points:"]
    loop = [f"a0_{j} = p[{j}]" for j in range(layers[0])]
    last = neurons == "last"
    for l in range(L):
        f = acts[l]
        zs = []
        for k in range(layers[l + 1]):
            z = " + ".join([f"b{l}_{k}"] + [f"w{l}_{k}_{j} * a{l}_{j}" for j in range(layers[l])])
            if last and l == L - 1:     # the output layer's z kept for the loss
                loop.append(f"z_{k} = {z}")
                z = f"z_{k}"
            if f == "softmax":
                zs.append(z)
            else:
                loop += fast._act_lines(f, f"a{l + 1}_{k}", z)
        if f == "softmax":
            loop.append(f"_o = softmax([{', '.join(zs)}])")
            loop += [f"a{l + 1}_{k} = _o[{k}]" for k in range(layers[l + 1])]
    if last:
        m = layers[L]
        loop.append(f"append((({''.join(f'z_{k}, ' for k in range(m))}), "
                    f"({''.join(f'a{L}_{k}, ' for k in range(m))})))")
    else:
        shown = range(1, L + 1) if neurons else (L,)
        names = [f"a{l}_{k}" for l in shown for k in range(layers[l])]
        loop.append(f"append(({', '.join(names)},))")
    body += ["    " + s for s in loop]
    body.append("return out")
    return "\n".join(lines + ["    " + s for s in body]) + "\n"
