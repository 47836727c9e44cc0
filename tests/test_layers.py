"""Every layer module has the same shape; tags become the common schema as documented."""

from __future__ import annotations

import pytest

from geo.errors import InvalidParameterError
from layers import COMMON_COLUMNS, LINE_LAYERS, REGISTRY, get_layer
from layers.base import LayerSpec, lifecycle, normalise_refs, parse_count, parse_oneway, parse_year


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_layer_has_the_same_shape(name):
    spec = REGISTRY[name]
    assert isinstance(spec, LayerSpec) and spec.name == name
    assert spec.geometry in ("line", "point")
    assert spec.capacity_total in ("sum", "min", "max")
    assert spec.osm_tags and spec.capacity_unit and spec.label


def test_line_layers_and_unknown_layer():
    assert LINE_LAYERS == ("highways", "railways", "waterways", "pipelines")
    with pytest.raises(InvalidParameterError, match="choose from highways"):
        get_layer("roads")


def test_highway_normalisation_covers_the_common_columns():
    attrs = get_layer("highways").normalise(
        {
            "highway": "motorway",
            "ref": "G60; G15 ;",
            "lanes": "4",
            "bridge": "viaduct",
            "opening_date": "2008-05-01",
        },
        feature_id="osm:way/1",
        source="test",
    )
    assert set(COMMON_COLUMNS) <= set(attrs)
    assert (
        attrs["class"],
        attrs["ref"],
        attrs["oneway"],
        attrs["capacity"],
        attrs["bridge"],
        attrs["start_year"],
    ) == ("motorway", "G60;G15", 1, 4, True, 2008)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"highway": "construction", "construction": "motorway"}, ("motorway", "construction")),
        ({"construction:highway": "trunk"}, ("trunk", "construction")),
        ({"highway": "proposed", "proposed": "primary"}, ("primary", "proposed")),
        ({"highway": "primary"}, ("primary", "open")),
        ({"name": "x"}, (None, "")),
    ],
)
def test_lifecycle(tags, expected):
    assert lifecycle(tags, "highway") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", (3, "")),
        (None, (None, "missing")),
        ("2;3", (None, "unparsed value '2;3'")),
        ("2-3", (None, "unparsed value '2-3'")),
        ("0", (None, "unparsed value '0'")),
    ],
)
def test_counts_are_parsed_or_flagged(raw, expected):
    assert parse_count(raw) == expected


def test_two_way_lanes_from_directional_tags_and_oneway_variants():
    spec = get_layer("highways")
    attrs = spec.normalise(
        {"highway": "primary", "lanes:forward": "2", "lanes:backward": "1"},
        feature_id="x",
        source="t",
    )
    assert (attrs["capacity"], attrs["oneway"]) == (3, 0)
    assert parse_oneway("-1") == -1 and parse_oneway(None, implied=True) == 1
    assert parse_oneway("no", implied=True) == 0
    roundabout = spec.normalise(
        {"highway": "primary", "junction": "roundabout"}, feature_id="x", source="t"
    )
    assert roundabout["oneway"] == 1


def test_non_motor_ways_are_not_highways():
    spec = get_layer("highways")
    for value in ("footway", "path", "steps", "cycleway", "track"):
        assert spec.normalise({"highway": value}, feature_id="x", source="t") is None


@pytest.mark.parametrize(
    ("tags", "cls"),
    [
        ({"railway": "rail", "highspeed": "yes"}, "high_speed"),
        ({"railway": "rail", "usage": "main", "maxspeed": "300"}, "high_speed"),
        ({"railway": "rail", "usage": "main", "maxspeed": "160"}, "conventional"),
        ({"railway": "maglev"}, "maglev"),
        ({"railway": "monorail", "monorail": "maglev"}, "maglev"),
        ({"railway": "subway"}, "urban"),
        ({"railway": "construction", "construction": "rail"}, "conventional"),
    ],
)
def test_railway_classes(tags, cls):
    assert get_layer("railways").normalise(tags, feature_id="x", source="t")["class"] == cls


def test_waterway_grade_pipeline_substance_port_teu():
    water = get_layer("waterways").normalise(
        {"waterway": "canal", "NSIW": "iv"}, feature_id="x", source="t"
    )
    assert (water["class"], water["capacity"], water["waterway_class"]) == ("canal", 4, "iv")
    assert (
        get_layer("waterways").normalise({"waterway": "ditch"}, feature_id="x", source="t") is None
    )
    pipe = get_layer("pipelines").normalise(
        {"man_made": "pipeline", "substance": "gas", "diameter": "1016 mm"},
        feature_id="x",
        source="t",
    )
    assert (pipe["class"], pipe["capacity"]) == ("gas", 1016)
    port = get_layer("ports").normalise(
        {"harbour": "yes", "teu": "2200000", "berths": "15"}, feature_id="x", source="t"
    )
    assert (port["class"], port["capacity"], port["teu"]) == ("container", 15, 2200000)


def test_small_parsers():
    assert normalise_refs(" S32 ;;G60") == "S32;G60"
    assert parse_year("opened 1996") == 1996 and parse_year("soon") is None


def test_port_areas_tagged_by_landuse_are_ports():
    attrs = get_layer("ports").normalise({"landuse": "port", "name": "Yangshan"},
                                         feature_id="x", source="t")
    assert (attrs["class"], attrs["name"], attrs["status"]) == ("port", "Yangshan", "open")
