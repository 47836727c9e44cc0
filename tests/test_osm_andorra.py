"""Andorra 2013: an incomplete boundary relation and roads clipped before the border.

Facts read off the raw extract: relation r9407 misses ways 50344406 and 23305159 (a 4.4 km
gap north of Pas de la Casa); no main road has a node outside Andorra (CG-1 stops about
330 m short of Spain, CG-2 216-271 m short of France); the only road reaching Spain is the
unclassified way 27826413 towards Os de Civís; rivers Valira, Riu de Setúria and Riu d'Os
de Civís cross into or out of Spain, the stream Riu d'Engaït crosses where it runs along
the border.
"""

from __future__ import annotations

import pytest

from geo.analysis import count_crossings
from geo.io.sources import load_source

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def result(andorra_path):
    source = load_source(str(andorra_path), region="Andorra")
    return count_crossings(source.layers, source.region_set, region="Andorra")


def test_incomplete_relation_is_reported_and_closed_across_its_gap(result):
    [warning] = [w.en for w in result.warnings if "r9407" in w.en]
    assert "2 of 19 member ways are missing" in warning
    assert "4.42 km" in warning
    assert not bool(result.region_set.regions["complete"].iat[0])
    gaps = result.region_set.stretches[result.region_set.stretches["kind"] == "gap"]
    assert len(gaps) == 1
    assert sorted(result.region_set.pairs["b"]) == ["España", "France métropolitaine"]


def test_clipped_main_roads_are_warned_about_and_invent_no_crossing(result):
    [warning] = [w.en for w in result.warnings if "clipped" in w.en]
    assert warning.startswith("11 main highways line(s)")
    assert "osm:way/6176755" in warning  # CG-2, Túnel d'Envalira, 216 m short
    roads = result.interfaces[result.interfaces["layer"] == "highways"]
    assert roads["source_ids"].tolist() == ["osm:way/27826413"]
    assert roads[["b", "class"]].values.tolist() == [["España", "minor"]]


def test_rivers_into_spain_are_found(result):
    rivers = result.interfaces[result.interfaces["layer"] == "waterways"].set_index("name")
    assert set(rivers.index) == {"Valira", "Riu de Setúria", "Riu d'Os de Civís", "Riu d'Engaït"}
    assert set(rivers["b"]) == {"España"}
    assert (rivers.loc["Valira", "lon"], rivers.loc["Valira", "lat"]) == pytest.approx(
        (1.4728594, 42.4358331), abs=2e-4
    )
    assert rivers.loc["Riu d'Engaït", "class"] == "stream"


def test_nothing_is_counted_across_the_closed_gap(result):
    near_gap = result.interfaces[
        result.interfaces["lon"].between(1.73, 1.80)
        & result.interfaces["lat"].between(42.55, 42.58)
    ]
    assert near_gap.empty
