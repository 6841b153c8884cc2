"""Request text in, answer text out: the size and depth limits, JSON, error
answers, and the table of every request (:data:`REQUESTS`).

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
  page's play slices, editing one weight, presets: see :mod:`pynet.page.training`.

Settings: see :mod:`pynet.page.settings` (``DEFAULTS``, ``LIMITS``, ``LIVE``,
:func:`~pynet.page.settings.validate_settings`); a request's ``settings`` are
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

Data, model-file, panel and recovery requests:

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
  See :func:`pynet.page.tabular.parse_csv` for the rules.
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
  (:mod:`pynet.page.panel`): runs the code with ``net`` = the live network (and
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
  "preset": name?}`` -- the page's recovery (:mod:`pynet.page.recovery`): build
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
``DivergedError``, ``ValueError`` for JSON that cannot be read); nothing raises
through :func:`handle`.

``paths`` and ``nudge`` (``{"l", "k", "j"}``, ``nudge`` also ``eps``): why the
gradient of one weight is right, on the last step's samples -- see
:mod:`pynet.page.gradient`.

Where each request is handled: :data:`REQUESTS` below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import compare, data, gradient, model_files, panel, recovery, session, training
from .settings import LIMITS, SettingsError
from .state import Answer, Request, State
from .values import show, too_deep

Handler = Callable[[State, Request], Answer]

#: Every request the page may send: op name -> handler(state, request) -> answer.
REQUESTS: dict[str, Handler] = {
    # session
    "init": session.init,
    "set_state": session.set_state,
    "state": session.state,
    "defaults": session.defaults,
    "preset": session.preset,
    # training
    "step": training.step,
    "step_sample": training.step_sample,
    "step_batch": training.step_batch,
    "step_epoch": training.step_epoch,
    "train_for": training.train_for,
    "trace": training.trace,
    "set_weight": training.set_weight,
    # data
    "data": data.data,
    "predict": data.predict,
    "grid": data.grid,
    "confusion": data.confusion,
    "load_csv": data.load_csv,
    "add_point": data.add_point,
    "remove_point": data.remove_point,
    "clear": data.clear,
    "export_data": data.export_data,
    # model files
    "export_model": model_files.export_model,
    "load_model": model_files.load_model,
    "export_python": model_files.export_python,
    # the Python panel
    "run_python": panel.run_python,
    # recovery
    "checkpoint": recovery.checkpoint,
    "restore": recovery.restore,
    # the course's rule against the gradient
    "compare": compare.compare,
    # why the gradient is right: the chain rule's paths, a finite-difference nudge
    "paths": gradient.paths,
    "nudge": gradient.nudge,
}


def answer(st: State, req: Any,
           bind: Callable[[str], Callable[[Request], Answer]] | None = None) -> Answer:
    """Handle one request dict; always returns a JSON-able dict. ``bind(op)``
    gives the callable for a known op (default: its handler on ``st``)."""
    try:
        if not isinstance(req, dict):
            raise SettingsError(f"request: expected an object, got {show(req)}")
        op = req.get("op")
        if not isinstance(op, str) or op not in REQUESTS:
            raise SettingsError(f"op: expected one of {', '.join(sorted(REQUESTS))}, "
                                f"got {show(op)}")
        result = bind(op)(req) if bind is not None else REQUESTS[op](st, req)
    except (ValueError, TypeError, ArithmeticError) as exc:
        return {"ok": False, "error": str(exc), "type": type(exc).__name__}
    except RecursionError:   # a value nested thousands deep (json.loads caps it too)
        return {"ok": False, "error": "request: nested too deeply", "type": "ValueError"}
    result.setdefault("ok", True)   # a handler may answer ok: false with a state (step)
    return result


def handle(st: State, request_json: str,
           bind: Callable[[str], Callable[[Request], Answer]] | None = None) -> str:
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
        if isinstance(request_json, str) and too_deep(request_json, LIMITS["request_depth"]):
            raise RecursionError
        req = json.loads(request_json)
    except (TypeError, ValueError) as exc:
        out: Answer = {"ok": False, "error": f"request: not valid JSON ({exc})",
                       "type": "ValueError"}
    except RecursionError:   # "[" * 1500: json's parser recurses per level
        out = {"ok": False, "error": f"request: brackets nested more than "
               f"{LIMITS['request_depth']} deep", "type": "ValueError"}
    else:
        out = answer(st, req, bind)
    try:
        return json.dumps(out, allow_nan=False)
    except ValueError as exc:  # a non-finite number slipped through
        return json.dumps({"ok": False, "error": f"result: {exc}", "type": "ValueError"})
