"""Small checks on request values that several handlers share: finite numbers,
and how deep JSON text nests, measured without parsing it."""

from __future__ import annotations

import math
import re

from ..validate import _show as show  # a value quoted in a message: at most 60 characters

__all__ = ["finite_or_none", "finite_real", "show", "too_deep"]

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


def too_deep(text: str, limit: int) -> bool:
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


def finite_real(v: float) -> bool:
    """Finite and representable as a float (an int past 1.8e308 is not)."""
    try:
        return math.isfinite(v)
    except OverflowError:
        return False
