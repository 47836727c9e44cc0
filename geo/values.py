"""One definition of a missing value, and of a value JSON (or HTML) can hold.

Data arrive with every flavour of "nothing": ``None``, ``pandas.NA``, ``pandas.NaT``, float
and numpy NaN, numpy ``NaT``. Every module that shows, exports or reports a value asks
:func:`is_missing`, so a value is missing in one place exactly when it is missing in all.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


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
