"""Counts per region pair, layer and class: routes, interfaces, lanes, km along the border."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from layers import get_layer, total_capacity

SUMMARY_COLUMNS = [
    "a",
    "b",
    "pair_kind",
    "layer",
    "class",
    "routes",
    "interfaces",
    "lanes",
    "lanes_missing",
    "capacity",
    "capacity_unit",
    "along_km",
]


def count_routes(interfaces: pd.DataFrame) -> int:
    """Distinct routes among interfaces: each ref, else each name, else each interface."""
    routes: set[tuple[str, str]] = set()
    for n, row in enumerate(interfaces.itertuples(index=False)):
        refs = [r for r in str(row.ref or "").split(";") if r]
        if refs:
            routes.update(("ref", r) for r in refs)
        elif row.name:
            routes.add(("name", str(row.name)))
        else:
            routes.add(("anonymous", str(n)))
    return len(routes)


def summarise(
    interfaces: pd.DataFrame,
    along: pd.DataFrame,
    pairs: pd.DataFrame,
    layers: Iterable[str],
) -> pd.DataFrame:
    """Summary rows per pair, layer and class.

    Parameters
    ----------
    interfaces
        Interfaces of all layers (:data:`geo.interfaces.INTERFACE_COLUMNS`).
    along
        Rows ``a``, ``b``, ``layer``, ``class``, ``metres`` of line length along borders.
    pairs
        The region pairs to report (``a``, ``b``, ``kind``); a pair and layer with no
        interface gets a row with ``class`` None and zero counts.
    layers
        The layers that were counted.
    """
    rows = []
    layers = list(layers)
    for pair in pairs.itertuples(index=False):
        for layer in layers:
            sub = interfaces[
                (interfaces["a"] == pair.a)
                & (interfaces["b"] == pair.b)
                & (interfaces["layer"] == layer)
            ]
            along_sub = along[
                (along["a"] == pair.a) & (along["b"] == pair.b) & (along["layer"] == layer)
            ]
            classes = sorted(set(sub["class"]) | set(along_sub["class"]))
            for cls in classes or [None]:
                part = sub[sub["class"] == cls]
                known = part[~part["lanes_missing"].astype(bool)]
                capacity = total_capacity(
                    [int(c) for c in known["capacity"].dropna()], get_layer(layer).capacity_total
                )
                unit = (
                    str(part["capacity_unit"].iat[0])
                    if len(part)
                    else get_layer(layer).capacity_unit
                )
                rows.append(
                    {
                        "a": pair.a,
                        "b": pair.b,
                        "pair_kind": pair.kind,
                        "layer": layer,
                        "class": cls,
                        "routes": count_routes(part),
                        "interfaces": len(part),
                        "lanes": (capacity or 0) if layer == "highways" else None,
                        "lanes_missing": int(part["lanes_missing"].astype(bool).sum()),
                        "capacity": capacity,
                        "capacity_unit": unit,
                        "along_km": round(
                            float(along_sub[along_sub["class"] == cls]["metres"].sum()) / 1000.0, 3
                        ),
                    }
                )
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("lanes", "capacity"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    return frame
