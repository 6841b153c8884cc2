"""The web page's facade: plain JSON requests in, plain JSON results out.

This is the only module the browser side calls (from its Web Worker, through
Pyodide). It knows nothing of browsers: it is ordinary Python, tested on
CPython and inside Pyodide alike.

    >>> import json
    >>> from pynet.facade import Facade
    >>> f = Facade()
    >>> r = json.loads(f.handle('{"op": "init", "settings": {"dataset": "xor", "seed": 1}}'))
    >>> r["ok"], r["epoch"], r["layers"]
    (True, 0, [2, 4, 2, 1])

Requests (a JSON object with an ``op``):

* ``{"op": "init", "settings": {...}}`` -- builds data and network from the
  settings merged over :data:`DEFAULTS` (deterministic for a given ``seed``).
* ``{"op": "set_state", "settings": {...}}`` -- the same, but merged over the
  *current* settings, so a partial dict changes only what it names.
* ``{"op": "step", "n": 1}`` -- trains ``n`` epochs; returns ``epoch``,
  ``train_loss``, ``test_loss`` (and ``history``, the per-epoch losses);
  with ``"snapshot": true`` also everything ``state`` returns.
* ``{"op": "state"}`` -- the full snapshot: epoch, losses, settings, layer
  sizes, activations, weights and biases.
* ``{"op": "data"}`` -- the training and test points (``[x1, x2]``) and
  targets (``-1``/``+1`` for classes, floats for regression).
* ``{"op": "predict", "points": [[x1, x2], ...]}`` -- the network's output
  for each point (at most 20,000 points).
* ``{"op": "defaults"}`` -- the default settings and the allowed values.
* ``step_sample``, ``step_batch``, ``step_epoch``, ``train_for``, ``trace``,
  ``set_weight``, ``preset`` -- fine-grained steps with their traces, the
  page's play slices, editing one weight, presets: see :mod:`pynet.stepping`.

Every answer is a JSON object with ``"ok": true`` or ``"ok": false`` and an
``"error"`` message that names the bad setting; the facade never raises
through :func:`handle`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from . import datasets
from .errors import DivergedError
from .network import Network
from .stepping import StepOps

__all__ = ["DEFAULTS", "LIMITS", "Facade", "handle", "validate_settings"]

CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
REGRESSION = ("plane", "multigauss")
DATASETS = CLASSIFICATION + REGRESSION
ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear")

#: TensorFlow Playground's defaults.
DEFAULTS: dict[str, Any] = {
    "dataset": "circle",
    "noise": 0.0,
    "train_ratio": 0.5,
    "hidden": [4, 2],
    "activation": "tanh",
    "learning_rate": 0.03,
    "batch_size": 10,
    "samples": 500,
    "seed": 1,
}

LIMITS: dict[str, Any] = {
    "datasets": list(DATASETS),
    "activations": list(ACTIVATIONS),
    "noise": [0.0, 0.5],
    "train_ratio": [0.1, 0.9],
    "hidden_layers": [0, 6],
    "hidden_nodes": [1, 8],
    "learning_rate": [1e-5, 10.0],
    "batch_size": [1, 1000],
    "samples": [10, 2000],
    "seed": [0, 2**31 - 1],
    "step": [1, 10000],
    "points": [1, 20000],
}


class SettingsError(ValueError):
    """A setting is missing, of the wrong type or out of range."""


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{name}: expected a number, got {value!r}")
    f = float(value)
    if not math.isfinite(f) or not lo <= f <= hi:
        raise SettingsError(f"{name}: expected a number from {lo:g} to {hi:g}, got {value!r}")
    return f


def _integer(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(f"{name}: expected a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise SettingsError(f"{name}: expected a whole number from {lo} to {hi}, got {value!r}")
    return value


def _choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def validate_settings(settings: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge ``settings`` over ``base`` (default :data:`DEFAULTS`) and check
    every value; return a new, complete, normalised dict or raise
    :class:`SettingsError` naming the first bad setting."""
    if not isinstance(settings, dict):
        raise SettingsError(f"settings: expected an object, got {settings!r}")
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"settings: unknown setting {unknown[0]!r} "
                            f"(known: {', '.join(DEFAULTS)})")
    merged = dict(DEFAULTS if base is None else base)
    merged.update(settings)
    out: dict[str, Any] = {}
    out["dataset"] = _choice(merged["dataset"], "dataset", DATASETS)
    out["noise"] = _number(merged["noise"], "noise", *LIMITS["noise"])
    out["train_ratio"] = _number(merged["train_ratio"], "train_ratio", *LIMITS["train_ratio"])
    hidden = merged["hidden"]
    lo_l, hi_l = LIMITS["hidden_layers"]
    if not isinstance(hidden, list) or not lo_l <= len(hidden) <= hi_l:
        raise SettingsError(f"hidden: expected a list of {lo_l} to {hi_l} layer sizes, "
                            f"got {hidden!r}")
    out["hidden"] = [_integer(h, f"hidden[{i}]", *LIMITS["hidden_nodes"])
                     for i, h in enumerate(hidden)]
    out["activation"] = _choice(merged["activation"], "activation", ACTIVATIONS)
    out["learning_rate"] = _number(merged["learning_rate"], "learning_rate",
                                   *LIMITS["learning_rate"])
    out["batch_size"] = _integer(merged["batch_size"], "batch_size", *LIMITS["batch_size"])
    out["samples"] = _integer(merged["samples"], "samples", *LIMITS["samples"])
    out["seed"] = _integer(merged["seed"], "seed", *LIMITS["seed"])
    return out


def _finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


class Facade(StepOps):
    """One training session: settings, data and network. Not thread-safe
    (Pyodide has no threads)."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] | None = None
        self.net: Network | None = None
        self.epoch = 0
        self.train_x: list[list[float]] = []
        self.train_t: list[list[float]] = []
        self.test_x: list[list[float]] = []
        self.test_t: list[list[float]] = []

    # -------------------------------------------------------------- building
    def _build(self, settings: dict[str, Any]) -> None:
        s = settings
        make = getattr(datasets, s["dataset"])
        X, y = make(n=s["samples"], noise=s["noise"], seed=s["seed"])
        x_tr, y_tr, x_te, y_te = datasets.split(X, y, train_ratio=s["train_ratio"],
                                                seed=s["seed"])
        if not x_tr or not x_te:
            raise SettingsError(f"train_ratio: {s['train_ratio']:g} of {s['samples']} samples "
                                f"leaves an empty training or test set")
        classify = s["dataset"] in CLASSIFICATION
        # TF Playground: classes are -1/+1 through a tanh output; regression is linear.
        target = (lambda v: [1.0 if v == 1 else -1.0]) if classify else (lambda v: [float(v)])
        net = Network([2, *s["hidden"], 1], activation=s["activation"],
                      output_activation="tanh" if classify else "linear",
                      loss="squared", learning_rate=s["learning_rate"], seed=s["seed"])
        self.settings = s
        self.net = net
        self.epoch = 0
        self.train_x, self.train_t = x_tr, [target(v) for v in y_tr]
        self.test_x, self.test_t = x_te, [target(v) for v in y_te]

    def _need_net(self) -> Network:
        if self.net is None:
            raise SettingsError("no network yet: send {\"op\": \"init\"} first")
        return self.net

    def _losses(self) -> dict[str, Any]:
        net = self._need_net()
        return {"epoch": self.epoch,
                "train_loss": _finite_or_none(net.loss(self.train_x, self.train_t)),
                "test_loss": _finite_or_none(net.loss(self.test_x, self.test_t))}

    # -------------------------------------------------------------- ops
    def op_init(self, req: dict[str, Any]) -> dict[str, Any]:
        self._build(validate_settings(req.get("settings", {})))
        return self.op_state(req)

    def op_set_state(self, req: dict[str, Any]) -> dict[str, Any]:
        self._build(validate_settings(req.get("settings", {}), self.settings))
        return self.op_state(req)

    def op_step(self, req: dict[str, Any]) -> dict[str, Any]:
        net = self._need_net()
        n = _integer(req.get("n", 1), "n", *LIMITS["step"])
        assert self.settings is not None
        try:
            history = net.fit(self.train_x, self.train_t, epochs=n,
                              batch_size=self.settings["batch_size"], shuffle=True)
        except DivergedError as exc:
            done = (exc.epoch or 1) - 1
            self.epoch += done
            raise SettingsError(f"training diverged at epoch {self.epoch + 1} ({exc}); "
                                f"try a smaller learning_rate") from exc
        self.epoch += len(history)
        out = self.op_state(req) if req.get("snapshot") else self._losses()
        out["history"] = [_finite_or_none(h) for h in history]
        return out

    def op_state(self, req: dict[str, Any]) -> dict[str, Any]:
        net = self._need_net()
        out = self._losses()
        out.update({
            "settings": dict(self.settings or {}),
            "layers": list(net.layers),
            "activations": net.layer_activations,
            "weights": [[list(row) for row in w] for w in net.weights],
            "biases": [list(b) for b in net.biases],
            "train_size": len(self.train_x),
            "test_size": len(self.test_x),
        })
        return out

    def op_data(self, req: dict[str, Any]) -> dict[str, Any]:
        self._need_net()
        return {"train_x": self.train_x, "train_t": [t[0] for t in self.train_t],
                "test_x": self.test_x, "test_t": [t[0] for t in self.test_t]}

    def op_predict(self, req: dict[str, Any]) -> dict[str, Any]:
        net = self._need_net()
        points = req.get("points")
        lo, hi = LIMITS["points"]
        if not isinstance(points, list) or not lo <= len(points) <= hi:
            raise SettingsError(f"points: expected a list of {lo} to {hi} points [x1, x2], "
                                f"got {type(points).__name__}"
                                f"{f' of length {len(points)}' if isinstance(points, list) else ''}")
        for i, p in enumerate(points):
            if (not isinstance(p, list) or len(p) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               and math.isfinite(v) for v in p)):
                raise SettingsError(f"points[{i}]: expected [x1, x2] with two finite numbers, "
                                    f"got {p!r}")
        return {"outputs": [_finite_or_none(o[0]) for o in net.predict(points)]}

    def op_defaults(self, req: dict[str, Any]) -> dict[str, Any]:
        return {"settings": dict(DEFAULTS), "limits": LIMITS}

    # -------------------------------------------------------------- dispatch
    def request(self, req: Any) -> dict[str, Any]:
        """Handle one request dict; always returns a JSON-able dict."""
        try:
            if not isinstance(req, dict):
                raise SettingsError(f"request: expected an object, got {req!r}")
            op = req.get("op")
            fn = getattr(self, f"op_{op}", None) if isinstance(op, str) else None
            if fn is None:
                ops = ", ".join(sorted(n[3:] for n in dir(self) if n.startswith("op_")))
                raise SettingsError(f"op: expected one of {ops}, got {op!r}")
            result = fn(req)
        except (ValueError, TypeError, ArithmeticError) as exc:
            return {"ok": False, "error": str(exc), "type": type(exc).__name__}
        result["ok"] = True
        return result

    def handle(self, request_json: str) -> str:
        """JSON text in, JSON text out (never raises)."""
        try:
            req = json.loads(request_json)
        except (TypeError, ValueError) as exc:
            out: dict[str, Any] = {"ok": False, "error": f"request: not valid JSON ({exc})",
                                   "type": "ValueError"}
        else:
            out = self.request(req)
        try:
            return json.dumps(out, allow_nan=False)
        except ValueError as exc:  # a non-finite number slipped through
            return json.dumps({"ok": False, "error": f"result: {exc}", "type": "ValueError"})


_default = Facade()


def handle(request_json: str) -> str:
    """Module-level session used by the page's worker."""
    return _default.handle(request_json)
