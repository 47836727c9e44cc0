"""What a map of one border opens on: the border line and its interfaces, in WGS84.

A page showing the border between two regions should open on that border, not on the two
regions whole (Zhejiang and Jiangsu span 600 km; their border, 250). :func:`focus_extent`
gives the box to fit: the land border shared by the pair (the region set's ``land``
stretches between them) together with the interfaces found on it, or, when there is no
pair, the interfaces; None when there is nothing to fit, and the caller falls back on the
regions. Stretches are in the region set's metric CRS and are taken to WGS84 only for their
box; boxes are ``(west, south, east, north)`` in degrees.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np

from geo.projection import WGS84
from geo.regions import RegionSet

Bounds = tuple[float, float, float, float]
"""A box ``(west, south, east, north)`` in degrees, WGS84."""


def border_line(region_set: RegionSet, region: str, neighbour: str) -> gpd.GeoSeries:
    """The land border shared by ``region`` and ``neighbour``, in the region set's CRS.

    Empty when they share none (a maritime pair, or regions apart).
    """
    stretches = region_set.stretches
    mask = (
        (stretches["kind"] == "land") & (stretches["a"] == region) & (stretches["b"] == neighbour)
    )
    return gpd.GeoSeries(stretches.geometry[mask].to_numpy(), crs=region_set.crs)


def counted_border(region_set: RegionSet, region: str, neighbour: str | None) -> gpd.GeoSeries:
    """The land border a page counts, in the region set's CRS: the pair's, or the region's.

    With a ``neighbour``, :func:`border_line`; without one (every neighbour), every land
    stretch of ``region``. The coast is no border: a link crossing it is not counted.
    Empty when there is none (a maritime pair, regions apart, an unknown region).
    """
    if neighbour is not None:
        return border_line(region_set, region, neighbour)
    stretches = region_set.stretches
    mask = (stretches["kind"] == "land") & (stretches["a"] == region)
    return gpd.GeoSeries(stretches.geometry[mask].to_numpy(), crs=region_set.crs)


def focus_extent(
    region_set: RegionSet,
    region: str | None,
    neighbour: str | None,
    points: Iterable[tuple[float, float]] = (),
) -> Bounds | None:
    """The box a map of a border opens on, or None when it has nothing to open on.

    Parameters
    ----------
    region_set
        The regions and their border stretches.
    region, neighbour
        The pair in focus; with no neighbour (every border of the region), only ``points``.
    points
        ``(lon, lat)`` of the interfaces shown (WGS84).

    Returns
    -------
    (west, south, east, north) or None
        The box of the pair's land border and of ``points``; None when both are empty.
    """
    boxes: list[Bounds] = []
    if region is not None and neighbour is not None:
        line = border_line(region_set, region, neighbour)
        if len(line) and not line.is_empty.all():
            west, south, east, north = line.to_crs(WGS84).total_bounds
            boxes.append((float(west), float(south), float(east), float(north)))
    coords = np.asarray(list(points), dtype=float).reshape(-1, 2)
    coords = coords[np.isfinite(coords).all(axis=1)]
    if len(coords):
        (west, south), (east, north) = coords.min(axis=0), coords.max(axis=0)
        boxes.append((float(west), float(south), float(east), float(north)))
    if not boxes:
        return None
    arr = np.asarray(boxes)
    return (
        float(arr[:, 0].min()),
        float(arr[:, 1].min()),
        float(arr[:, 2].max()),
        float(arr[:, 3].max()),
    )


__all__ = ["Bounds", "border_line", "counted_border", "focus_extent"]
