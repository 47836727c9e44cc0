"""The embedded dataset's waterways beyond Zhejiang's borders (issue 15).

Each new waterway crosses the border it is authored for, once, near where its source (or,
for a line drawn from Natural Earth, Natural Earth's whole river) puts the crossing, within
its stated ``accuracy_m``; its grade by year is the one its source gives (the expected
values below are read from the cited sources, not from the data). The Huai, which runs on
the Anhui–Jiangsu border before it crosses, is the engine's "along the border" case: one
interface, its length along the border reported.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from helpers.paths import ROOT
from helpers.yrd_links import (
    borders_of,
    capacity_in,
    counted,
    feature,
    interfaces_of,
    metres,
    status_in,
    yrd,
)

SHARED_RIVERS = ROOT.parent / "shared" / "naturalearth-east-china" / (
    "ne_10m_rivers_lake_centerlines.geojson"
)
needs_shared = pytest.mark.skipif(
    not SHARED_RIVERS.is_file(), reason=f"the Natural Earth copy {SHARED_RIVERS} is absent"
)

#: link: (border, {year: grade number or None (unknown)}, source of the grades)
SOURCED = {
    "wat-su-shen-wai": (
        ("Jiangsu", "Shanghai"),
        {2008: None, 2009: 3, 2026: 3},
        "中国港口网 2010-01: Shanghai section built to grade III, completed 2009-12-31",
    ),
    "wat-su-shen-nei": (
        ("Jiangsu", "Shanghai"),
        {2011: None, 2012: 5, 2026: 5},
        "2012-06-19: the Jiangsu section is grade V, to be rebuilt to grade III",
    ),
    "wat-yangtze-wan-su": (("Anhui", "Jiangsu"), {2006: None, 2026: None}, "no grade sourced"),
    "wat-huai-wan-su": (("Anhui", "Jiangsu"), {2006: None, 2026: None}, "no grade sourced"),
    "wat-wu-shen": (
        ("Anhui", "Jiangsu"),
        {2006: None, 2026: None},
        "maspzl.com 2023-01: grade III east of the 下坝 lock only; not at the border",
    ),
}
#: Natural Earth rivers the NE-drawn links follow: link -> (name or rivernum).
NATURAL_EARTH = {"wat-su-shen-nei": 582, "wat-yangtze-wan-su": "Yangtze", "wat-huai-wan-su": "Hudi"}


@pytest.mark.parametrize("link", sorted(SOURCED))
def test_each_crosses_its_border_once_and_nothing_else(link):
    border, _, _ = SOURCED[link]
    assert borders_of(link) == [border]
    assert feature("waterways", link)["border"].iloc[0].split("–") in (
        list(border), list(reversed(border)))


@pytest.mark.parametrize("link", sorted(SOURCED))
def test_each_grade_by_year_is_the_sourced_one(link):
    _, grades, why = SOURCED[link]
    for year, grade in grades.items():
        assert capacity_in("waterways", link, year) == grade, (link, year, why)
        assert status_in("waterways", link, year) == "open"  # old rivers: no opening year


def _river(key: str | int) -> shapely.Geometry:
    features = json.loads(SHARED_RIVERS.read_text(encoding="utf-8"))["features"]
    field = "rivernum" if isinstance(key, int) else "name"
    return shapely.union_all([shape(f["geometry"]) for f in features
                              if f["properties"].get(field) == key])


@needs_shared
@pytest.mark.parametrize("link", sorted(NATURAL_EARTH))
def test_a_natural_earth_line_crosses_where_the_whole_river_does(link):
    """The clipped line's interface lies within accuracy_m of a crossing of the whole river."""
    border, _, _ = SOURCED[link]
    regions = yrd().region_set
    polygons = {name: regions.regions.loc[regions.regions["name"] == name].geometry.iloc[0]
                for name in border}
    whole = gpd.GeoSeries([_river(NATURAL_EARTH[link])], crs=4326).to_crs(regions.crs).iloc[0]
    line = polygons[border[0]].boundary.intersection(polygons[border[1]].boundary)
    crossings = whole.intersection(line.buffer(1.0))
    assert not crossings.is_empty, link
    accuracy = float(feature("waterways", link)["accuracy_m"].iloc[0])
    for point in interfaces_of(link).geometry:
        assert point.distance(crossings) <= accuracy, link


def test_the_su_shen_outer_waterway_crosses_on_its_lake_leg():
    """Its alignment puts the crossing on the Zhouzhuang–Zhujiajiao leg (Lake Dianshan)."""
    (point,) = interfaces_of("wat-su-shen-wai").geometry
    accuracy = float(feature("waterways", "wat-su-shen-wai")["accuracy_m"].iloc[0])
    # Zhouzhuang (GeoNames 1784074) and Zhujiajiao (1783920), on either side.
    assert min(metres(point, 120.84427, 31.11788), metres(point, 121.05696, 31.10757)) <= accuracy


def test_a_river_along_the_border_counts_once_and_reports_its_length():
    """The Huai runs on Natural Earth's Anhui–Jiangsu border before entering Jiangsu."""
    result = counted()
    along = result.along
    huai = along[(along["a"] == "Anhui") & (along["b"] == "Jiangsu")
                 & (along["layer"] == "waterways")]
    assert float(huai["metres"].sum()) > 10_000
    assert len(interfaces_of("wat-huai-wan-su")) == 1
    assert bool(feature("waterways", "wat-huai-wan-su")["boundary_sensitive"].iloc[0])


def test_the_yangtze_below_nanjing_is_not_a_crossing_link():
    """The estuary, where the Jiangsu–Shanghai border runs in the water, is not drawn."""
    rows = interfaces_of("wat-yangtze-wan-su")
    assert set(zip(rows["a"], rows["b"], strict=True)) == {("Anhui", "Jiangsu")}
    waterways = gpd.read_file(ROOT / "data" / "yrd" / "waterways.geojson")
    yangtze = waterways[waterways["name_zh"].str.startswith("长江")]
    assert len(yangtze) == 1 and yangtze.total_bounds[2] < 119.0  # ends west of Zhenjiang
