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
  with ``"snapshot": true`` also everything ``state`` returns. One request
  does at most ``LIMITS["step_work"]`` units of work, counted as
  ``n`` × training samples × (weights + biases), so no call runs for minutes
  (one epoch is always allowed; the page trains one epoch per request).
  If training diverges (a loss or a new weight is not finite), the epochs
  that completed are kept and the failing epoch is rolled back entirely
  (weights, biases, shuffling generator, epoch count): the answer is
  ``{"ok": false, "type": "DivergedError", "error": ...}`` with the kept
  ``epoch``, its ``train_loss``/``test_loss`` and ``history``, and ``state``
  afterwards describes exactly that network.
* ``{"op": "state"}`` -- the full snapshot: epoch, losses, settings, layer
  sizes, activations, weights and biases.
* ``{"op": "data"}`` -- the training and test points (``[x1, x2]``) and
  targets (``-1``/``+1`` for classes, floats for regression).
* ``{"op": "predict", "points": [[x1, x2], ...]}`` -- the network's output
  for each point (at most 20,000 points).
* ``{"op": "defaults"}`` -- the default settings and the allowed values.

Every answer is a JSON object with ``"ok": true`` or ``"ok": false``, an
``"error"`` message that names the bad setting (quoting at most 60
characters of what came) and its ``"type"`` (``SettingsError``,
``DivergedError``, ``ValueError`` for JSON that cannot be read); the facade
never raises through :func:`handle`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from . import datasets
from .errors import DivergedError
from .network import Network
from .validate import _show

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
    # n × training samples × (weights + biases) per step request: about 1 s of
    # CPython for the largest network (2-8-8-8-8-8-8-1, 393 parameters, ~12
    # epochs of 2,000 samples), and always at least one epoch of it.
    "step_work": 10_000_000,
    # brackets nested deeper than this are refused before parsing: json's
    # parser recurses per level, and inside Pyodide a few thousand levels
    # exhaust the JavaScript stack (a fatal error, not a RecursionError)
    "request_depth": 32,
}


class SettingsError(ValueError):
    """A setting is missing, of the wrong type or out of range."""


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{name}: expected a number, got {_show(value)}")
    try:
        f = float(value)
    except OverflowError:   # an int past 1.8e308
        f = math.inf
    if not math.isfinite(f) or not lo <= f <= hi:
        raise SettingsError(f"{name}: expected a number from {lo:g} to {hi:g}, got {_show(value)}")
    return f


def _integer(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(f"{name}: expected a whole number, got {_show(value)}")
    if not lo <= value <= hi:
        raise SettingsError(f"{name}: expected a whole number from {lo} to {hi}, "
                            f"got {_show(value)}")
    return value


def _choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name}: expected one of {', '.join(allowed)}, got {_show(value)}")
    return value


def validate_settings(settings: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge ``settings`` over ``base`` (default :data:`DEFAULTS`) and check
    every value; return a new, complete, normalised dict or raise
    :class:`SettingsError` naming the first bad setting."""
    if not isinstance(settings, dict):
        raise SettingsError(f"settings: expected an object, got {_show(settings)}")
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"settings: unknown setting {_show(unknown[0])} "
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
                            f"got {_show(hidden)}")
    out["hidden"] = [_integer(h, f"hidden[{i}]", *LIMITS["hidden_nodes"])
                     for i, h in enumerate(hidden)]
    out["activation"] = _choice(merged["activation"], "activation", ACTIVATIONS)
    out["learning_rate"] = _number(merged["learning_rate"], "learning_rate",
                                   *LIMITS["learning_rate"])
    out["batch_size"] = _integer(merged["batch_size"], "batch_size", *LIMITS["batch_size"])
    out["samples"] = _integer(merged["samples"], "samples", *LIMITS["samples"])
    out["seed"] = _integer(merged["seed"], "seed", *LIMITS["seed"])
    return out


# How many epoch boundaries a step request keeps to roll back to (see op_step).
_KEPT_BOUNDARIES = 4


def _finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def _too_deep(text: str, limit: int) -> bool:
    """Whether the JSON ``text`` nests brackets more than ``limit`` deep,
    without parsing it: strip strings and everything but brackets, then
    remove the innermost ``[]``/``{}`` pairs once per level (C-level
    passes). Unbalanced text stops making progress and is left to json."""
    s = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(limit):
        t = _INNERMOST.sub("", s)     # one pass: pairs innermost *before* it only
        if t == s:
            return False
        s = t
    return _INNERMOST.sub("", s) != s


def _finite_real(v: int | float) -> bool:
    """Finite and representable as a float (an int past 1.8e308 is not)."""
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


class Facade:
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
        per_epoch = len(self.train_x) * sum(len(w) * len(w[0]) + len(w) for w in net.weights)
        if n > 1 and n * per_epoch > LIMITS["step_work"]:
            most = max(1, LIMITS["step_work"] // per_epoch)
            raise SettingsError(f"n: {n} epochs of {len(self.train_x)} training samples on "
                                f"this network is more work than one request may do; ask "
                                f"for at most {most} (the limit step_work = epochs × "
                                f"training samples × (weights + biases) ≤ "
                                f"{LIMITS['step_work']:,})")
        # The states at the last few epoch boundaries (epochs done in this
        # request, snapshot), so a diverging epoch can be rolled back entirely:
        # fit itself only rolls back the failing step.
        kept: list[tuple[int, tuple[Any, ...]]] = [(0, self._snapshot())]
        done_losses: list[float] = []

        def boundary(epoch: int, loss: float) -> None:
            kept.append((epoch, self._snapshot()))
            del kept[:-_KEPT_BOUNDARIES]
            done_losses.append(loss)

        batch_size = self.settings["batch_size"]
        try:
            history = net.fit(self.train_x, self.train_t, epochs=n,
                              batch_size=batch_size, shuffle=True, callback=boundary)
        except DivergedError as exc:
            completed = (exc.epoch or 1) - 1     # epochs of this request that completed
            failed = self.epoch + completed + 1
            steps = -(-len(self.train_x) // batch_size)
            step = (exc.step or 1) - completed * steps
            # Keep the last boundary whose training loss is finite: an epoch can
            # complete with every step's loss finite and still end on weights
            # whose loss overflows (found by the next epoch's first step).
            while True:
                done, snap = kept.pop()
                self._restore(snap)
                if not kept or math.isfinite(net.loss(self.train_x, self.train_t)):
                    break
            self.epoch += done
            del done_losses[done:]
            out = self._losses()
            out.update({
                "ok": False, "type": "DivergedError",
                "error": f"training diverged in epoch {failed}, step {step} of {steps}: "
                         f"{'the loss' if exc.loss is not None and not math.isfinite(exc.loss) else 'a weight'} "
                         f"stopped being a finite number, so the learning_rate "
                         f"{self.settings['learning_rate']:g} is probably too high. Kept "
                         f"the network after epoch {self.epoch}"
                         f"{'' if self.epoch + 1 == failed else f' (its loss is finite)'}; "
                         f"epoch{'s' if failed - self.epoch > 1 else ''} "
                         f"{self.epoch + 1 if self.epoch + 1 == failed else f'{self.epoch + 1} to {failed}'} "
                         f"undone.",
                "history": [_finite_or_none(h) for h in done_losses],
            })
            return out
        self.epoch += len(history)
        out = self.op_state(req) if req.get("snapshot") else self._losses()
        out["history"] = [_finite_or_none(h) for h in history]
        return out

    def _snapshot(self) -> tuple[Any, ...]:
        net = self._need_net()
        return ([[list(row) for row in w] for w in net.weights],
                [list(b) for b in net.biases], net.rng.getstate())

    def _restore(self, snap: tuple[Any, ...]) -> None:
        net = self._need_net()
        weights, biases, rng_state = snap
        for w, saved in zip(net.weights, weights):
            for row, new in zip(w, saved):
                row[:] = new
        for b, new in zip(net.biases, biases):
            b[:] = new
        net.rng.setstate(rng_state)

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
                               and _finite_real(v) for v in p)):
                raise SettingsError(f"points[{i}]: expected [x1, x2] with two finite numbers, "
                                    f"got {_show(p)}")
        return {"outputs": [_finite_or_none(o[0]) for o in net.predict(points)]}

    def op_defaults(self, req: dict[str, Any]) -> dict[str, Any]:
        return {"settings": dict(DEFAULTS), "limits": LIMITS}

    # -------------------------------------------------------------- dispatch
    def request(self, req: Any) -> dict[str, Any]:
        """Handle one request dict; always returns a JSON-able dict."""
        try:
            if not isinstance(req, dict):
                raise SettingsError(f"request: expected an object, got {_show(req)}")
            op = req.get("op")
            fn = getattr(self, f"op_{op}", None) if isinstance(op, str) else None
            if fn is None:
                ops = ", ".join(sorted(n[3:] for n in dir(self) if n.startswith("op_")))
                raise SettingsError(f"op: expected one of {ops}, got {_show(op)}")
            result = fn(req)
        except (ValueError, TypeError, ArithmeticError) as exc:
            return {"ok": False, "error": str(exc), "type": type(exc).__name__}
        except RecursionError:   # a value nested thousands deep (json.loads caps it too)
            return {"ok": False, "error": "request: nested too deeply", "type": "ValueError"}
        result.setdefault("ok", True)   # an op may answer ok: false with a state (step)
        return result

    def handle(self, request_json: str) -> str:
        """JSON text in, JSON text out (never raises)."""
        try:
            if isinstance(request_json, str) and _too_deep(request_json,
                                                           LIMITS["request_depth"]):
                raise RecursionError
            req = json.loads(request_json)
        except (TypeError, ValueError) as exc:
            out: dict[str, Any] = {"ok": False, "error": f"request: not valid JSON ({exc})",
                                   "type": "ValueError"}
        except RecursionError:   # "[" * 1500: json's parser recurses per level
            out = {"ok": False, "error": f"request: brackets nested more than "
                   f"{LIMITS['request_depth']} deep", "type": "ValueError"}
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
