"""JSON text exactly as ``json.dumps(data, ensure_ascii=False, indent=2)`` writes it, faster.

With ``indent`` set, :func:`json.dumps` encodes every value with Python's own encoder (the C
encoder of :mod:`json` knows no indentation). :func:`dumps` walks the lists and dicts in
Python and hands their values to the C encoder a list at a time; a table (dicts with the
same keys, as :func:`geo.values.json_records` makes them, or GeoJSON's features) column by
column, its rows then filled into one text by ``%``. The C encoder joins the values of a list with
:data:`_SEPARATOR`, a control character: it escapes every control character inside a string,
so the separator is found only between values, and the list is split apart there. On a
count's report of 4,719 interfaces this takes about half the time of :func:`json.dumps`
(benchmarks/README.md).

The text is the same, byte for byte (``tests/test_json_text.py`` checks it against
:func:`json.dumps` on generated data and on the reports): the same separators (``","`` at
the end of a line, ``": "`` after a key), ``[]`` and ``{}`` for empty containers, the same
numbers, strings, ``NaN`` and ``Infinity``. A dict with a key that is not text (which json
turns into text) is left to :func:`json.dumps` itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import islice
from typing import Any

#: Spaces per level, as ``indent=2``.
INDENT = "  "
#: What the C encoder puts between values: a character no encoded value holds.
_SEPARATOR = "\x00"
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(_SEPARATOR, ": "))
#: What the encoder writes as an array or an object.
_CONTAINERS = (list, tuple, dict)


def dumps(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, byte for byte.

    Raises
    ------
    TypeError
        For a value JSON cannot hold, as :func:`json.dumps` does.

    Examples
    --------
    >>> print(dumps({"a": [1, 2.5, None], "b": {}}))
    {
      "a": [
        1,
        2.5,
        null
      ],
      "b": {}
    }
    """
    return _value(data, 0)


def _value(value: Any, level: int) -> str:
    """One value at ``level`` (its first line not indented: it follows a key or an indent)."""
    if isinstance(value, dict):
        return _object(value, level)
    if isinstance(value, list | tuple):
        return _array(value, level)
    return _scalars([value])[0]


def _scalars(values: Sequence[Any]) -> list[str]:
    """Each of ``values`` (none of them a list, tuple or dict) as JSON text."""
    if not values:
        return []
    return _ENCODER.encode(list(values))[1:-1].split(_SEPARATOR)


def _column(values: Sequence[Any], level: int) -> list[str]:
    """Values at ``level`` as JSON text, a list at a time where their kinds allow.

    Values none of which is a container are encoded at once; so are lists of such values
    (their items one after the other); dicts with the same keys (a table's rows) a key at a
    time (:func:`_rows`); any other mix value by value.
    """
    kinds = set(map(type, values))
    if not any(issubclass(kind, _CONTAINERS) for kind in kinds):
        return _scalars(values)
    if all(issubclass(kind, list | tuple) for kind in kinds):
        flat = [item for value in values for item in value]
        if not any(issubclass(kind, _CONTAINERS) for kind in set(map(type, flat))):
            return _lists_of_scalars(values, _scalars(flat), level)
    keys = _table_keys(values)
    if keys is not None:
        return _rows(values, keys, level)
    return [_value(v, level) for v in values]


def _rows(values: Sequence[dict[str, Any]], keys: tuple[str, ...], level: int) -> list[str]:
    """Dicts with the same ``keys`` at ``level`` as JSON text, a key at a time.

    Every row is the same text around its values, filled in by ``%`` (in C).
    """
    row = _lines([f"{key.replace('%', '%%')}: %s" for key in _scalars(keys)], level, "{", "}")
    columns = [_column([r[name] for r in values], level + 1) for name in keys]
    return list(map(row.__mod__, zip(*columns)))


def _lists_of_scalars(values: Sequence[Any], flat: list[str], level: int) -> list[str]:
    """Lists at ``level`` as JSON text, ``flat`` their items' text one after the other."""
    inner = "\n" + INDENT * (level + 1)
    closing = "\n" + INDENT * level + "]"
    items = iter(flat)
    return [
        "[" + inner + ("," + inner).join(islice(items, len(v))) + closing if v else "[]"
        for v in values
    ]


def _lines(items: list[str], level: int, opening: str, closing: str) -> str:
    """Items one per line at ``level + 1``, between brackets at ``level``."""
    inner = "\n" + INDENT * (level + 1)
    return opening + inner + ("," + inner).join(items) + "\n" + INDENT * level + closing


def _object(value: dict[Any, Any], level: int) -> str:
    """One dict at ``level``; one with a key that is not text as :func:`json.dumps` writes it."""
    if not value:
        return "{}"
    if not all(isinstance(key, str) for key in value):
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + INDENT * level)
    keys = _scalars(list(value))
    items = _column(list(value.values()), level + 1)
    return _lines([f"{k}: {v}" for k, v in zip(keys, items)], level, "{", "}")


def _array(values: Sequence[Any], level: int) -> str:
    """One list or tuple at ``level``."""
    if not values:
        return "[]"
    return _lines(_column(values, level + 1), level, "[", "]")


def _table_keys(values: Sequence[Any]) -> tuple[str, ...] | None:
    """The keys of a table: dicts with the same text keys in the same order, else None."""
    first = values[0]
    if not isinstance(first, dict) or not first:
        return None
    keys = tuple(first)
    if not all(isinstance(key, str) for key in keys):
        return None
    if all(isinstance(row, dict) and tuple(row) == keys for row in values):
        return keys
    return None
