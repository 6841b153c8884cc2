"""Request text to answer text: every request gets a JSON answer (a result,
or ``ok: false`` with a message and its type), never an exception; the size
and nesting limits are exact; non-finite numbers are null; bad values are
quoted short; any op with any arguments answers or refuses by name, changing
nothing. CPython and Pyodide."""

from __future__ import annotations

import json
import math

import pytest
from facade_calls import _whole, call, json_values, model_json, started
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pynet import facade
from pynet.facade import LIMITS, Facade


@pytest.mark.parametrize("text, words", [
    ("{not json", "request: not valid JSON"),
    ("[1, 2]", "request: expected an object"),
    ('{"op": "fly"}', "op: expected one of "),
    ('{"op": "fly"}', "got 'fly'"),
    ('{"x": 1}', "op: expected one of"),
    ('{"op": "init", "settings": [1]}', "settings: expected an object"),
])
def test_bad_requests_answer_with_errors_not_exceptions(text, words):
    r = json.loads(Facade().handle(text))
    assert r["ok"] is False and words in r["error"]


def test_module_level_handle_keeps_one_session():
    r = json.loads(facade.handle(json.dumps({"op": "init", "settings": {"hidden": [2]}})))
    assert r["ok"]
    r = json.loads(facade.handle('{"op": "step", "n": 2}'))
    assert r["ok"] and r["epoch"] == 2


# ----------------------------------------------- defect 1: deep nesting
@pytest.mark.parametrize("text", [
    "[" * 1500 + "]" * 1500,
    '{"op": "init", "settings": {"hidden": ' + "[" * 5000 + "]" * 5000 + "}}",
    "{" + '"a":{' * 3000 + "}" * 3001,
])
def test_deeply_nested_json_is_an_error_answer_not_an_exception(text):
    r = json.loads(Facade().handle(text))
    assert r == {"ok": False, "type": "ValueError",
                 "error": "request: brackets nested more than 32 deep"}


@pytest.mark.parametrize("depth, ok", [(32, True), (33, False)])
def test_request_depth_limit_is_exact(depth, ok):
    # settings: {"hidden": [[...[3]...]]}: 2 levels of objects, depth - 2 of lists
    text = '{"op": "init", "settings": {"hidden": ' + "[" * (depth - 2) + "3" + \
        "]" * (depth - 2) + "}}"
    r = json.loads(Facade().handle(text))
    assert r["ok"] is False
    if ok:   # parsed, then refused as a setting
        assert r["error"].startswith("hidden") and r["type"] == "SettingsError"
    else:
        assert r["error"] == "request: brackets nested more than 32 deep"
    assert LIMITS["request_depth"] == 32


@pytest.mark.parametrize("text", [
    '{"op": "init", "settings": {"dataset": "' + "[" * 200 + '"}}',    # brackets in a string
    '{"op": "init", "settings": {"dataset": "\\\"' + "{" * 200 + '"}}',  # after an escaped quote
])
def test_brackets_inside_strings_do_not_count(text):
    r = json.loads(Facade().handle(text))
    assert r["ok"] is False and r["error"].startswith("dataset: expected one of")


def test_unbalanced_brackets_are_a_json_error():
    r = json.loads(Facade().handle("[" * 50))
    assert r["ok"] is False and r["error"].startswith("request: not valid JSON")


def test_deeply_nested_request_dict_is_an_error_answer():
    nested: list = []
    for _ in range(3000):                       # past the recursion limit
        nested = [nested]
    f = Facade()
    r = f.request({"op": "init", "settings": {"hidden": nested}})
    assert r["ok"] is False and r["error"].startswith("hidden")
    assert len(r["error"]) < 200
    r = f.request(nested)
    assert r["ok"] is False and r["error"].startswith("request: expected an object")


# ----------------------------------------------- defect 7: no echo
@pytest.mark.parametrize("settings, start", [
    ({"hidden": [1] * 10 ** 6}, "hidden: expected a list of 0 to 6"),
    ({"dataset": "x" * 10 ** 6}, "dataset: expected one of"),
    ({"noise": "x" * 10 ** 6}, "noise: expected a number"),
    ({"x" * 10 ** 6: 1}, "settings: unknown setting"),
    ({"seed": [0] * 10 ** 6}, "seed: expected a whole number"),
])
def test_errors_quote_at_most_a_short_excerpt_of_the_input(settings, start):
    r = call(Facade(), op="init", settings=settings)
    assert r["ok"] is False and r["error"].startswith(start)
    assert len(r["error"]) < 300


def test_other_errors_do_not_echo_long_input_either():
    f = started()
    long = "y" * 10 ** 5
    for req in ({"op": long}, {"op": "predict", "points": [[1, long]]},
                {"op": "init", "settings": [long]}):
        r = f.request(req)
        # the op message lists every op (~350 characters) but quotes at most 60 of the input
        assert r["ok"] is False and len(r["error"]) < 600 and "y" * 61 not in r["error"], \
            r["error"][:100]
    r = f.request([long])
    assert r["ok"] is False and len(r["error"]) < 300


def test_non_finite_losses_and_outputs_are_null_not_invalid_json():
    f = started(dataset="plane", hidden=[])
    f.net.weights[0][0][:] = [1e300, 1e300]
    s = call(f, op="state")
    assert s["ok"] is True
    assert s["train_loss"] is None and s["test_loss"] is None
    r = call(f, op="predict", points=[[1e10, 1e10], [-1e10, -1e10], [1e10, -1e10], [0, 0]])
    assert r["ok"] is True and r["outputs"][:3] == [None, None, None]   # inf, -inf, nan
    assert r["outputs"][3] == f.net.biases[0][0]


def test_non_finite_history_entries_are_null():
    assert facade._finite_or_none(math.inf) is None
    assert facade._finite_or_none(math.nan) is None
    assert facade._finite_or_none(-math.inf) is None
    assert facade._finite_or_none(1.5) == 1.5


@pytest.mark.parametrize("exc", [ZeroDivisionError("division by zero"),
                                 OverflowError("math range error")])
def test_arithmetic_errors_in_an_op_are_answers(exc):
    f = started()

    def boom(*args, **kwargs):
        raise exc

    f.op_state = boom  # whatever an op computes, the dispatch answers
    r = f.request({"op": "state"})
    assert r == {"ok": False, "error": str(exc), "type": type(exc).__name__}
    assert json.loads(f.handle('{"op": "state"}'))["type"] == type(exc).__name__


def test_error_answers_carry_the_error_type():
    r = json.loads(Facade().handle("{nope"))
    assert r == {"ok": False, "error": r["error"], "type": "ValueError"}
    assert r["error"].startswith("request: not valid JSON (")
    r = call(Facade(), op="state")
    assert r == {"ok": False, "error": 'no network yet: send {"op": "init"} first',
                 "type": "SettingsError"}
    r = call(Facade(), op="init", settings={"colour": 1})
    assert "(known: dataset, noise, train_ratio" in r["error"]
    r = call(Facade(), op="init", settings={"dataset": "moons"})
    assert "expected one of circle, xor, gauss, spiral, plane, multigauss, iris, digits, " \
        "custom, got 'moons'" in r["error"]
    r = call(started(), op="predict", points="x")
    assert r["error"] == "points: expected a list of 1 to 20000 points [x1, x2], got str"


def test_a_request_over_the_size_limit_is_refused_whole_and_the_limit_is_exact():
    most = max(LIMITS["model_chars"], LIMITS["csv_chars"]) + 1_000_000
    f = Facade()
    assert json.loads(f.handle(" " * (most + 1))) == {
        "ok": False, "type": "ValueError",
        "error": f"request: {most + 1} characters, more than the limit of {most} (model_chars "
                 f"{LIMITS['model_chars']}, csv_chars {LIMITS['csv_chars']}, plus the request "
                 "around them)"}
    at = json.loads(f.handle(" " * most))        # at the limit: read, then refused as JSON
    assert at["ok"] is False and at["type"] == "ValueError"
    assert at["error"].startswith("request: not valid JSON ("), at


LONG = "q" * 1000


def _facade_quote(value) -> str:
    """How the facade itself quotes ``value`` in an error (its answer to a bad op)."""
    error = call(Facade(), op=value)["error"]
    assert error.startswith("op: expected one of ") and ", got " in error, error
    return error.rsplit(", got ", 1)[1]


@pytest.mark.parametrize("req, start", [
    ({"op": "add_point", "x": [1, 2], "label": 1, "set": LONG}, "set: expected train or test"),
    ({"op": "add_point", "x": [1, 2], "label": LONG}, "label: expected one of 0, 1"),
    ({"op": "grid", "features": LONG}, "features: expected two different feature indices"),
    ({"op": "grid", "neurons": LONG}, "neurons: expected true or false"),
    ({"op": "grid", "x_range": LONG}, "x_range: expected [low, high]"),
    ({"op": "load_csv", "text": "a,b\n1,2\n3,4\n", "settings": LONG},
     "settings: expected an object"),
    ({"op": "load_model", "json": model_json(format=LONG)}, "model: 'format' must be"),
    ({"op": "load_model", "json": model_json(version=LONG)}, "model: 'version' "),
    ({"op": "load_model", "json": model_json(playground={"epoch": LONG})},
     "model: 'playground.epoch' must be"),
])
def test_the_playground_quotes_a_bad_value_as_the_facade_does(req, start):
    f = started(dataset="xor", samples=20)
    r = call(f, **req)
    assert r["ok"] is False and r["error"].startswith(start), r
    quoted = _facade_quote(LONG)
    assert len(quoted) <= 60 and quoted in r["error"], (quoted, r["error"])
    assert len(r["error"]) < len(start) + 130, r["error"]


def test_a_long_bad_point_is_quoted_short():
    f = started(dataset="xor", samples=20)
    r = call(f, op="add_point", x=[1] * 100_000, label=1)
    assert r["ok"] is False and r["error"].endswith("got " + _facade_quote([1] * 100_000)), r


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
