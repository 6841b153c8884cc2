"""An independent numpy implementation of the seed's matrix formulas, and
pynet checked against it to 1e-12 on many random networks and batches.

Column vectors throughout (the course's layout, destination first):

    z_l = W_l a_{l-1} + b_l,   a_l = f_l(z_l)
    δ_L = J_L^T ∂E/∂o          J = ∂o/∂z (diag(f') or the softmax Jacobian)
    δ_l = J_l^T (W_{l+1}^T δ_{l+1})
    ∂E/∂W_l = δ_l a_{l-1}^T,   ΔW = −η ∂E/∂W

Nothing here calls pynet's arithmetic: the reference only reads a network's
initial weights and settings. Files needing numpy are named *_numpy.py
(the Pyodide run, which has no numpy, leaves them out).
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pynet

pytestmark = pytest.mark.numpy

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
PAIRS = [("squared", o) for o in ("sigmoid", "tanh", "linear", "softmax")] + \
        [("cross_entropy", o) for o in ("sigmoid", "softmax")]
RTOL = ATOL = 1e-12
TINY = 0.01          # trace.py's proportional-share rule threshold (documented)


# ----------------------------------------------------------------- reference
def f(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "linear":
        return z.copy()
    e = np.exp(z - z.max())                         # softmax
    return e / e.sum()


def jacobian(name, z):
    """∂a/∂z as a matrix."""
    if name == "softmax":
        o = f("softmax", z).ravel()
        return np.diag(o) - np.outer(o, o)
    zz = z.ravel()
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-zz))
        d = s * (1 - s)
    elif name == "tanh":
        d = 1 - np.tanh(zz) ** 2
    elif name == "relu":
        d = (zz > 0).astype(float)
    else:
        d = np.ones_like(zz)
    return np.diag(d)


def loss_of(loss, out, o, t):
    if loss == "squared":
        return 0.5 * float(np.sum((t - o) ** 2))
    if out == "sigmoid":
        return -float(np.sum(t * np.log(o) + (1 - t) * np.log(1 - o)))
    return -float(np.sum(t * np.log(o)))


def dE_do(loss, out, o, t):
    if loss == "squared":
        return o - t
    if out == "sigmoid":
        return -t / o + (1 - t) / (1 - o)
    return -t / o


class Ref:
    def __init__(self, net):
        self.W = [np.array(w, dtype=float) for w in net.weights]
        self.b = [np.array(b, dtype=float).reshape(-1, 1) for b in net.biases]
        self.acts = list(net.activation) + [net.output_activation]
        self.loss = net.loss_name
        self.out = net.output_activation
        self.bias = net.bias
        self.lr = net.learning_rate

    def forward(self, x):
        a = np.array(x, dtype=float).reshape(-1, 1)
        zs, As = [None], [a]
        for W, b, name in zip(self.W, self.b, self.acts):
            z = W @ a + b
            a = f(name, z)
            zs.append(z)
            As.append(a)
        return zs, As

    def backward(self, x, t):
        """deltas, dW, db and E for one sample."""
        t = np.array(t, dtype=float).reshape(-1, 1)
        zs, As = self.forward(x)
        L = len(self.W)
        deltas = [None] * L
        deltas[-1] = jacobian(self.out, zs[-1]).T @ dE_do(self.loss, self.out, As[-1], t)
        for l in range(L - 2, -1, -1):
            deltas[l] = jacobian(self.acts[l], zs[l + 1]).T @ (self.W[l + 1].T @ deltas[l + 1])
        dW = [d @ As[l].T for l, d in enumerate(deltas)]
        db = [d if self.bias else np.zeros_like(d) for d in deltas]
        return deltas, dW, db, loss_of(self.loss, self.out, As[-1], t), zs, As

    def mean_grads(self, X, T):
        n = len(X)
        gW = [np.zeros_like(W) for W in self.W]
        gb = [np.zeros_like(b) for b in self.b]
        total = 0.0
        for x, t in zip(X, T):
            _, dW, db, e, _, _ = self.backward(x, t)
            total += e
            gW = [g + d for g, d in zip(gW, dW)]
            gb = [g + d for g, d in zip(gb, db)]
        return [g / n for g in gW], [g / n for g in gb], total / n

    def step(self, X, T, l1=0.0, l2=0.0):
        gW, gb, e = self.mean_grads(X, T)
        self.W = [W - self.lr * (g + l1 * np.sign(W) + l2 * W) for W, g in zip(self.W, gW)]
        if self.bias:
            self.b = [b - self.lr * g for b, g in zip(self.b, gb)]
        return e

    def fit(self, X, T, epochs, batch_size, l1=0.0, l2=0.0):
        history = []
        n = len(X)
        for _ in range(epochs):
            total = 0.0
            for s in range(0, n, batch_size):
                xb, tb = X[s:s + batch_size], T[s:s + batch_size]
                total += self.step(xb, tb, l1, l2) * len(xb)
            history.append(total / n)
        return history

    def mean_loss(self, X, T):
        return float(np.mean([self.backward(x, t)[3] for x, t in zip(X, T)]))

    # ------------------------------------------------------------ the trace
    def shares(self, x, t):
        """Per-sample shares and node errors of the three kinds."""
        deltas, _, _, _, _zs, As = self.backward(x, t)
        e = np.array(t, dtype=float).reshape(-1, 1) - As[-1]
        L = len(self.W)
        shares = {k: [None] * L for k in ("proportional", "transposed", "gradient")}
        nodes = {k: [None] * (L + 1) for k in shares}
        nodes["proportional"][L] = e
        nodes["transposed"][L] = e
        nodes["gradient"][L] = deltas[-1]
        for l in range(L - 1, -1, -1):
            W = self.W[l]
            s = W.sum(axis=1, keepdims=True)
            a = np.abs(W).sum(axis=1, keepdims=True)
            ep = nodes["proportional"][l + 1]
            prop = np.empty_like(W)
            for k in range(W.shape[0]):
                if a[k, 0] == 0.0:
                    prop[k] = ep[k, 0] / W.shape[1]
                elif abs(s[k, 0]) >= TINY * a[k, 0]:
                    prop[k] = ep[k, 0] * W[k] / s[k, 0]
                else:
                    prop[k] = ep[k, 0] * W[k] / a[k, 0]
            shares["proportional"][l] = prop
            nodes["proportional"][l] = prop.sum(axis=0).reshape(-1, 1)
            shares["transposed"][l] = W * nodes["transposed"][l + 1]
            nodes["transposed"][l] = W.T @ nodes["transposed"][l + 1]
            shares["gradient"][l] = W * deltas[l]
            nodes["gradient"][l] = W.T @ deltas[l]
        return shares, nodes

    def rules(self):
        out = []
        for W in self.W:
            r = []
            for row in W:
                a, s = np.abs(row).sum(), row.sum()
                r.append("equal" if a == 0 else ("sum" if abs(s) >= TINY * a else "abs_sum"))
            out.append(r)
        return out


# ------------------------------------------------------------------ helpers
def close(got, want, what=""):
    """pynet nested lists vs numpy arrays (column vectors allowed)."""
    g = np.array(got, dtype=float)
    w = np.asarray(want, dtype=float).reshape(g.shape)
    assert np.allclose(g, w, rtol=RTOL, atol=ATOL), f"{what}: max diff {np.max(np.abs(g - w))}"


def random_net(rng, loss=None, out=None, bias=None, special_rows=False):
    if loss is None:
        loss, out = rng.choice(PAIRS)
    depth = rng.randint(0, 3)
    sizes = [rng.randint(1, 5)] + [rng.randint(1, 6) for _ in range(depth)] + \
            [rng.randint(2 if out == "softmax" else 1, 4)]
    acts = [rng.choice(HIDDEN) for _ in range(depth)]
    net = pynet.Network(sizes, activation=acts, output_activation=out, loss=loss,
                        bias=rng.random() < 0.7 if bias is None else bias,
                        learning_rate=rng.uniform(0.01, 0.3),
                        init=rng.choice(["course", "xavier", "uniform"]), seed=rng.random())
    for w in net.weights:
        for row in w:
            row[:] = [rng.uniform(-1.2, 1.2) for _ in row]
            if special_rows and len(row) > 1 and rng.random() < 0.3:
                kind = rng.choice(["zero", "cancel"])
                if kind == "zero":
                    row[:] = [0.0] * len(row)
                else:   # sum ~ 0: abs_sum rule
                    row[-1] = -sum(row[:-1]) + rng.uniform(-1e-4, 1e-4)
    if net.bias:
        net.biases = [[rng.uniform(-0.5, 0.5) for _ in b] for b in net.biases]
    return net


def random_data(rng, net, n):
    X = [[rng.uniform(-1, 1) for _ in range(net.layers[0])] for _ in range(n)]
    T = []
    for _ in range(n):
        t = [rng.uniform(0, 1) for _ in range(net.layers[-1])]
        if net.output_activation == "tanh":
            t = [2 * v - 1 for v in t]
        elif net.output_activation == "linear":
            t = [3 * v - 1.5 for v in t]
        elif net.output_activation == "softmax" and rng.random() < 0.7:
            s = sum(t)
            t = [v / s for v in t]          # a distribution (the usual case)
        T.append(t)
    return X, T


def stable(ref, *values):
    """A random network may genuinely diverge (linear layers, large η): such
    examples test nothing here (divergence has its own tests)."""
    with np.errstate(all="ignore"):
        params = [float(np.max(np.abs(W))) for W in ref.W] + [float(np.max(np.abs(b))) for b in ref.b]
    return all(np.isfinite(v) and abs(v) < 1e6 for v in list(values) + params)


def check_weights(net, ref, what):
    for l, (w, W) in enumerate(zip(net.weights, ref.W)):
        close(w, W, f"{what} weights[{l}]")
    for l, (b, B) in enumerate(zip(net.biases, ref.b)):
        close(b, B, f"{what} biases[{l}]")


# -------------------------------------------------------------------- tests
def test_reference_reproduces_the_notes_vector():
    """The reference itself is right: the notes' 2-2-2 example."""
    net = pynet.Network([2, 2, 2], bias=False, learning_rate=0.5)
    ref = Ref(net)
    ref.W = [np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])]
    _, dW, _, e, _, _ = ref.backward([0.05, 0.10], [0.01, 0.99])
    assert np.isclose(e, 0.24251985734837728, rtol=1e-14, atol=0)
    close(dW[1], [[0.07215707291213626, 0.07269074519194478],
                  [-0.04245525009260471, -0.04276924828006376]])
    close(dW[0], [[0.0001882556669401121, 0.0003765113338802242],
                  [0.0002248134625761188, 0.0004496269251522376]])
    ref.step([[0.05, 0.10]], [[0.01, 0.99]])
    assert np.isclose(ref.mean_loss([[0.05, 0.10]], [[0.01, 0.99]]), 0.23549537787349017,
                      rtol=1e-14, atol=0)


@pytest.mark.parametrize("loss,out", PAIRS)
def test_reference_agrees_with_finite_differences(loss, out):
    rng = random.Random(f"fd-{loss}-{out}")
    net = random_net(rng, loss, out, bias=True)
    net.activation = [a if a != "relu" else "tanh" for a in net.activation]
    ref = Ref(net)
    x, t = (v[0] for v in random_data(rng, net, 1))
    _, dW, _, _, _, _ = ref.backward(x, t)
    h = 1e-6
    for l, W in enumerate(ref.W):
        for k in range(W.shape[0]):
            for j in range(W.shape[1]):
                keep = W[k, j]
                W[k, j] = keep + h
                up = ref.backward(x, t)[3]
                W[k, j] = keep - h
                down = ref.backward(x, t)[3]
                W[k, j] = keep
                assert abs((up - down) / (2 * h) - dW[l][k, j]) < 1e-7


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_forward_gradients_and_loss(seed):
    rng = random.Random(seed)
    net = random_net(rng)
    ref = Ref(net)
    X, T = random_data(rng, net, 4)
    for x, t in zip(X, T):
        _deltas, dW, db, _e, zs, As = ref.backward(x, t)
        pz, pa = net.forward(x)
        assert pz[0] is None
        for l in range(1, len(As)):
            close(pz[l], zs[l], "z")
            close(pa[l], As[l], "a")
        close(net.run(x), As[-1], "run")
        gW, gb = net.gradients(x, t)
        for l in range(len(dW)):
            close(gW[l], dW[l], f"dW[{l}]")
            close(gb[l], db[l], f"db[{l}]")
    assert np.isclose(net.loss(X, T), ref.mean_loss(X, T), rtol=RTOL, atol=ATOL)
    close(net.predict(X), [ref.forward(x)[1][-1].ravel() for x in X], "predict")


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_online_train(seed):
    rng = random.Random(seed)
    net = random_net(rng)
    ref = Ref(net)
    X, T = random_data(rng, net, 6)
    with np.errstate(all="ignore"):
        want = [ref.step([x], [t]) for x, t in zip(X, T)]
    assume(stable(ref, *want))
    got = [net.train(x, t) for x, t in zip(X, T)]
    close(got, want, "losses")
    check_weights(net, ref, "train")


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_train_batch_mean_gradient(seed):
    rng = random.Random(seed)
    net = random_net(rng)
    ref = Ref(net)
    batches = [random_data(rng, net, rng.randint(1, 7)) for _ in range(3)]
    with np.errstate(all="ignore"):
        want = [ref.step(X, T) for X, T in batches]
    assume(stable(ref, *want))
    close([net.train_batch(X, T) for X, T in batches], want, "losses")
    check_weights(net, ref, "train_batch")


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), batch_size=st.integers(1, 9),
       reg=st.sampled_from(["none", "l1", "l2", "both"]))
def test_fit_without_shuffle(seed, batch_size, reg):
    rng = random.Random(seed)
    net = random_net(rng)
    ref = Ref(net)
    X, T = random_data(rng, net, rng.randint(1, 12))
    l1 = rng.uniform(1e-3, 0.05) if reg in ("l1", "both") else 0.0
    l2 = rng.uniform(1e-3, 0.05) if reg in ("l2", "both") else 0.0
    epochs = rng.randint(1, 3)
    with np.errstate(all="ignore"):
        want = ref.fit(X, T, epochs, batch_size, l1, l2)
    assume(stable(ref, *want))
    history = net.fit(X, T, epochs=epochs, batch_size=batch_size, shuffle=False, l1=l1, l2=l2)
    assert len(history) == epochs
    close(history, want, "history")
    check_weights(net, ref, "fit")


@pytest.mark.parametrize("loss,out", PAIRS)
def test_fit_larger_network_each_loss(loss, out):
    """Bigger shapes (the kind a fast path would specialise on) for each loss."""
    rng = random.Random(f"big-{loss}-{out}")
    net = pynet.Network([6, 8, 5, 3], activation=["tanh", "relu"], output_activation=out,
                        loss=loss, learning_rate=0.1, seed=5)
    ref = Ref(net)
    X, T = random_data(rng, net, 23)
    for bs in (1, 4, 23):
        h = net.fit(X, T, epochs=2, batch_size=bs, shuffle=False, l2=1e-3)
        close(h, ref.fit(X, T, 2, bs, 0.0, 1e-3), f"history bs={bs}")
        check_weights(net, ref, f"fit bs={bs}")


def _check_trace(tr, net, ref, X, T):
    n = len(X)
    per = [ref.backward(x, t) for x, t in zip(X, T)]
    shares = [ref.shares(x, t) for x, t in zip(X, T)]
    L = len(ref.W)
    assert tr.samples == n
    assert tr.layers == net.layers and tr.loss_name == net.loss_name
    assert tr.learning_rate == net.learning_rate
    mean = lambda arrays: sum(arrays) / n
    close(tr.inputs, mean([np.array(x, dtype=float) for x in X]), "inputs")
    close(tr.targets, mean([np.array(t, dtype=float) for t in T]), "targets")
    close(tr.errors, mean([np.array(t).reshape(-1, 1) - p[5][-1] for t, p in zip(T, per)]),
          "errors")
    assert tr.net_inputs[0] is None
    for l in range(1, L + 1):
        close(tr.net_inputs[l], mean([p[4][l] for p in per]), f"net_inputs[{l}]")
        close(tr.activations[l], mean([p[5][l] for p in per]), f"activations[{l}]")
    assert np.isclose(tr.loss, mean([p[3] for p in per]), rtol=RTOL, atol=ATOL)
    for l in range(L):
        close(tr.deltas[l], mean([p[0][l] for p in per]), f"deltas[{l}]")
        gw = mean([p[1][l] for p in per])
        gb = mean([p[2][l] for p in per])
        close(tr.grad_weights[l], gw, f"grad_weights[{l}]")
        close(tr.grad_biases[l], gb, f"grad_biases[{l}]")
        close(tr.updates[l], -net.learning_rate * gw, f"updates[{l}]")
        close(tr.bias_updates[l], -net.learning_rate * gb, f"bias_updates[{l}]")
    for kind in ("proportional", "transposed", "gradient"):
        for l in range(L):
            close(tr.shares[kind][l], mean([s[0][kind][l] for s in shares]), f"{kind} shares[{l}]")
        for l in range(L + 1):
            close(tr.node_errors[kind][l], mean([s[1][kind][l] for s in shares]),
                  f"{kind} node_errors[{l}]")
    assert tr.share_rules == ref.rules()
    after = Ref(net)
    after.step(X, T)
    assert np.isclose(tr.loss_after, after.mean_loss(X, T), rtol=RTOL, atol=ATOL)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_trace_single_sample(seed):
    rng = random.Random(seed)
    net = random_net(rng, special_rows=True)
    X, T = random_data(rng, net, 1)
    before = json.dumps(net.to_dict())
    tr = net.backprop(X[0], T[0])
    assert json.dumps(net.to_dict()) == before          # computed, not applied
    _check_trace(tr, net, Ref(net), X, T)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 6))
def test_trace_batch_is_per_sample_mean(seed, n):
    rng = random.Random(seed)
    net = random_net(rng, special_rows=True)
    X, T = random_data(rng, net, n)
    before = json.dumps(net.to_dict())
    tr = net.backprop_batch(X, T)
    assert json.dumps(net.to_dict()) == before
    _check_trace(tr, net, Ref(net), X, T)
    # and the trace's update is exactly the train_batch step
    ref = Ref(net)
    ref.step(X, T)
    net.train_batch(X, T)
    check_weights(net, ref, "train_batch after trace")


def test_special_share_rules_are_exercised():
    """The random networks above do hit every rule (else the test is weak)."""
    seen = set()
    for seed in range(200):
        net = random_net(random.Random(seed), special_rows=True)
        seen.update(r for layer in Ref(net).rules() for r in layer)
    assert seen == {"sum", "abs_sum", "equal"}


def test_softmax_squared_uses_the_full_jacobian():
    """δ for softmax + squared error is J^T (o − t), not (o − t) ⊙ diag(J)."""
    net = pynet.Network([2, 3], output_activation="softmax", loss="squared", seed=1)
    ref = Ref(net)
    x, t = [0.3, -0.8], [0.2, 0.7, 0.1]
    deltas, _, _, _, zs, As = ref.backward(x, t)
    diag_only = (As[-1] - np.array(t).reshape(-1, 1)) * np.diag(jacobian("softmax", zs[-1])).reshape(-1, 1)
    assert not np.allclose(deltas[-1], diag_only, rtol=1e-3, atol=0)
    close(net.backprop(x, t).deltas[-1], deltas[-1], "softmax delta")


# ----------------------------------------------- the course's class, in numpy
def course_train(mats, x, t, lr, bias, mode):
    """The python-course.eu ``train`` written with its own matrices (bias node
    value ``bias`` appended to every layer's input, weights with an extra
    last column). mode "course": as the course's code, raw errors Wᵀe sent
    back through the weights *after* this layer's step; mode "gradient":
    Wᵀδ through the weights before the step (exact backprop). (The course's
    code verbatim: tests/reference/test_course_numpy.py.)"""
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))
    ins, outs = [], []
    a = np.array(x, dtype=float).reshape(-1, 1)
    for W in mats:
        a_in = np.vstack([a, [[bias]]]) if bias is not None else a
        ins.append(a_in)
        a = sig(W @ a_in)
        outs.append(a)
    err = np.array(t, dtype=float).reshape(-1, 1) - a
    new = [W.copy() for W in mats]
    for l in range(len(mats) - 1, -1, -1):
        o = outs[l]
        tmp = err * o * (1.0 - o)
        new[l] = mats[l] + lr * tmp @ ins[l].T
        sent = new[l] if mode == "course" else mats[l]
        W = sent[:, :-1] if bias is not None else sent   # the bias node gets no error
        err = W.T @ (err if mode == "course" else tmp)
    return new


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["course", "gradient"]),
       bias=st.sampled_from([None, 1.0, 0.5, -2.0]))
def test_course_class_against_the_course_code(seed, mode, bias):
    rng = random.Random(seed)
    structure = [rng.randint(1, 5)] + [rng.randint(1, 6) for _ in range(rng.randint(1, 3))] + \
                [rng.randint(1, 4)]
    lr = rng.uniform(0.05, 1.0)
    nn = pynet.NeuralNetwork(network_structure=structure, learning_rate=lr, bias=bias,
                             mode=mode, seed=seed)
    mats = [np.array(m) for m in nn.weights_matrices]
    for _ in range(5):
        x = [rng.uniform(-1, 1) for _ in range(structure[0])]
        t = [rng.uniform(0.01, 0.99) for _ in range(structure[-1])]
        loss = nn.train(x, t)
        a = np.array(x).reshape(-1, 1)
        for W in mats:
            a = 1 / (1 + np.exp(-(W @ (np.vstack([a, [[bias]]]) if bias is not None else a))))
        assert np.isclose(loss, 0.5 * float(np.sum((np.array(t).reshape(-1, 1) - a) ** 2)),
                          rtol=RTOL, atol=ATOL)
        mats = course_train(mats, x, t, lr, bias, mode)
        for got, want in zip(nn.weights_matrices, mats):
            close(got, want, f"{mode} bias={bias}")
