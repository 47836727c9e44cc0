"""The whole crossing computation: layers + regions -> interfaces, summary, warnings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.border_index import build_border_index
from geo.crossings import join_stubs, scan_chunks
from geo.interfaces import INTERFACE_COLUMNS, group_interfaces
from geo.lifecycle import status_at
from geo.projection import WGS84, require_crs
from geo.regions import RegionSet
from geo.rules import CrossingRules
from geo.summary import summarise
from layers import get_layer

#: Lines handled per chunk: bounds the memory of the vectorised steps.
CHUNK_LINES = 50_000


@dataclass
class CrossingResult:
    """Everything one run computes.

    Attributes
    ----------
    interfaces
        One row per interface (all layers), WGS84 points.
    summary
        One row per region pair, layer and class (:data:`geo.summary.SUMMARY_COLUMNS`).
    warnings
        Problems the user should know about, each one sentence.
    region_set
        The regions, borders and pairs used.
    rules
        The rules used.
    """

    interfaces: gpd.GeoDataFrame
    summary: pd.DataFrame
    warnings: list[str]
    region_set: RegionSet
    rules: CrossingRules
    along: pd.DataFrame = field(default_factory=pd.DataFrame)


def line_chunks(
    frame: gpd.GeoDataFrame, chunk_lines: int = CHUNK_LINES
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yield ``(lines, rows, oneway)`` chunks of a layer's LineStrings (multi-parts split)."""
    geoms = frame.geometry.values.to_numpy()
    oneway = frame["oneway"].fillna(0).astype(int).to_numpy()
    for start in range(0, len(geoms), chunk_lines):
        part = geoms[start : start + chunk_lines]
        lines, owner = shapely.get_parts(part, return_index=True)
        keep = (shapely.get_type_id(lines) == 1) & ~shapely.is_empty(lines)
        rows = owner[keep] + start
        yield lines[keep], rows, oneway[rows]


def count_crossings(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    *,
    rules: CrossingRules | None = None,
    region: str | None = None,
    as_of: int | None = None,
    statuses: Sequence[str] = ("open",),
    chunk_lines: int = CHUNK_LINES,
) -> CrossingResult:
    """Count the cross-border interfaces of line layers.

    Parameters
    ----------
    layers
        ``{layer name: features}`` with the common attribute columns of
        :mod:`layers.base` and a CRS.
    region_set
        Regions, border stretches and pairs.
    rules
        Crossing rules; the defaults when ``None``.
    region
        Report only pairs involving this region.
    as_of
        Year at which to take the network (status from ``start_year``); today when None.
    statuses
        Statuses (in the ``as_of`` year) of the features that are counted.
    chunk_lines
        Lines per chunk in the vectorised scan.

    Returns
    -------
    CrossingResult
    """
    rules = rules or CrossingRules()
    focus = region_set.focus(region)
    index = build_border_index(region_set, rules)
    warnings = list(region_set.warnings)
    frames: list[gpd.GeoDataFrame] = []
    along_rows: list[dict[str, object]] = []
    for name, frame in layers.items():
        spec = get_layer(name)
        if spec.geometry != "line" or frame.empty:
            continue
        require_crs(frame, what=f"The {name} layer")
        counted = frame.assign(status=status_at(frame, as_of))
        counted = counted[counted["status"].isin(statuses)].reset_index(drop=True)
        metric = counted.to_crs(region_set.crs)
        scan = scan_chunks(line_chunks(metric, chunk_lines), index, rules)
        oneway = metric["oneway"].fillna(0).astype(int).to_numpy()
        joined, dead = join_stubs(scan.stubs, metric, oneway, index, rules)
        interfaces = group_interfaces(
            scan.transitions + joined, metric, layer=name, crs=region_set.crs, rules=rules
        )
        frames.append(interfaces)
        for (a, b, row), metres in scan.along_m.items():
            along_rows.append({"a": a, "b": b, "layer": name,
                               "class": metric["class"].iat[row], "metres": metres})
        warnings.extend(_layer_warnings(name, metric, scan.skipped_gap, dead))
    interfaces = _concat(frames)
    along = pd.DataFrame(along_rows, columns=["a", "b", "layer", "class", "metres"])
    pairs = _pairs_with_links(focus, interfaces)
    if region is not None:
        interfaces = orient(interfaces[(interfaces["a"] == region) | (interfaces["b"] == region)], region)
        along, pairs = orient(along, region), orient(pairs, region)
    counted_layers = [n for n in layers if get_layer(n).geometry == "line"]
    summary = summarise(interfaces, along, pairs, counted_layers)
    return CrossingResult(
        interfaces.reset_index(drop=True), summary, warnings, focus, rules, along
    )


def orient(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    """Swap ``a`` and ``b`` so that ``a`` is ``region`` wherever it takes part."""
    frame = frame.copy()
    swap = frame["b"] == region
    frame.loc[swap, ["a", "b"]] = frame.loc[swap, ["b", "a"]].to_numpy()
    return frame


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return gpd.GeoDataFrame(columns=INTERFACE_COLUMNS, geometry=gpd.GeoSeries([], crs=WGS84))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)


def _pairs_with_links(region_set: RegionSet, interfaces: pd.DataFrame) -> pd.DataFrame:
    """The region set's pairs plus any pair that only links reveal (e.g. over open sea)."""
    pairs = region_set.pairs[["a", "b", "kind"]]
    seen = set(zip(pairs["a"], pairs["b"]))
    extra = [
        {"a": a, "b": b, "kind": "maritime"}
        for a, b in sorted(set(zip(interfaces["a"], interfaces["b"])) - seen)
    ]
    return pd.concat([pairs, pd.DataFrame(extra, columns=["a", "b", "kind"])], ignore_index=True)


def _layer_warnings(
    layer: str, features: pd.DataFrame, gap_rows: list[int], dead_ends: int
) -> list[str]:
    out = []
    if gap_rows:
        ids = ", ".join(sorted({str(features["id"].iat[r]) for r in gap_rows})[:5])
        out.append(
            f"{len(set(gap_rows))} {layer} feature(s) leave a region through a part of its "
            f"boundary that is missing from the data ({ids}); they are not counted."
        )
    if dead_ends:
        out.append(
            f"{dead_ends} {layer} line end(s) stop exactly at a border with no continuation on "
            "the other side; they are not counted as crossings."
        )
    return out
