"""The session requests: ``init``, ``set_state``, ``state``, ``defaults`` and
``preset`` (the chapter's worked example, and a wide network for the
animation's scale test)."""

from __future__ import annotations

import math
import random
from typing import Any

from ..losses import output_delta
from ..network import Network
from .settings import DEFAULTS, LIMITS, LIVE
from .state import Answer, Request, State
from .training import StepError, _index
from .values import show as _show

PRESETS = ("chapter", "wide")

# The seed chapter's worked example (docs/chapter.md, "Test vectors"): two linear
# output nodes fed by four hidden outputs h. Row 1 of who is printed in the
# chapter; h and row 2 are ours, chosen so that o1 = 0.92 and o2 = 0.18 as in
# the chapter (its diagram with the rest is lost). Targets t = (1, 1).
CHAPTER_H = [1.0, 1.0, 0.8, 0.4]
CHAPTER_WHO = [[0.6, 0.1, 0.15, 0.25], [0.05, 0.05, 0.05, 0.1]]
CHAPTER_T = [1.0, 1.0]
CHAPTER_LEARNING_RATE = 0.1


def init(st: State, req: Request) -> Answer:
    """Data and network from the settings merged over the defaults."""
    st.build(st.validate(req.get("settings", {})))
    return st.report(req)


def set_state(st: State, req: Request) -> Answer:
    """The settings merged over the current ones: only live settings changed keeps
    the network (``"reset": false``), anything else rebuilds."""
    new = st.validate(req.get("settings", {}), st.settings)
    old = st.settings
    if st.net is not None and old is not None and \
            all(new[k] == old[k] for k in new if k not in LIVE):
        # Only live settings changed: training goes on with the same network.
        st.net.learning_rate = new["learning_rate"]
        st.settings = new
        out = st.report(req)
        out["reset"] = False
        return out
    st.build(new)
    out = st.report(req)
    out["reset"] = True
    return out


def defaults(st: State, req: Request) -> Answer:
    """The default settings and the limits."""
    return {"settings": dict(DEFAULTS), "limits": LIMITS}


def state(st: State, req: Request) -> Answer:
    """The full snapshot (see :meth:`State.report`)."""
    return st.report(req)


def preset(st: State, req: Request) -> Answer:
    """``chapter``: the seed chapter's worked example (a 4-2 linear
    network without biases, one sample: h = CHAPTER_H, t = (1, 1)).
    ``wide``: a 64-32-10 sigmoid network fed random inputs (``seed``),
    the scale test for the animation until a digits problem exists."""
    name = req.get("name")
    if name not in PRESETS:
        raise StepError(f"name: expected one of {', '.join(PRESETS)}, got {_show(name)}")
    if st.settings is None:
        init(st, {})
    if name == "chapter":
        net = Network([4, 2], output_activation="linear", bias=False,
                      learning_rate=CHAPTER_LEARNING_RATE, seed=1)
        for row, values in zip(net.weights[0], CHAPTER_WHO):
            row[:] = values
        st.train_x, st.train_t = [list(CHAPTER_H)], [list(CHAPTER_T)]
    else:
        seed = req.get("seed", 1)
        _index(seed, "seed", 2**31)
        net = Network([64, 32, 10], activation="sigmoid", output_activation="sigmoid",
                      learning_rate=0.5, seed=seed)
        rng = random.Random(seed)
        xs = [[rng.random() for _ in range(64)] for _ in range(150)]
        labels = [rng.randrange(10) for _ in range(150)]
        ts = [[1.0 if c == label else 0.0 for c in range(10)] for label in labels]
        st.train_x, st.train_t = xs[:100], ts[:100]
    st.test_x = [list(x) for x in st.train_x] if name == "chapter" else xs[100:]
    st.test_t = [list(t) for t in st.train_t] if name == "chapter" else ts[100:]
    st.net = net
    st.epoch = 0
    st._preset = (name, net)
    st.rows_changed()
    out = st.report(req)
    out["preset"] = name
    if name == "chapter":
        out["sigmoid_case"] = chapter_sigmoid_case(net)
    return out


def chapter_sigmoid_case(net: Network) -> dict[str, Any]:
    """The chapter's second reading of its example (docs/chapter.md, note S8):
    the same outputs o = (0.92, 0.18), now taken as sigmoid outputs σ(z), with squared
    error. δ_k = ∂E/∂z_k = (o_k − t_k)·o_k(1 − o_k) (losses.output_delta, the
    chapter's (t − o)·o(1 − o) with the sign it drops), ∂E/∂w_kj = δ_k·h_j and
    Δw_kj = −η·∂E/∂w_kj, for the preset's weights ``net``."""
    o = [sum(w * h for w, h in zip(row, CHAPTER_H)) for row in net.weights[0]]
    z = [math.log(ok / (1.0 - ok)) for ok in o]   # σ(z) = o
    delta = output_delta("squared", "sigmoid", z, o, CHAPTER_T)
    grad = [[dk * h for h in CHAPTER_H] for dk in delta]
    return {"o": o, "t": list(CHAPTER_T), "delta": delta, "grad_weights": grad,
            "updates": [[-net.learning_rate * g for g in row] for row in grad],
            "learning_rate": net.learning_rate}
