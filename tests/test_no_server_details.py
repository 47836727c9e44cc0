"""What a user is told names no server: not a geocoder's address, not a file's folder.

* a failed geocoding (``fetch --places``) says what failed and the fix, not the library's
  text, which can hold the server's address, port and query; that text goes to the log;
* a fetched package's manifest names the OSM file, not its path on the server; an older
  manifest with the full path still opens and gives only the file's name.

Offline: osmnx's geocoder is replaced by one that fails; the package is fetched from a
small OSM file written here.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import osmnx
import pytest
import requests
from osmnx._errors import InsufficientResponseError
from test_osm_locations import refused

from geo.errors import InputFileError, NoBoundariesError, PackageError
from geo.io.fetch import fetch, geocode_regions, load_regions
from geo.io.package import manifest_path, read_manifest, write_package
from geo.io.sources import load_source
from helpers.bad_inputs import osm_xml

#: What a library may say about a server: its address, port and query.
SERVER_TEXT = "HTTPConnectionPool(host='10.20.30.40', port=8088): Max retries exceeded with url"


@pytest.mark.parametrize(
    ("raised", "error", "words"),
    [
        (requests.ConnectionError(SERVER_TEXT), InputFileError, ("internet", "--boundaries")),
        (
            InsufficientResponseError(f"'10.20.30.40:8088' responded: 502 {SERVER_TEXT}"),
            NoBoundariesError,
            ("no boundary polygon", "--boundaries"),
        ),
    ],
)
def test_a_geocoding_error_names_no_server(monkeypatch, caplog, raised, error, words):
    def fail(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(osmnx, "geocode_to_gdf", fail)
    with caplog.at_level(logging.WARNING, logger="geo.io.fetch"), pytest.raises(error) as info:
        geocode_regions(["Zhejiang"], nominatim_url="http://10.20.30.40:8088/nominatim")
    sentence = str(info.value)
    assert "'Zhejiang'" in sentence and "\n" not in sentence
    for word in words:
        assert word in sentence
    for secret in ("10.20.30.40", "8088", "HTTPConnectionPool", "responded"):
        assert secret not in sentence
    assert "10.20.30.40" in caplog.text  # kept for whoever runs the server


def test_a_geocoding_error_on_the_command_line_is_one_line(monkeypatch, tmp_path):
    def fail(*args: object, **kwargs: object) -> None:
        raise requests.ConnectionError(SERVER_TEXT)

    monkeypatch.setattr(osmnx, "geocode_to_gdf", fail)
    out = tmp_path / "border.gpkg"
    sentence = refused(
        ["fetch", "--places", "Zhejiang,Shanghai", "--out", str(out)], "Geocoding 'Zhejiang'"
    )
    assert "10.20.30.40" not in sentence


# ----------------------------------------------------------------- the manifest's source


def _fetched_package(tmp_path: Path) -> Path:
    osm = tmp_path / "server" / "data" / "good.osm"
    osm.parent.mkdir(parents=True)
    osm.write_text(osm_xml(), encoding="utf-8")
    region_set, regions_from = load_regions(boundaries=osm)
    result = fetch(region_set, regions_from=regions_from, layer_names=["highways"], osm_file=osm)
    out = tmp_path / "shared" / "border.gpkg"
    out.parent.mkdir()
    write_package(result, out)
    return out


def test_the_manifest_names_the_osm_file_not_its_path(tmp_path):
    package = _fetched_package(tmp_path)
    text = manifest_path(package).read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "server/data" not in text
    source = json.loads(text)["source"]
    assert source["kind"] == "file" and source["name"] == "good.osm"
    assert "path" not in source
    assert read_manifest(package)["source"]["name"] == "good.osm"


def test_an_older_manifest_with_the_full_path_opens_and_shows_the_name(tmp_path):
    package = _fetched_package(tmp_path)
    manifest = manifest_path(package)
    old = json.loads(manifest.read_text(encoding="utf-8"))
    del old["source"]["name"]
    old["source"]["path"] = "/srv/jiegui/data/zhejiang-latest.osm.pbf"
    manifest.write_text(json.dumps(old), encoding="utf-8")
    source = read_manifest(package)["source"]
    assert source["name"] == "zhejiang-latest.osm.pbf" and "path" not in source
    loaded = load_source(str(package), layer_names=("highways",))
    assert sorted(loaded.region_set.names) == ["Shanghai", "Zhejiang"]
    assert len(loaded.layers["highways"]) == 1
    old["source"]["path"] = "C:\\Users\\gis\\extract.osm"  # written on Windows
    manifest.write_text(json.dumps(old), encoding="utf-8")
    assert read_manifest(package)["source"]["name"] == "extract.osm"
    old["source"]["path"] = ["/srv"]
    manifest.write_text(json.dumps(old), encoding="utf-8")
    with pytest.raises(PackageError, match=r"'source\.path' is not text"):
        read_manifest(package)
