"""Properties of the resilience measures on random grid networks (hypothesis).

* the min cut equals the number of edge-disjoint paths networkx finds between the sides'
  places (a maximum flow computed independently, on networkx's own graph);
* closing nothing changes nothing;
* closing more never shortens a trip;
* with a third region beside the border, a min cut of 0 never stands beside a trip or a
  critical interface, and no route passes through the third region;
* a closure's row never contradicts itself: every pair it slows or cuts off counts among
  the pairs using it (in the share too), and added minutes stand beside pairs slowed, even
  when the trip crosses the border more than once;
* ``moves_to`` names exactly the interfaces the moved trips' new routes cross, each with
  the share of the moved trips crossing it (in (0, 1]; together at least 1).
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.analysis import count_crossings
from geo.border_network import THIRD, Places, border_network, snap_places
from geo.network import build_network
from geo.resilience import closed_edges, min_cut, resilience, route
from helpers.synthetic import CRS, X0, Y0, box, features, line, regions
from layers import get_layer

AB = regions({"A": box(0, 0, 10, 12), "B": box(10, 0, 20, 12)})
XS = [1, 5, 9, 11, 15, 19]  # grid columns (km): three on each side of the border (x = 10)
YS = [1, 4, 7, 10]


def _grid_edges():
    out = []
    for y in YS:
        out += [((x0, y), (x1, y)) for x0, x1 in itertools.pairwise(XS)]
    for x in XS:
        out += [((x, y0), (x, y1)) for y0, y1 in itertools.pairwise(YS)]
    return out


GRID = _grid_edges()
CLASSES = ["primary", "secondary", "tertiary"]


@st.composite
def networks(draw):
    kept = draw(st.lists(st.booleans(), min_size=len(GRID), max_size=len(GRID)))
    cls = draw(st.lists(st.sampled_from(CLASSES), min_size=len(GRID), max_size=len(GRID)))
    rows = [
        {"highway": c, "geometry": line(*e)} for e, k, c in zip(GRID, kept, cls, strict=True) if k
    ]
    west = draw(st.lists(st.sampled_from(YS), min_size=1, max_size=3, unique=True))
    east = draw(st.lists(st.sampled_from(YS), min_size=1, max_size=3, unique=True))
    return rows, west, east


def _setup(rows, west, east):
    lines = features("highways", rows) if rows else None
    if lines is None:
        return None
    found = count_crossings({"highways": lines}, AB).interfaces
    net = border_network(
        build_network(lines, AB.crs, {"highways": get_layer("highways").speed_kmh}),
        AB,
        "A",
        "B",
        found,
    )
    pts = [(f"W{y}", 1, y) for y in west] + [(f"E{y}", 19, y) for y in east]
    pl = gpd.GeoDataFrame(
        {"name": [p[0] for p in pts], "population": 1.0},
        geometry=[shapely.Point(X0 + p[1] * 1000, Y0 + p[2] * 1000) for p in pts],
        crs=CRS,
    )
    return net, snap_places(net, pl, AB, band_m=50_000)


def _ends(places):
    """The origin nodes (side A) and destination nodes (side B) of the places."""
    table = places.table
    return tuple(
        table.loc[table["side"] == side, "node"].to_numpy(dtype=np.int64) for side in (0, 1)
    )


def _networkx_cut(net, places) -> int:
    graph = nx.DiGraph()
    for u, v in zip(net.network.edges["u"], net.network.edges["v"], strict=True):
        for p, q in ((u, v), (v, u)):
            cap = graph.get_edge_data(p, q, {"capacity": 0})["capacity"]
            graph.add_edge(p, q, capacity=cap + 1)
    for node in places.table.loc[places.table["side"] == 0, "node"]:
        graph.add_edge("S", int(node))  # no capacity: unlimited
    for node in places.table.loc[places.table["side"] == 1, "node"]:
        graph.add_edge(int(node), "T")
    if "S" not in graph or "T" not in graph:
        return 0
    return int(nx.maximum_flow_value(graph, "S", "T"))


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks())
def test_min_cut_equals_the_edge_disjoint_paths_networkx_finds(drawn):
    made = _setup(*drawn)
    if made is None:
        return
    net, places = made
    # Every interface here is one single-carriageway road: one edge each.
    tied = net.tied[net.crossing]
    assert len(set(tied)) == len(tied)
    # A place is its node alone here (radius 0): networkx is given the same sources.
    assert min_cut(net, places, radius_m=0) == _networkx_cut(net, places)


@SETTINGS
@given(networks(), st.data())
def test_closing_nothing_changes_nothing_and_closing_more_never_shortens(drawn, data):
    made = _setup(*drawn)
    if made is None:
        return
    net, places = made
    origins, dests = _ends(places)
    if not len(origins) or not len(dests):
        return
    base = route(net, origins, dests)
    none = route(net, origins, dests, np.zeros(len(net.network.edges), bool))
    np.testing.assert_array_equal(base.minutes, none.minutes)
    np.testing.assert_array_equal(base.km, none.km)
    ids = sorted(set(net.tied[net.tied != ""]))
    if not ids:
        return
    some = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    more = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    fewer = route(net, origins, dests, closed_edges(net, some))
    most = route(net, origins, dests, closed_edges(net, sorted({*some, *more})))
    assert (fewer.minutes >= base.minutes - 1e-9).all()
    assert (most.minutes >= fewer.minutes - 1e-9).all()


@SETTINGS
@given(networks())
def test_rerouting_only_the_trips_a_closure_touches_gives_the_full_answer(drawn):
    made = _setup(*drawn)
    if made is None:
        return
    net, places = made
    origins, dests = _ends(places)
    if not len(origins) or not len(dests):
        return
    result = resilience(net, places, "highways")
    for ident in sorted(set(net.tied[net.tied != ""])):
        full = route(net, origins, dests, closed_edges(net, [ident]))
        got = result.pairs[result.pairs["closed"] == ident]["min"].to_numpy(dtype=float)
        want = np.where(np.isfinite(full.minutes), full.minutes, np.nan).ravel()
        np.testing.assert_allclose(got, want, equal_nan=True)


#: A and B as above, and a third region C north of both: the grid's top rows run through C.
ABC = regions({"A": box(0, 0, 10, 12), "B": box(10, 0, 20, 12), "C": box(0, 12, 20, 20)})
YS_C = [1, 6, 11, 14, 18]


@st.composite
def networks_with_a_third_region(draw):
    edges = [((x0, y), (x1, y)) for y in YS_C for x0, x1 in itertools.pairwise(XS)]
    edges += [((x, y0), (x, y1)) for x in XS for y0, y1 in itertools.pairwise(YS_C)]
    kept = draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    rows = [
        {"highway": "primary", "geometry": line(*e)} for e, k in zip(edges, kept, strict=True) if k
    ]
    west = draw(st.lists(st.sampled_from(YS_C[:3]), min_size=1, max_size=3, unique=True))
    east = draw(st.lists(st.sampled_from(YS_C[:3]), min_size=1, max_size=3, unique=True))
    return rows, west, east


@SETTINGS
@given(networks_with_a_third_region())
def test_a_min_cut_of_0_never_stands_beside_a_trip_or_a_critical_interface(drawn):
    """The routes and the min cut are of the same network (no third region): a pair the
    routes join has a path in the cut, so a table never reads "min cut 0" beside a trip, a
    share of trips or a critical interface. Places stand at their nodes (radius 0, the
    tightest cut); the routes never pass a node of C."""
    rows, west, east = drawn
    if not rows:
        return
    lines = features("highways", rows)
    found = count_crossings({"highways": lines}, ABC, region="A").interfaces
    found = found[found["a"].isin(["A", "B"]) & found["b"].isin(["A", "B"])]
    net = border_network(
        build_network(lines, ABC.crs, {"highways": get_layer("highways").speed_kmh}),
        ABC, "A", "B", found,
    )  # fmt: skip
    xy = net.network.xy
    table = []
    for side, x, ys in ((0, 1, west), (1, 19, east)):
        for y in ys:
            d = np.hypot(xy[:, 0] - X0 - x * 1000, xy[:, 1] - Y0 - y * 1000)
            if d.min() < 1:  # a place on a node of its side
                table.append({"name": f"{x},{y}", "name_zh": f"{x},{y}", "name_en": f"{x},{y}",
                              "side": side, "population": 1.0, "node": int(np.argmin(d)),
                              "snap_m": 0.0})  # fmt: skip
    places = Places(pd.DataFrame(table), ())
    if set(places.table.get("side", [])) != {0, 1}:
        return
    result = resilience(net, places, "highways")
    joined = result.pairs["min"].notna()
    if min_cut(net, places, radius_m=0) == 0:
        assert not joined.any()
        assert not result.interfaces["critical"].any()
        assert (result.interfaces["base_share"] == 0).all()
    assert result.min_cut >= min_cut(net, places, radius_m=0)
    origins, dests = _ends(places)
    every = [(o, d) for o in range(len(origins)) for d in range(len(dests))]
    routed = route(net, origins, dests, keep_paths=every)
    for (o, d), path in routed.paths.items():
        if np.isfinite(routed.minutes[o, d]):
            assert (net.side[path] != THIRD).all()


def _grid_rows(edges):
    """Primary roads along the grid's ``edges`` (as :func:`networks` draws them)."""
    return [{"highway": "primary", "geometry": line(*e)} for e in edges]


#: W1 (1, 1) to E7 (19, 7) crosses into B at y = 1, back into A at y = 4 and into B again at
#: y = 7 (28 km); the way round by y = 10 is 30 km. Closing y = 4 or y = 7 adds 2 minutes to
#: a trip whose first crossing is y = 1 (the Xinyi–Changxing railway's case on Zhejiang–Jiangsu).
ZIGZAG = (
    _grid_rows(
        [((1, 1), (5, 1)), ((5, 1), (9, 1)), ((9, 1), (11, 1)), ((11, 1), (11, 4)),
         ((9, 4), (11, 4)), ((9, 4), (9, 7)), ((9, 7), (11, 7)), ((11, 7), (15, 7)),
         ((15, 7), (19, 7)), ((1, 1), (1, 4)), ((1, 4), (1, 7)), ((1, 7), (1, 10)),
         ((1, 10), (5, 10)), ((5, 10), (9, 10)), ((9, 10), (11, 10)), ((11, 10), (15, 10)),
         ((15, 10), (19, 10)), ((19, 7), (19, 10))]
    ),
    [1],
    [7],
)  # fmt: skip


@SETTINGS
@example(ZIGZAG)
@given(networks())
def test_a_closure_s_row_counts_every_pair_it_slows_or_cuts_off(drawn):
    """Added minutes never stand beside 0 pairs: the row's counts agree with its pairs.

    A pair whose trip a closure slows (by more than float noise) or cuts off had a route
    through a closed interface, wherever along it: it counts in ``pairs_moved`` and in
    ``base_share``, and ``pairs_slower`` counts those slowed. Before, a route counted as
    using only the first interface it crossed, so a trip crossing the border three times
    read 0 pairs and 0 % beside its added minutes on the rows of its later crossings.
    """
    made = _setup(*drawn)
    if made is None:
        return
    net, places = made
    origins, dests = _ends(places)
    if not len(origins) or not len(dests):
        return
    result = resilience(net, places, "highways")
    rows = result.interfaces.to_dict("records")
    slowed = {}
    for row in rows:
        frame = result.pairs[result.pairs["closed"] == row["id"]]
        slowed[row["id"]] = frame["added_min"].to_numpy(dtype=float) > 1e-6  # not NaN (cut off)
        hit = int((slowed[row["id"]] | frame["disconnected"].to_numpy(bool)).sum())
        assert row["pairs_moved"] >= hit, row
        if hit:  # every place weighs 1 here
            assert row["base_share"] > 0, row
        if row["added_min_max"] > 0 or row["added_min_mean"] > 0:
            assert row["pairs_moved"] >= 1, row
    for row in rows:
        assert row["pairs_slower"] == int(slowed[row["id"]].sum()), row
        assert row["pairs_slower"] + row["disconnected_pairs"] <= row["pairs_moved"], row
        if row["added_min_max"] > 0 or row["added_min_mean"] > 0:
            assert row["pairs_slower"] >= 1, row


#: ZIGZAG's network with W10 too: closing y = 10 moves W10's trip (21 km round by y = 10)
#: onto the zigzag (37 km), whose new route crosses three interfaces; closing y = 1 moves
#: W1's trip round by y = 10.
ZIGZAG_BOTH = (ZIGZAG[0], [1, 10], [7])


@SETTINGS
@example(ZIGZAG)
@example(ZIGZAG_BOTH)
@given(networks())
def test_moves_to_names_every_interface_the_moved_trips_cross_now(drawn):
    """Each interface named in ``moves_to`` is crossed by some moved trip's new route, and
    each one such a route crosses is named, with the share of the moved trips crossing it.

    The moved trips are those whose open route crossed the closed interface and that are
    still joined; every place weighs 1, so a share is a count of pairs over the moved ones.
    A trip counts toward each interface its new route crosses, so the shares sum to 1 or
    more. Before, only the first interface of each new route was named.
    """
    made = _setup(*drawn)
    if made is None:
        return
    net, places = made
    origins, dests = _ends(places)
    if not len(origins) or not len(dests):
        return
    result = resilience(net, places, "highways")
    base = route(net, origins, dests)
    cells = list(itertools.product(range(len(origins)), range(len(dests))))
    for row in result.interfaces.to_dict("records"):
        ident, moves = row["id"], row["moves_to"]
        now = route(net, origins, dests, closed_edges(net, [ident]))
        moved = [c for c in cells if ident in base.crossed[c] and np.isfinite(now.minutes[c])]
        crossed = [now.crossed[c] for c in moved]
        assert set(moves) == set().union(*crossed), row
        assert ident not in moves
        assert all(0 < share <= 1 for share in moves.values()), row
        for where, share in moves.items():
            assert share == round(sum(where in c for c in crossed) / len(moved), 4), row
        if moved:
            # The shares sum to the mean number of interfaces a new route crosses.
            mean = float(np.mean([len(c) for c in crossed]))
            assert abs(sum(moves.values()) - mean) <= 1e-4 * len(moves), row
            assert mean >= 1
