"""The network around one border: its band, each node's side, the crossing edges and ties.

A border pair ``(a, b)`` is the union of the region set's stretches between ``a`` and
``b``. The network kept is every line within ``band_m`` of that border (and inside
either region, or over the sea between them); each node is on side ``a``, side ``b`` or
neither (a third region, the sea). A *crossing edge* is an edge whose segment meets the
border's lines (a land border) or joins the two sides across the sea (a maritime pair).
Each crossing edge is tied to the nearest interface of the count of the same layer within
``tie_m`` (an interface of a divided road takes both carriageways); a crossing edge tied
to none is an *other crossing* (a road the network has and the count does not: it stays
open in every scenario and is reported).

scipy is imported inside the functions that use it: counting never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.errors import InvalidParameterError
from geo.network import Network
from geo.projection import WGS84
from geo.regions import RegionSet
from geo.text import Bilingual

#: Default half-width (m) of the band around the border whose network is kept.
BAND_M = 50_000.0
#: Default largest distance (m) from an interface to the crossing edges tied to it.
TIE_M = 2_000.0
#: Largest distance (m) from a place to the network node standing for it.
PLACE_SNAP_M = 15_000.0


@dataclass(frozen=True)
class BorderNetwork:
    """A network cut to a border's band, with what routing around the border needs.

    Attributes
    ----------
    network
        The network within the band.
    a, b
        The two regions (as the region set names them).
    side
        Per node: ``0`` on side ``a``, ``1`` on side ``b``, :data:`THIRD` in another
        region, :data:`SEA` in none.
    crossing
        Per edge: whether it crosses the border.
    chain
        Per edge: the sea chain (bridge) it lands, -1 for none (:func:`sea_chains`).
    tied
        Per edge: the id of the interface it is tied to, or ``""``.
    untied_interfaces
        Interfaces with no crossing edge within the tie distance.
    border
        The border's lines in the network's CRS.
    """

    network: Network
    a: str
    b: str
    side: np.ndarray
    crossing: np.ndarray
    chain: np.ndarray
    tied: np.ndarray
    untied_interfaces: tuple[str, ...]
    border: shapely.Geometry

    @property
    def other_crossings(self) -> int:
        """How many crossing edges no interface of the count is tied to."""
        return int((self.crossing & (self.tied == "")).sum())

    @property
    def through_third(self) -> np.ndarray:
        """Per edge: whether an end is in a third region (off this border's own network).

        The border's analysis keeps to the two regions and the sea between them (see
        :mod:`geo.resilience`): a way round through a third region crosses that region's
        borders, not this one, and is measured on those borders.
        """
        u = self.network.edges["u"].to_numpy()
        v = self.network.edges["v"].to_numpy()
        return (self.side[u] == THIRD) | (self.side[v] == THIRD)


def border_lines(region_set: RegionSet, a: str, b: str) -> shapely.Geometry:
    """The lines of the border between ``a`` and ``b`` (their stretches), metric CRS.

    Raises
    ------
    InvalidParameterError
        When the two regions share no border.
    """
    st = region_set.stretches
    mine = st[((st["a"] == a) & (st["b"] == b)) | ((st["a"] == b) & (st["b"] == a))]
    if mine.empty:
        raise InvalidParameterError(
            Bilingual(
                f"{a} and {b} share no border in these data: choose a neighbouring pair.",
                f"数据中 {a} 与 {b} 没有共同边界：请选择相邻的一对地区。",
            )
        )
    return shapely.union_all(mine.geometry.to_numpy())


def lines_in_band(
    lines: gpd.GeoDataFrame, border: shapely.Geometry, band_m: float, crs: object
) -> gpd.GeoDataFrame:
    """The lines (projected to ``crs``) that come within ``band_m`` of ``border``, clipped."""
    projected = lines.to_crs(crs)
    band = shapely.buffer(border, band_m)
    geoms = projected.geometry.to_numpy()
    near = shapely.intersects(geoms, band)
    kept = projected[near].copy()
    kept["geometry"] = shapely.intersection(kept.geometry.to_numpy(), band)
    return kept[~kept.geometry.is_empty]


#: Side of a node in a third region, and of a node in no region (over the sea).
THIRD, SEA = -1, -2


def node_sides(network: Network, region_set: RegionSet, a: str, b: str) -> np.ndarray:
    """Per node: 0 in ``a``, 1 in ``b``, :data:`THIRD` in another region, else :data:`SEA`."""
    regions = region_set.regions.set_index("name").geometry
    x, y = network.xy[:, 0], network.xy[:, 1]
    side = np.full(network.node_count, SEA, dtype=np.int8)
    for polygon in region_set.regions.geometry:
        side[shapely.contains_xy(polygon, x, y)] = THIRD
    for number, name in enumerate((a, b)):
        side[shapely.contains_xy(regions[name], x, y)] = number
    return side


def sea_chains(network: Network, side: np.ndarray) -> np.ndarray:
    """Per node: the number of its chain of sea nodes that touches both sides, else -1.

    A bridge or a tunnel between the two regions over the sea is a chain of nodes in no
    region (joined by edges) with an edge to each side: the Donghai Bridge from Shanghai
    to Zhejiang's Yangshan islands.
    """
    edges = network.edges
    u = edges["u"].to_numpy()
    v = edges["v"].to_numpy()
    inner = (side[u] == SEA) & (side[v] == SEA)
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    n = network.node_count
    matrix = csr_array((np.ones(int(inner.sum())), (u[inner], v[inner])), shape=(n, n))
    _, label = connected_components(matrix, directed=False)
    label = np.where(side == SEA, label, -1)
    touches = np.zeros((label.max() + 2, 2), bool)
    for near, far in ((u, v), (v, u)):
        at = (side[near] == SEA) & (side[far] >= 0)
        touches[label[near[at]], side[far[at]]] = True
    both = touches[:, 0] & touches[:, 1]
    return np.where((label >= 0) & both[label], label, -1)


def crossing_edges(
    network: Network, side: np.ndarray, border: shapely.Geometry
) -> tuple[np.ndarray, np.ndarray]:
    """Per edge: whether it crosses the border, and its sea chain (-1 for none).

    An edge crosses when its ends are on the two sides, or when it joins a side to a chain
    of sea nodes that reaches the other side (:func:`sea_chains`; both ends of such a
    bridge cross, and count as one crossing when tied).
    """
    u = network.edges["u"].to_numpy()
    v = network.edges["v"].to_numpy()
    su, sv = side[u], side[v]
    across = (su >= 0) & (sv >= 0) & (su != sv)
    chain_of = sea_chains(network, side)
    chain = np.where(su >= 0, chain_of[v], chain_of[u])
    landing = ((su >= 0) & (sv == SEA)) | ((sv >= 0) & (su == SEA))
    chain = np.where(landing, chain, -1)
    return across | (chain >= 0), chain


def tie_interfaces(
    network: Network,
    crossing: np.ndarray,
    chain: np.ndarray,
    border: shapely.Geometry,
    interfaces: gpd.GeoDataFrame,
    tie_m: float,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Tie each crossing edge to the nearest interface of its layer within ``tie_m``.

    Parameters
    ----------
    network, crossing, chain
        The network, its crossing edges and their sea chains (:func:`crossing_edges`).
    border
        The border's lines (the crossing point of a land edge is where it meets them; a
        bridge's landing edges are measured as whole segments).
    interfaces
        The count's interfaces of this border: ``id``, ``layer``, ``lon``, ``lat``.
    tie_m
        Largest distance from an interface's point to an edge's crossing point. The
        landings of one sea chain (a bridge) tie to the interface nearest any of them.

    Returns
    -------
    tied
        Per edge, the interface id or ``""``.
    untied
        Ids of interfaces with no edge tied to them.
    """
    tied = np.full(len(network.edges), "", dtype=object)
    if interfaces.empty or not crossing.any():
        return tied, tuple(str(i) for i in interfaces.get("id", []))
    to_metric = Transformer.from_crs(WGS84, network.crs, always_xy=True)
    ix, iy = to_metric.transform(
        interfaces["lon"].to_numpy(dtype=float), interfaces["lat"].to_numpy(dtype=float)
    )
    points = shapely.points(ix, iy)
    rows = np.flatnonzero(crossing)
    segments = network.edge_lines(crossing)
    where = shapely.intersection(segments, border)
    # A landing (or an edge meeting no border line) is measured as a whole: a coarse line's
    # vertices may lie kilometres from where it meets the coast.
    where = np.where(shapely.is_empty(where) | (chain[rows] >= 0), segments, where)
    layer = network.edges["layer"].to_numpy()[rows]
    ids = interfaces["id"].astype(str).to_numpy()
    layers = interfaces["layer"].astype(str).to_numpy()
    distance = shapely.distance(where[:, None], points[None, :])
    distance[layer[:, None] != layers[None, :]] = np.inf
    # A bridge's landings share the distance of the nearest one.
    for c in np.unique(chain[rows][chain[rows] >= 0]):
        mine = chain[rows] == c
        distance[mine] = distance[mine].min(axis=0)
    best = np.argmin(distance, axis=1)
    close = distance[np.arange(len(rows)), best] <= tie_m
    tied[rows[close]] = ids[best[close]]
    seen = set(tied[rows[close]])
    return tied, tuple(i for i in ids if i not in seen)


def border_network(
    network: Network,
    region_set: RegionSet,
    a: str,
    b: str,
    interfaces: gpd.GeoDataFrame,
    *,
    tie_m: float = TIE_M,
) -> BorderNetwork:
    """Sides, crossing edges and ties of ``network`` for the border ``a``–``b``."""
    border = border_lines(region_set, a, b)
    side = node_sides(network, region_set, a, b)
    crossing, chain = crossing_edges(network, side, border)
    tied, untied = tie_interfaces(network, crossing, chain, border, interfaces, tie_m)
    return BorderNetwork(network, a, b, side, crossing, chain, tied, untied, border)


@dataclass(frozen=True)
class Places:
    """Origins and destinations: places on each side, snapped to the network.

    Attributes
    ----------
    table
        ``name``, ``name_zh``, ``name_en``, ``side`` (0 or 1), ``population``, ``node``,
        ``snap_m`` (how far the place is from its node).
    dropped
        Names of places left out: farther than the snap distance from the network.
    dropped_zh
        Their Chinese names (``name_zh``, else ``name``), in the same order.
    """

    table: pd.DataFrame
    dropped: tuple[str, ...]
    dropped_zh: tuple[str, ...] = ()


def snap_places(
    net: BorderNetwork,
    places: gpd.GeoDataFrame,
    region_set: RegionSet,
    *,
    band_m: float,
    snap_m: float = PLACE_SNAP_M,
    near: shapely.Geometry | None = None,
) -> Places:
    """The places within ``band_m`` of the border on either side, snapped to its nodes.

    A place's side is the region it lies in (places in neither are left out); it stands
    at the nearest node of that side that the border's crossings can reach.

    Parameters
    ----------
    net
        The border's network.
    places
        Points with ``name`` and ``population`` (optionally ``name_zh``, ``name_en``).
    region_set
        The regions (for each place's side).
    band_m
        Largest distance from the border of a place kept.
    snap_m
        Largest distance from a place to its network node.
    near
        What a place must be within ``band_m`` of; the border's lines when None.

    Returns
    -------
    Places
        Those kept and the names of those dropped.
    """
    projected = places.to_crs(net.network.crs)
    geoms = projected.geometry.to_numpy()
    within = shapely.distance(geoms, net.border if near is None else near) <= band_m
    projected = projected[within].reset_index(drop=True)
    x = shapely.get_x(projected.geometry.to_numpy())
    y = shapely.get_y(projected.geometry.to_numpy())
    regions = region_set.regions.set_index("name").geometry
    place_side = np.full(len(projected), -1, dtype=np.int8)
    for number, name in enumerate((net.a, net.b)):
        place_side[shapely.contains_xy(regions[name], x, y)] = number
    reachable = _connected_to_crossing(net)
    rows: list[dict[str, object]] = []
    dropped: list[str] = []
    dropped_zh: list[str] = []
    for n in range(len(projected)):
        row = projected.iloc[n]
        side = int(place_side[n])
        candidates = np.flatnonzero((net.side == side) & reachable & (side >= 0))
        if len(candidates) == 0:
            dropped.append(str(row["name"]))
            dropped_zh.append(str(row.get("name_zh") or row["name"]))
            continue
        d = np.hypot(net.network.xy[candidates, 0] - x[n], net.network.xy[candidates, 1] - y[n])
        k = int(np.argmin(d))
        if d[k] > snap_m:
            dropped.append(str(row["name"]))
            dropped_zh.append(str(row.get("name_zh") or row["name"]))
            continue
        rows.append(
            {
                "name": str(row["name"]),
                "name_zh": str(row.get("name_zh") or row["name"]),
                "name_en": str(row.get("name_en") or row["name"]),
                "side": side,
                "population": _population(row.get("population")),
                "node": int(candidates[k]),
                "snap_m": round(float(d[k]), 1),
            }
        )
    columns = ["name", "name_zh", "name_en", "side", "population", "node", "snap_m"]
    return Places(pd.DataFrame(rows, columns=columns), tuple(dropped), tuple(dropped_zh))


def _population(value: object) -> float:
    """A place's population: 1 when unknown (every place counts alike), 0 kept as 0."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return 1.0 if pd.isna(number) or number < 0 else float(number)


def _connected_to_crossing(net: BorderNetwork) -> np.ndarray:
    """Per node: whether a crossing edge can be reached from it without a third region."""
    from scipy.sparse.csgraph import connected_components

    matrix = net.network.matrix("length_m", net.through_third)
    _, label = connected_components(matrix, directed=False)
    edges = net.network.edges
    crossing_labels = np.unique(label[edges["u"].to_numpy()[net.crossing]])
    return np.isin(label, crossing_labels)
