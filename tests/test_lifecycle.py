"""OSM lifecycle tags become a status per year; overdue construction is flagged and warned."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.lifecycle import layers_at, overdue_at, status_at, value_at, year_range
from helpers import synthetic as syn
from layers import LINE_LAYERS, get_layer

TODAY = 2026


def _frame(rows: list[dict[str, str]], layer: str = "highways") -> pd.DataFrame:
    spec = get_layer(layer)
    out = [spec.normalise(tags, feature_id=f"t:{n}", source="t") for n, tags in enumerate(rows)]
    assert all(out), rows
    return pd.DataFrame(out)


def _status(tags: dict[str, str], year: int | None, layer: str = "highways") -> str:
    return status_at(_frame([tags], layer), year, today=TODAY).iloc[0]


@pytest.mark.parametrize(
    ("tags", "years"),
    [
        # Open now, with an opening year: open from it, not in the network before it.
        ({"highway": "motorway", "start_date": "2008-05-01"},
         {2007: "", 2008: "open", 2030: "open", None: "open"}),
        ({"highway": "motorway", "opening_date": "2008"}, {2007: "", 2008: "open"}),
        # start_date wins over a leftover opening_date on an open road.
        ({"highway": "motorway", "start_date": "2009", "opening_date": "2008"},
         {2008: "", 2009: "open"}),
        # Open, no dates: open in every year (nothing better is known).
        ({"highway": "primary"}, {1950: "open", 2030: "open"}),
        # Under construction, expected to open in the future: a projection.
        ({"highway": "construction", "construction": "motorway", "opening_date": "2028"},
         {2020: "construction", 2027: "construction", 2028: "open", None: "construction"}),
        # start_date on a construction site is the start of works.
        ({"highway": "construction", "construction": "motorway", "start_date": "2021",
          "opening_date": "2028"},
         {2020: "", 2021: "construction", 2027: "construction", 2028: "open"}),
        ({"construction:highway": "trunk", "start_date": "2021"},
         {2020: "", 2021: "construction", 2040: "construction"}),
        # A start_date after this year cannot be a start of works on a site already under
        # construction: it is the expected opening.
        ({"highway": "construction", "construction": "motorway", "start_date": "2029"},
         {2026: "construction", 2028: "construction", 2029: "open"}),
        # Overdue: the opening year has passed, the data still says construction.
        ({"highway": "construction", "construction": "motorway", "opening_date": "2020"},
         {2019: "construction", 2020: "construction", 2030: "construction"}),
        # An opening expected this year is not overdue yet and counts as open from it.
        ({"highway": "construction", "construction": "motorway", "opening_date": "2026"},
         {2025: "construction", 2026: "open", None: "construction"}),
        # Proposed: the tagged status in every year, whatever the dates.
        ({"highway": "proposed", "proposed": "motorway", "opening_date": "2030"},
         {2020: "proposed", 2035: "proposed"}),
        ({"proposed:highway": "primary"}, {2000: "proposed"}),
        # end_date: in use before it, disused or abandoned from it.
        ({"railway": "abandoned", "abandoned:railway": "rail", "start_date": "1900",
          "end_date": "1970"},
         {1899: "", 1900: "open", 1969: "open", 1970: "abandoned", None: "abandoned"}),
        ({"railway": "disused", "disused": "rail", "end_date": "1995"},
         {1950: "open", 1995: "disused"}),
        ({"razed:railway": "rail", "end_date": "1960"}, {1959: "open", 1960: "abandoned"}),
        ({"railway": "disused", "disused": "rail"}, {1950: "disused"}),
        ({"railway": "rail", "start_date": "1909", "end_date": "2030"},
         {1908: "", 1909: "open", 2029: "open", 2030: "disused"}),
    ],
)
def test_status_at_years(tags, years):
    layer = "railways" if any("railway" in k for k in tags) else "highways"
    for year, expected in years.items():
        assert _status(tags, year, layer) == expected, (tags, year)


def test_years_read_from_tags():
    spec = get_layer("highways")
    building = spec.normalise(
        {"highway": "construction", "construction": "motorway", "start_date": "2021",
         "opening_date": "2028", "check_date": "2025-03-01"},
        feature_id="x",
        source="t",
    )
    opened = spec.normalise(
        {"highway": "motorway", "start_date": "2008", "end_date": "2040"},
        feature_id="x",
        source="t",
    )
    assert (building["start_year"], building["works_start_year"], building["check_year"]) == (
        2028, 2021, 2025,
    )
    assert (opened["start_year"], opened["works_start_year"], opened["end_year"]) == (
        2008, None, 2040,
    )


def test_authored_history_wins_and_is_never_overdue():
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "status": ["construction", "open"],
            "start_year": [2010, 1998],
            "status_by_year": ['{"2006": "proposed", "2017": "construction"}', "{}"],
            "capacity": [None, 8],
            "capacity_by_year": ["{}", '{"1998": 4, "2005": 8}'],
        }
    )
    assert status_at(frame, 2006, today=TODAY).tolist() == ["proposed", "open"]
    assert status_at(frame, 2005, today=TODAY).tolist() == ["", "open"]
    # An empty history falls back on start_year: not in the network before it.
    assert status_at(frame, 1990, today=TODAY).tolist() == ["", ""]
    assert status_at(frame, 2020, today=TODAY).tolist() == ["construction", "open"]
    assert value_at(frame, "capacity", 2000).iloc[1] == 4
    assert value_at(frame, "capacity", 2006).iloc[1] == 8
    assert not overdue_at(frame, 2020, today=TODAY).any()


def test_value_at_reads_any_column_by_year():
    """One reader for every ``<column>_by_year``: capacity, TEU, or a column with none."""
    frame = pd.DataFrame(
        {
            "capacity": [9, 2],
            "capacity_by_year": ['{"2005": 5, "2006": 9}', "{}"],
            "teu": [4.3e6, None],
            "teu_by_year": ['{"2005": 2.2e6, "2006": 4.3e6}', ""],
        },
        index=[10, 20],
    )
    assert value_at(frame, "capacity", 2005).tolist() == [5, 2]
    assert value_at(frame, "teu", 2005).tolist()[0] == 2.2e6
    assert value_at(frame, "teu", 2006).tolist()[0] == 4.3e6
    # Before the first year of a history: missing, not the current value.
    assert value_at(frame, "teu", 2004).iloc[0] is None
    # The current value when no year is asked, or the row has no history.
    assert value_at(frame, "capacity", None).tolist() == [9, 2]
    assert value_at(frame, "capacity", 2004).iloc[1] == 2
    # A column the frame lacks: missing for every row, same index, named after the column.
    absent = value_at(frame, "diameter", 2006)
    assert absent.isna().all() and list(absent.index) == [10, 20] and absent.name == "diameter"


@pytest.mark.parametrize(
    ("tags", "as_of", "overdue"),
    [
        ({"highway": "construction", "construction": "motorway", "opening_date": "2020"},
         None, True),
        ({"highway": "construction", "construction": "motorway", "opening_date": "2020"},
         2022, True),
        ({"highway": "construction", "construction": "motorway", "opening_date": "2020"},
         2020, True),
        # Not due yet in the year asked about.
        ({"highway": "construction", "construction": "motorway", "opening_date": "2020"},
         2019, False),
        # The expected opening is this year or later: not overdue, whatever the year asked.
        ({"highway": "construction", "construction": "motorway", "opening_date": "2026"},
         None, False),
        ({"highway": "construction", "construction": "motorway", "opening_date": "2028"},
         2030, False),
        # No expected opening, or a works start only: nothing is overdue.
        ({"highway": "construction", "construction": "motorway"}, None, False),
        ({"highway": "construction", "construction": "motorway", "start_date": "2015"},
         None, False),
        # Open features are never overdue.
        ({"highway": "motorway", "opening_date": "2020"}, None, False),
        ({"railway": "construction", "construction": "rail", "highspeed": "yes",
          "opening_date": "2019"}, None, True),
    ],
)
def test_overdue_at(tags, as_of, overdue):
    layer = "railways" if "railway" in tags else "highways"
    flags = overdue_at(_frame([tags], layer), as_of, today=TODAY)
    assert flags.dtype == bool and flags.name == "overdue"
    assert flags.iloc[0] is overdue or bool(flags.iloc[0]) == overdue


def test_overdue_uses_the_current_year_by_default():
    frame = _frame([{"highway": "construction", "construction": "motorway",
                     "opening_date": "2000"}])
    assert overdue_at(frame).tolist() == [True]
    assert overdue_at(frame.iloc[:0]).tolist() == []


def _two_regions():
    return syn.regions({"West": syn.box(0, 0, 50, 50), "East": syn.box(50, 0, 100, 50)})


def test_count_crossings_warns_once_per_layer_and_flags_interfaces():
    late = {"highway": "construction", "construction": "motorway", "opening_date": "2001"}
    highways = syn.features(
        "highways",
        [
            {**late, "name": "Late A", "geometry": syn.line((10, 10), (90, 10))},
            {**late, "name": "Late B", "check_date": "2024",
             "geometry": syn.line((10, 20), (90, 20))},
            {"highway": "primary", "name": "Open", "geometry": syn.line((10, 30), (90, 30))},
        ],
    )
    railways = syn.features(
        "railways",
        [{"railway": "construction", "construction": "rail", "opening_date": "2003",
          "geometry": syn.line((10, 40), (90, 40))}],
    )
    result = count_crossings(
        {"highways": highways, "railways": railways},
        _two_regions(),
        statuses=("open", "construction"),
    )
    overdue = [w.en for w in result.warnings if "opening date" in w.en]
    assert len(overdue) == 2  # one per layer
    highway_warning = next(w for w in overdue if w.startswith("2 highways"))
    assert "test:0" in highway_warning and "test:1" in highway_warning
    assert "(2001)" in highway_warning and "1 of them were checked after" in highway_warning
    assert any(w.startswith("1 railways") and "(2003)" in w for w in overdue)
    flags = dict(zip(result.interfaces["name"], result.interfaces["overdue"]))
    assert flags == {"Late A": True, "Late B": True, "Open": False, "": True}
    # Overdue features are counted as under construction, never as open.
    assert set(result.interfaces.loc[result.interfaces["overdue"], "status"]) == {"construction"}


def test_no_overdue_warning_without_overdue_features():
    highways = syn.features(
        "highways",
        [{"highway": "primary", "opening_date": "2001", "geometry": syn.line((10, 10), (90, 10))}],
    )
    result = count_crossings({"highways": highways}, _two_regions(), as_of=2005)
    assert not any("opening date" in w.en for w in result.warnings)
    assert result.interfaces["overdue"].tolist() == [False]
    before = count_crossings({"highways": highways}, _two_regions(), as_of=2000)
    assert before.interfaces.empty and "overdue" in before.interfaces.columns


@pytest.mark.shared
def test_real_andorra_extract_has_no_dates_so_years_change_nothing(andorra_path):
    from geo.io.sources import load_source

    source = load_source(str(andorra_path), region="Andorra", layer_names=["highways"])
    roads = source.layers["highways"]
    building = roads[roads["status"] == "construction"]
    assert len(building) == 2 and set(building["class"]) == {"primary"}
    # The 2013 extract carries no lifecycle dates: a year leaves every status as tagged
    # and nothing is overdue.
    assert status_at(roads, 2013, today=TODAY).tolist() == roads["status"].tolist()
    assert not overdue_at(roads).any()


def test_an_extract_is_read_as_of_its_own_year(monaco_path):
    """A construction site due to open after the extract was made is not overdue, even
    though that year is long past today: the tags describe the extract's year."""
    from geo.analysis import count_crossings
    from geo.io.sources import load_source

    source = load_source(str(monaco_path), region="Monaco", layer_names=("highways",))
    assert source.data_year == 2012  # the newest way of the extract: 2012-06-29
    roads = source.layers["highways"]
    site = roads.index[roads["id"] == "osm:way/93207286"][0]  # Boulevard d'Italie, at the border
    roads.loc[site, ["status", "start_year"]] = ["construction", 2014]
    both = ("open", "construction")
    then = count_crossings(
        source.layers, source.region_set, region="Monaco", statuses=both,
        data_year=source.data_year,
    )
    now = count_crossings(source.layers, source.region_set, region="Monaco", statuses=both)
    late = "still tagged as under construction although their opening date (2014) has passed"
    assert not any(late in w.en for w in then.warnings)
    assert any(late in w.en for w in now.warnings)
    assert not then.interfaces["overdue"].any() and now.interfaces["overdue"].sum() >= 1


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd", layer_names=LINE_LAYERS)


def test_layers_at_keeps_what_count_crossings_counts(yrd):
    old = layers_at(yrd.layers, as_of=2006, statuses=("open",))
    now = layers_at(yrd.layers, statuses=("open",))
    assert len(old["highways"]) < len(now["highways"])
    assert set(old["highways"]["status"]) == {"open"}
    result = count_crossings(yrd.layers, yrd.region_set, as_of=2006)
    counted = set(result.interfaces["source_ids"].str.split(";").explode())
    drawn = set(pd.concat(old.values())["id"])
    assert counted <= drawn


def test_year_range_spans_the_opening_years(yrd):
    first, last = year_range(yrd.layers)
    assert first <= 2006 <= last
    assert year_range({"x": pd.DataFrame({"start_year": [None]})}) is None
