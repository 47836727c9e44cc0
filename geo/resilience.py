"""What if an interface closes: min cut and detours across one border, per layer.

Measures, on a :class:`geo.border_network.BorderNetwork` and its places
(:func:`geo.border_network.snap_places`):

* **the border's own network**: both measures keep to the two regions and the sea between
  them; an edge with an end in a third region is left out of the min cut and of every route
  (:attr:`geo.border_network.BorderNetwork.through_third`). Why: a planner asks how many
  links *this* border has and what its trips do when one closes; a way round through a
  third region crosses that region's borders and is measured there. Measured on the same
  network, the two cannot disagree: a pair of places joined by a route has a path in the
  min cut, so a min cut of 0 means no trip to route and no critical interface (before, the
  min cut left the third region out and the routes did not: Zhejiang–Jiangsu railways read
  "min cut 0" beside a critical Shanghai–Suzhou–Huzhou railway, whose trips ran through
  Shanghai). A pair the border's own network cannot join is reported and left out.
* **min cut**: the number of edge-disjoint paths between the two sides' places, all the
  places of a side joined to one source (or sink); a place is every node of its side within
  :data:`PLACE_RADIUS_M` of it (a city is not one junction). The edges tied to one interface of the
  count (both carriageways of a divided road) count as one edge, so the answer is in
  interfaces, as a planner counts them; every other edge counts once. Computed as a
  maximum flow with unit capacities (:func:`scipy.sparse.csgraph.maximum_flow`), which by
  Menger's theorem equals the number of edge-disjoint paths. ``min_cut_counted`` is the
  same with the crossings the count does not know (other crossings) left out.
* **closures**: for each interface closed alone (or a set given), every pair of places
  (one on each side) is routed again by the fastest path (time, with each edge's speed);
  the route's length and time are compared with the network with everything open. A pair
  with no path left is *disconnected*. Where the route now crosses is recorded: the pair's
  ``via`` is the first interface it crosses (or ``other`` for a crossing the count does not
  know), and the closure's ``moves_to`` the share of the moved trips that now cross each
  interface, every interface of the new route counting (the shares may sum past 100 %:
  :func:`_moves_to`). Pairs are weighted by the product of their places' populations (a
  gravity weight): the shares are of that weight, while the counts (pairs moved, pairs
  slowed, pairs disconnected) are of pairs of places, whatever their population (a port
  has none).
* **a route uses every interface it crosses**: a trip may cross the border more than once
  (into B, back into A, into B again, where a line or the boundary wiggles), and closing
  any of its crossings changes it. A closure's pairs moved and share are of the trips
  whose route crossed a closed interface anywhere along it, not only at its first
  crossing (``via``), so a row never reads 0 pairs and 0 % beside added minutes; its
  pairs slowed count the pairs still joined whose trip takes longer (more than
  :data:`SLOWER_MIN`), so added minutes never stand beside 0 pairs slowed either, and
  pairs slowed plus pairs disconnected never exceed pairs moved. Before, a pair counted
  as using only its route's first crossing: on Zhejiang–Jiangsu's railways the
  Huzhou–Jiangsu trip crosses the Nanjing–Hangzhou HSR twice, then the Xinyi–Changxing
  railway, whose row read 0 % and 0 pairs beside +8.3 min.
* **critical**: an interface whose closure disconnects a pair, or adds at least
  ``critical_min`` minutes to some pair's trip.

Routes are the fastest paths, so the "distance" of a pair is the length of its fastest
route, not its shortest possible length: a planner's detour is the route drivers take.

scipy is imported inside the functions that use it: counting never loads it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.border_network import BorderNetwork, Places
from geo.errors import InvalidParameterError, UnknownInterfaceError
from geo.projection import WGS84
from geo.text import COMMAND, Bilingual

#: Interfaces of one layer and border beyond which closing every pair is refused (pairs
#: grow as the square: 30 interfaces are 435 scenarios).
MAX_PAIR_INTERFACES = 30
#: Minutes a closure must add to some pair's trip for its interface to be critical.
CRITICAL_MIN = 15.0
#: Added minutes above which a pair's trip is slowed (below: float noise between routes of
#: the same time, 60 microseconds).
SLOWER_MIN = 1e-6
#: Radius (m) of a place in the min cut: its nodes are those of its side within it.
PLACE_RADIUS_M = 10_000.0
#: ``via`` of a route crossing where the count has no interface.
OTHER = "other"
#: Capacity standing for "unlimited" in the flow network (more than any real cut).
_BIG = 1 << 24

PAIR_COLUMNS = [
    "closed", "origin", "destination", "weight", "km", "min", "added_km", "added_min",
    "disconnected", "via", "base_via",
]  # fmt: skip
INTERFACE_COLUMNS = [
    "id", "edges", "base_share", "pairs_moved", "pairs_slower", "added_min_mean",
    "added_min_max", "added_km_mean", "added_km_max", "disconnected_pairs",
    "disconnected_share", "moves_to", "critical",
]  # fmt: skip


@dataclass
class Routing:
    """Fastest routes from every origin node to every destination node in one scenario.

    Attributes
    ----------
    minutes, km
        ``(origins, destinations)``; ``inf`` when disconnected.
    via
        ``(origins, destinations)``: the interface the route crosses at first, ``other``,
        or ``""`` (no crossing of this border).
    paths
        ``(origin, destination) -> node numbers`` of each route, when asked for.
    crossed
        ``(origins, destinations)`` sets: every interface (or ``other``) the route crosses.
    """

    minutes: np.ndarray
    km: np.ndarray
    via: np.ndarray
    paths: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    crossed: np.ndarray | None = None

    def merged(self, rows: np.ndarray, other: Routing) -> Routing:
        """A copy with the origins ``rows`` replaced by ``other``'s (same order)."""
        minutes, km, via = self.minutes.copy(), self.km.copy(), self.via.copy()
        minutes[rows], km[rows], via[rows] = other.minutes, other.km, other.via
        crossed = None if self.crossed is None else self.crossed.copy()
        if crossed is not None and other.crossed is not None:
            crossed[rows] = other.crossed
        paths = {(int(rows[o]), d): p for (o, d), p in other.paths.items()}
        return Routing(minutes, km, via, paths, crossed)


@dataclass
class ResilienceResult:
    """The measures of one border and layer.

    Attributes
    ----------
    a, b, layer
        The border and the layer.
    min_cut, min_cut_counted
        Edge-disjoint paths between the sides' places (interfaces count once), with and
        without the crossings the count does not know.
    interfaces
        One row per closure (:data:`INTERFACE_COLUMNS`; :func:`geo.what_if.what_if` adds
        each interface's ``ref`` and ``name`` after ``id``).
    pairs
        One row per scenario and pair of places (:data:`PAIR_COLUMNS`); ``closed`` is
        ``""`` for the network with everything open.
    places
        The places used (:class:`geo.border_network.Places` table).
    routes
        The routes of the pairs whose route a closure changes, WGS84 LineStrings:
        ``closed``, ``origin``, ``destination``, ``km``, ``min``, ``via``.
    other_crossings
        Crossing edges of the network the count has no interface for.
    untied
        Interfaces of the count with no crossing edge of the network near them.
    warnings
        What the user should know (untied interfaces, dropped places ...).
    sources
        ``{interface id: the ids of the features forming it}`` (``;``-separated), of the
        count's interfaces of this border and layer (:func:`geo.what_if.what_if` fills it):
        what names an interface in Chinese (:meth:`geo.names_zh.ChineseNames.feature`).
    """

    a: str
    b: str
    layer: str
    min_cut: int
    min_cut_counted: int
    interfaces: pd.DataFrame
    pairs: pd.DataFrame
    places: pd.DataFrame
    routes: gpd.GeoDataFrame
    other_crossings: int
    untied: tuple[str, ...]
    warnings: list[Bilingual] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def critical(self) -> list[str]:
        """Ids of the critical interfaces."""
        return [str(i) for i in self.interfaces.loc[self.interfaces["critical"], "id"]]


def _around(net: BorderNetwork, nodes: np.ndarray, side: int, radius_m: float) -> np.ndarray:
    """``nodes`` and every node of ``side`` within ``radius_m`` of one of them."""
    if radius_m <= 0 or nodes.size == 0:
        return nodes
    mine = np.flatnonzero(net.side == side)
    tree = shapely.STRtree(shapely.points(net.network.xy[mine]))
    _, hits = tree.query(
        shapely.points(net.network.xy[nodes]), predicate="dwithin", distance=radius_m
    )
    near = mine[hits]
    return np.unique(np.concatenate([nodes, near]))


def min_cut(
    net: BorderNetwork,
    places: Places,
    *,
    counted_only: bool = False,
    radius_m: float = PLACE_RADIUS_M,
) -> int:
    """Edge-disjoint paths between the two sides' places (an interface's edges count once).

    The paths keep to the border's own network, as :func:`route` does (no node of a third
    region).

    Parameters
    ----------
    net
        The border's network.
    places
        The places (both sides needed; else 0).
    counted_only
        Leave out the crossing edges tied to no interface.
    radius_m
        A place is every node of its side within this distance of its node (a city is not
        one junction: a single node would cap the cut at the roads meeting there).

    Returns
    -------
    int
        The maximum flow with unit capacities, i.e. the minimum number of edges (an
        interface being one) whose removal separates the sides' places.
    """
    table = places.table
    if table.empty or set(table["side"]) != {0, 1}:
        return 0
    edges = net.network.edges
    n = net.network.node_count
    u = edges["u"].to_numpy()
    v = edges["v"].to_numpy()
    tied = net.tied
    # The border's own network, as the routes have it: no node of a third region.
    inside = ~net.through_third
    # An interface is cut at its edges with an end on side a (a bridge at its landing
    # there, not along its whole span); its other edges are plain.
    cut_at = net.crossing & (tied != "") & ((net.side[u] == 0) | (net.side[v] == 0))
    other = net.crossing & (tied == "")
    plain = inside & ~cut_at & ~(counted_only & other)
    rows = [u[plain], v[plain]]
    cols = [v[plain], u[plain]]
    caps = [np.ones(plain.sum(), np.int64), np.ones(plain.sum(), np.int64)]
    ids = sorted(set(tied[cut_at]))
    for k, ident in enumerate(ids):
        ka, kb = n + 2 * k, n + 2 * k + 1
        mine = np.flatnonzero(cut_at & (tied == ident))
        near_a = np.where(net.side[u[mine]] == 0, u[mine], v[mine])
        near_b = np.where(net.side[u[mine]] == 0, v[mine], u[mine])
        big = np.full(len(mine), _BIG, np.int64)
        rows += [near_a, np.full(len(mine), ka), near_b, np.full(len(mine), kb)]
        cols += [np.full(len(mine), ka), near_a, np.full(len(mine), kb), near_b]
        caps += [big, big, big, big]
        rows += [np.array([ka, kb])]
        cols += [np.array([kb, ka])]
        caps += [np.array([1, 1], np.int64)]
    source, sink = n + 2 * len(ids), n + 2 * len(ids) + 1
    a_nodes = _around(net, table.loc[table["side"] == 0, "node"].to_numpy(np.int64), 0, radius_m)
    b_nodes = _around(net, table.loc[table["side"] == 1, "node"].to_numpy(np.int64), 1, radius_m)
    rows += [np.full(len(a_nodes), source), b_nodes]
    cols += [a_nodes, np.full(len(b_nodes), sink)]
    caps += [np.full(len(a_nodes), _BIG, np.int64), np.full(len(b_nodes), _BIG, np.int64)]
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import maximum_flow

    size = sink + 1
    graph = coo_array(
        (np.concatenate(caps), (np.concatenate(rows), np.concatenate(cols))), shape=(size, size)
    ).tocsr()
    graph.sum_duplicates()
    graph.data = np.minimum(graph.data, _BIG).astype(np.int32)
    flow = maximum_flow(graph, source, sink)
    return int(flow.flow_value)


def route(
    net: BorderNetwork,
    origins: np.ndarray,
    destinations: np.ndarray,
    closed: np.ndarray | None = None,
    *,
    keep_paths: Iterable[tuple[int, int]] = (),
) -> Routing:
    """The fastest routes from each origin node to each destination node.

    Parameters
    ----------
    net
        The border's network.
    origins, destinations
        Node numbers.
    closed
        Boolean mask of closed edges, or None. The edges with an end in a third region
        are closed too, always: a route keeps to the border's own network, as the min cut
        does (see the module's docstring).
    keep_paths
        ``(origin index, destination index)`` pairs whose node lists are kept.

    Returns
    -------
    Routing
        Minutes, kilometres and where each route crosses.
    """
    edges = net.network.edges
    n = net.network.node_count
    from scipy.sparse.csgraph import dijkstra

    closed = net.through_third if closed is None else closed | net.through_third
    times = net.network.matrix("time_s", closed)
    seconds, pred = dijkstra(times, directed=False, indices=origins, return_predecessors=True)
    # The walk back along each route sums its length and finds where it crosses: all routes
    # step together, one node per step.
    length_of = _edge_lookup(edges, n, "length_m", closed)
    crossing_id = _crossing_lookup(net, closed)
    o_grid, d_grid = np.meshgrid(
        np.arange(len(origins)), np.arange(len(destinations)), indexing="ij"
    )
    o_idx, d_idx = o_grid.ravel(), d_grid.ravel()
    cur = destinations[d_idx].astype(np.int64)
    reach = np.isfinite(seconds[o_idx, cur])
    metres = np.zeros(len(cur))
    via = np.full(len(cur), "", dtype=object)
    crossed: list[set[str]] = [set() for _ in range(len(cur))]
    keep = {(int(o), int(d)): [int(destinations[d])] for o, d in keep_paths}
    keeping = np.zeros(len(cur), bool)
    for o, d in keep:
        keeping[o * len(destinations) + d] = True
    trail: list[tuple[np.ndarray, np.ndarray]] = []
    active = reach & (cur != origins[o_idx])
    while active.any():
        rows = np.flatnonzero(active)
        prev = pred[o_idx[rows], cur[rows]].astype(np.int64)
        lo, hi = np.minimum(prev, cur[rows]), np.maximum(prev, cur[rows])
        key = lo * n + hi
        metres[rows] += length_of(key)
        found = crossing_id(key)
        # The first crossing from the destination backwards is the last one going forward:
        # ``via`` keeps the last seen (the crossing nearest the origin); ``crossed`` keeps
        # them all (a route crossing the border three times uses three interfaces).
        hit = found != ""
        via[rows[hit]] = found[hit]
        for r, ident in zip(rows[hit], found[hit], strict=True):
            crossed[r].add(str(ident))
        if keep:
            trail.append((rows[keeping[rows]], prev[keeping[rows]]))
        cur[rows] = prev
        active[rows] = prev != origins[o_idx[rows]]
    for rows, prev in trail:
        for r, p in zip(rows.tolist(), prev.tolist(), strict=True):
            keep[(int(o_idx[r]), int(d_idx[r]))].append(p)
    shape = (len(origins), len(destinations))
    minutes = (seconds[o_idx, destinations[d_idx]] / 60.0).reshape(shape)
    km = np.where(reach, metres / 1000.0, np.inf).reshape(shape)
    used = np.empty(len(cur), dtype=object)
    used[:] = crossed
    return Routing(
        minutes,
        km,
        via.reshape(shape),
        {k: p[::-1] for k, p in keep.items()},
        used.reshape(shape),
    )


def _edge_lookup(edges: pd.DataFrame, n: int, column: str, closed: np.ndarray | None) -> _Lookup:
    """``key (u * n + v) -> smallest column value`` of the open edges (as a function)."""
    keep = np.ones(len(edges), bool) if closed is None else ~closed
    u = edges["u"].to_numpy()[keep].astype(np.int64)
    v = edges["v"].to_numpy()[keep].astype(np.int64)
    w = edges[column].to_numpy(dtype=float)[keep]
    keys = u * n + v
    order = np.lexsort((w, keys))
    keys, w = keys[order], w[order]
    first = np.ones(len(keys), bool)
    first[1:] = keys[1:] != keys[:-1]
    return _Lookup(keys[first], w[first], 0.0)


def _crossing_lookup(net: BorderNetwork, closed: np.ndarray | None) -> _Lookup:
    """``key -> interface id`` (``other`` when untied) of the open crossing edges."""
    n = net.network.node_count
    mask = net.crossing if closed is None else net.crossing & ~closed
    edges = net.network.edges
    keys = edges["u"].to_numpy()[mask].astype(np.int64) * n + edges["v"].to_numpy()[mask]
    ids = np.where(net.tied[mask] == "", OTHER, net.tied[mask]).astype(object)
    order = np.argsort(keys, kind="stable")
    return _Lookup(keys[order], ids[order], "")


@dataclass(frozen=True)
class _Lookup:
    """Sorted keys and their values; a missing key gives ``missing``."""

    keys: np.ndarray
    values: np.ndarray
    missing: object

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0:
            return np.full(len(keys), self.missing, dtype=self.values.dtype)
        at = np.clip(np.searchsorted(self.keys, keys), 0, len(self.keys) - 1)
        found = self.keys[at] == keys
        out = self.values[at].copy()
        out[~found] = self.missing
        return out


def closed_edges(net: BorderNetwork, ids: Sequence[str]) -> np.ndarray:
    """The mask of the edges tied to the interfaces ``ids``.

    Raises
    ------
    InvalidParameterError
        When an id is not an interface of this border's network.
    """
    known = set(net.tied[net.tied != ""])
    unknown = [i for i in ids if i not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "-"
        raise InvalidParameterError(
            Bilingual(
                f"No interface {', '.join(unknown)} on this border's network: "
                f"close one of {listed}.",
                f"该边界的网络上没有接口 {'、'.join(unknown)}：请从 {listed} 中选择要关闭的接口。",
            )
        )
    return np.isin(net.tied, list(ids)) & net.crossing


def check_close(
    close: Sequence[Sequence[str]] | None, known: Iterable[str], region: str, layers: Sequence[str]
) -> None:
    """Refuse ids to close that are no interface of the count.

    Parameters
    ----------
    close
        Sets of interface ids closed together (None: nothing to check).
    known
        The ids of the count's interfaces of ``region`` (with every neighbour) in ``layers``.
    region, layers
        What was counted, for the message.

    Raises
    ------
    UnknownInterfaceError
        Naming the first unknown ids and where the valid ones are listed. Before, an id that
        matched nothing closed nothing, and every border read "no interface of the count".
    """
    valid = set(known)
    unknown = list(dict.fromkeys(i for s in close or () for i in s if i not in valid))
    if not unknown:
        return
    import difflib

    near = difflib.get_close_matches(unknown[0], sorted(valid), n=1, cutoff=0.6)
    hint_en = f" (did you mean {near[0]}?)" if near else ""
    hint_zh = f"（是否为 {near[0]}？）" if near else ""
    ids, kinds = ", ".join(unknown[:3]), ", ".join(layers)
    raise UnknownInterfaceError(
        Bilingual(
            f"No interface {ids} to close among {region}'s {kinds} interfaces{hint_en}: "
            f"give ids that '{COMMAND} crossings SOURCE --region {region}' lists under "
            "Interfaces.",
            f"{region} 的 {'、'.join(layers)} 接口中没有要关闭的接口 {'、'.join(unknown[:3])}"
            f"{hint_zh}：请使用 '{COMMAND} crossings 数据源 --region {region}' 在"
            "“Interfaces”下列出的接口编号。",
        )
    )


def resilience(
    net: BorderNetwork,
    places: Places,
    layer: str,
    *,
    close: Sequence[Sequence[str]] | None = None,
    critical_min: float = CRITICAL_MIN,
    pairs: bool = False,
) -> ResilienceResult:
    """Min cut and the impact of closing each interface (or the sets ``close``).

    Parameters
    ----------
    net
        The border's network (one layer).
    places
        The places on each side.
    layer
        The layer's name (for the result).
    close
        Sets of interface ids closed together; by default each interface alone.
    critical_min
        Added minutes that make an interface critical.
    pairs
        Also close every two of the interfaces closed alone (those of ``close`` given
        alone, else every interface) together, after them, in one pass.

    Returns
    -------
    ResilienceResult
        The measures.

    Raises
    ------
    InvalidParameterError
        When ``pairs`` is asked for and more than :data:`MAX_PAIR_INTERFACES` interfaces
        are closed alone.
    """
    warnings: list[Bilingual] = []
    table = places.table
    a_places = table[table["side"] == 0].reset_index(drop=True)
    b_places = table[table["side"] == 1].reset_index(drop=True)
    ids = sorted(set(net.tied[net.tied != ""]))
    scenarios = [tuple(s) for s in close] if close is not None else [(i,) for i in ids]
    origins = a_places["node"].to_numpy(dtype=np.int64)
    dests = b_places["node"].to_numpy(dtype=np.int64)
    if pairs and len(origins) and len(dests):  # no trips: no closure to measure
        scenarios += _pairs_of(scenarios, net.a, net.b, layer)
    masks = [closed_edges(net, s) for s in scenarios]
    weight = np.outer(a_places["population"], b_places["population"])
    weight = weight / weight.sum() if weight.size and weight.sum() > 0 else weight
    pair_frames: list[pd.DataFrame] = []
    rows: list[dict[str, object]] = []
    route_rows: list[dict[str, object]] = []
    if len(origins) and len(dests):
        base = route(net, origins, dests)
        pair_frames.append(_pair_frame("", a_places, b_places, weight, base, base))
        unjoined = _unjoined(base, a_places, b_places)
        if unjoined is not None:
            warnings.append(unjoined)
        for scenario, mask in zip(scenarios, masks, strict=True):
            # A closure only changes the trips whose route used a closed interface (nothing
            # gets shorter, and every other route is still there): only their origins are
            # routed again.
            hit = np.array(
                [any(set(scenario) & c for c in base.crossed[o]) for o in range(len(origins))]
                if base.crossed is not None
                else np.ones(len(origins), bool)
            )
            again_at = np.flatnonzero(hit)
            if again_at.size:
                again = route(
                    net,
                    origins[again_at],
                    dests,
                    mask,
                    keep_paths=[(o, d) for o in range(again_at.size) for d in range(len(dests))],
                )
                routed = base.merged(again_at, again)
                routed.paths = {
                    k: p
                    for k, p in routed.paths.items()
                    if routed.via[k] != base.via[k] or routed.minutes[k] != base.minutes[k]
                }
            else:
                routed = Routing(base.minutes, base.km, base.via, {}, base.crossed)
            name = ",".join(scenario)
            frame = _pair_frame(name, a_places, b_places, weight, routed, base)
            pair_frames.append(frame)
            rows.append(_interface_row(name, net, scenario, frame, base, routed, critical_min))
            route_rows += _route_rows(net, name, a_places, b_places, routed)
    elif table.empty or set(table["side"]) != {0, 1}:
        warnings.append(
            Bilingual(
                "No place on one side of the border reaches its network: no trips to route; "
                "widen --network-km or give places.",
                "边界一侧没有能连上网络的地点：无法计算出行；请加大 --network-km 或提供地点。",
            )
        )
    pairs = pd.concat(pair_frames, ignore_index=True) if pair_frames else _empty(PAIR_COLUMNS)
    interfaces = pd.DataFrame(rows, columns=INTERFACE_COLUMNS)
    if interfaces.empty:
        interfaces = _empty(INTERFACE_COLUMNS)
        interfaces["critical"] = interfaces["critical"].astype(bool)
    routes = gpd.GeoDataFrame(
        route_rows,
        columns=["closed", "origin", "destination", "km", "min", "via", "geometry"],
        geometry="geometry",
        crs=net.network.crs,
    ).to_crs(WGS84)
    if net.untied_interfaces:
        warnings.append(
            Bilingual(
                f"{len(net.untied_interfaces)} interface(s) have no road or line of the "
                f"network near them and are left out: {', '.join(net.untied_interfaces)}.",
                f"{len(net.untied_interfaces)} 个接口附近没有网络中的道路或线路，未计入："
                f"{'、'.join(net.untied_interfaces)}。",
            )
        )
    if places.dropped:
        warnings.append(
            Bilingual(
                f"Places left out (outside both regions, or far from any line that reaches "
                f"the border without a third region): {', '.join(places.dropped)}.",
                f"未计入的地点（不在两地区内，或离不经第三地区即可通达边界的线路太远）："
                f"{'、'.join(places.dropped_zh or places.dropped)}。",
            )
        )
    return ResilienceResult(
        a=net.a,
        b=net.b,
        layer=layer,
        min_cut=min_cut(net, places),
        min_cut_counted=min_cut(net, places, counted_only=True),
        interfaces=interfaces,
        pairs=pairs,
        places=table,
        routes=routes,
        other_crossings=net.other_crossings,
        untied=net.untied_interfaces,
        warnings=warnings,
    )


def _unjoined(base: Routing, a_places: pd.DataFrame, b_places: pd.DataFrame) -> Bilingual | None:
    """The note on the pairs the open network cannot join (None when it joins them all)."""
    gone = ~np.isfinite(base.minutes)
    if not gone.any():
        return None
    o, d = np.nonzero(gone)
    en = [
        f"{a_places['name_en'].iloc[i]}–{b_places['name_en'].iloc[j]}"
        for i, j in zip(o, d, strict=True)
    ]
    zh = [
        f"{a_places['name_zh'].iloc[i]}—{b_places['name_zh'].iloc[j]}"
        for i, j in zip(o, d, strict=True)
    ]
    return Bilingual(
        f"{gone.sum()} of {gone.size} pair(s) of places have no route on this border's own "
        f"network (a way round through a third region is not counted), so no closure can "
        f"change them and they are left out: {', '.join(en)}.",
        f"{gone.size} 对起讫地点中有 {gone.sum()} 对在本边界自身的网络上没有路径（经第三地区"
        f"绕行的路径不计），任何关闭都不影响它们，故未计入：{'、'.join(zh)}。",
    )


def _pairs_of(
    scenarios: Sequence[tuple[str, ...]], a: str, b: str, layer: str
) -> list[tuple[str, ...]]:
    """Every two of the interfaces closed alone in ``scenarios``, in their order."""
    alone = list(dict.fromkeys(s[0] for s in scenarios if len(s) == 1))
    if len(alone) > MAX_PAIR_INTERFACES:
        raise InvalidParameterError(
            Bilingual(
                f"--pairs closes every pair of interfaces, and {a}–{b} has {len(alone)} "
                f"{layer} interfaces (at most {MAX_PAIR_INTERFACES}): give the pairs "
                "with --close ID,ID instead.",
                f"--pairs 会两两关闭所有接口，而 {a}–{b} 的 {layer} 有 {len(alone)} 个接口"
                f"（上限 {MAX_PAIR_INTERFACES}）：请改用 --close ID,ID 指定。",
            )
        )
    return list(itertools.combinations(alone, 2))


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _pair_frame(
    closed: str,
    a_places: pd.DataFrame,
    b_places: pd.DataFrame,
    weight: np.ndarray,
    routed: Routing,
    base: Routing,
) -> pd.DataFrame:
    """One row per pair of places in one scenario."""
    o_grid, d_grid = np.meshgrid(np.arange(len(a_places)), np.arange(len(b_places)), indexing="ij")
    o, d = o_grid.ravel(), d_grid.ravel()
    minutes = routed.minutes[o, d]
    km = routed.km[o, d]
    gone = ~np.isfinite(minutes)
    with np.errstate(invalid="ignore"):  # inf - inf of a pair the open network cannot join
        added_km = np.where(gone, np.nan, km - base.km[o, d])
        added_min = np.where(gone, np.nan, minutes - base.minutes[o, d])
    return pd.DataFrame(
        {
            "closed": closed,
            "origin": a_places["name"].to_numpy()[o],
            "destination": b_places["name"].to_numpy()[d],
            "weight": weight[o, d],
            "km": np.where(gone, np.nan, km),
            "min": np.where(gone, np.nan, minutes),
            "added_km": added_km,
            "added_min": added_min,
            "disconnected": gone & np.isfinite(base.minutes[o, d]),
            "via": routed.via[o, d],
            "base_via": base.via[o, d],
        }
    )


def _interface_row(
    name: str,
    net: BorderNetwork,
    scenario: Sequence[str],
    frame: pd.DataFrame,
    base: Routing,
    routed: Routing,
    critical_min: float,
) -> dict[str, object]:
    """The summary of one closure scenario.

    A pair *used* the closure when its open route crossed a closed interface anywhere
    (``base.crossed``), not only at its first crossing (``base_via``): the same test that
    decides which trips are routed again, so a pair a closure slows or cuts off always
    counts in ``pairs_moved`` and ``base_share``. ``pairs_slower`` counts the pairs still
    joined whose trip takes more than :data:`SLOWER_MIN` minutes longer. ``moves_to``:
    :func:`_moves_to` (every interface the moved trips' new routes cross, ``routed``).
    """
    closed = set(scenario)
    if base.crossed is not None:
        used = pd.Series(
            [bool(closed & c) for c in base.crossed.ravel()], index=frame.index, dtype=bool
        )
    else:  # route() always records the crossings: a Routing made by hand may not
        used = frame["base_via"].isin(scenario)
    moves_to = _moves_to(frame, (used & ~frame["disconnected"]).to_numpy(bool), routed)
    connected = frame[~frame["disconnected"] & frame["added_min"].notna()]
    w = connected["weight"].to_numpy(dtype=float)
    wsum = float(w.sum())
    added_min = connected["added_min"].to_numpy(dtype=float)
    added_km = connected["added_km"].to_numpy(dtype=float)
    disconnected = frame["disconnected"].to_numpy(bool)
    largest_min = float(np.nanmax(added_min)) if len(added_min) else 0.0
    return {
        "id": name,
        "edges": int(np.isin(net.tied, list(scenario)).sum()),
        "base_share": round(float(frame.loc[used, "weight"].sum()), 4),
        "pairs_moved": int(used.sum()),
        "pairs_slower": int((added_min > SLOWER_MIN).sum()),
        "added_min_mean": round(float((w * added_min).sum() / wsum), 2) if wsum else 0.0,
        "added_min_max": round(largest_min, 2),
        "added_km_mean": round(float((w * added_km).sum() / wsum), 2) if wsum else 0.0,
        "added_km_max": round(float(np.nanmax(added_km)), 2) if len(added_km) else 0.0,
        "disconnected_pairs": int(disconnected.sum()),
        "disconnected_share": round(float(frame.loc[disconnected, "weight"].sum()), 4),
        "moves_to": moves_to,
        "critical": bool(disconnected.any() or largest_min >= critical_min),
    }


def _moves_to(frame: pd.DataFrame, moved: np.ndarray, routed: Routing) -> dict[str, float]:
    """Where the moved trips cross now: ``{interface id: share of the moved trips' weight}``.

    A moved trip counts toward *every* interface its new route crosses (``routed.crossed``),
    as ``pairs_moved`` counts it toward every interface its open route crossed: a new route
    that enters the neighbour, comes back and enters it again uses three interfaces, and
    closing any of them would move the trip again. So a share is the part of the moved trips
    (by weight) that now use the interface, as a planner reads "moves to": the load it takes
    on. A trip crossing several interfaces counts in each, so the shares sum past 1 when
    some new route crosses more than one (each stays in (0, 1]). ``other`` is a crossing the
    count does not know; ``-`` a new route with no crossing recorded (none occurs: routes
    keep to the border's own network). Before, a trip counted toward the first interface its
    new route crossed (``via``) alone, and the others it crossed were not named.

    Parameters
    ----------
    frame
        The scenario's pairs (:func:`_pair_frame`), in the order of ``routed``'s cells.
    moved
        Boolean per row of ``frame``: the pair used the closure and is still joined.
    routed
        The scenario's routes.

    Returns
    -------
    dict
        Largest share first (ties by id), rounded to 4 decimals; empty when no trip of any
        weight moves.
    """
    weights = frame["weight"].to_numpy(dtype=float)
    total = float(weights[moved].sum())
    if not total:
        return {}
    now = routed.crossed.ravel() if routed.crossed is not None else None
    load: dict[str, float] = {}
    for i in np.flatnonzero(moved):
        where = now[i] if now is not None else {frame["via"].iat[i]}
        for ident in {str(k) or "-" for k in where} or {"-"}:
            load[ident] = load.get(ident, 0.0) + float(weights[i])
    shares = {k: round(v / total, 4) for k, v in load.items()}
    return dict(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))


def _route_rows(
    net: BorderNetwork,
    closed: str,
    a_places: pd.DataFrame,
    b_places: pd.DataFrame,
    routed: Routing,
) -> list[dict[str, object]]:
    """The detour routes kept (metric LineStrings)."""
    out: list[dict[str, object]] = []
    for (o, d), nodes in sorted(routed.paths.items()):
        if len(nodes) < 2 or not np.isfinite(routed.minutes[o, d]):
            continue
        out.append(
            {
                "closed": closed,
                "origin": str(a_places["name"].iloc[o]),
                "destination": str(b_places["name"].iloc[d]),
                "km": round(float(routed.km[o, d]), 2),
                "min": round(float(routed.minutes[o, d]), 2),
                "via": str(routed.via[o, d]),
                "geometry": shapely.linestrings(net.network.xy[nodes]),
            }
        )
    return out
