"""``geo.io.json_text.dumps`` writes what ``json.dumps(..., ensure_ascii=False, indent=2)`` does.

Byte for byte, on generated data: nested lists and dicts of every kind of value JSON holds
(text with quotes, backslashes, control characters and the separator the fast encoder uses
inside, any integer, NaN and infinities, -0.0), tables (lists of dicts with the same keys,
which it encodes a column at a time) with lists in their cells, ragged tables it must not
take for tables, dicts with keys that are not text, and tuples. And on the reports: the JSON
and GeoJSON of a count and the JSON of the border tables.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import count_crossings, load_source
from geo.compare import compare_years
from geo.io import json_text
from geo.io.border_report import compare_json, overview_json
from geo.io.report import to_geojson_dict, to_json_dict
from geo.overview import overview
from geo.values import json_records, json_safe, json_values

text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\x00\n\t%{}[],:'))
scalars = st.none() | st.booleans() | st.integers() | st.floats() | text
keys = text | st.integers() | st.floats() | st.booleans() | st.none()


@st.composite
def tables(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> list[dict[str, Any]]:
    """A list of dicts with the same keys (or, sometimes, one row's keys in another order)."""
    names = draw(st.lists(text, min_size=1, max_size=5, unique=True))
    cell = values | st.lists(scalars, max_size=3)
    rows = draw(st.lists(st.fixed_dictionaries({n: cell for n in names}), min_size=1, max_size=6))
    if draw(st.booleans()) and len(names) > 1:
        rows.append({n: rows[0][n] for n in reversed(names)})  # not a table any more
    return rows


def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists, tuples, dicts and tables of ``inner``."""
    return (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(text, inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=3)
        | tables(inner)
    )


values = st.recursive(scalars, containers, max_leaves=40)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_dumps_writes_what_json_dumps_writes(value):
    assert json_text.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_value_json_cannot_hold_is_refused_as_json_dumps_refuses_it():
    for value in ({"a": {1, 2}}, [[object()]], {"rows": [{"a": b"x"}, {"a": 1}]}):
        try:
            json.dumps(value, ensure_ascii=False, indent=2)
        except TypeError:
            pass
        else:  # pragma: no cover - the case must be one json.dumps refuses
            raise AssertionError(value)
        try:
            json_text.dumps(value)
        except TypeError:
            continue
        raise AssertionError(f"json_text.dumps wrote {value!r}")


def test_the_reports_are_written_as_json_dumps_writes_them():
    source = load_source("yrd")
    layers, regions = source.layers, source.region_set
    result = count_crossings(layers, regions, data_year=source.data_year)
    kw: dict[str, Any] = {"source": source.name, "attribution": source.attribution}
    reports = [
        to_json_dict(result, **kw),
        to_geojson_dict(result, **kw),
        overview_json(overview(layers, regions, data_year=source.data_year), **kw),
        compare_json(compare_years(layers, regions, 2006, 2024), **kw),
    ]
    assert len(reports[0]["interfaces"]) > 10  # tables of many rows, written a column at a time
    for data in reports:
        assert json_text.dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


# ``geo.values.json_records``: a table's rows as ``json_safe`` makes each value, a column at a
# time. Every dtype a report's frames hold (and the ones converted value by value), with
# missing values of each kind, infinities and -0.0.
FRAME = pd.DataFrame(
    {
        "text": pd.Series(["a", None, "ç–ï"], dtype="str"),
        "string": pd.Series(["a", None, ""], dtype="string"),
        "int": pd.Series([1, -2, 2**62], dtype="int64"),
        "int32": pd.Series([1, 2, 3], dtype="int32"),
        "uint": pd.Series([1, 2, 3], dtype="uint64"),
        "nullable": pd.Series([1, None, 3], dtype="Int64"),
        "float": [1.5, float("nan"), float("-inf")],
        "float32": pd.Series([0.1, -0.0, float("inf")], dtype="float32"),
        "Float64": pd.Series([0.25, None, float("nan")], dtype="Float64"),
        "bool": [True, False, True],
        "boolean": pd.Series([True, None, False], dtype="boolean"),
        "object": [[1, 2], None, {"k": np.int64(3)}],
        "category": pd.Series(["x", None, "y"], dtype="category"),
        "when": pd.to_datetime(["2020-01-02", None, "2024-05-06T07:08:00"], format="ISO8601"),
    }
)


@pytest.mark.parametrize("column", list(FRAME.columns))
def test_json_records_are_json_safe_values_row_by_row(column):
    expected = [json_safe(v) for v in FRAME[column]]
    got = json_values(FRAME[column])
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]
    assert json.dumps(got) == json.dumps(expected)  # -0.0 and the like, written alike


def test_json_records_keep_the_columns_order_and_rows():
    rows = json_records(FRAME, ["int", "text"])
    assert rows == [
        {"int": 1, "text": "a"},
        {"int": -2, "text": None},
        {"int": 2**62, "text": "ç–ï"},
    ]
    assert list(rows[0]) == ["int", "text"]
    assert json_records(FRAME.iloc[:0]) == []
    assert json_records(FRAME[[]]) == [{}, {}, {}]
