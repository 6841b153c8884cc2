"""CSV in and out (pynet.tabular): headers, labels as classes or a
regression target, separators and quotes, the limits, a bad cell found at its
line and column, to_csv read back exactly; and a refused load_csv changes
nothing. CPython and Pyodide."""

from __future__ import annotations

import csv
import io
import math

import pytest
from facade_calls import call, started
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pynet.page import tabular
from pynet.page.tabular import CSVError, parse_csv, to_csv


def test_header_numbers_and_text_labels():
    t = parse_csv("sepal,petal,kind\n1.5,2,b\n-3e2,.5,a\n\n4,5,b\n")
    assert t.features == ["sepal", "petal"] and t.target == "kind"
    assert t.x == [[1.5, 2.0], [-300.0, 0.5], [4.0, 5.0]]
    assert t.kind == "classes" and t.classes == ["a", "b"] and t.y == [1, 0, 1]


def test_no_header_and_integer_labels_are_classes_sorted_by_value():
    t = parse_csv("1,2,10\n3,4,-1\n5,6,+1\n7,8,01\n")
    assert t.features == ["x1", "x2"] and t.target == "label"
    assert t.classes == ["-1", "1", "10"] and t.y == [2, 0, 1, 1]


def test_decimal_labels_are_a_regression_target():
    t = parse_csv("x,y\n1,0.5\n2,2.0\n3,-1e-3\n")
    assert t.kind == "regression" and t.classes is None and t.y == [0.5, 2.0, -0.001]


def test_kind_forces_classes_or_regression():
    assert parse_csv("1,2.5\n2,3.5\n", kind="classes").classes == ["2.5", "3.5"]
    assert parse_csv("1,2\n2,3\n", kind="regression").y == [2.0, 3.0]


def test_many_integer_labels_are_a_regression_target():
    text = "".join(f"{i},{i}\n" for i in range(tabular.MAX_CLASSES + 1))
    assert parse_csv(text).kind == "regression"
    text = "".join(f"{i},{i}\n" for i in range(tabular.MAX_CLASSES))
    assert parse_csv(text).kind == "classes"


def test_tabs_semicolons_quotes_and_crlf():
    assert parse_csv("a\tb\tc\r\n1\t2\tx\r\n3\t4\ty").x == [[1.0, 2.0], [3.0, 4.0]]
    assert parse_csv("1;2;x\n3;4;y\n").classes == ["x", "y"]
    t = parse_csv('"f 1","f,2",label\n1,2,"a, b"\n3,4,c\n')
    assert t.features == ["f 1", "f,2"] and t.classes == ["a, b", "c"]


def test_header_flag_overrides_detection():
    t = parse_csv("1,2,3\n4,5,6\n7,8,9\n", header=True)
    assert t.features == ["1", "2"] and t.x == [[4.0, 5.0], [7.0, 8.0]]


BAD = [
    ("", "text: no data (the text is empty)"),
    ("\n  \n", "text: no data"),
    ("a,b,c\n", "text: no data rows (only the header on line 1)"),
    ("x,y,l\n1,2,a\n3,4\n", "line 3, column 3: expected 3 columns (as on line 1), got 2"),
    ("1,2,a\n3,4,b,5\n", "line 2, column 4: expected 3 columns (as on line 1), got 4"),
    ("x,y,l\n1,2,a\n\n3,abc,b\n", "line 4, column 2: expected a number, got 'abc'"),
    ("1,2,a\nnan,2,b\n", "line 2, column 1: expected a finite number, got 'nan'"),
    ("1,2,a\n1,-inf,b\n", "line 2, column 2: expected a finite number, got '-inf'"),
    ("1,1e999,a\n2,2,b\n", "line 1, column 2: expected a finite number, got '1e999'"),
    ("1,0x10,a\n", "line 1, column 2: expected a number, got '0x10'"),
    ("1,1_000,a\n", "line 1, column 2: expected a number, got '1_000'"),
    ("label\n1\n2\n", "line 1, column 2: expected at least 2 columns"),
    ("1,2\n3,nan\n", "line 2, column 2: expected a finite number or a class name, got 'nan'"),
    ("1,2,a\n3,4,\n", "line 2, column 3: the label is empty"),
    ("1,2,a\n3,4,a\n", "column 3: every row has the label 'a'"),
    ("1,\x00\x01,a\n", "line 1, column 2: unexpected control character U+0000"),
    ('1,2,"a\n', "line 1, column 3: bad quoting"),
    ('1,"2"x,a\n', "line 1, column 2: bad quoting"),
    ("1,2,a\n3,4," + "z" * 50 + "\n", "line 2, column 3: a label of 50 characters"),
]


@pytest.mark.parametrize("text, words", BAD)
def test_bad_csv_names_line_and_column(text, words):
    with pytest.raises(CSVError) as err:
        parse_csv(text)
    assert words in str(err.value)


def test_limit_on_characters():
    text = "1,2,a\n" * (tabular.MAX_CHARS // 6 + 1)
    with pytest.raises(CSVError, match=r"text: \d+ characters, more than the limit of 2000000"):
        parse_csv(text)


def test_limit_on_rows():
    text = "".join(f"{i},{i % 2}\n" for i in range(tabular.MAX_ROWS + 1))
    with pytest.raises(CSVError, match=f"line {tabular.MAX_ROWS + 1}: more than "
                                       f"{tabular.MAX_ROWS} data rows"):
        parse_csv(text)
    assert len(parse_csv(text[:text.rindex("\n", 0, -1) + 1]).x) == tabular.MAX_ROWS


def test_limit_on_columns():
    features = ",".join(["1"] * tabular.MAX_FEATURES)
    ok = f"{features},a\n{features},b\n"          # 64 features and a label: the most
    assert len(parse_csv(ok).features) == tabular.MAX_FEATURES
    wide = ",".join(["1"] * (tabular.MAX_FEATURES + 2)) + "\n"
    with pytest.raises(CSVError, match="line 1, column 66: more than 65 columns"):
        parse_csv(wide)


def test_limit_on_distinct_labels():
    text = "".join(f"{i},c{i}\n" for i in range(500))
    with pytest.raises(CSVError, match=r"line 21, column 2: label 'c20' would be class 21; "
                                       r"at most 20 distinct labels"):
        parse_csv(text)


def test_not_text_and_bad_options():
    with pytest.raises(CSVError, match="text: expected CSV text"):
        parse_csv(b"1,2,a")
    with pytest.raises(CSVError, match="header: expected true, false or null"):
        parse_csv("1,2,a\n", header="yes")
    with pytest.raises(CSVError, match="kind: expected auto, classes or regression"):
        parse_csv("1,2,a\n", kind="labels")

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1,
                max_size=12).filter(lambda s: s.strip() == s and tabular._number(s) is None
                                    and not tabular._NON_FINITE.fullmatch(s))
# (labels that read as nan/inf are refused by parse_csv, so no table holds them)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def tables(draw):
    n_features = draw(st.integers(1, 5))
    n_rows = draw(st.integers(1, 30))
    features = draw(st.lists(names, min_size=n_features, max_size=n_features))
    x = draw(st.lists(st.lists(finite, min_size=n_features, max_size=n_features),
                      min_size=n_rows, max_size=n_rows))
    kind = draw(st.sampled_from(["text", "int", "regression"]))
    if kind == "regression":
        return tabular.Table("regression", features, "target", None, x,
                             draw(st.lists(finite, min_size=n_rows, max_size=n_rows)))
    if kind == "text":
        classes = draw(st.lists(names, min_size=2, max_size=6, unique=True))
    else:
        classes = [str(v) for v in draw(st.lists(st.integers(-10**6, 10**6), min_size=2,
                                                  max_size=6, unique=True))]
    classes = sorted(classes, key=tabular._class_key)
    y = draw(st.lists(st.integers(0, len(classes) - 1), min_size=n_rows, max_size=n_rows))
    y[:2] = [0, 1] if n_rows >= 2 else y[:2]
    if n_rows < 2 or len(set(y)) < 2:
        y = [0, 1] * (n_rows // 2) + [0] * (n_rows % 2)
        if n_rows < 2:
            x = x + x
            y = [0, 1]
    used = sorted(set(y))
    classes = [classes[k] for k in used]
    y = [used.index(v) for v in y]
    return tabular.Table("classes", features, "label", classes, x, y)


@hsettings(max_examples=60, deadline=None)
@given(tables())
def test_to_csv_is_read_back_exactly(t):
    back = parse_csv(to_csv(t))
    assert back.features == t.features and back.target == t.target
    assert back.kind == t.kind and back.classes == t.classes
    assert back.x == t.x and back.y == t.y


@hsettings(max_examples=60, deadline=None)
@given(tables(), st.data())
def test_a_bad_cell_is_found_at_its_line_and_column(t, data):
    lines = to_csv(t).splitlines()
    row = data.draw(st.integers(1, len(lines) - 1))
    col = data.draw(st.integers(0, len(t.features) - 1))
    junk = data.draw(st.sampled_from(["abc", "nan", "inf", "1,5.2.3", "--1", "", "0x1F"]))
    cells = next(csv.reader([lines[row]]))
    cells[col] = junk
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)   # quotes what needs quoting
    lines[row] = out.getvalue()
    with pytest.raises(CSVError) as err:
        parse_csv("\n".join(lines))
    assert f"line {row + 1}, column {col + 1}:" in str(err.value)


def test_a_class_named_like_infinity_is_refused():
    # found by hypothesis in Pyodide: "INF" reads as a non-finite number, not a name
    with pytest.raises(CSVError, match="line 2, column 2: expected a finite number or a "
                                       "class name, got 'INF'"):
        parse_csv("0.0,a\n0.0,INF\n")


def test_a_bad_cell_next_to_a_quoted_label():
    # found by hypothesis: a label '"' is written quoted; the bad cell is still found
    t = tabular.Table("classes", [":"], "label", ['"', ":"], [[0.0], [0.0]], [0, 1])
    text = to_csv(t)
    assert text.splitlines()[1] == '0,""""'   # a whole number without ".0": the copy stays short
    with pytest.raises(CSVError, match="line 2, column 1: expected a number, got 'abc'"):
        parse_csv(text.replace("0,", "abc,", 1))
    assert parse_csv(text).classes == ['"', ":"]


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_table_or_a_csv_error(text):
    try:
        t = parse_csv(text)
    except CSVError as exc:
        assert str(exc).startswith(("line ", "text: ", "column "))
    else:
        assert len(t.x) == len(t.y) >= 1
        assert all(len(r) == len(t.features) and all(math.isfinite(v) for v in r) for r in t.x)


@pytest.mark.parametrize("text, words", [(t, w) for t, w in BAD] + [
    ("1,2.5\n", "train_ratio: 0.5 of 1 samples leaves an empty training or test set"),
    (None, "text: expected CSV text"),
])
def test_refused_csv_changes_nothing(text, words):
    f = started(dataset="xor", seed=3)
    call(f, op="step", n=2)
    before = (call(f, op="state"), call(f, op="data"))
    r = call(f, op="load_csv", text=text)
    assert r["ok"] is False and words in r["error"], r
    assert (call(f, op="state"), call(f, op="data")) == before
