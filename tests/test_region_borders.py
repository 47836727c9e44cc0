"""Shared borders of polygon regions, per-pair summary counts and loose ends near borders."""

from __future__ import annotations

from contextlib import ExitStack

import pandas as pd
import pytest
import shapely

from geo import border_index
from geo.border_index import build_border_index, lent_border_index
from geo.loose_ends import loose_ends_near_border
from geo.rules import CrossingRules
from geo.summary import count_routes, summarise
from helpers.synthetic import X0, box, features, line, regions


def land_km(region_set, a: str, b: str) -> float:
    pairs = region_set.pairs
    [row] = pairs[(pairs["a"] == a) & (pairs["b"] == b)].itertuples()
    assert row.kind == "land"
    return row.border_km


def test_squares_three_metres_apart_are_a_land_pair():
    region_set = regions({"A": box(0, 0, 10, 10), "B": box(10.003, 0, 20, 10)})
    assert land_km(region_set, "A", "B") == pytest.approx(10.0, abs=0.05)
    land = region_set.stretches[region_set.stretches["kind"] == "land"]
    assert set(zip(land["a"], land["b"])) == {("A", "B"), ("B", "A")}


def test_squares_sharing_an_edge_get_exactly_that_edge():
    region_set = regions({"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)})
    assert land_km(region_set, "A", "B") == 10.0
    land = region_set.stretches[region_set.stretches["kind"] == "land"]
    edge = line((10, 0), (10, 10))
    for geom in land.geometry:  # through WGS84 and back: equal to a micrometre
        assert shapely.hausdorff_distance(geom, edge) < 1e-6


def test_neighbours_whose_vertices_differ_by_rounding_share_the_whole_border():
    a = shapely.segmentize(box(0, 0, 10, 10), 500)
    coords = shapely.get_coordinates(box(10, 0, 20, 10).exterior)
    b = shapely.segmentize(shapely.Polygon(coords), 500)
    # B's own vertices along the shared edge sit a few centimetres off A's.
    xy = shapely.get_coordinates(b)
    on_edge = abs(xy[:, 0] - (X0 + 10_000)) < 1e-6
    xy[on_edge, 0] += 0.03
    b = shapely.set_coordinates(b, xy)
    assert land_km(regions({"A": a, "B": b}), "A", "B") == pytest.approx(10.0, abs=0.05)


def test_an_enclave_shares_its_whole_ring():
    hole = box(4, 4, 6, 6)
    region_set = regions({"Outer": box(0, 0, 10, 10).difference(hole), "Inner": hole})
    assert land_km(region_set, "Inner", "Outer") == 8.0


def test_summary_counts_routes_lanes_and_classes_per_pair():
    interfaces = pd.DataFrame(
        {
            "a": ["A", "A", "A", "A", "A"],
            "b": ["B", "B", "B", "B", "B"],
            "layer": ["highways"] * 5,
            "class": ["motorway", "motorway", "primary", "primary", "primary"],
            "ref": ["G1;G2", "G2", "", "", ""],
            "name": ["", "", "Main Street", "Main Street", ""],
            "lanes_missing": [False, False, False, True, False],
            "capacity": pd.array([4, 3, 2, None, 1], dtype="Int64"),
            "capacity_unit": ["lanes"] * 5,
        }
    )
    along = pd.DataFrame(
        {
            "a": ["A", "A"],
            "b": ["B", "B"],
            "layer": ["highways", "highways"],
            "class": ["trunk", "trunk"],
            "metres": [1500.0, 250.0],
        }
    )
    pairs = pd.DataFrame({"a": ["A", "A"], "b": ["B", "C"], "kind": ["land", "maritime"]})
    out = summarise(interfaces, along, pairs, ["highways", "railways"])
    got = out[["a", "b", "layer", "class", "routes", "interfaces", "lanes_missing"]]
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        ["A", "B", "highways", "motorway", 1, 2, 0],  # G1;G2 and G2: one road
        ["A", "B", "highways", "primary", 2, 3, 1],
        ["A", "B", "highways", "trunk", 0, 0, 0],
        ["A", "B", "railways", None, 0, 0, 0],
        ["A", "C", "highways", None, 0, 0, 0],
        ["A", "C", "railways", None, 0, 0, 0],
    ]
    assert out["capacity"].tolist() == [7, 3, pd.NA, pd.NA, pd.NA, pd.NA]
    assert out["lanes"].tolist() == [7, 3, 0, pd.NA, 0, pd.NA]
    assert out["along_km"].tolist() == [0.0, 0.0, 1.75, 0.0, 0.0, 0.0]
    assert str(out["lanes"].dtype) == str(out["capacity"].dtype) == "Int64"


def test_loose_ends_are_main_lines_stopping_short_with_nothing_touching():
    region_set = regions({"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)})
    rules = CrossingRules()
    index = build_border_index(region_set, rules)
    frame = features(
        "highways",
        [
            {"highway": "trunk", "geometry": line((5, 2), (9.7, 2))},  # loose, 300 m short
            {"highway": "trunk", "geometry": line((5, 4), (9.6, 4))},  # touched at its end
            {"highway": "residential", "geometry": line((9.6, 4), (9.6, 4.5))},
            {"highway": "trunk", "geometry": line((5, 6), (8, 6))},  # 2 km short: a dead end
            {"highway": "residential", "geometry": line((5, 8), (9.5, 8))},  # not main
            {"highway": "trunk", "geometry": line((15, 8), (10.4, 8))},  # loose, in B
        ],
    )
    found = loose_ends_near_border(
        frame,
        index,
        main_classes=("motorway", "trunk"),
        near_m=rules.noise_m,
        far_m=rules.clip_warning_m,
    )
    assert [label for label, _ in found] == [0, 5]
    assert [round(m) for _, m in found] == [300, 400]


def test_refs_of_one_road_are_one_route_and_shared_refs_join_routes():
    frame = pd.DataFrame({
        "ref": ["G60;G92", "G92", "S32;S12", "", "", ""],
        "name": ["", "", "", "Old road", "Old road", ""],
    })
    assert count_routes(frame) == 4  # G60/G92, S32/S12, Old road, one unnamed
    assert count_routes(frame.iloc[:1]) == 1


def test_a_region_set_is_indexed_once_and_each_index_lent_to_one_thread_at_a_time():
    region_set = regions({"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)})
    rules = CrossingRules()
    with lent_border_index(region_set, rules) as first:
        pass
    with lent_border_index(region_set, rules) as again:
        assert again is first  # put back, then lent again rather than rebuilt
        with lent_border_index(region_set, rules) as meanwhile:
            assert meanwhile is not again  # in use: another index, its GEOS objects its own
            assert meanwhile.region_geoms[0] is not again.region_geoms[0]
    with lent_border_index(region_set, CrossingRules(noise_m=500.0)) as wider:
        assert wider is not first and wider.seg_grid.band != first.seg_grid.band
    other = regions({"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)})
    with lent_border_index(other, rules) as elsewhere:
        assert elsewhere is not first
    with ExitStack() as stack:  # six borrowers at once: six indexes, at most MAX_SHELVED kept
        for _ in range(6):
            stack.enter_context(lent_border_index(region_set, rules))
    shelf = border_index._shelf_of(region_set, rules.search_band_m)
    assert len(shelf.free) == border_index.MAX_SHELVED
    # The region set's own polygons are copied, never prepared in place (shared state).
    assert not shapely.is_prepared(region_set.regions.geometry.values.to_numpy()).any()
