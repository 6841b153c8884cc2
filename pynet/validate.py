"""Input checking shared by the whole package.

Every check raises ``TypeError`` (wrong kind of thing) or ``ValueError``
(right kind, wrong value) with a message that names the argument, says
what was expected and shows what came. Checks run *before* anything is
changed, so a rejected call leaves the network as it was.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from numbers import Integral, Real
from typing import Any

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 3, 8, 8, 4
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlong = 40


def _show(value: Any) -> str:
    """A short repr for error messages: at most 60 characters, never the
    whole of a huge or deeply nested value (reprlib stops early, so a
    million-element list costs no more than a short one)."""
    try:
        text = _REPR.repr(value)
    except ValueError:   # an int beyond sys.get_int_max_str_digits()
        text = f"<{type(value).__name__} of about {int(value.bit_length() * 0.30103)} digits>" \
            if isinstance(value, int) else f"<{type(value).__name__}>"
    except RecursionError:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def number(value: Any, name: str) -> float:
    """A finite real number (bool is refused: True is not a measurement)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {_show(value)}")
    try:
        f = float(value)
    except OverflowError:  # an int beyond ±1.8e308: float() names nothing
        raise ValueError(f"{name}: expected a finite number, got {_show(value)} "
                         "(too large for a float)") from None
    if not math.isfinite(f):
        raise ValueError(f"{name}: expected a finite number, got {f}")
    return f


def vector(value: Any, length: int | None, name: str) -> list[float]:
    """A sequence of finite numbers (list, tuple, numpy array …) as a list of floats."""
    if isinstance(value, (str, bytes, Mapping, AbstractSet)) or not hasattr(value, "__len__") \
            or not hasattr(value, "__iter__"):
        raise TypeError(f"{name}: expected a sequence of numbers, got "
                        f"{type(value).__name__} {_show(value)}")
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape) != 1:
        raise ValueError(f"{name}: expected a 1-D sequence of numbers, got an array of shape "
                         f"{tuple(shape)}")
    if length is not None and len(value) != length:
        raise ValueError(f"{name}: expected {length} numbers, got {len(value)}")
    out = []
    for i, v in enumerate(value):
        out.append(number(v, f"{name}[{i}]"))
    return out


def matrix(value: Any, width: int, name: str) -> list[list[float]]:
    """A non-empty sequence of rows, each ``width`` finite numbers."""
    if isinstance(value, (str, bytes, Mapping, AbstractSet)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name}: expected a sequence of samples, got "
                        f"{type(value).__name__} {_show(value)}")
    if len(value) == 0:
        raise ValueError(f"{name}: expected at least one sample, got none")
    return [vector(row, width, f"{name}[{i}]") for i, row in enumerate(value)]


def positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name}: expected a positive integer, got "
                        f"{type(value).__name__} {_show(value)}")
    if value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {_show(value)}")
    return int(value)


def non_negative(value: Any, name: str) -> float:
    f = number(value, name)
    if f < 0.0:
        raise ValueError(f"{name}: expected a number ≥ 0, got {f}")
    return f


def choice(value: Any, options: Sequence[str], name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected one of {', '.join(options)}; got "
                        f"{type(value).__name__} {_show(value)}")
    if value not in options:
        raise ValueError(f"{name}: expected one of {', '.join(options)}; got {_show(value)}")
    return value
