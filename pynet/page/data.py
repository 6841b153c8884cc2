"""The data requests: ``data``, ``predict``, ``grid``, ``confusion``, and own
data -- ``load_csv``, ``add_point``, ``remove_point``, ``clear``,
``export_data``. Each handler takes the :class:`~pynet.page.state.State` and
the request dict and returns the answer dict; errors are ``ValueError``s
naming the argument, raised *before* anything is changed. The requests are
described in :mod:`pynet.page.requests`.
"""

from __future__ import annotations

import math
from typing import Any

from .. import forward
from . import settings as _s
from . import tabular
from .settings import LIMITS, SettingsError
from .spec import shape
from .state import Answer, Request, State
from .values import finite_or_none, finite_real, show


def data(st: State, req: Request) -> Answer:
    """The training and test points and targets."""
    st.need_net()
    one = st.spec is None or st.spec.outputs == 1
    out = {"train_x": st.train_x,
           "train_t": [t[0] for t in st.train_t] if one else st.train_t,
           "test_x": st.test_x,
           "test_t": [t[0] for t in st.test_t] if one else st.test_t}
    out.update(data_extra(st))
    return out


def predict(st: State, req: Request) -> Answer:
    """The network's output for each of ``points``."""
    net = st.need_net()
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
                           and finite_real(v) for v in p)):
            wanted = "[x1, x2] with two" if width == 2 else f"a list of {width}"
            raise SettingsError(f"points[{i}]: expected {wanted} finite numbers, "
                                f"got {show(p)}")
    return predictions(st, net.predict(points))


def data_extra(st: State) -> dict[str, Any]:
    t = st.need_data()[2]
    return {"train_y": [t.y[i] for i in st.train_idx], "test_y": [t.y[i] for i in st.test_idx],
            **st.describe()}


def predictions(st: State, outputs: list[list[float]]) -> dict[str, Any]:
    spec = st.need_data()[3]
    fin = finite_or_none
    out: dict[str, Any] = {"outputs": [fin(o[0]) for o in outputs] if spec.outputs == 1
                           else [[fin(v) for v in o] for o in outputs]}
    if spec.classes:
        out["classes"] = [spec.decide(o) for o in outputs]
    return out


def confusion(st: State, req: Request) -> Answer:
    """Confusion matrices ``cm[actual][predicted]`` of both sets, and which test
    samples are misclassified (for marking digits)."""
    net, s, t, spec = st.need_data()
    st.no_preset("confusion")
    if not spec.classes:
        raise _s.SettingsError(f"confusion: {s['dataset']} is regression data "
                               f"(no classes)")
    out: dict[str, Any] = {"classes": t.classes}
    for name, xs, rows in (("train", st.train_x, st.train_idx), ("test", st.test_x, st.test_idx)):
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


# -------------------------------------------------------------------- data

#: export_data's ``table``: what the CSV cannot say, so that the page's copy restores its
#: table exactly: the classes (some may have lost every row; null for regression) and the
#: scaling (iris's, kept by own data copied from it)
TABLE_KEYS = {"classes", "shift", "scale", "scaling"}


def _split(value: Any, rows: int) -> dict[str, Any]:
    """load_csv's ``split`` (export_data's): ``seed``, ``train_ratio`` and the
    ``train`` and ``test`` row numbers, every row in exactly one of them."""
    if not isinstance(value, dict) or set(value) != {"seed", "train_ratio", "train", "test"}:
        raise _s.SettingsError(f"split: expected an object with seed, train_ratio, train and "
                               f"test (export_data's), got {show(value)}")
    seed = _s._integer(value["seed"], "split.seed", *_s.LIMITS["seed"])
    ratio = _s._number(value["train_ratio"], "split.train_ratio", *_s.LIMITS["train_ratio"])
    seen: set[int] = set()
    for name in ("train", "test"):
        rows_of = value[name]
        if not isinstance(rows_of, list) or len(rows_of) > rows or not all(
                isinstance(r, int) and not isinstance(r, bool) and 0 <= r < rows for r in rows_of):
            raise _s.SettingsError(f"split.{name}: expected a list of row numbers from 0 to "
                                   f"{rows - 1} (the data has {rows} rows), got {show(rows_of)}")
        if seen & set(rows_of) or len(set(rows_of)) != len(rows_of):
            raise _s.SettingsError(f"split.{name}: a row is listed twice (each row belongs to "
                                   f"train or test once)")
        seen.update(rows_of)
    if len(seen) != rows:
        raise _s.SettingsError(f"split: {rows - len(seen)} of the {rows} rows are in neither "
                               f"train nor test")
    return {"seed": seed, "train_ratio": ratio, "train": list(value["train"]),
            "test": list(value["test"])}


def _table_meta(value: Any, features: int) -> dict[str, Any]:
    """export_data's ``table`` (TABLE_KEYS), checked."""
    if not isinstance(value, dict) or set(value) != TABLE_KEYS:
        raise _s.SettingsError(f"table: expected an object with classes, shift, scale and "
                               f"scaling (export_data's), got {show(value)}")
    classes, shift, scale, scaling = (value[k] for k in ("classes", "shift", "scale", "scaling"))
    if classes is not None and (not isinstance(classes, list) or not 2 <= len(classes) <= tabular.MAX_CLASSES
                                or not all(isinstance(c, str) and c for c in classes)
                                or len(set(classes)) != len(classes)):
        raise _s.SettingsError(f"split.classes: expected null or a list of 2 to "
                               f"{tabular.MAX_CLASSES} different class names, got {show(classes)}")
    for name, v in (("shift", shift), ("scale", scale)):
        if v is not None and (not isinstance(v, list) or len(v) != features or not all(
                isinstance(x, (int, float)) and not isinstance(x, bool) and finite_real(x)
                and (name == "shift" or x > 0) for x in v)):
            raise _s.SettingsError(f"split.{name}: expected null or {features} finite numbers"
                                   f"{' above 0' if name == 'scale' else ''}, got {show(v)}")
    if (shift is None) != (scale is None) or not isinstance(scaling, str) or len(scaling) > 200:
        raise _s.SettingsError(f"split.scaling: expected shift and scale together and the "
                               f"scaling in words, got {show(scaling)}")
    return {"classes": classes, "shift": shift, "scale": scale, "scaling": scaling}


def _rebuild_with(st: State, table: tabular.Table, changes: dict[str, Any],
                  split: dict[str, Any] | None = None) -> None:
    """Make ``table`` the own data and rebuild with ``changes`` (and ``split``, kept
    if seed and train_ratio match); on any error put every attribute back as it was."""
    with st.transaction():
        if split is not None:
            st.custom_split = {**split, "table": table}
        st.custom = table
        st.build(st.validate({**changes, "dataset": "custom"}, st.settings))


def load_csv(st: State, req: Request, copy: bool = False) -> Answer:
    """``{"text", "header"?, "kind"?, "settings"?, "split"?}``: the CSV becomes the
    own data (dataset ``custom``), split by train_ratio and seed, or as ``split``
    (export_data's) says when its seed and train_ratio are the settings'; the
    network is rebuilt for its features and classes, with ``settings`` (e.g.
    ``hidden`` for the new shape) merged in the same check (``init`` is not needed first).
    When ``settings`` does not name ``hidden``, the hidden sizes in use are fitted to
    the new data's node limit (digits' 32 nodes → 8 for 2-D points) and the answer's
    ``hidden_resized`` says so (else null): only Python knows the CSV's shape.
    ``copy`` (the restore of the page's own copy, with export_data's ``table``; never
    a request's key): the table's classes and scaling are taken as well, the text
    may be longer than csv_chars and may have no row left (see tabular.parse_csv)."""
    text, given = req.get("text"), req.get("table")
    if copy and given is not None:
        classes = given.get("classes") if isinstance(given, dict) else None
        table = tabular.parse_csv(text, True, "classes" if classes is not None else "regression",
                                  max_chars=None, classes=classes if isinstance(classes, list) else None,
                                  allow_empty=True)
        meta = _table_meta(given, len(table.features))
        table.shift, table.scale, table.scaling = meta["shift"], meta["scale"], meta["scaling"]
    else:
        table = tabular.parse_csv(text, req.get("header"), req.get("kind", "auto"))
    changes = req.get("settings", {})
    if not isinstance(changes, dict):
        raise _s.SettingsError(f"settings: expected an object, got {show(changes)}")
    split = _split(req["split"], len(table.x)) if req.get("split") is not None else None
    resized = None
    if "hidden" not in changes and st.settings is not None:
        lo, hi = _s.node_limit("custom", len(table.features))
        hidden = st.settings["hidden"]
        fitted = [min(hi, max(lo, h)) for h in hidden]
        if fitted != hidden:
            changes = {**changes, "hidden": fitted}
            resized = {"from": list(hidden), "to": fitted, "nodes": [lo, hi]}
    _rebuild_with(st, table, changes, split)
    out = st.report(req)
    out["rows"] = len(table.x)
    out["hidden_resized"] = resized
    return out


def _own(st: State) -> tabular.Table:
    """The current data as own data (a copy of a named set on first edit)."""
    _, s, t, _ = st.need_data()
    if s["dataset"] != "custom":
        t = tabular.Table(t.kind, list(t.features), t.target,
                          None if t.classes is None else list(t.classes),
                          [list(r) for r in t.x], list(t.y), t.shift, t.scale, t.scaling)
    return t


def _which(req: dict[str, Any]) -> str:
    which = req.get("set", "train")
    if which not in ("train", "test"):
        raise _s.SettingsError(f"set: expected train or test, got {show(which)}")
    return which


def add_point(st: State, req: Request) -> Answer:
    """``{"x": [x1, x2, ...], "label": ..., "set": "train"|"test"}``: one point
    (in the data's own units) joins the set; the network and epoch stay."""
    st.no_preset("add_point")
    _, s, t, _ = st.need_data()
    x, label, which = req.get("x"), req.get("label"), _which(req)
    n = len(t.features)
    if not isinstance(x, list) or len(x) != n or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 1e6
            for v in x):      # abs first: a huge int compares, float(10**400) overflows
        raise _s.SettingsError(f"x: expected a list of {n} finite numbers (at most 1e6 in "
                               f"size, one per feature: {', '.join(t.features)[:80]}), "
                               f"got {show(x)}")
    if len(t.x) >= tabular.MAX_ROWS:
        raise _s.SettingsError(f"add_point: the data already has {tabular.MAX_ROWS} points, "
                               f"the limit")
    if t.classes is None:
        y: Any = _s._number(label, "label", -1e6, 1e6)
    else:
        name = tabular.class_name(label)
        if name not in t.classes:
            raise _s.SettingsError(f"label: expected one of {', '.join(t.classes)} (the "
                                   f"classes of this data), got {show(label)}")
        y = t.classes.index(name)
    t = _own(st)
    t.x.append([float(v) for v in x])
    t.y.append(y)
    st.custom = st.table = t
    (st.train_idx if which == "train" else st.test_idx).append(len(t.x) - 1)
    st.settings = {**s, "dataset": "custom"}
    st.derive()
    return {"train_size": len(st.train_x), "test_size": len(st.test_x), **st.losses()}


def remove_point(st: State, req: Request) -> Answer:
    """``{"set": "train"|"test", "index": i}``: remove that point of the set."""
    st.no_preset("remove_point")
    s = st.need_data()[1]
    which = _which(req)
    rows = st.train_idx if which == "train" else st.test_idx
    if not rows:
        raise _s.SettingsError(f"index: the {which} set is empty")
    i = _s._integer(req.get("index"), "index", 0, len(rows) - 1)
    t = _own(st)
    r = rows[i]
    del t.x[r], t.y[r]
    st.custom = st.table = t
    del rows[i]
    st.train_idx = [j - (j > r) for j in st.train_idx]
    st.test_idx = [j - (j > r) for j in st.test_idx]
    st.settings = {**s, "dataset": "custom"}
    st.derive()
    return {"train_size": len(st.train_x), "test_size": len(st.test_x), **st.losses()}


def clear(st: State, req: Request) -> Answer:
    """Remove every point (the own data keeps its features and classes)."""
    st.no_preset("clear")
    s = st.need_data()[1]
    t = _own(st)
    t.x, t.y = [], []
    st.custom = st.table = t
    st.train_idx, st.test_idx = [], []
    st.settings = {**s, "dataset": "custom"}
    st.derive()
    return {"train_size": 0, "test_size": 0, **st.losses()}


def export_data(st: State, req: Request) -> Answer:
    """Every point, unscaled, in the table's order, as CSV (``load_csv`` reads it
    back exactly), with what the page keeps beside it: ``split`` (the rows of the
    train and test sets, which load_csv takes back) and ``shape`` (see :func:`shape`)."""
    _, s, t, _ = st.need_data()
    return {"csv": tabular.to_csv(t), "rows": len(t.x),
            "split": {"seed": s["seed"], "train_ratio": s["train_ratio"],
                      "train": list(st.train_idx), "test": list(st.test_idx)},
            "table": {"classes": None if t.classes is None else list(t.classes),
                      "shift": None if t.shift is None else list(t.shift),
                      "scale": None if t.scale is None else list(t.scale), "scaling": t.scaling},
            "shape": shape(s["dataset"], t)}


# --------------------------------------------------------------------- grid

def _range(value: Any, name: str) -> list[float]:
    if not isinstance(value, list) or len(value) != 2:
        raise _s.SettingsError(f"{name}: expected [low, high], got {show(value)}")
    lo = _s._number(value[0], f"{name}[0]", -1e6, 1e6)
    hi = _s._number(value[1], f"{name}[1]", -1e6, 1e6)
    if not lo < hi:
        raise _s.SettingsError(f"{name}: expected low < high, got {show(value)}")
    return [lo, hi]


def grid(st: State, req: Request) -> Answer:
    """The network on an n x n grid over two inputs (see :mod:`pynet.page.requests`)."""
    net, s, _, spec = st.need_data()
    n = _s._integer(req.get("n", 50), "n", *_s.LIMITS["grid"])
    width = net.layers[0]
    feats = req.get("features", [0, 1])
    if not isinstance(feats, list) or len(feats) != 2 or feats[0] == feats[1]:
        raise _s.SettingsError(f"features: expected two different feature indices, got "
                               f"{show(feats)}")
    i1, i2 = (_s._integer(v, f"features[{k}]", 0, width - 1) for k, v in enumerate(feats))
    base = req.get("fixed", [0.0] * width)
    if not isinstance(base, list) or len(base) != width:
        raise _s.SettingsError(f"fixed: expected {width} numbers (the other inputs' values)")
    base = [_s._number(v, f"fixed[{k}]", -1e6, 1e6) for k, v in enumerate(base)]
    neurons = req.get("neurons", False)
    if not isinstance(neurons, bool):
        raise _s.SettingsError(f"neurons: expected true or false, got {show(neurons)}")
    digits = _s._integer(req.get("digits", 3), "digits", 0, 8)
    scaled = req.get("scaled", False)
    if not isinstance(scaled, bool):
        raise _s.SettingsError(f"scaled: expected true or false, got {show(scaled)}")
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
    pts = st.train_x + st.test_x
    default = ([[-6.0, 6.0]] * 2 if s["dataset"] in _s.CLASSIFICATION + _s.REGRESSION
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
