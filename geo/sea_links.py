"""Links over water made of several lines: a bridge or causeway split into many ways.

OpenStreetMap splits a long bridge into ways (at every change of layer, lanes, name ...),
and the middle ones lie far from any coast. A single line that leaves region X across a
coast and reaches region Y is handled in :mod:`geo.crossings`; here the pieces are put
together:

* a *sea end* is where a line leaves the land across a coast and then stops at sea (or
  starts at sea and reaches the land across a coast), or a line end lying on a coast;
* a *sea line* lies wholly outside every region.

Sea ends and sea lines whose ends meet (within ``join_tolerance_m``) are walked as a
chain; a sea line is followed only where the chain does not branch. A chain joining a sea
end of region X to a sea end of region Y != X is one transition over water, placed at its
landfall on the smaller of the two pieces of land it joins (a bridge to an island crosses at
the island's coast, as a single line does in :mod:`geo.crossings`), or halfway along the
water part of the chain when both are equal or the regions are not known.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import shapely

from geo.border_index import BorderIndex
from geo.crossings import SeaEnd, SeaLine, Transition, _land_area, _pair
from geo.grouping import near_groups


def _node_ids(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Cluster points closer than ``tolerance`` into node ids."""
    groups = near_groups(points, tolerance)
    return np.array([groups.find(i) for i in range(len(points))])


def resolve_sea_links(
    ends: list[SeaEnd],
    lines: list[SeaLine],
    features: pd.DataFrame,
    *,
    tolerance: float,
    index: BorderIndex | None = None,
) -> list[Transition]:
    """Transitions over water made by chains of sea ends and sea lines.

    With the regions' ``index``, a chain crosses at its landfall on the smaller of the two
    pieces of land it joins (as a single line does, :mod:`geo.crossings`); without it, or
    between pieces of equal area, halfway along the water.
    """
    if len(ends) < 2:
        return []
    points = [(e.x, e.y) for e in ends]
    for line in lines:
        points.extend([line.geometry.coords[0], line.geometry.coords[-1]])
    nodes = _node_ids(np.asarray(points, dtype=float), tolerance)
    end_node = nodes[: len(ends)]
    line_nodes = nodes[len(ends) :].reshape(-1, 2) if lines else np.empty((0, 2), dtype=int)
    ends_at: dict[int, list[int]] = defaultdict(list)
    for k, node in enumerate(end_node):
        ends_at[int(node)].append(k)
    lines_at: dict[int, list[int]] = defaultdict(list)
    for k, (a, b) in enumerate(line_nodes):
        lines_at[int(a)].append(k)
        lines_at[int(b)].append(k)

    used: set[int] = set()
    transitions: list[Transition] = []
    for start, first in enumerate(ends):
        if start in used:
            continue
        path = [first.water.reverse()] if first.water is not None else []
        rows = [first.row]
        node, came_by, seen = int(end_node[start]), None, set()
        while True:
            others = [k for k in ends_at[node] if k != start and k not in used]
            if others:
                other = max(others, key=lambda k: ends[k].region != first.region)
                last = ends[other]
                if last.water is not None:
                    path.append(last.water)
                rows.append(last.row)
                used.update((start, other))
                if last.region != first.region:
                    transitions.append(_transition(first, last, path, rows, features, index))
                break
            onward = [k for k in lines_at[node] if k != came_by and k not in seen]
            if len(onward) != 1:
                break
            k = onward[0]
            seen.add(k)
            geom = lines[k].geometry
            a, b = line_nodes[k]
            path.append(geom if a == node else geom.reverse())
            rows.append(lines[k].row)
            node, came_by = int(b if a == node else a), k
    return transitions


def _transition(
    first: SeaEnd,
    last: SeaEnd,
    path: list[shapely.LineString],
    rows: list[int],
    features: pd.DataFrame,
    index: BorderIndex | None = None,
) -> Transition:
    """Transition from ``first.region`` to ``last.region`` over the water."""
    coords: list[tuple[float, float]] = []
    for part in path:
        coords.extend(part.coords)
    if len(coords) >= 2:
        water = shapely.LineString(coords)
        middle = water.interpolate(water.length / 2.0)
    else:
        middle = shapely.Point(first.x, first.y)
    if index is not None:
        middle = _landfall(first, last, index) or middle
    a, b, sign = _pair(first.region, last.region)
    # ``first``'s geometry runs from land to sea when its sea end is the line's end.
    flow = int(features.at[first.row, "oneway"]) * (1 if first.at_end else -1)
    if flow == 0:
        flow = int(features.at[last.row, "oneway"]) * (-1 if last.at_end else 1)
    return Transition(a, b, middle.x, middle.y, tuple(dict.fromkeys(rows)), sign * flow, "water")


def _coast_point(end: SeaEnd) -> shapely.Point:
    """Where a sea end's line meets the coast (its water part runs towards the coast)."""
    if end.water is not None and not end.water.is_empty:
        return shapely.Point(end.water.coords[-1])
    return shapely.Point(end.x, end.y)


def _landfall(first: SeaEnd, last: SeaEnd, index: BorderIndex) -> shapely.Point | None:
    """The chain's landfall on the smaller piece of land; None when both are equal."""
    names = list(index.names)
    if first.region not in names or last.region not in names:
        return None
    start, end = _coast_point(first), _coast_point(last)
    left = _land_area(start, names.index(first.region), index)
    right = _land_area(end, names.index(last.region), index)
    if abs(left - right) < 1.0:
        return None
    return start if left < right else end
