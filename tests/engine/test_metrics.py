"""Tests for pynet.metrics (no numpy, so they also run inside Pyodide)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pynet.metrics import accuracy, argmax, confusion_matrix, precision, recall

# A hand-worked 3-class example (rows = actual, columns = predicted):
#   actual 0: predicted 0, 0, 1, 2        -> row [2, 1, 1]
#   actual 1: predicted 1, 1, 1           -> row [0, 3, 0]
#   actual 2: predicted 0, 2              -> row [1, 0, 1]
Y_TRUE = [0, 0, 0, 0, 1, 1, 1, 2, 2]
Y_PRED = [0, 0, 1, 2, 1, 1, 1, 0, 2]
CM = [[2, 1, 1],
      [0, 3, 0],
      [1, 0, 1]]

def test_accuracy():
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(6 / 9)
    assert accuracy([1, 1], [1, 1]) == 1.0
    assert accuracy([0, 1], [1, 0]) == 0.0
    assert accuracy((0, 1, 2, 3), (0, 1, 0, 0)) == 0.5
    assert isinstance(accuracy([0], [0]), float)


def test_accuracy_bad_input():
    with pytest.raises(ValueError, match=r"y_true, y_pred: expected the same length, "
                                         r"got len\(y_true\)=2 and len\(y_pred\)=1"):
        accuracy([0, 1], [0])
    with pytest.raises(ValueError, match=r"y_true, y_pred: expected at least one label"):
        accuracy([], [])
    with pytest.raises(TypeError, match=r"y_pred\[1\]: expected an int class index, "
                                        r"got float 0.7"):
        accuracy([0, 1], [0, 0.7])

def test_confusion_matrix_rows_actual_columns_predicted():
    assert confusion_matrix(Y_TRUE, Y_PRED) == CM
    # one sample, actual 0 predicted 1: lands in row 0, column 1
    assert confusion_matrix([0, 1], [1, 1]) == [[0, 1], [0, 1]]


def test_confusion_matrix_classes():
    assert confusion_matrix([0, 1], [1, 1], classes=4) == [
        [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    # default size comes from the larger of both label sets
    assert confusion_matrix([0, 0], [0, 2]) == [[1, 0, 1], [0, 0, 0], [0, 0, 0]]


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match=r"classes: expected at least 3 \(largest label \+ 1\), "
                                         r"got 2"):
        confusion_matrix(Y_TRUE, Y_PRED, classes=2)
    with pytest.raises(TypeError, match=r"classes: expected None or an int, got float 3.0"):
        confusion_matrix(Y_TRUE, Y_PRED, classes=3.0)
    with pytest.raises(ValueError, match=r"y_true\[1\]: expected a class index >= 0, got -1"):
        confusion_matrix([0, -1], [0, 0])
    with pytest.raises(TypeError, match=r"y_true\[0\]: expected an int class index, got bool"):
        confusion_matrix([True], [1])
    with pytest.raises(ValueError, match=r"same length"):
        confusion_matrix([0, 1, 2], [0, 1])

def test_precision_and_recall_hand_computed():
    # class 0: TP 2, column sum 2+0+1 = 3, row sum 2+1+1 = 4
    assert precision(0, CM) == pytest.approx(2 / 3)
    assert recall(0, CM) == pytest.approx(2 / 4)
    # class 1: TP 3, column 1+3+0 = 4, row 0+3+0 = 3
    assert precision(1, CM) == pytest.approx(3 / 4)
    assert recall(1, CM) == pytest.approx(1.0)
    # class 2: TP 1, column 1+0+1 = 2, row 1+0+1 = 2
    assert precision(2, CM) == pytest.approx(0.5)
    assert recall(2, CM) == pytest.approx(0.5)


def test_precision_recall_not_transposed():
    # Two-class case: 3 actual positives of which 1 found, no false alarms.
    cm = confusion_matrix([1, 1, 1, 0, 0], [1, 0, 0, 0, 0])
    assert cm == [[2, 0], [2, 1]]
    assert precision(1, cm) == 1.0        # everything predicted 1 is 1
    assert recall(1, cm) == pytest.approx(1 / 3)  # found 1 of 3
    assert precision(0, cm) == pytest.approx(0.5)
    assert recall(0, cm) == 1.0


def test_zero_over_zero_is_zero():
    cm = [[3, 0, 0], [1, 0, 0], [0, 0, 0]]
    assert precision(1, cm) == 0.0   # nothing predicted 1
    assert recall(2, cm) == 0.0      # no actual 2
    assert precision(2, cm) == 0.0
    assert recall(1, cm) == 0.0      # actual 1 exists, never found: 0/1


def test_precision_recall_bad_input():
    with pytest.raises(ValueError, match=r"label: expected a class index in 0..2 for a "
                                         r"3 x 3 cm, got 3"):
        precision(3, CM)
    with pytest.raises(TypeError, match=r"label: expected an int class index, got float"):
        recall(1.0, CM)
    with pytest.raises(ValueError, match=r"cm: expected a square 2 x 2 matrix, got row 1 "
                                         r"of length 3"):
        recall(0, [[1, 0], [0, 1, 0]])
    with pytest.raises(ValueError, match=r"cm\[0\]\[1\]: expected a count \(int >= 0\), "
                                         r"got -1"):
        precision(0, [[1, -1], [0, 1]])
    with pytest.raises(ValueError, match=r"cm: expected a non-empty square"):
        precision(0, [])

def test_argmax():
    assert argmax([0.1, 0.7, 0.2]) == 1
    assert argmax([3, 1, 3]) == 0          # first maximum
    assert argmax([-5.0, -2.0, -2.0]) == 1
    assert argmax([-math.inf, -math.inf]) == 0
    assert argmax([1.0, math.inf]) == 1
    assert argmax((7,)) == 0


def test_argmax_bad_input():
    with pytest.raises(ValueError, match=r"v: expected a non-empty sequence of numbers"):
        argmax([])
    with pytest.raises(ValueError, match=r"v\[1\]: expected a number, got NaN"):
        argmax([0.0, math.nan])
    with pytest.raises(TypeError, match=r"v\[0\]: expected a real number, got str"):
        argmax(["a", "b"])
    with pytest.raises(TypeError, match=r"v\[1\]: expected a real number, got bool"):
        argmax([0.0, True])

def check_confusion_matrix(pairs: list[tuple[int, int]]) -> None:
    y_true = [t for t, _ in pairs]
    y_pred = [p for _, p in pairs]
    cm = confusion_matrix(y_true, y_pred, classes=5)
    assert sum(map(sum, cm)) == len(pairs)
    assert sum(cm[k][k] for k in range(5)) / len(pairs) == pytest.approx(
        accuracy(y_true, y_pred))
    for k in range(5):
        assert sum(cm[k]) == y_true.count(k)
        assert sum(row[k] for row in cm) == y_pred.count(k)
        assert 0.0 <= precision(k, cm) <= 1.0 and 0.0 <= recall(k, cm) <= 1.0


def check_argmax(v: list[float]) -> None:
    assert argmax(v) == v.index(max(v))


@settings(max_examples=80, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)),
                      min_size=1, max_size=60))
def test_confusion_matrix_properties(pairs):
    check_confusion_matrix(pairs)


@settings(max_examples=80, deadline=None)
@given(v=st.lists(st.floats(allow_nan=False), min_size=1, max_size=30))
def test_argmax_matches_index_of_max(v):
    check_argmax(v)
