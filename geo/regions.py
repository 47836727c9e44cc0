"""Regions, the stretches of their borders, and the pairs they form.

A :class:`RegionSet` is what the crossing engine works against:

* ``regions``: one polygon per region (``name``, ``admin_level``, ``osm_id``, ``complete``),
  in a metric CRS;
* ``stretches``: every region's boundary cut into pieces, each labelled with what lies on
  the other side: ``kind="land"`` with the neighbour's name in ``b``; ``"coast"`` (sea or
  nothing known, ``b`` empty); ``"gap"`` (straight lines that close a boundary relation
  missing from the extract: nothing is counted across them);
* ``pairs``: each pair of regions with a land border (``kind="land"``, ``border_km``) or
  facing each other across water within ``maritime_gap_m`` (``kind="maritime"``,
  ``gap_km``). Neighbours that are known only by name (OpenStreetMap extracts hold only the
  border ways of a neighbour's relation) are paired too.

Regions come from polygon files (:func:`region_set_from_polygons`) or from OpenStreetMap
boundary relations (:mod:`geo.io.osm_boundaries`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.errors import NoBoundariesError, RegionNameError, UnknownRegionError
from geo.io.validate import check_coordinates, check_readable, usable_features
from geo.projection import metric_crs_for, require_crs
from geo.region_names import RegionNames
from geo.text import Bilingual, as_bilingual

#: How errors name a boundaries file when the caller gives no name.
BOUNDARIES_FILE = Bilingual("The boundaries file", "边界文件")

#: Two region boundaries closer than this (metres) are treated as one shared border; it
#: absorbs slivers and rounding in polygon files whose neighbours do not share vertices.
BORDER_SNAP_M = 10.0

STRETCH_COLUMNS = ["a", "b", "kind", "geometry"]

#: Columns of a boundaries file read as a region's Chinese and English names, first found
#: first (Natural Earth's ``name_zh``/``name_en``, OpenStreetMap's ``name:zh``/``name:en``).
ZH_NAME_COLUMNS: tuple[str, ...] = ("name_zh", "name:zh", "name:zh-Hans", "name_zh_hans")
EN_NAME_COLUMNS: tuple[str, ...] = ("name_en", "name:en")
#: The columns they are kept in, in :attr:`RegionSet.regions` ("" when unknown).
OTHER_NAME_COLUMNS: tuple[str, ...] = ("name_zh", "name_en")


@dataclass
class RegionSet:
    """Regions in a metric CRS with their labelled border stretches and pairs.

    Attributes
    ----------
    regions
        ``name``, ``admin_level``, ``osm_id``, ``complete`` and polygon ``geometry``;
        ``name_zh`` and ``name_en`` ("" when unknown) when the source names regions so.
    stretches
        ``a`` (the region), ``b`` (the other side's name, "" for coast and gaps), ``kind``
        (``land``, ``coast`` or ``gap``) and LineString ``geometry``.
    pairs
        ``a``, ``b`` (sorted), ``kind`` (``land`` or ``maritime``), ``border_km``,
        ``gap_km``.
    crs
        The metric CRS of all geometries.
    warnings
        Problems found while building (incomplete relations, repaired polygons ...).
    other_names
        ``{name in the data: its other names}`` (Chinese, English), for regions named
        otherwise too; by default those of the ``name_zh``/``name_en`` columns of
        ``regions``.
    """

    regions: gpd.GeoDataFrame
    stretches: gpd.GeoDataFrame
    pairs: pd.DataFrame
    crs: CRS
    warnings: list[Bilingual] = field(default_factory=list)
    other_names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.other_names:
            self.other_names = other_names_of(self.regions)

    @property
    def names(self) -> list[str]:
        """Names of the regions that have a polygon."""
        return list(self.regions["name"])

    @property
    def known_names(self) -> RegionNames:
        """Every region this data can report on (with a polygon or only paired), by all names."""
        known = [*self.names, *sorted(set(self.pairs["a"]) | set(self.pairs["b"]))]
        return RegionNames.of(known, self.other_names)

    def resolve(self, name: str) -> str:
        """The region's name in the data, from any of its names (:mod:`geo.region_names`).

        ``浙江``, ``浙江省``, ``zhejiang`` and `` Zhejiang Province `` all give ``Zhejiang``
        when the data name it so and carry ``浙江省`` as its Chinese name.

        Raises
        ------
        UnknownRegionError
            When no region goes by that name (the message names the closest ones), or
            :class:`geo.errors.AmbiguousRegionError` when more than one does.
        """
        if self._holds(name):
            return name
        return self.known_names.resolve(name)

    def _holds(self, name: str) -> bool:
        """Whether ``name`` is a region's name exactly as the data spell it."""
        return bool(
            (self.regions["name"] == name).any()
            or (self.pairs["a"] == name).any()
            or (self.pairs["b"] == name).any()
        )

    def require(self, name: str) -> str:
        """:meth:`resolve`: the name in the data, or an error naming the closest names."""
        return self.resolve(name)

    def neighbours(self, name: str) -> list[str]:
        """Names of the regions paired with ``name`` (any of its names), sorted."""
        name = self.resolve(name)
        mask = (self.pairs["a"] == name) | (self.pairs["b"] == name)
        sub = self.pairs[mask]
        return sorted(set(sub["a"]).union(sub["b"]) - {name})

    def require_neighbour(self, name: str, neighbour: str) -> str:
        """The data's name of ``neighbour`` (any of its names), which must border ``name``.

        The one check of a neighbour named on its own (``crossings``, ``export`` and
        ``resilience --neighbour``, the page's pair).

        Raises
        ------
        UnknownRegionError
            When no region goes by ``neighbour`` (as :meth:`resolve`), or it does not
            border ``name``: the message names ``name``'s neighbours.
        """
        name, neighbour = self.resolve(name), self.resolve(neighbour)
        neighbours = self.neighbours(name)
        if neighbour not in neighbours:
            listed = ", ".join(neighbours) or "none"
            listed_zh = "、".join(neighbours) or "无"
            raise UnknownRegionError(
                Bilingual(
                    f"{neighbour} does not border {name} in this data; its neighbours are "
                    f"{listed}.",
                    f"在这份数据中 {neighbour} 与 {name} 并不相邻；{name} 的相邻地区有："
                    f"{listed_zh}。",
                )
            )
        return neighbour

    def focus(self, name: str | None, neighbour: str | None = None) -> RegionSet:
        """Keep only pairs that involve ``name``, with ``name`` as their ``a`` (all when None).

        With a ``neighbour`` (the data's name), only the pair of the two.
        """
        if name is None:
            return self
        name = self.resolve(name)
        mask = (self.pairs["a"] == name) | (self.pairs["b"] == name)
        pairs = orient(self.pairs[mask], name)
        if neighbour is not None:
            pairs = pairs[pairs["b"] == neighbour]
        return RegionSet(
            regions=self.regions,
            stretches=self.stretches,
            pairs=pairs.sort_values(["a", "b"]).reset_index(drop=True),
            crs=self.crs,
            warnings=list(self.warnings),
            other_names=dict(self.other_names),
        )


def orient(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    """``frame`` with ``a`` and ``b`` swapped so that ``a`` is ``region`` wherever it takes part.

    A new frame (``frame`` is left as it was), its columns of the same types. The swapped
    columns are made whole (:meth:`pandas.Series.where`) and put in place of the old ones,
    never assigned in place as ``frame.loc[swap, ["a", "b"]] =
    frame.loc[swap, ["b", "a"]].to_numpy()``: with pandas' copy-on-write, when ``a`` and
    ``b`` are objects in one block (as after concatenating with a frame of object columns)
    and every row swaps, that right side is a view of the block the assignment writes
    into, ``a`` first, so ``b`` got the region too. The along rows of all layers are
    oriented together, so the Monaco railway's along row came out ``Monaco – Monaco``
    (and the summary dropped its 1.1 km) whenever another layer was counted with it.

    Parameters
    ----------
    frame
        Rows with region names in ``a`` and ``b`` (pairs, interfaces, along rows).
    region
        The region to put first.
    """
    a, b = frame["a"], frame["b"]
    swap = b == region
    return frame.assign(a=a.where(~swap, b), b=b.where(~swap, a))


def other_names_of(regions: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """``{name: (Chinese name, English name)}`` from the ``name_zh``/``name_en`` columns.

    Blank, missing and repeated names are left out; regions without other names too.
    """
    present = [c for c in OTHER_NAME_COLUMNS if c in regions.columns]
    if not present or "name" not in regions.columns:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for name, *others in zip(regions["name"], *(regions[c] for c in present)):
        kept = tuple(
            dict.fromkeys(o.strip() for o in others if isinstance(o, str) and o.strip())
        )
        kept = tuple(o for o in kept if o != name)
        if kept:
            out[str(name)] = kept
    return out


def prepare_polygons(
    frame: gpd.GeoDataFrame,
    *,
    name_field: str = "name",
    what: str | Bilingual = BOUNDARIES_FILE,
) -> tuple[gpd.GeoDataFrame, list[Bilingual]]:
    """Validate region polygons: names, CRS, coordinates, polygon types; repair invalid ones.

    Features without a geometry are left out with a warning; a geometry that could not be
    read, a coordinate that is NaN, infinite or out of range (:func:`geo.io.validate.
    check_coordinates`) or a polygon without a name is an error. Polygons with the same
    name are one region (dissolved).

    Returns
    -------
    (GeoDataFrame, list of str)
        WGS84 frame with ``name``, ``admin_level``, ``osm_id``, ``complete``, ``name_zh``,
        ``name_en`` (from the first of :data:`ZH_NAME_COLUMNS` and :data:`EN_NAME_COLUMNS`
        the file has, "" when none) and ``geometry``, one row per region (parts with the
        same name are dissolved), and warnings about repairs.

    Raises
    ------
    CRSError, NoBoundariesError, GeometryDataError, RegionNameError
        When the polygons cannot be used; the message names the problem and the fix.
    """
    what = as_bilingual(what)
    require_crs(frame, what=what)
    if frame.empty:
        raise NoBoundariesError(
            Bilingual(
                f"{what.en} holds no features; give a file of region polygons "
                "(GeoJSON, GeoPackage or Shapefile) or an OSM file with boundary relations.",
                f"{what.zh}中没有任何要素，请提供行政区多边形文件（GeoJSON、GeoPackage 或 "
                "Shapefile），或含边界关系的 OSM 文件。",
            )
        )
    if name_field not in frame.columns:
        columns = ", ".join(c for c in frame.columns if c != frame.geometry.name)
        raise NoBoundariesError(
            Bilingual(
                f"{what.en} has no {name_field!r} column to name the regions; "
                f"pass --name-field with one of: {columns or 'none'}.",
                f"{what.zh}中没有给地区命名的 {name_field!r} 列，请用 --name-field 指定以下列之一："
                f"{columns or '（无）'}。",
            )
        )
    check_readable(frame, what=what)
    frame, warnings = usable_features(frame, what=what, lines=False)
    polygonal = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygonal.empty:
        raise NoBoundariesError(
            Bilingual(
                f"{what.en} holds no polygons; give a file of region polygons "
                "(GeoJSON, GeoPackage or Shapefile) or an OSM file with boundary relations.",
                f"{what.zh}中没有多边形，请提供行政区多边形文件（GeoJSON、GeoPackage 或 "
                "Shapefile），或含边界关系的 OSM 文件。",
            )
        )
    check_coordinates(polygonal, what=what)
    _check_names(polygonal[name_field], name_field=name_field, what=what)
    out = polygonal.to_crs(4326) if polygonal.crs.to_epsg() != 4326 else polygonal.copy()
    out = _repaired(out, name_field=name_field, what=what, warnings=warnings)
    other = {
        target: _text_column(out, next((c for c in columns if c in out.columns), None))
        for target, columns in (("name_zh", ZH_NAME_COLUMNS), ("name_en", EN_NAME_COLUMNS))
    }
    out = out.rename(columns={name_field: "name"})
    out["name"] = out["name"].astype(str)
    for target, values in other.items():
        out[target] = values
    for column, default in (("admin_level", None), ("osm_id", ""), ("complete", True)):
        if column not in out.columns:
            out[column] = default
    out = out.dissolve(by="name", as_index=False, aggfunc="first")
    kept = ["name", "admin_level", "osm_id", "complete", *OTHER_NAME_COLUMNS, "geometry"]
    return out[kept], warnings


def _text_column(frame: pd.DataFrame, column: str | None) -> list[str]:
    """A column's values as stripped text, "" for missing ones (all "" without the column)."""
    if column is None:
        return [""] * len(frame)
    return [v.strip() if isinstance(v, str) else "" for v in frame[column]]


def _repaired(
    out: gpd.GeoDataFrame, *, name_field: str, what: Bilingual, warnings: list[Bilingual]
) -> gpd.GeoDataFrame:
    """Repair invalid polygons (a warning says which); leave out those with no area left.

    Raises
    ------
    NoBoundariesError
        When no polygon has an area once repaired.
    """
    invalid = ~out.geometry.is_valid
    if not invalid.any():
        return out
    names = ", ".join(map(str, out.loc[invalid, name_field].head(5)))
    warnings.append(
        Bilingual(
            f"{int(invalid.sum())} region polygon(s) were invalid and have been repaired "
            f"({names}); check them in your GIS.",
            f"{int(invalid.sum())} 个行政区多边形无效，已修复（{names}），请在 GIS 软件中检查。",
        )
    )
    out.loc[invalid, "geometry"] = shapely.make_valid(out.loc[invalid, "geometry"].values)
    out["geometry"] = out.geometry.apply(_polygonal_part)
    flat = out.geometry.is_empty
    if flat.all():
        raise NoBoundariesError(
            Bilingual(
                f"{what.en} holds no polygon with an area (they are lines or points once "
                "repaired); give a file of region polygons.",
                f"{what.zh}中没有一个有面积的多边形（修复后都成了线或点），"
                "请提供行政区多边形文件。",
            )
        )
    if flat.any():
        flat_names = ", ".join(map(str, out.loc[flat, name_field].head(5)))
        warnings.append(
            Bilingual(
                f"{int(flat.sum())} region polygon(s) have no area once repaired and were "
                f"left out ({flat_names}); check them in your GIS.",
                f"{int(flat.sum())} 个行政区多边形修复后没有面积，未被采用（{flat_names}），"
                "请在 GIS 软件中检查。",
            )
        )
    return out[~flat]


def _check_names(names: pd.Series, *, name_field: str, what: Bilingual) -> None:
    """Raise :class:`RegionNameError` when a region polygon has no name (null or blank)."""
    blank = names.isna() | (names.astype(str).str.strip() == "")
    if not blank.any():
        return
    rows = ", ".join(str(i + 1) if isinstance(i, int) else str(i) for i in names.index[blank][:5])
    more = ", ..." if blank.sum() > 5 else ""
    raise RegionNameError(
        Bilingual(
            f"{what.en} has {int(blank.sum())} region polygon(s) without a name in the "
            f"{name_field!r} column (feature(s) {rows}{more}); fill the names in, or pass "
            "--name-field with another column.",
            f"{what.zh}中有 {int(blank.sum())} 个地区多边形在 {name_field!r} 列没有名称"
            f"（第 {rows}{more} 个要素），请补上名称，或用 --name-field 改用其他列。",
        )
    )


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygons of a repaired geometry (make_valid may add lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def region_set_from_polygons(
    frame: gpd.GeoDataFrame,
    *,
    name_field: str = "name",
    maritime_gap_m: float = 30000.0,
    crs: CRS | None = None,
    what: str | Bilingual = BOUNDARIES_FILE,
) -> RegionSet:
    """Build a :class:`RegionSet` from a frame of region polygons.

    Parameters
    ----------
    frame
        Polygons with a CRS and a column naming each region.
    name_field
        The column with the region names.
    maritime_gap_m
        Regions with no land border whose coasts come within this distance form a
        maritime pair.
    crs
        Metric CRS to use; chosen for the data when ``None``.
    what
        How to name the input in error messages.

    Returns
    -------
    RegionSet
    """
    wgs, warnings = prepare_polygons(frame, name_field=name_field, what=what)
    metric_crs = crs or metric_crs_for(tuple(wgs.total_bounds))
    regions = wgs.to_crs(metric_crs).reset_index(drop=True)
    stretches = _stretches_from_polygons(regions)
    pairs = pairs_from_stretches(stretches, maritime_gap_m=maritime_gap_m)
    return RegionSet(regions, stretches, pairs, CRS(metric_crs), warnings)


def _stretches_from_polygons(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cut each region's boundary into land stretches (shared) and coast (the rest)."""
    geoms = regions.geometry.values
    names = regions["name"].to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=BORDER_SNAP_M)
    boundaries = shapely.boundary(geoms)
    exact = _exact_lines(boundaries, left, right)
    zones: dict[int, shapely.Geometry] = {}
    rows: list[tuple[str, str, str, shapely.Geometry]] = []
    for i in range(len(geoms)):
        boundary = boundaries[i]
        neighbours = right[(left == i) & (right != i)]
        covered = []
        for j in neighbours.tolist():
            if j not in zones:
                zones[j] = shapely.buffer(geoms[j], BORDER_SNAP_M)
            known = (i, j) in exact
            shared = _shared_border(boundary, boundaries[j], zones[j], exact.get((i, j)), known)
            for part in _lines(shared):
                rows.append((names[i], names[j], "land", part))
            covered.append(zones[j])
        rest = shapely.difference(boundary, shapely.union_all(covered)) if covered else boundary
        for part in _lines(shapely.line_merge(rest)):
            rows.append((names[i], "", "coast", part))
    return gpd.GeoDataFrame(rows, columns=STRETCH_COLUMNS, geometry="geometry", crs=regions.crs)


def _shared_border(
    boundary: shapely.Geometry,
    other_boundary: shapely.Geometry,
    other_zone: shapely.Geometry,
    exact: shapely.Geometry | None,
    known: bool,
) -> shapely.Geometry:
    """The part of ``boundary`` shared with a neighbour.

    Neighbours that share vertices (Natural Earth, OpenStreetMap) give the exact common
    line. Otherwise (slivers, rounding) the part of ``boundary`` within
    :data:`BORDER_SNAP_M` of the neighbour is taken; it may overshoot a corner by that much.
    ``exact`` is the common line of ``boundary`` snapped to ``other_boundary`` within
    :data:`BORDER_SNAP_M` (None: there is none) when ``known`` (see :func:`_exact_lines`);
    otherwise it is computed here.
    """
    if not known:
        snapped = shapely.snap(boundary, other_boundary, BORDER_SNAP_M)
        exact = _lines(shapely.intersection(snapped, other_boundary))
        exact = shapely.line_merge(shapely.union_all(exact)) if exact else None
    loose = shapely.line_merge(shapely.intersection(boundary, other_zone))
    # Snapping can drag vertices along a neighbour whose vertices are closer together than
    # the tolerance, making the "common line" longer than everything within the zone: such
    # a result is refused.
    if exact is not None and (
        0.9 * loose.length - 4 * BORDER_SNAP_M <= exact.length <= 1.1 * loose.length
    ):
        return exact
    return loose


def _exact_lines(
    boundaries: np.ndarray, left: np.ndarray, right: np.ndarray
) -> dict[tuple[int, int], shapely.Geometry | None]:
    """The common line of each pair of neighbours ``(i, j)``, where it is cheap to get.

    The common line is the line parts (longer than a millimetre) of ``boundaries[i]``,
    snapped to ``boundaries[j]`` within :data:`BORDER_SNAP_M`, intersected with
    ``boundaries[j]``, merged; None when there are none. GEOS snaps each vertex of ``j``
    in turn onto the nearest vertex of ``i`` within the tolerance, or else into the
    nearest segment of ``i`` within it, comparing it with every vertex and segment: slow
    for long boundaries. But when every vertex of either boundary within the tolerance
    of a part of the other is a vertex of that part (neighbours that share their
    vertices), snapping changes nothing, and the two boundaries can only overlap in
    segments that both have: those are the common line, taken directly in the direction
    of ``i`` (as the overlay gives them) and merged. Other pairs are left out: their
    common line needs the snap.
    """
    coords, owner = shapely.get_coordinates(boundaries, return_index=True)
    r = len(boundaries)
    pieces, piece_part, piece_rows, part_owner = _pieces(boundaries)
    point_id = _coordinate_ids(coords)
    counts = shapely.get_num_coordinates(shapely.get_parts(boundaries))
    vertex_part = np.repeat(np.arange(len(part_owner)), counts)
    held = np.unique(point_id * len(part_owner) + vertex_part)  # the vertices of each part
    # Vertices of piece b within the tolerance of piece a (of another boundary) that are
    # no vertex of a's part: snapping changes the pair (either way round, to be safe).
    a, b = shapely.STRtree(pieces).query(pieces, predicate="dwithin", distance=BORDER_SNAP_M)
    keep = part_owner[piece_part[a]] != part_owner[piece_part[b]]
    a, b = a[keep], b[keep]
    rows = piece_rows[b]  # -1 pads
    part_of_a = np.broadcast_to(piece_part[a][:, None], rows.shape)
    at = np.nonzero((rows >= 0) & ~np.isin(point_id[rows] * len(part_owner) + part_of_a, held))
    vertex, piece = rows[at], a[at[0]]
    near = shapely.dwithin(shapely.points(coords[vertex]), pieces[piece], BORDER_SNAP_M)
    i_near, j_near = part_owner[piece_part[piece[near]]], owner[vertex[near]]
    snapping = set((i_near * r + j_near).tolist()) | set((j_near * r + i_near).tolist())

    segments = _common_segments(coords, owner, point_id, boundaries)
    exact: dict[tuple[int, int], shapely.Geometry | None] = {}
    for i, j in zip(left.tolist(), right.tolist()):
        if i != j and i * r + j not in snapping:
            exact[i, j] = shapely.line_merge(segments[i, j]) if (i, j) in segments else None
    return exact


def _common_segments(
    coords: np.ndarray, owner: np.ndarray, point_id: np.ndarray, boundaries: np.ndarray
) -> dict[tuple[int, int], shapely.Geometry]:
    """Per pair ``(i, j)``: the segments of boundary ``i`` that are segments of ``j`` too.

    Each is taken once, in the direction of ``i``, when longer than a millimetre; they come
    as one MultiLineString per pair. ``coords``, ``owner`` and ``point_id`` are the
    boundaries' vertices, the boundary of each and :func:`_coordinate_ids`.
    """
    ends = np.cumsum(shapely.get_num_coordinates(shapely.get_parts(boundaries))) - 1
    first = np.setdiff1d(np.arange(len(coords) - 1), ends)  # rows that start a segment
    step = coords[first + 1] - coords[first]
    first = first[np.sqrt(step[:, 0] ** 2 + step[:, 1] ** 2) > 1e-3]
    lo = np.minimum(point_id[first], point_id[first + 1])
    hi = np.maximum(point_id[first], point_id[first + 1])
    segments = pd.DataFrame({"key": lo * (len(coords) + 1) + hi, "i": owner[first], "row": first})
    others = segments[["key", "i"]].drop_duplicates().rename(columns={"i": "j"})
    common = segments.merge(others, on="key")
    common = common[common["i"] != common["j"]]
    common = common.sort_values(["i", "j", "row"]).drop_duplicates(["i", "j", "key"])
    if common.empty:
        return {}
    row = common["row"].to_numpy()
    lines = shapely.linestrings(np.stack([coords[row], coords[row + 1]], axis=1))
    pair = common["i"].to_numpy() * len(boundaries) + common["j"].to_numpy()
    codes, group = np.unique(pair, return_inverse=True)
    merged = shapely.multilinestrings(lines, indices=group)
    r = len(boundaries)
    return {(int(c) // r, int(c) % r): m for c, m in zip(codes, merged)}


def _coordinate_ids(coords: np.ndarray) -> np.ndarray:
    """A number per coordinate row, the same for rows with equal x and y."""
    if len(coords) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((coords[:, 1], coords[:, 0]))
    ordered = coords[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    ids = np.empty(len(coords), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ids


def _pieces(
    lines: np.ndarray, segments: int = 16
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut (Multi)LineStrings into pieces of at most ``segments`` segments.

    Returns
    -------
    (pieces, part, rows, part_owner)
        The pieces; for each the part (``shapely.get_parts(lines)``) it came from, and the
        rows of its vertices in ``shapely.get_coordinates(lines)`` padded with -1; for each
        part, the index of the geometry it came from.
    """
    parts, part_owner = shapely.get_parts(lines, return_index=True)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    count = np.bincount(part, minlength=len(parts))
    start = np.r_[0, np.cumsum(count)[:-1]]
    position = np.arange(len(coords)) - start[part]
    last = position == count[part] - 1
    # A vertex starts piece position // segments, except a part's last vertex; a vertex
    # between two pieces ends the previous one too.
    local = position // segments - (last & (position % segments == 0))
    per_part = np.maximum((count - 2) // segments + 1, 0)
    offset = np.r_[0, np.cumsum(per_part)[:-1]]
    piece = offset[part] + local
    between = np.flatnonzero((position % segments == 0) & (position > 0) & ~last)
    single = count[part] < 2  # a part of one vertex has no segment
    rows = np.r_[np.flatnonzero(~single), between]
    piece = np.r_[piece[~single], piece[between] - 1]
    order = np.lexsort((rows, piece))
    rows, piece = rows[order], piece[order]
    pieces = shapely.linestrings(coords[rows], indices=piece)
    n_pieces = len(pieces)
    first = np.searchsorted(piece, np.arange(n_pieces))
    table = np.full((n_pieces, segments + 1), -1, dtype=np.int64)
    table[piece, np.arange(len(rows)) - first[piece]] = rows
    return pieces, np.repeat(np.arange(len(parts)), per_part), table, part_owner


def _lines(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """LineString parts of ``geom`` longer than a millimetre."""
    if geom is None or geom.is_empty:
        return []
    parts = shapely.get_parts(geom)
    keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 1e-3)
    return list(parts[keep])


def pairs_from_stretches(stretches: gpd.GeoDataFrame, *, maritime_gap_m: float) -> pd.DataFrame:
    """Region pairs: land pairs from shared stretches, maritime pairs from nearby coasts."""
    land = stretches[stretches["kind"] == "land"].copy()
    land["key"] = [tuple(sorted(ab)) for ab in zip(land["a"], land["b"])]
    land["length"] = land.geometry.length
    # A shared stretch appears once for each side when both polygons are known: count it once.
    both_sides = land.groupby("key")["a"].nunique()
    lengths = land.groupby("key")["length"].sum() / both_sides.clip(lower=1)
    rows = [
        {"a": a, "b": b, "kind": "land", "border_km": round(length / 1000.0, 3), "gap_km": 0.0}
        for (a, b), length in lengths.items()
    ]
    land_keys = set(lengths.index)
    coast = stretches[stretches["kind"] == "coast"]
    if maritime_gap_m > 0 and not coast.empty:
        by_region = coast.dissolve(by="a")
        names = list(by_region.index)
        geoms = by_region.geometry.values
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="dwithin", distance=maritime_gap_m)
        for i, j in zip(left, right):
            if i >= j:
                continue
            key = tuple(sorted((names[i], names[j])))
            if key in land_keys:
                continue
            gap = shapely.distance(geoms[i], geoms[j])
            rows.append(
                {
                    "a": key[0],
                    "b": key[1],
                    "kind": "maritime",
                    "border_km": 0.0,
                    "gap_km": round(float(gap) / 1000.0, 3),
                }
            )
    columns = ["a", "b", "kind", "border_km", "gap_km"]
    return pd.DataFrame(rows, columns=columns).sort_values(["a", "b"]).reset_index(drop=True)


__all__ = [
    "BORDER_SNAP_M",
    "RegionSet",
    "orient",
    "pairs_from_stretches",
    "prepare_polygons",
    "region_set_from_polygons",
]
