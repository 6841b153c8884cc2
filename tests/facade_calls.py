"""Helpers shared by the facade tests (CPython and Pyodide): one request as
JSON text through ``Facade.handle``, a facade already initialised, and a
network rebuilt from a ``state`` snapshot (also used by the browser tests)."""

from __future__ import annotations

import json

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
