"""Helpers shared by the facade tests (CPython and Pyodide): one request as
JSON text through ``Facade.handle``, a facade already initialised, and a
network rebuilt from a ``state`` snapshot (also used by the browser tests);
then what several page test files share: a model file with some fields
changed, "a refused request changes nothing", any JSON value as a hypothesis
strategy, and a tolerant comparison of nested lists."""

from __future__ import annotations

import json
import math

from hypothesis import strategies as st

from pynet.facade import Facade
from pynet.network import Network


def call(f: Facade, **req) -> dict:
    """Send one request as JSON text (as the page does); the answer, parsed."""
    text = f.handle(json.dumps(req))
    assert isinstance(text, str)
    return json.loads(text)


def started(**settings) -> Facade:
    """A facade after a successful ``init`` with these settings."""
    f = Facade()
    r = call(f, op="init", settings=settings)
    assert r["ok"], r
    return f


def net_from(state: dict) -> Network:
    """A fresh pynet Network holding a ``state`` snapshot's weights, built apart
    from the facade (shape, activations, loss, bias and learning rate as the
    snapshot reports them)."""
    acts = state["activations"]
    net = Network(state["layers"], activation=acts[:-1] or "sigmoid", output_activation=acts[-1],
                  loss=state["loss"], bias=state["settings"]["bias"],
                  learning_rate=state["settings"]["learning_rate"], seed=0)
    net.weights, net.biases = state["weights"], state["biases"]
    return net


def model_json(**changes) -> str:
    f = started(hidden=[3], seed=1)
    d = json.loads(call(f, op="export_model")["json"])
    d.update(changes)
    return json.dumps(d)


def _unchanged_after(req: dict, words: str, **settings) -> None:
    f = started(**{"dataset": "xor", "seed": 3, **settings})
    call(f, op="step", n=2)
    before = (call(f, op="state"), call(f, op="data"), call(f, op="export_model"))
    r = call(f, **req)
    assert r["ok"] is False and words in r["error"], r
    assert (call(f, op="state"), call(f, op="data"), call(f, op="export_model")) == before


def _whole(f: Facade) -> tuple:
    return call(f, op="state"), call(f, op="data"), call(f, op="export_model")


def close(a, b, tol=1e-12):
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


BIG = "1" + "0" * 400          # an integer literal no float can hold

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)
