"""The embedded dataset's railways: real OpenStreetMap geometry, crossings and sourced counts.

* every railway interface lies within its stated accuracy of where the OSM ways it is built
  from cross the border (needs ``../shared``; skipped without it);
* no two links of any layer share a crossing coordinate;
* a second boundary (the provinces shifted 2 km each way) changes the count of a link only
  when that link is flagged ``boundary_sensitive``;
* the railways open across each border in each year are those the cited sources give.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from functools import cache
from itertools import combinations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.regions import region_set_from_polygons
from helpers.paths import ROOT
from helpers.yrd_links import borders_of, status_in

DATA = ROOT / "data" / "yrd"
SHARED_RAIL = ROOT.parent / "shared" / "osm-derived" / "railways-east-china"
EVERY_STATUS = ("open", "construction", "proposed", "cancelled", "disused", "abandoned")
#: Two crossings closer than this are "the same coordinate" (the data keep 6 decimals).
SAME_POINT_M = 1.0
#: The second boundary: the provinces moved this far east, west, north and south.
SHIFT_M = 2000.0

needs_shared = pytest.mark.skipif(
    not SHARED_RAIL.is_dir(),
    reason=f"the OpenStreetMap railway copy {SHARED_RAIL} is absent (../shared)",
)


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd")


@pytest.fixture(scope="module")
def railways():
    return gpd.read_file(DATA / "railways.geojson")


def _ids(source_ids: str) -> list[str]:
    return [i for i in source_ids.split(";") if i]


def _interfaces(source, region_set=None, *, as_of=None, statuses=EVERY_STATUS):
    regions = region_set or source.region_set
    result = count_crossings(source.layers, regions, as_of=as_of, statuses=statuses)
    return result.interfaces.to_crs(regions.crs)  # metric: distances in metres


def _links():
    out = []
    for name in ("highways", "railways", "waterways", "ports", "pipelines"):
        frame = gpd.read_file(DATA / f"{name}.geojson")
        flags = frame["boundary_sensitive"] if "boundary_sensitive" in frame else [None] * len(
            frame)
        out += [(i, bool(f) if f == f and f is not None else False)
                for i, f in zip(frame["id"], flags)]
    return out



# ------------------------------------------------------------------ provenance


def test_railways_from_osm_name_their_ways_and_carry_the_odbl(railways):
    from_osm = railways[railways["osm_ids"].notna() & (railways["osm_ids"] != "")]
    assert len(from_osm) >= 20
    for row in from_osm.itertuples():
        assert all(part.isdigit() for part in row.osm_ids.split(";")), row.id
        assert "ODbL" in row.source and "OpenStreetMap" in row.source, row.id
        assert row.line_accuracy_m <= row.accuracy_m, row.id
    authored = railways[railways["osm_ids"].isna() | (railways["osm_ids"] == "")]
    # The maglev (never built) and the lines being built stay authored and say so.
    assert "yrd:rail-hu-hang-maglev" in set(authored["id"])
    assert authored["alignment"].str.contains("AUTHORED").all()
    assert not authored["source"].str.contains("ODbL").any()


def test_the_dataset_attribution_names_openstreetmap_in_both_languages():
    manifest = json.loads((DATA / "dataset.json").read_text(encoding="utf-8"))
    assert "OpenStreetMap" in manifest["attribution"] and "ODbL" in manifest["attribution"]
    assert "OpenStreetMap" in manifest["attribution_zh"]
    assert "ODbL" in manifest["attribution_zh"]
    assert "ODbL" in manifest["railways"]["licence"]
    assert any(k.startswith("osm-derived/railways-east-china/")
               for k in manifest["inputs_sha256"])


def test_the_maglev_is_proposed_in_every_year_with_its_sources(railways):
    [maglev] = railways[railways["id"] == "yrd:rail-hu-hang-maglev"].itertuples()
    assert maglev.status == "proposed"
    assert json.loads(maglev.status_by_year) == {"2006": "proposed"}
    # Its 2010 source says the approval still stood; both that and the suspension are cited.
    assert "2010" in maglev.source and "suspended" in maglev.source


# ------------------------------------------------------------------ (a) true crossings


@cache
def _osm_ways_by_name() -> dict[str, list[shapely.Geometry]]:
    """Every railway way of the shared copy (both tracks, no clipping), by OSM name."""
    ways: dict[int, tuple[str, shapely.Geometry]] = {}
    for path in sorted(SHARED_RAIL.glob("china-*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for feature in json.load(handle)["lines"]:
                props = feature["properties"]
                ways.setdefault(int(props["osm_id"]),
                                (props.get("name") or "", shape(feature["geometry"])))
    by_name: dict[str, list[shapely.Geometry]] = {}
    for name, geom in ways.values():
        by_name.setdefault(name, []).append(geom)
    return by_name


@needs_shared
def test_every_railway_interface_lies_within_its_accuracy_of_the_osm_crossing(yrd, railways):
    # Where the OSM ways of the line's name (either track, unsimplified by this build)
    # cross the border, against the interface computed from the built geometry.
    by_name = _osm_ways_by_name()
    stretches = yrd.region_set.stretches
    names = dict(zip(railways["id"], railways["osm_names"].fillna("")))
    accuracy = dict(zip(railways["id"], railways["accuracy_m"]))
    interfaces = _interfaces(yrd)
    checked = 0
    for row in interfaces[interfaces["layer"] == "railways"].itertuples():
        [link] = _ids(row.source_ids)
        if not names[link]:
            continue
        raw = gpd.GeoSeries([g for n in names[link].split(";") for g in by_name[n]], crs=4326)
        border = shapely.union_all(
            stretches[(stretches["a"] == row.a) & (stretches["b"] == row.b)].geometry)
        crossings = shapely.intersection(shapely.union_all(raw.to_crs(stretches.crs)), border)
        assert not crossings.is_empty, (link, row.a, row.b)
        assert shapely.distance(row.geometry, crossings) <= accuracy[link], link
        checked += 1
    assert checked >= 25


#: Railway ways of the shared copy that meet a covered border but are no link, and why.
NOT_A_LINK = {
    172710833: "金山线 branch: ends inside Shanghai at 121.27 E; Natural Earth's generalised "
               "border runs east of the real one there",
}
RAIL_BORDERS = [("Shanghai", "Zhejiang"), ("Jiangsu", "Shanghai"), ("Jiangsu", "Zhejiang"),
                ("Anhui", "Jiangsu"), ("Anhui", "Zhejiang"), ("Jiangxi", "Zhejiang"),
                ("Fujian", "Zhejiang")]


@needs_shared
def test_every_osm_railway_across_a_covered_border_is_a_link_or_excluded(yrd, railways):
    named = {n for names in railways["osm_names"].dropna() for n in names.split(";") if n}
    stretches = yrd.region_set.stretches
    borders = shapely.union_all(stretches[
        [(a, b) in RAIL_BORDERS for a, b in zip(stretches["a"], stretches["b"])]].geometry)
    seen: dict[int, tuple[str, str, shapely.Geometry]] = {}
    for path in sorted(SHARED_RAIL.glob("china-*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for feature in json.load(handle)["lines"]:
                props = feature["properties"]
                if props.get("rail_type") in ("rail", "hsr"):
                    seen.setdefault(int(props["osm_id"]), (
                        props.get("name") or "", props["rail_type"], shape(feature["geometry"])))
    ways = gpd.GeoDataFrame(
        {"osm_id": list(seen), "name": [v[0] for v in seen.values()]},
        geometry=[v[2] for v in seen.values()], crs=4326).to_crs(stretches.crs)
    crossing = ways[ways.intersects(borders)]
    assert len(crossing) >= 40
    stray = crossing[~crossing["name"].isin(named) & ~crossing["osm_id"].isin(NOT_A_LINK)]
    assert stray.empty, stray[["osm_id", "name"]].to_dict("records")


# ------------------------------------------------------------------ (b) shared coordinates

#: Link pairs that truly share one structure at the border (none so far).
SHARED_STRUCTURES: set[frozenset[str]] = set()


def _shared_points(interfaces) -> list[frozenset[str]]:
    found = []
    rows = list(interfaces.itertuples())
    for row in rows:
        links = _ids(row.source_ids)
        if len(links) > 1:
            found.append(frozenset(links))
    for first, second in combinations(rows, 2):
        if first.source_ids != second.source_ids and (
            first.geometry.distance(second.geometry) < SAME_POINT_M
        ):
            found.append(frozenset(_ids(first.source_ids) + _ids(second.source_ids)))
    return found


@pytest.fixture(scope="module")
def shared_points(yrd):
    return [pair for pair in _shared_points(_interfaces(yrd)) if pair not in SHARED_STRUCTURES]


@pytest.mark.parametrize(
    "link",
    [pytest.param(link, id=link.removeprefix("yrd:")) for link, _ in _links()],
)
def test_no_two_links_share_a_crossing_coordinate(shared_points, link):
    partners = sorted(i for pair in shared_points if link in pair for i in pair - {link})
    assert not partners, f"{link} crosses at the same point as {partners}"


def test_the_shared_point_check_can_fail(yrd):
    railways = yrd.layers["railways"]
    copy = railways[railways["id"] == "yrd:rail-hu-hang"].copy()
    copy["id"] = "yrd:rail-hu-hang-copy"
    layers = {**yrd.layers, "railways": gpd.GeoDataFrame(
        __import__("pandas").concat([railways, copy]), crs=railways.crs)}
    result = count_crossings(layers, yrd.region_set, statuses=EVERY_STATUS)
    assert any({"yrd:rail-hu-hang", "yrd:rail-hu-hang-copy"} <= p
               for p in _shared_points(result.interfaces.to_crs(yrd.region_set.crs)))


# ------------------------------------------------------------------ (c) second boundary


def _per_link(interfaces) -> Counter[tuple[str, str, str]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in interfaces.itertuples():
        for link in _ids(row.source_ids):
            counts[(link, row.a, row.b)] += 1
    return counts


@pytest.fixture(scope="module")
def boundary_changes(yrd):
    """``{link id: [(shift, border, count, count on the shifted boundary)]}``."""
    base = _per_link(_interfaces(yrd))
    regions = yrd.region_set.regions
    changes: dict[str, list[tuple[tuple[float, float], str, int, int]]] = {}
    for dx, dy in ((SHIFT_M, 0), (-SHIFT_M, 0), (0, SHIFT_M), (0, -SHIFT_M)):
        moved = regions.copy()
        moved["geometry"] = moved.geometry.translate(dx, dy)
        shifted = region_set_from_polygons(moved.to_crs(4326), crs=yrd.region_set.crs)
        other = _per_link(_interfaces(yrd, shifted))
        for key in sorted(set(base) | set(other)):
            if base[key] != other[key]:
                link, a, b = key
                changes.setdefault(link, []).append(((dx, dy), f"{a}–{b}", base[key], other[key]))
    return changes


@pytest.mark.parametrize(
    ("link", "flagged"),
    [pytest.param(link, flagged, id=link.removeprefix("yrd:")) for link, flagged in _links()],
)
def test_a_count_that_moves_with_the_boundary_is_flagged(boundary_changes, link, flagged):
    moved = boundary_changes.get(link, [])
    assert flagged == bool(moved), (
        f"{link}: boundary_sensitive is {flagged}, but its count changes with the boundary "
        f"moved 2 km in {len(moved)} case(s): {moved}" if moved else
        f"{link} is flagged boundary_sensitive but no 2 km shift changes its count")


# ------------------------------------------------------------------ (d) counts by source

#: The railways across each border, with the year each opened across it (and closed), the
#: crossings it makes, and the source of the year. Counted from this table, not from the
#: code: a line is open in year Y from its opening year up to the year before it closed.
SOURCED: dict[tuple[str, str], list[tuple[str, int, int | None, int, str]]] = {
    ("Shanghai", "Zhejiang"): [
        ("rail-hu-hang", 1909, None, 1, "zh.wikipedia 滬杭鐵路; 新民晚报 2010-12-12: opened 1909"),
        ("rail-hu-hang-hsr", 2010, None, 1, "新民晚报 2020-07-01: 沪杭高铁 opened 2010-10-26"),
    ],
    ("Jiangsu", "Shanghai"): [
        ("rail-hu-ning", 1908, None, 1, "zh.wikipedia 1908年铁路: 沪宁铁路 whole line 1908"),
        ("rail-hu-ning-intercity", 2010, None, 1, "新民晚报 2020-07-01: 沪宁城际 2010-07-01"),
        ("rail-jinghu-hsr", 2011, None, 1, "新民晚报 2020-07-01: 京沪高铁 2011-06-30"),
        ("rail-hu-su-tong", 2020, None, 1, "新民晚报 2020-07-01: 沪苏通 2020-07-01"),
        ("rail-hu-su-hu-hsr", 2024, None, 1, "shine.cn 2024-12-26: 沪苏湖 opened"),
    ],
    ("Jiangsu", "Zhejiang"): [
        ("rail-su-jia", 1936, 1945, 1, "苏州商报: opened 1936-07-15; dismantled by 1945-01"),
        ("rail-xin-chang", 2005, None, 1, "sdyrbxgs.com: through-running from 2005-04-01"),
        ("rail-ning-hang-hsr", 2013, None, 1, "en.people.cn: opened 2013-07-01"),
        ("rail-hu-su-hu-hsr", 2024, None, 1, "shine.cn 2024-12-26: 沪苏湖 opened"),
    ],
    ("Anhui", "Zhejiang"): [
        ("rail-xuan-hang", 1994, None, 1, "newton.com.tw 宣杭鐵路: 宣城–长兴 in service 1994-07"),
        ("rail-hang-huang-hsr", 2018, None, 1, "m.tielu.cn: 杭黄 opened 2018-12-25"),
        ("rail-he-hang-hsr", 2020, None, 1, "新华网 2020-06-29: 合湖段 opened 2020-06-28"),
    ],
    ("Jiangxi", "Zhejiang"): [
        ("rail-zhe-gan", 1934, None, 1, "杭江铁路 金华–玉山: open 1934-01 (p1878.com, meipian.cn)"),
        ("rail-hang-chang-hsr", 2014, None, 1, "上海政府网 2014-12-11: 杭州东–南昌西 2014-12-10"),
        ("rail-qu-jiu", 2017, None, 1, "zh.wikipedia 衢九铁路: opened 2017-12-28"),
    ],
    ("Fujian", "Zhejiang"): [
        ("rail-wen-fu", 2009, None, 1, "新华网 2009-09-28; 福州晚报: freight from 2009-06-30"),
        ("rail-qu-ning", 2020, None, 1, "新华社 2020-09-25: opens 2020-09-27"),
    ],
    ("Anhui", "Jiangsu"): [
        ("rail-jin-pu", 1911, None, 2, "zh.wikipedia 津浦铁路: south section 1911, whole 1912"),
        ("rail-long-hai", 1915, None, 1, "隴海鐵路東、西段: 开封–徐州 open 1915-05"),
        ("rail-ning-wu", 1935, None, 1, "金陵晚报 2018-03-15: 江南铁路 中华门–孙家埠 1935-04"),
        ("rail-fu-jia", 1960, None, 1, "淮北市志: 萧县–夹河寨 open 1960-12"),
        ("rail-he-ning", 2008, None, 1, "新华社 2008-04-18: 合宁 opened"),
        ("rail-jinghu-hsr", 2011, None, 2, "新民晚报 2020-07-01: 京沪高铁 2011-06-30"),
        ("rail-su-huai", 2013, None, 1, "淮北晨刊 2014-12: freight from 2013-12-26"),
        ("rail-ning-an", 2015, None, 1, "中国中铁 2015-12-09: 宁安 opened 2015-12-06"),
        ("rail-zheng-xu-hsr", 2016, None, 1, "中国通号: 郑徐 opened 2016-09-10"),
    ],
}
YEARS = (1905, 1910, 1920, 1940, 1950, 2000, 2005, 2006, 2010, 2015, 2020, 2026)


def _expected(border: tuple[str, str], year: int) -> tuple[set[str], int]:
    lines = {(f"yrd:{link}", crossings) for link, opened, closed, crossings, _ in SOURCED[border]
             if opened <= year and (closed is None or year < closed)}
    return {link for link, _ in lines}, sum(c for _, c in lines)


@pytest.mark.parametrize("year", YEARS)
def test_open_railways_per_border_are_those_the_sources_give(yrd, year):
    interfaces = _interfaces(yrd, as_of=year, statuses=("open",))
    railways = interfaces[interfaces["layer"] == "railways"]
    for border in SOURCED:
        rows = railways[(railways["a"] == border[0]) & (railways["b"] == border[1])]
        links = {link for ids in rows["source_ids"] for link in _ids(ids)}
        expected_links, expected_interfaces = _expected(border, year)
        assert links == expected_links, (border, year)
        assert len(rows) == expected_interfaces, (border, year)


#: Lines under construction without OpenStreetMap ways across the border, authored
#: schematically: link -> (its interfaces' borders, {year: status}, source). Read from the
#: cited sources: which counties the line runs through (so which borders, how often) and the
#: year its works are dated to.
BUILDING: dict[str, tuple[list[tuple[str, str]], dict[int, str], str]] = {
    "rail-hu-ning-he-east": (
        [("Jiangsu", "Shanghai")] * 3,
        {2023: "", 2024: "construction", 2026: "construction"},
        "shgtcfzp.com 2022-06-28: Baoshan, Jiading, Taicang, Chongming, Nantong; "
        "新安晚报 2024-10-22: its 崇太 tunnel being bored",
    ),
    "rail-hu-ning-he-west": (
        [("Anhui", "Jiangsu")],
        {2021: "", 2022: "construction", 2026: "construction"},
        "中安在线 2022-11-01: Anhui section (Nanjing – Chuzhou – Hefei) begun 2022-10-31",
    ),
    "rail-ning-huai": (
        [("Anhui", "Jiangsu")] * 2,
        {2019: "", 2020: "construction", 2026: "construction"},
        "新华丝路 2020-12-30: Jinhu (Jiangsu) – Tianchang (Anhui) – Liuhe; Anhui works begun",
    ),
    "rail-wen-fu-hsr": (
        [("Fujian", "Zhejiang")],
        {2024: "", 2025: "construction", 2026: "construction"},
        "hk01 / 中新网 2025-09-29: works begun; its Ningde section starts at the border",
    ),
}


@pytest.mark.parametrize("link", sorted(BUILDING))
def test_each_line_under_construction_crosses_as_its_sources_say(link):
    borders, statuses, why = BUILDING[link]
    assert borders_of(link) == borders, why
    for year, status in statuses.items():
        assert status_in("railways", link, year) == status, (link, year, why)
    assert not (set(statuses.values()) & {"open"})  # no opening year is sourced


def test_a_border_export_carries_the_odbl_with_its_railways(tmp_path):
    import subprocess
    import sys
    import zipfile

    out = tmp_path / "zj-jx.zip"
    proc = subprocess.run([sys.executable, "-m", "geo", "export", "yrd", "--region", "Zhejiang",
                           "--neighbour", "Jiangxi", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.endswith("-railways.geojson")]
        features = json.loads(archive.read(name))["features"]
    assert len(features) >= 3
    assert all("ODbL" in f["properties"]["source"] and f["properties"]["osm_ids"]
               for f in features)
