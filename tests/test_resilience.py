"""Resilience measures on synthetic networks with known answers (a ladder, a grid, a bridge)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.resilience import CRITICAL_MIN
from geo.what_if import what_if
from helpers.synthetic import CRS, X0, Y0, box, features, line, regions

#: Two regions side by side: A west of x = 10 km, B east of it.
AB = regions({"A": box(0, 0, 10, 12), "B": box(10, 0, 20, 12)})


def roads(*geoms, highway: str = "primary") -> gpd.GeoDataFrame:
    return features("highways", [{"highway": highway, "geometry": g} for g in geoms])


def places(*rows: tuple[str, float, float, float]) -> gpd.GeoDataFrame:
    import shapely

    return gpd.GeoDataFrame(
        {"name": [r[0] for r in rows], "population": [r[3] for r in rows]},
        geometry=[shapely.Point(X0 + r[1] * 1000, Y0 + r[2] * 1000) for r in rows],
        crs=CRS,
    )


def ladder() -> gpd.GeoDataFrame:
    """Two rails across the border (y = 2 and y = 9) joined by rungs at x = 3 and x = 17."""
    return roads(
        line((3, 2), (17, 2)),
        line((3, 9), (17, 9)),
        line((3, 2), (3, 5), (3, 9)),
        line((17, 2), (17, 5), (17, 9)),
    )


#: On the rungs' middles: each place has two roads out (a town on a spur would have one,
#: and one disjoint path: the cut also counts the roads leaving the places).
PA_PB = places(("PA", 3, 5, 1.0), ("PB", 17, 5, 1.0))


def run(lines, pl=PA_PB, **kw):
    [result] = what_if({"highways": lines}, AB, "A", "B", layer_names=["highways"], places=pl, **kw)
    return result


def test_a_ladder_has_two_disjoint_paths_and_a_known_detour():
    result = run(ladder())
    assert result.min_cut == 2
    assert result.min_cut_counted == 2
    assert result.other_crossings == 0
    base = result.pairs[result.pairs["closed"] == ""].iloc[0]
    # PA (3,5) -> (3,2) -> (17,2) -> PB (17,5): 3 + 14 + 3 km.
    assert base["km"] == pytest.approx(20.0, abs=0.01)
    assert base["min"] == pytest.approx(20.0, abs=0.01)  # primary: 60 km/h, a km a minute
    rows = result.interfaces.set_index("id")
    assert len(rows) == 2
    south = next(
        i for i in rows.index if result.pairs.query("closed == ''")["base_via"].iloc[0] == i
    )
    north = next(i for i in rows.index if i != south)
    # Closing the used rail sends the trip north: 4 + 14 + 4 = 22 km, +2 km, +2 min.
    assert rows.loc[south, "added_km_max"] == pytest.approx(2.0, abs=0.01)
    assert rows.loc[south, "added_min_max"] == pytest.approx(2.0, abs=0.01)
    assert rows.loc[south, "moves_to"] == {north: 1.0}
    assert rows.loc[north, "added_km_max"] == pytest.approx(0.0, abs=1e-6)
    assert not rows["critical"].any()
    assert len(result.routes) == 1 and result.routes.crs.to_epsg() == 4326


def test_a_bridge_that_is_the_only_link_is_critical():
    lines = roads(line((2, 5), (18, 5)))
    result = run(lines)
    assert result.min_cut == 1
    [row] = result.interfaces.to_dict("records")
    assert row["disconnected_pairs"] == 1 and row["disconnected_share"] == pytest.approx(1.0)
    assert row["critical"]
    closed = result.pairs[result.pairs["closed"] != ""].iloc[0]
    assert closed["disconnected"] and np.isnan(closed["km"])


def test_a_grid_has_as_many_disjoint_paths_as_rows_crossing():
    rows_y = [2, 4, 6, 8, 10]
    lines = [line((1, y), (19, y)) for y in rows_y]
    lines += [
        line((1, 2), (1, 4), (1, 6), (1, 8), (1, 10)),
        line((19, 2), (19, 4), (19, 6), (19, 8), (19, 10)),
    ]
    pl = places(*[(f"W{y}", 1, y, 1.0) for y in rows_y], *[(f"E{y}", 19, y, 1.0) for y in rows_y])
    result = run(roads(*lines), pl)
    assert result.min_cut == 5
    # Each row carries its own pairs; closing one moves them to the next row: +4 km at most.
    assert (result.interfaces["added_km_max"] <= 4.0 + 1e-6).all()
    assert not result.interfaces["critical"].any()


def test_a_slow_long_detour_makes_an_interface_critical():
    # The direct road, and a detour 20 km longer on a slow track road.
    lines = roads(line((2, 5), (3, 5), (17, 5), (18, 5)))
    detour = roads(line((3, 5), (3, 11.5), (17, 11.5), (17, 5)), highway="tertiary")
    both = gpd.GeoDataFrame(pd.concat([lines, detour], ignore_index=True), crs=lines.crs)
    result = run(both, places(("PA", 2, 5, 1.0), ("PB", 18, 5, 1.0)))
    rows = result.interfaces.set_index("id")
    direct = result.pairs.query("closed == ''")["base_via"].iloc[0]
    assert rows.loc[direct, "added_km_max"] == pytest.approx(13.0, abs=0.01)
    # 27 km at 40 km/h instead of 14 km at 60 km/h on the crossing stretch.
    assert rows.loc[direct, "added_min_max"] >= CRITICAL_MIN
    assert rows.loc[direct, "critical"]
