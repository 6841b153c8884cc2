"""Classification metrics on plain lists (standard library only).

Labels are class indices: ints ``0, 1, ..., classes - 1``.

A confusion matrix ``cm`` is a list of ``classes`` rows of ``classes`` ints;
``cm[a][p]`` counts samples whose **actual** class is ``a`` and whose
**predicted** class is ``p`` (rows = actual, columns = predicted, as in
scikit-learn).  Hence, for a class ``k``:

* precision = ``cm[k][k]`` / (sum of column ``k``) -- of the samples
  predicted ``k``, the fraction that really are ``k``;
* recall    = ``cm[k][k]`` / (sum of row ``k``) -- of the samples that are
  ``k``, the fraction predicted ``k``.

When the denominator is 0 (nothing predicted ``k`` / no sample of class
``k``) both return 0.0, which is scikit-learn's ``zero_division=0``.
"""

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

__all__ = ["accuracy", "argmax", "confusion_matrix", "precision", "recall"]


def _labels(y_true: Sequence[Any], y_pred: Sequence[Any]) -> tuple[list[int], list[int]]:
    """Check a pair of label sequences; return them as lists of ints."""
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true, y_pred: expected the same length, got "
                         f"len(y_true)={len(y_true)} and len(y_pred)={len(y_pred)}")
    if len(y_true) == 0:
        raise ValueError("y_true, y_pred: expected at least one label, got none")
    out: list[list[int]] = []
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        ints = []
        for i, label in enumerate(labels):
            if isinstance(label, bool) or not isinstance(label, Integral):
                raise TypeError(f"{name}[{i}]: expected an int class index, got "
                                f"{type(label).__name__} {label!r}")
            if label < 0:
                raise ValueError(f"{name}[{i}]: expected a class index >= 0, got {label}")
            ints.append(int(label))
        out.append(ints)
    return out[0], out[1]


def accuracy(y_true: Sequence[int], y_pred: Sequence[int]) -> float:
    """Fraction of positions where ``y_pred[i] == y_true[i]``, in [0, 1].

    ``y_true`` and ``y_pred`` are equally long, non-empty sequences of int
    class indices.
    """
    y_true, y_pred = _labels(y_true, y_pred)
    return sum(1 for t, p in zip(y_true, y_pred) if t == p) / len(y_true)


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int],
                     classes: int | None = None) -> list[list[int]]:
    """Counts ``cm[actual][predicted]`` as a ``classes`` x ``classes`` list.

    ``y_true``/``y_pred``: equally long, non-empty sequences of int class
    indices.  ``classes``: number of classes (int >= 1); by default one more
    than the largest label seen in either sequence.
    """
    y_true, y_pred = _labels(y_true, y_pred)
    largest = max(max(y_true), max(y_pred))
    if classes is None:
        classes = largest + 1
    elif isinstance(classes, bool) or not isinstance(classes, Integral):
        raise TypeError(f"classes: expected None or an int, got "
                        f"{type(classes).__name__} {classes!r}")
    elif classes < largest + 1:
        raise ValueError(f"classes: expected at least {largest + 1} (largest label + 1), "
                         f"got {classes}")
    cm = [[0] * classes for _ in range(classes)]
    for t, p in zip(y_true, y_pred):
        cm[t][p] += 1
    return cm


def _check_cm(label: Any, cm: Sequence[Sequence[int]]) -> int:
    """Check ``cm`` is a square matrix of counts and ``label`` a row of it."""
    if isinstance(cm, (str, bytes)) or not hasattr(cm, "__len__") or len(cm) == 0:
        raise ValueError(f"cm: expected a non-empty square list of lists of counts, "
                         f"got {cm!r}")
    size = len(cm)
    for r, row in enumerate(cm):
        if len(row) != size:
            raise ValueError(f"cm: expected a square {size} x {size} matrix, got "
                             f"row {r} of length {len(row)}")
        for c, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, Integral) or int(value) < 0:
                raise ValueError(f"cm[{r}][{c}]: expected a count (int >= 0), got {value!r}")
    if isinstance(label, bool) or not isinstance(label, Integral):
        raise TypeError(f"label: expected an int class index, got "
                        f"{type(label).__name__} {label!r}")
    label = int(label)
    if not 0 <= label < size:
        raise ValueError(f"label: expected a class index in 0..{size - 1} for a "
                         f"{size} x {size} cm, got {label}")
    return int(label)


def precision(label: int, cm: Sequence[Sequence[int]]) -> float:
    """Precision of class ``label``: ``cm[label][label]`` / column sum.

    ``cm`` is a confusion matrix from :func:`confusion_matrix` (rows =
    actual, columns = predicted).  Returns 0.0 if nothing was predicted as
    ``label`` (0/0).
    """
    k = _check_cm(label, cm)
    predicted = sum(row[k] for row in cm)
    return cm[k][k] / predicted if predicted else 0.0


def recall(label: int, cm: Sequence[Sequence[int]]) -> float:
    """Recall of class ``label``: ``cm[label][label]`` / row sum.

    ``cm`` is a confusion matrix from :func:`confusion_matrix` (rows =
    actual, columns = predicted).  Returns 0.0 if no sample is actually of
    class ``label`` (0/0).
    """
    k = _check_cm(label, cm)
    actual = sum(cm[k])
    return cm[k][k] / actual if actual else 0.0


def argmax(v: Sequence[float]) -> int:
    """Index of the largest value in ``v``; the first one on ties.

    ``v`` is a non-empty sequence of real numbers (e.g. a network's output
    activations); a NaN raises ``ValueError`` rather than giving an
    arbitrary index.
    """
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__") or len(v) == 0:
        raise ValueError(f"v: expected a non-empty sequence of numbers, got {v!r}")
    best, top = 0, -math.inf
    for i, value in enumerate(v):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"v[{i}]: expected a real number, got "
                            f"{type(value).__name__} {value!r}")
        if math.isnan(value):
            raise ValueError(f"v[{i}]: expected a number, got NaN")
        if i == 0 or value > top:
            best, top = i, value
    return best
