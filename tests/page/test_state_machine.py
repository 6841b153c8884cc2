"""The page's backend as a state machine (hypothesis ``RuleBasedStateMachine``):
random sequences of every facade request, through ``Facade.handle`` as the
page sends them, checked after each step against the invariants the page
relies on (CPython and Pyodide):

* ``handle`` never raises and never answers an internal error (a traceback,
  ``IndexError``, ``division by zero``): every refusal is a message in the
  user's words;
* a refused request changes nothing (state, weights, data, model file);
* ``checkpoint`` → ``restore`` on a fresh facade gives the same state (what
  the page does after a worker crash);
* stepping always works on the current rows: after any data edit a fine step
  trains a sample of the data as it is now, or says there are none.
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pynet.facade import Facade

#: error types that are the facade's own refusals; anything else (IndexError,
#: ZeroDivisionError, KeyError, ...) is a bug reaching the user
REFUSALS = {"ValueError", "TypeError", "SettingsError", "StepError", "ModelError",
            "DivergedError", "CompareError", "CSVError", "PanelError", "RequestError"}
#: words an answer meant for a person must not contain
INTERNAL = ("Traceback", "division by zero", "list index out of range", "object has no attribute")

SMALL = {"samples": 20, "seed": 3}
SETTINGS = st.sampled_from([
    {"dataset": "xor", **SMALL},
    {"dataset": "circle", "hidden": [3], "batch_size": 1, **SMALL},
    {"dataset": "plane", "hidden": [2], "batch_size": 4, **SMALL},
    {"dataset": "gauss", "hidden": [], "update": "course", **SMALL},
    {"dataset": "iris", "hidden": [3], "batch_size": 7, "seed": 2},
    {"dataset": "xor", "hidden": [4, 2], "activation": "relu", "batch_size": 1, **SMALL},
])
LIVE = st.sampled_from([{"learning_rate": 0.3}, {"batch_size": 1}, {"batch_size": 3},
                        {"l2": 0.01}, {"update": "course"}, {"update": "exact"},
                        {"max_epoch": 2}, {"max_epoch": 0}, {"target_loss": 0.5}])
CSV = st.sampled_from([
    "x1,x2,label\n0,0,a\n1,1,a\n0,1,b\n1,0,b\n0.5,0.5,a\n0.2,0.9,b\n",
    "a,b,c,y\n1,2,3,0.5\n2,3,4,0.7\n3,4,5,0.9\n4,5,6,1.1\n5,6,7,1.3\n",
    "x1,x2,label\n12345,54321,1\n23456,65432,2\n34567,76543,1\n45678,87654,2\n",
    "x1,x2,label\n0,0\n",                    # refused: ragged
    "",                                       # refused: empty
])
INDEX = st.integers(min_value=-2, max_value=30)
WHICH = st.sampled_from(["train", "test"])


def _fingerprint(f: Facade) -> dict | None:
    """What a refused request must leave as it was: the state snapshot, the model
    file and the data, each as the page would read them."""
    state = json.loads(f.handle('{"op": "state"}'))
    if not state["ok"]:
        return None
    model = json.loads(f.handle('{"op": "export_model"}'))
    data = json.loads(f.handle('{"op": "export_data"}'))
    return {"state": state, "model": model.get("json"), "data": data.get("csv"),
            "split": data.get("split")}


class FacadeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.f = Facade()
        self.steps = 0

    # ----------------------------------------------------------- sending
    def send(self, **req) -> dict:
        """One request as JSON text; checks the answer and, for a refusal, that
        nothing changed."""
        before = _fingerprint(self.f)
        text = self.f.handle(json.dumps(req))   # must not raise
        assert isinstance(text, str)
        answer = json.loads(text)
        assert answer["ok"] in (True, False), answer
        self.steps += 1
        if not answer["ok"]:
            error, kind = answer.get("error", ""), answer.get("type")
            assert kind in REFUSALS, (req["op"], kind, error)
            assert not any(w in error for w in INTERNAL), (req["op"], error)
            if kind != "DivergedError":   # divergence keeps the epochs that completed
                assert _fingerprint(self.f) == before, (req["op"], error)
        return answer

    def ready(self) -> bool:
        return self.f.net is not None

    # ----------------------------------------------------------- rules
    @rule(s=SETTINGS)
    def init(self, s):
        self.send(op="init", settings=s)

    @precondition(ready)
    @rule(s=LIVE)
    def set_state(self, s):
        self.send(op="set_state", settings=s)

    @precondition(ready)
    @rule(s=SETTINGS)
    def set_state_rebuild(self, s):
        self.send(op="set_state", settings=s)

    @precondition(ready)
    @rule(n=st.integers(1, 3))
    def step(self, n):
        self.send(op="step", n=n)

    @precondition(ready)
    @rule(op=st.sampled_from(["step_sample", "step_batch", "step_epoch", "trace"]))
    def fine_step(self, op):
        r = self.send(op=op)
        if r["ok"] and op != "trace":
            assert 0 <= r["cursor"] < r["epoch_size"] == r["train_size"], r["cursor"]
            if "sample" in r:   # the sample stepped is a training point of the data as it is now
                data = self.send(op="data")
                assert r["sample"]["x"] in data["train_x"]

    @precondition(ready)
    @rule()
    def train_for(self):
        self.send(op="train_for", ms=2, losses=True)

    @precondition(ready)
    @rule(x=st.lists(st.floats(-3, 3), min_size=2, max_size=2), label=st.sampled_from([0, 1, "a", 0.5]),
          which=WHICH)
    def add_point(self, x, label, which):
        self.send(op="add_point", x=x, label=label, set=which)

    @precondition(ready)
    @rule(which=WHICH, index=INDEX)
    def remove_point(self, which, index):
        self.send(op="remove_point", set=which, index=index)

    @precondition(ready)
    @rule()
    def clear(self):
        self.send(op="clear")

    @rule(text=CSV)
    def load_csv(self, text):
        self.send(op="load_csv", text=text)

    @precondition(ready)
    @rule(name=st.sampled_from(["chapter", "wide", "nope"]))
    def preset(self, name):
        self.send(op="preset", name=name)

    @precondition(ready)
    @rule(l=st.integers(0, 2), k=st.integers(0, 4), j=st.integers(0, 4),
          value=st.sampled_from([0.5, -2.0, 1e6, "x"]))
    def set_weight(self, l, k, j, value):
        self.send(op="set_weight", l=l, k=k, j=j, value=value)

    @precondition(ready)
    @rule()
    def model_round_trip(self):
        model = self.send(op="export_model")
        if model["ok"]:
            self.send(op="load_model", json=model["json"])

    @precondition(ready)
    @rule(text=st.sampled_from(['{"version": 99}', "not json", '{"layers": [2, 1]}']))
    def load_bad_model(self, text):
        self.send(op="load_model", json=text)

    @precondition(ready)
    @rule(op=st.sampled_from(["grid", "confusion", "data", "export_python", "state"]))
    def read(self, op):
        self.send(op=op)

    @precondition(ready)
    @rule(op=st.sampled_from(["paths", "nudge"]), l=st.integers(0, 2), k=st.integers(0, 4),
          j=st.integers(0, 4))
    def why_the_gradient(self, op, l, k, j):
        r = self.send(op=op, l=l, k=k, j=j)
        if r["ok"] and op == "paths":
            assert abs(r["sum"] - r["gradient"]) <= 1e-9 * max(1.0, abs(r["gradient"]))

    @precondition(ready)
    @rule()
    def compare(self):
        self.send(op="compare", epochs=1)

    @precondition(ready)
    @rule()
    def checkpoint_restore(self):
        """What the page does after a crash: its copy, restored into a fresh worker,
        is the same network on the same data."""
        before = self.send(op="state")
        c = self.send(op="checkpoint", data=True)
        fresh = Facade()
        r = json.loads(fresh.handle(json.dumps(
            {"op": "restore", "settings": c["settings"], "json": c["json"], "data": c["data"],
             "split": c.get("split"), "table": c.get("table"), "preset": c["preset"]})))
        assert r["ok"], r.get("error")
        after = json.loads(fresh.handle('{"op": "state"}'))
        for key in ("epoch", "settings", "layers", "weights", "biases", "train_size", "test_size",
                    "train_loss", "test_loss"):
            assert after[key] == before[key], key

    # ----------------------------------------------------------- invariants
    @invariant()
    def state_answers(self):
        if self.ready():
            st_ = json.loads(self.f.handle('{"op": "state"}'))
            assert st_["ok"], st_


FacadeMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("PYNET_STATEFUL_EXAMPLES", "60")), stateful_step_count=25,
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_facade_state_machine = FacadeMachine.TestCase
