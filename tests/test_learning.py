"""The network actually learns: XOR, TensorFlow Playground's default
problem (circle), and the UCI digits. No numpy. CPython times (3.12, this
machine): XOR < 0.1 s per case, circle ~0.5 s per seed, digits ~8 s;
Pyodide is about 2.3x slower. Only the digits test is marked ``slow``."""

from __future__ import annotations

import pytest

import pynet
from pynet import datasets, metrics

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_T = [[0.0], [1.0], [1.0], [0.0]]


def stop_below(net, X, T, threshold):
    """A fit callback that stops once the mean loss over (X, T) is below."""
    def callback(epoch, loss):
        return False if net.loss(X, T) < threshold else None
    return callback


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("activation,lr,init", [("sigmoid", 2.0, "course"),
                                                ("tanh", 0.3, "xavier")])
def test_xor(activation, lr, init, seed):
    net = pynet.Network([2, 4, 1], activation=activation, output_activation="sigmoid",
                        learning_rate=lr, init=init, seed=seed)
    start = net.loss(XOR_X, XOR_T)
    history = net.fit(XOR_X, XOR_T, epochs=5000,
                      callback=stop_below(net, XOR_X, XOR_T, 0.01))
    assert len(history) < 5000
    assert net.loss(XOR_X, XOR_T) < 0.01 < start
    predictions = [round(o[0]) for o in net.predict(XOR_X)]
    assert predictions == [0, 1, 1, 0]


@pytest.mark.parametrize("mode", ["gradient", "course"])
def test_xor_with_the_course_class(mode):
    # The course's own rule (raw errors through the updated weights) gets stuck
    # in a plateau on XOR for some seeds: measured over seeds 0-7 at η = 1,
    # seeds 2 and 3 stay near E = 0.065 after 4000 epochs, the other six learn
    # (exact gradient mode: all eight). Seed 0 learns in both modes.
    nn = pynet.NeuralNetwork(2, 1, 4, 1.0, bias=1, mode=mode, seed=0)
    for _ in range(4000):
        for x, t in zip(XOR_X, XOR_T):
            nn.train(x, t)
        if nn.network.loss(XOR_X, XOR_T) < 0.01:
            break
    assert nn.network.loss(XOR_X, XOR_T) < 0.01
    assert [round(nn.run(x)[0]) for x in XOR_X] == [0, 1, 1, 0]


@pytest.mark.parametrize("seed", range(3))
def test_tf_playground_circle(seed):
    """TF Playground's defaults: circle, noise 0, 50 % training data, 2-4-2-1
    tanh, U(-0.5, 0.5) init, η = 0.03, batch 10, labels ±1; the training loss
    falls below 0.01 within 300 epochs."""
    X, y = datasets.circle(500, noise=0, seed=seed)
    X_train, y_train, X_test, y_test = datasets.split(X, y, 0.5, seed=seed + 100)
    assert len(X_train) == 250 and len(X_test) == 250
    T_train = [[1.0 if label == 1 else -1.0] for label in y_train]
    T_test = [[1.0 if label == 1 else -1.0] for label in y_test]
    net = pynet.Network([2, 4, 2, 1], activation="tanh", output_activation="tanh",
                        init="uniform", learning_rate=0.03, seed=seed)
    start = net.loss(X_train, T_train)
    history = net.fit(X_train, T_train, epochs=300, batch_size=10,
                      callback=stop_below(net, X_train, T_train, 0.01))
    assert len(history) <= 300
    assert net.loss(X_train, T_train) < 0.01 < start
    # and it generalises: the test points are classified by the sign of the output
    correct = sum((o[0] > 0) == (t[0] > 0) for o, t in zip(net.predict(X_test), T_test))
    assert correct / len(X_test) >= 0.97


@pytest.mark.slow
def test_digits():
    """64-32-10 sigmoid network, the course's squared error, pixels / 16,
    one-hot targets, 70/30 split: at least 95 % test accuracy in 10 epochs
    (about 8 s on CPython)."""
    X, y = datasets.digits()
    assert len(X) == 1797 and len(X[0]) == 64
    X = [[v / 16 for v in row] for row in X]
    X_train, y_train, X_test, y_test = datasets.split(X, y, 0.7, seed=0)
    net = pynet.Network([64, 32, 10], activation="sigmoid", output_activation="sigmoid",
                        learning_rate=0.5, seed=1)
    net.fit(X_train, datasets.one_hot(y_train, 10), epochs=10)
    predicted = [metrics.argmax(o) for o in net.predict(X_test)]
    assert metrics.accuracy(y_test, predicted) >= 0.95
