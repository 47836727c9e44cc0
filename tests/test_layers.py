"""Every layer module has the same shape; tags become the common schema as documented."""

from __future__ import annotations

import pytest

import layers
from geo.errors import InvalidParameterError, JieguiError, layer_spec
from layers import COMMON_COLUMNS, LINE_LAYERS, OSM_LAYERS, REGISTRY, get_layer, total_capacity
from layers.base import LayerSpec, lifecycle, normalise_refs, parse_count, parse_oneway, parse_year
from layers.ports import parse_teu


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_layer_has_the_same_shape(name):
    spec = REGISTRY[name]
    assert isinstance(spec, LayerSpec) and spec.name == name
    assert spec.geometry in ("line", "point")
    assert spec.capacity_total in ("sum", "min", "max")
    # Every layer but those OpenStreetMap does not hold (cities: a document's figures) is
    # read from OSM tags; those are left out of OSM reading and fetching.
    assert (bool(spec.osm_tags) or name not in OSM_LAYERS) and spec.capacity_unit and spec.label


def test_line_layers_and_unknown_layer():
    assert LINE_LAYERS == ("highways", "railways", "waterways", "pipelines")
    with pytest.raises(layers.UnknownLayerError, match="choose from highways") as raised:
        get_layer("roads")
    assert not isinstance(raised.value, JieguiError)  # layers does not know geo's errors


def test_geo_looks_layers_up_with_its_own_error():
    assert layer_spec("ports") is REGISTRY["ports"]
    with pytest.raises(JieguiError) as raised:
        layer_spec("roads")
    assert isinstance(raised.value, InvalidParameterError)
    assert isinstance(raised.value, layers.UnknownLayerError)
    assert str(raised.value) == (
        "Unknown layer 'roads'; choose from highways, railways, waterways, ports, pipelines, "
        "cities."
    )


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
        (" 3 ", (3, "")),
        (None, (None, "missing")),
        ("", (None, "missing")),
        ("2;3", (2, "smallest of '2;3'")),
        ("3;2;4", (2, "smallest of '3;2;4'")),
        ("2-3", (2, "smallest of '2-3'")),
        ("3 - 2", (2, "smallest of '3 - 2'")),
        ("2.5", (None, "unparsed value '2.5'")),
        ("many", (None, "unparsed value 'many'")),
        ("-1", (None, "unparsed value '-1'")),
        ("0", (None, "unparsed value '0'")),
        ("0;2", (None, "unparsed value '0;2'")),
        ("2;many", (None, "unparsed value '2;many'")),
        ("2-", (None, "unparsed value '2-'")),
    ],
)
def test_counts_are_parsed_or_flagged(raw, expected):
    assert parse_count(raw) == expected


def _highway(**tags):
    return get_layer("highways").normalise(
        {"highway": "primary", **tags}, feature_id="x", source="t"
    )


@pytest.mark.parametrize(
    ("tags", "capacity", "note"),
    [
        ({"lanes": "4"}, 4, ""),
        ({"lanes": "2;3"}, 2, "smallest of '2;3'"),
        ({"lanes": "2-3"}, 2, "smallest of '2-3'"),
        ({"lanes": "2.5"}, None, "unparsed value '2.5'"),
        ({"lanes": "many"}, None, "unparsed value 'many'"),
        ({"lanes": "-1"}, None, "unparsed value '-1'"),
        ({}, None, "missing"),
        # Two-way roads: the directional tags add up only when both directions are given.
        ({"lanes:forward": "2", "lanes:backward": "1"}, 3, "lanes:forward + lanes:backward"),
        (
            {"lanes:forward": "2", "lanes:backward": "2", "lanes:both_ways": "1"},
            5,
            "lanes:forward + lanes:backward + lanes:both_ways",
        ),
        ({"lanes:forward": "2"}, None, "missing"),
        ({"lanes:both_ways": "1"}, None, "missing"),
        ({"lanes": "3", "lanes:forward": "2"}, 3, ""),
        (
            {"lanes": "4", "lanes:forward": "2", "lanes:backward": "1"},
            4,
            "lanes=4 kept; lanes:forward + lanes:backward gives 3",
        ),
        ({"lanes": "3", "lanes:forward": "2", "lanes:backward": "1"}, 3, ""),
        # One-way carriageways: lanes, else the lanes of their direction.
        ({"oneway": "yes", "lanes": "3"}, 3, ""),
        ({"oneway": "yes", "lanes:forward": "2"}, 2, "from lanes:forward"),
        ({"oneway": "-1", "lanes:backward": "2", "lanes:forward": "9"}, 2, "from lanes:backward"),
        (
            {"oneway": "yes", "lanes:forward": "2;3"},
            2,
            "from lanes:forward, smallest of '2;3'",
        ),
        ({"oneway": "yes", "lanes:backward": "2"}, None, "missing"),
    ],
)
def test_lanes_rule(tags, capacity, note):
    attrs = _highway(**tags)
    assert (attrs["capacity"], attrs["capacity_note"]) == (capacity, note)


@pytest.mark.parametrize(
    ("raw", "kmh"), [("80", 80), ("120;100", 120), ("50 mph", 80), ("CN:motorway", None)]
)
def test_a_road_s_speed_limit_is_kept_for_routing(raw, kmh):
    assert _highway(maxspeed=raw)["maxspeed_kmh"] == kmh
    assert _highway()["maxspeed_kmh"] is None


def test_raw_lane_tags_are_kept():
    attrs = _highway(**{"lanes": "2;3", "lanes:both_ways": "1"})
    assert (attrs["lanes_raw"], attrs["lanes_both_ways_raw"]) == ("2;3", "1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("G60; G15 ;", "G60;G15"),
        (" S32 ;;G60", "S32;G60"),
        ("G60;G60", "G60"),
        # Not separators: kept as one ref rather than split wrongly.
        ("E 45 / E 55", "E 45 / E 55"),
        ("A 8, E 52", "A 8, E 52"),
        ("D 2/1", "D 2/1"),
        ("", ""),
    ],
)
def test_refs_split_on_semicolons_only(raw, expected):
    assert normalise_refs(raw) == expected


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
    ("tags", "cls", "status"),
    [
        ({"railway": "rail"}, "conventional", "open"),
        ({"railway": "narrow_gauge"}, "conventional", "open"),
        ({"railway": "rail", "highspeed": "yes"}, "high_speed", "open"),
        ({"railway": "rail", "usage": "main", "maxspeed": "300"}, "high_speed", "open"),
        ({"railway": "rail", "usage": "main", "maxspeed": "200"}, "high_speed", "open"),
        ({"railway": "rail", "usage": "main", "maxspeed": "160;250"}, "high_speed", "open"),
        ({"railway": "rail", "usage": "main", "maxspeed": "125 mph"}, "high_speed", "open"),
        ({"railway": "rail", "usage": "main", "maxspeed": "100 mph"}, "conventional", "open"),
        ({"railway": "rail", "usage": "main", "maxspeed": "160"}, "conventional", "open"),
        ({"railway": "rail", "usage": "branch", "maxspeed": "250"}, "conventional", "open"),
        ({"railway": "rail", "maxspeed": "250"}, "conventional", "open"),
        (
            {"railway": "rail", "usage": "main", "maxspeed": "250",
             "railway:traffic_mode": "freight"},
            "conventional",
            "open",
        ),
        (
            {"railway": "rail", "usage": "main", "maxspeed": "250",
             "railway:traffic_mode": "passenger"},
            "high_speed",
            "open",
        ),
        # Service tracks are their own class, whatever else they carry.
        ({"railway": "rail", "service": "siding"}, "service", "open"),
        ({"railway": "rail", "service": "yard", "highspeed": "yes"}, "service", "open"),
        ({"railway": "rail", "service": "spur"}, "service", "open"),
        ({"railway": "rail", "service": "crossover", "usage": "main"}, "service", "open"),
        # Maglev variants.
        ({"railway": "maglev"}, "maglev", "open"),
        ({"railway": "monorail", "monorail": "maglev"}, "maglev", "open"),
        ({"railway": "rail", "maglev": "yes"}, "maglev", "open"),
        ({"railway": "monorail"}, "urban", "open"),
        ({"railway": "construction", "construction": "maglev"}, "maglev", "construction"),
        # Lifecycle forms.
        ({"railway": "construction", "construction": "rail"}, "conventional", "construction"),
        (
            {"railway": "construction", "construction": "rail", "highspeed": "yes"},
            "high_speed",
            "construction",
        ),
        ({"construction:railway": "rail", "highspeed": "yes"}, "high_speed", "construction"),
        ({"railway": "proposed", "proposed": "rail", "highspeed": "yes"}, "high_speed", "proposed"),
        ({"disused:railway": "rail"}, "conventional", "disused"),
        ({"railway": "subway"}, "urban", "open"),
        ({"railway": "funicular"}, "other", "open"),
    ],
)
def test_railway_classes(tags, cls, status):
    attrs = get_layer("railways").normalise(tags, feature_id="x", source="t")
    assert (attrs["class"], attrs["status"]) == (cls, status)


@pytest.mark.parametrize(
    "tags",
    [{"railway": "platform"}, {"railway": "disused"}, {"railway": "construction"}],
)
def test_not_railway_lines(tags):
    assert get_layer("railways").normalise(tags, feature_id="x", source="t") is None


def test_railway_keeps_usage_traffic_mode_and_speed():
    attrs = get_layer("railways").normalise(
        {"railway": "rail", "tracks": "1;2", "railway:traffic_mode": "mixed",
         "maxspeed": "186 mph", "usage": "main"},
        feature_id="x",
        source="t",
    )
    assert (attrs["capacity"], attrs["capacity_note"]) == (1, "smallest of '1;2'")
    assert (attrs["traffic_mode"], attrs["maxspeed_kmh"], attrs["class"]) == (
        "mixed", 299, "high_speed",
    )


@pytest.mark.parametrize(
    ("tags", "capacity", "note", "nsiw", "high", "cemt", "rank"),
    [
        ({"NSIW": "IV"}, 4, "", "IV", True, "", None),
        ({"NSIW": "iv"}, 4, "", "IV", True, "", None),
        ({"NSIW": "Ⅲ"}, 3, "", "III", True, "", None),
        ({"NSIW": "5"}, 5, "", "V", False, "", None),
        ({"NSIW": "VII"}, 7, "", "VII", False, "", None),
        ({"NSIW": "VIII"}, None, "unparsed value 'VIII'", "", False, "", None),
        # CEMT never becomes a capacity: its scale runs the other way.
        ({"CEMT": "Va"}, None, "CEMT class only", "", False, "Va", 5),
        ({"CEMT": "vib"}, None, "CEMT class only", "", False, "VIb", 8),
        ({"CEMT": "0"}, None, "CEMT class only", "", False, "0", 0),
        ({"CEMT": "VII"}, None, "CEMT class only", "", False, "VII", 10),
        ({"CEMT": "V"}, None, "CEMT class only", "", False, "", None),
        ({"NSIW": "II", "CEMT": "IV"}, 2, "", "II", True, "IV", 4),
        ({}, None, "missing", "", False, "", None),
    ],
)
def test_waterway_scales_are_kept_apart(tags, capacity, note, nsiw, high, cemt, rank):
    attrs = get_layer("waterways").normalise(
        {"waterway": "canal", **tags}, feature_id="x", source="t"
    )
    assert (attrs["capacity"], attrs["capacity_note"]) == (capacity, note)
    assert (attrs["nsiw_grade"], attrs["high_grade"]) == (nsiw, high)
    assert (attrs["cemt_class"], attrs["cemt_rank"]) == (cemt, rank)


def test_waterway_totals_take_the_best_nsiw_grade():
    assert get_layer("waterways").capacity_total == "min"
    assert total_capacity([4, 2, 6], "min") == 2


@pytest.mark.parametrize(
    ("tags", "cls", "capacity", "note"),
    [
        ({"substance": "gas", "diameter": "1016"}, "gas", 1016, ""),
        ({"substance": "gas", "diameter": "1016 mm"}, "gas", 1016, ""),
        ({"substance": "natural_gas", "diameter": "1016mm"}, "gas", 1016, ""),
        ({"type": "gas", "diameter": '40"'}, "gas", 1016, ""),
        ({"substance": "oil", "diameter": "40 in"}, "oil", 1016, ""),
        ({"substance": "crude_oil", "diameter": "1.016 m"}, "oil", 1016, ""),
        ({"substance": "water", "diameter": "101,6 cm"}, "water", 1016, ""),
        ({"substance": "gas", "diameter": "1016;813"}, "gas", 813, "smallest of '1016;813'"),
        ({"substance": "gas", "diameter": "1,016"}, "gas", None, "unparsed value '1,016'"),
        ({"substance": "gas", "diameter": "big"}, "gas", None, "unparsed value 'big'"),
        ({"substance": "sewage"}, "other", None, "missing"),
        ({"substance": "Gas;oil"}, "gas", None, "missing"),
        ({}, "other", None, "missing"),
    ],
)
def test_pipeline_substance_and_diameter(tags, cls, capacity, note):
    attrs = get_layer("pipelines").normalise(
        {"man_made": "pipeline", **tags}, feature_id="x", source="t"
    )
    assert (attrs["class"], attrs["capacity"], attrs["capacity_note"]) == (cls, capacity, note)


def test_pipeline_location_and_lifecycle():
    spec = get_layer("pipelines")
    attrs = spec.normalise(
        {"man_made": "pipeline", "location": "underwater", "usage": "transmission"},
        feature_id="x",
        source="t",
    )
    assert (attrs["location"], attrs["usage"]) == ("underwater", "transmission")
    building = spec.normalise(
        {"construction:man_made": "pipeline", "substance": "gas"}, feature_id="x", source="t"
    )
    assert (building["class"], building["status"]) == ("gas", "construction")


@pytest.mark.parametrize(
    ("tags", "cls"),
    [
        ({"harbour": "yes"}, "port"),
        ({"landuse": "port"}, "port"),
        ({"landuse": "harbour"}, "port"),
        ({"industrial": "port"}, "port"),
        ({"seamark:type": "harbour"}, "port"),
        ({"seamark:type": "harbour", "seamark:harbour:category": "container;bulk"}, "container"),
        ({"seamark:type": "harbour", "seamark:harbour:category": "marina"}, "marina"),
        ({"harbour": "yes", "seamark:harbour:category": "marina;fishing"}, "port"),
        ({"harbour": "yes", "port:type": "container"}, "container"),
        ({"harbour": "yes", "teu": "2,200,000"}, "container"),
        ({"harbour": "harbour_master"}, None),
        ({"harbour": "customs"}, None),
        ({"harbour": "fuel", "amenity": "fuel"}, None),
        ({"harbour": "slipway", "highway": "service"}, None),
        ({"harbour": "no"}, None),
        ({"seamark:type": "buoy_lateral"}, None),
    ],
)
def test_port_classes(tags, cls):
    attrs = get_layer("ports").normalise(tags, feature_id="x", source="t")
    assert (attrs and attrs["class"]) == cls


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


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("2008-05-01", 2008),
        ("opened 1996", 1996),
        ("~1855", 1855),
        ("1860s", 1860),
        ("1914..1918", 1914),
        ("C18", None),
        ("soon", None),
        ("12008", None),
        (None, None),
    ],
)
def test_parse_year(raw, year):
    assert parse_year(raw) == year


def test_port_teu_parsing():
    assert parse_teu("2 200 000") == 2_200_000 and parse_teu("2200000") == 2_200_000
    assert parse_teu("2.2 million") is None and parse_teu(None) is None


def test_port_areas_tagged_by_landuse_are_ports():
    attrs = get_layer("ports").normalise({"landuse": "port", "name": "Yangshan"},
                                         feature_id="x", source="t")
    assert (attrs["class"], attrs["name"], attrs["status"]) == ("port", "Yangshan", "open")


@pytest.mark.shared
def test_real_monaco_harbour_facilities_are_not_ports(monaco_path):
    from geo.io.sources import load_source

    ports = load_source(str(monaco_path), layer_names=["ports"]).layers["ports"]
    # The 2012 extract's harbour=fuel node (a fuel station) and harbour=slipway way.
    assert "osm:node/1279818099" not in set(ports["id"])
    assert "osm:way/150050283" not in set(ports["id"])
