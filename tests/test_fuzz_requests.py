"""Property tests on the facade's requests (issue 9): any op with any JSON
arguments, and any JSON value as a request, gets a JSON answer -- a result,
or ``ok: false`` with a message and a type -- and a refusal changes nothing.
Also the recovery ops (restore, checkpoint) fed mangled copies."""

from __future__ import annotations

import json

from hypothesis import given, settings as hsettings, strategies as st

from facade_calls import call, started
from facade_calls import _whole, json_values
from pynet.facade import Facade

# every op but the Python panel (random text as code is that op's own test's business)
OPS = sorted(n[3:] for n in dir(Facade) if n.startswith("op_") and n != "op_run_python")
ARGS = ["settings", "n", "snapshot", "points", "name", "l", "k", "j", "value", "ms", "glow", "losses",
        "kinds", "seed", "json", "data", "preset", "text", "x", "label", "set", "index"]


@hsettings(max_examples=100, deadline=None)
@given(st.sampled_from(OPS), st.dictionaries(st.sampled_from(ARGS), json_values, max_size=4))
def test_any_op_with_any_arguments_answers_or_refuses_by_name_changing_nothing(op, args):
    f = started(dataset="xor", samples=30, seed=2)
    before = _whole(f)
    r = json.loads(f.handle(json.dumps({"op": op, **args})))
    assert isinstance(r, dict) and isinstance(r["ok"], bool)
    if not r["ok"]:
        assert isinstance(r["error"], str) and r["error"] and isinstance(r["type"], str)
        if r["type"] != "DivergedError":   # a step keeps the epochs that completed
            assert _whole(f) == before


@hsettings(max_examples=60, deadline=None)
@given(json_values)
def test_any_json_value_as_a_request_is_refused_with_a_message(value):
    f = started(dataset="xor", samples=30, seed=2)
    before = _whole(f)
    r = json.loads(f.handle(json.dumps(value)))
    if not (isinstance(value, dict) and value.get("op") in OPS):
        assert r["ok"] is False and r["error"].startswith(("request: ", "op: "))
        assert _whole(f) == before


_copy_source = started(dataset="xor", hidden=[3], samples=30, seed=4)
call(_copy_source, op="step", n=2)
COPY = call(_copy_source, op="checkpoint", data=True)
MODEL = json.loads(COPY["json"])


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["settings", "json", "data", "preset"]
                                           + [f"model.{k}" for k in MODEL] + ["model.playground"]
                                           + [f"settings.{k}" for k in COPY["settings"]]),
                          json_values), min_size=1, max_size=3))
def test_restore_of_a_mangled_copy_is_exact_or_refused_changing_nothing(changes):
    req = {"op": "restore", "settings": dict(COPY["settings"]), "json": COPY["json"], "data": None}
    model = dict(MODEL)
    for where, value in changes:
        if where.startswith("model."):
            model[where[6:]] = value
            req["json"] = json.dumps(model)
        elif where.startswith("settings."):
            if isinstance(req["settings"], dict):  # ("settings" itself may be mangled already)
                req["settings"][where[9:]] = value
        else:
            req[where] = value
    f = started(dataset="circle", seed=9)
    before = _whole(f)
    r = json.loads(f.handle(json.dumps(req)))
    if r["ok"] and req.get("json") is None:    # no model: a fresh build from the settings
        assert r["epoch"] == 0
    elif r["ok"]:   # the network holds what the copy's model says
        pg = model.get("playground")
        assert r["epoch"] == (pg.get("epoch", 0) if isinstance(pg, dict) else 0)
        assert r["weights"] == model["weights"] and r["biases"] == model["biases"]
        assert call(f, op="step")["ok"]
    else:
        assert r["error"] and _whole(f) == before
