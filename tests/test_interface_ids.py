"""Interface ids: stable across years and statuses, unique, independent of input order."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.analysis import count_crossings
from geo.interfaces import ID_CHARACTERS, anchor_id, id_text, interface_ids, natural_key
from geo.io.sources import load_source
from geo.regions import region_set_from_polygons
from helpers.golden import ALL_STATUSES
from helpers.synthetic import CRS, X0, Y0, features

YEARS = range(1990, 2027)


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd")


def interfaces(source, year, statuses=("open", "construction"), region=None):
    return count_crossings(
        source.layers, source.region_set, as_of=year, statuses=statuses, region=region
    ).interfaces


def test_the_same_links_keep_their_ids_from_2006_to_2024(yrd):
    before = interfaces(yrd, 2006, region="Zhejiang").query("b == 'Shanghai'")
    after = interfaces(yrd, 2024, region="Zhejiang").query("b == 'Shanghai'")
    g60 = "highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang"
    assert before.set_index("id").at[g60, "ref"] == after.set_index("id").at[g60, "ref"]
    # Every link counted in both years keeps its id: same id, same source features.
    kept = set(before["source_ids"]) & set(after["source_ids"])
    assert len(kept) >= 8
    ids_then = dict(zip(before["source_ids"], before["id"]))
    ids_now = dict(zip(after["source_ids"], after["id"]))
    assert {s: ids_then[s] for s in kept} == {s: ids_now[s] for s in kept}
    # The old numbering gave G60 another number in each year; the id is what the data say.
    assert before.set_index("id").at[g60, "name"] == "Shanghai–Hangzhou Expressway"


def test_ids_do_not_depend_on_the_statuses_or_the_region(yrd):
    everything = interfaces(yrd, 2024, ALL_STATUSES.split(","))
    open_only = interfaces(yrd, 2024, ("open",))
    focused = interfaces(yrd, 2024, ("open",), region="Zhejiang")

    def where(frame):
        return {i: (s, x, y) for i, s, x, y in frame[["id", "source_ids", "lon", "lat"]].values}

    known = where(everything)
    for frame in (open_only, focused):
        assert len(frame) < len(everything)
        assert all(known[i] == found for i, found in where(frame).items())


@pytest.mark.parametrize("statuses", [("open",), tuple(ALL_STATUSES.split(","))])
def test_ids_are_unique_in_every_year(yrd, statuses):
    for year in YEARS:
        ids = interfaces(yrd, year, statuses)["id"]
        assert ids.is_unique, (year, ids[ids.duplicated()].tolist())


def test_a_line_crossing_one_border_twice_gets_numbered_west_to_east(yrd):
    frame = interfaces(yrd, 2006)
    base = "waterways/Jiangsu–Zhejiang/yrd:wat-chang-hu-shen"
    twice = frame[frame["id"].str.startswith(base)].sort_values("lon")
    assert twice["id"].tolist() == [base, f"{base}#2"]


def test_the_anchor_is_the_smallest_id_read_as_numbers():
    assert anchor_id("osm:way/10;osm:way/9") == "osm:way/9"
    assert anchor_id("") == ""
    assert sorted(["b2", "a10", "a9"], key=natural_key) == ["a9", "a10", "b2"]


def test_ids_of_equal_bases_are_told_apart_and_stay_unique():
    frame = pd.DataFrame(
        {
            "a": ["X", "Y", "X", "X"],
            "b": ["Y", "X", "Y", "Y"],
            "source_ids": ["f:1", "f:1;f:3", "f:1", "f:1#2"],
            "lon": [3.0, 1.0, 2.0, 0.0],
            "lat": [0.0, 0.0, 0.0, 0.0],
        }
    )
    # Rows 0-2 share the base highways/X–Y/f:1 and are numbered west to east (rows 1, 2,
    # 0); row 3's own base is "#2", which is never renamed, so the numbers skip it.
    assert interface_ids(frame, "highways") == [
        "highways/X–Y/f:1#4",
        "highways/X–Y/f:1",
        "highways/X–Y/f:1#3",
        "highways/X–Y/f:1#2",
    ]


def test_no_markup_from_the_data_reaches_an_id():
    frame = pd.DataFrame(
        {"a": ["<b>A</b>"], "b": ["B & {{ x }}"], "source_ids": ["f:'1'"], "lon": [0.0],
         "lat": [0.0]}
    )  # fmt: skip
    [found] = interface_ids(frame, "highways")
    assert found == "highways/_b_A_/b_–B _ __ x __/f:_1_"
    assert id_text("浙江省–上海市 (x)") == "浙江省–上海市 (x)"


@given(st.text(max_size=60))
def test_id_text_keeps_what_isalnum_and_the_id_characters_keep(text):
    """The regular expression against the definition, a character at a time, all of Unicode."""
    expected = "".join(c if c.isalnum() or c in ID_CHARACTERS else "_" for c in text)
    assert id_text(text) == expected


def test_id_text_on_every_character_of_unicode():
    """Every code point once (the drawn texts above reach few of them)."""
    every = "".join(map(chr, range(0x110000)))
    expected = "".join(c if c.isalnum() or c in ID_CHARACTERS else "_" for c in every)
    assert id_text(every) == expected


# ----------------------------------------------------------------- order of the input

BORDER = [(10, 0), (9, 3), (11, 5), (10, 7), (10.5, 10)]
REGION_A = shapely.Polygon([(0, 0), *BORDER, (0, 10)])
REGION_B = shapely.Polygon([(20, 0), *BORDER, (20, 10)][::-1]).buffer(0)


def km(geom):
    return shapely.affinity.affine_transform(geom, [1000, 0, 0, 1000, X0, Y0])


REGIONS = region_set_from_polygons(
    gpd.GeoDataFrame({"name": ["A", "B"]}, geometry=[km(REGION_A), km(REGION_B)], crs=CRS),
    crs=CRS,
)

crossing_line = st.tuples(
    st.floats(1, 9), st.floats(0.5, 9.5), st.floats(11, 19), st.floats(0.5, 9.5)
).map(lambda c: shapely.LineString([(c[0], c[1]), (c[2], c[3])]))
road = st.tuples(crossing_line, st.sampled_from(["", "X1", "X2", "X1;X2"]), st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(road, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_ids_do_not_depend_on_the_order_of_the_input_features(roads, rng):
    rows = [
        {"highway": "primary", "ref": ref, "oneway": "yes" if oneway else "no",
         "geometry": km(geom)}
        for geom, ref, oneway in roads
    ]  # fmt: skip
    layer = features("highways", rows)
    order = list(range(len(layer)))
    rng.shuffle(order)
    shuffled = layer.iloc[order].reset_index(drop=True)

    def ids(frame):
        found = count_crossings({"highways": frame}, REGIONS).interfaces
        return dict(zip(found["id"], found["source_ids"]))

    first, second = ids(layer), ids(shuffled)
    assert first == second
    assert len(first) == len(set(first))
