"""The interface table as the page shows it: headers and words in the page's language.

The table the page derives (:attr:`app.views.PairTables.table`) keeps the data's column
names and values (``layer``, ``highways``, ``motorway``), which key the selection and the
downloads. :func:`interface_view` gives what is shown: the headers through each column's
label (``st.column_config``, the frame's column names unchanged), and in Chinese the
words of the data (layer, class, status, the unit, how it crosses, the neighbour's name,
a feature's Chinese name where the data give one) in Chinese. Numbers, route numbers and
ids are shown as they are. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app.labels import TEXT, say
from app.language import current
from app.page_text import place
from geo.labels import LAYER_LABELS, STATUS_LABELS, class_label
from geo.text import Bilingual
from geo.values import is_missing

#: A capacity's unit as the data name it (:attr:`layers.base.LayerSpec.capacity_unit`).
UNIT_LABELS: dict[str, Bilingual] = {
    "lanes": Bilingual("lanes", "车道"),
    "tracks": Bilingual("tracks", "股道"),
    "navigation grade": Bilingual("navigation grade", "航道等级"),
    "diameter_mm": Bilingual("diameter (mm)", "管径（毫米）"),
    "berths": Bilingual("berths", "泊位"),
}

#: How an interface crosses its border (``via``).
VIA_LABELS: dict[str, Bilingual] = {
    "land": Bilingual("land", "陆上"),
    "water": Bilingual("water", "水上"),
}


def _word(labels: Mapping[str, Bilingual], value: object) -> object:
    """A word of the data in the page's language; other values as they are."""
    if is_missing(value):
        return value
    found = labels.get(str(value))
    return (found.en if current() == "en" else found.zh) if found else value


def zh_name(sources: object, names_zh: Mapping[str, str], name: object) -> object:
    """An interface's name in Chinese: its first source feature's ``name_zh``, else ``name``."""
    ids: Iterable[Any] = sources if isinstance(sources, list | tuple) else [sources]
    return next((names_zh[str(i)] for i in ids if str(i) in names_zh), name)


def interface_view(
    table: pd.DataFrame, names_zh: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The interface table as shown, and its headers as ``st.dataframe``'s ``column_config``.

    Parameters
    ----------
    table
        Interfaces with :data:`app.views.TABLE_COLUMNS` (or some of them).
    names_zh
        ``{feature id: Chinese name}`` (:func:`app.map_geojson.zh_names`), for the names
        shown in Chinese.

    Returns
    -------
    (pandas.DataFrame, dict)
        The same rows and columns, their words in the page's language; a header per column
        (``col_<column>`` of :data:`app.labels.TEXT`; a column without one is left as named).
    """
    headers = {
        column: st.column_config.Column(label=say(f"col_{column}"))
        for column in table.columns
        if f"col_{column}" in TEXT
    }
    if current() == "en" or table.empty:
        return table, headers
    shown = table.copy()
    if "b" in shown:
        shown["b"] = [place(b) for b in shown["b"]]
    if "class" in shown and "layer" in shown:
        shown["class"] = [
            class_label(lay, c, "zh") for lay, c in zip(shown["layer"], shown["class"])
        ]
    if "layer" in shown:
        shown["layer"] = [LAYER_LABELS.get(str(n), {"zh": n})["zh"] for n in shown["layer"]]
    if "status" in shown:
        shown["status"] = [STATUS_LABELS.get(str(s), {"zh": s})["zh"] for s in shown["status"]]
    if "capacity_unit" in shown:
        shown["capacity_unit"] = [_word(UNIT_LABELS, u) for u in shown["capacity_unit"]]
    if "via" in shown:
        shown["via"] = [_word(VIA_LABELS, v) for v in shown["via"]]
    if names_zh and "name" in shown and "source_ids" in shown:
        shown["name"] = [
            zh_name(ids, names_zh, name) for ids, name in zip(shown["source_ids"], shown["name"])
        ]
    return shown, headers
