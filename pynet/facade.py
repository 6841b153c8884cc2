"""The page's entry point: plain JSON requests in, plain JSON answers out.

The page's Web Worker imports this module (through Pyodide) and calls
:func:`handle`; the requests, their table and their answers are in
:mod:`pynet.page.requests`. It knows nothing of browsers: it is ordinary
Python, tested on CPython and inside Pyodide alike.

    >>> import json
    >>> from pynet.facade import Facade
    >>> f = Facade()
    >>> r = json.loads(f.handle('{"op": "init", "settings": {"dataset": "xor", "seed": 1}}'))
    >>> r["ok"], r["epoch"], r["layers"]
    (True, 0, [2, 4, 2, 1])
    >>> json.loads(f.handle('{"op": "step", "n": 2}'))["epoch"]
    2
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .page import requests
from .page.settings import DEFAULTS, LIMITS, validate_settings
from .page.state import Answer, Request, State
from .page.values import finite_or_none as _finite_or_none

# DEFAULTS, LIMITS and validate_settings live in pynet.page.settings; kept here by
# name for callers of the facade.
__all__ = ["DEFAULTS", "LIMITS", "Facade", "_finite_or_none", "handle", "validate_settings"]


class Facade(State):
    """One training session (:class:`~pynet.page.state.State`) that answers
    requests. Each request of :data:`~pynet.page.requests.REQUESTS` is also a
    method ``op_<name>`` (its handler, bound to this session); the dispatch
    goes through these, so an instance attribute of that name takes its place
    (a test makes one fail that way)."""

    def _bound(self, op: str) -> Callable[[Request], Answer]:
        bound: Callable[[Request], Answer] = getattr(self, f"op_{op}")
        return bound

    def request(self, req: Any) -> Answer:
        """Handle one request dict; always returns a JSON-able dict."""
        return requests.answer(self, req, self._bound)

    def handle(self, request_json: str) -> str:
        """JSON text in, JSON text out (never raises)."""
        return requests.handle(self, request_json, self._bound)


for _op, _handler in requests.REQUESTS.items():
    setattr(Facade, f"op_{_op}", _handler)   # a function as a class attribute: a method


_default = Facade()


def handle(request_json: str) -> str:
    """Module-level session used by the page's worker."""
    return _default.handle(request_json)
