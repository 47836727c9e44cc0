"""A routable network made of a layer's lines: nodes, edges with lengths and travel times.

Every vertex of every line becomes a node once snapped to a grid of ``snap_m`` metres (so
lines that share a vertex, or whose ends lie within the grid cell, join); every segment
between consecutive vertices becomes an edge, undirected: one-way carriageways of a divided
road are two edges side by side, which is how a divided road carries traffic both ways.
An edge's length is its length in the metric CRS (or its share of the line's stated
``length_m``, for a graph whose edges are drawn straight between their nodes), its time the
length at its speed: the line's ``maxspeed_kmh`` when the data give it, else the layer's
default speed for its class (:attr:`layers.LayerSpec.speed_kmh`), else
:data:`FALLBACK_SPEED_KMH`.

Edges are kept as segments (not merged between junctions): the graph's size is the number
of vertices, which the routing (:mod:`scipy.sparse.csgraph`, compiled) handles in seconds
at a million edges, and an interface is tied to exactly the segments that cross the border
near it.

scipy is imported inside the functions that route: counting never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

if TYPE_CHECKING:
    from scipy.sparse import csr_array

#: Speed (km/h) of a line whose layer states none for its class.
FALLBACK_SPEED_KMH = 40.0
#: Default grid (m) vertices are snapped to: joins lines digitised a little apart.
SNAP_M = 1.0


@dataclass(frozen=True)
class Network:
    """An undirected network in a metric CRS.

    Attributes
    ----------
    xy
        ``(n, 2)`` node coordinates in :attr:`crs`.
    edges
        One row per edge: ``u``, ``v`` (node numbers, ``u < v``), ``length_m``,
        ``time_s``, ``layer``, ``class`` and ``feature`` (the row of the line it comes from).
    crs
        The metric CRS of :attr:`xy`.
    """

    xy: np.ndarray
    edges: pd.DataFrame
    crs: CRS

    @property
    def node_count(self) -> int:
        """How many nodes the network has."""
        return len(self.xy)

    def matrix(self, weight: str, closed: np.ndarray | None = None) -> csr_array:
        """The symmetric sparse matrix of ``weight`` (``length_m`` or ``time_s``).

        Parameters
        ----------
        weight
            The edge column used as the weight.
        closed
            Boolean mask of edges left out (closed), or None.

        Returns
        -------
        scipy.sparse.csr_array
            ``n × n``; parallel edges keep the smallest weight.
        """
        from scipy.sparse import coo_array

        keep = np.ones(len(self.edges), bool) if closed is None else ~closed
        u = self.edges["u"].to_numpy()[keep]
        v = self.edges["v"].to_numpy()[keep]
        w = self.edges[weight].to_numpy(dtype=float)[keep]
        # The smallest of parallel edges: sort by weight descending so the smallest is
        # written last when duplicates collapse (coo -> csr sums them, so dedupe first).
        order = np.lexsort((-w, v, u))
        u, v, w = u[order], v[order], w[order]
        last = np.ones(len(u), bool)
        last[:-1] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        u, v, w = u[last], v[last], w[last]
        n = self.node_count
        # A zero weight would read as "no edge" in a sparse matrix: keep it tiny instead.
        w = np.maximum(w, 1e-6)
        both = coo_array(
            (np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))),
            shape=(n, n),
        )
        return both.tocsr()

    def edge_lines(self, mask: np.ndarray | None = None) -> np.ndarray:
        """The edges (or those of ``mask``) as shapely LineStrings in :attr:`crs`."""
        edges = self.edges if mask is None else self.edges[mask]
        u = edges["u"].to_numpy()
        v = edges["v"].to_numpy()
        coords = np.stack([self.xy[u], self.xy[v]], axis=1)
        return shapely.linestrings(coords)


def speeds_kmh(lines: gpd.GeoDataFrame, defaults: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Each line's speed: its ``maxspeed_kmh``, else its layer's class default.

    Parameters
    ----------
    lines
        With ``layer`` and ``class`` columns, and optionally ``maxspeed_kmh``.
    defaults
        ``{layer: {class: km/h}}`` (:attr:`layers.LayerSpec.speed_kmh` per layer).

    Returns
    -------
    numpy.ndarray
        km/h per line, all positive.
    """
    by_class = np.array(
        [
            defaults.get(str(layer), {}).get(str(cls), FALLBACK_SPEED_KMH)
            for layer, cls in zip(lines["layer"], lines["class"], strict=True)
        ],
        dtype=float,
    )
    if "maxspeed_kmh" in lines:
        stated = pd.to_numeric(lines["maxspeed_kmh"], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(stated) & (stated > 0)
        by_class = np.where(ok, stated, by_class)
    return by_class


def build_network(
    lines: gpd.GeoDataFrame,
    crs: CRS,
    defaults: Mapping[str, Mapping[str, float]],
    *,
    snap_m: float = SNAP_M,
) -> Network:
    """The network of ``lines`` (any CRS; projected to the metric ``crs``).

    Parameters
    ----------
    lines
        LineString or MultiLineString features with ``layer`` and ``class`` columns.
    crs
        The metric CRS to build in (the region set's).
    defaults
        Class default speeds per layer (see :func:`speeds_kmh`).
    snap_m
        Grid (m) vertices are snapped to; vertices in one cell are one node.

    Returns
    -------
    Network
        Its nodes and edges; empty when there are no lines.
    """
    projected = lines.to_crs(crs) if lines.crs is not None else lines.set_crs(crs)
    speed = speeds_kmh(projected, defaults)
    parts = shapely.get_parts(projected.geometry.to_numpy())
    part_of = np.repeat(
        np.arange(len(projected)),
        shapely.get_num_geometries(projected.geometry.to_numpy()),
    )
    keep = shapely.get_type_id(parts) == 1  # LineString
    parts, part_of = parts[keep], part_of[keep]
    coords, line_of = shapely.get_coordinates(parts, return_index=True)
    if len(coords) < 2:
        empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _EDGE_DTYPES.items()})
        return Network(np.zeros((0, 2)), empty, crs)
    cells = np.round(coords / snap_m).astype(np.int64)
    unique, node = np.unique(cells, axis=0, return_inverse=True)
    node = node.ravel()
    xy = unique.astype(float) * snap_m
    same_line = line_of[1:] == line_of[:-1]
    u, v = node[:-1][same_line], node[1:][same_line]
    seg_line = line_of[:-1][same_line]
    moved = u != v
    u, v, seg_line = u[moved], v[moved], seg_line[moved]
    feature = part_of[seg_line]
    length = np.hypot(*(xy[u] - xy[v]).T)
    if "length_m" in projected:
        # A line that states its length (a graph's edge drawn straight between its nodes)
        # keeps it: its segments are scaled to add up to it.
        stated = pd.to_numeric(projected["length_m"], errors="coerce").to_numpy(dtype=float)
        drawn = np.bincount(feature, weights=length, minlength=len(projected))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(np.isfinite(stated) & (drawn > 0), stated / drawn, 1.0)
        length = length * scale[feature]
    kmh = speed[feature]
    edges = pd.DataFrame(
        {
            "u": np.minimum(u, v),
            "v": np.maximum(u, v),
            "length_m": length,
            "time_s": length / (kmh / 3.6),
            "layer": projected["layer"].to_numpy()[feature].astype(str),
            "class": projected["class"].to_numpy()[feature].astype(str),
            "feature": feature,
        }
    )
    return Network(xy, edges, crs)


_EDGE_DTYPES = {
    "u": "int64",
    "v": "int64",
    "length_m": "float64",
    "time_s": "float64",
    "layer": "object",
    "class": "object",
    "feature": "int64",
}


def join_loose_ends(network: Network, ends_of: np.ndarray, within_m: float) -> Network:
    """Join the loose ends of some lines to the nearest node of the others.

    A line added to a graph from another source (an authored link beside a road graph)
    may stop short of the graph's nodes; each of its nodes with one edge only (a loose
    end) is joined by a straight *connector* edge (``class`` ``connector``, at the speed
    of its line) to the nearest node of the other lines within ``within_m``.

    Parameters
    ----------
    network
        The network.
    ends_of
        Per edge: whether it belongs to the lines whose loose ends are joined.
    within_m
        Largest connector length.

    Returns
    -------
    Network
        The network with the connectors added (the same one when none is needed).
    """
    edges = network.edges
    u = edges["u"].to_numpy()
    v = edges["v"].to_numpy()
    degree = np.bincount(np.concatenate([u, v]), minlength=network.node_count)
    own = np.zeros(network.node_count, bool)
    own[u[ends_of]] = True
    own[v[ends_of]] = True
    other = np.zeros(network.node_count, bool)
    other[u[~ends_of]] = True
    other[v[~ends_of]] = True
    loose = np.flatnonzero(own & ~other & (degree == 1))
    targets = np.flatnonzero(other)
    if loose.size == 0 or targets.size == 0:
        return network
    tree = shapely.STRtree(shapely.points(network.xy[targets]))
    found, dist = tree.query_nearest(
        shapely.points(network.xy[loose]), max_distance=within_m, return_distance=True
    )
    if found.shape[1] == 0:
        return network
    first = np.unique(found[0], return_index=True)[1]
    a = loose[found[0][first]]
    b = targets[found[1][first]]
    d = dist[first]
    # The connector takes the speed of the line it ends: its edge's time per metre.
    at = np.concatenate([u, v])
    edge_at = np.concatenate([np.arange(len(u)), np.arange(len(u))])
    by_node = pd.Series(edge_at).groupby(at).first()
    pace = (edges["time_s"] / edges["length_m"].clip(lower=1e-6)).to_numpy()
    joined = pd.DataFrame(
        {
            "u": np.minimum(a, b),
            "v": np.maximum(a, b),
            "length_m": d,
            "time_s": d * pace[by_node.loc[a].to_numpy()],
            "layer": edges["layer"].to_numpy()[by_node.loc[a].to_numpy()],
            "class": "connector",
            "feature": -1,
        }
    )
    return Network(network.xy, pd.concat([edges, joined], ignore_index=True), network.crs)
