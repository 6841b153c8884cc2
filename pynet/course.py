"""The course's own class, ``NeuralNetwork``, for the learners who know it.

It keeps the python-course.eu interface (``wih``, ``who``, ``train``,
``run``, ``evaluate``, ``confusion_matrix``, ``precision``, ``recall``) and
runs on a ``pynet.Network`` (sigmoid everywhere, squared error, the course's
truncated-normal initialisation).

The course's bias is a *node* with a constant value c (its ``bias``
argument) appended to every layer's input, so its weight matrices carry one
extra last column w_kc. The network stores b_k = c · w_kc, and

    ∂E/∂w_kc = c δ_k,  so  Δb_k = c Δw_kc = −η c² δ_k.

Two update rules:

    mode="gradient" (default)  exact backprop: hidden error = Wᵀ δ from the
                               weights before the step (docs/chapter.md, note S7).
    mode="course"              exactly what the course's published ``train``
                               does (every version: ``wih``/``who`` and
                               ``weights_in_hidden``/``weights_hidden_out``, one
                               hidden layer or ``network_structure``), layer by
                               layer from the output back:

                                   tmp = e ⊙ o(1 − o)          (e = t − o at the output)
                                   W  += η tmp aᵀ              (a with the bias node c)
                                   e   = Wᵀ e                  from the *updated* W,
                                                               bias node's row cut off

    The course's rule is not the gradient of E, for two reasons: it sends back
    the raw error e instead of δ = −e ⊙ o(1 − o), and it sends it through the
    weights it has just changed (correct backprop uses the weights before the
    step in every layer). It fails a gradient check; on the notes' 2-2-2
    example its hidden step is 2.0 to 2.3 times the exact one (3.9 times if the
    raw error went back through the weights before the step).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import metrics
from . import validate as check
from .network import Network, _check_loss

MODES = ("gradient", "course")


class NeuralNetwork:
    """``NeuralNetwork(no_of_in_nodes, no_of_out_nodes, no_of_hidden_nodes,
    learning_rate, bias=None, mode="gradient")`` or
    ``NeuralNetwork(network_structure=[784, 80, 80, 10], learning_rate=0.1,
    bias=None)``.

    ``bias``: ``None`` for no bias, or the value of the course's bias node
    (usually 1). ``seed`` (an extra keyword) makes the weights reproducible.
    The underlying ``Network`` is ``self.network``.
    """

    def __init__(self, no_of_in_nodes: int | None = None, no_of_out_nodes: int | None = None,
                 no_of_hidden_nodes: int | None = None, learning_rate: float | None = None,
                 bias: float | None = None, mode: str = "gradient", *,
                 network_structure: Sequence[int] | None = None, seed: Any = None) -> None:
        if network_structure is not None:
            if any(v is not None for v in (no_of_in_nodes, no_of_out_nodes, no_of_hidden_nodes)):
                raise ValueError("network_structure: give either network_structure or the "
                                 "three node counts, not both")
            layers = list(network_structure)
        else:
            missing = [name for name, v in (("no_of_in_nodes", no_of_in_nodes),
                                            ("no_of_out_nodes", no_of_out_nodes),
                                            ("no_of_hidden_nodes", no_of_hidden_nodes))
                       if v is None]
            if missing:
                raise TypeError(f"NeuralNetwork: missing {', '.join(missing)} (or pass "
                                "network_structure=[...])")
            layers = [n for n in (no_of_in_nodes, no_of_hidden_nodes, no_of_out_nodes)
                      if n is not None]
        if learning_rate is None:
            raise TypeError("learning_rate: required, e.g. learning_rate=0.1")
        self.mode = check.choice(mode, MODES, "mode")
        if bias is not None:
            bias = check.number(bias, "bias")
            if bias == 0.0:
                raise ValueError("bias: a bias node of value 0 does nothing; use bias=None")
        self.bias = bias
        self.network = Network(layers, activation="sigmoid", output_activation="sigmoid",
                               loss="squared", bias=bias is not None,
                               learning_rate=learning_rate, init="course", seed=seed)
        if bias is not None:  # the drawn numbers are the bias column w_kc; b = c w_kc
            self.network.biases = [[bias * v for v in b] for b in self.network.biases]

    # -------------------------------------------------------------- course view
    @property
    def learning_rate(self) -> float:
        return self.network.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.network.learning_rate = value

    @property
    def structure(self) -> list[int]:
        return list(self.network.layers)

    @property
    def weights_matrices(self) -> list[list[list[float]]]:
        """The course's matrices, one per weight layer: rows = destination
        nodes, columns = source nodes (+ the bias column). A copy: assign a
        whole matrix (``wih = ...``) to change the network."""
        out = []
        for w, b in zip(self.network.weights, self.network.biases):
            if self.bias is None:
                out.append([list(row) for row in w])
            else:
                out.append([list(row) + [bk / self.bias] for row, bk in zip(w, b)])
        return out

    def _set_matrix(self, l: int, value: Any, name: str) -> None:
        n_in, n_out = self.network.layers[l], self.network.layers[l + 1]
        width = n_in + (0 if self.bias is None else 1)
        if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != n_out:
            raise ValueError(f"{name}: expected {n_out} rows of {width} numbers")
        rows = [check.vector(r, width, f"{name}[{k}]") for k, r in enumerate(value)]
        self.network.weights[l] = [r[:n_in] for r in rows]
        if self.bias is not None:
            self.network.biases[l] = [self.bias * r[n_in] for r in rows]

    def _two_layer(self, name: str) -> None:
        if len(self.network.layers) != 3:
            raise AttributeError(f"{name} exists for one hidden layer; this network has "
                                 f"structure {self.network.layers}: use weights_matrices")

    @property
    def wih(self) -> list[list[float]]:
        """Input → hidden weights, shape hidden × (in [+1 bias column])."""
        self._two_layer("wih")
        return self.weights_matrices[0]

    @wih.setter
    def wih(self, value: Any) -> None:
        self._two_layer("wih")
        self._set_matrix(0, value, "wih")

    @property
    def who(self) -> list[list[float]]:
        """Hidden → output weights, shape out × (hidden [+1 bias column])."""
        self._two_layer("who")
        return self.weights_matrices[1]

    @who.setter
    def who(self, value: Any) -> None:
        self._two_layer("who")
        self._set_matrix(1, value, "who")

    # ------------------------------------------------------------------ use
    def run(self, input_vector: Sequence[float]) -> list[float]:
        """The network's output for one input vector, as a list."""
        return self.network.run(input_vector)

    def train(self, input_vector: Sequence[float], target_vector: Sequence[float]) -> float:
        """One online step (exact or the course's rule, see ``mode``);
        returns the squared error E before the step."""
        net = self.network
        x = check.vector(input_vector, net.layers[0], "input_vector")
        t = net._targets(target_vector, "target_vector")
        net._check_params()
        zs, acts = net._forward(x)
        loss = net._sample_loss(zs, acts, t)
        _check_loss(loss)
        if self.mode == "gradient":
            deltas = net._deltas(zs, acts, t)
            c2 = 1.0 if self.bias is None else self.bias * self.bias
            lr = net.learning_rate
            # Δw_kj = −η δ_k a_j;  Δb_k = c Δw_kc = −η c² δ_k  (b = c w_kc)
            new_w = [[[w - lr * dk * aj for w, aj in zip(row, acts[l])] for row, dk in zip(wl, d)]
                     for l, (wl, d) in enumerate(zip(net.weights, deltas))]
            new_b = [[b - lr * c2 * dk for b, dk in zip(bl, d)] if self.bias is not None else bl
                     for bl, d in zip(net.biases, deltas)]
        else:
            new_w, new_b = self._course_step(acts, t)
        net._commit(new_w, new_b, loss)
        return loss

    def _course_step(self, acts: list[list[float]], t: list[float]) \
            -> tuple[list[list[list[float]]], list[list[float]]]:
        """The new weights and biases as the course's ``train`` computes them
        (see the module docstring), in its order of operations: per layer
        from the output back, ``tmp = e * o * (1 − o)``, ``W += η (tmp aᵀ)``,
        then ``e = Wᵀ e`` with the W just updated. The course's bias column
        w_kc (input c) moves by η tmp_k c; pynet stores b_k = c w_kc."""
        net = self.network
        lr, c = net.learning_rate, self.bias
        L = len(net.weights)
        new_w: list[list[list[float]]] = [[] for _ in range(L)]
        new_b: list[list[float]] = [[] for _ in range(L)]
        e = [tk - ok for tk, ok in zip(t, acts[-1])]
        for l in range(L - 1, -1, -1):
            o, a = acts[l + 1], acts[l]
            tmp = [ek * ok * (1.0 - ok) for ek, ok in zip(e, o)]
            new_w[l] = [[w + lr * (tk * aj) for w, aj in zip(row, a)]
                        for row, tk in zip(net.weights[l], tmp)]
            if c is None:
                new_b[l] = list(net.biases[l])
            else:
                new_b[l] = [c * (bk / c + lr * (tk * c)) for bk, tk in zip(net.biases[l], tmp)]
            # hidden errors from the UPDATED weights (the course adds the step
            # to W first); the bias node's row of Wᵀe is cut off: it has no inputs
            e = [sum(new_w[l][k][j] * e[k] for k in range(len(e))) for j in range(len(a))]
        return new_w, new_b

    def predict_label(self, input_vector: Sequence[float]) -> int:
        """The index of the largest output (the course's ``res.argmax()``)."""
        return metrics.argmax(self.run(input_vector))

    def evaluate(self, data: Sequence[Sequence[float]], labels: Sequence[int]) -> tuple[int, int]:
        """``(corrects, wrongs)``: how many samples the argmax output gets right."""
        cm = self.confusion_matrix(data, labels)
        corrects = sum(cm[i][i] for i in range(len(cm)))
        return corrects, len(data) - corrects

    def confusion_matrix(self, data: Sequence[Sequence[float]],
                         labels: Sequence[int]) -> list[list[int]]:
        """Counts with rows = actual label, columns = predicted label (the
        course's MNIST chapter has them the other way round, which swaps its
        precision and recall)."""
        if not hasattr(data, "__len__") or not hasattr(labels, "__len__") or len(data) != len(labels):
            raise ValueError("data, labels: expected two sequences of equal length")
        predicted = [self.predict_label(x) for x in data]
        return metrics.confusion_matrix(list(labels), predicted,
                                        classes=self.network.layers[-1])

    def precision(self, label: int, confusion_matrix: list[list[int]]) -> float:
        """Of the samples predicted as ``label``, the share that are ``label``."""
        return metrics.precision(label, confusion_matrix)

    def recall(self, label: int, confusion_matrix: list[list[int]]) -> float:
        """Of the samples that are ``label``, the share predicted as ``label``."""
        return metrics.recall(label, confusion_matrix)
