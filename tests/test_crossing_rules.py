"""Each crossing rule on a small synthetic case (regions are km boxes, see synthetic.py)."""

from __future__ import annotations

import itertools

import geopandas as gpd
import pandas as pd
import pytest

from geo.analysis import count_crossings
from geo.errors import CRSError
from helpers.synthetic import CRS, X0, box, features, line, regions

TWO = {"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)}


def run(rows, polygons=TWO, layer="highways", **kwargs):
    return count_crossings({layer: features(layer, rows)}, regions(polygons), **kwargs)


def test_divided_road_is_one_interface_with_lanes_summed():
    result = run(
        [
            {"highway": "motorway", "ref": "G60", "lanes": "3", "geometry": line((5, 5), (15, 5))},
            {
                "highway": "motorway",
                "ref": "G60",
                "lanes": "4",
                "geometry": line((15, 5.04), (5, 5.04)),
            },
        ]
    )
    [iface] = result.interfaces.itertuples()
    assert (iface.carriageways, iface.lanes, iface.lanes_missing) == (2, 7, False)
    assert iface.source_ids == "test:0;test:1"


def test_unnamed_divided_road_pairs_only_opposite_one_way_carriageways():
    result = run(
        [
            {
                "highway": "primary",
                "oneway": "yes",
                "lanes": "2",
                "geometry": line((5, 5), (15, 5)),
            },
            {
                "highway": "primary",
                "oneway": "yes",
                "lanes": "2",
                "geometry": line((15, 5.05), (5, 5.05)),
            },
            # Same direction as the first, 50 m away: a separate road, not a carriageway pair.
            {
                "highway": "primary",
                "oneway": "yes",
                "lanes": "1",
                "geometry": line((5, 5.1), (15, 5.1)),
            },
        ]
    )
    assert sorted(result.interfaces["carriageways"]) == [1, 2]


def test_unnamed_two_way_roads_near_each_other_stay_separate():
    result = run(
        [
            {"highway": "residential", "geometry": line((5, 5), (15, 5))},
            {"highway": "residential", "geometry": line((5, 5.1), (15, 5.1))},
        ]
    )
    assert len(result.interfaces) == 2
    assert result.summary["routes"].sum() == 2


def test_way_split_exactly_at_border_is_one_transition():
    result = run(
        [
            {"highway": "primary", "ref": "S32", "lanes": "2", "geometry": line((5, 5), (10, 5))},
            {"highway": "primary", "ref": "S32", "lanes": "2", "geometry": line((10, 5), (15, 5))},
        ]
    )
    [iface] = result.interfaces.itertuples()
    assert iface.carriageways == 1 and iface.lanes == 2
    assert iface.source_ids == "test:0;test:1"


def test_split_ways_digitised_head_to_head_are_joined():
    result = run(
        [
            {"highway": "primary", "geometry": line((5, 5), (10, 5))},
            {"highway": "primary", "geometry": line((15, 5), (10, 5))},
        ]
    )
    assert len(result.interfaces) == 1


def test_touch_at_node_is_not_a_crossing():
    result = run([{"highway": "primary", "geometry": line((5, 5), (10, 6), (5, 7))}])
    assert result.interfaces.empty


def test_dead_end_at_border_is_not_a_crossing_and_is_reported():
    result = run([{"highway": "primary", "geometry": line((5, 5), (10, 5))}])
    assert result.interfaces.empty
    assert any("stop exactly at a border" in w for w in (n.en for n in result.warnings))


def test_junction_on_border_joins_only_the_through_road():
    # Main road split at the border; a side road in B starts at the same node.
    result = run(
        [
            {"highway": "primary", "ref": "S1", "geometry": line((5, 5), (10, 5))},
            {"highway": "primary", "ref": "S1", "geometry": line((10, 5), (15, 5))},
            {"highway": "residential", "geometry": line((10, 5), (15, 8))},
        ]
    )
    [iface] = result.interfaces.itertuples()
    assert iface.ref == "S1"


def zigzag_along_border(x_end_side: float) -> gpd.GeoSeries:
    """A river running 6 km along the A|B border, wandering 30 m either side of it."""
    pts = [(5, 1)] + [(10 + (0.03 if k % 2 else -0.03), 2 + k * 0.5) for k in range(13)]
    return line(*pts, (x_end_side, 9))


def test_river_along_border_that_returns_is_not_a_crossing():
    result = run(
        [{"waterway": "river", "name": "Border river", "geometry": zigzag_along_border(5)}],
        layer="waterways",
    )
    assert result.interfaces.empty
    along = result.summary.loc[result.summary["class"] == "river", "along_km"].sum()
    assert 5.5 < along < 7.0


def test_river_along_border_that_ends_on_other_side_is_one_crossing():
    result = run(
        [{"waterway": "river", "name": "Border river", "geometry": zigzag_along_border(15)}],
        layer="waterways",
    )
    [iface] = result.interfaces.itertuples()
    assert iface.along


def test_double_crossing_far_apart_gives_two_interfaces_close_gives_one():
    far = run(
        [{"highway": "secondary", "ref": "X1", "geometry": line((5, 1), (15, 1), (15, 8), (5, 8))}]
    )
    near = run(
        [
            {
                "highway": "secondary",
                "ref": "X1",
                "geometry": line((5, 1), (10.5, 1), (10.5, 1.6), (5, 1.6)),
            }
        ]
    )
    assert len(far.interfaces) == 2
    assert len(near.interfaces) == 1
    assert near.interfaces["carriageways"].iat[0] == 1


def test_unnamed_road_dipping_into_neighbour_twice_is_one_interface():
    result = run(
        [{"highway": "residential", "geometry": line((5, 1), (10.2, 1), (10.2, 1.3), (5, 1.3))}]
    )
    assert len(result.interfaces) == 1


def test_bridge_to_island_links_regions_that_do_not_touch():
    polygons = {"Mainland": box(0, 0, 10, 10), "Island": box(25, 4, 28, 6)}
    result = run(
        [
            {
                "highway": "motorway",
                "ref": "S2",
                "lanes": "3",
                "bridge": "yes",
                "geometry": line((5, 5), (26, 5)),
            },
            {
                "highway": "motorway",
                "ref": "S2",
                "lanes": "3",
                "bridge": "yes",
                "geometry": line((26, 5.03), (5, 5.03)),
            },
        ],
        polygons=polygons,
    )
    [iface] = result.interfaces.itertuples()
    assert (iface.a, iface.b, iface.via, iface.lanes, iface.bridge) == (
        "Island",
        "Mainland",
        "water",
        6,
        True,
    )
    pair = result.region_set.pairs.iloc[0]
    assert pair["kind"] == "maritime" and pair["gap_km"] == pytest.approx(15.0)
    # The interface point is the bridge's landfall on the island (the smaller piece of land
    # it joins, x = 25 km), not the middle of the water (x = 17.5 km).
    x = result.interfaces.to_crs(CRS).geometry.x.iat[0]
    assert x == pytest.approx(X0 + 25_000, abs=50)


def test_bridge_between_equal_lands_crosses_in_the_middle_of_the_water():
    polygons = {"West": box(0, 0, 10, 10), "East": box(25, 0, 35, 10)}
    result = run(
        [{"highway": "motorway", "ref": "S2", "bridge": "yes", "geometry": line((5, 5), (30, 5))}],
        polygons=polygons,
    )
    [iface] = result.interfaces.itertuples()
    assert iface.via == "water"
    x = result.interfaces.to_crs(CRS).geometry.x.iat[0]
    assert x == pytest.approx(X0 + 17_500, abs=50)


def test_bridge_across_a_bay_of_one_region_is_not_cross_border():
    polygons = {
        "A": box(0, 0, 10, 4).union(box(0, 6, 10, 10)).union(box(0, 0, 2, 10)),
        "B": box(10, 0, 20, 10),
    }
    result = run(
        [{"highway": "motorway", "ref": "G92", "geometry": line((5, 2), (5, 8))}], polygons=polygons
    )
    assert result.interfaces.empty


def test_empty_layer_gives_zero_counts():
    result = count_crossings({"highways": features("highways", [])}, regions(TWO))
    assert result.interfaces.empty
    assert result.summary[["interfaces", "routes", "lanes"]].sum().sum() == 0
    assert len(result.summary) == 1


def test_layer_in_another_crs_is_reprojected():
    rows = [{"highway": "primary", "lanes": "2", "geometry": line((5, 5), (15, 5))}]
    metric = count_crossings({"highways": features("highways", rows)}, regions(TWO))
    degrees = count_crossings({"highways": features("highways", rows).to_crs(4326)}, regions(TWO))
    assert len(metric.interfaces) == len(degrees.interfaces) == 1
    assert metric.interfaces["lon"].iat[0] == pytest.approx(degrees.interfaces["lon"].iat[0])


def test_layer_without_crs_is_refused():
    layer = features("highways", [{"highway": "primary", "geometry": line((5, 5), (15, 5))}])
    layer = layer.set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no coordinate reference system"):
        count_crossings({"highways": layer}, regions(TWO))


def test_missing_lanes_are_flagged_not_guessed():
    result = run(
        [
            {
                "highway": "trunk",
                "ref": "G1",
                "oneway": "yes",
                "lanes": "2",
                "geometry": line((5, 5), (15, 5)),
            },
            {
                "highway": "trunk",
                "ref": "G1",
                "oneway": "yes",
                "geometry": line((15, 5.04), (5, 5.04)),
            },
        ]
    )
    [iface] = result.interfaces.itertuples()
    assert pd.isna(iface.lanes)
    assert iface.lanes_missing
    row = result.summary.iloc[0]
    assert (row["lanes"], row["lanes_missing"]) == (0, 1)


def test_construction_is_not_counted_unless_asked():
    rows = [
        {
            "highway": "construction",
            "construction": "motorway",
            "ref": "S9",
            "geometry": line((5, 5), (15, 5)),
        }
    ]
    assert run(rows).interfaces.empty
    result = run(rows, statuses=("open", "construction"))
    assert result.interfaces["status"].tolist() == ["construction"]


def test_bridge_split_into_many_ways_is_one_link_over_water():
    polygons = {"Mainland": box(0, 0, 10, 10), "Island": box(25, 4, 28, 6)}
    points = [(5, 5), (10, 5), (14, 5), (18, 5), (22, 5), (26, 5)]
    rows = [
        {"highway": "motorway", "ref": "S2", "lanes": "3", "bridge": "yes", "geometry": line(p, q)}
        for p, q in itertools.pairwise(points)
    ]
    result = run(rows, polygons=polygons)
    [iface] = result.interfaces.itertuples()
    assert (iface.via, iface.lanes, iface.carriageways) == ("water", 3, 1)
    assert iface.source_ids == ";".join(f"test:{n}" for n in range(5))
    # As for one line: the landfall on the island (x = 25 km), not the water's middle.
    x = result.interfaces.to_crs(CRS).geometry.x.iat[0]
    assert x == pytest.approx(X0 + 25_000, abs=50)


def test_pier_into_the_sea_is_not_a_link():
    polygons = {"Mainland": box(0, 0, 10, 10), "Island": box(25, 4, 28, 6)}
    result = run(
        [
            {"highway": "service", "geometry": line((8, 5), (12, 5))},
            {"highway": "service", "geometry": line((12, 5), (13, 5))},
        ],
        polygons=polygons,
    )
    assert result.interfaces.empty


@pytest.mark.parametrize("enabled_before", [True, False])
def test_counting_restores_the_garbage_collector_as_it_found_it(enabled_before):
    """count_layer pauses the cyclic collector while it scans (geo.analysis): it must give
    it back as it was, after a normal run and after an error."""
    import gc

    road = {"highway": "primary", "geometry": line((5, 5), (15, 5))}
    try:
        (gc.enable if enabled_before else gc.disable)()
        run([road])
        assert gc.isenabled() is enabled_before
        unprojected = features("highways", [road]).set_crs(None, allow_override=True)
        with pytest.raises(CRSError):
            count_crossings({"highways": unprojected}, regions(TWO))
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()
