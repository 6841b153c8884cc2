"""Helpers shared by the facade tests (CPython and Pyodide): one request as
JSON text through ``Facade.handle``, and a facade already initialised."""

from __future__ import annotations

import json

from pynet.facade import Facade


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
