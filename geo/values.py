"""One definition of a missing value, and of a value JSON (or HTML) can hold.

Data arrive with every flavour of "nothing": ``None``, ``pandas.NA``, ``pandas.NaT``, float
and numpy NaN, numpy ``NaT``. Every module that shows, exports or reports a value asks
:func:`is_missing`, so a value is missing in one place exactly when it is missing in all.

:func:`json_records` gives a table's rows as :func:`json_safe` gives each value, converting
a column of numbers, booleans or text at once rather than value by value (an interface has
twenty-odd values, and a province-size count thousands of interfaces).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_float_dtype, is_integer_dtype


def is_missing(value: object) -> bool:
    """Whether ``value`` is a missing scalar (None, NA, NaT or NaN).

    Lists, arrays and other containers are never missing, even when empty or full of NaN.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(0), is_missing([])
    (True, True, False, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(float(value))
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    return False


def plain(value: object) -> object:
    """``value`` with missing values as None and numpy scalars as Python ones."""
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def json_safe(value: Any) -> Any:
    """A value JSON can hold.

    Missing values and infinities become None, numpy scalars and arrays Python ones, lists
    and dicts are converted item by item, timestamps become ISO 8601 text and anything else
    its ``str``.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    value = plain(value)
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isinf(value) else value
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def json_values(column: pd.Series) -> list[Any]:
    """``[json_safe(v) for v in column]``, converted at once for a column of plain values.

    A column of numbers, booleans or text (numpy's or pandas' nullable dtypes) is converted
    by pandas, its missing values (and infinities) set to None; any other column (objects,
    categories, dates) value by value with :func:`json_safe`.

    Examples
    --------
    >>> json_values(pd.Series([1.5, float("nan"), float("inf")]))
    [1.5, None, None]
    >>> json_values(pd.Series([2, None], dtype="Int64"))
    [2, None]
    """
    dtype = column.dtype
    kinds = (is_bool_dtype, is_integer_dtype, is_float_dtype)
    plain = isinstance(dtype, pd.StringDtype) or any(kind(dtype) for kind in kinds)
    if not plain or isinstance(dtype, pd.CategoricalDtype | pd.SparseDtype):
        return [json_safe(v) for v in column]
    values: list[Any] = column.tolist()
    missing = column.isna().to_numpy(dtype=bool)
    if is_float_dtype(dtype):
        missing = missing | ~np.isfinite(column.to_numpy(dtype=float, na_value=np.nan))
    for k in np.flatnonzero(missing).tolist():
        values[k] = None
    return values


def json_records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of ``frame`` (its ``columns``, all by default) as dicts of JSON-safe values.

    The same as ``{c: json_safe(v) ...}`` for every row, converted column by column
    (:func:`json_values`).
    """
    table = frame if columns is None else frame[columns]
    names = list(table.columns)
    if not names:
        return [{} for _ in range(len(table))]
    values = [json_values(column) for _, column in table.items()]
    return [dict(zip(names, row)) for row in zip(*values)]
