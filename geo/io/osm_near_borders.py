"""The keep decision of an OSM read: only the lines near a region's border, in bulk.

With ``near`` (:class:`NearBorders`), :func:`geo.io.osm_stream.read_osm_fast` takes the
regions given, or builds them from the file's boundaries
(:func:`geo.io.osm_boundaries.region_set_from_osm`; :func:`regions_near`), shrinks them by
``margin_m`` (:func:`interior_of`), and keeps a line when its bounding box is not inside a
shrunk region (:func:`outside`: near a border, or outside every region, at sea), or when it
is under construction (the overdue warning looks at all of them). A box is tested as a
polygon only near a shrunk region's boundary: the cells of a grid (:data:`GRID_CELLS`) that
its segments reach are kept as a summed-area table (:class:`Interior`); elsewhere one corner
is tested (``contains_xy``), no polygon built. With a band, the boxes that touch it
(:func:`touching`) are kept before their lines are built and tested.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import shapely

from geo.io.osm_boundaries import (
    choose_admin_level,
    closable_ids,
    is_region_relation,
    region_set_from_osm,
    resolve_relation,
)
from geo.io.osm_file import BoundaryRelation, OsmData
from geo.projection import WGS84
from geo.regions import RegionSet


@dataclass(frozen=True)
class NearBorders:
    """Keep only the lines that come within ``margin_m`` of a region's boundary.

    Attributes
    ----------
    region, admin_level, maritime_gap_m
        How the regions are built (:func:`geo.io.osm_boundaries.region_set_from_osm`).
    margin_m
        Lines whose bounding box stays farther than this inside one region are dropped.
    regions
        The regions to keep lines near, built beforehand (from the boundaries of several
        files: :mod:`geo.io.osm_files`); when None, built from the file's own boundaries.
    """

    region: str | None
    admin_level: int | None
    maritime_gap_m: float
    margin_m: float
    regions: RegionSet | None = field(default=None, compare=False)


def regions_near(data: OsmData, near: NearBorders) -> RegionSet:
    """The regions ``near`` keeps lines near: given, or built from the file's boundaries."""
    if near.regions is not None:
        return near.regions
    return region_set_from_osm(
        data, region=near.region, admin_level=near.admin_level, maritime_gap_m=near.maritime_gap_m
    )


def check_region_named(
    data: OsmData, near: NearBorders, present_ways: Callable[[set[int]], Collection[int]]
) -> None:
    """Refuse, from the boundary relations alone, a region or level the file does not have.

    The checks of :func:`regions_near` that need no geometry, made as soon as the relations
    are read (the first pass): a focus region that no relation is named (a typo), an admin
    level no relation has, a file without boundary relations. Without this, such a mistake
    was said only after every pass (about a minute for a China-size file). The same
    errors as :func:`geo.io.osm_boundaries.region_set_from_osm` raises later (it resolves
    the name among the same relations first): a region that cannot be assembled is still
    found there, once the member ways are read.

    The sentence refusing an unknown region offers only the relations that can be regions.
    Their nodes are not read yet, so that is told from which member ways the file holds
    (``present_ways``, given the ids of the members, returns those in the file: a pass over
    the ways, made only then): :func:`geo.io.osm_boundaries.closable_ids`.

    Raises
    ------
    NoBoundariesError
        When the file holds no boundary relation, or none at ``near.admin_level``.
    UnknownRegionError
        When no relation (at ``near.admin_level``, when given) is named ``near.region``.
    """
    if near.regions is not None or (near.region is None and near.admin_level is None):
        return

    def usable(rels: list[BoundaryRelation]) -> Collection[int]:
        return closable_ids(rels, present_ways({ref for r in rels for ref, _ in r.members}))

    level = choose_admin_level(data, near.region, near.admin_level, usable=usable)
    if near.region is not None:
        rels = [r for r in data.relations if is_region_relation(r) and r.admin_level == level]
        resolve_relation(rels, near.region, usable)


#: Cells of the grid of :class:`Interior` along the longer side of the area's extent.
GRID_CELLS = 512


@dataclass(frozen=True)
class Interior:
    """An area lines are dropped inside (the regions shrunk), and where its boundary runs.

    The boundary is marked on a grid of cells (each cell that the extent of one of its
    segments reaches), kept as a summed-area table, so that whether a box may meet the
    boundary is four look-ups: a box whose cells hold no mark meets no segment's extent.

    Attributes
    ----------
    area
        The area, WGS84, prepared (may be empty).
    origin, cell
        The grid's south-west corner (lon, lat) and its cells' side, degrees.
    marks
        Summed-area table of the marked cells, ``(rows + 1, columns + 1)``.
    """

    area: shapely.Geometry
    origin: tuple[float, float]
    cell: float
    marks: np.ndarray

    @classmethod
    def of(cls, area: shapely.Geometry) -> Interior:
        """The interior ``area`` (prepared here) with its boundary marked on the grid."""
        shapely.prepare(area)
        if area.is_empty:
            return cls(area, (0.0, 0.0), 1.0, np.zeros((2, 2), dtype=np.int64))
        rings = shapely.get_parts(shapely.boundary(area))
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        same = ring[1:] == ring[:-1]
        start, end = coords[:-1][same], coords[1:][same]
        low, high = np.minimum(start, end), np.maximum(start, end)
        left, bottom, right, top = shapely.bounds(area)
        cell = max(right - left, top - bottom, 1e-9) / GRID_CELLS
        origin = (float(left), float(bottom))
        columns = int((right - left) / cell) + 1
        rows = int((top - bottom) / cell) + 1
        (x0, y0), (x1, y1) = (_cells(low, origin, cell, columns, rows),
                              _cells(high, origin, cell, columns, rows))  # fmt: skip
        corners = np.zeros((rows + 1, columns + 1), dtype=np.int64)
        np.add.at(corners, (y0, x0), 1)
        np.add.at(corners, (y0, x1 + 1), -1)
        np.add.at(corners, (y1 + 1, x0), -1)
        np.add.at(corners, (y1 + 1, x1 + 1), 1)
        marked = (corners.cumsum(axis=0).cumsum(axis=1)[:rows, :columns] > 0).astype(np.int64)
        marks = np.zeros((rows + 1, columns + 1), dtype=np.int64)
        marks[1:, 1:] = marked.cumsum(axis=0).cumsum(axis=1)
        return cls(area, origin, cell, marks)

    def may_meet_boundary(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Whether boxes may meet the boundary (True for every box that meets a segment's extent).

        ``low`` and ``high`` are the boxes' south-west and north-east corners, ``(n, 2)``.
        """
        rows, columns = self.marks.shape[0] - 1, self.marks.shape[1] - 1
        x0, y0 = _cells(low, self.origin, self.cell, columns, rows)
        x1, y1 = _cells(high, self.origin, self.cell, columns, rows)
        m = self.marks
        return (m[y1 + 1, x1 + 1] - m[y0, x1 + 1] - m[y1 + 1, x0] + m[y0, x0]) > 0


def _cells(
    xy: np.ndarray, origin: tuple[float, float], cell: float, columns: int, rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """The grid column and row of points ``(n, 2)`` (clipped to the grid: monotone)."""
    column = np.clip(np.floor((xy[:, 0] - origin[0]) / cell), 0, columns - 1).astype(np.int64)
    row = np.clip(np.floor((xy[:, 1] - origin[1]) / cell), 0, rows - 1).astype(np.int64)
    return column, row


def interior_of(region_set: RegionSet, margin_m: float) -> Interior:
    """The regions shrunk by ``margin_m`` (in their metric CRS), in WGS84."""
    shrunk = region_set.regions.geometry.buffer(-margin_m)
    shrunk = shrunk[~shrunk.is_empty]
    if shrunk.empty:
        return Interior.of(shapely.GeometryCollection())
    return Interior.of(shapely.union_all(shrunk.to_crs(WGS84).to_numpy()))


def padded_boxes(bounds: np.ndarray) -> np.ndarray:
    """Polygons of bounding boxes ``(minx, miny, maxx, maxy)``, padded by 1e-9 degrees.

    A box of a straight east-west or north-south line has no area without the pad.
    """
    pad = 1e-9
    return shapely.box(
        bounds[:, 0] - pad, bounds[:, 1] - pad, bounds[:, 2] + pad, bounds[:, 3] + pad
    )


def touching(bounds: np.ndarray, band: shapely.Geometry | None) -> np.ndarray:
    """Whether each bounding box ``(minx, miny, maxx, maxy)`` touches ``band`` (all when None)."""
    if band is None:
        return np.ones(len(bounds), dtype=bool)
    boxes = padded_boxes(bounds)
    return shapely.intersects(band, boxes)


def outside(bounds: np.ndarray, drop: Interior | None) -> np.ndarray:
    """Whether each bounding box ``(minx, miny, maxx, maxy)`` is not inside ``drop``.

    Exactly ``~contains_properly(drop.area, box)`` of each box padded as :func:`padded_boxes` pads
    it, computed in two steps: a box that meets no boundary segment's extent
    (:meth:`Interior.may_meet_boundary`) does not meet the boundary, so it is inside exactly
    when its corner is (``contains_xy``, no polygon built); only the others, near the
    boundary, are tested as polygons.
    """
    if drop is None or drop.area.is_empty or not len(bounds):
        return np.ones(len(bounds), dtype=bool)
    pad = 1e-9
    low, high = bounds[:, :2] - pad, bounds[:, 2:] + pad
    near = drop.may_meet_boundary(low, high)
    inside = shapely.contains_xy(drop.area, low[:, 0], low[:, 1])
    close = np.flatnonzero(near)
    inside[close] = shapely.contains_properly(drop.area, padded_boxes(bounds[close]))
    return ~inside


__all__ = [
    "GRID_CELLS",
    "Interior",
    "NearBorders",
    "check_region_named",
    "interior_of",
    "outside",
    "padded_boxes",
    "regions_near",
    "touching",
]
