"""Own data keeps the train/test split the user saw (fix8): through rebuilds,
a trip to another data set, and load_csv with export_data's ``split`` (the
page's reload); ``split`` is checked like any other request field. And each
data set's ``shape`` (with its hidden-node limit) is the one the facade
enforces. CPython and Pyodide."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pynet.page import spec, tabular
from pynet.facade import Facade
from pynet.page.settings import DATASETS, LIMITS
from facade_calls import call, started  # noqa: E402  (tests/ is on sys.path)


def sets(f: Facade) -> tuple[list, list]:
    d = call(f, op="data")
    return d["train_x"], d["test_x"]


def clicked() -> Facade:
    """Circle data with two points clicked into the training set."""
    f = started(dataset="circle", samples=30, seed=5)
    assert call(f, op="add_point", x=[2, 3], label=1)["ok"]
    assert call(f, op="add_point", x=[-4, 1], label=0)["ok"]
    return f


def test_a_rebuild_and_a_trip_to_another_data_set_keep_the_split():
    f = clicked()
    before = sets(f)
    assert [2.0, 3.0] in before[0] and [-4.0, 1.0] in before[0]
    assert call(f, op="set_state", settings={"hidden": [3]})["reset"] is True
    assert sets(f) == before
    call(f, op="set_state", settings={"dataset": "xor"})
    call(f, op="set_state", settings={"dataset": "custom"})
    assert sets(f) == before
    # a new seed or train_ratio is a new split, asked for
    call(f, op="set_state", settings={"seed": 6})
    assert sets(f) != before
    call(f, op="set_state", settings={"seed": 5})
    assert sets(f) != before            # the clicked split is gone once re-split


def test_export_data_split_reloads_the_same_sets_and_the_same_run():
    f = clicked()
    call(f, op="set_state", settings={"hidden": [3]})
    out = call(f, op="export_data")
    assert out["split"]["seed"] == 5 and len(out["split"]["train"]) == len(sets(f)[0])
    g = Facade()
    r = call(g, op="load_csv", text=out["csv"], split=out["split"],
             settings={k: v for k, v in call(f, op="state")["settings"].items() if k != "dataset"})
    assert r["ok"], r
    assert sets(g) == sets(f)
    assert call(g, op="step", n=3)["train_loss"] == call(f, op="step", n=3)["train_loss"]
    # without the split (or with another seed's) the rows are split by the seed
    h = Facade()
    assert call(h, op="load_csv", text=out["csv"], settings={"seed": 5})["ok"]
    assert sets(h) != sets(f)
    k = Facade()
    assert call(k, op="load_csv", text=out["csv"], split=out["split"], settings={"seed": 7})["ok"]
    train, test = tabular.split_indices(out["rows"], 0.5, 7)
    rows = tabular.parse_csv(out["csv"]).x
    assert sets(k) == ([rows[i] for i in train], [rows[i] for i in test])


def test_a_split_with_an_empty_test_set_reloads():
    # two points clicked after Clear, both training points: they stay so, the
    # empty test set is what the user made (the seed alone would split them 1/1)
    f = clicked()
    call(f, op="clear")
    call(f, op="add_point", x=[1, 1], label=1)
    call(f, op="add_point", x=[-1, 1], label=0)
    out = call(f, op="export_data")
    assert out["split"]["train"] == [0, 1] and out["split"]["test"] == []
    g = Facade()
    r = call(g, op="load_csv", text=out["csv"], split=out["split"], settings={"seed": 5})
    assert r["ok"], r
    assert (r["train_size"], r["test_size"]) == (2, 0)
    assert call(Facade(), op="load_csv", text=out["csv"], settings={"seed": 5})["test_size"] == 1


ROWS3 = "a,b,y\n0,0,0\n1,1,1\n2,2,0\n"


@pytest.mark.parametrize("split, words", [
    ("train", "split: expected an object with seed"),
    ({"train": [0, 1, 2], "test": []}, "split: expected an object with seed"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 1], "test": [2], "extra": 1}, "split: expected an object"),
    ({"seed": "1", "train_ratio": 0.5, "train": [0, 1], "test": [2]}, "split.seed: expected a whole number"),
    ({"seed": 1, "train_ratio": 2, "train": [0, 1], "test": [2]}, "split.train_ratio: expected a number from"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 3], "test": [2]}, "split.train: expected a list of row numbers from 0 to 2"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, True], "test": [2]}, "split.train: expected a list of row numbers"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 1], "test": "2"}, "split.test: expected a list of row numbers"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 1], "test": [1, 2]}, "split.test: a row is listed twice"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0, 0], "test": [2]}, "split.train: a row is listed twice"),
    ({"seed": 1, "train_ratio": 0.5, "train": [0], "test": [2]}, "split: 1 of the 3 rows are in neither"),
])
def test_bad_splits_are_refused_naming_the_field_and_change_nothing(split, words):
    f = started(dataset="xor", samples=20)
    before = (call(f, op="state"), call(f, op="data"))
    r = call(f, op="load_csv", text=ROWS3, split=split)
    assert r["ok"] is False and words in r["error"], r
    assert (call(f, op="state"), call(f, op="data")) == before


@hsettings(max_examples=40, deadline=None)
@given(st.data())
def test_any_partition_of_the_rows_is_kept_exactly(data):
    n = data.draw(st.integers(2, 12))      # two rows at least: two classes
    rows = data.draw(st.permutations(list(range(n))))
    cut = data.draw(st.integers(0, n))
    text = "a,b,y\n" + "".join(f"{i},{-i},{i % 2}\n" for i in range(n))
    split = {"seed": 1, "train_ratio": 0.5, "train": rows[:cut], "test": rows[cut:]}
    f = Facade()
    r = call(f, op="load_csv", text=text, split=split, settings={"seed": 1})
    assert r["ok"], r
    assert sets(f) == ([[float(i), float(-i)] for i in rows[:cut]], [[float(i), float(-i)] for i in rows[cut:]])
    assert call(f, op="export_data")["split"] == split


@hsettings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(
                        st.sampled_from(["seed", "train_ratio", "train", "test", "x"]), c, max_size=5),
                    max_leaves=12))
def test_any_other_split_is_refused_with_a_message_naming_split(junk):
    f = Facade()
    r = json.loads(f.handle(json.dumps({"op": "load_csv", "text": ROWS3, "split": junk})))
    if junk is None:
        assert r["ok"]                  # no split: split by the seed
    else:
        assert r["ok"] is False and r["error"].startswith("split"), r


def test_each_shape_has_the_node_limit_the_facade_enforces():
    shapes = spec.shapes()
    assert set(shapes) == set(DATASETS) - {"custom"}
    for name, shape in shapes.items():
        lo, hi = shape["hidden_nodes"]
        assert shape["hidden_nodes"] in (LIMITS["hidden_nodes"], LIMITS["hidden_nodes_wide"])
        f = started(dataset=name, hidden=[hi])
        st_ = call(f, op="state")
        assert st_["layers"][0] == shape["inputs"] and st_["hidden_nodes"] == [lo, hi]
        r = call(f, op="set_state", settings={"hidden": [hi + 1]})
        assert r["ok"] is False and "hidden[0]" in r["error"]
    # own data: export_data's shape, by its features
    for text, wide in ((ROWS3, False), ("a,b,c,y\n0,0,0,0\n1,1,1,1\n2,2,2,0\n", True)):
        f = Facade()
        assert call(f, op="load_csv", text=text)["ok"]
        shape = call(f, op="export_data")["shape"]
        assert shape["hidden_nodes"] == LIMITS["hidden_nodes_wide" if wide else "hidden_nodes"]
        assert shape["inputs"] == len(text.split("\n")[0].split(",")) - 1
        assert shape["outputs"]["auto"] == call(f, op="state")["layers"][-1]
        assert call(f, op="state")["hidden_nodes"] == shape["hidden_nodes"]
        hi = shape["hidden_nodes"][1]
        assert call(f, op="set_state", settings={"hidden": [hi]})["ok"]
        assert call(f, op="set_state", settings={"hidden": [hi + 1]})["ok"] is False


def test_the_recovery_copy_keeps_the_split():
    # restore.checkpoint/restore (a crashed worker, the divergence panel): the split comes back too
    f = clicked()
    call(f, op="step", n=2)
    copy = call(f, op="checkpoint", data=True)
    assert copy["split"] == call(f, op="export_data")["split"]
    g = Facade()
    r = call(g, op="restore", settings=copy["settings"], json=copy["json"], data=copy["data"],
             split=copy["split"])
    assert r["ok"], r
    assert sets(g) == sets(f) and r["epoch"] == 2
    assert call(started(dataset="xor"), op="checkpoint", data=True).get("split") is None
