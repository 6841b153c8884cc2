"""The ``run_python`` request, the page's Python panel: run a learner's code with ``net`` bound to the live
``pynet.Network``, and never let it break the training state.

* stdout and stderr are captured, each up to ``MAX_OUTPUT`` characters (the
  rest is dropped, not stored, and a note says how much); a last line that
  is an expression has its ``repr`` printed, as in the REPL.
* an exception gives its traceback (without the panel's own frames) and
  **restores the network** exactly as it was before the code ran (weights,
  biases, activations, learning rate and generator state).
* after code that ran, the network is checked: same layer sizes, every
  weight and bias a finite number (ints become floats), known activation
  names, a valid learning rate. If not, it is restored and the reason given.

This is not a sandbox and needs none: it runs only what the learner typed,
in their own page's worker; nothing from the URL is ever executed. An
infinite loop cannot be interrupted inside Pyodide without
SharedArrayBuffer, so the page replaces the worker (and restores settings,
data and weights from its own copy); the backend does not try.
"""

from __future__ import annotations

import ast
import contextlib
import math
import random
import traceback
from itertools import pairwise
from typing import Any

from .. import activations as act
from .. import initializers, losses
from ..network import Network
from .settings import LIMITS, SettingsError
from .spec import Spec
from .state import Answer, Request, State

MAX_CODE = LIMITS["code_chars"]         # characters of code
MAX_OUTPUT = LIMITS["output_chars"]     # characters kept of stdout and of stderr each


class _Capped:
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit, self.kept, self.dropped = limit, 0, 0
        self.parts: list[str] = []

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n[output truncated: {self.dropped} more characters not shown]\n"
        return out


def _snapshot(net: Network) -> dict[str, Any]:
    return {"dict": net.to_dict(), "rng": net.rng.getstate(), "attributes": sorted(vars(net)),
            "vars": dict(vars(net))}


def _restore(net: Network, snap: dict[str, Any]) -> None:
    """Put ``snap`` back into the same object (the session and the user hold it)."""
    d = snap["dict"]
    vars(net).clear()
    vars(net).update(snap["vars"])   # every attribute back (deleted or shadowed ones too)
    net.layers = list(d["layers"])
    net.activation = list(d["activation"])
    net.output_activation = d["output_activation"]
    net.loss_name = d["loss"]
    net.bias = d["bias"]
    net.learning_rate = d["learning_rate"]
    net.init = d["init"]
    net.weights = [[list(r) for r in w] for w in d["weights"]]
    net.biases = [list(b) for b in d["biases"]]
    net.rng = random.Random()
    net.rng.setstate(snap["rng"])


def check_network(net: Network, layers: list[int],
                  attributes: list[str] | None = None) -> str | None:
    """Why ``net`` is no longer a usable network of these layer sizes (None if it is).
    Normalises int weights to floats in place."""
    if attributes is not None and sorted(vars(net)) != attributes:
        extra = sorted(set(vars(net)) ^ set(attributes))
        return f"net: attributes added or deleted ({', '.join(extra)[:60]})"
    if type(net.rng) is not random.Random:
        return f"net.rng: expected a random.Random, got {type(net.rng).__name__}"
    if not isinstance(net.bias, bool) or net.init not in initializers.NAMES:
        return "net.bias / net.init: expected True or False / one of " + \
            ", ".join(initializers.NAMES)
    if not isinstance(net.layers, list) or net.layers != layers:
        return (f"net.layers: the layer sizes must stay {layers} (change the hidden "
                f"setting instead), got {net.layers!r}")
    acts = net.activation
    if not isinstance(acts, list) or len(acts) != len(layers) - 2 or \
            not all(isinstance(a, str) and a in act.HIDDEN for a in acts):
        return (f"net.activation: expected a list of {len(layers) - 2} names from "
                f"{', '.join(act.HIDDEN)}, got {acts!r}")
    if net.output_activation not in losses.SUPPORTED.get(net.loss_name, ()):
        return (f"net.output_activation / net.loss_name: {net.output_activation!r} with "
                f"{net.loss_name!r} is not a supported pair")
    lr = getattr(net, "_learning_rate", None)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) \
            or lr <= 0:
        return f"net.learning_rate: expected a number > 0, got {lr!r}"
    for name, values, shape in (("weights", net.weights, [(n, m) for m, n in pairwise(layers)]),
                                ("biases", net.biases, [(n, None) for n in layers[1:]])):
        if not isinstance(values, list) or len(values) != len(shape):
            return f"net.{name}: expected a list of {len(shape)} layers"
        for l, (rows, (n, m)) in enumerate(zip(values, shape)):
            if not isinstance(rows, list) or len(rows) != n:
                return f"net.{name}[{l}]: expected {n} entries"
            for k in range(n):
                if m is None:
                    bad = _fix(rows, k)
                    if bad:
                        return f"net.{name}[{l}][{k}]: {bad}"
                    continue
                row = rows[k]
                if not isinstance(row, list) or len(row) != m:
                    return f"net.{name}[{l}][{k}]: expected a list of {m} numbers"
                for j in range(m):
                    bad = _fix(row, j)
                    if bad:
                        return f"net.{name}[{l}][{k}][{j}]: {bad}"
    if not net.bias and any(v != 0.0 for b in net.biases for v in b):
        return "net.biases: this network has no biases (bias=False); they must stay 0"
    return None


def _fix(seq: list, i: int) -> str | None:
    v = seq[i]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return f"expected a number, got {type(v).__name__} {v!r:.40}"
    try:
        f = float(v)
    except OverflowError:
        return f"expected a finite number, got an int of {len(str(abs(v)))} digits"
    if not math.isfinite(f):
        return f"expected a finite number, got {f}"
    seq[i] = f
    return None


def _user_traceback(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != "<panel>":
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def run(code: Any, net: Network, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run ``code`` with ``namespace`` as globals (``net`` is rebound to the live
    network each time); see the module docstring for what is returned."""
    if not isinstance(code, str):
        raise TypeError(f"code: expected Python source text, got {type(code).__name__}")
    if len(code) > MAX_CODE:
        raise ValueError(f"code: {len(code)} characters, more than the limit of {MAX_CODE}")
    layers = list(net.layers)
    snap = _snapshot(net)
    namespace["net"] = net
    out, err = _Capped(MAX_OUTPUT), _Capped(MAX_OUTPUT)
    failed, restored, problem, tb_text = False, False, None, None
    try:
        tree = ast.parse(code, "<panel>", "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body[-1].value)
            tree.body.pop()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # type: ignore[type-var, unused-ignore]
            exec(compile(tree, "<panel>", "exec"), namespace)  # noqa: S102 -- the learner's own code (module docstring)
            if last is not None:
                value = eval(compile(last, "<panel>", "eval"), namespace)
                if value is not None:
                    print(repr(value))
    except (KeyboardInterrupt, SystemExit) as exc:   # exit() in the panel: not the worker's
        failed, tb_text = True, f"{type(exc).__name__}: the panel's code stopped\n"
    except BaseException as exc:  # noqa: BLE001 -- any error of user code is reported
        failed, tb_text = True, _user_traceback(exc)
    if failed:
        _restore(net, snap)
        restored = True
    else:
        problem = check_network(net, layers, snap["attributes"])
        if problem:
            _restore(net, snap)
            restored = True
    namespace["net"] = net
    return {"stdout": out.text(), "stderr": err.text(), "failed": failed,
            "traceback": tb_text, "invalid": problem, "restored": restored}


def run_python(st: State, req: Request) -> Answer:
    """``{"code": text}``: run it with ``net`` = the live network (see :func:`run`);
    afterwards the settings follow the network's learning rate and activations,
    or the network is restored if they are no longer valid settings."""
    net = st.need_net()
    ns = st.panel_ns
    if not ns:
        import pynet
        ns.update({"__name__": "__panel__", "pynet": pynet})
    # fresh copies each run: code that edits them cannot touch the training data
    ns.update({"X": [list(x) for x in st.train_x], "T": [list(t) for t in st.train_t],
               "x": list(st.train_x[0]) if st.train_x else None,
               "t": list(st.train_t[0]) if st.train_t else None})
    before = _snapshot(net)
    out = run(req.get("code"), net, ns)
    if not out["restored"]:
        old, acts = before["dict"], net.activation
        changes: dict[str, Any] = {"learning_rate": net.learning_rate}
        if acts != old["activation"]:
            changes["activation"] = acts[0] if all(a == acts[0] for a in acts) else list(acts)
        if net.output_activation != old["output_activation"]:
            changes["output_activation"] = net.output_activation
        if net.loss_name != old["loss"]:
            changes["loss"] = net.loss_name
        try:
            settings = st.validate(changes, st.settings)
            spec = Spec(settings, st.need_data()[2])
            if spec.outputs != net.layers[-1] or spec.output_activation != \
                    net.output_activation or spec.loss != net.loss_name:
                raise SettingsError("output_activation/loss: this output and loss do not "
                                       "fit the data")
        except (ValueError, TypeError, ArithmeticError) as exc:
            _restore(net, before)
            out.update(invalid=str(exc), restored=True)
        else:
            st.settings, st.spec = settings, spec
            st.derive()
    out["settings"] = st.settings
    return out
