"""The playground's ops behind :class:`pynet.facade.Facade`: own data, model
files, the Python snippet, heatmap grids and the Python panel.

Each ``name(f, req)`` takes the facade and the request dict and returns the
answer dict (the facade adds ``"ok": true``); errors are ``ValueError``s
naming the argument, raised *before* anything is changed. The requests are
documented in ``pynet.facade``'s docstring.
"""

from __future__ import annotations

import json
import math
from typing import Any

from . import facade as _f
from . import settings as _s
from . import forward, panel, snippet, tabular
from .network import Network, check_header
from .validate import _show


class ModelError(ValueError):
    """A model JSON refused by load_model (the message says why)."""


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

    def decide(self, o: list[float]) -> int:
        """The predicted class of an output vector (argmax; first on ties)."""
        if self.outputs == 1:
            return 1 if o[0] > (self.lo + self.hi) / 2 else 0
        best, top = 0, -math.inf
        for k, v in enumerate(o):
            if v > top:
                best, top = k, v
        return best


# ----------------------------------------------------------- state additions

def describe(f: Any) -> dict[str, Any]:
    """What ``state`` reports about the data and the model besides the numbers."""
    t, spec = f.table, f.spec
    return {"kind": t.kind if t else None, "classes": t.classes if t else None,
            "features": t.features if t else None, "scaling": t.scaling if t else None,
            "outputs": spec.outputs if spec else None,
            # hidden's node limit for this data (the page's +/- buttons stop there)
            "hidden_nodes": _s.node_limit(f.settings["dataset"], len(t.features)) if t else None}


def data_extra(f: Any) -> dict[str, Any]:
    t = f.table
    return {"train_y": [t.y[i] for i in f.train_idx], "test_y": [t.y[i] for i in f.test_idx],
            **describe(f)}


def predictions(f: Any, outputs: list[list[float]]) -> dict[str, Any]:
    spec = f.spec
    fin = _f._finite_or_none
    out: dict[str, Any] = {"outputs": [fin(o[0]) for o in outputs] if spec.outputs == 1
                           else [[fin(v) for v in o] for o in outputs]}
    if spec.classes:
        out["classes"] = [spec.decide(o) for o in outputs]
    return out


def confusion(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """Confusion matrices ``cm[actual][predicted]`` of both sets, and which test
    samples are misclassified (for marking digits)."""
    net, spec, t = f._need_net(), f.spec, f.table
    if not spec.classes:
        raise _s.SettingsError(f"confusion: {f.settings['dataset']} is regression data "
                               f"(no classes)")
    out: dict[str, Any] = {"classes": t.classes}
    for name, xs, rows in (("train", f.train_x, f.train_idx), ("test", f.test_x, f.test_idx)):
        k = spec.classes
        cm = [[0] * k for _ in range(k)]
        predicted = [spec.decide(o) for o in forward.outputs(net, xs)]   # generated pass
        for r, p in zip(rows, predicted):
            cm[t.y[r]][p] += 1
        out[name] = cm
        if name == "test":
            out["test_predicted"] = predicted
            out["test_wrong"] = [i for i, (r, p) in enumerate(zip(rows, predicted))
                                 if t.y[r] != p]
    return out


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


# -------------------------------------------------------------------- data

def kept_split(f: Any, s: dict[str, Any], table: tabular.Table) -> tuple[list[int], list[int]] | None:
    """The split own data keeps while ``seed`` and ``train_ratio`` stay (None: split
    by the seed): the one in force when the network is rebuilt (another hidden
    size), when the user comes back from another data set, or the one given to
    load_csv (a reload). Points clicked into the training set stay there."""
    if f.settings is not None and f.settings["dataset"] == "custom" and f.table is f.custom:
        f.custom_split = {"table": f.table, "seed": f.settings["seed"],
                          "train_ratio": f.settings["train_ratio"],
                          "train": list(f.train_idx), "test": list(f.test_idx)}
    k = f.custom_split
    if s["dataset"] != "custom" or k is None or k["table"] is not table or \
            (k["seed"], k["train_ratio"]) != (s["seed"], s["train_ratio"]):
        return None
    return list(k["train"]), list(k["test"])


def _split(value: Any, rows: int) -> dict[str, Any]:
    """load_csv's ``split`` (export_data's): ``seed``, ``train_ratio`` and the
    ``train`` and ``test`` row numbers, every row in exactly one of them."""
    if not isinstance(value, dict) or set(value) != {"seed", "train_ratio", "train", "test"}:
        raise _s.SettingsError(f"split: expected an object with seed, train_ratio, train and "
                               f"test (export_data's), got {_show(value)}")
    seed = _s._integer(value["seed"], "split.seed", *_s.LIMITS["seed"])
    ratio = _s._number(value["train_ratio"], "split.train_ratio", *_s.LIMITS["train_ratio"])
    seen: set[int] = set()
    for name in ("train", "test"):
        rows_of = value[name]
        if not isinstance(rows_of, list) or len(rows_of) > rows or not all(
                isinstance(r, int) and not isinstance(r, bool) and 0 <= r < rows for r in rows_of):
            raise _s.SettingsError(f"split.{name}: expected a list of row numbers from 0 to "
                                   f"{rows - 1} (the data has {rows} rows), got {_show(rows_of)}")
        if seen & set(rows_of) or len(set(rows_of)) != len(rows_of):
            raise _s.SettingsError(f"split.{name}: a row is listed twice (each row belongs to "
                                   f"train or test once)")
        seen.update(rows_of)
    if len(seen) != rows:
        raise _s.SettingsError(f"split: {rows - len(seen)} of the {rows} rows are in neither "
                               f"train nor test")
    return {"seed": seed, "train_ratio": ratio, "train": list(value["train"]),
            "test": list(value["test"])}


def _rebuild_with(f: Any, table: tabular.Table, changes: dict[str, Any],
                  split: dict[str, Any] | None = None) -> None:
    """Make ``table`` the own data and rebuild with ``changes`` (and ``split``, kept
    if seed and train_ratio match); on any error put every attribute back as it was."""
    keep = dict(vars(f))
    try:
        if split is not None:
            f.custom_split = {**split, "table": table}
        f.custom = table
        f._build(f._validate({**changes, "dataset": "custom"}, f.settings))
    except BaseException:
        vars(f).clear()
        vars(f).update(keep)
        raise


def load_csv(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """``{"text", "header"?, "kind"?, "settings"?, "split"?}``: the CSV becomes the
    own data (dataset ``custom``), split by train_ratio and seed, or as ``split``
    (export_data's) says when its seed and train_ratio are the settings'; the
    network is rebuilt for its features and classes, with ``settings`` (e.g.
    ``hidden`` for the new shape) merged in the same check (``init`` is not needed first).
    When ``settings`` does not name ``hidden``, the hidden sizes in use are fitted to
    the new data's node limit (digits' 32 nodes → 8 for 2-D points) and the answer's
    ``hidden_resized`` says so (else null): only Python knows the CSV's shape."""
    table = tabular.parse_csv(req.get("text"), req.get("header"), req.get("kind", "auto"))
    changes = req.get("settings", {})
    if not isinstance(changes, dict):
        raise _s.SettingsError(f"settings: expected an object, got {_show(changes)}")
    split = _split(req["split"], len(table.x)) if req.get("split") is not None else None
    resized = None
    if "hidden" not in changes and f.settings is not None:
        lo, hi = _s.node_limit("custom", len(table.features))
        hidden = f.settings["hidden"]
        fitted = [min(hi, max(lo, h)) for h in hidden]
        if fitted != hidden:
            changes = {**changes, "hidden": fitted}
            resized = {"from": list(hidden), "to": fitted, "nodes": [lo, hi]}
    _rebuild_with(f, table, changes, split)
    out = f.op_state(req)
    out["rows"] = len(table.x)
    out["hidden_resized"] = resized
    return out


def _own(f: Any) -> tabular.Table:
    """The current data as own data (a copy of a named set on first edit)."""
    t = f.table
    if f.settings["dataset"] != "custom":
        t = tabular.Table(t.kind, list(t.features), t.target,
                          None if t.classes is None else list(t.classes),
                          [list(r) for r in t.x], list(t.y), t.shift, t.scale, t.scaling)
    return t


def _which(req: dict[str, Any]) -> str:
    which = req.get("set", "train")
    if which not in ("train", "test"):
        raise _s.SettingsError(f"set: expected train or test, got {_show(which)}")
    return which


def add_point(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """``{"x": [x1, x2, ...], "label": ..., "set": "train"|"test"}``: one point
    (in the data's own units) joins the set; the network and epoch stay."""
    f._need_net()
    t = f.table
    x, label, which = req.get("x"), req.get("label"), _which(req)
    n = len(t.features)
    if not isinstance(x, list) or len(x) != n or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 1e6
            for v in x):      # abs first: a huge int compares, float(10**400) overflows
        raise _s.SettingsError(f"x: expected a list of {n} finite numbers (at most 1e6 in "
                               f"size, one per feature: {', '.join(t.features)[:80]}), "
                               f"got {_show(x)}")
    if len(t.x) >= tabular.MAX_ROWS:
        raise _s.SettingsError(f"add_point: the data already has {tabular.MAX_ROWS} points, "
                               f"the limit")
    if t.classes is None:
        y: Any = _s._number(label, "label", -1e6, 1e6)
    else:
        name = tabular.class_name(label)
        if name not in t.classes:
            raise _s.SettingsError(f"label: expected one of {', '.join(t.classes)} (the "
                                   f"classes of this data), got {_show(label)}")
        y = t.classes.index(name)
    t = _own(f)
    t.x.append([float(v) for v in x])
    t.y.append(y)
    f.custom = f.table = t
    (f.train_idx if which == "train" else f.test_idx).append(len(t.x) - 1)
    f.settings = {**f.settings, "dataset": "custom"}
    f._derive()
    return {"train_size": len(f.train_x), "test_size": len(f.test_x), **f._losses()}


def remove_point(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """``{"set": "train"|"test", "index": i}``: remove that point of the set."""
    f._need_net()
    which = _which(req)
    rows = f.train_idx if which == "train" else f.test_idx
    if not rows:
        raise _s.SettingsError(f"index: the {which} set is empty")
    i = _s._integer(req.get("index"), "index", 0, len(rows) - 1)
    t = _own(f)
    r = rows[i]
    del t.x[r], t.y[r]
    f.custom = f.table = t
    del rows[i]
    f.train_idx = [j - (j > r) for j in f.train_idx]
    f.test_idx = [j - (j > r) for j in f.test_idx]
    f.settings = {**f.settings, "dataset": "custom"}
    f._derive()
    return {"train_size": len(f.train_x), "test_size": len(f.test_x), **f._losses()}


def clear(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """Remove every point (the own data keeps its features and classes)."""
    f._need_net()
    t = _own(f)
    t.x, t.y = [], []
    f.custom = f.table = t
    f.train_idx, f.test_idx = [], []
    f.settings = {**f.settings, "dataset": "custom"}
    f._derive()
    return {"train_size": 0, "test_size": 0, **f._losses()}


def export_data(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """Every point, unscaled, in the table's order, as CSV (``load_csv`` reads it
    back exactly), with what the page keeps beside it: ``split`` (the rows of the
    train and test sets, which load_csv takes back) and ``shape`` (see :func:`shape`)."""
    f._need_net()
    s = f.settings
    return {"csv": tabular.to_csv(f.table), "rows": len(f.table.x),
            "split": {"seed": s["seed"], "train_ratio": s["train_ratio"],
                      "train": list(f.train_idx), "test": list(f.test_idx)},
            "shape": shape(s["dataset"], f.table)}


# -------------------------------------------------------------------- model

def export_model(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """The network as ``to_dict`` JSON text, plus a ``playground`` key (ignored
    by ``Network.from_dict``) with the epoch and what the data looked like."""
    net = f._need_net()
    d = net.to_dict()
    d["playground"] = {"epoch": f.epoch, "dataset": f.settings["dataset"],
                       "features": f.table.features, "classes": f.table.classes}
    return {"json": json.dumps(d, allow_nan=False)}


def _no_constants(name: str) -> Any:
    raise ModelError(f"json: {name} is not a number JSON allows (the model has a "
                     f"non-finite value)")


def parse_model_json(text: str) -> Any:
    """A model file's JSON text, parsed. Refused with a ModelError: NaN or
    Infinity, and brackets nested deeper than ``request_depth``, checked
    before parsing: json's parser recurses once per level, and inside Pyodide
    a few thousand levels are a fatal error that kills the worker, not a
    RecursionError (the request's own depth check skips strings)."""
    depth = _s.LIMITS["request_depth"]
    if _f._too_deep(text, depth):
        raise ModelError(f"json: brackets nested more than {depth} deep (a saved model "
                         f"nests 4 deep)")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except ModelError:
        raise
    except (ValueError, RecursionError) as exc:
        raise ModelError(f"json: not valid JSON ({str(exc)[:100]})") from None


def load_model(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """``{"json": text}``: replace the network by a saved one, after checking it
    fits the current data; the data stays, the settings follow the model."""
    f._need_net()
    text, limit = req.get("json"), _s.LIMITS["model_chars"]
    if not isinstance(text, str):
        raise ModelError(f"json: expected the model's JSON text, got {type(text).__name__}")
    if len(text) > limit:
        raise ModelError(f"json: {len(text)} characters, more than the limit of {limit}")
    d = parse_model_json(text)
    if not isinstance(d, dict):
        raise ModelError(f"model: expected a JSON object, got {type(d).__name__}")
    try:     # format, version, every field there, layers: from_dict's own checks
        layers = check_header(d)
    except (ValueError, TypeError) as exc:
        raise ModelError(f"model: {str(exc).removeprefix('from_dict: ')}") from None
    act = d.get("activation")
    changes = {"hidden": layers[1:-1], "learning_rate": d.get("learning_rate"),
               "activation": act[0] if isinstance(act, list) and act and
               all(a == act[0] for a in act) else act,
               "output_activation": d.get("output_activation"), "loss": d.get("loss"),
               "bias": d.get("bias"), "init": d.get("init")}
    if act == []:       # no hidden layer: keep the setting for when there are some
        del changes["activation"]
    try:
        settings = f._validate(changes, f.settings)
        spec = Spec(settings, f.table)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ModelError(f"model: {exc}") from None
    want = [len(f.table.features), spec.outputs]
    if [layers[0], layers[-1]] != want:
        raise ModelError(f"model: layers {_show(layers)} do not match the current data "
                         f"({settings['dataset']}: {want[0]} inputs, {want[1]} output"
                         f"{'s' if want[1] > 1 else ''} for a {spec.output_activation} output)")
    try:
        net = Network.from_dict(d)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ModelError(f"model: {str(exc).removeprefix('from_dict: ')}") from None
    epoch = (d.get("playground") or {}).get("epoch", 0) if isinstance(
        d.get("playground"), dict) else 0
    if isinstance(epoch, bool) or not isinstance(epoch, int) or not 0 <= epoch <= 10 ** 9:
        raise ModelError(f"model: 'playground.epoch' must be a whole number >= 0, "
                         f"got {_show(epoch)}")
    f.settings, f.net, f.spec, f.epoch = settings, net, spec, epoch
    f._derive()
    return f.op_state(req)


def export_python(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """A CPython script that rebuilds the network and prints its outputs on the
    first test points (``points``: how many, 1-20, default 5)."""
    net = f._need_net()
    k = _s._integer(req.get("points", 5), "points", 1, 20)
    t = f.table
    rows = f.test_idx[:k] or f.train_idx[:k]
    title = (f"pynet network {net.layers} trained {f.epoch} epochs on "
             f"{f.settings['dataset']} in the playground")
    return {"source": snippet.python_source(net, t, [list(t.x[r]) for r in rows], title),
            "points": [t.scaled(t.x[r]) for r in rows]}


# --------------------------------------------------------------------- grid

def _range(value: Any, name: str) -> list[float]:
    if not isinstance(value, list) or len(value) != 2:
        raise _s.SettingsError(f"{name}: expected [low, high], got {_show(value)}")
    lo = _s._number(value[0], f"{name}[0]", -1e6, 1e6)
    hi = _s._number(value[1], f"{name}[1]", -1e6, 1e6)
    if not lo < hi:
        raise _s.SettingsError(f"{name}: expected low < high, got {_show(value)}")
    return [lo, hi]


def grid(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """The network on an n x n grid over two inputs (see the facade docstring)."""
    net, spec = f._need_net(), f.spec
    n = _s._integer(req.get("n", 50), "n", *_s.LIMITS["grid"])
    width = net.layers[0]
    feats = req.get("features", [0, 1])
    if not isinstance(feats, list) or len(feats) != 2 or feats[0] == feats[1]:
        raise _s.SettingsError(f"features: expected two different feature indices, got "
                               f"{_show(feats)}")
    i1, i2 = (_s._integer(v, f"features[{k}]", 0, width - 1) for k, v in enumerate(feats))
    base = req.get("fixed", [0.0] * width)
    if not isinstance(base, list) or len(base) != width:
        raise _s.SettingsError(f"fixed: expected {width} numbers (the other inputs' values)")
    base = [_s._number(v, f"fixed[{k}]", -1e6, 1e6) for k, v in enumerate(base)]
    neurons = req.get("neurons", False)
    if not isinstance(neurons, bool):
        raise _s.SettingsError(f"neurons: expected true or false, got {_show(neurons)}")
    digits = _s._integer(req.get("digits", 3), "digits", 0, 8)
    scaled = req.get("scaled", False)
    if not isinstance(scaled, bool):
        raise _s.SettingsError(f"scaled: expected true or false, got {_show(scaled)}")
    nodes = sum(net.layers[1:]) if neurons else net.layers[-1]
    limit = _s.LIMITS["grid_values"]
    if n * n * nodes > limit:
        raise _s.SettingsError(f"n: {n} x {n} points x {nodes} nodes is more than {limit} "
                               f"values; use a smaller n")
    params = sum(a * b + b for a, b in zip(net.layers, net.layers[1:]))
    work = _s.LIMITS["grid_work"]
    if n * n * params > work:   # bounded time: about 1 s in CPython, 2-3 s in Pyodide
        raise _s.SettingsError(f"n: {n} x {n} points x {params} weights and biases is more than "
                               f"{work} multiply-adds; use n <= {math.isqrt(work // params)}")
    pts = f.train_x + f.test_x
    default = ([[-6.0, 6.0]] * 2 if f.settings["dataset"] in _s.CLASSIFICATION + _s.REGRESSION
               else [_span([p[i] for p in pts]) for i in (i1, i2)])
    r1 = _range(req["x_range"], "x_range") if "x_range" in req else default[0]
    r2 = _range(req["y_range"], "y_range") if "y_range" in req else default[1]
    xs = [r1[0] + (r1[1] - r1[0]) * j / (n - 1) for j in range(n)]
    ys = [r2[0] + (r2[1] - r2[0]) * i / (n - 1) for i in range(n)]
    points = []
    for y in ys:
        for x in xs:
            p = list(base)
            p[i1], p[i2] = x, y
            points.append(p)
    rows = forward.outputs(net, points, neurons)     # per point: a tuple of node outputs
    columns = _scaled(rows, 10 ** digits) if scaled else \
        [[round(v, digits) if math.isfinite(v) else None for v in col] for col in zip(*rows)]
    sizes = net.layers[1:] if neurons else net.layers[-1:]
    values, at = [], 0
    for size in sizes:
        values.append(columns[at:at + size])
        at += size
    out: dict[str, Any] = {"n": n, "x_range": r1, "y_range": r2, "features": [i1, i2],
                           "outputs": values[-1]}
    if scaled:
        out["scale"] = 10 ** digits
    if neurons:
        out["neurons"] = values
    if spec.classes:
        m = net.layers[-1]
        out["classes"] = [spec.decide(list(r[-m:])) for r in rows]
    return out


def _scaled(rows: list[tuple], scale: int) -> list[list[int | None]]:
    """Per node, round(v * scale) for each point (None where that is not finite)."""
    cols = list(zip(*rows))
    try:
        return [[round(v * scale) for v in col] for col in cols]
    except (OverflowError, ValueError):   # an inf or a NaN somewhere: look at each value
        return [[round(q) if math.isfinite(q := v * scale) else None for v in col] for col in cols]


def _span(values: list[float]) -> list[float]:
    """The data's range padded by 10 % on each side (±1 around a single value)."""
    if not values:
        return [-1.0, 1.0]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or 1.0
    return [lo - pad, hi + pad]


# -------------------------------------------------------------------- panel

def run_python(f: Any, req: dict[str, Any]) -> dict[str, Any]:
    """``{"code": text}``: run it with ``net`` = the live network (see pynet.panel);
    afterwards the settings follow the network's learning rate and activations,
    or the network is restored if they are no longer valid settings."""
    net = f._need_net()
    ns = f._panel_ns
    if not ns:
        import pynet
        ns.update({"__name__": "__panel__", "pynet": pynet})
    # fresh copies each run: code that edits them cannot touch the training data
    ns.update({"X": [list(x) for x in f.train_x], "T": [list(t) for t in f.train_t],
               "x": list(f.train_x[0]) if f.train_x else None,
               "t": list(f.train_t[0]) if f.train_t else None})
    before = panel._snapshot(net)
    out = panel.run(req.get("code"), net, ns)
    if not out["restored"]:
        old, acts = before["dict"], net.activation
        changes: dict[str, Any] = {"learning_rate": net.learning_rate}
        if acts != old["activation"]:
            changes["activation"] = acts[0] if all(a == acts[0] for a in acts) else list(acts)
        if net.output_activation != old["output_activation"]:
            changes["output_activation"] = net.output_activation
        if net.loss_name != old["loss"]:
            changes["loss"] = net.loss_name
        try:
            settings = f._validate(changes, f.settings)
            spec = Spec(settings, f.table)
            if spec.outputs != net.layers[-1] or spec.output_activation != \
                    net.output_activation or spec.loss != net.loss_name:
                raise _s.SettingsError("output_activation/loss: this output and loss do not "
                                       "fit the data")
        except (ValueError, TypeError, ArithmeticError) as exc:
            panel._restore(net, before)
            out.update(invalid=str(exc), restored=True)
        else:
            f.settings, f.spec = settings, spec
            f._derive()
    out["settings"] = f.settings
    return out
