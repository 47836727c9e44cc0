"""A feature's status and capacity in a given year.

OpenStreetMap features carry their current status and perhaps an opening year
(``start_year``); authored features may also carry ``status_by_year`` and
``capacity_by_year`` (JSON objects ``{"year": value}``: the value holds from that year on).

Status at ``as_of`` year Y:

* with ``status_by_year``: the value of the latest year <= Y; before the first year the
  feature did not exist yet (status ``""``, never counted);
* otherwise, with ``start_year``: a feature open now, or still tagged as under construction,
  counts as open from ``start_year`` on and as under construction before it (when works
  started is not known: a stated simplification);
* otherwise the current status holds.

Capacity at Y: the value of ``capacity_by_year`` for the latest year <= Y, else the current
``capacity``.
"""

from __future__ import annotations

import json

import pandas as pd


def _by_year(raw: object, year: int) -> object:
    """Value of a ``{"year": value}`` JSON object at ``year`` (``...`` when absent)."""
    if not isinstance(raw, str) or not raw.strip() or raw.strip() == "{}":
        return ...
    history = {int(k): v for k, v in json.loads(raw).items()}
    years = [y for y in history if y <= year]
    return history[max(years)] if years else None


def status_at(features: pd.DataFrame, as_of: int | None) -> pd.Series:
    """Status of each feature in year ``as_of`` (the current status when ``None``)."""
    status = features["status"].astype(object).copy()
    if as_of is None:
        return status
    year = pd.to_numeric(features["start_year"], errors="coerce")
    built = status.isin(["open", "construction"])
    status[built & (year <= as_of)] = "open"
    status[built & (year > as_of)] = "construction"
    if "status_by_year" in features.columns:
        for label, raw in features["status_by_year"].items():
            value = _by_year(raw, as_of)
            if value is not ...:
                status[label] = value or ""
    return status


def capacity_at(features: pd.DataFrame, as_of: int | None) -> pd.Series:
    """Capacity of each feature in year ``as_of`` (the current one when ``None``)."""
    capacity = features["capacity"].astype(object).copy()
    if as_of is None or "capacity_by_year" not in features.columns:
        return capacity
    for label, raw in features["capacity_by_year"].items():
        value = _by_year(raw, as_of)
        if value is not ...:
            capacity[label] = value
    return capacity
