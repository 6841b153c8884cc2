"""The model-file requests: ``export_model``, ``load_model`` (a saved network
on the current data) and ``export_python`` (a CPython script that rebuilds
the network). Handlers as in :mod:`pynet.page.data`."""

from __future__ import annotations

import json
from typing import Any

from ..network import Network, check_header
from . import settings as _s
from . import snippet
from .spec import Spec
from .state import Answer, Request, State
from .values import show, too_deep


class ModelError(ValueError):
    """A model JSON refused by load_model (the message says why)."""


def export_model(st: State, req: Request) -> Answer:
    """The network as ``to_dict`` JSON text, plus a ``playground`` key (ignored
    by ``Network.from_dict``) with the epoch and what the data looked like."""
    net, s, t, _ = st.need_data()
    d = net.to_dict()
    d["playground"] = {"epoch": st.epoch, "dataset": s["dataset"],
                       "features": t.features, "classes": t.classes}
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
    if too_deep(text, depth):
        raise ModelError(f"json: brackets nested more than {depth} deep (a saved model "
                         f"nests 4 deep)")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except ModelError:
        raise
    except (ValueError, RecursionError) as exc:
        raise ModelError(f"json: not valid JSON ({str(exc)[:100]})") from None


def load_model(st: State, req: Request) -> Answer:
    """``{"json": text}``: replace the network by a saved one, after checking it
    fits the current data; the data stays, the settings follow the model."""
    table = st.need_data()[2]
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
        settings = st.validate(changes, st.settings)
        spec = Spec(settings, table)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ModelError(f"model: {exc}") from None
    want = [len(table.features), spec.outputs]
    if [layers[0], layers[-1]] != want:
        raise ModelError(f"model: layers {show(layers)} do not match the current data "
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
                         f"got {show(epoch)}")
    st.settings, st.net, st.spec, st.epoch = settings, net, spec, epoch
    st.derive()
    return st.report(req)


def export_python(st: State, req: Request) -> Answer:
    """A CPython script that rebuilds the network and prints its outputs on the
    first test points (``points``: how many, 1-20, default 5)."""
    net, s, t, _ = st.need_data()
    k = _s._integer(req.get("points", 5), "points", 1, 20)
    rows = st.test_idx[:k] or st.train_idx[:k]
    title = (f"pynet network {net.layers} trained {st.epoch} epochs on "
             f"{s['dataset']} in the playground")
    return {"source": snippet.python_source(net, t, [list(t.x[r]) for r in rows], title),
            "points": [t.scaled(t.x[r]) for r in rows]}
