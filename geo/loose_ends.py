"""Main lines that stop short of a border: the sign of an extract that clipped them.

Extracts cut at a bounding box or polygon leave trunk roads ending a few hundred metres
before the border (the Andorra test extract does). Such a line is not a crossing, but the
user must know that the count there is incomplete.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.border_index import BorderIndex


def loose_ends_near_border(
    metric: gpd.GeoDataFrame,
    index: BorderIndex,
    *,
    main_classes: tuple[str, ...],
    near_m: float,
    far_m: float,
) -> list[tuple[object, float]]:
    """Loose ends of main-class lines between ``near_m`` and ``far_m`` from a land border.

    Parameters
    ----------
    metric
        Features in the index's metric CRS (one chunk of a layer).
    index
        Border index; coast stretches are ignored, land, gap and unknown ones count.
    main_classes
        Classes whose loose ends are checked.
    near_m, far_m
        Ends closer than ``near_m`` are at the border (handled as stubs); ends farther
        than ``far_m`` are ordinary dead ends.

    Returns
    -------
    list of (label, metres)
        The row label of each such feature and how far its end is from the border. An end
        is loose when no other line of the chunk touches it.
    """
    if far_m <= 0 or not main_classes or metric.empty:
        return []
    lines, owner = shapely.get_parts(metric.geometry.values.to_numpy(), return_index=True)
    main = metric["class"].isin(main_classes).to_numpy()[owner] & ~shapely.is_closed(lines)
    if not main.any():
        return []
    tree = shapely.STRtree(lines)
    found: dict[object, float] = {}
    for at in (0, -1):
        ends = shapely.get_point(lines[main], at)
        pts, pieces = index.piece_tree.query(ends, predicate="dwithin", distance=far_m)
        not_coast = index.stretch_kind[index.piece_stretch[pieces]] != "coast"
        pts, pieces = pts[not_coast], pieces[not_coast]
        if len(pts) == 0:
            continue
        dist = shapely.distance(ends[pts], index.piece_geoms[pieces])
        best = np.full(len(ends), np.inf)
        np.minimum.at(best, pts, dist)
        candidates = np.flatnonzero((best > near_m) & (best <= far_m))
        if len(candidates) == 0:
            continue
        touch_pt, _ = tree.query(ends[candidates], predicate="intersects")
        touching = np.bincount(touch_pt, minlength=len(candidates))
        labels = metric.index.to_numpy()[owner[main]]
        for c, n in zip(candidates, touching):
            if n <= 1:  # only the line itself
                label = labels[c]
                found[label] = min(found.get(label, np.inf), float(best[c]))
    return sorted(found.items(), key=lambda item: item[1])
