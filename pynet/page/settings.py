"""The playground's settings: their names, defaults, limits and validation.

One source of truth for every setting the page has: the table
:data:`SETTINGS` (per setting: kind, default, limits, live or not, hash
name), from which :data:`DEFAULTS`, :data:`LIVE` and
:func:`validate_settings` derive; ``build.py`` writes the table, ``DEFAULTS``,
``LIMITS`` and ``LIVE`` into the page's ``build-info.js``, and the page's
URL-hash and controls parsers (``web/js/settings.js``) are built from it.

    >>> from pynet.page.settings import validate_settings
    >>> s = validate_settings({"dataset": "xor", "hidden": [3]})
    >>> s["dataset"], s["hidden"], s["learning_rate"]
    ('xor', [3], 0.03)
    >>> validate_settings({"hidden": [9]})
    Traceback (most recent call last):
    ...
    pynet.page.settings.SettingsError: hidden[0]: expected a whole number from 1 to 8, got 9 (for 2-D data; iris, digits and own data with more than 2 features allow up to 64)

Settings (``DEFAULTS``; limits in ``LIMITS``, exported to the page's
``build-info.js``), named as ``pynet.Network``'s arguments:

* ``dataset`` -- circle, xor, gauss, spiral (2 classes), plane, multigauss
  (regression), iris (4 features, 3 classes: standardised with the
  *training* set's mean and standard deviation), digits (64 pixels, 10
  classes: pixel counts 0-16 divided by 16) or custom (the user's own data:
  ``load_csv``/``add_point``; used as given). ``samples`` and ``noise`` only
  apply to the 2-D generators.
* ``hidden`` -- 0-6 layers of 1-8 nodes for 2-D data, 1-64 for iris, digits
  and own data with more than two features. ``activation`` -- one name, or a
  list with one name per hidden layer (``"relu,tanh"`` in the hash).
* ``output_activation`` -- auto, tanh, sigmoid, linear, softmax; ``loss`` --
  auto, squared, cross_entropy. auto: regression linear + squared; two
  classes tanh + squared with targets -1/+1 (TF Playground), or sigmoid when
  the loss is cross_entropy; more classes softmax + cross_entropy (one
  output per class, one-hot targets). Two classes with softmax get two
  outputs; sigmoid targets are 0/1, tanh and linear -1/+1.
* ``learning_rate``, ``batch_size``, ``l1``, ``l2`` (penalties on weights,
  as ``Network.fit``), ``bias`` (true/false), ``init`` (course, xavier,
  uniform), ``update`` (exact backprop, or course: the course's hidden-layer
  rule, see ``pynet.course_rule``), ``target_loss`` (0 = off: stop after the
  first epoch whose training loss -- its ``history`` value, the mean loss
  seen during the epoch -- is at most this) and ``max_epoch``
  (0 = off: never train past this epoch), ``samples``, ``seed``.
* ``set_state`` that changes only the *live* settings (:data:`LIVE`:
  learning_rate, batch_size, l1, l2, update, target_loss, max_epoch) keeps
  the network and the epoch (``"reset": false``); any other change rebuilds
  (``"reset": true``). The same settings and seed always give the same
  data, the same initial weights and the same run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..validate import _show
from . import tabular

__all__ = ["DEFAULTS", "LIMITS", "LIVE", "SETTINGS", "Setting", "SettingsError", "node_limit",
           "validate_settings"]

CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
REGRESSION = ("plane", "multigauss")
TABLES = ("iris", "digits")         # real data, more than two features, several classes
DATASETS = CLASSIFICATION + REGRESSION + TABLES + ("custom",)
ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear")
OUTPUT_ACTIVATIONS = ("auto", "tanh", "sigmoid", "linear", "softmax")
LOSSES = ("auto", "squared", "cross_entropy")
INITS = ("course", "xavier", "uniform")
UPDATES = ("exact", "course")


@dataclass(frozen=True)
class Setting:
    """One setting of the page: ``kind`` says how its value is read (``choice``
    of ``LIMITS[limits]``, ``number``/``integer`` in the range ``LIMITS[limits]``,
    ``boolean``, ``layers`` (the hidden sizes, ``LIMITS[limits]`` layers),
    ``names`` (one activation of ``LIMITS[limits]``, or one per hidden layer));
    ``live``: set_state changes it without rebuilding the network; ``hash``: its
    key in the page's URL hash."""

    name: str
    kind: str
    default: Any
    limits: str | None = None
    live: bool = False
    hash: str = ""

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", self.name)


#: Every setting, in the order they are checked (and listed): the one table that
#: DEFAULTS, LIVE and validate_settings come from, and that build.py writes into
#: the page's build-info.js for its URL-hash and controls parsers. Defaults:
#: TensorFlow Playground's.
SETTINGS: tuple[Setting, ...] = (
    Setting("dataset", "choice", "circle", "datasets"),
    Setting("noise", "number", 0.0, "noise"),
    Setting("train_ratio", "number", 0.5, "train_ratio"),
    Setting("hidden", "layers", [4, 2], "hidden_layers"),
    Setting("activation", "names", "tanh", "activations"),
    Setting("learning_rate", "number", 0.03, "learning_rate", live=True),
    Setting("batch_size", "integer", 10, "batch_size", live=True),
    Setting("samples", "integer", 500, "samples"),
    Setting("seed", "integer", 1, "seed"),
    Setting("output_activation", "choice", "auto", "output_activations"),
    Setting("loss", "choice", "auto", "losses"),
    Setting("l1", "number", 0.0, "l1", live=True),
    Setting("l2", "number", 0.0, "l2", live=True),
    Setting("bias", "boolean", True),
    Setting("init", "choice", "course", "inits"),
    Setting("update", "choice", "exact", "updates", live=True),
    Setting("target_loss", "number", 0.0, "target_loss", live=True),
    Setting("max_epoch", "integer", 0, "max_epoch", live=True),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}
#: Settings that set_state changes without rebuilding the network (training goes on).
LIVE = tuple(s.name for s in SETTINGS if s.live)


#: Every limit: the settings' ranges and choices (SETTINGS names them) and the
#: requests' sizes.
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
    "hidden_nodes_wide": [1, 64],
    "output_activations": list(OUTPUT_ACTIVATIONS),
    "losses": list(LOSSES),
    "inits": list(INITS),
    "updates": list(UPDATES),
    "l1": [0.0, 10.0],
    "l2": [0.0, 10.0],
    "target_loss": [0.0, 100.0],
    "max_epoch": [0, 10_000_000],
    "grid": [2, 100],
    "grid_values": 250_000,
    "grid_work": 2_000_000,
    "csv_chars": tabular.MAX_CHARS,
    "csv_rows": tabular.MAX_ROWS,
    "csv_features": tabular.MAX_FEATURES,
    "csv_classes": tabular.MAX_CLASSES,
    "model_chars": 4_000_000,
    "code_chars": 100_000,      # characters of the Python panel's code
    "output_chars": 20_000,     # characters the panel keeps of stdout and of stderr each
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


def validate_settings(settings: Any, base: dict[str, Any] | None = None,
                      custom_features: int | None = None) -> dict[str, Any]:
    """Merge ``settings`` over ``base`` (default :data:`DEFAULTS`) and check
    every value; return a new, complete, normalised dict or raise
    :class:`SettingsError` naming the first bad setting. ``custom_features``
    is the number of features of the user's own data (for ``hidden``'s limit)."""
    if not isinstance(settings, dict):
        raise SettingsError(f"settings: expected an object, got {_show(settings)}")
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"settings: unknown setting {_show(unknown[0])} "
                            f"(known: {', '.join(DEFAULTS)})")
    merged = dict(DEFAULTS if base is None else base)
    merged.update(settings)
    out: dict[str, Any] = {}
    for setting in SETTINGS:
        out[setting.name] = _read(setting, merged[setting.name], out, custom_features)
    return out


def _read(setting: Setting, value: Any, out: dict[str, Any],
          custom_features: int | None) -> Any:
    """One setting's value checked by its kind (``out``: the settings before it)."""
    name, kind = setting.name, setting.kind
    limits: Any = LIMITS[setting.limits] if setting.limits else None
    if kind == "choice":
        return _choice(value, name, tuple(limits))
    if kind == "number":
        return _number(value, name, *limits)
    if kind == "integer":
        return _integer(value, name, *limits)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise SettingsError(f"{name}: expected true or false, got {_show(value)}")
        return value
    if kind == "layers":
        lo_l, hi_l = limits
        if not isinstance(value, list) or not lo_l <= len(value) <= hi_l:
            raise SettingsError(f"{name}: expected a list of {lo_l} to {hi_l} layer sizes, "
                                f"got {_show(value)}")
        wide = _wide(out["dataset"], custom_features)
        return [_layer_size(h, f"{name}[{i}]", wide) for i, h in enumerate(value)]
    assert kind == "names", kind
    return _activations(value, len(out["hidden"]))


def _wide(dataset: str, custom_features: int | None) -> bool:
    """Whether ``hidden`` may use ``hidden_nodes_wide`` (iris, digits, own data with
    more than 2 features) rather than ``hidden_nodes`` (2-D data)."""
    return dataset in TABLES or (dataset == "custom" and (custom_features or 0) > 2)


def node_limit(dataset: str, custom_features: int | None) -> list[int]:
    """``[lo, hi]``: the nodes a hidden layer may have for this data (see :func:`_wide`)."""
    return list(LIMITS["hidden_nodes_wide" if _wide(dataset, custom_features) else "hidden_nodes"])


def _layer_size(value: Any, name: str, wide: bool) -> int:
    lo, hi = LIMITS["hidden_nodes_wide" if wide else "hidden_nodes"]
    try:
        return _integer(value, name, lo, hi)
    except SettingsError as exc:
        if wide:
            raise
        raise SettingsError(f"{exc} (for 2-D data; iris, digits and own data with more "
                            f"than 2 features allow up to {LIMITS['hidden_nodes_wide'][1]})") from None


def _activations(value: Any, n_hidden: int) -> str | list[str]:
    """One name for every hidden layer, or a list with one name per hidden layer."""
    if isinstance(value, list):
        if len(value) == 1:
            return _choice(value[0], "activation", ACTIVATIONS)
        if len(value) != n_hidden:
            raise SettingsError(f"activation: expected one name or {n_hidden} (one per hidden "
                                f"layer), got {len(value)}: {_show(value)}")
        return [_choice(a, f"activation[{i}]", ACTIVATIONS) for i, a in enumerate(value)]
    return _choice(value, "activation", ACTIVATIONS)
