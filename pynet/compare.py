"""The course's update rule against the exact gradient, on the page's problem:
two copies of the course's sigmoid network (``pynet.course.NeuralNetwork``)
from the same start, one trained with ``mode="course"`` (the chapter's
e_hidden = Wᵀ(t − o)), one exact, online in the same sample order. The page asks for it with the
``compare`` request (``pynet.page.compare``)."""

from __future__ import annotations

import math
import random
from typing import Any

from .course import NeuralNetwork


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
