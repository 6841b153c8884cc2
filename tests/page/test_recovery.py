"""The recovery requests (checkpoint, restore): a fresh facade (a new worker)
rebuilt from the page's copy gives back exactly the settings, data, weights
and epoch; a mangled copy is restored exactly or refused, changing nothing."""

from __future__ import annotations

import json

import pytest
from facade_calls import _whole, call, json_values, started
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pynet.facade import Facade


def copy_of(f: Facade) -> dict:
    """What the page keeps (web/js/recovery.js: the checkpoint op): settings,
    model JSON, own data -- the same as state, export_model and export_data say."""
    st = call(f, op="state")
    c = call(f, op="checkpoint", data=True)
    assert c["ok"] and c["settings"] == st["settings"] and c["epoch"] == st["epoch"]
    assert c["json"] == call(f, op="export_model")["json"]
    custom = st["settings"]["dataset"] == "custom"
    assert c["data"] == (call(f, op="export_data")["csv"] if custom else None)
    assert call(f, op="checkpoint")["data"] is None     # only when asked
    return {"settings": c["settings"], "json": c["json"], "data": c["data"], "state": st}


@pytest.mark.parametrize("settings", [{"dataset": "xor", "hidden": [3], "learning_rate": 0.1, "seed": 7},
                                      {"dataset": "plane", "activation": "relu", "l2": 0.001}])
def test_restore_gives_back_settings_weights_and_epoch(settings):
    f = started(**settings)
    call(f, op="step", n=3)
    c = copy_of(f)
    g = Facade()
    r = call(g, op="restore", settings=c["settings"], json=c["json"], data=None, preset=None)
    assert r["ok"], r
    for key in ("settings", "epoch", "weights", "biases", "train_loss", "test_loss", "layers"):
        assert r[key] == c["state"][key], key
    # and it trains on as the original does (same data; the shuffle restarts from the seed)
    assert call(g, op="step", n=1)["epoch"] == 4


def test_restore_own_data():
    f = started(dataset="xor")
    csv = "a,b,label\n" + "\n".join(f"{i / 10},{(i * 7 % 10) / 10},{'yes' if i % 3 else 'no'}" for i in range(30))
    assert call(f, op="load_csv", text=csv, settings={"hidden": [2]})["ok"]
    call(f, op="step", n=2)
    c = copy_of(f)
    g = started()
    r = call(g, op="restore", settings=c["settings"], json=c["json"], data=c["data"])
    assert r["ok"], r
    assert r["settings"] == c["settings"] and r["weights"] == c["state"]["weights"]
    assert r["epoch"] == 2 and r["classes"] == ["no", "yes"]
    assert call(g, op="export_data")["csv"] == c["data"]


def test_restore_a_preset():
    f = started()
    call(f, op="preset", name="chapter")
    call(f, op="step_sample")
    c = copy_of(f)
    g = Facade()
    r = call(g, op="restore", settings=c["settings"], json=c["json"], preset="chapter")
    assert r["ok"], r
    assert r["weights"] == c["state"]["weights"] and r["layers"] == [4, 2]


@pytest.mark.parametrize("change, words", [
    ({"json": "{not json"}, "not valid JSON"),
    ({"json": json.dumps({"format": "pynet.Network", "version": 1})}, "model"),
    ({"settings": {"hidden": [5]}}, "do not match"),
    ({"settings": {"learning_rate": "fast"}}, "learning_rate"),
    ({"data": "a,b\n1"}, "line"),
])
def test_a_copy_that_does_not_fit_is_refused_and_changes_nothing(change, words):
    f = started(dataset="xor", hidden=[3])
    call(f, op="step", n=2)
    c = copy_of(f)
    req = {"settings": c["settings"], "json": c["json"], "data": None, **change}
    before = call(f, op="state")
    r = call(f, op="restore", **req)
    assert r["ok"] is False and words in r["error"], r
    assert call(f, op="state") == before


def test_a_model_whose_playground_is_not_an_object_starts_at_epoch_0():
    f = started(dataset="xor", hidden=[3], seed=1)
    c = copy_of(f)
    d = json.loads(c["json"])
    for pg in ([1, 2], "x", None):
        d["playground"] = pg
        r = call(Facade(), op="restore", settings=c["settings"], json=json.dumps(d))
        assert r["ok"] and r["epoch"] == 0 and r["weights"] == d["weights"], r


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
