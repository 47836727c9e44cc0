"""Resilience measures on synthetic networks with known answers (a ladder, a grid, a bridge)."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.analysis import count_crossings
from geo.border_network import Places, border_network
from geo.io.resilience_report import to_table
from geo.names_zh import ChineseNames
from geo.network import build_network
from geo.resilience import CRITICAL_MIN, OTHER, resilience
from geo.what_if import what_if
from helpers.synthetic import CRS, X0, Y0, box, features, line, regions
from layers import get_layer

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


#: A and B as above, and a third region C north of both (y 12 to 20 km).
ABC = regions({"A": box(0, 0, 10, 12), "B": box(10, 0, 20, 12), "C": box(0, 12, 20, 20)})


def test_a_trip_only_joined_through_a_third_region_is_no_trip_of_this_border():
    """The Zhejiang–Jiangsu railways' case: the link's far end leads on only through C.

    Wide regions (A 0–30 km, B 30–60 km, C north of both): a road from PA crosses into B
    at y = 5 but reaches PB (22 km on) only up through C and back, as the
    Shanghai–Suzhou–Huzhou railway's trips to Suzhou ran through Shanghai. The places
    stand at their nodes as given. The min cut (no third region) is 0; the routes keep to
    the same network, so there is no trip and nothing is critical. Before, the route went
    through C: min cut 0 beside a critical link that disconnected the pair.
    """
    wide = regions({"A": box(0, 0, 30, 12), "B": box(30, 0, 60, 12), "C": box(0, 12, 60, 20)})
    lines = roads(line((3, 5), (35, 5), (35, 15), (57, 15), (57, 5)))
    found = count_crossings({"highways": lines}, wide, region="A").interfaces
    found = found[found["b"].isin(["A", "B"]) & found["a"].isin(["A", "B"])]
    network = build_network(lines, wide.crs, {"highways": get_layer("highways").speed_kmh})
    net = border_network(network, wide, "A", "B", found)
    xy = net.network.xy
    node = {p: int(np.argmin(np.hypot(*(xy - [X0 + p[0] * 1000, Y0 + p[1] * 1000]).T)))
            for p in ((3, 5), (57, 5))}  # fmt: skip
    table = pd.DataFrame(
        {"name": ["PA", "PB"], "name_zh": ["PA", "PB"], "name_en": ["PA", "PB"],
         "side": [0, 1], "population": [1.0, 1.0], "node": [node[(3, 5)], node[(57, 5)]],
         "snap_m": [0.0, 0.0]}
    )  # fmt: skip
    result = resilience(net, Places(table, ()), "highways")
    assert result.min_cut == 0
    assert len(result.interfaces) == 1 and not result.interfaces["critical"].any()
    assert result.interfaces["disconnected_pairs"].sum() == 0
    assert not result.pairs["min"].notna().any()
    assert any("third region" in w.en and "第三地区" in w.zh for w in result.warnings)


def test_a_way_round_through_a_third_region_is_not_a_detour_of_this_border():
    """One link across the border, and a road from A round through C into B: one path.

    Closing the link disconnects the pair (its only other way runs through C, crossing the
    A–C and C–B borders, not this one) and is critical; the min cut says 1, the one link
    the border's own network has. Before, the trip went round through C and the link was
    not critical.
    """
    lines = roads(line((3, 5), (17, 5)), line((3, 5), (3, 15), (17, 15), (17, 5)))
    [result] = what_if(
        {"highways": lines}, ABC, "A", "B", layer_names=["highways"],
        places=places(("PA", 3, 5, 1.0), ("PB", 17, 5, 1.0)),
    )  # fmt: skip
    assert result.min_cut == 1
    rows = result.interfaces.set_index("id")
    used = result.pairs.query("closed == ''")["base_via"].iloc[0]
    assert rows.loc[used, "critical"] and rows.loc[used, "disconnected_pairs"] == 1
    assert result.critical == [used]


def test_a_trip_crossing_the_border_three_times_uses_each_of_its_interfaces():
    """The Zhejiang–Jiangsu railways' case: a trip enters B, comes back, and enters B again.

    PA (1, 1) to PB (19, 7): a road crosses at y = 1 into B, back into A at y = 4 and into B
    again at y = 7 (28 km); the way round by y = 10 is 30 km. Closing any of the three
    crossings sends the trip round (+2 min), so each of the three rows counts the pair as
    using it, slowed (a share of 100 %), moved to the y = 10 road. Before, only the first
    crossing (``base_via``) counted as used: the rows of y = 4 and y = 7 read 0 pairs and
    0 % beside +2 min, and moved the trip nowhere (as ``resilience yrd --region Zhejiang
    --neighbour Jiangsu --layers railways`` read for the Xinyi–Changxing railway: 0 % and
    0 pairs beside +8.3 min).
    """
    lines = roads(
        line((1, 1), (11, 1), (11, 4)),
        line((11, 4), (9, 4), (9, 7)),
        line((9, 7), (19, 7)),
        line((1, 1), (1, 10), (19, 10), (19, 7)),
    )
    result = run(lines, places(("PA", 1, 1, 1.0), ("PB", 19, 7, 1.0)))
    base = result.pairs.query("closed == ''").iloc[0]
    assert base["km"] == pytest.approx(28.0, abs=0.01)
    rows = result.interfaces.set_index("id")
    assert len(rows) == 4
    round_by = next(i for i in rows.index if rows.loc[i, "added_min_max"] == 0)
    zigzag = [i for i in rows.index if i != round_by]
    assert rows.loc[zigzag, "added_min_max"].tolist() == pytest.approx([2.0] * 3, abs=0.01)
    assert rows.loc[zigzag, "pairs_moved"].tolist() == [1, 1, 1]
    assert rows.loc[zigzag, "base_share"].tolist() == pytest.approx([1.0] * 3)
    assert rows.loc[zigzag, "moves_to"].tolist() == [{round_by: 1.0}] * 3
    assert rows.loc[zigzag, "pairs_slower"].tolist() == [1, 1, 1]
    assert rows.loc[zigzag, "disconnected_pairs"].tolist() == [0, 0, 0]
    assert rows.loc[round_by, "pairs_moved"] == rows.loc[round_by, "pairs_slower"] == 0


def detour_across_three_interfaces():
    """PA1 and PA2 to PB by G1; with G1 closed, PA1 by S1, S2 and S3, PA2 by G2 (below)."""
    rows = [
        (None, line((1, 2), (1, 6))),
        ("G1", line((1, 6), (5, 6), (19, 6))),
        ("S1", line((1, 2), (1, 1), (11, 1), (11, 3))),
        ("S2", line((11, 3), (9, 3), (9, 5))),
        ("S3", line((9, 5), (11, 5), (19, 5), (19, 6))),
        ("G2", line((5, 6), (5, 10), (19, 10), (19, 6))),
    ]
    lines = features(
        "highways",
        [{"highway": "primary", "geometry": g, **({"ref": r} if r else {})} for r, g in rows],
    )
    return run(lines, places(("PA1", 1, 2, 1.0), ("PA2", 5, 6, 3.0), ("PB", 19, 6, 1.0)))


def test_moves_to_names_every_interface_the_new_route_crosses():
    """A moved trip counts toward each interface its new route crosses, by its weight.

    PA1 (1, 2; 1 person) and PA2 (5, 6; 3 people) reach PB (19, 6) by the direct road G1 at
    y = 6 (22 and 14 km). Closing G1 sends PA1 along S1, S2 and S3, a road that enters B at
    y = 1, comes back at y = 3 and enters B again at y = 5 (28 km; round by G2: 30 km), and
    PA2 round by G2 at y = 10 (22 km). Of the moved trips' weight (1 + 3), S1, S2 and S3
    take 1/4 each and G2 3/4: the shares sum to 150 %, as each of S1, S2 and S3 carries
    PA1's trip. Before, ``moves_to`` named the first interface of each new route alone
    (``via``): S1 25 %, G2 75 %, and S2 and S3, which PA1's trip needs as much, not at all.
    """
    result = detour_across_three_interfaces()
    ref = dict(zip(result.interfaces["id"], result.interfaces["ref"], strict=True))
    assert sorted(ref.values()) == ["G1", "G2", "S1", "S2", "S3"]
    closed = result.pairs.query("closed != ''")
    g1 = next(i for i, r in ref.items() if r == "G1")
    moved = closed[closed["closed"] == g1].set_index("origin")
    assert moved["km"].tolist() == pytest.approx([28.0, 22.0], abs=0.01)
    row = result.interfaces.set_index("id").loc[g1]
    assert row["pairs_moved"] == 2
    assert {ref[k]: v for k, v in row["moves_to"].items()} == {
        "G2": 0.75, "S1": 0.25, "S2": 0.25, "S3": 0.25
    }  # fmt: skip
    assert list(row["moves_to"].values()) == [0.75, 0.25, 0.25, 0.25]  # largest first
    assert sum(row["moves_to"].values()) == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("lang", "moved", "other", "note"),
    [("en", "G2 75%, S1 25%, S2 25%, S3 25%", "other crossing 100%",
      "so the shares may sum past 100%"),
     ("zh", "G2 75%、S1 25%、S2 25%、S3 25%", "其他跨界路段 100%", "故各占比之和可超过 100%")],
)  # fmt: skip
def test_the_text_report_names_where_trips_move_in_the_language_asked(lang, moved, other, note):
    """The text table's "moves to" names every interface, largest first, and a crossing the
    count does not know in the language asked (before: ``other`` in Chinese too); its
    footnote says the shares may sum past 100%."""
    result = detour_across_three_interfaces()
    text = to_table([result], source="test", attribution="none", lang=lang)
    [g1] = [ln for ln in text.splitlines() if ln.startswith("G1 |")]
    assert g1.split(" | ")[8] == moved
    assert note in text
    interfaces = result.interfaces.copy()
    interfaces["moves_to"] = [{OTHER: 1.0}] * len(interfaces)
    text = to_table(
        [dataclasses.replace(result, interfaces=interfaces)], source="t", attribution="a", lang=lang
    )
    [g1] = [ln for ln in text.splitlines() if ln.startswith("G1 |")]
    assert g1.split(" | ")[8] == other


def test_the_text_report_names_regions_and_interfaces_in_chinese_where_the_data_do():
    """In Chinese an interface goes by its features' Chinese name (a set closed together
    only when each of them has one), a region by its own; in English ``names`` changes
    nothing (the page of the English report is byte for byte what it was)."""
    result = detour_across_three_interfaces()
    ids = {ref: ident for ident, ref in zip(result.interfaces["id"], result.interfaces["ref"])}
    feature = {ref: result.sources[ids[ref]] for ref in ("G1", "G2")}
    names = ChineseNames({"A": "甲地"}, {feature["G1"]: "一号公路", feature["G2"]: "二号公路"})
    both = dataclasses.replace(result, interfaces=_closed_together(result, ids, "G1", "S1"))
    plain = to_table([result, both], source="t", attribution="a", lang="en")
    assert to_table([result, both], source="t", attribution="a", lang="en", names=names) == plain
    text = to_table([result, both], source="t", attribution="a", lang="zh", names=names)
    lines = text.splitlines()
    assert lines[0] == "甲地 – B · 公路"
    g1 = [ln for ln in lines if ln.startswith("G1 ") and not ln.startswith("G1 + ")]
    assert len(g1) == 2 and all(ln.startswith("G1 一号公路 | ") for ln in g1)
    assert all("二号公路 75%" in ln for ln in g1)  # where its trips move to, too
    # S1 has no Chinese name: the set keeps the data's names.
    assert any(ln.startswith("G1 + S1 First Road + Loop Road | ") for ln in lines)


def _closed_together(result, ids, *refs):
    """The interfaces' table with one more row: those of ``refs`` closed together."""
    rows = result.interfaces.set_index("ref")
    extra = rows.loc[refs[0]].copy()
    extra["id"] = ",".join(ids[r] for r in refs)
    extra["name"] = "First Road + Loop Road"
    together = pd.concat([rows.reset_index(), extra.to_frame().T.assign(ref=" + ".join(refs))])
    return together.reset_index(drop=True)
