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
* ``step_sample``, ``step_batch``, ``step_epoch``, ``train_for``, ``trace``,
  ``set_weight``, ``preset`` -- fine-grained steps with their traces, the
  page's play slices, editing one weight, presets: see :mod:`pynet.stepping`.

Settings: see :mod:`pynet.settings` (``DEFAULTS``, ``LIMITS``, ``LIVE``,
:func:`~pynet.settings.validate_settings`); a request's ``settings`` are
merged and checked there.

``state`` (and ``step`` with ``snapshot``) also reports ``train_accuracy``
and ``test_accuracy`` (``null`` for regression), ``loss`` (the resolved
loss), ``kind`` (classes/regression), ``classes`` (names), ``features``
(names), ``scaling`` (what the network sees, in words), ``outputs`` and
``hidden_nodes`` (the node limit of ``hidden`` for this data);
``step`` reports ``stopped``: ``"target_loss"``, ``"max_epoch"`` or ``null``.
``data`` adds ``train_y``/``test_y`` (class indices or targets) and gives
``train_t``/``test_t`` as whole target vectors when there are several
outputs. ``predict`` takes points of ``layers[0]`` numbers and adds
``classes`` (the predicted class of each) for classification.

Playground requests (implemented in :mod:`pynet.playground`):

* ``{"op": "confusion"}`` -- ``train`` and ``test`` confusion matrices
  ``cm[actual][predicted]``, ``classes``, ``test_predicted`` and
  ``test_wrong`` (indices of misclassified test samples).
* ``{"op": "load_csv", "text": "...", "header": null, "kind": "auto",
  "settings": {}}`` --
  the CSV (header optional, numeric features, the last column the label or
  target) becomes the own data (``dataset`` custom), split by
  ``train_ratio`` and ``seed``, with a new network for its shape (and any
  ``settings`` changes, checked together, e.g. ``hidden``); with ``"split"``
  (export_data's) the rows keep that train/test split if its seed and
  train_ratio are the settings'. Refused
  with the line and column of the first problem (lines count every line
  from 1, the header included) or the limit hit (``csv_chars``,
  ``csv_rows``, ``csv_features``, ``csv_classes``); nothing changes then.
  See :func:`pynet.tabular.parse_csv` for the rules.
* ``{"op": "add_point", "x": [x1, x2], "label": 1, "set": "train"}`` -- one
  point (in the data's own units; ``label`` as in the CSV: a class name or
  number, or the target for regression) joins the training (or test) set;
  ``{"op": "remove_point", "set": "train", "index": i}`` removes one;
  ``{"op": "clear"}`` removes all. These keep the network and the epoch,
  and make the data own data (a named set is copied on the first edit, and
  replaces earlier own data). Own data keeps its train/test split through
  rebuilds until ``seed`` or ``train_ratio`` change.
* ``{"op": "export_data"}`` -- ``csv``: every point, unscaled, in a fixed
  order; ``load_csv`` reads it back exactly and, given ``split`` (the
  ``train`` and ``test`` rows, ``seed``, ``train_ratio``), splits it the same
  way (so the same run follows); ``shape``: ``inputs``, ``outputs`` per
  output_activation and ``hidden_nodes`` (the page draws own data with it
  before Python is ready).
* ``{"op": "export_model"}`` -- ``json``: ``Network.to_dict()`` as JSON text,
  plus a ``playground`` key (epoch, dataset, features, classes).
* ``{"op": "load_model", "json": "..."}`` -- the network (and the epoch)
  from such JSON; the data stays and the settings follow the model. Refused
  (``ModelError``, the current model unchanged) when it is not JSON, holds
  NaN/Infinity, is over ``model_chars``, has another format or version,
  sizes outside the limits or layers that do not fit the current data.
* ``{"op": "export_python", "points": 5}`` -- ``source``: a CPython script
  that rebuilds the network with ``pynet`` and prints its outputs on the
  first test points (unscaled, with the page's scaling in the script);
  ``points``: those points as the network sees them.
* ``{"op": "grid", "n": 50, "features": [0, 1], "x_range": [lo, hi],
  "y_range": [lo, hi], "fixed": [...], "neurons": false, "digits": 3}`` --
  the network on an n x n grid (n 2-100) over two inputs, the others held
  at ``fixed`` (default 0: the mean for standardised iris). ``outputs[k]``
  is a flat list for output node k, index ``i * n + j`` for
  x2 = y_range[0] + (y_range[1] - y_range[0]) i / (n - 1) and likewise x1
  from j; values rounded to ``digits``; ``classes`` the predicted class per
  cell; with ``neurons``, ``neurons[l][k]`` for every node of node layer
  l + 1 (hidden layers, then the outputs). With ``"scaled": true`` every
  value is the integer round(v * scale) instead, ``scale`` = 10^digits in
  the answer (null where v is not finite): the play loop's heatmaps, whose
  integers cost less to round and to send than floats.
  Ranges default to [-6, 6] for
  the 2-D sets, else the data's range plus 10 %. At most ``grid_values``
  numbers per answer and ``grid_work`` multiply-adds (n² times the
  network's weights and biases).
* ``{"op": "run_python", "code": "..."}`` -- the Python panel
  (:mod:`pynet.panel`): runs the code with ``net`` = the live network (and
  ``x``, ``t``, ``X``, ``T``: copies of the first training sample and of
  the training set), names kept between runs; returns ``stdout``,
  ``stderr`` (each cut at ``output_chars`` with a note), ``failed``,
  ``traceback``, ``invalid`` (why the network was no longer valid),
  ``restored`` (the network was put back as before the code) and
  ``settings`` (which follow a changed learning rate or activation). Code
  comes only from this request, never from settings or the URL. An
  infinite loop cannot be interrupted inside Pyodide (no
  SharedArrayBuffer): the page must replace the worker and restore its own
  copy of settings, data and weights.
* ``{"op": "restore", "settings": {...}, "json": "...", "data": "..."?,
  "preset": name?}`` -- the page's recovery (:mod:`pynet.restore`): build
  from exactly these settings (on this own data, or this preset), then take
  the weights, biases and epoch of the model JSON (export_model's), which
  must fit the network built; on any error nothing changes.
  ``{"op": "checkpoint", "data": true}`` -- what the page keeps for that,
  in one answer: ``settings``, ``epoch``, ``json`` (export_model's) and
  ``data`` (export_data's CSV, own data only, when asked).

A request text longer than ``max(model_chars, csv_chars)`` + 1,000,000
characters is refused by its size before it is read at all.

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

from . import course_rule, forward, losses, playground, tabular
from .errors import DivergedError
from .network import Network
from .settings import DEFAULTS, LIMITS, LIVE, SettingsError, _integer, validate_settings
from .stepping import StepOps
from .validate import _show

# DEFAULTS, LIMITS and validate_settings live in pynet.settings; kept here by name
# for callers of the facade (tests outside this repo import them from here).
__all__ = ["DEFAULTS", "LIMITS", "Facade", "handle", "validate_settings"]

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
        self.table: tabular.Table | None = None      # every point of the current data, unscaled
        self.custom: tabular.Table | None = None     # the user's own data (dataset "custom")
        self.train_idx: list[int] = []               # rows of table in the training set
        self.test_idx: list[int] = []
        # own data's split as the user saw it, kept across rebuilds (playground.kept_split)
        self.custom_split: dict[str, Any] | None = None
        self.spec: playground.Spec | None = None
        self.stopped: str | None = None
        self._panel_ns: dict[str, Any] = {}

    # -------------------------------------------------------------- building
    def _validate(self, settings: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
        return validate_settings(settings, base, len(self.custom.features) if self.custom else None)

    def _table(self, s: dict[str, Any]) -> tabular.Table:
        if s["dataset"] != "custom":
            return tabular.generated(s["dataset"], s["samples"], s["noise"], s["seed"],
                                     s["train_ratio"])
        if self.custom is None:
            raise SettingsError("dataset: 'custom' is your own data and there is none yet: "
                                "send load_csv or add_point first")
        return self.custom

    def _build(self, settings: dict[str, Any]) -> None:
        """Data, split and a fresh network for the settings; changes nothing on error."""
        s = settings
        table = self._table(s)
        kept = playground.kept_split(self, s, table)    # own data: the split the user saw
        train_idx, test_idx = kept or tabular.split_indices(len(table.x), s["train_ratio"], s["seed"])
        if kept is None and (not train_idx or not test_idx):
            raise SettingsError(f"train_ratio: {s['train_ratio']:g} of {len(table.x)} samples "
                                f"leaves an empty training or test set")
        spec = playground.Spec(s, table)
        net = Network([len(table.features), *s["hidden"], spec.outputs],
                      activation=s["activation"], output_activation=spec.output_activation,
                      loss=spec.loss, bias=s["bias"], learning_rate=s["learning_rate"],
                      init=s["init"], seed=s["seed"])
        self.settings = s
        self.net = net
        self.epoch = 0
        self.table, self.spec = table, spec
        self.train_idx, self.test_idx = train_idx, test_idx
        self._derive()

    def _derive(self) -> None:
        """The network's inputs and targets from the table (scaled, encoded)."""
        assert self.table is not None and self.spec is not None
        t, spec = self.table, self.spec
        self.train_x = [t.scaled(t.x[i]) for i in self.train_idx]
        self.train_t = [spec.encode(t.y[i]) for i in self.train_idx]
        self.test_x = [t.scaled(t.x[i]) for i in self.test_idx]
        self.test_t = [spec.encode(t.y[i]) for i in self.test_idx]

    def _need_net(self) -> Network:
        if self.net is None:
            raise SettingsError("no network yet: send {\"op\": \"init\"} first")
        return self.net

    def _losses(self) -> dict[str, Any]:
        self._need_net()
        train_loss, train_acc = self._measure(self.train_x, self.train_t, self.train_idx)
        test_loss, test_acc = self._measure(self.test_x, self.test_t, self.test_idx)
        return {"epoch": self.epoch, "train_loss": train_loss, "test_loss": test_loss,
                "train_accuracy": train_acc, "test_accuracy": test_acc}

    def _measure(self, xs: list[list[float]], ts: list[list[float]],
                 rows: list[int]) -> tuple[float | None, float | None]:
        """Mean loss (= Network.loss) and accuracy (classes only) in one forward pass."""
        net, spec, table = self._need_net(), self.spec, self.table
        if not xs or spec is None or table is None:
            return None, None
        total, right = 0.0, 0
        name, out_act = net.loss_name, net.output_activation
        # the output layer's (z, o) from a generated forward pass (pynet.forward),
        # the same numbers as net._forward gives, several times faster
        for (z, o), t, r in zip(forward.last_layer(net, xs), ts, rows):
            total += losses.loss(name, out_act, z, o, t)
            if spec.classes and spec.decide(o) == table.y[r]:
                right += 1
        return _finite_or_none(total / len(xs)), (right / len(xs) if spec.classes else None)

    def _fit(self, n: int, on_epoch: Any = None) -> list[float]:
        """Up to n epochs with the settings' rule, regularisation and stop conditions;
        ``on_epoch(epoch, loss)`` is called after each completed epoch."""
        net, s = self._need_net(), self.settings
        assert s is not None
        self.stopped = None
        if s["max_epoch"]:
            n = min(n, s["max_epoch"] - self.epoch)
            if n <= 0:
                self.stopped = "max_epoch"
                return []
        if not self.train_x:
            raise SettingsError("data: there are no training points (add points, load_csv "
                                "or choose a dataset)")

        def stop(epoch: int, loss: float) -> bool:
            if loss <= s["target_loss"]:
                self.stopped = "target_loss"
                return False
            return True

        def callback(epoch: int, loss: float) -> bool:
            if on_epoch is not None:
                on_epoch(epoch, loss)
            return stop(epoch, loss) if s["target_loss"] > 0 else True

        if s["update"] == "course":
            history = course_rule.fit(net, self.train_x, self.train_t, n, s["batch_size"],
                                      s["l1"], s["l2"], callback)
        else:
            history = net.fit(self.train_x, self.train_t, epochs=n, batch_size=s["batch_size"],
                              shuffle=True, l1=s["l1"], l2=s["l2"], callback=callback)
        if self.stopped is None and s["max_epoch"] and \
                self.epoch + len(history) >= s["max_epoch"]:
            self.stopped = "max_epoch"
        return history

    # -------------------------------------------------------------- ops
    def op_init(self, req: dict[str, Any]) -> dict[str, Any]:
        self._build(self._validate(req.get("settings", {})))
        return self.op_state(req)

    def op_set_state(self, req: dict[str, Any]) -> dict[str, Any]:
        new = self._validate(req.get("settings", {}), self.settings)
        old = self.settings
        if self.net is not None and old is not None and \
                all(new[k] == old[k] for k in new if k not in LIVE):
            # Only live settings changed: training goes on with the same network.
            self.net.learning_rate = new["learning_rate"]
            self.settings = new
            out = self.op_state(req)
            out["reset"] = False
            return out
        self._build(new)
        out = self.op_state(req)
        out["reset"] = True
        return out

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
            history = self._fit(n, on_epoch=boundary)
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
        out["stopped"] = self.stopped
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
        # "losses": false (the stepping ops on big data) skips the losses' forward
        # passes over every point; the answer then has no loss or accuracy keys
        out = self._losses() if req.get("losses", True) is not False else {"epoch": self.epoch}
        out.update({
            "settings": dict(self.settings or {}),
            "layers": list(net.layers),
            "activations": net.layer_activations,
            "weights": [[list(row) for row in w] for w in net.weights],
            "biases": [list(b) for b in net.biases],
            "train_size": len(self.train_x),
            "test_size": len(self.test_x),
            "loss": net.loss_name,
        })
        out.update(playground.describe(self))
        return out

    def op_data(self, req: dict[str, Any]) -> dict[str, Any]:
        self._need_net()
        one = self.spec is None or self.spec.outputs == 1
        out = {"train_x": self.train_x,
               "train_t": [t[0] for t in self.train_t] if one else self.train_t,
               "test_x": self.test_x,
               "test_t": [t[0] for t in self.test_t] if one else self.test_t}
        out.update(playground.data_extra(self))
        return out

    def op_predict(self, req: dict[str, Any]) -> dict[str, Any]:
        net = self._need_net()
        points = req.get("points")
        lo, hi = LIMITS["points"]
        if not isinstance(points, list) or not lo <= len(points) <= hi:
            raise SettingsError(f"points: expected a list of {lo} to {hi} points [x1, x2], "
                                f"got {type(points).__name__}"
                                f"{f' of length {len(points)}' if isinstance(points, list) else ''}")
        width = net.layers[0]
        for i, p in enumerate(points):
            if (not isinstance(p, list) or len(p) != width
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               and _finite_real(v) for v in p)):
                shape = "[x1, x2] with two" if width == 2 else f"a list of {width}"
                raise SettingsError(f"points[{i}]: expected {shape} finite numbers, "
                                    f"got {_show(p)}")
        return playground.predictions(self, net.predict(points))

    def op_defaults(self, req: dict[str, Any]) -> dict[str, Any]:
        return {"settings": dict(DEFAULTS), "limits": LIMITS}

    # ------------------------------------- playground ops (in pynet.playground)
    def op_confusion(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.confusion(self, req)

    def op_load_csv(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.load_csv(self, req)

    def op_add_point(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.add_point(self, req)

    def op_remove_point(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.remove_point(self, req)

    def op_clear(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.clear(self, req)

    def op_export_data(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.export_data(self, req)

    def op_export_model(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.export_model(self, req)

    def op_load_model(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.load_model(self, req)

    def op_export_python(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.export_python(self, req)

    def op_grid(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.grid(self, req)

    def op_run_python(self, req: dict[str, Any]) -> dict[str, Any]:
        return playground.run_python(self, req)

    def op_restore(self, req: dict[str, Any]) -> dict[str, Any]:
        from .restore import restore   # the page's recovery (pynet/restore.py)
        return restore(self, req)

    def op_checkpoint(self, req: dict[str, Any]) -> dict[str, Any]:
        from .restore import checkpoint
        return checkpoint(self, req)

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
        most = max(LIMITS["model_chars"], LIMITS["csv_chars"]) + 1_000_000
        if isinstance(request_json, str) and len(request_json) > most:
            # before any pass over the text: 50 MB through the bracket check ran
            # out of memory in Pyodide (tests/test_bad_input_rows.py)
            return json.dumps({"ok": False, "type": "ValueError", "error":
                               f"request: {len(request_json)} characters, more than the limit "
                               f"of {most} (model_chars {LIMITS['model_chars']}, csv_chars "
                               f"{LIMITS['csv_chars']}, plus the request around them)"})
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
