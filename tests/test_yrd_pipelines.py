"""The embedded dataset's gas pipelines beyond Zhejiang's borders (issue 15).

Each pipeline crosses the borders it is authored for, once each, near the place its sources
name (a terminal, or the expressway it follows), within its stated ``accuracy_m``; its
status by year is the one its sources give (read from the cited sources, not the data).
"""

from __future__ import annotations

import pytest
from shapely import Point

from helpers.yrd_links import (
    borders_of,
    capacity_in,
    feature,
    interfaces_of,
    metres,
    status_in,
)

#: link: (borders, {year: status}, source)
SOURCED = {
    "pipe-west-east-main": (
        [("Anhui", "Jiangsu"), ("Jiangsu", "Shanghai")],
        {2002: "", 2003: "open", 2006: "open", 2026: "open"},
        "Xinhua 2004-02-26: the east section completed by end 2003; gas to Baihe 2003-10",
    ),
    "pipe-sichuan-east-zhejiang": (
        [("Shanghai", "Zhejiang")],
        {2006: "", 2007: "construction", 2009: "construction", 2010: "open", 2026: "open"},
        "人民日报 2010-09-01: works from 2007-08-31, commercial operation from 2010-08-31",
    ),
    "pipe-china-russia-east-south": (
        [("Jiangsu", "Shanghai")],
        {2019: "", 2020: "construction", 2026: "construction"},
        "2020-07-28: its Yangtze tunnel begun; opening not confirmed",
    ),
    "pipe-yong-hu-ning-crude": (
        [("Shanghai", "Zhejiang")],
        {2001: "", 2002: "construction", 2003: "construction", 2004: "open", 2026: "open"},
        "浙江日报 2004-05-20: works from 2002-09-28, completed and in operation 2004-05-20",
    ),
    "pipe-zhe-gan-product": (
        [("Jiangxi", "Zhejiang")],
        {2014: "", 2015: "construction", 2016: "open", 2026: "open"},
        "chinappia.com 3885: works from 2015-12, first oil run in November after 2016-01",
    ),
    "pipe-west-east-2-shanghai": (
        [("Shanghai", "Zhejiang")],
        {2006: "", 2012: "", 2013: "open", 2026: "open"},
        "econ.taiwan.cn 2014-01-06: the West–East I and II lines supply Shanghai (by 2013)",
    ),
    "pipe-rudong-haimen-chongming": (
        [("Jiangsu", "Shanghai")],
        {2013: "", 2016: "", 2017: "open", 2026: "open"},
        "gascompressionmagazine.com 2017-10-24: CNPC has started operating it",
    ),
}
#: Sourced places near a crossing: link -> (border, lon, lat, what).
NEAR = {
    "pipe-west-east-main": (("Jiangsu", "Shanghai"), 121.13653, 31.25616, "白鹤 terminal"),
    "pipe-china-russia-east-south": (
        ("Jiangsu", "Shanghai"), 121.13653, 31.25616, "白鹤 terminal"),
    # 宁波晚报 2005-11-22: the crude line reaches 上海石化 at 金山卫 (GeoNames 1805391).
    "pipe-yong-hu-ning-crude": (
        ("Shanghai", "Zhejiang"), 121.315, 30.72333, "上海石化, Jinshanwei"),
    # 中国能源网: the branch ends at the 金山 terminal (Jinshan district, GeoNames 13608000).
    "pipe-west-east-2-shanghai": (
        ("Shanghai", "Zhejiang"), 121.29373, 30.83556, "金山末站, Jinshan district"),
    # 中国能源网: it crosses the Yangtze at Haimen (GeoNames 1801200) onto Chongming.
    "pipe-rudong-haimen-chongming": (("Jiangsu", "Shanghai"), 121.17274, 31.89619, "Haimen"),
}


@pytest.mark.parametrize("link", sorted(SOURCED))
def test_each_crosses_its_borders_once(link):
    assert borders_of(link) == SOURCED[link][0]


@pytest.mark.parametrize("link", sorted(SOURCED))
def test_each_status_by_year_is_the_sourced_one(link):
    for year, status in SOURCED[link][1].items():
        assert status_in("pipelines", link, year) == status, (link, year, SOURCED[link][2])


@pytest.mark.parametrize("link", sorted(NEAR))
def test_the_crossing_is_near_the_sourced_place(link):
    border, lon, lat, what = NEAR[link]
    rows = interfaces_of(link)
    rows = rows[(rows["a"] == border[0]) & (rows["b"] == border[1])]
    accuracy = float(feature("pipelines", link)["accuracy_m"].iloc[0])
    assert len(rows) == 1
    assert metres(rows.geometry.iloc[0], lon, lat) <= accuracy, what


def test_the_sichuan_east_line_crosses_with_the_expressway_it_follows():
    """Sourced: from Huzhou along the 申嘉湖 expressway to Shanghai (S32/S12's interface)."""
    (pipe,) = interfaces_of("pipe-sichuan-east-zhejiang").geometry
    (road,) = interfaces_of("hwy-s32-s12-shen-jia-hu").geometry
    accuracy = float(feature("pipelines", "pipe-sichuan-east-zhejiang")["accuracy_m"].iloc[0])
    assert 1.0 < pipe.distance(road) <= accuracy  # near, yet not the same coordinate


def test_the_anhui_jiangsu_crossing_lies_between_hefei_and_nanjing():
    rows = interfaces_of("pipe-west-east-main")
    (point,) = rows[rows["a"] == "Anhui"].geometry
    # Hefei (GeoNames 1808722) and Nanjing (1799962), 143 km apart.
    to_hefei, to_nanjing = metres(point, 117.28083, 31.86389), metres(point, 118.77778, 32.06167)
    assert to_hefei + to_nanjing <= 143_000 + float(
        feature("pipelines", "pipe-west-east-main")["accuracy_m"].iloc[0])


def test_the_zhejiang_jiangxi_product_line_crosses_between_its_two_stations():
    """Sourced stations: 龙游 (Zhejiang) and 上饶 (Jiangxi), its first Jiangxi station."""
    (point,) = interfaces_of("pipe-zhe-gan-product").geometry
    # Longzhou, Longyou's seat (GeoNames 1802261), and Shangrao (1787858).
    longyou, shangrao = (119.17015, 29.03278), (117.94287, 28.45179)
    apart = metres(Point(longyou), *shangrao)
    accuracy = float(feature("pipelines", "pipe-zhe-gan-product")["accuracy_m"].iloc[0])
    assert metres(point, *longyou) + metres(point, *shangrao) <= apart + accuracy


def test_the_rudong_line_reaches_chongming_over_the_water():
    """Sourced: it crosses the Yangtze at Haimen onto Chongming Island (a water crossing)."""
    rows = interfaces_of("pipe-rudong-haimen-chongming")
    assert list(rows["via"]) == ["water"]
    assert capacity_in("pipelines", "pipe-rudong-haimen-chongming", 2017) == 610  # 中国能源网
