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

#: Most cells along either side of the grids that find what may be near.
MAX_SIDE_CELLS = 2000


def loose_ends_near_border(
    metric: gpd.GeoDataFrame,
    index: BorderIndex,
    *,
    main_classes: tuple[str, ...],
    near_m: float,
    far_m: float,
    parts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
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
    parts
        When the caller has them: ``(lines, owner, coords, vertex)``, the non-empty
        LineStrings of ``metric`` (in part order), the position in ``metric`` of the
        feature of each, and ``shapely.get_coordinates(lines, return_index=True)``.

    Returns
    -------
    list of (label, metres)
        The row label of each such feature and how far its end is from the border. An end
        is loose when no other line of the chunk touches it.
    """
    if far_m <= 0 or not main_classes or metric.empty:
        return []
    is_main = metric["class"].isin(main_classes).to_numpy()
    if parts is not None:
        lines, owner, coords, vertex = parts
        # Open main-class lines and the rows of their first and last vertices in ``coords``.
        main = np.flatnonzero(is_main[owner])
        counts = np.bincount(vertex, minlength=len(lines))
        last = (np.cumsum(counts) - 1)[main]
        first = last - counts[main] + 1
    else:
        geoms = metric.geometry.values.to_numpy()
        types = shapely.get_type_id(geoms)
        if (types == 1).all():  # LineStrings only: no parts to split
            lines, owner = geoms, np.arange(len(geoms))
        else:
            lines, owner = shapely.get_parts(geoms, return_index=True)
            types = shapely.get_type_id(lines)
        # Open main-class LineStrings (in part order) and the rows of their first and last
        # vertices in ``coords``.
        main = np.flatnonzero(is_main[owner] & (types == 1))
        counts = shapely.get_num_coordinates(lines[main])
        main, counts = main[counts > 0], counts[counts > 0]
        coords = shapely.get_coordinates(lines[main])
        last = np.cumsum(counts) - 1
        first = last - counts + 1
    is_open = (coords[first] != coords[last]).any(axis=1)
    main, first, last = main[is_open], first[is_open], last[is_open]
    if len(main) == 0:
        return []
    land = index.stretch_kind[index.piece_stretch] != "coast"
    land_boxes = shapely.bounds(index.piece_geoms[land])
    reach = far_m + 1.0  # a metre to spare
    border = _Grid(land_boxes, reach, max(2 * reach, _extent(land_boxes, 50) / 4))
    # Ends (all first ends, then all last ends) between near_m and far_m of a land piece.
    ends: list[np.ndarray] = []
    which: list[np.ndarray] = []
    metres: list[np.ndarray] = []
    for at in (first, last):
        xy = coords[at]
        near = np.flatnonzero(border.covers(xy))  # cheap: most ends are far from borders
        if len(near) == 0:
            continue
        points = shapely.points(xy[near])
        pts, pieces = index.piece_tree.query(points, predicate="dwithin", distance=far_m)
        not_coast = index.stretch_kind[index.piece_stretch[pieces]] != "coast"
        pts, pieces = pts[not_coast], pieces[not_coast]
        if len(pts) == 0:
            continue
        dist = shapely.distance(points[pts], index.piece_geoms[pieces])
        best = np.full(len(points), np.inf)
        np.minimum.at(best, pts, dist)
        candidates = np.flatnonzero((best > near_m) & (best <= far_m))
        ends.append(points[candidates])
        which.append(near[candidates])
        metres.append(best[candidates])
    if sum(map(len, ends)) == 0:
        return []
    points = np.concatenate(ends)
    lines_of, metres_to = np.concatenate(which), np.concatenate(metres)
    # Lines of the chunk that touch each such end (its own line always does); only lines
    # whose box may hold one of the ends need a look.
    boxes = shapely.bounds(lines)
    xy = shapely.get_coordinates(points)
    at_ends = _Grid(np.concatenate([xy, xy], axis=1), 0.0, _extent(boxes, 50) / 2)
    maybe = np.flatnonzero(at_ends.meets(boxes))
    _, touch = shapely.STRtree(points).query(lines[maybe], predicate="intersects")
    loose = np.bincount(touch, minlength=len(points)) <= 1
    labels = metric.index.to_numpy()[owner[main]]
    found: dict[object, float] = {}
    for label, m in zip(labels[lines_of[loose]], metres_to[loose].tolist()):
        found[label] = min(found.get(label, np.inf), m)
    return sorted(found.items(), key=lambda item: item[1])


def _extent(bounds: np.ndarray, percentile: float) -> float:
    """A percentile of the larger side of boxes (``xmin, ymin, xmax, ymax``), 0 if none."""
    sides = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    sides = sides[np.isfinite(sides)]
    return float(np.percentile(sides, percentile)) if len(sides) else 0.0


class _Grid:
    """Square cells of about ``size`` marking where boxes, grown by ``reach``, lie.

    It is a cheap first test: a point in no marked cell is surely outside every grown
    box, so farther than ``reach`` from what each box bounds; a box over no marked cell
    surely holds no point of what was marked. Only what the test keeps needs geometry.
    """

    def __init__(self, bounds: np.ndarray, reach: float, size: float) -> None:
        bounds = bounds[np.isfinite(bounds).all(axis=1)]
        self.empty = len(bounds) == 0
        if self.empty:
            return
        grown = bounds + np.array([-reach, -reach, reach, reach])
        self.x0, self.y0 = float(grown[:, 0].min()), float(grown[:, 1].min())
        width = float(grown[:, 2].max()) - self.x0
        height = float(grown[:, 3].max()) - self.y0
        self.size = max(size, max(width, height) / MAX_SIDE_CELLS, 1e-6)
        cx0, cy0 = self._cell(grown[:, 0], grown[:, 1])
        cx1, cy1 = self._cell(grown[:, 2], grown[:, 3])
        self.marked = np.zeros((int(cx1.max()) + 1, int(cy1.max()) + 1), dtype=bool)
        wide, high = cx1 - cx0 + 1, cy1 - cy0 + 1
        cells = wide * high
        box = np.repeat(np.arange(len(grown)), cells)
        k = np.arange(cells.sum()) - np.repeat(np.cumsum(cells) - cells, cells)
        self.marked[cx0[box] + k // high[box], cy0[box] + k % high[box]] = True

    def _cell(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(invalid="ignore"):  # NaN (empty geometries): masked by callers
            cx = np.floor((x - self.x0) / self.size).astype(np.int64)
            cy = np.floor((y - self.y0) / self.size).astype(np.int64)
        return cx, cy

    def covers(self, xy: np.ndarray) -> np.ndarray:
        """Whether each point lies in a marked cell."""
        if self.empty:
            return np.zeros(len(xy), dtype=bool)
        cx, cy = self._cell(xy[:, 0], xy[:, 1])
        nx, ny = self.marked.shape
        inside = np.isfinite(xy).all(axis=1) & (cx >= 0) & (cx < nx) & (cy >= 0) & (cy < ny)
        out = np.zeros(len(xy), dtype=bool)
        out[inside] = self.marked[cx[inside], cy[inside]]
        return out

    def meets(self, boxes: np.ndarray) -> np.ndarray:
        """Whether each box (``xmin, ymin, xmax, ymax``) meets a marked cell."""
        if self.empty:
            return np.zeros(len(boxes), dtype=bool)
        # Marked cells in [0, x) x [0, y), for a count over any run of cells.
        total = np.zeros((self.marked.shape[0] + 1, self.marked.shape[1] + 1), dtype=np.int64)
        total[1:, 1:] = self.marked.cumsum(axis=0).cumsum(axis=1)
        nx, ny = self.marked.shape
        cx0, cy0 = self._cell(boxes[:, 0], boxes[:, 1])
        cx1, cy1 = self._cell(boxes[:, 2], boxes[:, 3])
        known = np.isfinite(boxes).all(axis=1)
        cx0, cy0 = np.clip(cx0, 0, nx), np.clip(cy0, 0, ny)
        cx1, cy1 = np.clip(cx1 + 1, 0, nx), np.clip(cy1 + 1, 0, ny)
        count = total[cx1, cy1] - total[cx0, cy1] - total[cx1, cy0] + total[cx0, cy0]
        return known & (count > 0)
