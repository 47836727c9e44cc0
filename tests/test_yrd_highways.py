"""The embedded expressways: routed on the road graph, counted per border from cited sources.

The routes are rebuilt here from the authored waypoints (``sources/links/highways.yaml``) on
the same road graph (PyPI scgraph-data, a build-time dependency), and their crossings with
the provinces' borders are found with shapely, not with the counting engine; the committed
interfaces must lie within each feature's stated accuracy of those crossings.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import yaml

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.reconcile import REPORT_STATUSES, load_documented
from helpers.paths import ROOT
from helpers.scripts import load_script

DATA = ROOT / "data" / "yrd"
METRIC = 32651  # UTM 51N: metres around the delta



@pytest.fixture(scope="module")
def source():
    return load_source("yrd")


@pytest.fixture(scope="module")
def authored():
    links = yaml.safe_load((DATA / "sources" / "links" / "highways.yaml").read_text("utf-8"))
    return {f"yrd:{link['id']}": link for link in links}


@pytest.fixture(scope="module")
def graph():
    pytest.importorskip("scgraph_data", reason="the road graph (scgraph-data) is not installed")
    return load_script("build_data").road_graph.RoadGraph()


def interfaces(source, year=None, statuses=("open",)):
    result = count_crossings({"highways": source.layers["highways"]}, source.region_set,
                             as_of=year, statuses=statuses)
    return result


def test_every_routed_interface_is_where_the_graph_route_crosses(source, authored, graph):
    build_data = load_script("build_data")
    _point = build_data._point
    places = build_data._places()
    regions = gpd.read_file(DATA / "regions.geojson").set_index("name")
    result = interfaces(source, statuses=("open", "construction"))
    checked = 0
    for iface in result.interfaces.to_crs(4326).itertuples():
        for fid in iface.source_ids.split(";"):
            link = authored[fid]
            if link.get("routing") != "road-graph":
                continue
            route = graph.route([_point(p, places, fid) for p in link["places"]])
            line = shapely.LineString(route.coords)
            border = shapely.intersection(regions.loc[iface.a, "geometry"].boundary,
                                          regions.loc[iface.b, "geometry"].boundary)
            if iface.via == "water":
                # Over water there is no shared border: the interface is the route's landfall
                # on one of the two provinces' coasts as drawn (geo/crossings.py).
                coast = shapely.union(regions.loc[iface.a, "geometry"].boundary,
                                      regions.loc[iface.b, "geometry"].boundary)
                hits = shapely.intersection(line, coast)
            else:
                hits = shapely.intersection(line, border)
            crossings = gpd.GeoSeries([hits], crs=4326)
            crossings = crossings.explode(index_parts=False).to_crs(METRIC)
            point = gpd.GeoSeries([iface.geometry], crs=4326).to_crs(METRIC).iloc[0]
            accuracy = float(source.layers["highways"].set_index("id").loc[fid, "accuracy_m"])
            assert len(crossings) and crossings.distance(point).min() <= accuracy, (fid, iface.a,
                                                                                  iface.b)
            checked += 1
    assert checked >= 12


def test_each_route_records_its_method_graph_and_accuracy(source, authored):
    hw = source.layers["highways"].set_index("id")
    for fid, link in authored.items():
        row = hw.loc[fid]
        if link.get("routing") != "road-graph":
            assert pd.isna(row.get("routing")) and row["accuracy_m"] == link["accuracy_m"]
            continue
        assert "scgraph-data 2.0.0 world_highways" in row["routing"]
        offsets = json.loads(row["waypoint_offsets_m"])
        assert len(offsets) == len(link["places"])
        # The stated accuracy is the route's plus Natural Earth's 2 km, never less.
        assert row["accuracy_m"] >= row["route_accuracy_m"] + 2000
        assert "OpenStreetMap" in row["source"] and "ODbL" in row["source"]
        assert "OpenStreetMap 贡献者" in row["source"]
    manifest = json.loads((DATA / "dataset.json").read_text("utf-8"))
    assert "ODbL" in manifest["roads"]["licence"]
    assert "OpenStreetMap" in manifest["attribution"] and "OpenStreetMap" in manifest[
        "attribution_zh"]


# Expressway interfaces open per border and year, from the opening years the sources give
# (each source is cited in the feature's `sources` in sources/links/highways.yaml):
#   G60 沪杭 1998-12-29 (zh.wikipedia 沪杭高速公路); G15 杭浦 2008-01-29 (jxjtjt.cn; zjol
#   2008-01-25); S32/S12 2009-12-31 (zh.wikipedia 申嘉湖高速公路); Donghai Bridge 2005-12-10
#   (en.wikipedia Donghai Bridge); G1522 2002-10-28 (pediainside 乍嘉苏); G25 Jiangsu side
#   to the border 2004-09-28 (wikiwand 宁杭高速公路); G50 Jiangsu section 2008-01-12
#   (news.sohu.com 20080112); G1521 2019-12-31 (ruidukeji.com); G4013 2021-01-20
#   (zh.wikipedia 杭长宜高速公路); S9 2025-09-28 (zjol 20250928); G2/G42 1996 (ppdoc.com;
#   wikiwand 沪宁高速公路); G56 2004 (钱江晚报 2006-01-12; hs171.com); G50 Jiepai 2006
#   (web.zjjh.com 2006-03-27); G60 杭金衢 2003-09-22 (factpedia; 钱江晚报 2006-01-12);
#   G15 Wenzhou–Fuzhou 2003 (钱江晚报 2006-01-12); G15 沿江 at the Shanghai border 2004
#   (ifeng; 2023 Jiangsu announcement); S26 Shanghai section 2010-03-13 (wiki 沪常高速公路);
#   G40 崇启 2011-12-24 (光明日报 2011-12-25); G42 合宁 to 周庄 1991-10-04
#   (chinahighway.org 745); G4211 宁马 1998-09-15 (wiki 宁芜高速公路); G3 合徐 2003-12-18
#   (光明日报 2003-12-19); G36 宁洛 2006-09-30 (newton 南京高速公路); G4012 溧宁 Jiangsu
#   section 2022-11-08 (我苏网 2022-11-08); G4012 千黄 Anhui section 2022-12-30 (人民网
#   2023-05-24); 临建 千秋关–於潜 2022-12-30 (人民网浙江 2022-12-30); 杭新景 衢州段 2016-11-30
#   (钱江晚报 2016-12-02); G3 衢南 2008-11-26/12-24 (jendow; guhantai); G25 龙庆 2013-06-25
#   (中新网); 龙浦 Zhejiang section 2016-09-28; 文泰 2020-12-22; G1523 沙埕湾 2021-01-19
#   (中国网温州 2021-01-21); G30 Anhui section from 老山口 2002-07-01 (anhui-expressway.net
#   display_1291); 泗许 Sihong–Sixian 2017-12-20 (ldnfox.com 2017-12-21); 宁宣 Jiangsu
#   section 2022-09-10 (金陵晚报; contractor's page 2022-09-14).
SOURCED_COUNTS = [
    # border (sorted), year, interfaces open
    (("Shanghai", "Zhejiang"), 1997, 0),
    (("Shanghai", "Zhejiang"), 1999, 1),   # G60
    (("Shanghai", "Zhejiang"), 2006, 2),   # G60, Donghai Bridge
    (("Shanghai", "Zhejiang"), 2008, 3),   # + G15 Hang-Pu
    (("Shanghai", "Zhejiang"), 2010, 4),   # + S32/S12
    (("Jiangsu", "Zhejiang"), 2001, 0),
    (("Jiangsu", "Zhejiang"), 2003, 1),    # G1522
    (("Jiangsu", "Zhejiang"), 2006, 2),    # + G25 (G50 still under construction)
    (("Jiangsu", "Zhejiang"), 2008, 3),    # + G50
    (("Jiangsu", "Zhejiang"), 2020, 4),    # + G1521
    (("Jiangsu", "Zhejiang"), 2021, 5),    # + G4013
    (("Jiangsu", "Zhejiang"), 2025, 6),    # + S9
    (("Jiangsu", "Shanghai"), 1995, 0),
    (("Jiangsu", "Shanghai"), 1996, 1),    # G2/G42
    (("Jiangsu", "Shanghai"), 2003, 1),    # G15 not yet (Jiangsu 沿江 to the border 2004)
    (("Jiangsu", "Shanghai"), 2004, 2),    # + G15
    (("Jiangsu", "Shanghai"), 2008, 3),    # + G50
    (("Jiangsu", "Shanghai"), 2009, 3),    # S26 Shanghai section not yet open
    (("Jiangsu", "Shanghai"), 2010, 4),    # + S26
    (("Jiangsu", "Shanghai"), 2011, 5),    # + G40 Chongqi Bridge (2011-12-24)
    (("Anhui", "Jiangsu"), 1990, 0),
    (("Anhui", "Jiangsu"), 1991, 1),       # G42 合宁 (Anhui section to the border)
    (("Anhui", "Jiangsu"), 1998, 2),       # + G4211 宁马
    (("Anhui", "Jiangsu"), 2001, 2),       # G30 under construction (Anhui works 1998-12)
    (("Anhui", "Jiangsu"), 2002, 3),       # + G30 at 老山口 (2002-07-01)
    (("Anhui", "Jiangsu"), 2003, 4),       # + G3 合徐
    (("Anhui", "Jiangsu"), 2006, 5),       # + G36 宁洛
    (("Anhui", "Jiangsu"), 2016, 5),
    (("Anhui", "Jiangsu"), 2017, 6),       # + 泗许 Sihong–Sixian (2017-12-20)
    (("Anhui", "Jiangsu"), 2021, 6),       # 宁宣's Anhui side at the border since 2017, alone
    (("Anhui", "Jiangsu"), 2022, 8),       # + G4012 溧宁, 宁宣 S55/S03 (2022-09-10)
    (("Anhui", "Zhejiang"), 2003, 0),
    (("Anhui", "Zhejiang"), 2004, 1),      # G56
    (("Anhui", "Zhejiang"), 2006, 2),      # + G50 at Jiepai
    (("Anhui", "Zhejiang"), 2021, 2),
    (("Anhui", "Zhejiang"), 2022, 4),      # + G4012 千黄, 临建 at 千秋关 (both 2022-12-30)
    (("Jiangxi", "Zhejiang"), 2002, 0),
    (("Jiangxi", "Zhejiang"), 2003, 1),    # G60
    (("Jiangxi", "Zhejiang"), 2015, 1),
    (("Jiangxi", "Zhejiang"), 2016, 2),    # + 杭新景 at 白沙关 (2016-11-30)
    (("Fujian", "Zhejiang"), 2002, 0),
    (("Fujian", "Zhejiang"), 2003, 1),     # G15
    (("Fujian", "Zhejiang"), 2008, 2),     # + G3 衢南
    (("Fujian", "Zhejiang"), 2013, 3),     # + G25 龙庆 (2013-06-25)
    (("Fujian", "Zhejiang"), 2016, 4),     # + 龙浦 (2016-09-28)
    (("Fujian", "Zhejiang"), 2019, 4),
    (("Fujian", "Zhejiang"), 2020, 5),     # + 文泰 (2020-12-22)
    (("Fujian", "Zhejiang"), 2021, 6),     # + G1523 over 沙埕湾 (2021-01-19, 中国网温州)
]


@pytest.mark.parametrize(("border", "year", "expected"), SOURCED_COUNTS)
def test_open_expressway_interfaces_per_border_and_year(source, border, year, expected):
    summary = interfaces(source, year).summary
    row = summary[(summary["a"] == border[0]) & (summary["b"] == border[1])]
    assert int(row["interfaces"].sum()) == expected


def test_donghai_bridge_crosses_at_its_landfall_on_the_yangshan_islands(source):
    result = interfaces(source, 2006, statuses=REPORT_STATUSES)
    [bridge] = result.interfaces[result.interfaces["source_ids"].str.contains("donghai")
                                 ].itertuples()
    regions = gpd.read_file(DATA / "regions.geojson").set_index("name").to_crs(METRIC)
    point = gpd.GeoSeries([bridge.geometry], crs=result.interfaces.crs).to_crs(METRIC).iloc[0]
    line = source.layers["highways"].set_index("id").loc["yrd:hwy-s2-donghai-bridge"]
    line = gpd.GeoSeries([line.geometry], crs=4326).to_crs(METRIC).iloc[0]
    # On the stated line: Zhejiang's coast as drawn (the island patch) ...
    assert regions.loc["Zhejiang", "geometry"].boundary.distance(point) < 50
    # ... which is not the middle of the water part: that lies kilometres away.
    water = line.difference(regions.geometry.union_all())
    middle = water.interpolate(0.5, normalized=True) if water.geom_type == "LineString" else None
    assert middle is None or middle.distance(point) > 5000
    # The bridge ends on Xiaoyangshan, the port's point, inside Zhejiang as drawn.
    end = shapely.Point(line.coords[-1])
    assert regions.loc["Zhejiang", "geometry"].contains(end)


def _lanes_2006(source, side_of_g60: str) -> int:
    """Zhejiang–Shanghai expressway lanes of 2006 with G60 counted at one side's width."""
    layer = source.layers["highways"].copy()
    row = layer.index[layer["id"] == "yrd:hwy-g60-hu-hang"][0]
    layer.loc[row, "capacity_by_year"] = json.dumps(
        json.loads(layer.loc[row, "lanes_by_side"])[side_of_g60])
    result = count_crossings({"highways": layer}, source.region_set, region="Zhejiang",
                             as_of=2006, statuses=REPORT_STATUSES)
    rows = result.summary[result.summary["b"] == "Shanghai"]
    return int(rows["lanes"].sum())


def test_2006_lanes_to_shanghai_computed_at_each_side_beside_the_report(source):
    documented = load_documented(DATA)
    doc = documented[(documented["as_of"] == 2006) & (documented["layer"] == "highways")
                     & (documented["measure"] == "lanes")
                     & documented["border"].str.contains("Shanghai")]
    report = int(doc["value"].iloc[0])
    zhejiang_side = _lanes_2006(source, "Zhejiang")   # the dataset's rule (capacity_side)
    shanghai_side = _lanes_2006(source, "Shanghai")
    # Both are computed from the sourced widths; the difference is G60's two sides in 2006
    # (8 in Zhejiang after the 2005 widening, 4 in Shanghai until about 2010).
    g60 = json.loads(source.layers["highways"].set_index("id").loc[
        "yrd:hwy-g60-hu-hang", "lanes_by_side"])
    assert zhejiang_side - shanghai_side == g60["Zhejiang"]["2005"] - g60["Shanghai"]["1998"]
    print(f"2006 lanes to Shanghai: report {report}, computed {zhejiang_side} (Zhejiang side)"
          f" / {shanghai_side} (Shanghai side of G60)")
    assert shanghai_side == report  # the reading the README gives: bridge as 4th interface


def test_one_lane_rule_for_the_three_jiangsu_roads(authored):
    sides = {fid: authored[fid].get("capacity_side") for fid in (
        "yrd:hwy-g1522-zha-jia-su", "yrd:hwy-g25-hang-ning", "yrd:hwy-g50-shen-su-zhe-wan")}
    for fid, side in sides.items():
        by_side = authored[fid]["lanes_by_side"]
        # The rule: the Zhejiang side where a source gives it, else the other side.
        assert side == ("Zhejiang" if "Zhejiang" in by_side else next(iter(by_side))), fid


def test_g92_is_not_the_shanghai_hangzhou_expressway_at_the_border(source):
    hw = source.layers["highways"].set_index("id")
    assert "G92" not in hw.loc["yrd:hwy-g60-hu-hang", "ref"].split(";")


# The roads added for issue 15's coverage: each crosses the border named in its sources,
# once, in the year its sources give, with the lanes its sources give at that border (side
# and figure cited in the feature's `sources`; the figures here are copied from those
# sources, not from the build).
NEW_ROADS = [
    # id, border (sorted), opening year, {year: lanes on the counted side}
    ("hwy-g15-jia-liu-yan-jiang", ("Jiangsu", "Shanghai"), 2004, {2018: 6}),  # 荔枝新闻 2018
    ("hwy-s26-hu-chang", ("Jiangsu", "Shanghai"), 2010, {2010: 6}),  # 新华社 2005-09-08
    ("hwy-g40-chong-qi", ("Jiangsu", "Shanghai"), 2011, {2011: 6}),  # 新华社 2008-08-01
    ("hwy-g42-he-ning", ("Anhui", "Jiangsu"), 1991, {1991: 4, 2022: 8}),  # chinahighway; 2022-07-11
    ("hwy-g36-ning-luo", ("Anhui", "Jiangsu"), 2006, {2006: 6}),  # chinahighway.org 19
    ("hwy-g4211-ning-ma", ("Anhui", "Jiangsu"), 1998, {1998: 4, 2022: 8}),  # wiki 宁芜高速
    ("hwy-g3-jing-tai-xu-su", ("Anhui", "Jiangsu"), 2003, {}),  # lanes not sourced
    ("hwy-g4012-li-ning", ("Anhui", "Jiangsu"), 2022, {2022: 4}),  # 我苏网 2022-11-08
    ("hwy-g30-lian-huo", ("Anhui", "Jiangsu"), 2002, {}),  # anhui-expressway.net; no lanes
    ("hwy-s55-s03-ning-xuan", ("Anhui", "Jiangsu"), 2022, {2022: 4}),  # 金陵晚报 2022-09
    ("hwy-si-xu-sihong-sixian", ("Anhui", "Jiangsu"), 2017, {}),  # ldnfox 2017; no lanes
    ("hwy-g60-hang-jin-qu", ("Jiangxi", "Zhejiang"), 2003, {2003: 4, 2022: 8}),  # 钱江晚报; 2022
    ("hwy-g2-g42-hu-ning", ("Jiangsu", "Shanghai"), 1996, {1996: 4, 2006: 8}),  # sohu 2006-06-29
    ("hwy-g4012-qian-huang", ("Anhui", "Zhejiang"), 2022, {2022: 4}),  # baogaosu 2017-09-28
    ("hwy-lin-jian-qianqiuguan", ("Anhui", "Zhejiang"), 2022, {2022: 4}),  # 人民网 2022-12-30
    ("hwy-g56-hang-hui", ("Anhui", "Zhejiang"), 2004, {2004: 4}),  # Anhui side: 中新社 2004-10-01
    ("hwy-hang-xin-jing", ("Jiangxi", "Zhejiang"), 2016, {}),  # lanes not sourced
    ("hwy-g3-qu-nan", ("Fujian", "Zhejiang"), 2008, {2008: 4}),  # 衢州日报 (4-lane standard)
    ("hwy-g25-long-qing", ("Fujian", "Zhejiang"), 2013, {2013: 4}),  # 易车网 2010-01-21
    ("hwy-long-pu", ("Fujian", "Zhejiang"), 2016, {2016: 4}),  # zjol 2012-12-18
    ("hwy-wen-tai-fu-shou", ("Fujian", "Zhejiang"), 2020, {2020: 4}),  # 福寿: cnbridge 2015
    ("hwy-g1523-shachengwan", ("Fujian", "Zhejiang"), 2021, {2021: 6}),  # 中国网温州 2021-01-21
]


@pytest.mark.parametrize(("fid", "border", "year", "lanes"), NEW_ROADS)
def test_each_new_road_crosses_its_border_once_in_its_year_with_its_lanes(
        source, fid, border, year, lanes):
    fid = f"yrd:{fid}"

    def own(as_of):
        result = interfaces(source, as_of)
        rows = result.interfaces[result.interfaces["source_ids"].str.split(";").map(
            lambda ids: fid in ids)]
        return rows

    before, opened = own(year - 1), own(year)
    assert before.empty, f"{fid} is counted before {year}"
    assert len(opened) == 1, f"{fid}: {len(opened)} interfaces in {year}"
    row = opened.iloc[0]
    assert tuple(sorted((row["a"], row["b"]))) == border
    for lane_year, expected in lanes.items():
        got = own(lane_year).iloc[0]
        assert int(got["capacity"]) == expected, (fid, lane_year)
    if not lanes:
        assert pd.isna(row["capacity"]) or row["lanes_missing"], fid


def test_no_two_highway_interfaces_share_a_place(source):
    """Distinct roads cross at distinct places: none within 1 km of another's interface."""
    result = interfaces(source, statuses=("open", "construction"))
    points = result.interfaces.to_crs(METRIC)
    for i, a in enumerate(points.itertuples()):
        for b in list(points.itertuples())[i + 1:]:
            if a.source_ids == b.source_ids:
                continue  # one road crossing two borders at a tripoint
            assert a.geometry.distance(b.geometry) > 1000, (a.source_ids, b.source_ids)
