"""The conversation the start-up equivalence tests hold with every kind of boot
(heap snapshot, bytecode only, plain), in Node and in Chromium.

``FACADE`` goes through the page's facade (JSON in, JSON out). ``PYTHON`` runs
in the interpreter the worker booted and covers what the facade does not offer
(yet): iris and digits (their data files come from the wheel, unpacked after a
snapshot is restored), backprop traces, and tracebacks through pynet and the
stdlib (source lines must be there with bytecode too). Its last expression is a
JSON string; ``random`` (fresh per visitor) is reported but must *differ*
between boots, ``time`` (the visitor's time zone) must follow TZ, and ``diag``
says whether bytecode was used (it differs by design).
"""

from __future__ import annotations

#: every op, every kind of answer (including errors); iris and digits are
#: answered with a "dataset:" error until the facade offers them (issue 8), then
#: with networks trained on them.
FACADE = [
    {"op": "defaults"},
    {"op": "init", "settings": {"dataset": "xor", "seed": 7, "hidden": [3, 2], "noise": 0.1}},
    {"op": "step", "n": 5, "snapshot": True},
    {"op": "state"},
    {"op": "data"},
    {"op": "predict", "points": [[0.1, 0.2], [-3.0, 4.0], [5.0, -5.0]]},
    {"op": "set_state", "settings": {"dataset": "multigauss", "activation": "relu"}},
    {"op": "step", "n": 3, "snapshot": True},
    {"op": "set_state", "settings": {"dataset": "iris", "hidden": [5]}},
    {"op": "step", "n": 2, "snapshot": True},
    {"op": "set_state", "settings": {"dataset": "digits", "hidden": [8]}},
    {"op": "step", "n": 1, "snapshot": True},
    {"op": "init", "settings": {"learning_rate": -1}},
    {"op": "no such op"},
]

PYTHON = r'''
import json, random, time, traceback
from pynet import Network, datasets

def tb(fn):
    try:
        fn()
    except Exception:
        return traceback.format_exc()
    return "no exception"

out = {}
X, y = datasets.iris()
T = datasets.one_hot(y, 3)
net = Network([4, 5, 3], activation="tanh", output_activation="softmax", loss="cross_entropy",
              learning_rate=0.05, seed=11)
out["iris_history"] = net.fit(X, T, epochs=3, batch_size=10)
out["iris_trace"] = net.backprop(X[0], T[0]).to_dict()
out["iris_predict"] = net.predict(X[::30])
Xd, yd = datasets.digits()
Xd = [[v / 16 for v in row] for row in Xd[:150]]
digits = Network([64, 8, 10], activation="sigmoid", learning_rate=0.5, seed=3)
out["digits_history"] = digits.fit(Xd, datasets.one_hot(yd[:150], 10), epochs=2, batch_size=15)
out["digits_weights"] = digits.to_dict()
out["traceback_pynet"] = tb(lambda: Network([2, 0, 1]))
out["traceback_stdlib"] = tb(lambda: json.loads('{"a": '))
out["time"] = [time.timezone, time.altzone, time.daylight, list(time.tzname),
               time.localtime(86400 * 180).tm_hour]
out["random"] = random.random()
import importlib.util, json.decoder, os, pynet.network
out["diag"] = {"json.decoder": json.decoder.__file__,
               "pynet.network pyc": os.path.exists(importlib.util.cache_from_source(pynet.network.__file__))}
json.dumps(out)
'''

def _without_markers(tb: str) -> str:
    """A traceback without its ~~~^^^ lines: the stdlib's bytecode carries no
    column tables (tools/bytecode.py says why); file, line and source remain."""
    return "\n".join(line for line in tb.splitlines() if line.strip(" ~^"))


def comparable(python_answer: dict) -> dict:
    """What must be identical across boots: all but the per-visitor random draw
    and the diagnostics; stdlib tracebacks compared without their markers."""
    out = {k: v for k, v in python_answer.items() if k not in ("random", "diag")}
    out["traceback_stdlib"] = _without_markers(out["traceback_stdlib"])
    return out
