"""Spatial indexes over a :class:`~geo.regions.RegionSet`, built once per run.

Border stretches are cut into short pieces so that bounding-box queries stay tight even
for long, winding borders; the engine then only looks closely at lines near a piece.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from geo.regions import RegionSet
from geo.rules import CrossingRules

#: A buffer's arcs are polygons lying inside the true distance: this margin (metres) keeps
#: every line within the search band inside the buffered pieces.
REACH_MARGIN_M = 2.0

#: Segments per border piece: short pieces keep the index's bounding boxes tight.
PIECE_SEGMENTS = 16


@dataclass(frozen=True)
class BorderIndex:
    """Indexes the crossing engine queries.

    Attributes
    ----------
    names
        Region names, by row of ``region_geoms``.
    region_geoms, region_tree
        Region polygons and their STRtree.
    piece_geoms, piece_tree, piece_stretch
        Border pieces (short LineStrings), their STRtree, and the stretch each belongs to.
    reach_tree
        STRtree of the pieces buffered by the search band (plus :data:`REACH_MARGIN_M`),
        in the same order: an ``intersects`` query on it finds the lines near a piece about
        twice as fast as a ``dwithin`` query on the pieces, and finds at least as many.
    stretch_a, stretch_b, stretch_kind
        Per stretch: its region, the other side's name ("" when none), its kind.
    seg_xy, seg_tree, seg_stretch
        Every straight segment of every stretch as ``(x0, y0, x1, y1)``, their STRtree
        and their stretch: crossings and along stretches are computed on segment pairs.
    stretch_pair
        Per stretch, its region pair ``"A|B"`` (sorted).
    has_coast
        Whether any stretch is coast (then lines at sea are tracked for links over water).
    land
        The union of all regions, prepared: a fast test of whether a point is at sea.
    """

    names: list[str]
    region_geoms: np.ndarray
    region_tree: shapely.STRtree
    piece_geoms: np.ndarray
    piece_tree: shapely.STRtree
    reach_tree: shapely.STRtree
    piece_stretch: np.ndarray
    stretch_a: np.ndarray
    stretch_b: np.ndarray
    stretch_kind: np.ndarray
    seg_xy: np.ndarray
    seg_tree: shapely.STRtree
    seg_stretch: np.ndarray
    stretch_pair: np.ndarray
    has_coast: bool
    land: shapely.Geometry


def cut_into_pieces(
    geoms: np.ndarray, segments: int = PIECE_SEGMENTS
) -> tuple[np.ndarray, np.ndarray]:
    """Cut LineStrings into pieces of at most ``segments`` segments.

    Returns
    -------
    (pieces, owner)
        The pieces, and for each the index of the line it came from.
    """
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    if len(coords) == 0:
        return np.array([], dtype=object), np.array([], dtype=np.int64)
    # Vertex position within its own line, then the piece each vertex starts.
    starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    position = np.arange(len(coords)) - np.repeat(starts, np.diff(np.r_[starts, len(coords)]))
    piece_of = position // segments
    # The last vertex of a piece is also the first of the next one: duplicate it.
    is_break = (position % segments == 0) & (position > 0)
    dup = np.flatnonzero(is_break)
    all_coords = np.concatenate([coords, coords[dup]])
    all_owner = np.concatenate([owner, owner[dup]])
    all_piece = np.concatenate([piece_of, piece_of[dup] - 1])
    order = np.lexsort((np.r_[np.arange(len(coords)), dup], all_piece, all_owner))
    all_coords, all_owner, all_piece = all_coords[order], all_owner[order], all_piece[order]
    key = all_owner.astype(np.int64) * (1 << 32) + all_piece
    _, piece_index = np.unique(key, return_inverse=True)
    counts = np.bincount(piece_index)
    keep = counts[piece_index] >= 2
    _, piece_index = np.unique(key[keep], return_inverse=True)
    pieces = shapely.linestrings(all_coords[keep], indices=piece_index)
    first = np.r_[0, np.flatnonzero(np.diff(piece_index)) + 1]
    return pieces, all_owner[keep][first]


def build_border_index(region_set: RegionSet, rules: CrossingRules) -> BorderIndex:
    """Build the indexes for ``region_set`` with the band width of ``rules``."""
    stretches = region_set.stretches
    geoms = stretches.geometry.values.to_numpy() if len(stretches) else np.array([], dtype=object)
    pieces, piece_stretch = cut_into_pieces(np.asarray(geoms, dtype=object))
    kinds = stretches["kind"].to_numpy(dtype=object)
    a = stretches["a"].to_numpy(dtype=object)
    b = stretches["b"].to_numpy(dtype=object)
    coords, owner = shapely.get_coordinates(np.asarray(geoms, dtype=object), return_index=True)
    same = owner[1:] == owner[:-1]
    seg_xy = np.hstack([coords[:-1][same], coords[1:][same]])
    seg_stretch = owner[:-1][same]
    pair = np.array(["|".join(sorted((a[k], b[k]))) for k in range(len(stretches))], dtype=object)
    region_geoms = region_set.regions.geometry.values.to_numpy()
    shapely.prepare(region_geoms)
    land = shapely.union_all(region_geoms) if len(region_geoms) else shapely.Polygon()
    shapely.prepare(land)
    return BorderIndex(
        names=list(region_set.regions["name"]),
        region_geoms=region_geoms,
        region_tree=shapely.STRtree(region_geoms),
        piece_geoms=pieces,
        piece_tree=shapely.STRtree(pieces),
        reach_tree=shapely.STRtree(shapely.buffer(pieces, rules.search_band_m + REACH_MARGIN_M)),
        piece_stretch=piece_stretch,
        stretch_a=a,
        stretch_b=b,
        stretch_kind=kinds,
        seg_xy=seg_xy,
        seg_tree=shapely.STRtree(shapely.linestrings(seg_xy.reshape(-1, 2, 2))),
        seg_stretch=seg_stretch,
        stretch_pair=pair,
        has_coast=bool((kinds == "coast").any()),
        land=land,
    )


def points_in_regions(points: np.ndarray, index: BorderIndex) -> tuple[np.ndarray, np.ndarray]:
    """Which region(s) each point lies in (boundary included).

    Returns ``(point positions, region rows)`` pairs. The tree narrows by bounding box,
    then each region's prepared polygon tests its candidate points in one vectorised call
    (an STRtree ``intersects`` predicate query does not use prepared polygons and is
    two orders of magnitude slower on detailed borders).
    """
    if len(points) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    point_idx, region_idx = index.region_tree.query(points)
    hit = np.zeros(len(point_idx), dtype=bool)
    for region in np.unique(region_idx):
        sel = region_idx == region
        hit[sel] = shapely.intersects(index.region_geoms[region], points[point_idx[sel]])
    return point_idx[hit], region_idx[hit]
