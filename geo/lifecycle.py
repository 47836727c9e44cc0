"""A feature's status and capacity in a given year.

Features carry their status as tagged (``status``) and the years of their life read from
their tags by :func:`layers.base.lifecycle_years`: ``start_year`` (opened, or for a feature
under construction the *expected* opening, from ``opening_date``), ``works_start_year``
(``start_date`` on a feature under construction: OSM mappers mostly use it there for the
start of works), ``end_year`` (``end_date``) and ``check_year`` (``check_date``). Authored
features may also carry ``status_by_year`` and ``capacity_by_year`` (JSON objects
``{"year": value}``: the value holds from that year on). Only ``status`` and
``start_year`` are required; the other columns are used when present.

Status at ``as_of`` year Y (``as_of=None`` keeps the status as tagged):

* with ``status_by_year``: the value of the latest year <= Y; before the first year the
  feature did not exist yet (status ``""``, never counted). Nothing below applies.
* tagged **open**: open from ``start_year`` on. Before it: under construction from
  ``works_start_year`` if known, else ``""`` (not yet in the network). When works started
  is not known, the feature is *not* assumed to have been under construction: a road opened
  in 1998 was not a building site in 1950, and claiming so would inflate counts of links
  "open or under construction".
* tagged **under construction** (the tag is true today, so the feature is not open today):
  ``""`` before ``works_start_year``, under construction from it (from any year when it is
  unknown). From an expected opening (``start_year``) that is this year or later it is
  counted as open: the network of a later year includes what is due to open by then. An
  expected opening before this year has passed while the data still says construction:
  the feature stays under construction in every year and is **overdue**
  (:func:`overdue_at`); whether the opening slipped or the data is stale, no opening year is
  known. A ``works_start_year`` after this year cannot be a start of works on a site already
  under construction: it is then taken as the expected opening when none is tagged.
* tagged **disused** or **abandoned**: open from ``start_year`` (from any year when
  unknown) to the year before ``end_year``, then the tagged status; without ``end_year``
  the tagged status holds in every year from ``start_year`` (when it closed is unknown).
* any status with an ``end_year``: from ``end_year`` on, an open or under-construction
  feature is ``"disused"`` (``end_date`` is when it ceased, or will cease, to be used).
* **proposed** and **cancelled** keep their tagged status in every year (a proposal's date
  is a plan, not a schedule).

"This year" is the current calendar year (the ``today`` argument in tests). It is the year
the tags are taken to describe; ``check_year`` is kept for the reader and counted in the
overdue warning (a check after the expected opening confirms the delay).

Capacity at Y: the value of ``capacity_by_year`` for the latest year <= Y, else the current
``capacity``. A port's container capacity (``teu``) at Y is read the same way from
``teu_by_year`` when the data give one: :func:`value_at` reads any such column.

For the app: :func:`layers_at` gives every layer's network in a year (what the map draws
and the downloads hold) and :func:`year_range` the years a source's features opened in
(the year slider's range).
"""

from __future__ import annotations

import datetime
import json
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

from geo.errors import InvalidParameterError
from geo.labels import LAYER_LABELS
from geo.text import Bilingual, as_bilingual

#: A frame type kept as it is: a GeoDataFrame in, a GeoDataFrame out.
FrameT = TypeVar("FrameT", bound=pd.DataFrame)

#: The years a network can be read in (both included): those the tags' dates are read in
#: (:func:`layers.base.parse_year`).
ACCEPTED_YEARS = (1800, 2100)


def current_year() -> int:
    """The calendar year of today, the year tags are taken to describe."""
    return datetime.date.today().year


def check_year(value: object, what: str | Bilingual) -> int:
    """``value`` as a year of :data:`ACCEPTED_YEARS`.

    Parameters
    ----------
    value
        A whole number (an int, a numpy integer, or a float with no fraction).
    what
        How the message names it (``"the first year"``), in both languages.

    Raises
    ------
    InvalidParameterError
        When it is not a finite whole number in the range, in one sentence naming it.
    """
    low, high = ACCEPTED_YEARS
    whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        whole = True
    if whole and low <= int(value) <= high:  # type: ignore[call-overload]
        return int(value)  # type: ignore[call-overload]
    name = as_bilingual(what)
    raise InvalidParameterError(
        Bilingual(
            f"{name.en[:1].upper()}{name.en[1:]} must be a whole year from {low} to {high} "
            f"(got {value!r}); give e.g. 2006.",
            f"{name.zh}应为 {low} 到 {high} 之间的整数年份（收到的是 {value!r}），例如 2006。",
        )
    )


def _by_year(raw: object, year: int) -> object:
    """Value of a ``{"year": value}`` JSON object at ``year`` (``...`` when absent)."""
    if not isinstance(raw, str) or not raw.strip() or raw.strip() == "{}":
        return ...
    history = {int(k): v for k, v in json.loads(raw).items()}
    years = [y for y in history if y <= year]
    return history[max(years)] if years else None


def _years(features: pd.DataFrame, column: str) -> np.ndarray:
    """A year column as floats (NaN when unknown or when the column is absent)."""
    if column not in features.columns:
        return np.full(len(features), np.nan)
    return pd.to_numeric(features[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _statuses(features: pd.DataFrame) -> np.ndarray:
    """The tagged ``status`` column as an object array, to be read, not changed."""
    return features["status"].to_numpy(dtype=object)


def _expected_opening(features: pd.DataFrame, today: int) -> tuple[np.ndarray, np.ndarray]:
    """``start_year`` and ``works_start_year``, a future works start read as the opening."""
    opening = _years(features, "start_year")
    works = _years(features, "works_start_year")
    future_works = (_statuses(features) == "construction") & (works > today)
    opening = np.where(future_works & np.isnan(opening), works, opening)
    works = np.where(future_works, np.nan, works)
    return opening, works


def status_at(features: pd.DataFrame, as_of: int | None, *, today: int | None = None) -> pd.Series:
    """Status of each feature in year ``as_of`` (the tagged status when ``None``).

    Parameters
    ----------
    features
        Features with ``status`` and ``start_year`` (and optionally ``works_start_year``,
        ``end_year``, ``status_by_year``).
    as_of
        The year.
    today
        The year the tags describe; the current year when None.

    Returns
    -------
    pandas.Series
        One status per feature (``""`` when it was not in the network), same index.

    Notes
    -----
    Computed on numpy arrays: the page reads a year for every layer on each change of
    year, and pandas' per-operation overhead made that 14 ms for the embedded data's five
    small layers.
    """
    tagged = _statuses(features)
    status = tagged.copy()
    if as_of is not None:
        today = current_year() if today is None else today
        opening, works = _expected_opening(features, today)
        end = _years(features, "end_year")
        before_opening = opening > as_of
        works_started = np.isnan(works) | (works <= as_of)
        # Tagged open.
        is_open = tagged == "open"
        status[is_open & before_opening] = ""
        status[is_open & before_opening & (works <= as_of)] = "construction"
        # Tagged under construction.
        building = tagged == "construction"
        status[building & ~works_started] = ""
        status[building & works_started] = "construction"
        status[building & (opening <= as_of) & (opening >= today)] = "open"
        # Tagged disused or abandoned.
        closed = (tagged == "disused") | (tagged == "abandoned")
        status[closed & before_opening] = ""
        status[closed & ~before_opening & (end > as_of)] = "open"
        # Any feature past its end_date.
        alive = (status == "open") | (status == "construction")
        status[(end <= as_of) & alive] = "disused"
        if "status_by_year" in features.columns:
            histories = features["status_by_year"].to_numpy(dtype=object)
            for position, raw in enumerate(histories):
                value = _by_year(raw, as_of)
                if value is not ...:
                    status[position] = value or ""
    return pd.Series(status, index=features.index, name="status", dtype=object)


def network_at(
    features: pd.DataFrame,
    as_of: int | None,
    statuses: Sequence[str],
    *,
    today: int | None = None,
) -> pd.DataFrame:
    """The features in the network in year ``as_of`` with one of ``statuses``.

    What the engine counts and the map draws for a year: one derivation for both.

    Parameters
    ----------
    features
        Features with the lifecycle columns (see :func:`status_at`) and ``capacity``.
    as_of
        The year; the data as tagged when None.
    statuses
        The statuses (in that year) of the features kept.
    today
        The year the tags describe (:func:`status_at`); the current year when None.

    Returns
    -------
    pandas.DataFrame
        The kept rows, same type and index, with ``status`` and ``capacity`` of that year.
    """
    dated = features.assign(
        status=status_at(features, as_of, today=today),
        capacity=value_at(features, "capacity", as_of),
    )
    if "teu_by_year" in features.columns:
        dated["teu"] = value_at(features, "teu", as_of)
    return dated[dated["status"].isin(list(statuses))]


def overdue_at(
    features: pd.DataFrame, as_of: int | None = None, *, today: int | None = None
) -> pd.Series:
    """Whether each feature is overdue in year ``as_of`` (this year when None).

    A feature is overdue when it is tagged as under construction and its expected opening
    (``start_year``) is both before this year (the opening date has passed while the data
    still says construction) and no later than ``as_of`` (it was due by then). Features
    with a ``status_by_year`` history are authored year by year and never overdue.

    Parameters
    ----------
    features
        Features with ``status`` and ``start_year`` (optionally ``works_start_year``,
        ``status_by_year``).
    as_of
        The reference year; this year when None.
    today
        The year the tags describe; the current year when None.

    Returns
    -------
    pandas.Series
        Booleans, same index as ``features``, named ``overdue``.
    """
    today = current_year() if today is None else today
    reference = today if as_of is None else as_of
    late = _statuses(features) == "construction"
    if late.any():
        opening, _ = _expected_opening(features, today)
        late &= (opening < today) & (opening <= reference)
    if late.any() and "status_by_year" in features.columns:
        histories = features["status_by_year"].to_numpy(dtype=object)
        late[late] = [_by_year(raw, 0) is ... for raw in histories[late]]
    return pd.Series(late, index=features.index, dtype=bool, name="overdue")


def overdue_warning(
    layer: str, features: pd.DataFrame, overdue: pd.Series
) -> Bilingual | None:
    """One sentence on the overdue features of a layer, or None when there are none.

    Parameters
    ----------
    layer
        The layer's name.
    features
        Its features (``id``, ``start_year``, optionally ``check_year``).
    overdue
        :func:`overdue_at` of ``features``.
    """
    late = features[overdue.to_numpy(dtype=bool)]
    if late.empty:
        return None
    ids = ", ".join(late["id"].astype(str).head(5))
    more = f" and {len(late) - 5} more" if len(late) > 5 else ""
    more_zh = f" 等另外 {len(late) - 5} 个" if len(late) > 5 else ""
    opening = pd.to_numeric(late["start_year"], errors="coerce")
    span = f"{int(opening.min())}" if opening.min() == opening.max() else (
        f"{int(opening.min())}-{int(opening.max())}"
    )
    checked = _years(late, "check_year") > opening.to_numpy(dtype=float, na_value=np.nan)
    confirmed = (
        f"; {int(checked.sum())} of them were checked after that year" if checked.any() else ""
    )
    confirmed_zh = f"；其中 {int(checked.sum())} 个在该年之后核查过" if checked.any() else ""
    layer_zh = LAYER_LABELS.get(layer, {}).get("zh", layer)
    return Bilingual(
        f"{len(late)} {layer} feature(s) are still tagged as under construction although "
        f"their opening date ({span}) has passed ({ids}{more}){confirmed}: they are counted "
        "as under construction, not open; update the data or check whether they opened.",
        f"{len(late)} 个{layer_zh}要素的通车年份（{span}）已过，却仍标为在建（{ids}{more_zh}）"
        f"{confirmed_zh}：按在建而非已通车计；请更新数据或核实是否已通车。",
    )


def value_at(features: pd.DataFrame, column: str, as_of: int | None) -> pd.Series:
    """Value of ``column`` of each feature in year ``as_of`` (the current one when ``None``).

    Parameters
    ----------
    features
        Features with ``column`` (the current value) and optionally ``<column>_by_year``,
        a JSON object ``{"year": value}`` giving the value that holds from each year on.
    column
        The measure, e.g. ``"capacity"`` (lanes, tracks, berths, ...) or ``"teu"``.
    as_of
        The year.

    Returns
    -------
    pandas.Series
        One value per feature (object dtype), same index, named ``column``: the value of
        the latest year <= ``as_of`` in ``<column>_by_year`` (missing before its first
        year), else the current value; missing when ``column`` is absent.
    """
    if column in features.columns:
        values = features[column].astype(object).copy()
    else:
        values = pd.Series([None] * len(features), index=features.index, dtype=object)
    values.name = column
    history = f"{column}_by_year"
    if as_of is None or history not in features.columns:
        return values
    for label, raw in features[history].items():
        value = _by_year(raw, as_of)
        if value is not ...:
            values[label] = value
    return values


def layers_at(
    layers: Mapping[str, FrameT],
    *,
    as_of: int | None = None,
    statuses: Sequence[str] = ("open",),
    today: int | None = None,
) -> dict[str, FrameT]:
    """The features of each layer as they stood in a year, filtered by status.

    Parameters
    ----------
    layers
        ``{layer name: features}`` in the common schema.
    as_of
        Year (status and capacity from :func:`network_at`); the current data when None.
    statuses
        Statuses (in that year) of the features kept.
    today
        The year the data's tags describe (an OSM extract's), as given to
        :func:`geo.analysis.count_crossings` as ``data_year``; the current year when None.

    Returns
    -------
    dict
        The same keys; ``status`` and ``capacity`` hold the values of that year. These are
        the features :func:`geo.analysis.count_crossings` counts with the same arguments.
    """
    out: dict[str, FrameT] = {}
    for name, frame in layers.items():
        if frame.empty:
            out[name] = frame
            continue
        out[name] = network_at(frame, as_of, statuses, today=today)
    return out


def year_range(layers: Mapping[str, pd.DataFrame]) -> tuple[int, int] | None:
    """Earliest and latest ``start_year`` in the layers, or None when no feature has one."""
    years = [
        pd.to_numeric(frame["start_year"], errors="coerce")
        for frame in layers.values()
        if "start_year" in frame.columns and not frame.empty
    ]
    known = pd.concat(years).dropna() if years else pd.Series(dtype=float)
    if known.empty:
        return None
    return int(known.min()), int(known.max())
