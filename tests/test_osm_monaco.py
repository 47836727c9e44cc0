"""Monaco 2012: its land border with France, against facts read off the raw data.

The expected ways were established by inspecting the extract way by way (which ways have
vertices on both sides of Monaco's relation r36990, how deep each side goes, and which
ways end at a border node and continue beyond it), not from this engine's output.
"""

from __future__ import annotations

import pytest

from geo.analysis import count_crossings
from geo.io.sources import load_source

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def result(monaco_path):
    source = load_source(str(monaco_path), region="Monaco")
    return count_crossings(source.layers, source.region_set, region="Monaco")


def groups(result, layer, classes=None):
    frame = result.interfaces[result.interfaces["layer"] == layer]
    if classes:
        frame = frame[frame["class"].isin(classes)]
    return {
        frozenset(s.replace("osm:way/", "") for s in ids.split(";")) for ids in frame["source_ids"]
    }


def summary_row(result, layer, cls):
    summary = result.summary
    [row] = summary[(summary["layer"] == layer) & (summary["class"] == cls)].to_dict("records")
    return row


def test_monaco_relation_is_complete_with_one_land_neighbour(result):
    regions = result.region_set.regions
    assert list(regions["name"]) == ["Monaco"] and bool(regions["complete"].iat[0])
    pairs = result.region_set.pairs
    assert pairs[["a", "b", "kind"]].values.tolist() == [
        ["Monaco", "France métropolitaine", "land"]
    ]
    # Its five land-border ways measure 5,331 m on the ellipsoid.
    assert pairs["border_km"].iat[0] == pytest.approx(5.331, abs=0.02)
    kinds = result.region_set.stretches["kind"].value_counts().to_dict()
    assert kinds == {"coast": 16, "land": 5}


def test_main_roads_are_the_five_real_crossing_places(result):
    assert groups(result, "highways", ["primary"]) == {
        frozenset({"4225001", "166558487"}),  # Basse Corniche D 6098, split at border node
        frozenset({"93207286", "93209286"}),  # Boulevard d'Italie, two one-way carriageways
        frozenset({"93137558"}),  # Boulevard du Larvotto
        frozenset({"92627442"}),  # Tunnel vers Nationale 7
        frozenset({"38545597"}),  # Boulevard du Jardin Exotique
    }
    main = result.interfaces[result.interfaces["class"] == "primary"].set_index("name")
    assert main.loc["Boulevard d'Italie", "carriageways"] == 2
    assert bool(main.loc["Boulevard d'Italie", "bridge"])
    assert main.loc["Basse Corniche", "carriageways"] == 1
    assert main.loc["Basse Corniche", "ref"] == "D 6098"
    assert (
        main.loc["Tunnel vers Nationale 7", "lanes"],
        bool(main.loc["Tunnel vers Nationale 7", "tunnel"]),
    ) == (2, True)
    # The Basse Corniche interface is the shared node 1780074682 on the border.
    assert (main.loc["Basse Corniche", "lon"], main.loc["Basse Corniche", "lat"]) == pytest.approx(
        (7.4120021, 43.7281152), abs=1e-6
    )


def test_slip_road_and_minor_roads_are_reported_separately(result):
    assert groups(result, "highways", ["link"]) == {frozenset({"4230085"})}
    minor = groups(result, "highways", ["minor"])
    assert minor == {
        # Ways with both sides at least 5 m deep:
        *(
            frozenset({w})
            for w in [
                "4230099",
                "93207287",
                "24668403",
                "38545596",
                "67923339",
                "68814578",
                "155880673",
                "158189830",
                "158189831",
                "167625742",
                "158215200",
                "158215201",
                "120113157",
                "67923336",
            ]
        ),
        frozenset({"143536261", "143536279"}),  # Boulevard d'Alsace and its unnamed return leg
        # Ways ending a metre or two past the border, continued by a way deep into France:
        frozenset({"158189825", "158189824"}),  # Route de la Plage Marquet (continues 482 m)
        frozenset({"167014921", "167014922"}),  # continues 46 m
        frozenset({"164338242", "24668161"}),  # Boulevard du Général Leclerc (continues 72 m)
    }
    assert summary_row(result, "highways", "primary")["interfaces"] == 5
    assert summary_row(result, "highways", "minor")["interfaces"] == 18


def test_streets_along_the_border_and_piers_are_not_crossings(result):
    counted = set().union(*groups(result, "highways"))
    # Streets the border runs down (one side never more than 5 m deep), piers and
    # port roads that only cross the coastline, and footways (not in the highways layer).
    for way in [
        "4230182",
        "157719669",
        "158189826",
        "164338238",
        "164338240",
        "8135891",
        "24668173",
        "24672725",
        "164338243",
        "120645014",
        "156780348",
        "31900636",
        "150050283",
        "156780350",
        "61121485",
    ]:
        assert way not in counted


def test_railway_in_tunnel_and_no_waterway(result):
    rail = result.interfaces[result.interfaces["layer"] == "railways"]
    assert rail["source_ids"].tolist() == ["osm:way/4978262"]
    assert bool(rail["tunnel"].iat[0])
    assert result.interfaces[result.interfaces["layer"] == "waterways"].empty


def test_lanes_missing_are_counted_not_guessed(result):
    primary = summary_row(result, "highways", "primary")
    # Only the N7 tunnel carries lanes=2 among the crossing main roads.
    assert (primary["lanes"], primary["lanes_missing"]) == (2, 4)


def test_chunks_and_worker_processes_give_the_same_interfaces(monaco_path, result):
    source = load_source(str(monaco_path), region="Monaco")
    serial = count_crossings(source.layers, source.region_set, region="Monaco", chunk_lines=100)
    parallel = count_crossings(source.layers, source.region_set, region="Monaco",
                               chunk_lines=100, workers=2)
    columns = [c for c in result.interfaces.columns if c != "geometry"]
    assert serial.interfaces[columns].equals(result.interfaces[columns])
    assert parallel.interfaces[columns].equals(result.interfaces[columns])
    # Loose ends are judged within a chunk (see geo.loose_ends): same chunks, same warnings.
    assert parallel.warnings == serial.warnings
