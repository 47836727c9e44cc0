"""The timeline: every year's count from one scan equals counting each year on its own."""

from __future__ import annotations

import io
import json
from functools import cache

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from geo.analysis import CrossingResult, count_crossings
from geo.errors import InvalidParameterError
from geo.io.border_report import BOM, render_border_table
from geo.io.sources import Source, load_source
from geo.lifecycle import layers_at
from geo.overview import overview
from geo.timeline import (
    DOCUMENTED_COLUMNS,
    TIMELINE_COLUMNS,
    documented_points,
    results_by_year,
    timeline,
    timeline_years,
)
from helpers import synthetic as syn
from layers import REGISTRY

YEARS = range(1990, 2027)
TODAY = 2026
ALL_STATUSES = ("open", "construction", "proposed", "cancelled", "disused", "abandoned")


@cache
def yrd() -> Source:
    return load_source("yrd", layer_names=tuple(REGISTRY))


def assert_same_result(fast: CrossingResult, slow: CrossingResult, year: int) -> None:
    """Interfaces, summary, along rows and warnings (the clipped-line one too) equal."""
    assert_geodataframe_equal(fast.interfaces, slow.interfaces)
    assert_frame_equal(fast.summary, slow.summary, obj=f"summary {year}")
    assert_frame_equal(fast.along, slow.along, obj=f"along {year}")
    assert fast.warnings == slow.warnings, year
    assert fast.region_set.pairs.equals(slow.region_set.pairs)


@pytest.mark.parametrize(
    ("statuses", "region"),
    [(("open",), None), (("open", "construction"), "Zhejiang"), (ALL_STATUSES, "Shanghai")],
)
def test_every_year_1990_2026_on_yrd_equals_its_own_count(statuses, region):
    source = yrd()
    fast = results_by_year(
        source.layers, source.region_set, YEARS, statuses=statuses, region=region, data_year=TODAY
    )
    assert list(fast) == list(YEARS)
    for year in YEARS:
        slow = count_crossings(
            source.layers, source.region_set, as_of=year, statuses=statuses, region=region,
            data_year=TODAY,
        )
        assert_same_result(fast[year], slow, year)
    # Years whose networks are the same (same features, statuses and capacities) share one
    # result: there are no more results than distinct networks, and fewer than years.
    networks = set()
    for year in YEARS:
        stood = layers_at(source.layers, as_of=year, statuses=statuses, today=TODAY)
        networks.add(tuple(
            (name, tuple(map(str, frame[["id", "status", "capacity"]].itertuples(index=False))))
            for name, frame in stood.items() if not frame.empty
        ))  # fmt: skip
    assert len({id(r) for r in fast.values()}) <= len(networks) < len(YEARS)


# ------------------------------------------------------------------ a synthetic case


def _lifecycle(frame: gpd.GeoDataFrame, **columns: list[object]) -> gpd.GeoDataFrame:
    """Authored year-by-year columns (JSON objects, as the embedded dataset has them)."""
    out = frame.copy()
    for name, values in columns.items():
        out[name] = [json.dumps(v) if isinstance(v, dict) else v for v in values]
    return out


@cache
def synthetic() -> tuple[object, dict[str, gpd.GeoDataFrame]]:
    """Two regions side by side and an island, with links that change over the years.

    A road split at the border whose two halves open in different years (a joined stub), a
    divided road whose second carriageway opens later and widens, a road under
    construction then open, one that ceases (end_date), an overdue construction site, a
    bridge to the island in three pieces (two sea ends and a sea line) whose middle opens
    last, and a motorway that stops 400 m short of the border (a clipped line, warned)
    until its continuation opens.
    """
    regions = syn.regions(
        {"A": syn.box(0, 0, 10, 10), "B": syn.box(10, 0, 20, 10), "C": syn.box(30, 0, 35, 5)}
    )
    rows = [
        {"highway": "primary", "ref": "S1", "lanes": "2", "start_date": "2000",
         "geometry": syn.line((5, 5), (10, 5))},
        {"highway": "primary", "ref": "S1", "lanes": "2", "start_date": "2005",
         "geometry": syn.line((10, 5), (15, 5))},
        {"highway": "motorway", "ref": "G1", "lanes": "2", "oneway": "yes",
         "start_date": "1995", "geometry": syn.line((5, 2), (15, 2))},
        {"highway": "motorway", "ref": "G1", "lanes": "2", "oneway": "yes",
         "start_date": "2010", "geometry": syn.line((15, 2.05), (5, 2.05))},
        {"highway": "trunk", "name": "Built road", "geometry": syn.line((5, 8), (15, 8))},
        {"highway": "secondary", "name": "Closed road", "end_date": "2018", "start_date": "1992",
         "geometry": syn.line((5, 7), (15, 7))},
        {"highway": "construction", "construction": "primary", "opening_date": "2020",
         "name": "Late road", "geometry": syn.line((5, 6), (15, 6))},
        {"highway": "motorway", "ref": "S9", "lanes": "6", "bridge": "yes", "start_date": "2005",
         "geometry": syn.line((18, 3), (24, 3))},
        {"highway": "motorway", "ref": "S9", "lanes": "6", "bridge": "yes", "start_date": "2008",
         "geometry": syn.line((24, 3), (27, 3))},
        {"highway": "motorway", "ref": "S9", "lanes": "6", "bridge": "yes", "start_date": "2005",
         "geometry": syn.line((27, 3), (32, 3))},
        {"highway": "motorway", "ref": "S7", "lanes": "4", "start_date": "2001",
         "geometry": syn.line((5, 4), (9.6, 4))},
        {"highway": "motorway", "ref": "S7", "lanes": "4", "start_date": "2015",
         "geometry": syn.line((9.6, 4), (15, 4))},
    ]  # fmt: skip
    roads = syn.features("highways", rows)
    empty: dict[str, object] = {}
    roads = _lifecycle(
        roads,
        status_by_year=[
            empty, empty, empty, empty, {"1998": "construction", "2003": "open"},
            empty, empty, empty, empty, empty, empty, empty,
        ],
        capacity_by_year=[
            empty, empty, empty, {"2010": 2, "2015": 3}, {"1998": 4, "2012": 6},
            empty, empty, empty, empty, empty, empty, empty,
        ],
    )
    rail = syn.features(
        "railways",
        [{"railway": "rail", "tracks": "1", "start_date": "1993",
          "geometry": syn.line((5, 9), (15, 9))}],
    )  # fmt: skip
    rail = _lifecycle(rail, capacity_by_year=[{"1993": 1, "2007": 2}])
    return regions, {"highways": roads, "railways": rail}


@pytest.mark.parametrize(
    ("statuses", "region"),
    [(("open",), None), (("open", "construction"), "A"), (ALL_STATUSES, "B"),
     (("construction",), None)],
)  # fmt: skip
def test_every_year_of_a_synthetic_history_equals_its_own_count(statuses, region):
    regions, layers = synthetic()
    years = range(1990, 2031)
    fast = results_by_year(
        layers, regions, years, statuses=statuses, region=region, data_year=TODAY
    )
    seen_pairs = set()
    for year in years:
        slow = count_crossings(
            layers, regions, as_of=year, statuses=statuses, region=region, data_year=TODAY
        )
        assert_same_result(fast[year], slow, year)
        seen_pairs |= set(zip(slow.interfaces["a"], slow.interfaces["b"]))
    if statuses == ("open",) and region is None:
        assert ("B", "C") in seen_pairs  # the bridge's three pieces make a link over water


def test_the_synthetic_history_goes_through_the_cases_it_is_made_for():
    regions, layers = synthetic()
    fast = results_by_year(layers, regions, [2004, 2006, 2009, 2016, 2019, 2022], data_year=TODAY)
    s1 = {y: r.interfaces[r.interfaces["ref"] == "S1"] for y, r in fast.items()}
    assert s1[2004].empty and len(s1[2006]) == 1  # the two halves joined once both are open
    g1 = fast[2016].interfaces.query("ref == 'G1'")
    assert g1["carriageways"].tolist() == [2] and g1["lanes"].tolist() == [5]
    assert fast[2006].interfaces.query("ref == 'S9'").empty  # the middle piece opens in 2008
    assert fast[2009].interfaces.query("ref == 'S9'")["via"].tolist() == ["water"]
    assert "Closed road" not in set(fast[2019].interfaces["name"])
    late = fast[2022]
    assert any("still tagged as under construction" in w.en for w in late.warnings)
    # S7 stops 400 m short of the border until its continuation opens in 2015.
    clipped = {
        y: any("400 m short of a border" in w.en for w in r.warnings) for y, r in fast.items()
    }
    assert clipped == {2004: True, 2006: True, 2009: True, 2016: False, 2019: False, 2022: False}
    assert fast[2016].interfaces.query("ref == 'S7'")["lanes"].tolist() == [4]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year=st.integers(1990, 2026), construction=st.booleans())
def test_the_timeline_at_a_year_is_the_overview_of_that_year(year, construction):
    source = yrd()
    statuses = ("open", "construction") if construction else ("open",)
    line = timeline(
        source.layers, source.region_set, first_year=year, last_year=year, statuses=statuses,
        region="Zhejiang", data_year=TODAY, coverage=source.coverage,
    )  # fmt: skip
    view = overview(
        source.layers, source.region_set, as_of=year, statuses=statuses, region="Zhejiang",
        data_year=TODAY, coverage=source.coverage,
    )  # fmt: skip
    rows = line.rows.drop(columns="year").reset_index(drop=True)
    assert_frame_equal(rows, view.totals)
    assert set(line.rows["year"]) == {year}
    assert line.rows["partly"].any()  # the dataset's borders partly covered say so
    assert line.coverage_notes == view.coverage_notes


def test_the_timeline_says_which_borders_are_partly_covered_and_why():
    source = yrd()
    line = timeline(
        source.layers, source.region_set, first_year=2004, last_year=2008, region="Zhejiang",
        data_year=TODAY, coverage=source.coverage,
    )  # fmt: skip
    for year in (2004, 2008):
        summary = count_crossings(
            source.layers, source.region_set, as_of=year, region="Zhejiang", data_year=TODAY,
            coverage=source.coverage,
        ).summary  # fmt: skip
        partly = summary[summary["covered"] & summary["partly"]]
        expected = set(zip(partly["a"], partly["b"], partly["layer"]))
        rows = line.rows[(line.rows["year"] == year) & line.rows["partly"]]
        assert set(zip(rows["a"], rows["b"], rows["layer"])) == expected, year
    notes = source.coverage.notes("Zhejiang", "Anhui", ["highways", "railways", "waterways",
                                                        "pipelines"])  # fmt: skip
    text = render_border_table(line, "table", source="yrd", attribution="")
    assert "highways   2004  " in text and ", partly covered" in text
    for _, _, note in notes:
        assert f"2004-2008: {note.en}" in text and f"2004-2008: {note.zh}" in text
    table = pd.read_csv(io.StringIO(render_border_table(line, "csv", source="", attribution="")
                                    .removeprefix(BOM).partition("\n\n")[0]))  # fmt: skip
    assert list(table.columns[:3]) == ["year", "basis", "statuses"]
    assert set(table["basis"]) == {"open"}
    anhui = table[(table["b"] == "Anhui") & (table["layer"] == "highways")]
    cover = source.coverage.cover("Zhejiang", "Anhui", "highways")
    reason = source.coverage.reason(cover, "highways")
    assert anhui["partly"].all() and anhui["coverage_note_en"].str.contains(
        reason.en, regex=False
    ).all()
    data = json.loads(render_border_table(line, "json", source="yrd", attribution=""))
    assert [n["note"] for n in data["coverage"]] == [n.note.as_dict() for n in line.coverage_notes]


def test_a_whole_timeline_has_one_row_per_year_border_and_layer():
    source = yrd()
    line = timeline(
        source.layers, source.region_set, first_year=2000, last_year=2010,
        statuses=("open", "construction"), region="Zhejiang", data_year=TODAY,
        folder=source.folder,
    )  # fmt: skip
    assert list(line.rows.columns) == TIMELINE_COLUMNS
    assert len(line.rows) == 11 * 5 * 5  # 11 years, 5 borders of Zhejiang, 4 layers + ports
    highways = line.rows.query("b == 'Shanghai' and layer == 'highways'").set_index("year")
    assert highways.loc[2006, "interfaces"] == 4 and highways.loc[2006, "capacity"] == 26
    assert highways.loc[2000, "interfaces"] == 1
    ports = line.rows.query("b == 'Shanghai' and layer == 'ports'").set_index("year")
    assert ports.loc[2004, "interfaces"] == 0
    # TEU by year: the design capacity of the phases open each year, as the data author it
    authored = json.loads(source.layers["ports"].iloc[0]["teu_by_year"])
    history = {int(y): v for y, v in authored.items()}
    for year in range(2005, 2011):
        assert ports.loc[year, "teu"] == history[max(y for y in history if y <= year)]
    assert ports.loc[2005, "teu"] < ports.loc[2006, "teu"] < ports.loc[2010, "teu"]
    assert line.caption["zh"].startswith("2000—2010 年，")  # one dash per language
    assert line.caption["en"].startswith("2000–2010, ")


def test_the_documented_figures_are_points_of_the_timeline():
    source = yrd()
    points = documented_points(source.folder, region="Zhejiang", layers=list(source.layers))
    assert list(points.columns) == DOCUMENTED_COLUMNS
    lanes = points.query("b == 'Shanghai' and measure == 'lanes'").iloc[0]
    assert (lanes["column"], lanes["year"], lanes["value"]) == ("capacity", 2006, 22.0)
    assert lanes["class"] == "motorway" and lanes["statuses"] == "open+construction"
    assert set(points["a"]) == {"Zhejiang"}
    jiangsu = documented_points(source.folder, region="Jiangsu")
    assert set(jiangsu["a"]) == {"Jiangsu"} and set(jiangsu["b"]) == {"Zhejiang"}
    assert documented_points(None).empty
    assert documented_points(source.folder, region="Anhui").empty


def test_the_default_years_run_from_the_first_opening_to_the_data_year():
    source = yrd()
    first = min(
        int(frame["start_year"].min()) for frame in source.layers.values()
        if "start_year" in frame and frame["start_year"].notna().any()
    )  # the first opening of the data (the Shanghai–Nanjing railway's, in yrd)
    assert timeline_years(source.layers, data_year=2026) == (first, 2026)
    assert timeline_years({"highways": pd.DataFrame({"start_year": []})}, 2020) == (2020, 2020)


@pytest.mark.parametrize(
    ("first", "last", "needle"),
    [
        (2024, 2006, "earlier year first"),
        (1700, 2006, "from 1800 to 2100"),
        (float("nan"), 2006, "got nan"),
        (2006, 2101, "from 1800 to 2100"),
    ],
)
def test_bad_years_are_one_sentence(first, last, needle):
    source = yrd()
    with pytest.raises(InvalidParameterError, match=needle) as caught:
        timeline(source.layers, source.region_set, first_year=first, last_year=last)
    assert "\n" not in str(caught.value)


def test_a_timeline_from_results_kept_elsewhere_is_the_same_timeline():
    # The page counts every year once (results_by_year) for its comparisons and builds the
    # timeline from those results instead of counting again.
    source = yrd()
    args = dict(statuses=("open",), region="Zhejiang", data_year=TODAY)
    kept = results_by_year(source.layers, source.region_set, range(1995, 2013), **args)
    given = timeline(
        source.layers, source.region_set, first_year=2000, last_year=2010, results=kept,
        folder=source.folder, **args,
    )  # fmt: skip
    counted = timeline(
        source.layers, source.region_set, first_year=2000, last_year=2010,
        folder=source.folder, **args,
    )  # fmt: skip
    assert_frame_equal(given.rows, counted.rows)
    assert_frame_equal(given.documented, counted.documented)
    with pytest.raises(InvalidParameterError, match="lack the year"):
        timeline(
            source.layers, source.region_set, first_year=1990, last_year=2010, results=kept,
            **args,
        )  # fmt: skip
