"""Each feature's history: the years its status or capacity changed, one row per change.

What the exports carry instead of the ``status_by_year`` and ``capacity_by_year`` JSON text
of the data (:mod:`geo.lifecycle`): a long table, one row per feature and year in which
anything about it changed, read with the same rules that count a year
(:func:`geo.lifecycle.status_at`, :func:`geo.lifecycle.value_at`), so the history and
every year's count agree. The years looked at are those the feature's data name:
``start_year``, ``works_start_year``, ``end_year`` and the years of its by-year histories;
a change in year Y is a difference between Y - 1 and Y.

The kinds of change are those of :mod:`geo.compare` (:data:`geo.labels.CHANGE_LABELS`):

* ``opened``: the feature became open (from not yet built, or under construction);
* ``closed``: it was open and ceased to be (disused, abandoned, or gone);
* ``status``: any other change of status (works started, a plan cancelled);
* ``widened`` / ``narrowed``: its capacity changed, both known: more lanes or tracks, a
  larger diameter, more berths, or a *better* (lower) navigation grade is ``widened``;
* ``capacity_data``: its capacity became known, or unknown, while it existed.

A row can carry more than one (``opened;widened``). Capacity is compared only while the
feature exists in both years: a road that opens with 4 lanes was not widened from none.

:func:`life_years` sums a feature's history up as the years a planner asks for: when it
opened, closed and was last widened.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.errors import layer_spec
from geo.labels import CHANGE_LABELS
from geo.lifecycle import ACCEPTED_YEARS, status_at, value_at

#: Where a layer's capacity goes in the exports, by :attr:`layers.base.LayerSpec.capacity_unit`.
CAPACITY_COLUMNS: dict[str, str] = {
    "lanes": "lanes",
    "tracks": "tracks",
    "navigation grade": "grade",
    "diameter_mm": "diameter_mm",
    "berths": "berths",
}

#: Columns of :func:`feature_history`.
HISTORY_COLUMNS = [
    "id", "layer", "class", "ref", "year", "change", "change_en", "change_zh",
    "status_before", "status_after", "measure", "value_before", "value_after",
]  # fmt: skip

#: The statuses of a feature that is in use: it "closes" when it leaves them.
_OPEN = "open"
_GONE = ("disused", "abandoned", "")

#: Columns holding years a feature's status may change in.
_YEAR_COLUMNS = ("start_year", "works_start_year", "end_year")
_HISTORY_JSON = ("status_by_year", "capacity_by_year")


def capacity_column(layer: str) -> str:
    """The export column of a layer's capacity (``lanes``, ``tracks``, ``grade`` ...).

    Examples
    --------
    >>> capacity_column("waterways"), capacity_column("ports")
    ('grade', 'berths')
    """
    unit = layer_spec(layer).capacity_unit
    return CAPACITY_COLUMNS.get(unit, unit.replace(" ", "_"))


def _year(value: object) -> int | None:
    """A whole year in :data:`geo.lifecycle.ACCEPTED_YEARS`, else None."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not np.isfinite(number) or not number.is_integer():
        return None
    low, high = ACCEPTED_YEARS
    year = int(number)
    return year if low < year <= high else None


def _json_years(raw: object) -> Iterable[int | None]:
    """The years of a ``{"year": value}`` JSON object (none for anything else)."""
    if not isinstance(raw, str) or not raw.strip():
        return ()
    try:
        data = json.loads(raw)
    except ValueError:
        return ()
    return (_year(key) for key in data) if isinstance(data, dict) else ()


def candidate_years(features: pd.DataFrame) -> list[set[int]]:
    """Per feature, the years its data name (see the module docstring)."""
    found: list[set[int]] = [set() for _ in range(len(features))]
    for column in _YEAR_COLUMNS:
        if column in features.columns:
            for k, value in enumerate(features[column].tolist()):
                year = _year(value)
                if year is not None:
                    found[k].add(year)
    for column in _HISTORY_JSON:
        if column in features.columns:
            for k, raw in enumerate(features[column].tolist()):
                found[k].update(y for y in _json_years(raw) if y is not None)
    return found


def _number(value: object) -> int | None:
    """A capacity as an int, None when unknown."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if np.isfinite(number) else None


def change_kinds(
    layer: str,
    status_before: str,
    status_after: str,
    value_before: int | None,
    value_after: int | None,
) -> list[str]:
    """The kinds of change between two consecutive years (see the module docstring).

    Examples
    --------
    >>> change_kinds("highways", "", "open", None, 4)
    ['opened']
    >>> change_kinds("waterways", "open", "open", 5, 4)
    ['widened']
    """
    kinds = []
    if status_before != status_after:
        if status_after == _OPEN:
            kinds.append("opened")
        elif status_before == _OPEN and status_after in _GONE:
            kinds.append("closed")
        else:
            kinds.append("status")
    if status_before and status_after:
        if (value_before is None) != (value_after is None):
            kinds.append("capacity_data")
        elif value_before is not None and value_after is not None and value_before != value_after:
            more = value_after > value_before
            if layer_spec(layer).capacity_total == "min":  # a grade: lower is better
                more = not more
            kinds.append("widened" if more else "narrowed")
    return kinds


def feature_history(
    features: pd.DataFrame, layer: str, *, today: int | None = None
) -> pd.DataFrame:
    """The changes of every feature of one layer, one row per feature and year.

    Parameters
    ----------
    features
        The layer's features as tagged (not read at a year: their ``status`` and
        ``capacity`` are the data's), with ``id`` and the lifecycle columns.
    layer
        The layer's name: how its capacity compares and is named (``measure``).
    today
        The year the data's tags describe (:func:`geo.lifecycle.status_at`); the current
        year when None.

    Returns
    -------
    pandas.DataFrame
        :data:`HISTORY_COLUMNS`, by feature (in the order given) and year. ``status_before``
        and ``status_after`` are ``""`` when the feature did not exist; ``value_before``
        and ``value_after`` the capacity (``measure``: ``lanes``, ``tracks``, ``grade``,
        ``diameter_mm`` or ``berths``) in each year, missing when unknown or when the
        feature did not exist.
    """
    if features.empty:
        return _empty()
    years = candidate_years(features)
    asked = sorted({y for found in years for y in found} | {y - 1 for f in years for y in f})
    statuses = {y: status_at(features, y, today=today).to_numpy(dtype=object) for y in asked}
    capacities = {y: value_at(features, "capacity", y).to_numpy(dtype=object) for y in asked}
    measure = capacity_column(layer)
    column = {
        c: features[c].to_numpy(dtype=object) if c in features.columns else None
        for c in ("id", "class", "ref")
    }
    rows = []
    for k, found in enumerate(years):
        for year in sorted(found):
            before, after = str(statuses[year - 1][k] or ""), str(statuses[year][k] or "")
            value_before = _number(capacities[year - 1][k]) if before else None
            value_after = _number(capacities[year][k]) if after else None
            kinds = change_kinds(layer, before, after, value_before, value_after)
            if not kinds:
                continue
            rows.append(
                {
                    **{c: (v[k] if v is not None else "") for c, v in column.items()},
                    "layer": layer,
                    "year": year,
                    "change": ";".join(kinds),
                    "change_en": "; ".join(CHANGE_LABELS[kind]["en"] for kind in kinds),
                    "change_zh": "；".join(CHANGE_LABELS[kind]["zh"] for kind in kinds),
                    "status_before": before,
                    "status_after": after,
                    "measure": measure,
                    "value_before": value_before,
                    "value_after": value_after,
                }
            )
    if not rows:
        return _empty()
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for name in ("year", "value_before", "value_after"):
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    return frame


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in HISTORY_COLUMNS})
    for name in ("year", "value_before", "value_after"):
        frame[name] = pd.array([], dtype="Int64")
    return frame


#: Columns of :func:`life_years`.
LIFE_COLUMNS = ("opened", "closed", "widened")


def life_years(history: pd.DataFrame) -> pd.DataFrame:
    """When each feature of a history opened, closed and was last widened.

    Parameters
    ----------
    history
        :func:`feature_history` of one or more layers.

    Returns
    -------
    pandas.DataFrame
        Indexed by feature ``id``: ``opened``, the first year it opened (an expected
        opening for a feature under construction whose opening date is due); ``closed``,
        the last year it closed, unless it opened again later; ``widened``, the last year
        its capacity grew (:func:`change_kinds`). ``Int64``, missing when the data do
        not date it.
    """
    out: dict[str, dict[str, int | None]] = {}
    for fid, year, change in zip(history["id"], history["year"], history["change"]):
        kinds = str(change).split(";")
        years = out.setdefault(str(fid), dict.fromkeys(LIFE_COLUMNS))
        when = int(year)
        if "opened" in kinds:
            if years["opened"] is None:
                years["opened"] = when
            if years["closed"] is not None and years["closed"] < when:
                years["closed"] = None
        if "closed" in kinds:
            years["closed"] = when
        if "widened" in kinds:
            years["widened"] = when
    frame = pd.DataFrame.from_dict(out, orient="index", columns=list(LIFE_COLUMNS))
    for name in LIFE_COLUMNS:
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    return frame
