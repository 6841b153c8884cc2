"""The ``compare`` request: the course's rule against the exact gradient on the
current problem's training set (:func:`pynet.compare.compare_rules`)."""

from __future__ import annotations

from ..compare import _unit_targets, compare_rules
from .state import Answer, Request, State

COMPARE_EPOCHS = (1, 200)


class CompareError(ValueError):
    """A compare request is malformed (names the key)."""


def compare(st: State, req: Request) -> Answer:
    """``{"op": "compare", "epochs": n}``: the course's rule vs the exact
    gradient on the current problem's training set. Sigmoid everywhere, as in
    the course; the session's own network is untouched."""
    net = st.need_net()
    epochs = req.get("epochs", 30)
    lo, hi = COMPARE_EPOCHS
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not lo <= epochs <= hi:
        raise CompareError(f"epochs: expected a whole number from {lo} to {hi}, got {epochs!r}")
    st.no_preset("compare")
    st.need_rows("compare")
    s = st.settings or {}
    X = st.train_x
    T = [t[0] for t in st.train_t]
    classify = s.get("dataset") in ("circle", "xor", "gauss", "spiral")
    hidden = list(net.layers[1:-1]) or [4]
    if len(st.train_t[0]) != 1:
        raise CompareError("compare: needs a network with one output (the 2-D problems)")
    return compare_rules(X, _unit_targets(T, classify), hidden,
                         float(s.get("learning_rate", 0.1)), epochs, int(s.get("seed", 1)))
