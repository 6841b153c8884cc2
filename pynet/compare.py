"""The course's update rule against the exact gradient, on the page's problem:
two copies of the course's sigmoid network (``pynet.course.NeuralNetwork``)
from the same start, one trained with ``mode="course"`` (the chapter's
e_hidden = Wᵀ(t − o)), one exact, online in the same sample order. Mixed into
the facade through ``pynet.stepping.StepOps``."""

from __future__ import annotations

import math
import random
from typing import Any


class CompareError(ValueError):
    """A compare request is malformed (names the key)."""

COMPARE_EPOCHS = (1, 200)


def _unit_targets(values: list[float], classify: bool) -> list[float]:
    """Targets for sigmoid outputs: classes as the course's 0.01/0.99, regression
    values scaled linearly onto [0.01, 0.99]."""
    if classify:
        return [0.99 if v > 0 else 0.01 for v in values]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    return [0.01 + 0.98 * (v - lo) / span for v in values]


def compare_rules(X: list[list[float]], T: list[float], hidden: list[int], learning_rate: float,
                  epochs: int, seed: int) -> dict[str, Any]:
    """Train two copies of the course's sigmoid network from the same start,
    one with the course's rule (``mode="course"``) and one exact, online,
    sample by sample in the same shuffled order; the mean loss after each epoch."""
    from .course import NeuralNetwork
    layers = [len(X[0]), *hidden, 1]
    nets = {mode: NeuralNetwork(network_structure=layers, learning_rate=learning_rate, bias=1.0,
                                mode=mode, seed=seed) for mode in ("course", "gradient")}
    targets = [[t] for t in T]
    curves: dict[str, list[float | None]] = {"course": [], "gradient": []}
    start = nets["gradient"].network.loss(X, targets)
    rng = random.Random(seed)
    order = list(range(len(X)))
    for _ in range(epochs):
        rng.shuffle(order)
        for mode, nn in nets.items():
            if curves[mode] and curves[mode][-1] is None:
                curves[mode].append(None)  # diverged earlier
                continue
            try:
                for i in order:
                    nn.train(X[i], targets[i])
                loss = nn.network.loss(X, targets)
                curves[mode].append(loss if math.isfinite(loss) else None)
            except ArithmeticError:
                curves[mode].append(None)
    return {"layers": layers, "start_loss": start, "course": curves["course"],
            "gradient": curves["gradient"], "learning_rate": learning_rate, "epochs": epochs}


class CompareOps:
    """``{"op": "compare", "epochs": n}``: the course's rule vs the exact
    gradient on the current problem's training set (see :func:`compare_rules`).
    Sigmoid everywhere, as in the course; the facade's own network is untouched."""

    def op_compare(self, req: dict[str, Any]) -> dict[str, Any]:
        self._need_net()  # type: ignore[attr-defined]
        epochs = req.get("epochs", 30)
        lo, hi = COMPARE_EPOCHS
        if isinstance(epochs, bool) or not isinstance(epochs, int) or not lo <= epochs <= hi:
            raise CompareError(f"epochs: expected a whole number from {lo} to {hi}, got {epochs!r}")
        s = self.settings or {}  # type: ignore[attr-defined]
        X = self.train_x  # type: ignore[attr-defined]
        T = [t[0] for t in self.train_t]  # type: ignore[attr-defined]
        classify = s.get("dataset") in ("circle", "xor", "gauss", "spiral")
        hidden = list(self.net.layers[1:-1]) or [4]  # type: ignore[attr-defined]
        if len(self.train_t[0]) != 1:  # type: ignore[attr-defined]
            raise CompareError("compare: needs a network with one output (the 2-D problems)")
        return compare_rules(X, _unit_targets(T, classify), hidden,
                             float(s.get("learning_rate", 0.1)), epochs, int(s.get("seed", 1)))
