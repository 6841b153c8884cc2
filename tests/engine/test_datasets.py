"""Tests for pynet.datasets (standard library + pytest + hypothesis; no numpy,
so they also run inside Pyodide)."""

import math
import random
from collections import Counter
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pynet import datasets
from pynet.datasets import circle, digits, gauss, iris, multigauss, one_hot, plane, spiral, split, xor

CLASSIFIERS = [circle, xor, gauss, spiral]
REGRESSORS = [plane, multigauss]
ALL = CLASSIFIERS + REGRESSORS
ids = lambda f: f.__name__


def radius(p: list[float]) -> float:
    return math.hypot(p[0], p[1])

@pytest.mark.parametrize("gen", ALL, ids=ids)
@pytest.mark.parametrize("n", [1, 2, 7, 500])
def test_shape_and_types(gen, n):
    X, y = gen(n, 0.1, seed=3)
    assert len(X) == len(y) == n
    for p in X:
        assert isinstance(p, list) and len(p) == 2
        assert all(isinstance(v, float) and math.isfinite(v) for v in p)
        assert all(-6.5 <= v <= 6.5 for v in p)


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_defaults(gen):
    X, y = gen()
    assert len(X) == len(y) == 500


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_same_seed_same_data(gen):
    assert gen(200, 0.2, seed=42) == gen(200, 0.2, seed=42)
    assert gen(50, seed=0) == gen(50, seed=0)


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_different_seeds_differ(gen):
    assert gen(200, 0.2, seed=1) != gen(200, 0.2, seed=2)
    assert gen(200, 0.2) != gen(200, 0.2)  # seed=None: fresh randomness


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_global_rng_untouched(gen):
    random.seed(1234)
    state = random.getstate()
    gen(100, 0.3, seed=5)
    gen(100, 0.3)
    assert random.getstate() == state


@pytest.mark.parametrize("gen", CLASSIFIERS, ids=ids)
def test_labels_are_class_indices(gen):
    _X, y = gen(400, 0.3, seed=7)
    assert all(type(label) is int for label in y)
    assert set(y) == {0, 1}


@pytest.mark.parametrize("gen", REGRESSORS, ids=ids)
def test_regression_labels_are_floats(gen):
    _X, y = gen(400, 0.3, seed=7)
    assert all(isinstance(v, float) for v in y)
    assert len(set(y)) > 100  # multigauss is 0.0 between its bumps


@pytest.mark.parametrize("gen", [circle, gauss, spiral], ids=ids)
@pytest.mark.parametrize("n", [1, 2, 9, 500])
def test_half_of_each_class(gen, n):
    # TF draws numSamples / 2 of each; with noise 0 none is relabelled.
    y = gen(n, 0.0, seed=11)[1]
    assert y.count(1) == n - n // 2 and y.count(0) == n // 2


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_output_is_shuffled(gen):
    X, y = gen(400, 0.0, seed=8)
    if gen in CLASSIFIERS:
        first = y[:200]
        assert 50 < sum(first) < 150  # not all of one class first
    else:
        assert X[:200] != sorted(X[:200])


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_noise_changes_the_data(gen):
    assert gen(300, 0.0, seed=4) != gen(300, 0.4, seed=4)

def test_circle_geometry_without_noise():
    X, y = circle(1000, 0.0, seed=1)
    for p, label in zip(X, y):
        r = radius(p)
        if label == 1:
            assert r < 2.5
        else:
            assert 3.5 <= r <= 5.0


def test_circle_noise_flips_labels_not_points():
    X, y = circle(2000, 0.5, seed=1)
    assert all(radius(p) <= 5.0 for p in X)
    assert all(radius(p) < 2.5 or radius(p) >= 3.5 for p in X)
    inner = [label for p, label in zip(X, y) if radius(p) < 2.5]
    outer = [label for p, label in zip(X, y) if radius(p) >= 3.5]
    assert len(inner) == len(outer) == 1000
    assert 0 < inner.count(0) < 500   # some inner points relabelled, most not
    assert 0 < outer.count(1) < 500


def test_xor_geometry_without_noise():
    X, y = xor(2000, 0.0, seed=2)
    for (a, b), label in zip(X, y):
        assert 0.3 < abs(a) <= 5.3 and 0.3 < abs(b) <= 5.3
        assert label == (1 if a * b >= 0 else 0)
    assert 0.45 < sum(y) / len(y) < 0.55
    quadrants = Counter((a > 0, b > 0) for a, b in X)
    assert all(400 < c < 600 for c in quadrants.values())


def test_xor_noise_flips_some_labels():
    X, y = xor(2000, 0.5, seed=2)
    wrong = sum(1 for (a, b), label in zip(X, y) if label != (1 if a * b >= 0 else 0))
    assert 0 < wrong < 1000


def _mean(values):
    return sum(values) / len(values)


def _var(values):
    m = _mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


@pytest.mark.parametrize("noise, variance", [(0.0, 0.5), (0.25, 2.25), (0.5, 4.0)])
def test_gauss_centres_and_spread(noise, variance):
    X, y = gauss(4000, noise, seed=3)
    for label, centre in ((1, 2.0), (0, -2.0)):
        pts = [p for p, lab in zip(X, y) if lab == label]
        for axis in (0, 1):
            coords = [p[axis] for p in pts]
            assert abs(_mean(coords) - centre) < 0.15
            assert abs(_var(coords) - variance) < 0.15 * variance


def test_gauss_without_noise_is_mostly_separable():
    X, y = gauss(1000, 0.0, seed=3)
    right = sum(1 for (a, b), label in zip(X, y) if (a + b > 0) == (label == 1))
    assert right >= 995


def _spiral_points(m: int, delta: float) -> list[tuple[float, float]]:
    out = []
    for i in range(m):
        r = i / m * 5
        t = 1.75 * i / m * 2 * math.pi + delta
        out.append((r * math.sin(t), r * math.cos(t)))
    return out


def test_spiral_geometry_without_noise():
    X, y = spiral(301, 0.0, seed=4)
    for label, m, delta in ((1, 151, 0.0), (0, 150, math.pi)):
        got = sorted(tuple(p) for p, lab in zip(X, y) if lab == label)
        want = sorted(_spiral_points(m, delta))
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g == pytest.approx(w)
    assert all(radius(p) < 5.0 for p in X)


def test_spiral_noise_is_bounded_jitter():
    noise = 0.5
    X, y = spiral(200, noise, seed=4)
    for label, delta in ((1, 0.0), (0, math.pi)):
        clean = _spiral_points(100, delta)
        for p, lab in zip(X, y):
            if lab == label:
                assert min(max(abs(p[0] - c[0]), abs(p[1] - c[1])) for c in clean) <= noise
    assert spiral(200, noise, seed=4)[0] != spiral(200, 0.0, seed=4)[0]


def test_plane_without_noise():
    X, y = plane(1000, 0.0, seed=5)
    for (a, b), v in zip(X, y):
        assert -6 <= a <= 6 and -6 <= b <= 6
        assert v == pytest.approx((a + b) / 10)
    assert min(y) < -0.8 and max(y) > 0.8


def test_plane_with_noise():
    X, y = plane(1000, 0.5, seed=5)
    errors = [abs(v - (a + b) / 10) for (a, b), v in zip(X, y)]
    assert max(errors) <= 0.6 + 1e-12 and max(errors) > 0.3
    assert all(abs(v) <= 1.8 for v in y)


def _tf_regress_gaussian_label(x: float, y: float) -> float:
    """TF's regressGaussian getLabel, transcribed independently."""
    gaussians = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1),
                 (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    label = 0.0
    for cx, cy, sign in gaussians:
        d = math.sqrt((x - cx) ** 2 + (y - cy) ** 2)
        scaled = min(1.0, max(0.0, 1 - d / 2))  # linear [0,2] -> [1,0], clamped
        new = sign * scaled
        if abs(new) > abs(label):
            label = new
    return label


def test_multigauss_without_noise():
    X, y = multigauss(1000, 0.0, seed=6)
    for (a, b), v in zip(X, y):
        assert -6 <= a <= 6 and -6 <= b <= 6
        assert v == pytest.approx(_tf_regress_gaussian_label(a, b))
        assert -1.0 <= v <= 1.0
    assert min(y) < -0.8 and max(y) > 0.8
    assert sum(1 for v in y if v == 0.0) > 100  # flat between the bumps


def test_multigauss_with_noise():
    X, y = multigauss(1000, 0.5, seed=6)
    assert all(-1.0 <= v <= 1.0 for v in y)
    mismatches = sum(1 for (a, b), v in zip(X, y)
                     if abs(v - _tf_regress_gaussian_label(a, b)) > 1e-9)
    assert mismatches > 300


def test_generators_registry():
    assert datasets.GENERATORS == {"circle": circle, "xor": xor, "gauss": gauss,
                                   "spiral": spiral, "plane": plane,
                                   "multigauss": multigauss}

@pytest.mark.parametrize("gen", ALL, ids=ids)
@pytest.mark.parametrize("n, exc", [(0, ValueError), (-3, ValueError), (2.5, TypeError),
                                    ("10", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_n(gen, n, exc):
    with pytest.raises(exc, match=r"^n: expected a positive integer, got"):
        gen(n)


@pytest.mark.parametrize("gen", ALL, ids=ids)
@pytest.mark.parametrize("noise, exc", [(-0.1, ValueError), (0.51, ValueError),
                                        (50, ValueError), (math.nan, ValueError),
                                        (math.inf, ValueError), ("0.1", TypeError),
                                        (True, TypeError), (None, TypeError)])
def test_bad_noise(gen, noise, exc):
    with pytest.raises(exc, match=r"^noise: expected"):
        gen(100, noise)


def test_noise_message_explains_the_range():
    with pytest.raises(ValueError, match=r"noise: expected a fraction in \[0, 0\.5\].*got 25"):
        circle(100, 25)


@pytest.mark.parametrize("gen", ALL, ids=ids)
def test_noise_bounds_are_accepted(gen):
    gen(10, 0)
    gen(10, 0.5)


@pytest.mark.parametrize("seed", ["abc", 1.5, True])
def test_bad_seed(seed):
    with pytest.raises(TypeError, match=r"^seed: expected None or an int, got"):
        circle(10, 0.0, seed)

def test_split_keeps_every_sample_once_and_pairs():
    X = [[float(i), float(-i)] for i in range(101)]
    y = list(range(101))
    X_tr, y_tr, X_te, y_te = split(X, y, 0.7, seed=1)
    assert len(X_tr) == len(y_tr) == 70 and len(X_te) == len(y_te) == 31
    assert sorted(y_tr + y_te) == y
    for xs, ys in ((X_tr, y_tr), (X_te, y_te)):
        assert all(p == [float(i), float(-i)] for p, i in zip(xs, ys))
    assert y_tr != sorted(y_tr)  # shuffled


def test_split_is_deterministic_and_copies():
    X, y = circle(50, 0.1, seed=1)
    a = split(X, y, seed=9)
    assert a == split(X, y, seed=9)
    assert a != split(X, y, seed=10)
    a[0][0][0] = 99.0
    assert 99.0 not in [v for p in X for v in p]
    assert len(a[0]) == 25  # default ratio 0.5


def test_split_accepts_tuples():
    X_tr, _y_tr, X_te, _y_te = split(((1.0, 2.0), (3.0, 4.0)), (0, 1), 0.5, seed=0)
    assert len(X_tr) == len(X_te) == 1 and isinstance(X_tr[0], list)


def check_split_partition(n: int, ratio: float, seed: int) -> None:
    X = [[float(i)] for i in range(n)]
    y = [i * 10 for i in range(n)]
    X_tr, y_tr, X_te, y_te = split(X, y, ratio, seed)
    assert len(X_tr) == math.floor(n * ratio)
    assert sorted(y_tr + y_te) == y
    assert sorted(p[0] for p in X_tr + X_te) == [float(i) for i in range(n)]
    assert all(p[0] * 10 == label for p, label in zip(X_tr + X_te, y_tr + y_te))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 200), ratio=st.floats(0.01, 0.99), seed=st.integers(0, 2**32))
def test_split_partition_property(n, ratio, seed):
    check_split_partition(n, ratio, seed)


@pytest.mark.parametrize("ratio, exc", [(0, ValueError), (1, ValueError), (1.5, ValueError),
                                        (-0.2, ValueError), (math.nan, ValueError),
                                        ("0.5", TypeError), (None, TypeError)])
def test_split_bad_ratio(ratio, exc):
    with pytest.raises(exc, match=r"^train_ratio: expected"):
        split([[0.0], [1.0]], [0, 1], ratio)


def test_split_bad_lengths():
    with pytest.raises(ValueError, match=r"X, y: expected the same length, got len\(X\)=2 "
                                         r"and len\(y\)=3"):
        split([[0.0], [1.0]], [0, 1, 1])
    with pytest.raises(ValueError, match=r"X, y: expected at least one sample"):
        split([], [])

def test_one_hot():
    assert one_hot([0, 2, 1], 3) == [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    assert one_hot([1], 4) == [[0.0, 1.0, 0.0, 0.0]]
    assert one_hot([], 2) == []
    assert all(type(v) is float for v in one_hot([1, 0], 2)[0])


def test_one_hot_bad_input():
    with pytest.raises(ValueError, match=r"classes: expected more classes than the largest "
                                         r"label.*got label 3 at y\[1\]"):
        one_hot([0, 3], 3)
    with pytest.raises(ValueError, match=r"y\[0\]: expected a class index >= 0, got -1"):
        one_hot([-1], 3)
    with pytest.raises(TypeError, match=r"y\[1\]: expected an int class index, got float 1.0"):
        one_hot([0, 1.0], 3)
    with pytest.raises(ValueError, match=r"classes: expected a positive integer, got 0"):
        one_hot([0], 0)
    with pytest.raises(TypeError, match=r"classes: expected a positive integer"):
        one_hot([0], 2.0)

def test_iris():
    X, y = iris()
    assert len(X) == len(y) == 150
    assert all(len(row) == 4 and all(type(v) is float for v in row) for row in X)
    assert X[0] == [5.1, 3.5, 1.4, 0.2] and y[0] == 0
    assert X[-1] == [5.9, 3.0, 5.1, 1.8] and y[-1] == 2
    assert Counter(y) == {0: 50, 1: 50, 2: 50}
    assert y == [0] * 50 + [1] * 50 + [2] * 50
    assert min(v for row in X for v in row) == 0.1
    assert max(v for row in X for v in row) == 7.9


def test_iris_follows_fisher_not_uci():
    # scikit-learn (and R) correct two UCI rows to Fisher's values.
    X, _ = iris()
    assert X[34] == [4.9, 3.1, 1.5, 0.2]
    assert X[37] == [4.9, 3.6, 1.4, 0.1]


def test_digits():
    X, y = digits()
    assert len(X) == len(y) == 1797
    assert all(len(row) == 64 for row in X)
    values = {v for row in X for v in row}
    assert values == {float(k) for k in range(17)}
    assert all(type(v) is float for v in X[0])
    assert set(y) == set(range(10))
    counts = Counter(y)
    assert [counts[k] for k in range(10)] == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert sum(counts.values()) == 1797
    assert X[0][:16] == [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0,
                         0.0, 0.0, 13.0, 15.0, 10.0, 15.0, 5.0, 0.0]
    assert y[:3] == [0, 1, 2]


def test_loaders_return_fresh_lists():
    X, y = iris()
    X[0][0] = -1.0
    y[0] = 7
    X2, y2 = iris()
    assert X2[0][0] == 5.1 and y2[0] == 0
    D, _t = digits()
    D[0][2] = 99.0
    assert digits()[0][0][2] == 5.0


def test_attribution():
    text = datasets.ATTRIBUTION
    for needle in ("CC BY 4.0", "10.24432/C56C76", "10.24432/C50P49", "scikit-learn",
                   "UCI Machine Learning Repository", "Fisher", "Alpaydin"):
        assert needle in text
    md = resources.files("pynet.data").joinpath("ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "10.24432/C56C76" in md and "10.24432/C50P49" in md and "CC BY 4.0" in md
