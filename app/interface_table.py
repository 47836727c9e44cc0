"""The interface table as a planner reads it: route, number, status, year, size first.

:func:`app.views.pair_tables` derives the pair's interfaces once per data state, with the
engine's columns (:data:`app.views.TABLE_COLUMNS`) and the facts of their features
(:data:`app.views.FACT_COLUMNS`: names, years, accuracy, confidence), in no language. Here,
on every run, they are written for the page's language (:func:`app.language.current`):

* the planner's columns first (:data:`PLANNER_COLUMNS`): the route's name in the page's
  language, its number, status, the year it opened (or is expected to), its size as
  ``8 lanes`` / ``2 tracks`` / ``IV`` (``8车道``, ``2股道``, ``IV级``), the neighbour,
  layer and class, bridge or tunnel, the position's accuracy and the identification's
  confidence;
* the engine's columns (:data:`ENGINE_COLUMNS`: the interface's id, its lines and their
  lanes, raw capacity and unit, coordinates, feature ids) only when asked for, behind the
  "show engine fields" switch.

The frame keeps every column, under its machine name (the page reads the selected row's
``id``); which are shown, in which order and under which header is Streamlit's
``column_order`` and ``column_config``. Nothing here imports streamlit: the headers come
as text (:func:`headers`), the page wraps them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from app.labels import say
from app.language import current
from app.popups import region_label, size_text
from geo.labels import CONFIDENCE_LABELS, LAYER_LABELS, class_label, status_label
from geo.values import is_missing
from layers import get_layer

#: The planner's columns, in the order shown.
PLANNER_COLUMNS: tuple[str, ...] = (
    "route", "ref_text", "status_text", "opened", "size", "neighbour", "layer_text", "class_text",
    "structure", "accuracy", "confidence_text",
)  # fmt: skip

#: The engine's columns, shown after them when asked for.
ENGINE_COLUMNS: tuple[str, ...] = (
    "id", "b", "layer", "class", "ref", "name", "status", "carriageways", "lanes",
    "lanes_per_carriageway", "capacity", "capacity_unit", "bridge", "tunnel", "via", "lon",
    "lat", "source_ids",
)  # fmt: skip

#: Header key (:data:`app.labels.TEXT`) of each column.
_HEADERS: dict[str, str] = {
    "route": "c_route", "ref_text": "c_ref", "status_text": "c_status", "opened": "c_year",
    "size": "c_size", "neighbour": "c_neighbour", "layer_text": "c_layer",
    "class_text": "c_class", "structure": "c_structure", "accuracy": "c_accuracy",
    "confidence_text": "c_confidence", "id": "c_id", "b": "c_b", "layer": "c_layer_key",
    "class": "c_class_key", "ref": "c_ref_raw", "name": "c_name", "status": "c_status_key",
    "carriageways": "c_carriageways",
    "lanes": "c_lanes", "lanes_per_carriageway": "c_lanes_per_carriageway",
    "capacity": "c_capacity", "capacity_unit": "c_capacity_unit", "bridge": "c_bridge",
    "tunnel": "c_tunnel", "via": "c_via", "lon": "c_lon", "lat": "c_lat",
    "source_ids": "c_source_ids",
}  # fmt: skip


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _word(labels: Mapping[str, Mapping[str, str]], key: object) -> str:
    found = labels.get(str(key))
    return found[current()] if found else _text(key)


def _route(row: Mapping[str, object]) -> str:
    zh, en, name = _text(row.get("name_zh")), _text(row.get("name_en")), _text(row.get("name"))
    first, second = (zh, en) if current() == "zh" else (en, zh)
    return first or second or name


def _structure(row: Mapping[str, object]) -> str:
    parts = [
        say(key)
        for key, on in (
            ("v_bridge", row.get("bridge")),
            ("v_tunnel", row.get("tunnel")),
            ("v_over_water", row.get("via") == "water"),
        )
        if not is_missing(on) and bool(on)
    ]
    return ("、" if current() == "zh" else ", ").join(parts)


def _year(value: object) -> int | None:
    return None if is_missing(value) else int(float(value))  # type: ignore[arg-type]


def planner_table(
    table: pd.DataFrame, regions: Mapping[str, tuple[str, str]] | None = None
) -> pd.DataFrame:
    """``table`` with the planner's columns added, in the page's language, the same rows.

    Parameters
    ----------
    table
        :attr:`app.views.PairTables.table`.
    regions
        ``{name: (Chinese name, English name)}`` (:func:`app.map_geojson.region_names`),
        for the neighbour in the page's language.
    """
    names = regions or {}
    records = table.to_dict("records")
    columns: dict[str, list[object]] = {c: [] for c in PLANNER_COLUMNS}
    for row in records:
        layer = str(row.get("layer") or "")
        value = row.get("lanes") if layer == "highways" else row.get("capacity")
        columns["route"].append(_route(row))
        columns["ref_text"].append(_text(row.get("ref")).replace(";", " / "))
        columns["status_text"].append(
            status_label(layer, _text(row.get("status")), current())
            if _text(row.get("status"))
            else ""
        )
        year = _year(row.get("start_year"))
        columns["opened"].append("" if year is None else str(year))  # not "None" when unknown
        columns["size"].append(size_text(get_layer(layer), value) if layer else "")
        columns["neighbour"].append(region_label(row.get("b"), names))
        columns["layer_text"].append(_word(LAYER_LABELS, layer))
        columns["class_text"].append(class_label(layer, row.get("class"), current()))
        columns["structure"].append(_structure(row))
        accuracy = row.get("accuracy_m")
        columns["accuracy"].append(None if is_missing(accuracy) else round(float(accuracy)))
        columns["confidence_text"].append(_word(CONFIDENCE_LABELS, row.get("confidence")))
    added = pd.DataFrame(columns, index=table.index)
    added["accuracy"] = added["accuracy"].astype("Int64")
    return pd.concat([added, table], axis=1)


def shown_columns(*, engine: bool) -> list[str]:
    """The columns shown: the planner's, and the engine's after them when ``engine``."""
    return [*PLANNER_COLUMNS, *(ENGINE_COLUMNS if engine else ())]


def headers(columns: list[str]) -> dict[str, str]:
    """``{column: its header in the page's language}``."""
    return {c: say(_HEADERS[c]) for c in columns if c in _HEADERS}
