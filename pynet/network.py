"""The reference network: plain lists, one loop per formula.

This is the implementation learners read. ``fit`` may hand whole epochs to
a shape-specialised fast path (``pynet.fast``); tests prove both agree to
1e-12 on random networks.

Notation (the course's, destination first):

    a[0] = x                                    node layer 0 = the inputs
    z[l+1]_k = b[l]_k + Σ_j w[l]_kj a[l]_j       net input of node k of node layer l+1
    a[l+1]_k = f_l(z[l+1]_k)
    δ[l]_k  = ∂E/∂z[l+1]_k                       "deltas" of weight layer l
      output:  δ = ∂E/∂o ⊙ f'(z)                  (see losses.output_delta)
      hidden:  δ[l-1]_j = f'(z[l]_j) Σ_k w[l]_kj δ[l]_k
    ∂E/∂w[l]_kj = δ[l]_k a[l]_j,   ∂E/∂b[l]_k = δ[l]_k
    w ← w − η ∂E/∂w   (all gradients from the pre-update weights)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from . import activations as act
from . import initializers, losses, passes
from . import validate as check
from .errors import DivergedError
from .passes import propagate
from .trace import build as build_trace

FORMAT = "pynet.Network"
FORMAT_VERSION = 1

Matrix = list[list[float]]


class Network:
    """A fully connected feed-forward network.

    Arguments:
        layers: node counts per layer, inputs first, e.g. ``[2, 4, 2, 1]``.
        activation: hidden activation, one name for all hidden layers or a list
            with one name per hidden layer: ``sigmoid``, ``tanh``, ``relu``, ``linear``.
            With no hidden layer (``layers`` of length 2) a single name is the
            output's activation, so ``Network([4, 2], activation="linear")`` is
            linear (unless ``output_activation`` is given; relu, which is not an
            output activation, is refused there). A list must still have one
            name per hidden layer, so it is ``[]`` then.
        output_activation: ``sigmoid``, ``tanh``, ``linear`` or ``softmax``;
            ``None`` = the same as the (last) hidden activation (``sigmoid`` if
            that is relu), or the single ``activation`` name when there is no
            hidden layer, or ``sigmoid`` when that is a list.
        loss: ``squared`` (E = ½ Σ (t − o)²) or ``cross_entropy`` (sigmoid or
            softmax output only).
        bias: whether every non-input node has a trainable bias. Without one,
            ``biases`` are fixed zeros and their gradients are reported as 0.
        learning_rate: η > 0 in w ← w − η ∂E/∂w.
        init: ``course``, ``xavier`` or ``uniform`` (see ``pynet.initializers``).
        seed: any int/str for ``random.Random``; the network's own generator
            draws the initial weights and the shuffling in ``fit``.

    Attributes ``weights[l][k][j]`` (from node j of layer l into node k of
    layer l + 1) and ``biases[l][k]`` are plain lists of floats. Assigning
    ``weights``/``biases`` checks the shape and the values (a copy is stored);
    rows edited in place are checked whenever the network is used, so a wrong
    shape or a non-finite value raises an error naming ``weights[l][k]``
    instead of giving silently wrong outputs.
    """

    def __init__(self, layers: Sequence[int], activation: str | Sequence[str] = "sigmoid",
                 output_activation: str | None = None, loss: str = "squared",
                 bias: bool = True, learning_rate: float = 0.1, init: str = "course",
                 seed: Any = None) -> None:
        self._configure(layers, activation, output_activation, loss, bias, learning_rate,
                        init, seed)
        self._draw_initial_weights()

    def _configure(self, layers: Sequence[int], activation: str | Sequence[str],
                   output_activation: str | None, loss: str, bias: bool,
                   learning_rate: float, init: str, seed: Any) -> None:
        """Check and store every setting and seed the generator (no weights yet)."""
        sizes = _check_layers(layers)
        hidden = _check_hidden(activation, len(sizes) - 2)
        if output_activation is None:
            if len(sizes) == 2 and isinstance(activation, str):
                # no hidden layer: the one activation the caller named is the output's
                if activation not in act.OUTPUT:
                    raise ValueError(f"activation: {activation!r} cannot be the output "
                                     f"activation of a network without hidden layers "
                                     f"(expected one of {', '.join(act.OUTPUT)})")
                output_activation = activation
            else:
                default = hidden[-1] if hidden else "sigmoid"
                output_activation = "sigmoid" if default == "relu" else default
        check.choice(output_activation, act.OUTPUT, "output_activation")
        check.choice(loss, losses.NAMES, "loss")
        if output_activation not in losses.SUPPORTED[loss]:
            raise ValueError(f"loss: {loss!r} needs a {' or '.join(losses.SUPPORTED[loss])} "
                             f"output_activation, got {output_activation!r}")
        if not isinstance(bias, bool):
            raise TypeError(f"bias: expected True or False, got {type(bias).__name__} "
                            f"{check._show(bias)}")
        check.choice(init, initializers.NAMES, "init")
        lr = _check_learning_rate(learning_rate)

        self.layers: list[int] = sizes
        self.activation: list[str] = hidden
        self.output_activation: str = output_activation
        self.loss_name: str = loss
        self.bias: bool = bias
        self._learning_rate = lr
        self.init: str = init
        try:
            self.rng = random.Random(seed)
        except TypeError:  # random's own message does not say which argument
            raise TypeError(f"seed: expected None, an int or a str, got "
                            f"{type(seed).__name__} {check._show(seed)}") from None
        self.seed = seed

    def _draw_initial_weights(self) -> None:
        self._weights: list[Matrix] = []
        self._biases: list[list[float]] = []
        for n_in, n_out in zip(self.layers, self.layers[1:]):
            w, b = initializers.layer(self.init, self.rng, n_in, n_out, self.bias)
            self._weights.append(w)
            self._biases.append(b)

    @property
    def weights(self) -> list[Matrix]:
        """``weights[l][k][j]`` = w_kj from node j of layer l into node k of
        layer l + 1; assigning checks shape and values and stores a copy."""
        return self._weights

    @weights.setter
    def weights(self, value: Any) -> None:
        self._weights = _check_weights(value, self.layers, "weights")

    @property
    def biases(self) -> list[list[float]]:
        """``biases[l][k]`` of node k of layer l + 1 (all 0 when ``bias`` is False);
        assigning checks shape and values and stores a copy."""
        return self._biases

    @biases.setter
    def biases(self, value: Any) -> None:
        self._biases = _check_biases(value, self.layers, self.bias, "biases")

    def _check_params(self) -> None:
        """Raise if ``weights``/``biases`` were edited in place into a wrong
        shape or a non-finite value (fast C-level scan; the precise checks
        only run to word the message)."""
        W, B, sizes = self._weights, self._biases, self.layers
        try:
            ok = len(W) == len(B) == len(sizes) - 1
            for l in range(len(sizes) - 1) if ok else ():
                w, b, n_in = W[l], B[l], sizes[l]
                # lists only: the fast path writes rows back in place (row[:] = ...)
                if type(w) is not list or type(b) is not list or len(w) != sizes[l + 1] \
                        or len(b) != sizes[l + 1] or not all(map(math.isfinite, b)) \
                        or (not self.bias and any(b)):
                    ok = False
                    break
                for row in w:
                    if type(row) is not list or len(row) != n_in \
                            or not all(map(math.isfinite, row)):
                        ok = False
                        break
                if not ok:
                    break
        except (TypeError, OverflowError):
            ok = False
        if not ok:
            _check_weights(W, sizes, "weights")
            _check_biases(B, sizes, self.bias, "biases")

    @property
    def learning_rate(self) -> float:
        """η in w ← w − η ∂E/∂w; assignable at any time (checked: a number > 0)."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = _check_learning_rate(value)

    # ------------------------------------------------------------------ shape
    @property
    def layer_activations(self) -> list[str]:
        """Activation of each weight layer's destination nodes (hidden…, output)."""
        return self.activation + [self.output_activation]

    def __repr__(self) -> str:
        return (f"Network({self.layers}, activation={self.activation}, "
                f"output_activation={self.output_activation!r}, loss={self.loss_name!r}, "
                f"learning_rate={self.learning_rate})")

    # ---------------------------------------------------------------- forward
    def _forward(self, x: list[float]) -> tuple[list[list[float] | None], list[list[float]]]:
        return propagate(self.weights, self.biases, self.layer_activations, x)

    def forward(self, x: Sequence[float]) -> tuple[list[list[float] | None], list[list[float]]]:
        """``(net_inputs, activations)`` of every node layer for input ``x``.

        ``activations[0]`` is x itself; ``net_inputs[0]`` is ``None`` (inputs
        have no net input); ``activations[-1]`` is the output.
        """
        self._check_params()
        return self._forward(check.vector(x, self.layers[0], "x"))

    def run(self, x: Sequence[float]) -> list[float]:
        """The output vector for one input vector ``x`` (length ``layers[0]``)."""
        self._check_params()
        return self._forward(check.vector(x, self.layers[0], "x"))[1][-1]

    def predict(self, X: Sequence[Sequence[float]]) -> list[list[float]]:
        """Outputs for every row of ``X``."""
        self._check_params()
        rows = check.matrix(X, self.layers[0], "X")
        return [self._forward(x)[1][-1] for x in rows]

    # --------------------------------------------------------------- backward
    def _sample_loss(self, zs: list, acts: list, t: list[float]) -> float:
        """E for one sample from its forward pass (``zs``, ``acts``)."""
        return losses.loss(self.loss_name, self.output_activation, zs[-1], acts[-1], t)

    def _deltas(self, zs: list, acts: list, t: list[float]) -> list[list[float]]:
        """δ for every weight layer, from the output back (see module docstring)."""
        return passes.deltas(self.weights, self.layers, self.activation, self.loss_name,
                             self.output_activation, zs, acts, t)

    def _gradients(self, x: list[float], t: list[float]) -> tuple[list[Matrix], list[list[float]], float]:
        zs, acts = self._forward(x)
        deltas = self._deltas(zs, acts, t)
        dW = [[[dk * aj for aj in acts[l]] for dk in d] for l, d in enumerate(deltas)]
        db = [list(d) if self.bias else [0.0] * len(d) for d in deltas]
        return dW, db, self._sample_loss(zs, acts, t)

    def _targets(self, t: Any, name: str = "t") -> list[float]:
        tv = check.vector(t, self.layers[-1], name)
        if self.loss_name == "cross_entropy":
            for i, v in enumerate(tv):
                if not 0.0 <= v <= 1.0:
                    raise ValueError(f"{name}[{i}]: cross-entropy needs targets in [0, 1], got {v}")
        return tv

    def _target_rows(self, T: Any, n: int) -> list[list[float]]:
        if isinstance(T, (str, bytes)) or not hasattr(T, "__len__"):
            raise TypeError(f"T: expected a sequence of target vectors, got {type(T).__name__}")
        if len(T) != n:
            raise ValueError(f"T: expected {n} target vectors (one per row of X), got {len(T)}")
        return [self._targets(t, f"T[{i}]") for i, t in enumerate(T)]

    def gradients(self, x: Sequence[float], t: Sequence[float]) -> tuple[list[Matrix], list[list[float]]]:
        """Exact ``(dW, db)`` = (∂E/∂w, ∂E/∂b) for one sample, shaped like
        ``weights``/``biases``."""
        self._check_params()
        dW, db, _ = self._gradients(check.vector(x, self.layers[0], "x"), self._targets(t))
        return dW, db

    def loss(self, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]]) -> float:
        """Mean per-sample loss E over the rows of ``X`` with targets ``T``."""
        self._check_params()
        rows = check.matrix(X, self.layers[0], "X")
        targets = self._target_rows(T, len(rows))
        total = 0.0
        for x, t in zip(rows, targets):
            zs, acts = self._forward(x)
            total += self._sample_loss(zs, acts, t)
        return total / len(rows)

    # --------------------------------------------------------------- training
    def _step(self, X: list[list[float]], T: list[list[float]], lr: float,
              l1: float = 0.0, l2: float = 0.0) -> float:
        """One step on the mean gradient of the batch (X, T); returns the mean
        loss before it. All gradients use the pre-update weights; the new
        weights are checked before any is stored, so a diverging step changes
        nothing and raises ``DivergedError``."""
        n = len(X)
        gW = [[[0.0] * len(row) for row in w] for w in self.weights]
        gb = [[0.0] * len(b) for b in self.biases]
        total = 0.0
        for x, t in zip(X, T):
            dW, db, e = self._gradients(x, t)
            total += e
            for gWl, dWl in zip(gW, dW):
                for grow, drow in zip(gWl, dWl):
                    for j, v in enumerate(drow):
                        grow[j] += v
            for gbl, dbl in zip(gb, db):
                for k, v in enumerate(dbl):
                    gbl[k] += v
        mean_loss = total / n
        _check_loss(mean_loss)
        # Δw = −η (mean ∂E/∂w + l1·sign(w) + l2·w)
        new_w = [[[wkj - lr * (g / n + l1 * _sign(wkj) + l2 * wkj)
                   for wkj, g in zip(row, grow)] for row, grow in zip(w, gl)]
                 for w, gl in zip(self.weights, gW)]
        # (without biases db is 0, so every b stays the 0.0 it is)
        new_b = [[bk - lr * g / n for bk, g in zip(b, gbl)] for b, gbl in zip(self.biases, gb)]
        self._commit(new_w, new_b, mean_loss)
        return mean_loss

    def _commit(self, new_w: list[Matrix], new_b: list[list[float]], loss: float) -> None:
        """Store a step's new weights and biases, in place (users may hold row
        references), unless one is not finite: then raise ``DivergedError``
        and change nothing."""
        check_sum = 0.0
        for layer in new_w:
            for row in layer:
                for v in row:
                    check_sum += v
        for b in new_b:
            for v in b:
                check_sum += v
        # NaN and ±inf propagate through the sum; a sum of finite values that
        # overflows (two weights of 1e308) is told apart by looking at each
        if not math.isfinite(check_sum) and not _all_finite(new_w, new_b):
            raise DivergedError("a weight became non-finite in this step (lower the "
                                "learning rate); the step was not applied", loss=loss, step=1)
        for w, rows in zip(self._weights, new_w):
            for row, new in zip(w, rows):
                row[:] = new
        for b, nb in zip(self._biases, new_b):
            b[:] = nb

    def train(self, x: Sequence[float], t: Sequence[float]) -> float:
        """One online SGD step on sample (x, t); returns the loss before it."""
        self._check_params()
        return self._step([check.vector(x, self.layers[0], "x")], [self._targets(t)],
                          self.learning_rate)

    def train_batch(self, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]]) -> float:
        """One step on the mean gradient of the batch; returns the mean loss before it."""
        self._check_params()
        rows = check.matrix(X, self.layers[0], "X")
        return self._step(rows, self._target_rows(T, len(rows)), self.learning_rate)

    def fit(self, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]], epochs: int = 1,
            batch_size: int = 1, shuffle: bool = True, l1: float = 0.0, l2: float = 0.0,
            callback: Callable[[int, float], Any] | None = None) -> list[float]:
        """Train for ``epochs`` passes over ``X``, stepping on the mean gradient
        of every ``batch_size`` consecutive samples (the last batch may be
        smaller); ``shuffle`` reorders the samples each epoch with the
        network's own generator. ``l1``/``l2`` add l1·Σ|w| + ½·l2·Σw² to the
        loss (weights only, not biases).

        Returns the history: per epoch, the mean of the per-step mean losses
        measured before each step (weighted by batch size, so it is the mean
        per-sample loss seen during the epoch). ``callback(epoch, loss)`` runs
        after each epoch (1-based); if it returns ``False`` training stops.
        """
        self._check_params()
        rows = check.matrix(X, self.layers[0], "X")
        targets = self._target_rows(T, len(rows))
        epochs = check.positive_int(epochs, "epochs")
        batch_size = check.positive_int(batch_size, "batch_size")
        l1 = check.non_negative(l1, "l1")
        l2 = check.non_negative(l2, "l2")
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle: expected True or False, got {check._show(shuffle)}")
        if callback is not None and not callable(callback):
            raise TypeError(f"callback: expected a function (epoch, loss), "
                            f"got {check._show(callback)}")
        from . import fast  # the same steps as _step, in code generated for this shape
        history: list[float] = []
        order = list(range(len(rows)))
        steps_per_epoch = -(-len(rows) // batch_size)
        for epoch in range(1, epochs + 1):
            if shuffle:
                fast.shuffle(self.rng, order)   # = self.rng.shuffle(order), faster
            try:
                loss = fast.epoch(self, rows, targets, order, batch_size, l1, l2)
            except DivergedError as exc:
                exc.epoch = epoch
                assert exc.step is not None   # fast.epoch names the step that failed
                exc.step = (epoch - 1) * steps_per_epoch + exc.step   # fast.epoch's is 1-based
                exc.args = (f"epoch {epoch}, step {exc.step}: {exc.args[0]}",)
                raise
            history.append(loss)
            if callback is not None and callback(epoch, loss) is False:
                break
        return history

    # ------------------------------------------------------------------ trace
    def backprop(self, x: Sequence[float], t: Sequence[float]):
        """One step computed but not applied, with everything a viewer needs
        (see ``pynet.trace.Trace``)."""
        self._check_params()
        return build_trace(self, [check.vector(x, self.layers[0], "x")], [self._targets(t)])

    def backprop_batch(self, X: Sequence[Sequence[float]], T: Sequence[Sequence[float]]):
        """Like ``backprop`` for a batch: the step on the mean gradient, with
        every per-sample quantity averaged over the batch."""
        self._check_params()
        rows = check.matrix(X, self.layers[0], "X")
        return build_trace(self, rows, self._target_rows(T, len(rows)))

    # ---------------------------------------------------------- persistence
    def copy(self) -> Network:
        """An independent network with equal weights, settings and generator state."""
        other = Network.from_dict(self.to_dict())
        other.rng.setstate(self.rng.getstate())
        return other

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict; ``Network.from_dict`` restores it exactly (floats
        survive JSON because Python prints their shortest round-trip repr)."""
        self._check_params()
        return {
            "format": FORMAT, "version": FORMAT_VERSION,
            "layers": list(self.layers), "activation": list(self.activation),
            "output_activation": self.output_activation, "loss": self.loss_name,
            "bias": self.bias, "learning_rate": self.learning_rate, "init": self.init,
            "seed": self.seed if isinstance(self.seed, (int, str)) or self.seed is None else None,
            "weights": [[list(row) for row in w] for w in self.weights],
            "biases": [list(b) for b in self.biases],
        }

    @classmethod
    def from_dict(cls, d: Any) -> Network:
        """Rebuild a network from ``to_dict()`` output; a malformed dict raises
        ``ValueError``/``TypeError`` saying which field is wrong."""
        check_header(d)
        net = cls.__new__(cls)
        net._configure(d["layers"], d["activation"], d["output_activation"], d["loss"],
                       d["bias"], d["learning_rate"], d["init"], d.get("seed"))
        # Shapes and values before drawing the initial weights, which for a
        # large declared network (an untrusted dict) takes seconds.
        _check_weight_shapes(d["weights"], net.layers, "from_dict: 'weights'")
        _check_bias_shapes(d["biases"], net.layers, "from_dict: 'biases'")
        weights, biases = _weight_values(d["weights"]), _bias_values(d["biases"], net.bias)
        net._draw_initial_weights()   # so the generator is where the seed's network left it
        net._weights, net._biases = weights, biases
        return net


# ---------------------------------------------------------------- helpers
def check_header(d: Any) -> list[int]:
    """The checks ``from_dict`` makes before anything is built: a dict in this
    format and version with every field and a valid ``layers``, which is
    returned (so a reader such as the playground can check its own limits on
    the shape with the same messages, before the weights are looked at)."""
    if not isinstance(d, dict):
        raise TypeError(f"from_dict: expected a dict, got {type(d).__name__}")
    if d.get("format") != FORMAT:
        raise ValueError(f"from_dict: 'format' must be {FORMAT!r}, "
                         f"got {check._show(d.get('format'))}")
    if d.get("version") != FORMAT_VERSION:
        raise ValueError(f"from_dict: 'version' {check._show(d.get('version'))} is not "
                         f"supported (this pynet reads version {FORMAT_VERSION})")
    missing = [k for k in ("layers", "activation", "output_activation", "loss", "bias",
                           "learning_rate", "init", "weights", "biases") if k not in d]
    if missing:
        raise ValueError(f"from_dict: missing field(s) {', '.join(missing)}")
    return _check_layers(d["layers"])


def _check_loss(loss: float) -> None:
    """A non-finite loss before a step means the network has already diverged."""
    if not math.isfinite(loss):
        raise DivergedError(f"the loss is {loss} before this step: the network has "
                            "diverged (lower the learning rate)", loss=loss, step=1)


def _sign(v: float) -> float:
    return 1.0 if v > 0.0 else (-1.0 if v < 0.0 else 0.0)


def _check_layers(layers: Any) -> list[int]:
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__len__"):
        raise TypeError(f"layers: expected a list of layer sizes such as [2, 4, 1], got "
                        f"{type(layers).__name__} {check._show(layers)}")
    if len(layers) < 2:
        raise ValueError(f"layers: expected at least 2 sizes (inputs and outputs), got {check._show(list(layers))}")
    return [check.positive_int(n, f"layers[{i}]") for i, n in enumerate(layers)]


def _check_hidden(activation: Any, n_hidden: int) -> list[str]:
    if isinstance(activation, str):
        check.choice(activation, act.HIDDEN, "activation")
        return [activation] * n_hidden
    if not hasattr(activation, "__len__"):
        raise TypeError(f"activation: expected a name or a list of {n_hidden} names, got "
                        f"{type(activation).__name__}")
    names = list(activation)
    if len(names) != n_hidden:
        raise ValueError(f"activation: expected {n_hidden} names (one per hidden layer), "
                         f"got {len(names)}: {check._show(names)}")
    return [check.choice(a, act.HIDDEN, f"activation[{i}]") for i, a in enumerate(names)]


def _check_learning_rate(value: Any) -> float:
    lr = check.number(value, "learning_rate")
    if lr <= 0.0:
        raise ValueError(f"learning_rate: expected a number > 0, got {lr}")
    return lr


def _all_finite(new_w: list[Matrix], new_b: list[list[float]]) -> bool:
    return all(all(map(math.isfinite, row)) for w in new_w for row in w) \
        and all(all(map(math.isfinite, b)) for b in new_b)


def _check_weights(weights: Any, layers: list[int], what: str) -> list[Matrix]:
    """A checked copy of ``weights`` for ``layers``; ``what`` names the value
    in messages (``weights``, or ``from_dict: 'weights'``)."""
    _check_weight_shapes(weights, layers, what)
    return _weight_values(weights)


def _weight_values(weights: list) -> list[Matrix]:
    """A copy of correctly shaped ``weights`` as floats, each checked finite."""
    return [[check.vector(row, None, f"weights[{l}][{k}]") for k, row in enumerate(w)]
            for l, w in enumerate(weights)]


def _check_weight_shapes(weights: Any, layers: list[int], what: str) -> None:
    if not isinstance(weights, list) or len(weights) != len(layers) - 1:
        raise ValueError(f"{what} must be a list of {len(layers) - 1} matrices "
                         f"(one per weight layer), got {check._show(weights)}")
    for l, w in enumerate(weights):   # every shape before any value
        if not isinstance(w, list) or len(w) != layers[l + 1]:
            raise ValueError(f"weights[{l}]: expected {layers[l + 1]} rows (one per node of "
                             f"layer {l + 1}), got {check._show(w)}")
        for k, row in enumerate(w):
            if not isinstance(row, list) or len(row) != layers[l]:
                raise ValueError(f"weights[{l}][{k}]: expected a list of {layers[l]} numbers "
                                 f"(one per node of layer {l}), got {check._show(row)}")


def _check_bias_shapes(biases: Any, layers: list[int], what: str) -> None:
    if not isinstance(biases, list) or len(biases) != len(layers) - 1:
        raise ValueError(f"{what} must be a list of {len(layers) - 1} vectors "
                         f"(one per weight layer), got {check._show(biases)}")
    for l, b in enumerate(biases):
        if not isinstance(b, list) or len(b) != layers[l + 1]:
            raise ValueError(f"biases[{l}]: expected a list of {layers[l + 1]} numbers (one per "
                             f"node of layer {l + 1}), got {check._show(b)}")


def _check_biases(biases: Any, layers: list[int], bias: bool, what: str) -> list[list[float]]:
    _check_bias_shapes(biases, layers, what)
    return _bias_values(biases, bias)


def _bias_values(biases: list, bias: bool) -> list[list[float]]:
    """A copy of correctly shaped ``biases`` as floats, each checked finite
    (and 0 without ``bias``)."""
    out = [check.vector(b, None, f"biases[{l}]") for l, b in enumerate(biases)]
    if not bias:
        for l, b in enumerate(out):
            for k, v in enumerate(b):
                if v != 0.0:
                    raise ValueError(f"biases[{l}][{k}]: must be 0 because the network has "
                                     f"bias=False, got {v}")
    return out
