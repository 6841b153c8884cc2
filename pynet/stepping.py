"""The facade's fine-grained steps: one sample, one batch, the rest of an
epoch, a time-boxed slice of training, a trace preview, editing one weight,
and the two presets the page's animation uses. Mixed into
``pynet.facade.Facade`` (it reads ``self.net``, ``self.settings``,
``self.epoch``, ``self.train_x`` / ``self.train_t``, and ``op_state``).

The epoch cursor
----------------
Stepping works through the current epoch's order, a permutation of the
training samples drawn with the network's own generator (``fast.shuffle`` of
``range(n)``, exactly as ``Network.fit`` draws it), from position
``cursor``:

* ``step_sample`` trains the sample ``order[cursor]`` and moves the cursor by one;
* ``step_batch`` trains the next ``batch_size`` samples (fewer at the end of
  the epoch) as one step on their mean gradient;
* ``step_epoch`` trains the rest of the epoch in ``batch_size`` steps,
  starting at the cursor (so a whole epoch from cursor 0 is the same
  computation as ``{"op": "step", "n": 1}``).
* ``train_for`` trains whole batches from the cursor for about ``ms``
  milliseconds (the page's play loop). It honours the stop conditions as
  ``step`` does, at epoch ends: it trains nothing once ``max_epoch`` is
  reached, and ends its slice after the epoch that reaches ``max_epoch`` or
  whose loss -- the mean loss seen while the epoch's samples were trained,
  as ``step``'s ``history`` -- is at most ``target_loss``; it then answers
  ``stopped`` (``"max_epoch"`` / ``"target_loss"``, else ``null``).

When the cursor reaches the end, ``epoch`` goes up by one and the next step
draws a new order. The cursor belongs to one network and one epoch count:
an epoch step (``{"op": "step"}``), ``init``, ``set_state`` or a preset
starts the next fine step on a fresh order at cursor 0 (samples already
stepped in an unfinished epoch stay trained, but do not count as an epoch).

Every stepping op answers with the new snapshot (``op_state``), ``cursor``
(position in the epoch), ``epoch_size`` and ``trace`` (``Trace.to_dict()``
of the step *before* it was applied; its ``updates`` are exactly what was
added to the weights). ``kinds`` (a list) limits ``shares``/``node_errors``
to those share kinds, to keep a large network's answer small.
"""

from __future__ import annotations

import math
import random
import time
from typing import Any

from . import course_rule, fast, losses
from .errors import DivergedError
from .compare import CompareOps
from .network import Network
from .trace import KINDS, build, proportional_denominators
from .validate import _show

#: Largest |value| the page may set a weight to (bigger ones saturate every
#: activation and teach nothing).
WEIGHT_LIMIT = 1000.0
#: A traced step measures the losses over all points (``"losses": "auto"``)
#: while parameters × points is at most this (the default problem: 17 × 500 = 8,500;
#: over it: the 64-32-10 preset, 2,410 × 150 = 361,500, and digits).
STEP_LOSS_BUDGET = 100_000
#: The longest slice ``train_for`` accepts, in milliseconds.
SLICE_MS = (1.0, 1000.0)
PRESETS = ("chapter", "wide")

# The seed chapter's worked example (seed notes, "Test vectors"): two linear
# output nodes fed by four hidden outputs h. Row 1 of who is printed in the
# chapter; h and row 2 are ours, chosen so that o1 = 0.92 and o2 = 0.18 as in
# the chapter (its diagram with the rest is lost). Targets t = (1, 1).
CHAPTER_H = [1.0, 1.0, 0.8, 0.4]
CHAPTER_WHO = [[0.6, 0.1, 0.15, 0.25], [0.05, 0.05, 0.05, 0.1]]
CHAPTER_T = [1.0, 1.0]
CHAPTER_LEARNING_RATE = 0.1


class StepError(ValueError):
    """A stepping request is malformed (names the key)."""


def _kinds(req: dict[str, Any]) -> tuple[str, ...]:
    kinds = req.get("kinds", list(KINDS))
    if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
        raise StepError(f"kinds: expected a non-empty list of {', '.join(KINDS)}, got {_show(kinds)}")
    return tuple(k for k in KINDS if k in kinds)


def _losses_flag(req: dict[str, Any]) -> Any:
    """A stepping request's ``losses``: true, false or "auto" (checked before
    anything changes, the epoch's order included)."""
    flag = req.get("losses", "auto")
    if not (flag is True or flag is False or flag == "auto"):  # 1 == True: not a flag
        raise StepError(f"losses: expected true, false or \"auto\", got {_show(flag)}")
    return flag


def _index(value: Any, name: str, size: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise StepError(f"{name}: expected a whole number from 0 to {size - 1}, got {_show(value)}")
    return value


def traced(net: Network, X: list[list[float]], T: list[list[float]]) -> Any:
    """``trace.build`` plus ``denominators`` (the proportional divisors used)."""
    trace = build(net, X, T)
    trace.denominators = proportional_denominators(net.weights)[0]  # type: ignore[attr-defined]
    return trace


def trace_dict(trace: Any, kinds: tuple[str, ...]) -> dict[str, Any]:
    """``trace.to_dict()`` with ``shares``/``node_errors`` cut to ``kinds``,
    plus ``denominators``, and a non-finite ``loss_after`` (a diverging step)
    as None so it stays JSON."""
    d = trace.to_dict()
    # Σ_i w_ki per destination node, as the proportional shares divided by it
    # (the explain panel shows it; the page does no network math)
    d["denominators"] = getattr(trace, "denominators", None)
    # the rule that made ``updates`` (see StepOps._apply_traced)
    d["rule"] = getattr(trace, "rule", "exact")
    d["l1"], d["l2"] = getattr(trace, "penalties", (0.0, 0.0))
    d["shares"] = {k: d["shares"][k] for k in kinds}
    d["node_errors"] = {k: d["node_errors"][k] for k in kinds}
    if not math.isfinite(d["loss_after"]):
        d["loss_after"] = None
    return d


def share_magnitudes(trace: Any, kind: str) -> list[list[list[float]]]:
    """|share| per weight for one kind (the condensed animation's glow). For a
    batch trace the shares are already the batch means."""
    return [[[abs(v) for v in row] for row in layer] for layer in trace.shares[kind]]


class StepOps(CompareOps):
    """Fine-grained stepping ops for ``Facade`` (see the module docstring);
    ``op_compare`` comes from :class:`pynet.compare.CompareOps`."""

    net: Network | None
    settings: dict[str, Any] | None
    epoch: int
    train_x: list[list[float]]
    train_t: list[list[float]]
    test_x: list[list[float]]
    test_t: list[list[float]]

    _order: list[int] = []
    _cursor: int = 0
    _order_key: tuple[Any, int] | None = None
    # the loss seen while training the current epoch: ((net, epoch), sum, count)
    _seen: tuple[Any, float, int] = (None, 0.0, 0)
    stopped: str | None = None
    _preset: tuple[str, Any] | None = None

    @property
    def preset(self) -> str | None:
        """The preset that built the current network, or None (init and
        set_state build a new network, which ends the preset)."""
        if self._preset is not None and self._preset[1] is self.net:
            return self._preset[0]
        return None

    # ------------------------------------------------------------ the cursor
    def _order_now(self) -> list[int]:
        """The current epoch's order; a new one (cursor 0) whenever the network
        or the epoch count changed behind the cursor's back."""
        net = self._need_net()  # type: ignore[attr-defined]
        if self._order_key is None or self._order_key[0] is not net \
                or self._order_key[1] != self.epoch or self._cursor >= len(self._order):
            order = list(range(len(self.train_x)))
            fast.shuffle(net.rng, order)
            self._order, self._cursor = order, 0
            self._order_key = (net, self.epoch)
        return self._order

    def _advance(self, n: int) -> None:
        self._cursor += n
        if self._cursor >= len(self._order):
            self.epoch += 1
        assert self.net is not None
        self._order_key = (self.net, self.epoch)

    def _batch_size(self) -> int:
        return int((self.settings or {}).get("batch_size", 1))

    def _train_indices(self, indices: list[int], bs: int) -> None:
        """Train these samples in batches of ``bs`` with the settings' rule
        (``update``, ``l1``, ``l2``), as ``step`` does. A DivergedError rolls
        the whole call back (weights, biases, generator), so the cursor, the
        epoch and the weights still belong together."""
        net = self._need_net()  # type: ignore[attr-defined]
        s = self.settings or {}
        l1, l2 = float(s.get("l1", 0.0)), float(s.get("l2", 0.0))
        saved = self._snapshot()  # type: ignore[attr-defined]
        try:
            total = 0.0
            if s.get("update") == "course":
                for start in range(0, len(indices), bs):
                    batch = indices[start:start + bs]
                    total += len(batch) * course_rule.step(
                        net, [self.train_x[i] for i in batch], [self.train_t[i] for i in batch],
                        net.learning_rate, l1, l2)
            else:
                total = len(indices) * fast.epoch(net, self.train_x, self.train_t, indices, bs,
                                                  l1, l2)
        except DivergedError:
            self._restore(saved)  # type: ignore[attr-defined]
            raise
        self._note_seen(total, len(indices))

    def _note_seen(self, total: float, count: int) -> None:
        """Add ``count`` samples' summed loss (before their step) to the current epoch's."""
        net, key = self.net, self._seen[0]
        same = key is not None and key[0] is net and key[1] == self.epoch
        total0, count0 = (self._seen[1], self._seen[2]) if same else (0.0, 0)
        self._seen = ((net, self.epoch), total0 + total, count0 + count)

    def _stop_reason(self) -> str | None:
        """Why training must stop now (at an epoch end), as ``_fit`` decides:
        ``max_epoch`` reached, or the epoch just ended saw a mean loss at most
        ``target_loss``; else None."""
        s = self.settings or {}
        if s.get("max_epoch") and self.epoch >= s["max_epoch"]:
            return "max_epoch"
        key, total, count = self._seen
        if s.get("target_loss") and count and key is not None and key[0] is self.net \
                and key[1] == self.epoch - 1 and total / count <= s["target_loss"]:
            return "target_loss"
        return None

    def _apply_traced(self, indices: list[int]) -> Any:
        """Trace the step on these samples, apply it with the settings' rule
        and move the cursor past them.

        The trace's forward pass, errors, shares, deltas and gradients are
        always exact backprop's (what the animation explains). Its ``updates``
        are what this step really adds: with ``update = "exact"`` and no l1/l2
        exactly −η ∂E/∂w (applied as w + Δw); otherwise the settings' rule
        (the course's rule, or the penalties: Δw = −η (∂E/∂w + l1·sign(w) +
        l2·w)) is applied as ``play`` would and ``updates`` = new − old, so a
        traced step and a play step train the same network."""
        net = self.net
        assert net is not None
        trace = traced(net, [self.train_x[i] for i in indices], [self.train_t[i] for i in indices])
        s = self.settings or {}
        l1, l2 = float(s.get("l1", 0.0)), float(s.get("l2", 0.0))
        trace.rule = "course" if s.get("update") == "course" else "exact"  # type: ignore[attr-defined]
        trace.penalties = (l1, l2)  # type: ignore[attr-defined]
        if trace.rule == "exact" and not (l1 or l2):
            new_w = [[[w + u for w, u in zip(row, urow)] for row, urow in zip(wl, ul)]
                     for wl, ul in zip(net.weights, trace.updates)]
            new_b = [[b + u for b, u in zip(bl, ul)]
                     for bl, ul in zip(net.biases, trace.bias_updates)]
            net._commit(new_w, new_b, trace.loss)  # DivergedError (a ValueError) changes nothing
            self._note_seen(trace.loss * len(indices), len(indices))  # (below: _train_indices)
        else:
            old_w = [[list(row) for row in wl] for wl in net.weights]
            old_b = [list(bl) for bl in net.biases]
            self._train_indices(indices, len(indices))  # one step; rolls back on divergence
            trace.updates = [[[n - o for n, o in zip(nrow, orow)] for nrow, orow in zip(nl, ol)]
                             for nl, ol in zip(net.weights, old_w)]
            trace.bias_updates = [[n - o for n, o in zip(nl, ol)]
                                  for nl, ol in zip(net.biases, old_b)]
            trace.loss_after = net.loss([self.train_x[i] for i in indices],
                                        [self.train_t[i] for i in indices])
        self._advance(len(indices))
        return trace

    def _traced_step(self, indices: list[int], kinds: tuple[str, ...],
                     req: dict[str, Any]) -> dict[str, Any]:
        """One traced step, answered with the snapshot and the trace.

        ``"losses"``: true, false or ``"auto"`` (the default): measure the
        train and test losses (and accuracies) after the step. They cost a
        forward pass over every point, which on big data is far more than the
        step itself (digits: 1,797 passes of a 64-32-10 network for one
        sample), so ``auto`` measures only when parameters × points ≤
        ``STEP_LOSS_BUDGET`` or the step ends an epoch. ``losses_measured``
        says which; without them the answer has no loss or accuracy keys."""
        flag = _losses_flag(req)
        epoch = self.epoch
        trace = self._apply_traced(indices)
        if flag == "auto":
            net = self.net
            assert net is not None
            params = sum(len(w) * len(w[0]) + len(w) for w in net.weights)
            flag = (params * (len(self.train_x) + len(self.test_x)) <= STEP_LOSS_BUDGET
                    or self.epoch != epoch)
        out = self.op_state({"losses": flag})  # type: ignore[attr-defined]
        out.update(trace=trace_dict(trace, kinds), cursor=self._cursor % len(self._order),
                   epoch_size=len(self._order), preset=self.preset, losses_measured=flag)
        return out

    def _sample_info(self, i: int) -> dict[str, Any]:
        return {"index": i, "x": list(self.train_x[i]), "t": list(self.train_t[i])}

    # ------------------------------------------------------------ stepping ops
    def op_step_sample(self, req: dict[str, Any]) -> dict[str, Any]:
        kinds = _kinds(req)
        _losses_flag(req)
        order = self._order_now()
        i = order[self._cursor]
        out = self._traced_step([i], kinds, req)
        out["sample"] = self._sample_info(i)
        return out

    def op_step_batch(self, req: dict[str, Any]) -> dict[str, Any]:
        kinds = _kinds(req)
        _losses_flag(req)
        order = self._order_now()
        indices = order[self._cursor:self._cursor + self._batch_size()]
        out = self._traced_step(indices, kinds, req)
        out["batch"] = indices
        return out

    def op_step_epoch(self, req: dict[str, Any]) -> dict[str, Any]:
        """The rest of the epoch; the trace is that of its last batch."""
        kinds = _kinds(req)
        _losses_flag(req)
        order = self._order_now()
        bs = self._batch_size()
        rest = order[self._cursor:]
        last = ((len(rest) - 1) // bs) * bs  # start of the last batch within rest
        if last:
            self._train_indices(rest[:last], bs)
            self._cursor += last
        out = self._traced_step(rest[last:], kinds, req)
        out["batch"] = rest[last:]
        return out

    def op_train_for(self, req: dict[str, Any]) -> dict[str, Any]:
        """Whole batches from the cursor for about ``ms`` ms (at least one).
        Answers ``epoch``, ``cursor``, ``steps``, ``weights``, ``biases``;
        with ``"losses": true`` also ``train_loss``/``test_loss``; with
        ``"glow": kind`` also ``glow``, the batch-mean |share| of that kind on
        the last batch trained (traced before it was applied)."""
        ms = req.get("ms", 12)
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) \
                or not SLICE_MS[0] <= ms <= SLICE_MS[1]:
            raise StepError(f"ms: expected a number from {SLICE_MS[0]:g} to {SLICE_MS[1]:g}, "
                            f"got {_show(ms)}")
        glow_kind = req.get("glow")
        if glow_kind is not None and glow_kind not in KINDS:
            raise StepError(f"glow: expected one of {', '.join(KINDS)} or null, got {_show(glow_kind)}")
        net = self._need_net()  # type: ignore[attr-defined]
        bs = self._batch_size()
        deadline = time.perf_counter() + ms / 1000.0
        # A slice that diverges is undone as a whole, back to where it started:
        # its earlier chunks may have left finite but already exploding weights.
        start = (self._snapshot(), list(self._order), self._cursor,  # type: ignore[attr-defined]
                 self._order_key, self.epoch, self._seen)
        self.stopped = None
        s = self.settings or {}
        if s.get("max_epoch") and self.epoch >= s["max_epoch"]:
            self.stopped = "max_epoch"  # nothing to train: answer at once
            glow_kind = None
            steps = 0
        try:
            if self.stopped is None:
                steps = self._slice(deadline, bs)
        except DivergedError as exc:
            saved, self._order, self._cursor, self._order_key, self.epoch, self._seen = start
            self._restore(saved)  # type: ignore[attr-defined]
            lr = (self.settings or {}).get("learning_rate", net.learning_rate)
            raise DivergedError(f"training diverged ({exc}); the network is back where this "
                                f"slice started (epoch {self.epoch}): the learning_rate {lr:g} "
                                f"is probably too high for this problem",
                                epoch=exc.epoch, step=exc.step, loss=exc.loss) from exc
        glow = None
        if glow_kind is not None and self.stopped is None:  # one more step, traced, for the condensed animation
            order = self._order_now()
            indices = order[self._cursor:self._cursor + bs]
            trace = self._apply_traced(indices)
            glow = share_magnitudes(trace, glow_kind)
            steps += 1
            if self._cursor >= len(order):
                self.stopped = self._stop_reason()
        size = len(self._order)  # 0 when stopped before any order was drawn
        out: dict[str, Any] = {
            "epoch": self.epoch, "cursor": self._cursor % size if size else 0,
            "epoch_size": size or len(self.train_x), "steps": steps,
            "weights": [[list(row) for row in w] for w in net.weights],
            "biases": [list(b) for b in net.biases], "stopped": self.stopped,
        }
        if req.get("losses") or self.stopped:
            out.update(self._losses())  # type: ignore[attr-defined]
        if glow is not None:
            out["glow"] = glow
        return out

    def _slice(self, deadline: float, bs: int) -> int:
        """Whole batches from the cursor until ``deadline`` (at least one); the
        number of steps."""
        steps = 0
        chunk = 1  # batches per call, doubled while there is time
        while True:
            order = self._order_now()
            take = min(len(order) - self._cursor, chunk * bs)
            t0 = time.perf_counter()
            self._train_indices(order[self._cursor:self._cursor + take], bs)
            steps += -(-take // bs)
            self._advance(take)
            if self._cursor >= len(order):  # an epoch ended: stop here if it must
                self.stopped = self._stop_reason()
                if self.stopped:
                    return steps
            now = time.perf_counter()
            if now >= deadline:
                return steps
            if (now - t0) * 4 < deadline - now:
                chunk *= 2

    def op_trace(self, req: dict[str, Any]) -> dict[str, Any]:
        """The trace of the next sample's step, not applied (for the explain
        panel at rest and after an edit)."""
        kinds = _kinds(req)
        net = self._need_net()  # type: ignore[attr-defined]
        order = self._order_now()
        i = order[self._cursor]
        trace = traced(net, [self.train_x[i]], [self.train_t[i]])
        return {"trace": trace_dict(trace, kinds), "sample": self._sample_info(i),
                "cursor": self._cursor, "epoch_size": len(order)}

    # ------------------------------------------------------------ editing
    def op_set_weight(self, req: dict[str, Any]) -> dict[str, Any]:
        """``{"op": "set_weight", "l", "k", "j", "value"}``: w_kj of weight
        layer l := value (a finite number, |value| ≤ WEIGHT_LIMIT). Anything
        else is refused with a message and nothing changes."""
        net = self._need_net()  # type: ignore[attr-defined]
        l = _index(req.get("l"), "l", len(net.weights))
        k = _index(req.get("k"), "k", len(net.weights[l]))
        j = _index(req.get("j"), "j", len(net.weights[l][k]))
        value = req.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StepError(f"value: expected a number, got {type(value).__name__} {_show(value)}")
        if not math.isfinite(value) or abs(value) > WEIGHT_LIMIT:
            raise StepError(f"value: expected a finite number from {-WEIGHT_LIMIT:g} to "
                            f"{WEIGHT_LIMIT:g}, got {_show(value)}")
        net.weights[l][k][j] = float(value)
        out = self.op_state(req)  # type: ignore[attr-defined]
        out["preset"] = self.preset
        return out

    # ------------------------------------------------------------ presets
    def op_preset(self, req: dict[str, Any]) -> dict[str, Any]:
        """``chapter``: the seed chapter's worked example (a 4-2 linear
        network without biases, one sample: h = CHAPTER_H, t = (1, 1)).
        ``wide``: a 64-32-10 sigmoid network fed random inputs (``seed``),
        the scale test for the animation until a digits problem exists."""
        name = req.get("name")
        if name not in PRESETS:
            raise StepError(f"name: expected one of {', '.join(PRESETS)}, got {_show(name)}")
        if self.settings is None:
            self.op_init({})  # type: ignore[attr-defined]
        if name == "chapter":
            net = Network([4, 2], output_activation="linear", bias=False,
                          learning_rate=CHAPTER_LEARNING_RATE, seed=1)
            for row, values in zip(net.weights[0], CHAPTER_WHO):
                row[:] = values
            self.train_x, self.train_t = [list(CHAPTER_H)], [list(CHAPTER_T)]
        else:
            seed = req.get("seed", 1)
            _index(seed, "seed", 2**31)
            net = Network([64, 32, 10], activation="sigmoid", output_activation="sigmoid",
                          learning_rate=0.5, seed=seed)
            rng = random.Random(seed)
            xs = [[rng.random() for _ in range(64)] for _ in range(150)]
            labels = [rng.randrange(10) for _ in range(150)]
            ts = [[1.0 if c == label else 0.0 for c in range(10)] for label in labels]
            self.train_x, self.train_t = xs[:100], ts[:100]
        self.test_x = [list(x) for x in self.train_x] if name == "chapter" else xs[100:]
        self.test_t = [list(t) for t in self.train_t] if name == "chapter" else ts[100:]
        self.net = net
        self.epoch = 0
        self._preset = (name, net)
        out = self.op_state(req)  # type: ignore[attr-defined]
        out["preset"] = name
        if name == "chapter":
            out["sigmoid_case"] = chapter_sigmoid_case(net)
        return out


def chapter_sigmoid_case(net: Network) -> dict[str, Any]:
    """The chapter's second reading of its example (seed note S8): the same
    outputs o = (0.92, 0.18), now taken as sigmoid outputs σ(z), with squared
    error. δ_k = ∂E/∂z_k = (o_k − t_k)·o_k(1 − o_k) (losses.output_delta, the
    chapter's (t − o)·o(1 − o) with the sign it drops), ∂E/∂w_kj = δ_k·h_j and
    Δw_kj = −η·∂E/∂w_kj, for the preset's weights ``net``."""
    o = [sum(w * h for w, h in zip(row, CHAPTER_H)) for row in net.weights[0]]
    z = [math.log(ok / (1.0 - ok)) for ok in o]   # σ(z) = o
    delta = losses.output_delta("squared", "sigmoid", z, o, CHAPTER_T)
    grad = [[dk * h for h in CHAPTER_H] for dk in delta]
    return {"o": o, "t": list(CHAPTER_T), "delta": delta, "grad_weights": grad,
            "updates": [[-net.learning_rate * g for g in row] for row in grad],
            "learning_rate": net.learning_rate}

