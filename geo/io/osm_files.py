"""Several OpenStreetMap files read as one source, one file per task (here or on a cluster).

Extracts of neighbouring areas (a continent's countries, a country's provinces) are cut so
that a way crossing the cut is whole in both (the *complete ways* of ``osmium extract`` and
Geofabrik): the same way, boundary relation or member way may be in several files. Read as
one source, each is counted once (:func:`merge_osm_data`), so that the files give the
counts of the one file they were cut from (a test cuts a generated file and a real extract
and compares).

Two rounds, each one task per file (:data:`FileMap` runs them: in this process, or on a
Dask cluster, :mod:`geo.io.cluster`); a single file is one task of one read
(:class:`OneFileTask`):

1. **Boundaries**: each file's boundary relations and member ways
   (:func:`read_boundaries`); merged here into the regions of all the files, so that a
   border cut between two files is whole.
2. **Lines**: each file's layers, near the borders of those regions only when asked
   (:class:`geo.io.osm_near_borders.NearBorders` with the regions built in round 1), as
   :func:`geo.io.osm_stream.read_osm_fast` reads one file; merged here, each feature once.

What crosses the network is the boundaries and the kept features, never the file: a worker
reads the file at the path it is given (a folder all the workers and the client see).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import geopandas as gpd
import pandas as pd
import shapely

from geo.io.osm_boundaries import region_set_from_osm
from geo.io.osm_file import BoundaryRelation, OsmData
from geo.io.osm_near_borders import NearBorders
from geo.io.osm_stream import read_osm_fast
from geo.projection import WGS84
from geo.regions import RegionSet
from geo.text import Bilingual
from layers import COMMON_COLUMNS

T = TypeVar("T")

#: OSM element kinds in a file's order (nodes, then ways, then relations).
_KIND_ORDER = {"node": 0, "way": 1, "relation": 2}


class FileMap(Protocol):
    """Runs one task per file and gives their results in the files' order."""

    def __call__(self, work: Callable[[Path], T], paths: Sequence[Path]) -> list[T]:
        """``[work(path) for path in paths]``, wherever the tasks run."""
        ...


def run_here(work: Callable[[Path], T], paths: Sequence[Path]) -> list[T]:
    """One task after the other in this process (the :data:`FileMap` of a single machine)."""
    return [work(path) for path in paths]


@dataclass(frozen=True)
class BoundariesTask:
    """Round 1 for one file: its boundary relations and member ways (no layer features)."""

    def __call__(self, path: Path) -> OsmData:
        """Read ``path``'s boundaries."""
        data, _ = read_osm_fast(path, [])
        return data


@dataclass(frozen=True)
class LinesTask:
    """Round 2 for one file: its layers, near the borders of ``near`` when given."""

    layer_names: tuple[str, ...]
    near: NearBorders | None

    def __call__(self, path: Path) -> OsmData:
        """Read ``path``'s layers."""
        data, _ = read_osm_fast(path, self.layer_names, near=self.near)
        return data


@dataclass(frozen=True)
class OneFileTask:
    """One file alone: its layers and, with ``near``, the regions built from its own boundaries.

    One task and one read, as :func:`geo.io.osm_stream.read_osm_fast` reads on one machine
    (the regions of one file need no other file's boundaries).
    """

    layer_names: tuple[str, ...]
    near: NearBorders | None

    def __call__(self, path: Path) -> tuple[OsmData, RegionSet | None]:
        """Read ``path``'s layers (and regions)."""
        return read_osm_fast(path, self.layer_names, near=self.near)


def read_osm_files(
    paths: Sequence[Path],
    layer_names: Sequence[str],
    *,
    near: NearBorders | None = None,
    run: FileMap = run_here,
) -> tuple[OsmData, RegionSet | None]:
    """Read several OSM files as one (see the module docstring).

    Parameters
    ----------
    paths
        The files (any format :func:`~geo.io.osm_stream.read_osm_fast` reads); their order
        does not change the result.
    layer_names
        Layers to extract.
    near
        Keep only the lines near the borders of the regions built from all the files'
        boundaries as it says; every line when None.
    run
        Where the tasks run (:func:`run_here`, or :func:`geo.io.cluster.cluster_map`).

    Returns
    -------
    (OsmData, RegionSet or None)
        The merged data, and with ``near`` the region set the lines were kept for.
    """
    if len(paths) == 1:
        [(data, built)] = run(OneFileTask(tuple(layer_names), near), paths)
        return data, built
    region_set: RegionSet | None = None
    if near is not None:
        boundaries = merge_osm_data(run(BoundariesTask(), paths))
        region_set = region_set_from_osm(
            boundaries,
            region=near.region,
            admin_level=near.admin_level,
            maritime_gap_m=near.maritime_gap_m,
        )
        near = NearBorders(
            near.region, near.admin_level, near.maritime_gap_m, near.margin_m, region_set
        )
    parts = run(LinesTask(tuple(layer_names), near), paths)
    return merge_osm_data(parts), region_set


def merge_osm_data(parts: Sequence[OsmData]) -> OsmData:
    """Several files' data as one file's: each relation, way and feature once.

    Relations, boundary ways and features are in the order of their OSM ids (nodes before
    ways), the order of a sorted file such as a planet extract, so the files' order does
    not matter. A way read whole in one file and with nodes missing in another (cut at
    that file's edge) is taken whole and is not broken.

    An object in several files is taken from the newest of them (by
    :attr:`~geo.io.osm_file.OsmData.data_timestamp`; files without one after those with
    one, in the order given): extracts cut from one file hold the same version of it, but
    extracts of different dates may not (a country's boundary relation edited between
    them), and the newest file holds the newest version of all it holds. When a boundary
    relation or a whole boundary way differs between the files, a warning says so (the
    counts near where the files meet then mix their dates); extracts cut from one file
    differ in none.
    """
    # Newest first (ISO 8601 texts sort as their times; none sorts last); a stable sort.
    parts = sorted(parts, key=lambda part: part.data_timestamp or "", reverse=True)
    merged = OsmData()
    relations: dict[int, BoundaryRelation] = {}
    differ = {"relations": 0, "ways": 0}
    for part in parts:
        for rel in part.relations:
            kept = relations.setdefault(rel.osm_id, rel)
            differ["relations"] += (kept.members, kept.tags) != (rel.members, rel.tags)
    merged.relations = [relations[key] for key in sorted(relations)]
    whole: dict[int, shapely.LineString] = {}
    cut: dict[int, shapely.LineString] = {}
    for part in parts:
        broken = set(part.broken_ways)
        for way_id, line in part.boundary_ways.items():
            kept = (cut if way_id in broken else whole).setdefault(way_id, line)
            differ["ways"] += way_id not in broken and not kept.equals_exact(line, 0)
    lines = {**cut, **whole}
    merged.boundary_ways = {key: lines[key] for key in sorted(lines)}
    merged.coastline_ways = set().union(*(part.coastline_ways for part in parts))
    names = list(dict.fromkeys(name for part in parts for name in part.layers))
    for name in names:
        merged.layers[name] = _merged_layer([p.layers[name] for p in parts if name in p.layers])
    read_whole = set(whole)
    for frame in merged.layers.values():
        if "osm_nodes_missing" in frame:
            read_whole.update(_way_ids(frame.loc[~frame["osm_nodes_missing"].astype(bool), "id"]))
    broken_ids = {way for part in parts for way in part.broken_ways}
    merged.broken_ways = sorted(broken_ids - read_whole)
    merged.broken_nodes = sorted({node for part in parts for node in part.broken_nodes})
    stamps = [part.data_timestamp for part in parts if part.data_timestamp]
    merged.data_timestamp = max(stamps) if stamps else None
    merged.warnings = [w for part in parts for w in part.warnings]
    if differ["relations"] or differ["ways"]:
        dates = sorted({stamp[:10] for stamp in stamps})
        merged.warnings.append(_versions_differ(differ["relations"], differ["ways"], dates))
    boxes = [part.bounds for part in parts if part.bounds is not None]
    if boxes:
        merged.bounds = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    return merged


def _versions_differ(relations: int, ways: int, dates: list[str]) -> Bilingual:
    """The warning for boundaries that differ between files read as one.

    ``relations`` and ``ways``: how many times a file's relation or whole boundary way
    differed from the one taken; ``dates``: the files' data dates (``YYYY-MM-DD``).
    """
    when = f" (the files' dates: {', '.join(dates)})" if dates else ""
    when_zh = f"（文件日期：{'、'.join(dates)}）" if dates else ""
    return Bilingual(
        f"{relations} boundary relation(s) and {ways} boundary way(s) differ between the OSM "
        f"files{when}: each is taken from the newest file, and the counts near where the "
        f"files meet mix their dates; use extracts cut from one file.",
        f"有 {relations} 个边界关系和 {ways} 条边界线在这些 OSM 文件之间不一致{when_zh}："
        f"各取自最新的文件，文件相接处附近的统计会混合不同日期的数据；请使用从同一文件切分的分区文件。",
    )


def _merged_layer(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """One layer of several files: each feature once (whole if any file has it whole)."""
    held = [f for f in frames if not f.empty]
    if not held:  # an empty layer as one file has it (its columns), or osm_stream's
        return frames[0] if frames else _empty_layer()
    if len(held) == 1:
        return held[0]
    frames = held
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)
    ids = frame["id"].astype(str)
    kind, _, number = ids.str.removeprefix("osm:").str.partition("/").values.T
    missing = (
        frame["osm_nodes_missing"].astype(bool).to_numpy()
        if "osm_nodes_missing" in frame
        else False
    )
    keys = pd.DataFrame(
        {
            "kind": [_KIND_ORDER.get(k, 3) for k in kind],
            "number": pd.to_numeric(pd.Series(number), errors="coerce").to_numpy(),
            "missing": missing,
            "id": ids.to_numpy(),
        }
    )
    order = keys.sort_values(["kind", "number", "id", "missing"], kind="stable").index
    frame = frame.iloc[order]
    frame = frame[~frame["id"].astype(str).duplicated()]
    # Rebuilt from its rows as one file's layer is (geo.io.osm_stream), so that a column
    # that is empty in one file (a year) takes the type it takes when read from one file.
    rows = frame.to_dict("records")
    return gpd.GeoDataFrame(rows, columns=frame.columns, geometry="geometry", crs=WGS84)


def _empty_layer() -> gpd.GeoDataFrame:
    """A layer of no features, with the common columns (as :mod:`geo.io.osm_stream` makes it)."""
    return gpd.GeoDataFrame({c: [] for c in COMMON_COLUMNS}, geometry=gpd.GeoSeries([], crs=WGS84))


def _way_ids(ids: pd.Series) -> set[int]:
    """The numeric ids of the ``osm:way/ID`` feature ids among ``ids``."""
    ways = ids.astype(str)
    ways = ways[ways.str.startswith("osm:way/")]
    return {int(v) for v in ways.str.removeprefix("osm:way/") if v.isdigit()}


__all__ = [
    "BoundariesTask",
    "FileMap",
    "LinesTask",
    "OneFileTask",
    "merge_osm_data",
    "read_osm_files",
    "run_here",
]
