"""The complete 2-2-2 example of the notes in all three ways of training it
(``Network``, ``NeuralNetwork`` default gradient mode, ``NeuralNetwork``
course mode), and the course class's own interface, bad input and overflow."""

from __future__ import annotations

import importlib
import json
import math
import random

import pytest

import pynet

# pynet.gradcheck is the function; the module behind it is pynet.gradcheck too
gc = importlib.import_module("pynet.gradient_check")

X = [0.05, 0.10]
T = [0.01, 0.99]
WIH = [[0.15, 0.20], [0.25, 0.30]]
WHO = [[0.40, 0.45], [0.50, 0.55]]
LR = 0.5

H = [0.5068745667645342, 0.5106234010049637]
O = [0.606477732206728, 0.6304808354506348]
E = [-0.596477732206728, 0.35951916454936517]
LOSS = 0.24251985734837728
G_WHO = [[0.07215707291213626, 0.07269074519194478],
         [-0.04245525009260471, -0.04276924828006376]]
G_WIH = [[0.0001882556669401121, 0.0003765113338802242],
         [0.0002248134625761188, 0.0004496269251522376]]
SHARES = [[-0.28069540339140137, -0.31578232881532653],
          [0.17119960216636435, 0.18831956238300082]]
WHO_T_E = [-0.05883151060800862, -0.0706794389908767]
WHO_AFTER = [[0.3639214635439319, 0.41365462740402764],
             [0.5212276250463024, 0.5713846241400319]]
WIH_AFTER_EXACT = [[0.14990587216652995, 0.1998117443330599],
                   [0.24988759326871193, 0.29977518653742385]]
# The course's published code sends the raw error back through the *updated*
# who (seed-math.md; tests/reference/test_course_numpy.py runs a transcription of it).
WIH_AFTER_COURSE = [[0.1498145367602327, 0.19962907352046544],
                    [0.24974191623746944, 0.29948383247493887]]
# whoᵀe with the updated who: WHO_AFTER^T E
WHO_AFTER_T_E = [-0.02967972897934154, -0.04131205136359614]
# for comparison, what pre-update weights would give (no version of the course does this)
WIH_AFTER_PRE_UPDATE = [[0.14963237256764172, 0.19926474513528344],
                        [0.24955845292242282, 0.2991169058448456]]
LOSS_AFTER_EXACT = 0.23549537787349017
LOSS_AFTER_COURSE = 0.2354952236552336  # the course's code, then E (numpy transcription)


def near(a, b, rel=1e-12):
    if isinstance(b, (list, tuple)):
        assert len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            near(x, y, rel)
        return
    assert math.isclose(a, b, rel_tol=rel), (a, b)


def network():
    net = pynet.Network([2, 2, 2], activation="sigmoid", output_activation="sigmoid",
                        loss="squared", bias=False, learning_rate=LR)
    net.weights = [[list(r) for r in WIH], [list(r) for r in WHO]]
    return net


def course(mode):
    nn = pynet.NeuralNetwork(2, 2, 2, LR, mode=mode) if mode else pynet.NeuralNetwork(2, 2, 2, LR)
    nn.wih = WIH
    nn.who = WHO
    return nn


# ------------------------------------------------------------ Network (exact)
def test_network_forward():
    zs, acts = network().forward(X)
    assert zs[0] is None
    near(acts[1], H)
    near(acts[2], O)
    near(network().run(X), O)


def test_network_trace_before_step():
    tr = network().backprop(X, T)
    near(tr.activations[1], H)
    near(tr.activations[2], O)
    near(tr.errors, E)
    near(tr.loss, LOSS)
    near(tr.grad_weights[1], G_WHO)
    near(tr.grad_weights[0], G_WIH)
    near(tr.shares["proportional"][1], SHARES)
    near(tr.node_errors["transposed"][1], WHO_T_E)
    near(tr.updates[1], [[-LR * g for g in row] for row in G_WHO])
    near(tr.loss_after, LOSS_AFTER_EXACT)
    assert tr.grad_biases == [[0.0, 0.0], [0.0, 0.0]]


def test_network_gradients_and_loss():
    net = network()
    dW, _db = net.gradients(X, T)
    near(dW[1], G_WHO)
    near(dW[0], G_WIH)
    near(net.loss([X], [T]), LOSS)


def test_network_one_step():
    net = network()
    before = net.train(X, T)
    near(before, LOSS)
    near(net.weights[1], WHO_AFTER)
    near(net.weights[0], WIH_AFTER_EXACT)
    near(net.loss([X], [T]), LOSS_AFTER_EXACT)
    assert net.biases == [[0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize("how", ["train_batch", "fit"])
def test_network_one_step_other_entry_points(how):
    net = network()
    if how == "train_batch":
        net.train_batch([X], [T])
    else:
        history = net.fit([X], [T], epochs=1, batch_size=1, shuffle=False)
        near(history, [LOSS])
    near(net.weights[1], WHO_AFTER)
    near(net.weights[0], WIH_AFTER_EXACT)


# ------------------------------------------------- NeuralNetwork, both modes
@pytest.mark.parametrize("mode", [None, "gradient", "course"])
def test_course_class_forward(mode):
    nn = course(mode)
    near(nn.run(X), O)
    _zs, acts = nn.network.forward(X)
    near(acts[1], H)
    near(nn.network.loss([X], [T]), LOSS)
    assert nn.wih == WIH and nn.who == WHO


@pytest.mark.parametrize("mode", [None, "gradient"])
def test_course_class_gradient_mode_is_exact(mode):
    nn = course(mode)
    assert nn.mode == "gradient"
    before = nn.train(X, T)
    near(before, LOSS)
    near(nn.who, WHO_AFTER)
    near(nn.wih, WIH_AFTER_EXACT)
    near(nn.network.loss([X], [T]), LOSS_AFTER_EXACT)


@pytest.mark.parametrize("mode", ["gradient", "course"])
def test_course_class_trace_of_its_network(mode):
    """The viewer's trace of the course class's network shows the same shares."""
    tr = course(mode).network.backprop(X, T)
    near(tr.errors, E)
    near(tr.shares["proportional"][1], SHARES)
    near(tr.node_errors["transposed"][1], WHO_T_E)
    near(tr.grad_weights[0], G_WIH)
    near(tr.loss_after, LOSS_AFTER_EXACT)


def test_course_mode_reproduces_the_course():
    nn = course("course")
    near(nn.train(X, T), LOSS)
    near(nn.who, WHO_AFTER)                 # output layer: the same as exact
    near(nn.wih, WIH_AFTER_COURSE)          # hidden layer: updated who^T e, not who^T delta
    near(nn.network.loss([X], [T]), LOSS_AFTER_COURSE)
    for got, pre in zip(nn.wih, WIH_AFTER_PRE_UPDATE):   # not the pre-update reading
        assert all(abs(g - p) > 1e-4 for g, p in zip(got, pre))


def test_course_mode_hidden_step_is_not_the_gradient_step():
    """Note S7: the course's hidden-layer step is 2.0 to 2.3 times the exact one here."""
    nn = course("course")
    nn.train(X, T)
    course_step = [[(a - b) / -LR for a, b in zip(ra, rb)] for ra, rb in zip(nn.wih, WIH)]
    ratio = [c / g for rc, rg in zip(course_step, G_WIH) for c, g in zip(rc, rg)]
    for r in ratio:
        assert 1.9 < r < 2.4
    # and the hidden step direction equals h(1-h) * (who_updated^T e) x^T
    for k in range(2):
        for j in range(2):
            want = -WHO_AFTER_T_E[k] * H[k] * (1 - H[k]) * X[j]
            assert math.isclose(course_step[k][j], want, rel_tol=1e-9)


# ---------------------------------------------- gradient check: course fails
def _step_direction(nn, x, t):
    """(w_before - w_after) / lr for every weight and bias-column entry."""
    before = nn.weights_matrices
    nn.train(x, t)
    after = nn.weights_matrices
    return [[[(b - a) / nn.learning_rate for b, a in zip(rb, ra)] for rb, ra in zip(mb, ma)]
            for mb, ma in zip(before, after)]


def _numeric_matrices(nn, x, t):
    """Finite-difference dE/dW in the course's parameters (bias column w_kc,
    b = c w_kc, so dE/dw_kc = c dE/db)."""
    dW, db = gc.numeric_gradients(nn.network, x, t)
    c = nn.bias
    out = []
    for w, b in zip(dW, db):
        out.append([list(row) + ([] if c is None else [c * bk]) for row, bk in zip(w, b)])
    return out


def _flat(m):
    return [v for layer in m for row in layer for v in row]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("bias", [None, 1.0, 0.5])
def test_gradient_mode_passes_and_course_mode_fails_gradcheck(seed, bias):
    rng = random.Random(seed)
    sizes = [rng.randint(1, 4), rng.randint(2, 5), rng.randint(1, 3)]
    x = [rng.uniform(-1, 1) for _ in range(sizes[0])]
    t = [rng.uniform(0, 1) for _ in range(sizes[-1])]
    results = {}
    for mode in ("gradient", "course"):
        nn = pynet.NeuralNetwork(network_structure=sizes, learning_rate=1e-3, bias=bias,
                                 mode=mode, seed=seed)
        numeric = _numeric_matrices(nn, x, t)
        direction = _step_direction(nn, x, t)
        results[mode] = (gc.relative_error(_flat(direction), _flat(numeric)),
                         gc.relative_error(_flat(direction[:1]), _flat(numeric[:1])))
    assert results["gradient"][0] < 1e-7
    # the course's hidden-layer update is not the gradient (by a factor >= 4
    # per output when there is one output): relative error of order 1
    assert results["course"][1] > 0.1


def test_course_mode_fails_on_deeper_networks():
    nn = pynet.NeuralNetwork(network_structure=[3, 5, 4, 2], learning_rate=1e-3, seed=3)
    nn.mode = "course"
    x, t = [0.3, -0.7, 0.9], [0.9, 0.1]
    numeric = _numeric_matrices(nn, x, t)
    direction = _step_direction(nn, x, t)
    assert gc.relative_error(_flat(direction[-1:]), _flat(numeric[-1:])) < 1e-7
    for l in range(2):
        assert gc.relative_error(_flat(direction[l:l + 1]), _flat(numeric[l:l + 1])) > 0.1


# --------------------------------------------------------- the course API
def test_constructor_forms_agree():
    a = pynet.NeuralNetwork(3, 2, 4, 0.2, bias=1, seed=7)
    b = pynet.NeuralNetwork(network_structure=[3, 4, 2], learning_rate=0.2, bias=1, seed=7)
    c = pynet.NeuralNetwork(no_of_in_nodes=3, no_of_out_nodes=2, no_of_hidden_nodes=4,
                            learning_rate=0.2, bias=1, seed=7)
    assert a.structure == b.structure == c.structure == [3, 4, 2]
    assert a.wih == b.wih == c.wih and a.who == b.who == c.who
    assert a.learning_rate == 0.2


def test_constructor_needs_counts_and_learning_rate():
    with pytest.raises(TypeError, match="no_of_hidden_nodes"):
        pynet.NeuralNetwork(2, 2, learning_rate=0.1)
    with pytest.raises(TypeError, match="learning_rate"):
        pynet.NeuralNetwork(2, 2, 2)
    with pytest.raises(ValueError, match="network_structure"):
        pynet.NeuralNetwork(2, network_structure=[2, 2, 2], learning_rate=0.1)
    with pytest.raises(ValueError, match="mode"):
        pynet.NeuralNetwork(2, 2, 2, 0.1, mode="fast")
    with pytest.raises(ValueError, match="bias"):
        pynet.NeuralNetwork(2, 2, 2, 0.1, bias=0)


@pytest.mark.parametrize("bias", [None, 1, 0.5])
def test_weight_shapes_and_values(bias):
    nn = pynet.NeuralNetwork(3, 2, 4, 0.1, bias=bias, seed=1)
    extra = 0 if bias is None else 1
    assert len(nn.wih) == 4 and all(len(r) == 3 + extra for r in nn.wih)
    assert len(nn.who) == 2 and all(len(r) == 4 + extra for r in nn.who)
    net = nn.network
    for m, w, b in zip((nn.wih, nn.who), net.weights, net.biases):
        for row, wrow, bk in zip(m, w, b):
            assert row[:len(wrow)] == wrow
            if bias is None:
                assert bk == 0.0
            else:
                assert math.isclose(row[-1] * bias, bk, rel_tol=1e-15)
    # course initialisation: truncated normal within +-1/sqrt(n_in [+1])
    for m, n_in in ((nn.wih, 3), (nn.who, 4)):
        r = 1 / math.sqrt(n_in + extra)
        assert all(-r <= v <= r for row in m for v in row)
        assert all(isinstance(v, float) for row in m for v in row)


def test_bias_node_value_enters_the_forward_pass():
    nn = pynet.NeuralNetwork(1, 1, 1, 0.1, bias=2.0)
    nn.wih = [[0.3, 0.4]]
    nn.who = [[-0.5, 0.25]]
    h = 1 / (1 + math.exp(-(0.3 * 0.7 + 0.4 * 2.0)))
    o = 1 / (1 + math.exp(-(-0.5 * h + 0.25 * 2.0)))
    assert math.isclose(nn.run([0.7])[0], o, rel_tol=1e-14)


def test_bias_column_update_is_gradient_step_in_course_parameters():
    """With bias node c the step on the bias column w_kc is -lr * c * delta_k."""
    c, lr = 2.0, 0.3
    nn = pynet.NeuralNetwork(1, 1, 1, lr, bias=c)
    nn.wih = [[0.3, 0.4]]
    nn.who = [[-0.5, 0.25]]
    x, t = [0.7], [0.9]
    h = 1 / (1 + math.exp(-(0.3 * 0.7 + 0.4 * c)))
    o = 1 / (1 + math.exp(-(-0.5 * h + 0.25 * c)))
    d_out = (o - t[0]) * o * (1 - o)
    d_hid = -0.5 * d_out * h * (1 - h)
    nn.train(x, t)
    near(nn.who[0], [-0.5 - lr * d_out * h, 0.25 - lr * d_out * c], 1e-12)
    near(nn.wih[0], [0.3 - lr * d_hid * 0.7, 0.4 - lr * d_hid * c], 1e-12)


def test_run_returns_a_list_of_floats():
    nn = pynet.NeuralNetwork(2, 3, 2, 0.1, seed=0)
    out = nn.run((0.5, 0.25))
    assert type(out) is list and len(out) == 3 and all(type(v) is float for v in out)


def test_wih_setter_validates_and_copies():
    nn = pynet.NeuralNetwork(2, 2, 2, 0.1, seed=0)
    before = nn.network.to_dict()
    with pytest.raises(ValueError, match="wih"):
        nn.wih = [[1.0, 2.0]]
    with pytest.raises(ValueError, match=r"who\[1\]"):
        nn.who = [[1.0, 2.0], [1.0]]
    with pytest.raises(TypeError, match=r"who\[0\]\[1\]"):
        nn.who = [[1.0, "x"], [1.0, 2.0]]
    assert nn.network.to_dict() == before
    m = nn.wih
    m[0][0] = 99.0                         # a copy: editing it changes nothing
    assert nn.wih[0][0] != 99.0


def test_wih_who_only_for_one_hidden_layer():
    nn = pynet.NeuralNetwork(network_structure=[2, 3, 3, 1], learning_rate=0.1, seed=0)
    with pytest.raises(AttributeError, match="weights_matrices"):
        nn.wih  # noqa: B018  (the getter is what raises)
    assert [len(m) for m in nn.weights_matrices] == [3, 3, 1]


def _sorting_net():
    """3 inputs, 3 outputs; the largest output is the hot input's index."""
    nn = pynet.NeuralNetwork(3, 3, 3, 0.1)
    nn.wih = [[10.0 if k == j else 0.0 for j in range(3)] for k in range(3)]
    nn.who = [[10.0 if k == j else -10.0 for j in range(3)] for k in range(3)]
    return nn


def test_evaluate_confusion_precision_recall():
    nn = _sorting_net()
    hot = [[1.0 if j == i else 0.0 for j in range(3)] for i in range(3)]
    predicted = [0, 1, 2, 0, 2, 2, 1]
    actual = [0, 1, 2, 1, 2, 0, 1]
    data = [hot[p] for p in predicted]
    assert [nn.predict_label(x) for x in data] == predicted
    cm = nn.confusion_matrix(data, actual)
    # rows = actual, columns = predicted
    assert cm == [[1, 0, 1],
                  [1, 2, 0],
                  [0, 0, 2]]
    assert nn.evaluate(data, actual) == (5, 2)
    assert nn.precision(0, cm) == 1 / 2      # predicted 0: samples 0, 3 -> one right
    assert nn.recall(0, cm) == 1 / 2         # actual 0: samples 0, 5 -> one found
    assert nn.precision(1, cm) == 1.0        # predicted 1: samples 1, 6
    assert nn.recall(1, cm) == 2 / 3         # actual 1: samples 1, 3, 6
    assert nn.precision(2, cm) == 2 / 3      # predicted 2: samples 2, 4, 5
    assert nn.recall(2, cm) == 1.0           # actual 2: samples 2, 4
    with pytest.raises(ValueError, match="labels"):
        nn.confusion_matrix(data, actual[:-1])


def test_course_train_rejects_bad_input_unchanged():
    nn = pynet.NeuralNetwork(2, 2, 2, 0.1, seed=0)
    before = json.dumps(nn.network.to_dict())
    with pytest.raises(ValueError, match="input_vector"):
        nn.train([1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"target_vector\[1\]"):
        nn.train([1.0, 0.0], [0.0, math.nan])
    with pytest.raises(TypeError, match=r"input_vector\[0\]"):
        nn.train(["a", 0.0], [0.0, 1.0])
    assert json.dumps(nn.network.to_dict()) == before


@pytest.mark.parametrize("mode", ["gradient", "course"])
def test_diverging_course_class_train(mode):
    nn = pynet.NeuralNetwork(2, 1, 2, 1e300, mode=mode, bias=1.0, seed=0)
    nn.wih = [[1e-20, 1e-20, 0.0], [-1e-20, 1e-20, 0.0]]
    state = json.dumps(nn.network.to_dict())
    with pytest.raises(pynet.DivergedError):
        nn.train([1e15, 1e15], [1.0])        # gradient 1e13-ish times η = 1e300
    assert json.dumps(nn.network.to_dict()) == state
    # non-finite loss: ±inf net inputs cancel to nan
    nn = pynet.NeuralNetwork(2, 1, 2, 0.1, mode=mode, seed=0)
    nn.wih = [[1e308, -1e308], [0.1, 0.1]]
    state = json.dumps(nn.network.to_dict())
    with pytest.raises(pynet.DivergedError):
        nn.train([2.0, 2.0], [1.0])
    assert json.dumps(nn.network.to_dict()) == state


def test_course_class_sum_overflow_is_not_divergence():
    nn = pynet.NeuralNetwork(2, 1, 1, 0.1, seed=0)
    nn.wih = [[1e308, 1e308]]
    nn.train([0.0, 0.0], [0.5])
    assert nn.wih == [[1e308, 1e308]]
