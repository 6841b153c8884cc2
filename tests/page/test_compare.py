"""The ``compare`` request: it works on copies and leaves the facade's network
alone; bad epoch counts are refused. CPython and Pyodide."""

from __future__ import annotations

import json

import pytest

from pynet.facade import Facade


def call(f: Facade, **req) -> dict:
    return json.loads(f.handle(json.dumps(req)))


def test_compare_op_leaves_the_facade_network_alone():
    f = Facade()
    call(f, op="init", settings={"samples": 40, "learning_rate": 1.0})
    before = call(f, op="state")
    r = call(f, op="compare", epochs=3)
    assert r["ok"] and r["layers"] == [2, 4, 2, 1] and r["epochs"] == 3 and r["learning_rate"] == 1.0
    assert call(f, op="state") == before


@pytest.mark.parametrize("bad", [0, 201, 2.5, "3", True])
def test_compare_op_refuses_bad_epoch_counts(bad):
    f = Facade()
    call(f, op="init")
    r = call(f, op="compare", epochs=bad)
    assert not r["ok"] and r["error"].startswith("epochs:")
