"""The playground's data: tables of points, CSV in and out, and the data sets
prepared as a user expects (standard library only).

A :class:`Table` is every point of one data set, in a fixed order, *unscaled*
(as a user wrote them), with what the network needs to read them:

* ``x`` -- rows of ``len(features)`` floats; ``y`` -- per row a class index
  (``kind == "classes"``, names in ``classes``) or a float target
  (``kind == "regression"``, ``classes`` is ``None``).
* ``shift``/``scale`` -- the network sees ``(v - shift[j]) / scale[j]`` for
  feature j (:meth:`Table.scaled`); ``scaling`` says so in words for the page.

:func:`generated` builds the named data sets (TF Playground's 2-D ones, iris
standardised with the *training* rows' mean and standard deviation, digits
divided by 16); :func:`parse_csv` reads a user's CSV, refusing with the line
and column of the first problem (:class:`CSVError`); :func:`to_csv` writes a
table that :func:`parse_csv` reads back exactly (same values, labels, names).
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from .. import datasets

__all__ = [
    "MAX_CHARS",
    "MAX_CLASSES",
    "MAX_FEATURES",
    "MAX_ROWS",
    "CSVError",
    "Table",
    "generated",
    "parse_csv",
    "split_indices",
    "to_csv",
]

MAX_CHARS = 2_000_000     # CSV text: about 2 MB (digits as CSV is ~0.3 MB)
MAX_ROWS = 5000           # data rows (digits has 1797)
MAX_FEATURES = 64         # feature columns (digits has 64), plus the label column
MAX_CLASSES = 20          # distinct labels of a classification column
MAX_LABEL = 40            # characters of one label or column name

IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                 "petal width (cm)"]
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CSVError(ValueError):
    """CSV text refused: the message names the line and column (from 1, the
    header line included) of the first problem, or the limit hit."""


@dataclass
class Table:
    """Every point of a data set, unscaled, in a fixed order (see module doc)."""
    kind: str                                  # "classes" or "regression"
    features: list[str]
    target: str                                # name of the label/target column
    classes: list[str] | None
    x: list[list[float]] = field(default_factory=list)
    y: list[Any] = field(default_factory=list)
    shift: list[float] | None = None           # None: the network sees x as is
    scale: list[float] | None = None
    scaling: str = "none (the network sees the values as given)"

    def scaled(self, row: list[float]) -> list[float]:
        """What the network sees for one row: (v - shift) / scale per feature."""
        if self.shift is None or self.scale is None:
            return list(row)
        return [(v - s) / d for v, s, d in zip(row, self.shift, self.scale)]

    def label_name(self, y: Any) -> str:
        """The label column's text for a row's ``y``."""
        return self.classes[y] if self.classes is not None else repr(float(y))


# ------------------------------------------------------------------ named sets

def split_indices(n: int, train_ratio: float, seed: int) -> tuple[list[int], list[int]]:
    """Row indices of the training and test parts: the very permutation and cut
    of ``datasets.split(X, y, train_ratio, seed)`` for any n rows."""
    if n == 0:
        return [], []
    tr, _, te, _ = datasets.split([[float(i)] for i in range(n)], [0] * n, train_ratio, seed)
    return [int(r[0]) for r in tr], [int(r[0]) for r in te]


def generated(name: str, samples: int, noise: float, seed: int,
              train_ratio: float) -> Table:
    """The named data set as a table (iris and digits ignore samples and noise).
    Iris is standardised with the statistics of the training rows that
    ``split_indices(150, train_ratio, seed)`` picks, so the test rows stay unseen."""
    if name == "iris":
        X, y = datasets.iris()
        t = Table("classes", list(IRIS_FEATURES), "species", list(IRIS_CLASSES), X, y)
        train, _ = split_indices(len(X), train_ratio, seed)
        cols = list(zip(*(X[i] for i in train)))
        t.shift = [statistics.fmean(c) for c in cols]
        t.scale = [statistics.pstdev(c) or 1.0 for c in cols]
        t.scaling = ("standardised: (value - mean) / standard deviation per feature, "
                     "with the training set's mean and standard deviation")
        return t
    if name == "digits":
        X, y = datasets.digits()
        t = Table("classes", [f"pixel {r},{c}" for r in range(8) for c in range(8)], "digit",
                  [str(d) for d in range(10)], X, y)
        t.shift, t.scale = [0.0] * 64, [16.0] * 64
        t.scaling = "divided by 16: pixel counts 0-16 become 0-1"
        return t
    make = datasets.GENERATORS[name]
    X, y = make(n=samples, noise=noise, seed=seed)
    if name in ("plane", "multigauss"):
        return Table("regression", ["x1", "x2"], "y", None, X, [float(v) for v in y])
    return Table("classes", ["x1", "x2"], "label", ["0", "1"], X, list(y))


# ------------------------------------------------------------------------ CSV

def _show(cell: str) -> str:
    return repr(cell if len(cell) <= 30 else cell[:27] + "...")


def _number(cell: str) -> float | None:
    """A finite float for a plain decimal number, else None."""
    text = cell.strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def _delimiter(first: str) -> str:
    if "," in first:
        return ","
    for d in ("\t", ";"):
        if d in first:
            return d
    return ","


def parse_csv(text: Any, header: bool | None = None, kind: str = "auto", *,
              max_chars: int | None = MAX_CHARS, classes: list[str] | None = None,
              allow_empty: bool = False) -> Table:
    """Read CSV text into a :class:`Table` or raise :class:`CSVError`.

    * ``text``: at most ``MAX_CHARS`` characters; blank lines are skipped (but
      counted); cells are separated by commas (or tabs or semicolons when the
      first line has no comma); quotes as in Excel's CSV.
    * ``header``: ``None`` = the first non-blank line is a header when none
      of its cells is a number; ``True``/``False`` to say so.
    * every column but the last is a feature (a plain decimal number, finite);
      the last is the label or target.
    * ``kind``: ``"classes"``, ``"regression"`` or ``"auto"``: classes when
      some label is not a number, or when every label is written as an
      integer (``2``, not ``2.0``) and there are at most ``MAX_CLASSES`` of
      them; otherwise regression (every label a finite number).
    * class names are sorted (numbers by value, then text), so a table's
      class order does not depend on its row order.

    The page's own copy of its data (a restore after a crash) is read with
    ``max_chars=None`` (its length is bounded by the request's: what was
    accepted once may be written longer, 1e5 as 100000), ``classes`` (the
    table's classes, some perhaps without a row any more) and
    ``allow_empty`` (own data whose every point was removed).
    """
    if not isinstance(text, str):
        raise CSVError(f"text: expected CSV text (a string), got {type(text).__name__}")
    if max_chars is not None and len(text) > max_chars:
        raise CSVError(f"text: {len(text)} characters, more than the limit of {MAX_CHARS} "
                       f"(about {MAX_CHARS // 1_000_000} MB)")
    if header not in (None, True, False):
        raise CSVError(f"header: expected true, false or null (detect), got {header!r}")
    if kind not in ("auto", "classes", "regression"):
        raise CSVError(f"kind: expected auto, classes or regression, got {kind!r}")
    lines = _lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise CSVError("text: no data (the text is empty)")
    delim = _delimiter(lines[first])
    width = 0
    names: list[str] | None = None
    X: list[list[float]] = []
    labels: list[tuple[str, int, int]] = []  # (cell, line, column)
    for i in range(first, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        ln = i + 1
        bad = _CONTROL.search(line)
        if bad:
            col = line[:bad.start()].count(delim) + 1
            raise CSVError(f"line {ln}, column {col}: unexpected control character "
                           f"U+{ord(bad.group()):04X} (is this a text file?)")
        try:
            cells = next(csv.reader([line], delimiter=delim, strict=True))
        except csv.Error as exc:
            raise CSVError(f"line {ln}, column {_quoted_column(line, delim)}: bad quoting "
                           f"({exc})") from None
        if i == first:
            width = len(cells)
            if width < 2:
                raise CSVError(f"line {ln}, column 2: expected at least 2 columns "
                               f"(features, then the label), got 1")
            if width > MAX_FEATURES + 1:
                raise CSVError(f"line {ln}, column {MAX_FEATURES + 2}: more than "
                               f"{MAX_FEATURES + 1} columns ({MAX_FEATURES} features and a "
                               f"label), got {width}")
            is_header = header if header is not None else \
                all(_number(c) is None for c in cells)
            if is_header:
                names = [c.strip()[:MAX_LABEL] for c in cells]
                continue
        if len(cells) != width:
            raise CSVError(f"line {ln}, column {min(len(cells), width) + 1}: expected "
                           f"{width} columns (as on line {first + 1}), got {len(cells)}")
        if len(X) >= MAX_ROWS:
            raise CSVError(f"line {ln}: more than {MAX_ROWS} data rows")
        row = []
        for j, cell in enumerate(cells[:-1]):
            v = _number(cell)
            if v is None or not math.isfinite(v):
                what = "a finite number" if v is not None or _NON_FINITE.fullmatch(
                    cell.strip()) else "a number"
                raise CSVError(f"line {ln}, column {j + 1}: expected {what}, got {_show(cell)}")
            row.append(v)
        X.append(row)
        labels.append((cells[-1].strip(), ln, width))
    if not X and not allow_empty:
        raise CSVError(f"text: no data rows (only the header on line {first + 1})")
    features = names[:-1] if names else [f"x{j + 1}" for j in range(width - 1)]
    target = names[-1] if names else "label"
    if classes is not None:
        return _with_classes(X, labels, features, target, classes)
    if not X:
        return Table("regression" if kind == "regression" else "classes", features, target,
                     None if kind == "regression" else [], X, [])
    return _labelled(X, labels, features, target, kind)


def _with_classes(X: list[list[float]], labels: list[tuple[str, int, int]], features: list[str],
                  target: str, classes: list[str]) -> Table:
    """A table of the given classes (in their order), every label one of them."""
    index = {n: k for k, n in enumerate(classes)}
    y = []
    for cell, ln, col in labels:
        name = _class_name(cell)
        if name not in index:
            raise CSVError(f"line {ln}, column {col}: expected one of the classes "
                           f"{', '.join(classes)[:80]}, got {_show(cell)}")
        y.append(index[name])
    return Table("classes", features, target, list(classes), X, y)


def _quoted_column(line: str, delim: str) -> int:
    """The column (from 1) of the last field that opens with a quote: where a
    line's quoting goes wrong."""
    col, last, quoted, start = 1, 1, False, True
    for ch in line:
        if start and ch == '"':
            last = col
        if ch == '"':
            quoted = not quoted
        start = False
        if ch == delim and not quoted:
            col, start = col + 1, True
    return last


def _labelled(X: list[list[float]], labels: list[tuple[str, int, int]], features: list[str],
              target: str, kind: str) -> Table:
    for cell, ln, col in labels:
        if not cell:
            raise CSVError(f"line {ln}, column {col}: the label is empty")
        if len(cell) > MAX_LABEL:
            raise CSVError(f"line {ln}, column {col}: a label of {len(cell)} characters, "
                           f"more than {MAX_LABEL}")
        if _NON_FINITE.fullmatch(cell):
            raise CSVError(f"line {ln}, column {col}: expected a finite number or a class "
                           f"name, got {_show(cell)}")
    numeric = all(_number(c) is not None for c, _, _ in labels)
    if kind == "auto":
        integers = numeric and all(_INTEGER.fullmatch(c) for c, _, _ in labels)
        few = len({int(c) for c, _, _ in labels}) <= MAX_CLASSES if integers else False
        kind = "classes" if not numeric or (integers and few) else "regression"
    if kind == "regression":
        y: list[Any] = []
        for cell, ln, col in labels:
            v = _number(cell)
            if v is None or not math.isfinite(v):
                raise CSVError(f"line {ln}, column {col}: expected a number (the target), "
                               f"got {_show(cell)}")
            y.append(v)
        return Table("regression", features, target, None, X, y)
    seen: dict[str, Any] = {}
    for cell, ln, col in labels:
        name = _class_name(cell)
        if name not in seen:
            if len(seen) == MAX_CLASSES:
                raise CSVError(f"line {ln}, column {col}: label {_show(cell)} would be class "
                               f"{MAX_CLASSES + 1}; at most {MAX_CLASSES} distinct labels "
                               f"(is the last column really a label?)")
            seen[name] = _class_key(name)
    if len(seen) < 2:
        raise CSVError(f"column {labels[0][2]}: every row has the label "
                       f"{_show(labels[0][0])}; classification needs at least 2 classes")
    classes = sorted(seen, key=lambda n: seen[n])
    index = {n: k for k, n in enumerate(classes)}
    return Table("classes", features, target, classes, X,
                 [index[_class_name(c)] for c, _, _ in labels])


def _class_name(cell: str) -> str:
    """Integer labels by value ("+1" and "01" are class "1"); others as written."""
    return str(int(cell)) if _INTEGER.fullmatch(cell) else cell


def _class_key(name: str) -> tuple:
    v = _number(name)
    return (0, v, "") if v is not None else (1, 0.0, name)


def class_name(label: Any) -> str:
    """A label given through the API (number or text) as a class name."""
    if isinstance(label, bool):
        raise TypeError(f"label: expected a class name or number, got {label!r}")
    if isinstance(label, float) and label.is_integer() and abs(label) < 2 ** 53:
        label = int(label)
    if isinstance(label, int):
        return str(label)
    if isinstance(label, str) and label.strip():
        return _class_name(label.strip())
    raise TypeError(f"label: expected a class name or number, got {label!r}")


def to_csv(table: Table) -> str:
    """The table as CSV text (a header, then every row; floats in their
    shortest exact form) that :func:`parse_csv` reads back exactly."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([*table.features, table.target])
    for x, y in zip(table.x, table.y):
        w.writerow([*(_cell(v) for v in x), table.label_name(y)])
    return out.getvalue()


def _cell(v: float) -> str:
    """A feature as short as it reads back exactly: 12345, not 12345.0 (-0.0 keeps its sign)."""
    f = float(v)
    if f.is_integer() and abs(f) < 1e15 and not (f == 0.0 and math.copysign(1.0, f) < 0):
        return str(int(f))
    return repr(f)
