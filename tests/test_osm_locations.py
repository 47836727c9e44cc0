"""OSM node locations that are out of range or not a number: one sentence, whoever reads.

* ``fetch --osm-file`` on an ``.osm`` file refuses a highway whose nodes are out of range
  (osmnx, which read those files before, left it out of the band without a word, so the
  count was 0) and ``lat='nan'`` (osmnx let shapely print a RuntimeWarning), with the
  sentences of the pyosmium reader; the PBF path too;
* :func:`geo.io.osm_stream.read_osm` itself turns pyosmium's location errors into one
  sentence, whoever calls it, and refuses what it read out of range, even a way too broken
  to draw; nodes merely missing (an extract cut at its edge) are not an error.

Small files written here from ``tests/helpers/bad_inputs.py``'s OSM data; offline.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import pytest
import shapely

from geo.cli import main
from geo.errors import GeometryDataError, InputFileError, JieguiError
from geo.io.osm_features import features_from_file
from geo.io.osm_stream import read_osm
from helpers.bad_inputs import (
    BORDER_LON,
    EAST,
    NORTH,
    SOUTH,
    WEST,
    geojson_text,
    osm_pbf,
    osm_xml,
    regions_frame,
)

#: The highway of the base OSM data (way 20) runs from node 20 to node 21.
FAR_ROAD = {20: (120.9, 95.0), 21: (121.1, 95.0)}
#: A port node with a point layer's key, appended to the base data.
PORT_AT = "<node id='30' version='1' lat='{lat}' lon='121.0'><tag k='harbour' v='yes'/></node>"
#: A band around the base data's border (WGS84).
BAND = shapely.box(BORDER_LON - 0.1, SOUTH - 0.1, BORDER_LON + 0.1, NORTH + 0.1)


def run(argv: list[str]) -> tuple[int, list[str], list[str]]:
    """``python -m geo ARGV`` in this process: exit code, stderr's lines, Python warnings."""
    stderr = io.StringIO()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stderr(stderr),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        warnings.simplefilter("always")
        code = main(argv)
    return code, stderr.getvalue().strip().splitlines(), [str(w.message) for w in caught]


def refused(argv: list[str], *words: str) -> str:
    """Run; check exit 2, one ``jiegui:`` line last, no warning; return the sentence."""
    code, lines, caught = run(argv)
    assert code == 2, lines
    said = [line for line in lines if line.startswith("jiegui: ")]
    assert len(said) == 1 and lines[-1] == said[0], lines
    assert caught == [], caught
    sentence = said[0].removeprefix("jiegui: ")
    for word in words:
        assert word in sentence, (word, sentence)
    return sentence


def fetch_argv(osm: Path, out: Path, *more: str) -> list[str]:
    return ["fetch", "--osm-file", str(osm), "--layers", "highways", "--out", str(out), *more]


# ----------------------------------------------------- fetch --osm-file, osmnx path


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf"])
def test_fetch_refuses_a_highway_out_of_range_in_one_sentence(tmp_path, suffix):
    # The boundaries are fine (the regions come from the same file); only the road is
    # out of range, which osmnx (and the PBF reader's band) used to leave out silently.
    osm = tmp_path / f"far{suffix}"
    if suffix == ".osm":
        osm.write_text(osm_xml(nodes=FAR_ROAD), encoding="utf-8")
    else:
        osm_pbf(osm.name, osm_xml(nodes=FAR_ROAD))(tmp_path)
    out = tmp_path / "out" / "border.gpkg"
    out.parent.mkdir()
    sentence = refused(fetch_argv(osm, out), osm.name, "latitude", "node 20", "lat 95")
    assert "OSM editor" in sentence  # the fix, as the pyosmium reader words it
    assert str(tmp_path) not in sentence
    assert list(out.parent.iterdir()) == []


def test_fetch_refuses_a_nan_location_without_a_warning(tmp_path):
    # Regions from a GeoJSON, so that the OSM file is read by osmnx alone.
    regions = tmp_path / "regions.geojson"
    regions.write_text(geojson_text(regions_frame()), encoding="utf-8")
    osm = tmp_path / "nan.osm"
    osm.write_text(osm_xml(nodes={21: (121.1, "nan")}), encoding="utf-8")
    out = tmp_path / "border.gpkg"
    refused(fetch_argv(osm, out, "--boundaries", str(regions)), "nan.osm", "not a number")
    assert not out.exists()


def test_features_from_file_checks_locations_of_an_osm_xml_file(tmp_path):
    far = tmp_path / "far.osm"
    far.write_text(osm_xml(nodes={20: (120.9, 95.0)}), encoding="utf-8")  # one node of two
    with pytest.raises(GeometryDataError, match=r"far\.osm has 1 node\(s\) outside"):
        features_from_file(far, BAND, ["highways"])
    port = tmp_path / "port.osm"
    port.write_text(osm_xml(extra=PORT_AT.format(lat=95)), encoding="utf-8")
    with pytest.raises(GeometryDataError, match="node 30"):
        features_from_file(port, BAND, ["ports"])
    features_from_file(port, BAND, ["highways"])  # a port's key is not a highway's


def test_nodes_merely_missing_are_not_an_error_on_either_path(tmp_path):
    # An extract cut at its edge: the road's second node is not in the file.
    for suffix in (".osm", ".osm.pbf"):
        cut = tmp_path / f"cut{suffix}"
        if suffix == ".osm":
            cut.write_text(osm_xml(drop_nodes=(21,)), encoding="utf-8")
        else:
            osm_pbf(cut.name, osm_xml(drop_nodes=(21,)))(tmp_path)
        layers, _ = features_from_file(cut, BAND, ["highways"])
        assert layers["highways"].empty


def test_the_good_file_still_gives_its_road_on_both_paths(tmp_path):
    for suffix in (".osm", ".osm.pbf"):
        good = tmp_path / f"good{suffix}"
        if suffix == ".osm":
            good.write_text(osm_xml(extra=PORT_AT.format(lat=30.9)), encoding="utf-8")
        else:
            osm_pbf(good.name, osm_xml(extra=PORT_AT.format(lat=30.9)))(tmp_path)
        layers, _ = features_from_file(good, BAND, ["highways", "ports"])
        assert layers["highways"]["id"].tolist() == ["osm:way/20"]
        assert layers["ports"]["id"].tolist() == ["osm:node/30"]


# --------------------------------------------------------- read_osm's location errors


def test_read_osm_turns_a_location_that_is_not_a_number_into_a_sentence(tmp_path):
    osm = tmp_path / "nan.osm"
    osm.write_text(osm_xml(nodes={21: ("nan", 30.85)}), encoding="utf-8")
    for layers in ((), ("highways",)):
        with pytest.raises(InputFileError, match=r"nan\.osm .*not a number.*another extract"):
            read_osm(osm, layers)


def test_read_osm_refuses_a_point_node_out_of_range(tmp_path):
    # pyosmium raised InvalidLocationError when the port's location was asked for.
    osm = tmp_path / "port.osm"
    osm.write_text(osm_xml(extra=PORT_AT.format(lat=95)), encoding="utf-8")
    with pytest.raises(GeometryDataError, match=r"port\.osm .*node 30 at lon 121, lat 95"):
        read_osm(osm, ("ports",))
    assert read_osm(osm, ("highways",)).layers["highways"]["id"].tolist() == ["osm:way/20"]


def test_read_osm_refuses_a_way_with_every_node_out_of_range(tmp_path):
    # Too few located nodes to draw the way: it used to vanish without a word.
    osm = tmp_path / "far.osm"
    osm.write_text(osm_xml(nodes=FAR_ROAD), encoding="utf-8")
    with pytest.raises(GeometryDataError, match=r"far\.osm has 2 node\(s\)"):
        read_osm(osm, ("highways",))
    with pytest.raises(GeometryDataError, match=r"far\.osm has 2 node\(s\)"):
        read_osm(osm, ("highways",), band=BAND)


def test_read_osm_keeps_a_way_with_a_missing_node(tmp_path):
    osm = tmp_path / "cut.osm"
    osm.write_text(
        osm_xml(extra="<way id='21' version='1'><nd ref='20'/><nd ref='99'/><nd ref='21'/>"
                "<tag k='highway' v='tertiary'/></way>"),
        encoding="utf-8",
    )
    data = read_osm(osm, ("highways",))
    assert data.broken_ways == [21]
    roads = data.layers["highways"].set_index("id")
    assert bool(roads.loc["osm:way/21", "osm_nodes_missing"])
    assert not bool(roads.loc["osm:way/20", "osm_nodes_missing"])


def test_every_error_of_read_osm_is_a_sentence(tmp_path):
    cases = {
        "nan.osm": osm_xml(nodes={4: ("nan", "nan")}),
        "inf.osm": osm_xml(nodes={20: ("inf", 30.85)}),
        "far.osm": osm_xml(nodes={4: (WEST, 95.0), 3: (BORDER_LON, 95.0)}),
        "lon.osm": osm_xml(nodes={5: (200.0, SOUTH), 6: (200.0, NORTH)}),
        "east.osm": osm_xml(nodes={21: (EAST + 400, 30.85)}),
    }
    for name, xml in cases.items():
        path = tmp_path / name
        path.write_text(xml, encoding="utf-8")
        with pytest.raises(JieguiError, match=name.replace(".", r"\.")):
            read_osm(path, ("highways", "ports"))
