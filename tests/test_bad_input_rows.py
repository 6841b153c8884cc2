"""Issue 9's bad-input table, rows the other test files do not already feed
through the facade (tests/test_tabular.py and tests/test_playground.py hold
the rest): each is refused with a message that says why (line and column, or
the limit hit) and the current data and model are unchanged."""

from __future__ import annotations

import json
import random

import pytest

from facade_calls import call, started
from pynet.page import tabular
from pynet.facade import LIMITS


def _unchanged_after(req: dict, words: str, **settings) -> None:
    f = started(**{"dataset": "xor", "seed": 3, **settings})
    call(f, op="step", n=2)
    before = (call(f, op="state"), call(f, op="data"), call(f, op="export_model"))
    r = call(f, **req)
    assert r["ok"] is False and words in r["error"], r
    assert (call(f, op="state"), call(f, op="data"), call(f, op="export_model")) == before


def test_csv_of_10_mb_is_refused_by_its_limit():
    text = "0.5,0.25,a\n" * (10_000_000 // 11 + 1)
    assert len(text) >= 10_000_000
    most = max(LIMITS["model_chars"], LIMITS["csv_chars"]) + 1_000_000
    req = {"op": "load_csv", "text": text}
    _unchanged_after(req, f"request: {len(json.dumps(req))} characters, more than the limit of {most}")
    over = "0.5,0.25,a\n" * (tabular.MAX_CHARS // 11 + 1)   # just over csv_chars: the CSV's own limit
    _unchanged_after({"op": "load_csv", "text": over},
                     f"text: {len(over)} characters, more than the limit of {tabular.MAX_CHARS}")


def test_csv_of_binary_junk_names_line_and_column():
    junk = bytes(random.Random(9).randrange(256) for _ in range(4096)).decode("latin-1")
    f = started()
    r = call(f, op="load_csv", text=junk)
    assert r["ok"] is False and "line " in r["error"] and "column " in r["error"], r
    _unchanged_after({"op": "load_csv", "text": junk}, "line ")


def test_csv_with_500_distinct_labels_is_refused_at_the_21st():
    text = "x,y,label\n" + "".join(f"{i},{i % 7},c{i}\n" for i in range(500))
    _unchanged_after({"op": "load_csv", "text": text},
                     "line 22, column 3: label 'c20' would be class 21; at most 20 distinct labels")


def test_csv_with_one_column_names_it():
    _unchanged_after({"op": "load_csv", "text": "1\n2\n3\n"}, "line 1, column 2: expected at least 2 columns")


def test_model_json_of_50_mb_is_refused_by_its_limit():
    """Refused by the request's size before any pass over it (the bracket check on
    50 MB ran out of memory in Pyodide); a model just over model_chars by load_model."""
    text = "x" * 50_000_000
    most = max(LIMITS["model_chars"], LIMITS["csv_chars"]) + 1_000_000
    req = {"op": "load_model", "json": text}
    _unchanged_after(req, f"request: {len(json.dumps(req))} characters, more than the limit of {most} "
                     f"(model_chars {LIMITS['model_chars']}", hidden=[3])
    over = "x" * (LIMITS["model_chars"] + 1)
    _unchanged_after({"op": "load_model", "json": over},
                     f"json: {len(over)} characters, more than the limit of {LIMITS['model_chars']}",
                     hidden=[3])


def test_model_json_with_nan_in_a_weight_is_refused():
    f = started(dataset="xor", hidden=[3], seed=1)
    text = call(f, op="export_model")["json"]
    d = json.loads(text)
    w = d["weights"][0][0][0]
    bad = text.replace(json.dumps(w), "NaN", 1)
    assert bad != text
    _unchanged_after({"op": "load_model", "json": bad}, "json: NaN is not a number JSON allows",
                     hidden=[3])


def test_model_json_of_another_version_and_not_json():
    f = started(dataset="xor", hidden=[3], seed=1)
    d = json.loads(call(f, op="export_model")["json"])
    d["version"] = 99
    _unchanged_after({"op": "load_model", "json": json.dumps(d)}, "'version' 99 is not supported",
                     hidden=[3])
    _unchanged_after({"op": "load_model", "json": "<html>not json</html>"}, "json: not valid JSON",
                     hidden=[3])


@pytest.mark.parametrize("value, words", [
    ("0.5", "value: expected a number, got str '0.5'"),
    (1e308, "value: expected a finite number from -1000 to 1000, got 1e+308"),
    (True, "value: expected a number, got bool True"),
])
def test_set_weight_refuses_text_and_huge(value, words):
    """The page refuses text and NaN before asking (stepper.js); the facade refuses them too."""
    _unchanged_after({"op": "set_weight", "l": 0, "k": 0, "j": 0, "value": value}, words)


def test_set_weight_refuses_nan():
    f = started(dataset="xor", seed=3)
    before = call(f, op="state")
    r = json.loads(f.handle('{"op": "set_weight", "l": 0, "k": 0, "j": 0, "value": NaN}'))
    assert r["ok"] is False and "value: expected a finite number from -1000 to 1000, got nan" in r["error"]
    assert call(f, op="state") == before
