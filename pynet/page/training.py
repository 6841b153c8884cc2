"""The training requests: ``step`` (whole epochs), the fine-grained steps
``step_sample``, ``step_batch``, ``step_epoch``, the play loop's slice
``train_for``, the ``trace`` preview and ``set_weight`` (editing one weight).

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

Every stepping request answers with the new snapshot (``state``'s answer), ``cursor``
(position in the epoch), ``epoch_size`` and ``trace`` (``Trace.to_dict()``
of the step *before* it was applied; its ``updates`` are exactly what was
added to the weights). ``kinds`` (a list) limits ``shares``/``node_errors``
to those share kinds, to keep a large network's answer small.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from .. import course_rule, fast
from ..errors import DivergedError
from ..network import Network
from ..trace import KINDS, Trace, build, proportional_denominators
from .settings import LIMITS, SettingsError, _integer
from .state import Answer, Request, State
from .values import finite_or_none
from .values import show as _show

# How many epoch boundaries a step request keeps to roll back to (see step).
_KEPT_BOUNDARIES = 4

#: Largest |value| the page may set a weight to (bigger ones saturate every
#: activation and teach nothing).
WEIGHT_LIMIT = 1000.0
#: A traced step measures the losses over all points (``"losses": "auto"``)
#: while parameters × points is at most this (the default problem: 17 × 500 = 8,500;
#: over it: the 64-32-10 preset, 2,410 × 150 = 361,500, and digits).
STEP_LOSS_BUDGET = 100_000
#: The longest slice ``train_for`` accepts, in milliseconds.
SLICE_MS = (1.0, 1000.0)


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


@dataclass
class StepTrace:
    """A step's :class:`~pynet.trace.Trace` with what the page shows beside it:
    ``denominators`` (Σ_i w_ki per destination node, the proportional shares'
    divisors: the explain panel shows them, the page does no network math), the
    ``rule`` that made ``updates`` (see :func:`_apply_traced`) and the l1/l2
    ``penalties`` it applied."""

    trace: Trace
    denominators: list[Any]
    rule: str = "exact"
    penalties: tuple[float, float] = (0.0, 0.0)


def traced(net: Network, X: list[list[float]], T: list[list[float]]) -> StepTrace:
    """``trace.build`` plus ``denominators`` (the proportional divisors used)."""
    return StepTrace(build(net, X, T), proportional_denominators(net.weights)[0])


def trace_dict(step: StepTrace, kinds: tuple[str, ...]) -> dict[str, Any]:
    """``trace.to_dict()`` with ``shares``/``node_errors`` cut to ``kinds``,
    plus ``denominators``, and a non-finite ``loss_after`` (a diverging step)
    as None so it stays JSON."""
    d = step.trace.to_dict()
    d["denominators"] = step.denominators
    d["rule"] = step.rule
    d["l1"], d["l2"] = step.penalties
    d["shares"] = {k: d["shares"][k] for k in kinds}
    d["node_errors"] = {k: d["node_errors"][k] for k in kinds}
    if not math.isfinite(d["loss_after"]):
        d["loss_after"] = None
    return d


def share_magnitudes(step: StepTrace, kind: str) -> list[list[list[float]]]:
    """|share| per weight for one kind (the condensed animation's glow). For a
    batch trace the shares are already the batch means."""
    return [[[abs(v) for v in row] for row in layer] for layer in step.trace.shares[kind]]


def _fit(st: State, n: int, on_epoch: Any = None) -> list[float]:
    """Up to n epochs with the settings' rule, regularisation and stop conditions;
    ``on_epoch(epoch, loss)`` is called after each completed epoch."""
    net, s = st.need_net(), st.settings
    assert s is not None
    st.stopped = None
    if s["max_epoch"]:
        n = min(n, s["max_epoch"] - st.epoch)
        if n <= 0:
            st.stopped = "max_epoch"
            return []
    if not st.train_x:
        raise SettingsError("data: there are no training points (add points, load_csv "
                            "or choose a dataset)")

    def stop(epoch: int, loss: float) -> bool:
        if loss <= s["target_loss"]:
            st.stopped = "target_loss"
            return False
        return True

    def callback(epoch: int, loss: float) -> bool:
        if on_epoch is not None:
            on_epoch(epoch, loss)
        return stop(epoch, loss) if s["target_loss"] > 0 else True

    if s["update"] == "course":
        history = course_rule.fit(net, st.train_x, st.train_t, n, s["batch_size"],
                                  s["l1"], s["l2"], callback)
    else:
        history = net.fit(st.train_x, st.train_t, epochs=n, batch_size=s["batch_size"],
                          shuffle=True, l1=s["l1"], l2=s["l2"], callback=callback)
    if st.stopped is None and s["max_epoch"] and \
            st.epoch + len(history) >= s["max_epoch"]:
        st.stopped = "max_epoch"
    return history


def step(st: State, req: Request) -> Answer:
    net = st.need_net()
    n = _integer(req.get("n", 1), "n", *LIMITS["step"])
    assert st.settings is not None
    per_epoch = len(st.train_x) * sum(len(w) * len(w[0]) + len(w) for w in net.weights)
    if n > 1 and n * per_epoch > LIMITS["step_work"]:
        most = max(1, LIMITS["step_work"] // per_epoch)
        raise SettingsError(f"n: {n} epochs of {len(st.train_x)} training samples on "
                            f"this network is more work than one request may do; ask "
                            f"for at most {most} (the limit step_work = epochs × "
                            f"training samples × (weights + biases) ≤ "
                            f"{LIMITS['step_work']:,})")
    # The states at the last few epoch boundaries (epochs done in this
    # request, snapshot), so a diverging epoch can be rolled back entirely:
    # fit itself only rolls back the failing step.
    kept: list[tuple[int, tuple[Any, ...]]] = [(0, st.snapshot())]
    done_losses: list[float] = []

    def boundary(epoch: int, loss: float) -> None:
        kept.append((epoch, st.snapshot()))
        del kept[:-_KEPT_BOUNDARIES]
        done_losses.append(loss)

    batch_size = st.settings["batch_size"]
    try:
        history = _fit(st, n, on_epoch=boundary)
    except DivergedError as exc:
        completed = (exc.epoch or 1) - 1     # epochs of this request that completed
        failed = st.epoch + completed + 1
        steps = -(-len(st.train_x) // batch_size)
        step = (exc.step or 1) - completed * steps
        # Keep the last boundary whose training loss is finite: an epoch can
        # complete with every step's loss finite and still end on weights
        # whose loss overflows (found by the next epoch's first step).
        while True:
            done, snap = kept.pop()
            st.restore_snapshot(snap)
            if not kept or math.isfinite(net.loss(st.train_x, st.train_t)):
                break
        st.epoch += done
        del done_losses[done:]
        out = st.losses()
        out.update({
            "ok": False, "type": "DivergedError",
            "error": f"training diverged in epoch {failed}, step {step} of {steps}: "
                     f"{'the loss' if exc.loss is not None and not math.isfinite(exc.loss) else 'a weight'} "
                     f"stopped being a finite number, so the learning_rate "
                     f"{st.settings['learning_rate']:g} is probably too high. Kept "
                     f"the network after epoch {st.epoch}"
                     f"{'' if st.epoch + 1 == failed else ' (its loss is finite)'}; "
                     f"epoch{'s' if failed - st.epoch > 1 else ''} "
                     f"{st.epoch + 1 if st.epoch + 1 == failed else f'{st.epoch + 1} to {failed}'} "
                     f"undone.",
            "history": [finite_or_none(h) for h in done_losses],
        })
        return out
    st.epoch += len(history)
    out = st.report(req) if req.get("snapshot") else st.losses()
    out["history"] = [finite_or_none(h) for h in history]
    out["stopped"] = st.stopped
    return out


# ------------------------------------------------------------ the cursor
def _order_now(st: State) -> list[int]:
    """The current epoch's order; a new one (cursor 0) whenever the network
    or the epoch count changed behind the cursor's back."""
    net = st.need_net()
    st.need_rows("step")
    if st._order_key is None or st._order_key[0] is not net \
            or st._order_key[1] != st.epoch or st._cursor >= len(st._order):
        order = list(range(len(st.train_x)))
        fast.shuffle(net.rng, order)
        st._order, st._cursor = order, 0
        st._order_key = (net, st.epoch)
    return st._order


def _advance(st: State, n: int) -> None:
    st._cursor += n
    if st._cursor >= len(st._order):
        st.epoch += 1
    assert st.net is not None
    st._order_key = (st.net, st.epoch)


def _batch_size(st: State) -> int:
    return int((st.settings or {}).get("batch_size", 1))


def _train_indices(st: State, indices: list[int], bs: int) -> None:
    """Train these samples in batches of ``bs`` with the settings' rule
    (``update``, ``l1``, ``l2``), as ``step`` does. A DivergedError rolls
    the whole call back (weights, biases, generator), so the cursor, the
    epoch and the weights still belong together."""
    net = st.need_net()
    s = st.settings or {}
    l1, l2 = float(s.get("l1", 0.0)), float(s.get("l2", 0.0))
    with st.transaction(params=True):
        total = 0.0
        if s.get("update") == "course":
            for start in range(0, len(indices), bs):
                batch = indices[start:start + bs]
                total += len(batch) * course_rule.step(
                    net, [st.train_x[i] for i in batch], [st.train_t[i] for i in batch],
                    net.learning_rate, l1, l2)
        else:
            total = len(indices) * fast.epoch(net, st.train_x, st.train_t, indices, bs,
                                              l1, l2)
    _note_seen(st, total, len(indices))


def _note_seen(st: State, total: float, count: int) -> None:
    """Add ``count`` samples' summed loss (before their step) to the current epoch's."""
    net, key = st.net, st._seen[0]
    same = key is not None and key[0] is net and key[1] == st.epoch
    total0, count0 = (st._seen[1], st._seen[2]) if same else (0.0, 0)
    st._seen = ((net, st.epoch), total0 + total, count0 + count)


def _stop_reason(st: State) -> str | None:
    """Why training must stop now (at an epoch end), as ``_fit`` decides:
    ``max_epoch`` reached, or the epoch just ended saw a mean loss at most
    ``target_loss``; else None."""
    s = st.settings or {}
    if s.get("max_epoch") and st.epoch >= s["max_epoch"]:
        return "max_epoch"
    key, total, count = st._seen
    if s.get("target_loss") and count and key is not None and key[0] is st.net \
            and key[1] == st.epoch - 1 and total / count <= s["target_loss"]:
        return "target_loss"
    return None


def _apply_traced(st: State, indices: list[int]) -> StepTrace:
    """Trace the step on these samples, apply it with the settings' rule
    and move the cursor past them.

    The trace's forward pass, errors, shares, deltas and gradients are
    always exact backprop's (what the animation explains). Its ``updates``
    are what this step really adds: with ``update = "exact"`` and no l1/l2
    exactly −η ∂E/∂w (applied as w + Δw); otherwise the settings' rule
    (the course's rule, or the penalties: Δw = −η (∂E/∂w + l1·sign(w) +
    l2·w)) is applied as ``play`` would and ``updates`` = new − old, so a
    traced step and a play step train the same network."""
    net = st.net
    assert net is not None
    before = ([[list(row) for row in wl] for wl in net.weights], [list(bl) for bl in net.biases])
    step = traced(net, [st.train_x[i] for i in indices], [st.train_t[i] for i in indices])
    trace = step.trace
    s = st.settings or {}
    l1, l2 = float(s.get("l1", 0.0)), float(s.get("l2", 0.0))
    step.rule = "course" if s.get("update") == "course" else "exact"
    step.penalties = (l1, l2)
    if step.rule == "exact" and not (l1 or l2):
        new_w = [[[w + u for w, u in zip(row, urow)] for row, urow in zip(wl, ul)]
                 for wl, ul in zip(net.weights, trace.updates)]
        new_b = [[b + u for b, u in zip(bl, ul)]
                 for bl, ul in zip(net.biases, trace.bias_updates)]
        net._commit(new_w, new_b, trace.loss)  # DivergedError (a ValueError) changes nothing
        _note_seen(st, trace.loss * len(indices), len(indices))  # (below: _train_indices)
    else:
        old_w = [[list(row) for row in wl] for wl in net.weights]
        old_b = [list(bl) for bl in net.biases]
        _train_indices(st, indices, len(indices))  # one step; rolls back on divergence
        trace.updates = [[[n - o for n, o in zip(nrow, orow)] for nrow, orow in zip(nl, ol)]
                         for nl, ol in zip(net.weights, old_w)]
        trace.bias_updates = [[n - o for n, o in zip(nl, ol)]
                              for nl, ol in zip(net.biases, old_b)]
        trace.loss_after = net.loss([st.train_x[i] for i in indices],
                                    [st.train_t[i] for i in indices])
    _advance(st, len(indices))
    # what "why the gradient is right" explains (pynet.page.gradient): this step's samples
    # and weights, while the network still holds the weights the step left
    st.last_step = {"rows": list(indices), "weights": before[0], "biases": before[1],
                    "updates": trace.updates, "bias_updates": trace.bias_updates,
                    "after": ([[list(row) for row in wl] for wl in net.weights],
                              [list(bl) for bl in net.biases]), "net": net}
    return step


def _traced_step(st: State, indices: list[int], kinds: tuple[str, ...],
                 req: Request) -> Answer:
    """One traced step, answered with the snapshot and the trace.

    ``"losses"``: true, false or ``"auto"`` (the default): measure the
    train and test losses (and accuracies) after the step. They cost a
    forward pass over every point, which on big data is far more than the
    step itself (digits: 1,797 passes of a 64-32-10 network for one
    sample), so ``auto`` measures only when parameters × points ≤
    ``STEP_LOSS_BUDGET`` or the step ends an epoch. ``losses_measured``
    says which; without them the answer has no loss or accuracy keys."""
    flag = _losses_flag(req)
    epoch = st.epoch
    trace = _apply_traced(st, indices)
    if flag == "auto":
        net = st.net
        assert net is not None
        params = sum(len(w) * len(w[0]) + len(w) for w in net.weights)
        flag = (params * (len(st.train_x) + len(st.test_x)) <= STEP_LOSS_BUDGET
                or st.epoch != epoch)
    out = st.report({"losses": flag})
    out.update(trace=trace_dict(trace, kinds), cursor=st._cursor % len(st._order),
               epoch_size=len(st._order), preset=st.preset, losses_measured=flag)
    return out


def _sample_info(st: State, i: int) -> dict[str, Any]:
    return {"index": i, "x": list(st.train_x[i]), "t": list(st.train_t[i])}


# ------------------------------------------------------------ stepping ops
def step_sample(st: State, req: Request) -> Answer:
    kinds = _kinds(req)
    _losses_flag(req)
    order = _order_now(st)
    i = order[st._cursor]
    out = _traced_step(st, [i], kinds, req)
    out["sample"] = _sample_info(st, i)
    return out


def step_batch(st: State, req: Request) -> Answer:
    kinds = _kinds(req)
    _losses_flag(req)
    order = _order_now(st)
    indices = order[st._cursor:st._cursor + _batch_size(st)]
    out = _traced_step(st, indices, kinds, req)
    out["batch"] = indices
    return out


def step_epoch(st: State, req: Request) -> Answer:
    """The rest of the epoch; the trace is that of its last batch."""
    kinds = _kinds(req)
    _losses_flag(req)
    order = _order_now(st)
    bs = _batch_size(st)
    rest = order[st._cursor:]
    last = ((len(rest) - 1) // bs) * bs  # start of the last batch within rest
    if last:
        _train_indices(st, rest[:last], bs)
        st._cursor += last
    out = _traced_step(st, rest[last:], kinds, req)
    out["batch"] = rest[last:]
    return out


def train_for(st: State, req: Request) -> Answer:
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
    net = st.need_net()
    bs = _batch_size(st)
    deadline = time.perf_counter() + ms / 1000.0
    # A slice that diverges is undone as a whole, back to where it started:
    # its earlier chunks may have left finite but already exploding weights.
    st.stopped = None
    s = st.settings or {}
    if s.get("max_epoch") and st.epoch >= s["max_epoch"]:
        st.stopped = "max_epoch"  # nothing to train: answer at once
        glow_kind = None
        steps = 0
    try:
        if st.stopped is None:
            with st.transaction(params=True):
                steps = _slice(st, deadline, bs)
    except DivergedError as exc:
        lr = (st.settings or {}).get("learning_rate", net.learning_rate)
        raise DivergedError(f"training diverged ({exc}); the network is back where this "
                            f"slice started (epoch {st.epoch}): the learning_rate {lr:g} "
                            f"is probably too high for this problem",
                            epoch=exc.epoch, step=exc.step, loss=exc.loss) from exc
    glow = None
    if glow_kind is not None and st.stopped is None:  # one more step, traced, for the condensed animation
        order = _order_now(st)
        indices = order[st._cursor:st._cursor + bs]
        trace = _apply_traced(st, indices)
        glow = share_magnitudes(trace, glow_kind)
        steps += 1
        if st._cursor >= len(order):
            st.stopped = _stop_reason(st)
    size = len(st._order)  # 0 when stopped before any order was drawn
    out: dict[str, Any] = {
        "epoch": st.epoch, "cursor": st._cursor % size if size else 0,
        "epoch_size": size or len(st.train_x), "steps": steps,
        "weights": [[list(row) for row in w] for w in net.weights],
        "biases": [list(b) for b in net.biases], "stopped": st.stopped,
    }
    if req.get("losses") or st.stopped:
        out.update(st.losses())
    if glow is not None:
        out["glow"] = glow
    return out


def _slice(st: State, deadline: float, bs: int) -> int:
    """Whole batches from the cursor until ``deadline`` (at least one); the
    number of steps."""
    steps = 0
    chunk = 1  # batches per call, doubled while there is time
    while True:
        order = _order_now(st)
        take = min(len(order) - st._cursor, chunk * bs)
        t0 = time.perf_counter()
        _train_indices(st, order[st._cursor:st._cursor + take], bs)
        steps += -(-take // bs)
        _advance(st, take)
        if st._cursor >= len(order):  # an epoch ended: stop here if it must
            st.stopped = _stop_reason(st)
            if st.stopped:
                return steps
        now = time.perf_counter()
        if now >= deadline:
            return steps
        if (now - t0) * 4 < deadline - now:
            chunk *= 2


def trace(st: State, req: Request) -> Answer:
    """The trace of the next sample's step, not applied (for the explain
    panel at rest and after an edit)."""
    kinds = _kinds(req)
    net = st.need_net()
    order = _order_now(st)
    i = order[st._cursor]
    trace = traced(net, [st.train_x[i]], [st.train_t[i]])
    return {"trace": trace_dict(trace, kinds), "sample": _sample_info(st, i),
            "cursor": st._cursor, "epoch_size": len(order)}


# ------------------------------------------------------------ editing
def set_weight(st: State, req: Request) -> Answer:
    """``{"op": "set_weight", "l", "k", "j", "value"}``: w_kj of weight
    layer l := value (a finite number, |value| ≤ WEIGHT_LIMIT). Anything
    else is refused with a message and nothing changes."""
    net = st.need_net()
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
    out = st.report(req)
    out["preset"] = st.preset
    return out
