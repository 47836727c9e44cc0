"""Grouping helpers: a disjoint set, clusters of points, connected components on arrays."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import shapely


class DisjointSet:
    """Union-find over the integers ``0 .. size - 1``."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, item: int) -> int:
        """Representative of ``item``'s group."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        """Put ``first`` and ``second`` in one group."""
        self._parent[self.find(first)] = self.find(second)

    def groups(self) -> list[list[int]]:
        """The groups, each a list of its members in increasing order."""
        out: dict[int, list[int]] = defaultdict(list)
        for item in range(len(self._parent)):
            out[self.find(item)].append(item)
        return list(out.values())


def near_groups(xy: np.ndarray, distance: float) -> DisjointSet:
    """Group points (an ``(n, 2)`` array) linked by chains of gaps of at most ``distance``."""
    points = shapely.points(xy)
    left, right = shapely.STRtree(points).query(points, predicate="dwithin", distance=distance)
    groups = DisjointSet(len(xy))
    for i, j in zip(left.tolist(), right.tolist()):
        groups.union(i, j)
    return groups


def components(size: int, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Connected components of links ``first[k] - second[k]`` over ``0 .. size - 1``.

    Returns each item's smallest fellow member (roots are hooked to smaller roots until
    every link joins one root).
    """
    parent = np.arange(size)
    while len(first):
        while True:  # point every item at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
        left, right = parent[first], parent[second]
        open_ = left != right
        if not open_.any():
            break
        first, second, left, right = first[open_], second[open_], left[open_], right[open_]
        np.minimum.at(parent, np.maximum(left, right), np.minimum(left, right))
    return parent
