"""A feature's status in a given year, from its current status and its year.

``start_year`` is the year a link opened (or is expected to open). At ``as_of`` year Y:

* a feature with ``start_year`` <= Y that is open, or still tagged as under construction,
  counts as open (the second case is flagged by :func:`overdue`: its opening date has
  passed but its tags were not updated);
* a feature with ``start_year`` > Y that is open or under construction now was under
  construction then (the start of works is not known, so earlier years are shown as
  construction too: a stated simplification);
* otherwise the current status holds (proposed, disused, abandoned, or no year known).
"""

from __future__ import annotations

import pandas as pd


def status_at(features: pd.DataFrame, as_of: int | None) -> pd.Series:
    """Status of each feature in year ``as_of`` (the current status when ``None``)."""
    status = features["status"].astype(object).copy()
    if as_of is None:
        return status
    year = pd.to_numeric(features["start_year"], errors="coerce")
    built = status.isin(["open", "construction"])
    status[built & (year <= as_of)] = "open"
    status[built & (year > as_of)] = "construction"
    return status


def overdue(features: pd.DataFrame, today: int) -> pd.Series:
    """Features still under construction whose opening year is before ``today``."""
    year = pd.to_numeric(features["start_year"], errors="coerce")
    return (features["status"] == "construction") & (year < today)
