"""How a table's labels meet the network's outputs (:class:`Spec`), and each
data set's shape (inputs, outputs per output activation, the hidden-node
limit) that the page draws before Python is ready."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from . import settings as _s
from . import tabular


class Spec:
    """How a table's labels meet the network's outputs (``output_activation``
    and ``loss`` resolved from ``auto``): regression has one output and the
    target itself; two classes without softmax one output with targets
    ``lo``/``hi`` (tanh and linear −1/+1 as TF Playground, sigmoid 0/1);
    otherwise one output per class, one-hot (``lo`` elsewhere)."""

    def __init__(self, settings: dict[str, Any], table: tabular.Table) -> None:
        k = len(table.classes) if table.classes is not None else 0
        out, loss = settings["output_activation"], settings["loss"]
        if out == "auto":
            out = "linear" if not k else ("tanh" if k == 2 and loss != "cross_entropy" else
                                          "softmax" if k > 2 else "sigmoid")
        if loss == "auto":
            loss = "cross_entropy" if out == "softmax" else "squared"
        name = settings["dataset"]
        if not k and out == "softmax":
            raise _s.SettingsError(f"output_activation: softmax needs classes; {name} is a "
                                   f"regression data set (use linear)")
        if not k and loss == "cross_entropy":
            raise _s.SettingsError(f"loss: cross_entropy needs classes; {name} is a regression "
                                   f"data set (use squared)")
        if loss == "cross_entropy" and out not in ("sigmoid", "softmax"):
            raise _s.SettingsError(f"loss: cross_entropy needs a sigmoid or softmax "
                                   f"output_activation, got {out}")
        self.classes, self.output_activation, self.loss = k, out, loss
        self.outputs = 1 if k == 0 or (k == 2 and out != "softmax") else k
        self.lo = -1.0 if out in ("tanh", "linear") else 0.0
        self.hi = 1.0

    def encode(self, y: Any) -> list[float]:
        """The target vector for a label (class index) or a regression target."""
        if not self.classes:
            return [float(y)]
        if self.outputs == 1:
            return [self.hi if y == 1 else self.lo]
        t = [self.lo] * self.outputs
        t[y] = self.hi
        return t

    def decide(self, o: Sequence[float]) -> int:
        """The predicted class of an output vector (argmax; first on ties)."""
        if self.outputs == 1:
            return 1 if o[0] > (self.lo + self.hi) / 2 else 0
        best, top = 0, -math.inf
        for k, v in enumerate(o):
            if v > top:
                best, top = k, v
        return best


def shapes() -> dict[str, dict[str, Any]]:
    """Per named data set: ``inputs`` (features) and ``outputs`` per
    ``output_activation`` that fits it (``auto`` resolved as :class:`Spec`
    does), for the page to draw the right network before Python is ready
    (build.py writes this into build-info.js)."""
    out: dict[str, dict[str, Any]] = {}
    for name in _s.DATASETS:
        if name == "custom":
            continue
        s = _s.DEFAULTS
        out[name] = shape(name, tabular.generated(name, s["samples"], s["noise"], s["seed"],
                                                  s["train_ratio"]))
    return out


def shape(name: str, table: tabular.Table) -> dict[str, Any]:
    """A data set's ``inputs``, ``outputs`` per ``output_activation`` that fits it,
    and ``hidden_nodes``, the node limit of ``hidden`` for it (for the page: the
    named sets' in build-info.js, own data's kept with it by export_data)."""
    s = dict(_s.DEFAULTS, dataset=name)
    outputs: dict[str, int] = {}
    for act in _s.OUTPUT_ACTIVATIONS:
        try:
            outputs[act] = Spec({**s, "output_activation": act}, table).outputs
        except _s.SettingsError:
            continue
    n = len(table.features)
    return {"inputs": n, "outputs": outputs,
            "hidden_nodes": _s.node_limit(name, n)}
