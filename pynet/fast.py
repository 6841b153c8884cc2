"""The fast path: one training epoch in code generated for the network's shape.

``Network.fit`` calls :func:`epoch` once per epoch. It does exactly what a
loop of ``Network._step`` over consecutive chunks of ``order`` does (the
readable reference in ``pynet.network``; tests prove both agree to 1e-12),
but in Python source written for one architecture -- layer sizes,
activations, loss, bias flag and whether l1/l2 are used -- compiled once
and cached:

* small networks (at most ``UNROLL_LIMIT`` weights and biases) get
  straight-line code: every weight, bias, gradient, activation and delta is
  a local variable, every sum is written out term by term in the
  reference's order (so results are usually bit-identical to it), and the
  activation and loss formulas are inlined. No lists and no inner loops;
  the only calls are ``tanh``/``exp``/``log1p`` (and ``max``/``fsum``/``log``
  for softmax), once per node and sample.
* larger networks get row-wise code whose size does not grow with the
  layer widths: the forward pass and back-propagation use one C-level dot
  product (``math.sumprod``, or ``sum(map(mul, ...))`` before 3.12) per node;
  each step's weight gradients are dot products over the batch of the
  stored deltas and activations (``Σ_s δ_sk a_sj``).

Weights live in locals during the epoch and are written back into
``net.weights``/``net.biases`` in place (``row[:] = ...``) at its end. If a
step diverges (its loss, or a new weight or bias, is not finite), the
generated function returns where; :func:`epoch` then replays the earlier
steps of the epoch from the untouched network with the same code (which is
deterministic, so the replay is bit-identical), writes that state back and
raises ``DivergedError`` -- leaving the network as it was before the bad
step, like the reference.

``source(net)`` returns the generated code, for the curious.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from .errors import DivergedError

# Networks with at most this many weights + biases get fully unrolled code.
# Measured on CPython 3.12 (per-sample time, unrolled vs row-wise): 2-4-2-1
# 4.8x faster, 105 parameters 2.4x, 234 1.4x, 484 1.1x at batch size 10;
# from ~900 parameters on the row-wise code wins at batch 10 (it only loses
# at batch 1), while the unrolled source and its compile time (~40 us per
# parameter) keep growing. 400 covers every TF-Playground-sized network
# (the largest, 2 inputs, six hidden layers of 8, 1 output, has 393).
UNROLL_LIMIT = 400

# At most this many compiled epoch functions are kept, least recently used
# dropped first: the largest unrolled kernel (393 parameters) holds ~190 kB
# of code and source, so the cache stays under ~3 MB however many shapes a
# page session tries.
CACHE_SIZE = 16

_CACHE: dict[tuple, Callable[..., Any]] = {}   # insertion order = least recently used first
_SOURCES: dict[tuple, str] = {}


def epoch(net: Any, rows: list[list[float]], targets: list[list[float]], order: list[int],
          batch_size: int, l1: float, l2: float) -> float:
    """One epoch of steps on consecutive ``batch_size`` chunks of ``order``;
    returns the mean per-sample loss measured before each step."""
    fn = kernel(net, bool(l1 or l2))
    lr = net.learning_rate
    result = fn((net.weights, net.biases, rows, targets, order, batch_size, lr, l1, l2))
    if type(result) is not tuple:
        return result
    step, kind, loss = result
    if step:  # replay the good steps so the network is as before the bad one
        done = fn((net.weights, net.biases, rows, targets, order[:step * batch_size],
                   batch_size, lr, l1, l2))
        assert type(done) is not tuple, "replay of the good steps diverged"
    if kind == 0:
        raise DivergedError(f"the loss is {loss} before this step: the network has "
                            "diverged (lower the learning rate)", loss=loss, step=step + 1)
    raise DivergedError("a weight became non-finite in this step (lower the "
                        "learning rate); the step was not applied", loss=loss, step=step + 1)


def shuffle(rng: random.Random, x: list) -> None:
    """``rng.shuffle(x)`` -- the same permutation and the same generator
    state afterwards -- about 1.4x faster (Python's ``shuffle`` calls
    ``_randbelow`` once per element; here it is inlined). Other generator
    types fall back to their own ``shuffle``."""
    if type(rng) is not random.Random:
        rng.shuffle(x)
        return
    getrandbits = rng.getrandbits
    for i in range(len(x) - 1, 0, -1):
        n = i + 1
        k = n.bit_length()
        j = getrandbits(k)
        while j >= n:
            j = getrandbits(k)
        x[i], x[j] = x[j], x[i]


def _key(net: Any, reg: bool) -> tuple:
    layers = tuple(net.layers)
    unroll = sum(a * b + b for a, b in pairwise(layers)) <= UNROLL_LIMIT
    return (layers, tuple(net.activation), net.output_activation, net.loss_name,
            bool(net.bias), reg, unroll)


def kernel(net: Any, reg: bool = False) -> Callable[..., Any]:
    """The compiled epoch function for ``net``'s shape (cached)."""
    key = _key(net, reg)
    fn = _CACHE.pop(key, None)
    if fn is None:
        src = _generate(*key)
        namespace: dict[str, Any] = {}
        exec(compile(src, f"<pynet.fast {key[0]}>", "exec"), namespace)  # noqa: S102 -- our generated kernel
        fn = namespace["run"]
        _SOURCES[key] = src
        while len(_CACHE) >= CACHE_SIZE:           # evict the least recently used
            old = next(iter(_CACHE))
            del _CACHE[old]
            _SOURCES.pop(old, None)
    _CACHE[key] = fn                               # (re)inserted last = most recent
    return fn


def source(net: Any, reg: bool = False) -> str:
    """The generated source of ``net``'s epoch function."""
    kernel(net, reg)
    return _SOURCES[_key(net, reg)]


def _finite_check(cs: str, values: list[str]) -> list[str]:
    """Lines that return ``(step, 1, ml)`` when a new weight or bias is not
    finite. The sum ``cs`` catches NaN and ±inf in one C-level pass; when it
    is not finite, each value is looked at, because finite weights can sum
    past 1.8e308 (two of 1e308) without anything having diverged."""
    return [f"if not isfinite({cs}) and not all(map(isfinite, {values[0]})):"
            if len(values) == 1 else
            f"if not isfinite({cs}) and not ({' and '.join(f'all(map(isfinite, {v}))' for v in values)}):",
            "    return (step, 1, ml)"]


# ------------------------------------------------------------------ helpers
_PRELUDE = """\
from math import tanh, exp, log, log1p, fsum, isfinite
"""


def _generate(layers: tuple, hidden: tuple, out_act: str, loss: str, bias: bool,
              reg: bool, unroll: bool) -> str:
    if unroll:
        return _unrolled(layers, hidden, out_act, loss, bias, reg)
    return _rowwise(layers, hidden, out_act, loss, bias, reg)


def _chain(terms: list[str], op: str = " + ", per_line: int = 32) -> list[str]:
    """Lines computing ``cs = t0 + t1 + ...`` without one huge expression."""
    out = []
    for i in range(0, len(terms), per_line):
        chunk = op.join(terms[i:i + per_line])
        out.append(f"cs = {chunk}" if i == 0 else f"cs += {chunk}")
    return out


def _act_lines(f: str, a: str, z: str) -> list[str]:
    """Statements setting ``a`` = f(z) for an element-wise activation."""
    if f in ("tanh", "linear"):
        return [f"{a} = {_act_expr(f, z)}"]
    return [f"_z = {z}", f"{a} = {_act_expr(f, '_z')}"]


def _act_expr(f: str, z: str) -> str:
    """An expression for f(z); ``z`` is evaluated once (bound to ``_z``)."""
    if f == "tanh":
        return f"tanh({z})"
    if f == "linear":
        return z
    bind = z if z == "_z" else f"(_z := {z})"
    if f == "sigmoid":  # two branches so exp never overflows (activations.sigmoid)
        return f"(1.0 / (1.0 + exp(-_z)) if {bind} >= 0.0 else (_e := exp(_z)) / (1.0 + _e))"
    assert f == "relu"
    return f"(_z if {bind} > 0.0 else 0.0)"


def _times_fprime(f: str, s: str, a: str) -> str:
    """``s * f'(z)`` written through the output ``a`` (activations.DERIVATIVES)."""
    if f == "tanh":
        return f"({s}) * (1.0 - {a} * {a})"
    if f == "sigmoid":
        return f"({s}) * ({a} * (1.0 - {a}))"
    if f == "relu":  # a > 0 exactly when z > 0
        return f"(({s}) if {a} > 0.0 else 0.0)"
    return f"({s})"


def _assign(line: str) -> str:
    """``acc += v`` -> ``acc = v`` for the accumulators (gradients, loss)."""
    name, op, rest = line.partition(" += ")
    if op and (name == "total" or name.startswith(("gw", "gb"))):
        return f"{name} = {rest}"
    return line


def _sign(w: str) -> str:
    return f"(1.0 if {w} > 0.0 else (-1.0 if {w} < 0.0 else 0.0))"


# ---------------------------------------------------------------- unrolled
def _unrolled(layers: tuple, hidden: tuple, out_act: str, loss: str, bias: bool,
              reg: bool) -> str:
    L = len(layers) - 1                      # weight layers
    acts = list(hidden) + [out_act]
    sizes = list(layers)

    def w(l: int, k: int, j: int) -> str:
        return f"w{l}_{k}_{j}"

    def gw(l: int, k: int, j: int) -> str:
        return f"gw{l}_{k}_{j}"

    def a(l: int, j: int) -> str:          # activation j of node layer l
        return f"a{l}_{j}"

    def d(l: int, k: int) -> str:          # delta k of weight layer l
        return f"d{l}_{k}"

    all_w = [w(l, k, j) for l in range(L) for k in range(sizes[l + 1]) for j in range(sizes[l])]
    all_b = [f"b{l}_{k}" for l in range(L) for k in range(sizes[l + 1])]
    all_gw = [g.replace("w", "gw", 1) for g in all_w]
    all_gb = [f"g{b}" for b in all_b]

    src = [_PRELUDE, "def run(args):"]
    # CPython numbers locals by first appearance. Only pairs of locals
    # numbered below 16 fuse into one LOAD_FAST_LOAD_FAST instruction, so the
    # activations and deltas (loaded in pairs: δ·a, a·a) are named first;
    # and only the first 64 are proven bound (others get LOAD_FAST_CHECK), so
    # the weights and accumulators of the sample loop come next.
    hot: list[str] = []
    for l in range(L + 1):
        hot += [a(l, j) for j in range(sizes[l])]
        if l < L:
            hot += [d(l, k) for k in range(sizes[l + 1])]
    hot += ["rows", "targets", "i"] + all_w + all_b + ["total"] + all_gw + (all_gb if bias else [])
    body: list[str] = [" = ".join(hot[i:i + 64]) + " = 0.0" for i in range(0, len(hot), 64)]
    body.append("W, B, rows, targets, order, bs, lr, l1, l2 = args")
    for l in range(L):
        rows_pat = ", ".join("(" + ", ".join(w(l, k, j) for j in range(sizes[l])) + ",)"
                             for k in range(sizes[l + 1]))
        body.append(f"{rows_pat}, = W[{l}]")
        body.append(", ".join(f"b{l}_{k}" for k in range(sizes[l + 1])) + f", = B[{l}]")
    body += ["N = len(order)", "etotal = 0.0", "step = 0"]
    body.append("for s0 in range(0, N, bs):")
    # The first sample of a batch assigns the sums (g = v is 0.0 + v), the
    # others add to them: no resetting of accumulators between steps.
    st: list[str] = ["i = order[s0]"]
    smp: list[str] = []
    smp.append(", ".join(a(0, j) for j in range(sizes[0])) + ", = rows[i]")
    n_out = sizes[L]
    ts = [f"t{k}" for k in range(n_out)]
    if loss == "cross_entropy" and out_act == "softmax":
        smp.append("T = targets[i]")
        smp.append(", ".join(ts) + ", = T")
        smp.append("st = fsum(T)")
    else:
        smp.append(", ".join(ts) + ", = targets[i]")
    # forward
    for l in range(L):
        for k in range(sizes[l + 1]):
            z = " + ".join([f"b{l}_{k}"] + [f"{w(l, k, j)} * {a(l, j)}" for j in range(sizes[l])])
            if l < L - 1 or out_act != "softmax" and loss != "cross_entropy":
                smp += _act_lines(acts[l], a(l + 1, k), z)
            else:
                smp.append(f"z{k} = {z}")
    o = [a(L, k) for k in range(n_out)]
    zs = [f"z{k}" for k in range(n_out)]
    if out_act == "softmax":
        smp.append(f"m = max({', '.join(zs)})" if n_out > 1 else "m = z0")
        for k in range(n_out):
            smp.append(f"e{k} = exp(z{k} - m)")
        smp.append(f"S = fsum(({', '.join(f'e{k}' for k in range(n_out))},))")
        for k in range(n_out):
            smp.append(f"{o[k]} = e{k} / S")
    elif loss == "cross_entropy":           # sigmoid output, loss from z
        for k in range(n_out):
            smp.append(f"E{k} = exp(-z{k}) if z{k} >= 0.0 else exp(z{k})")
            smp.append(f"{o[k]} = 1.0 / (1.0 + E{k}) if z{k} >= 0.0 else E{k} / (1.0 + E{k})")
    # loss and output deltas
    if loss == "squared":
        for k in range(n_out):
            smp.append(f"g{k} = {o[k]} - t{k}")
        # Σ ½·e = ½·Σ e exactly (scaling by 2 is exact), so ½ is applied once
        # per step. (Only a batch loss sum above ~1.8e308 -- the network has
        # blown up anyway -- would overflow here one step before the reference.)
        smp.append("total += " + " + ".join(f"g{k} * g{k}" for k in range(n_out)))
        if out_act == "softmax":
            smp.append("og = " + " + ".join(f"{o[k]} * g{k}" for k in range(n_out)))
            for k in range(n_out):
                smp.append(f"{d(L - 1, k)} = {o[k]} * (g{k} - og)")
        else:
            for k in range(n_out):
                smp.append(f"{d(L - 1, k)} = {_times_fprime(out_act, f'g{k}', o[k])}")
    elif out_act == "sigmoid":
        # E = Σ t softplus(-z) + (1 - t) softplus(z), softplus(±z) from
        # P = log1p(exp(-|z|)) exactly as losses.softplus computes them.
        terms = []
        for k in range(n_out):
            smp.append(f"P{k} = log1p(E{k})")
            terms.append(f"t{k} * (P{k} - z{k} if z{k} < 0.0 else P{k}) + "
                         f"(1.0 - t{k}) * (z{k} + P{k} if z{k} > 0.0 else P{k})")
        smp.append("total += " + " + ".join(f"({t})" for t in terms))
        for k in range(n_out):
            smp.append(f"{d(L - 1, k)} = {o[k]} - t{k}")
    else:                                   # softmax + cross-entropy
        smp.append("lse = m + log(S)")
        smp.append("total += " + " + ".join(f"t{k} * (lse - z{k})" for k in range(n_out)))
        for k in range(n_out):
            smp.append(f"{d(L - 1, k)} = {o[k]} * st - t{k}")
    # back-propagation: δ[l-1]_j = f'(a[l]_j) Σ_k w[l]_kj δ[l]_k
    for l in range(L - 1, 0, -1):
        for j in range(sizes[l]):
            s = " + ".join(f"{w(l, k, j)} * {d(l, k)}" for k in range(sizes[l + 1]))
            smp.append(f"{d(l - 1, j)} = {_times_fprime(acts[l - 1], s, a(l, j))}")
    # gradient sums
    for l in range(L):
        for k in range(sizes[l + 1]):
            for j in range(sizes[l]):
                smp.append(f"{gw(l, k, j)} += {d(l, k)} * {a(l, j)}")
            if bias:
                smp.append(f"gb{l}_{k} += {d(l, k)}")
    first = [_assign(line) for line in smp]
    st += first + ["for i in order[s0 + 1:s0 + bs]:"] + ["    " + s for s in smp]
    # the step
    half = "0.5 * " if loss == "squared" else ""
    st += ["n = N - s0 if N - s0 < bs else bs", f"ml = {half}total / n",
           "if not isfinite(ml):", "    return (step, 0, ml)"]
    for wv, gv in zip(all_w, all_gw):
        if reg:
            st.append(f"{wv} = {wv} - lr * ({gv} / n + l1 * {_sign(wv)} + l2 * {wv})")
        else:
            st.append(f"{wv} = {wv} - lr * ({gv} / n)")
    if bias:
        for bv, gv in zip(all_b, all_gb):
            st.append(f"{bv} = {bv} - lr * {gv} / n")
    checked: list[str] = []   # the reference's order: a layer's weights, then its biases
    for l in range(L):
        checked += [v for v in all_w if v.startswith(f"w{l}_")]
        checked += [f"b{l}_{k}" for k in range(sizes[l + 1])] if bias else []
    st += _chain(checked)
    st += _finite_check("cs", ["(" + ", ".join(checked) + ",)"])
    st += ["etotal += ml * n", "step += 1"]
    body += ["    " + s for s in st]
    # write back in place
    for l in range(L):
        body.append(f"Wl = W[{l}]")
        for k in range(sizes[l + 1]):
            body.append(f"Wl[{k}][:] = [{', '.join(w(l, k, j) for j in range(sizes[l]))}]")
        if bias:
            body.append(f"B[{l}][:] = [{', '.join(f'b{l}_{k}' for k in range(sizes[l + 1]))}]")
    body.append("return etotal / N")
    src += ["    " + s for s in body]
    return "\n".join(src) + "\n"


# ---------------------------------------------------------------- row-wise
def _rowwise(layers: tuple, hidden: tuple, out_act: str, loss: str, bias: bool,
             reg: bool) -> str:
    L = len(layers) - 1
    acts = list(hidden) + [out_act]
    dot = "dot"
    src = [_PRELUDE,
           "from operator import mul",
           "try:",
           "    from math import sumprod as dot",
           "except ImportError:",
           "    def dot(p, q):",
           "        return sum(map(mul, p, q))",
           "def run(args):"]
    body: list[str] = ["W, B, rows, targets, order, bs, lr, l1, l2 = args"]
    for l in range(L):
        body.append(f"W{l} = [list(r) for r in W[{l}]]")
        body.append(f"B{l} = list(B[{l}])")
    body += ["N = len(order)", "etotal = 0.0", "step = 0",
             "for s0 in range(0, N, bs):"]
    st: list[str] = ["idx = order[s0:s0 + bs]", "total = 0.0"]
    for l in range(1, L):
        st.append(f"C{l} = list(zip(*W{l}))")          # columns, for back-propagation
    for l in range(L):
        st.append(f"A{l} = []; D{l} = []")
    st.append("for i in idx:")
    smp: list[str] = ["a0 = rows[i]", "t = targets[i]"]
    for l in range(L - 1):
        smp.append(f"a{l + 1} = [{_act_expr(acts[l], f'b + {dot}(r, a{l})')} "
                   f"for r, b in zip(W{l}, B{l})]")
    last = L - 1
    smp.append(f"z = [b + {dot}(r, a{last}) for r, b in zip(W{last}, B{last})]")
    if out_act == "softmax":
        smp += ["m = max(z)", "es = [exp(v - m) for v in z]", "S = fsum(es)",
                "o = [e / S for e in es]"]
    elif loss == "cross_entropy":           # sigmoid
        smp += ["Es = [exp(-v) if v >= 0.0 else exp(v) for v in z]",
                "o = [1.0 / (1.0 + E) if v >= 0.0 else E / (1.0 + E) for v, E in zip(z, Es)]"]
    else:
        smp.append(f"o = [{_act_expr(out_act, 'v')} for v in z]")
    if loss == "squared":
        smp.append("g = [ok - tk for ok, tk in zip(o, t)]")
        smp.append("e = 0.0")
        smp.append("for gk in g: e += gk * gk")
        smp.append("total += 0.5 * e")
        if out_act == "softmax":
            smp.append("og = 0.0")
            smp.append("for ok, gk in zip(o, g): og += ok * gk")
            smp.append("d = [ok * (gk - og) for ok, gk in zip(o, g)]")
        else:
            smp.append(f"d = [{_times_fprime(out_act, 'gk', 'ok')} for gk, ok in zip(g, o)]")
    elif out_act == "sigmoid":
        smp.append("e = 0.0")
        smp.append("for v, E, tk in zip(z, Es, t):")
        smp.append("    P = log1p(E)")
        smp.append("    e += tk * (P - v if v < 0.0 else P) + (1.0 - tk) * (v + P if v > 0.0 else P)")
        smp.append("total += e")
        smp.append("d = [ok - tk for ok, tk in zip(o, t)]")
    else:
        smp.append("lse = m + log(S)")
        smp.append("e = 0.0")
        smp.append("for v, tk in zip(z, t): e += tk * (lse - v)")
        smp.append("total += e")
        smp.append("st = fsum(t)")
        smp.append("d = [ok * st - tk for ok, tk in zip(o, t)]")
    smp.append(f"D{last}.append(d)")
    prev = "d"
    for l in range(L - 1, 0, -1):
        name = f"d{l - 1}"
        smp.append(f"{name} = [{_times_fprime(acts[l - 1], f'{dot}(c, {prev})', 'aj')} "
                   f"for c, aj in zip(C{l}, a{l})]")
        smp.append(f"D{l - 1}.append({name})")
        prev = name
    for l in range(L):
        smp.append(f"A{l}.append(a{l})")
    st += ["    " + s for s in smp]
    st += ["n = len(idx)", "ml = total / n",
           "if not isfinite(ml):", "    return (step, 0, ml)", "cs = 0.0"]
    reg_terms = f" + l1 * {_sign('wkj')} + l2 * wkj" if reg else ""
    # One sample: the gradient is the outer product itself. Several: each
    # weight's gradient is a dot product over the batch, Σ_s δ_sk a_sj.
    st.append("if n == 1:")
    for l in range(L):
        st.append(f"    a = A{l}[0]; dd = D{l}[0]")
        st.append(f"    W{l} = [[wkj - lr * (dk * aj / n{reg_terms}) for wkj, aj in zip(r, a)] "
                  f"for r, dk in zip(W{l}, dd)]")
        if bias:
            st.append(f"    B{l} = [bk - lr * dk / n for bk, dk in zip(B{l}, dd)]")
    st.append("else:")
    for l in range(L):
        st.append(f"    Ac = list(zip(*A{l})); Dc = list(zip(*D{l}))")
        st.append(f"    W{l} = [[wkj - lr * ({dot}(dk, aj) / n{reg_terms}) for wkj, aj in zip(r, Ac)] "
                  f"for r, dk in zip(W{l}, Dc)]")
        if bias:
            st.append(f"    B{l} = [bk - lr * sum(dk) / n for bk, dk in zip(B{l}, Dc)]")
    for l in range(L):
        st.append(f"cs += sum(map(sum, W{l}))")
        if bias:
            st.append(f"cs += sum(B{l})")
    rows = [f"(v for r in W{l} for v in r)" for l in range(L)]
    st += _finite_check("cs", [v for l in range(L)
                               for v in [rows[l]] + ([f"B{l}"] if bias else [])])
    st += ["etotal += ml * n", "step += 1"]
    body += ["    " + s for s in st]
    for l in range(L):
        body.append(f"for r, new in zip(W[{l}], W{l}): r[:] = new")
        if bias:
            body.append(f"B[{l}][:] = B{l}")
    body.append("return etotal / N")
    src += ["    " + s for s in body]
    return "\n".join(src) + "\n"

