"""Why the gradient is right: the requests ``paths`` and ``nudge`` (the engine's
:mod:`pynet.paths` on the page's samples).

Both explain one weight w_kj of weight layer l (``{"l", "k", "j"}``) on the
samples of the last traced step (step_sample, step_batch, step_epoch's last
batch), at the weights *before* that step -- the numbers the step's trace and
the explain panel show -- while the network still holds the weights that step
left. Otherwise (nothing stepped yet, or trained, edited or rebuilt since) they
use the next sample of the epoch's order at the weights now. ``at`` says which:
``"last_step"`` or ``"now"``; ``rows`` are the training rows used.

* ``paths`` -- the chain rule's paths from w's destination to the outputs:
  ``paths`` (the 50 largest by |product|, each with ``nodes``, ``factors``,
  ``product``), ``count``, ``sum``, ``gradient`` (∂E/∂w by backprop),
  ``multiplications`` (``paths``, ``backprop``: for every weight of this
  network), ``samples``.
* ``nudge`` (``eps``: 1e-4 by default) -- ``loss_minus``, ``loss_plus``,
  ``numeric`` (the central difference), ``gradient``, ``agree_digits``,
  ``eps``, ``loss``; after a step also ``linear_guess``: E(w + Δw) ≈ E(w) +
  Δw·∂E/∂w for the step's real Δw against the real new loss (``weight``: only
  w moved; ``step``: every weight and bias moved). Computed on copies: the
  session is unchanged.
"""

from __future__ import annotations

from typing import Any

from .. import paths as chain
from ..network import Network
from . import training
from .settings import SettingsError
from .state import Answer, Request, State
from .values import show


def _weight(req: Request) -> tuple[Any, Any, Any]:
    return req.get("l"), req.get("k"), req.get("j")


def _where(st: State) -> tuple[Network, list[int], dict[str, Any] | None]:
    """The network to explain (a copy), the training rows and the last step (or None)."""
    net = st.need_net()
    last = st.last_step
    if last is not None and last["net"] is net and \
            last["after"] == ([list(r) for r in net.weights], [list(b) for b in net.biases]):
        before = net.copy()
        before.weights, before.biases = last["weights"], last["biases"]
        return before, last["rows"], last
    st.need_rows("paths")
    order = training._order_now(st)
    return net.copy(), [order[st._cursor]], None


def _samples(st: State, rows: list[int]) -> tuple[list[list[float]], list[list[float]]]:
    return [st.train_x[i] for i in rows], [st.train_t[i] for i in rows]


def paths(st: State, req: Request) -> Answer:
    net, rows, last = _where(st)
    X, T = _samples(st, rows)
    l, k, j = _weight(req)
    out = chain.paths(net, X, T, l, k, j)
    out.update(at="last_step" if last else "now", rows=rows)
    return out


def nudge(st: State, req: Request) -> Answer:
    eps = req.get("eps", 1e-4)
    if isinstance(eps, bool) or not isinstance(eps, (int, float)):
        raise SettingsError(f"eps: expected a number above 0 and at most 1, got {show(eps)}")
    net, rows, last = _where(st)
    X, T = _samples(st, rows)
    l, k, j = _weight(req)
    out = chain.nudge(net, X, T, l, k, j, float(eps))
    if last is not None:
        out["linear_guess"] = chain.linear_guess(net, X, T, last["updates"], last["bias_updates"],
                                                 l, k, j)
    out.update(at="last_step" if last else "now", rows=rows)
    return out
