"""Toy and classic data sets, built with the standard library only.

Two-dimensional generators (after TensorFlow Playground's ``src/dataset.ts``)::

    circle, xor, gauss, spiral     classification, y in {0, 1}
    plane, multigauss              regression, y a float in about [-1, 1]

Each is ``f(n=500, noise=0.0, seed=None) -> (X, y)`` where

* ``n`` -- number of samples, a positive ``int``; exactly ``n`` are returned.
* ``noise`` -- a fraction in ``[0, 0.5]``.  TensorFlow Playground's slider
  shows 0..50 %; ``noise=0.25`` here is the slider at 25 %, and it is the very
  number TF passes to its generators, so the effect on each data set is the
  same as there.
* ``seed`` -- ``None`` (fresh randomness) or an ``int``.  All randomness comes
  from a private ``random.Random(seed)``; the global RNG is never touched.
  The same seed gives identical data on a given runtime, and the same random
  draws everywhere; only coordinates computed with sin/cos/log (circle,
  gauss, spiral) may differ in the last bit between CPython and Pyodide,
  whose C maths library differs.
* ``X`` -- a list of ``n`` points ``[x1, x2]`` (floats, coordinates in about
  ``[-6, 6]``); ``y`` -- a list of ``n`` labels.

Labels are class indices: TF's label -1 becomes class 0 and +1 becomes class 1.
Samples are returned shuffled (TF shuffles after generating, before it splits).

Also: :func:`split`, :func:`one_hot`, and two real data sets shipped in
``pynet/data`` -- :func:`iris` and :func:`digits` (see :data:`ATTRIBUTION`).
"""

import csv
import gzip
import io
import math
import random
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from numbers import Integral
from typing import Any

from pynet.validate import number, positive_int

__all__ = [
    "ATTRIBUTION",
    "GENERATORS",
    "circle",
    "digits",
    "gauss",
    "iris",
    "multigauss",
    "one_hot",
    "plane",
    "spiral",
    "split",
    "xor",
]

Points = list[list[float]]

ATTRIBUTION = """\
iris() and digits() read files taken from scikit-learn's distribution
(sklearn/datasets/data), which come from the UCI Machine Learning Repository,
licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).

Iris: Fisher, R. A. (1936). Iris [Dataset]. UCI Machine Learning Repository.
https://doi.org/10.24432/C56C76  (values as in Fisher's paper, like R and
scikit-learn; the UCI copy differs in two points).

Digits: Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten
Digits [Dataset]. UCI Machine Learning Repository.
https://doi.org/10.24432/C50P49  (the 1797-sample test set).

Full notes: pynet/data/ATTRIBUTION.md
"""

MAX_NOISE = 0.5


# --------------------------------------------------------------- validation

def _check_noise(noise: Any) -> float:
    f = number(noise, "noise")
    if not 0.0 <= f <= MAX_NOISE:
        raise ValueError(f"noise: expected a fraction in [0, {MAX_NOISE}] "
                         f"(0.25 means TF Playground's 25 %), got {noise!r}")
    return f


def _rng(seed: Any) -> random.Random:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
        raise TypeError(f"seed: expected None or an int, got {type(seed).__name__} {seed!r}")
    return random.Random(None if seed is None else int(seed))


def _label(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name}: expected an int class index, got "
                        f"{type(value).__name__} {value!r}")
    return int(value)


def _setup(n: Any, noise: Any, seed: Any) -> tuple[int, float, random.Random]:
    return positive_int(n, "n"), _check_noise(noise), _rng(seed)


def _shuffled(rng: random.Random, X: Points, y: list[Any]) -> tuple[Points, list[Any]]:
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


# ------------------------------------------------------ 2-D classification

def circle(n: int = 500, noise: float = 0.0,
           seed: int | None = None) -> tuple[Points, list[int]]:
    """Class 1 in a disc of radius 2.5, class 0 in a ring 3.5 <= r <= 5.

    Half the points (``n - n // 2``) are drawn in the disc, the rest in the
    ring, uniformly in radius and angle.  As in TF, each point's label is
    whether the point *plus a noise offset* (uniform in
    ``[-5, 5] * noise`` per coordinate) lies within radius 2.5, while the
    clean point is returned; so noise flips labels near the border and, with
    ``noise=0``, class 1 is exactly the points with r < 2.5.
    """
    n, noise, rng = _setup(n, noise, seed)
    radius = 5.0
    X: Points = []
    y: list[int] = []
    for count, r_lo, r_hi in ((n - n // 2, 0.0, radius * 0.5),
                              (n // 2, radius * 0.7, radius)):
        for _ in range(count):
            r = rng.uniform(r_lo, r_hi)
            angle = rng.uniform(0.0, 2 * math.pi)
            x1, x2 = r * math.sin(angle), r * math.cos(angle)
            nx1 = rng.uniform(-radius, radius) * noise
            nx2 = rng.uniform(-radius, radius) * noise
            X.append([x1, x2])
            y.append(1 if math.hypot(x1 + nx1, x2 + nx2) < radius * 0.5 else 0)
    return _shuffled(rng, X, y)


def xor(n: int = 500, noise: float = 0.0,
        seed: int | None = None) -> tuple[Points, list[int]]:
    """Quadrants: class 1 where x1 * x2 >= 0 (1st and 3rd), else class 0.

    Each coordinate is uniform in [-5, 5] pushed 0.3 away from zero, so
    points lie in [-5.3, -0.3] or (0.3, 5.3].  The label uses the point plus
    a noise offset uniform in ``[-5, 5] * noise`` per coordinate (TF).
    Classes are balanced only on average (each quadrant has probability 1/4).
    """
    n, noise, rng = _setup(n, noise, seed)
    padding = 0.3
    X: Points = []
    y: list[int] = []
    for _ in range(n):
        x1 = rng.uniform(-5.0, 5.0)
        x1 += padding if x1 > 0 else -padding
        x2 = rng.uniform(-5.0, 5.0)
        x2 += padding if x2 > 0 else -padding
        nx1 = rng.uniform(-5.0, 5.0) * noise
        nx2 = rng.uniform(-5.0, 5.0) * noise
        X.append([x1, x2])
        y.append(1 if (x1 + nx1) * (x2 + nx2) >= 0 else 0)
    return _shuffled(rng, X, y)


def gauss(n: int = 500, noise: float = 0.0,
          seed: int | None = None) -> tuple[Points, list[int]]:
    """Two Gaussian blobs: class 1 around (2, 2), class 0 around (-2, -2).

    ``n - n // 2`` points in class 1 and ``n // 2`` in class 0.  Labels are
    never flipped; noise widens the blobs: the variance of each coordinate
    grows linearly from 0.5 (noise 0) to 4 (noise 0.5), as in TF.
    """
    n, noise, rng = _setup(n, noise, seed)
    sigma = math.sqrt(0.5 + noise * (4.0 - 0.5) / MAX_NOISE)
    X: Points = []
    y: list[int] = []
    for count, centre, label in ((n - n // 2, 2.0, 1), (n // 2, -2.0, 0)):
        for _ in range(count):
            X.append([rng.gauss(centre, sigma), rng.gauss(centre, sigma)])
            y.append(label)
    return _shuffled(rng, X, y)


def spiral(n: int = 500, noise: float = 0.0,
           seed: int | None = None) -> tuple[Points, list[int]]:
    """Two interleaved spirals, 1.75 turns each, radius growing 0 -> 5.

    Point i of m on a spiral has r = 5 i / m and angle
    t = 1.75 * 2 pi * i / m (+ pi for class 0); it is placed at
    (r sin t, r cos t) plus uniform jitter in ``[-1, 1] * noise`` per
    coordinate.  Labels are never flipped.  ``n - n // 2`` points in class 1.
    """
    n, noise, rng = _setup(n, noise, seed)
    X: Points = []
    y: list[int] = []
    for count, delta, label in ((n - n // 2, 0.0, 1), (n // 2, math.pi, 0)):
        for i in range(count):
            r = i / count * 5.0
            t = 1.75 * i / count * 2 * math.pi + delta
            X.append([r * math.sin(t) + rng.uniform(-1.0, 1.0) * noise,
                      r * math.cos(t) + rng.uniform(-1.0, 1.0) * noise])
            y.append(label)
    return _shuffled(rng, X, y)


# ---------------------------------------------------------- 2-D regression


def _regression(n: int, noise: float, seed: int | None,
                label: Callable[[float, float], float]) -> tuple[Points, list[float]]:
    """Points uniform in [-6, 6]²; y = label at the point plus an offset
    uniform in ``[-6, 6] * noise`` per coordinate (TF's regression data)."""
    n, noise, rng = _setup(n, noise, seed)
    X: Points = []
    y: list[float] = []
    for _ in range(n):
        x1, x2 = rng.uniform(-6.0, 6.0), rng.uniform(-6.0, 6.0)
        nx1 = rng.uniform(-6.0, 6.0) * noise
        nx2 = rng.uniform(-6.0, 6.0) * noise
        X.append([x1, x2])
        y.append(label(x1 + nx1, x2 + nx2))
    return _shuffled(rng, X, y)

def plane(n: int = 500, noise: float = 0.0,
          seed: int | None = None) -> tuple[Points, list[float]]:
    """A tilted plane: y = (x1 + x2) / 10 for x1, x2 uniform in [-6, 6].

    With noise, y is computed at the point plus an offset uniform in
    ``[-6, 6] * noise`` per coordinate (TF), so y lies in [-1.2, 1.2]
    without noise and within [-1.8, 1.8] with noise 0.5 (not clamped).
    """
    return _regression(n, noise, seed, lambda x1, x2: (x1 + x2) / 10.0)


# (centre x1, centre x2, sign) of TF's six bumps.
_BUMPS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0),
          (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))


def _bump_value(x1: float, x2: float) -> float:
    """TF's regressGaussian label: the signed bump largest in absolute value.

    Each bump is ``sign * max(0, 1 - d / 2)`` with d the distance to its
    centre (a cone of radius 2, not a true Gaussian); 0.0 away from all.
    """
    best = 0.0
    for cx, cy, sign in _BUMPS:
        value = sign * max(0.0, 1.0 - math.hypot(x1 - cx, x2 - cy) / 2.0)
        if abs(value) > abs(best):
            best = value
    return best


def multigauss(n: int = 500, noise: float = 0.0,
               seed: int | None = None) -> tuple[Points, list[float]]:
    """Six bumps of alternating sign on a 3 x 2 grid; y in [-1, 1].

    Centres (-4, 2.5) +, (0, 2.5) -, (4, 2.5) +, (-4, -2.5) -, (0, -2.5) +,
    (4, -2.5) -.  Points are uniform in [-6, 6]^2; y is the bump value
    (see :func:`_bump_value`) at the point plus an offset uniform in
    ``[-6, 6] * noise`` per coordinate, as in TF's ``regressGaussian``.
    """
    return _regression(n, noise, seed, _bump_value)


GENERATORS: dict[str, Callable[..., tuple[Points, list[Any]]]] = {
    "circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral,
    "plane": plane, "multigauss": multigauss,
}
"""Generator functions by name (the first four classify, the last two regress)."""


# ----------------------------------------------------------------- helpers

def split(X: Sequence[Sequence[float]], y: Sequence[Any], train_ratio: float = 0.5,
          seed: int | None = None) -> tuple[Points, list[Any], Points, list[Any]]:
    """Shuffle, then cut into ``(X_train, y_train, X_test, y_test)``.

    ``X`` is a sequence of samples (each a sequence of floats) and ``y`` the
    same number of labels.  ``train_ratio`` is a number strictly between 0
    and 1; the training part gets ``floor(len(X) * train_ratio)`` samples
    (as TF), the test part the rest.  Every sample lands in exactly one
    part, still paired with its label; rows are copied into new lists.
    """
    ratio = number(train_ratio, "train_ratio")
    if not 0.0 < ratio < 1.0:
        raise ValueError(f"train_ratio: expected a number strictly between 0 and 1, "
                         f"got {train_ratio!r}")
    if len(X) != len(y):
        raise ValueError(f"X, y: expected the same length, got len(X)={len(X)} "
                         f"and len(y)={len(y)}")
    if len(X) == 0:
        raise ValueError("X, y: expected at least one sample, got none")
    rng = _rng(seed)
    order = list(range(len(X)))
    rng.shuffle(order)
    cut = math.floor(len(X) * ratio)
    X_all = [list(X[i]) for i in order]
    y_all = [y[i] for i in order]
    return X_all[:cut], y_all[:cut], X_all[cut:], y_all[cut:]


def one_hot(y: Sequence[int], classes: int) -> list[list[float]]:
    """One-hot rows: label k becomes ``classes`` floats, 1.0 at index k.

    ``y`` is a sequence of class indices (ints in ``0..classes-1``);
    ``classes`` is the number of classes, an int >= 1.
    """
    classes = positive_int(classes, "classes")
    rows: list[list[float]] = []
    for i, value in enumerate(y):
        label = _label(value, f"y[{i}]")
        if label < 0:
            raise ValueError(f"y[{i}]: expected a class index >= 0, got {label}")
        if label >= classes:
            raise ValueError(f"classes: expected more classes than the largest label "
                             f"(labels 0..{classes - 1} for classes={classes}), "
                             f"got label {label} at y[{i}]")
        row = [0.0] * classes
        row[label] = 1.0
        rows.append(row)
    return rows


# --------------------------------------------------------- real data sets

def _read_rows(name: str) -> list[list[str]]:
    data = resources.files("pynet.data").joinpath(name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return [row for row in csv.reader(io.StringIO(data.decode("utf-8"))) if row]


@cache
def _load(name: str, header: bool) -> tuple[tuple[tuple[float, ...], ...], tuple[int, ...]]:
    rows = _read_rows(name)
    if header:
        n_samples, n_features = int(rows[0][0]), int(rows[0][1])
        rows = rows[1:]
        if len(rows) != n_samples or any(len(r) != n_features + 1 for r in rows):
            raise ValueError(f"{name} is corrupt: header promises {n_samples} rows of "
                             f"{n_features} features and a label")
    return (tuple(tuple(float(v) for v in r[:-1]) for r in rows),
            tuple(int(r[-1]) for r in rows))


def iris() -> tuple[Points, list[int]]:
    """Fisher's Iris: ``X`` 150 rows of 4 floats (cm), ``y`` in 0..2.

    Features: sepal length, sepal width, petal length, petal width.
    Classes: 0 setosa, 1 versicolor, 2 virginica; 50 each, in file order.
    Returns fresh lists on every call.  Source and licence: :data:`ATTRIBUTION`.
    """
    X, y = _load("iris.csv", True)
    return [list(row) for row in X], list(y)


def digits() -> tuple[Points, list[int]]:
    """UCI handwritten digits: ``X`` 1797 rows of 64 floats, ``y`` in 0..9.

    Each row is an 8 x 8 image read row by row; a pixel is a count 0..16 of
    "on" pixels in a 4 x 4 block, given as a float (not scaled).  Returns
    fresh lists on every call.  Source and licence: :data:`ATTRIBUTION`.
    """
    X, y = _load("digits.csv.gz", False)
    return [list(row) for row in X], list(y)
