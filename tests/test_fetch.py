"""Fetching near the borders: the band, the real osmnx download path against a loopback
Overpass server answering from the real Monaco extract, the offline XML and PBF paths, the
package and its manifest."""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path

import geopandas as gpd
import osmium
import pytest
import shapely
from test_cli import run_cli

from geo.band import border_band
from geo.errors import FetchError, InputFileError, InvalidParameterError, JieguiError
from geo.io.fetch import fetch, load_regions
from geo.io.osm_features import features_from_file
from geo.io.osm_stream import read_osm
from geo.io.overpass import features_online
from geo.io.package import manifest_path, read_manifest, region_set_from_package, write_package
from geo.io.sources import load_source
from geo.text import Bilingual
from helpers.overpass_stub import Extract, OverpassStub
from helpers.synthetic import CRS, box, regions

LAYERS = ("highways", "railways", "waterways")

# ------------------------------------------------------------------------------ the band


def _metric(band_polygon: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([band_polygon], crs=4326).to_crs(CRS).iloc[0]


def test_band_follows_the_shared_border_at_the_given_width() -> None:
    rs = regions({"A": box(0, 0, 50, 50), "B": box(50, 0, 100, 50)})
    band = border_band(rs, width_m=2000, region="A", neighbour="B", sea_gap_m=0)
    metric = _metric(band.polygon)
    assert band.border_km == pytest.approx(50.0, abs=0.1)
    assert band.area_km2 == pytest.approx(50 * 4 + 3.14 * 2 * 2, rel=0.02)
    on_border = shapely.Point(box(49, 24, 51, 26).centroid)
    assert metric.contains(on_border)
    assert not metric.contains(box(46, 24, 47, 26).centroid)  # 3.5 km into A
    assert not metric.contains(box(0, 0, 40, 50).centroid)


def test_band_adds_the_water_between_coasts_within_the_gap() -> None:
    # an island 20 km off A's coast: the strait between them is in the band
    rs = regions({"A": box(0, 0, 50, 50), "Island": box(70, 20, 75, 25)}, maritime_gap_m=30000)
    band = border_band(rs, width_m=1000, region="A", neighbour="Island", sea_gap_m=30000)
    metric = _metric(band.polygon)
    assert metric.contains(box(60, 22, 61, 23).centroid)  # mid-strait
    assert metric.contains(box(50.5, 22, 50.6, 23).centroid)  # the landing, inside the width
    assert not metric.contains(box(20, 22, 21, 23).centroid)
    without_sea = border_band(rs, width_m=1000, region="A", neighbour="Island", sea_gap_m=0)
    assert "whole boundary" in without_sea.note  # no land border: falls back, and says so


def test_band_rejects_a_bad_width_and_unknown_names() -> None:
    rs = regions({"A": box(0, 0, 50, 50), "B": box(50, 0, 100, 50)})
    for width in (0.0, -2.0, float("nan"), float("inf")):  # NaN passed, inf stopped GEOS
        with pytest.raises(InvalidParameterError, match="band width must be a positive"):
            border_band(rs, width_m=width, region="A")
    for gap in (-1.0, float("nan"), float("inf")):  # were taken as 0 (no sea)
        with pytest.raises(InvalidParameterError, match="0 or a positive number"):
            border_band(rs, region="A", sea_gap_m=gap)
    assert border_band(rs, region="A", sea_gap_m=0).area_km2 > 0
    with pytest.raises(Exception, match="known regions: A, B"):
        border_band(rs, region="Nowhere")


# ----------------------------------------------------------- the three paths, one result


@pytest.fixture(scope="module")
def monaco_regions(monaco_path: Path):
    return load_regions(boundaries=monaco_path, region="Monaco")


@pytest.fixture(scope="module")
def monaco_extract(monaco_path: Path) -> Extract:
    return Extract.read(monaco_path)


@pytest.fixture(scope="module")
def monaco_pbf(monaco_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Monaco extract written as PBF by pyosmium (in a temporary folder)."""
    out = tmp_path_factory.mktemp("pbf") / "monaco.osm.pbf"
    writer = osmium.SimpleWriter(str(out))
    for obj in osmium.FileProcessor(str(monaco_path)):
        writer.add(obj)
    writer.close()
    return out


@pytest.fixture(scope="module")
def offline_xml(monaco_path: Path, monaco_regions):
    region_set, regions_from = monaco_regions
    return fetch(
        region_set,
        regions_from=regions_from,
        region="Monaco",
        layer_names=LAYERS,
        osm_file=monaco_path,
    )


def _same_features(left: dict, right: dict) -> None:
    assert set(left) == set(right)
    for name in left:
        a = left[name].set_index("id").sort_index()
        b = right[name].set_index("id").sort_index()
        assert list(a.index) == list(b.index), name
        columns = sorted((set(a.columns) & set(b.columns)) - {"geometry"})
        assert a[columns].astype(str).equals(b[columns].astype(str)), name
        assert a.geometry.geom_equals_exact(b.geometry, 1e-9).all(), name


def test_offline_xml_keeps_what_touches_the_band_and_nothing_else(
    monaco_path: Path, offline_xml
) -> None:
    band = offline_xml.band.polygon
    whole = read_osm(monaco_path, LAYERS).layers
    for name in LAYERS:
        fetched = offline_xml.layers[name]
        assert shapely.intersects(band, fetched.geometry.values).all()
        # every complete way of the whole file that touches the band was fetched
        complete = whole[name][~whole[name]["osm_nodes_missing"]]
        touching = set(complete["id"][shapely.intersects(band, complete.geometry.values)])
        assert touching <= set(fetched["id"]), name
    highways = offline_xml.layers["highways"]
    # the two carriageways of Boulevard d'Italie and the Basse Corniche's two halves
    for way in (93207286, 93209286, 4225001, 166558487):
        assert f"osm:way/{way}" in set(highways["id"])
    # the extract is about as large as a 3 km band; a 200 m band keeps fewer roads
    narrow = fetch(
        offline_xml.region_set,
        regions_from="test",
        region="Monaco",
        layer_names=("highways",),
        osm_file=monaco_path,
        width_m=200,
    ).layers["highways"]
    assert 0 < len(narrow) < len(highways) == len(whole["highways"])
    assert set(narrow["id"]) <= set(highways["id"])


def test_online_path_through_osmnx_equals_the_offline_file(
    monaco_extract: Extract, monaco_regions, offline_xml, tmp_path: Path
) -> None:
    region_set, regions_from = monaco_regions
    messages: list[Bilingual] = []
    with OverpassStub(monaco_extract) as stub:
        online = fetch(
            region_set,
            regions_from=regions_from,
            region="Monaco",
            layer_names=LAYERS,
            overpass_url=stub.overpass_url,
            cache_folder=tmp_path / "cache",
            progress=messages.append,
        )
        queries = stub.interpreter_queries()
    _same_features(online.layers, offline_xml.layers)
    assert len(queries) == len(LAYERS)  # one request per layer: the band is small
    assert all("(poly:'" in q and "construction" in q for q in queries[:1])
    assert any("Downloading railways (2 of 3)" in m.en for m in messages)
    assert any("正在下载铁路（第 2 个，共 3 个）" in m.zh for m in messages)
    source = online.manifest["source"]
    assert source["kind"] == "overpass" and source["url"] == stub.overpass_url
    assert source["data_timestamp"] == monaco_extract.newest


def test_download_retries_then_uses_the_cache(
    monaco_extract: Extract, monaco_regions, tmp_path: Path
) -> None:
    region_set, regions_from = monaco_regions
    messages: list[Bilingual] = []
    kwargs = dict(
        regions_from=regions_from,
        region="Monaco",
        layer_names=("railways",),
        cache_folder=tmp_path / "cache",
        backoff_s=0.01,
        progress=messages.append,
    )
    with OverpassStub(monaco_extract, fail_first=2) as stub:
        first = fetch(region_set, overpass_url=stub.overpass_url, retries=2, **kwargs)
        assert len(stub.interpreter_queries()) == 3
        again = fetch(region_set, overpass_url=stub.overpass_url, **kwargs)
        assert len(stub.interpreter_queries()) == 3  # answered from osmnx's cache
    assert sum("retrying" in m.en for m in messages) == 2
    assert sum("秒后重试" in m.zh for m in messages) == 2
    assert len(first.layers["railways"]) == len(again.layers["railways"]) == 1


def test_download_that_keeps_failing_says_what_to_do(
    monaco_extract: Extract, monaco_regions, tmp_path: Path
) -> None:
    region_set, regions_from = monaco_regions
    with OverpassStub(monaco_extract, fail_first=10) as stub, pytest.raises(FetchError) as err:
        fetch(
            region_set,
            regions_from=regions_from,
            region="Monaco",
            layer_names=("railways",),
            overpass_url=stub.overpass_url,
            cache_folder=tmp_path,
            retries=1,
            backoff_s=0.01,
        )
    message = str(err.value)
    assert "failed 2 times" in message and "--osm-file" in message
    assert "\n" not in message


def test_pbf_path_streams_the_band_with_the_same_result(
    monaco_pbf: Path, monaco_regions, offline_xml
) -> None:
    region_set, regions_from = monaco_regions
    from_pbf = fetch(
        region_set,
        regions_from=regions_from,
        region="Monaco",
        layer_names=LAYERS,
        osm_file=monaco_pbf,
    )
    _same_features(from_pbf.layers, offline_xml.layers)


def test_pbf_band_on_andorra_keeps_only_the_band(andorra_path: Path, tmp_path: Path) -> None:
    region_set, regions_from = load_regions(boundaries=andorra_path, region="Andorra")
    result = fetch(
        region_set,
        regions_from=regions_from,
        region="Andorra",
        neighbour="España",
        layer_names=("highways", "waterways"),
        osm_file=andorra_path,
        width_m=1000,
    )
    whole = read_osm(andorra_path, ["highways", "waterways"]).layers
    band = result.band.polygon
    for name, frame in result.layers.items():
        assert 0 < len(frame) < len(whole[name])
        expected = set(whole[name]["id"][shapely.intersects(band, whole[name].geometry.values)])
        assert set(frame["id"]) == expected
    assert result.manifest["source"]["data_timestamp"] == "2013-05-28T18:59:04Z"  # header
    # the incomplete Andorra relation is still reported by a package of this fetch
    out = write_package(result, tmp_path / "andorra.gpkg")[0]
    [note] = [w for w in region_set_from_package(out).warnings if "incomplete" in w.en]
    assert "2 of 19 member ways are missing" in note.en
    assert "19 条成员路中缺 2 条" in note.zh  # the Chinese kept in the manifest too


# -------------------------------------------------------------------- the package


def test_package_round_trip_restores_regions_and_layers(offline_xml, tmp_path: Path) -> None:
    out = tmp_path / "monaco.gpkg"
    written = write_package(offline_xml, out)
    assert written == [out, manifest_path(out)]
    manifest = read_manifest(out)
    assert manifest["attribution"].startswith("Data © OpenStreetMap contributors (ODbL 1.0)")
    assert manifest["features"] == {n: len(f) for n, f in offline_xml.layers.items()}
    assert manifest["regions"]["region"] == "Monaco"
    assert manifest["osmnx_version"]
    restored = region_set_from_package(out)
    assert list(restored.pairs[["a", "b", "kind"]].itertuples(index=False, name=None)) == [
        ("France métropolitaine", "Monaco", "land")
    ]
    assert restored.pairs["border_km"].iloc[0] == pytest.approx(
        offline_xml.region_set.pairs["border_km"].iloc[0], abs=0.01
    )
    highways = gpd.read_file(out, layer="highways")
    assert len(highways) == len(offline_xml.layers["highways"])
    assert highways.crs.to_epsg() == 4326


def test_package_is_never_overwritten_without_force(offline_xml, tmp_path: Path) -> None:
    out = tmp_path / "monaco.gpkg"
    out.write_bytes(b"the user's own file")
    with pytest.raises(InputFileError, match="already exists"):
        write_package(offline_xml, out)
    assert out.read_bytes() == b"the user's own file"
    assert not manifest_path(out).exists()
    write_package(offline_xml, out, force=True)
    assert json.loads(manifest_path(out).read_text())["jiegui_fetch"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ------------------------------------------------------------------- geocoded places


def test_places_are_geocoded_through_osmnx(monaco_path: Path, monaco_extract: Extract) -> None:
    # The stub's geocoder knows Monaco (its polygon from the extract) and a stand-in
    # neighbour east of it; the real osmnx geocoding code runs against it.
    rs, _ = load_regions(boundaries=monaco_path, region="Monaco")
    monaco = rs.regions.to_crs(4326)
    monaco_geom = monaco.geometry[monaco["name"] == "Monaco"].iloc[0]
    west, south, east, north = monaco_geom.bounds
    neighbour = shapely.difference(
        shapely.box(west, south - 0.01, east + 0.05, north + 0.01), monaco_geom
    )
    places = {
        "Monaco": shapely.geometry.mapping(monaco_geom),
        "Stand-in": shapely.geometry.mapping(neighbour),
        "R1124039 Monaco": shapely.geometry.mapping(monaco_geom),  # looked up by OSM id
    }
    with OverpassStub(monaco_extract, places=places) as stub:
        region_set, regions_from = load_regions(
            places=["Monaco", "Stand-in"], nominatim_url=stub.nominatim_url
        )
        with pytest.raises(Exception, match="no boundary polygon for 'Atlantis'"):
            load_regions(places=["Atlantis"], nominatim_url=stub.nominatim_url)
        by_id, _ = load_regions(places=["r1124039", "Stand-in"], nominatim_url=stub.nominatim_url)
        assert any("/nominatim/lookup" in path for _, path in stub.requests)
    assert sorted(by_id.names) == ["Monaco", "Stand-in"]  # the id's OSM name
    assert "relation/1124039" in set(by_id.regions["osm_id"])
    assert sorted(region_set.names) == ["Monaco", "Stand-in"]
    assert regions_from == "places geocoded online: Monaco, Stand-in"
    assert region_set.pairs["kind"].tolist() == ["land"]


# ------------------------------------------------------------------------ the command


def _interface_keys(report: dict) -> set:
    return {(i["layer"], i["class"], tuple(sorted(i["source_ids"]))) for i in report["interfaces"]}


def test_cli_fetch_online_then_crossings_on_the_package(
    monaco_path: Path, monaco_extract: Extract, tmp_path: Path
) -> None:
    out = tmp_path / "monaco.gpkg"
    with OverpassStub(monaco_extract) as stub:
        done = run_cli(
            "fetch",
            "--boundaries",
            str(monaco_path),
            "--region",
            "Monaco",
            "--overpass-url",
            stub.overpass_url,
            "--cache-folder",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        )
    assert done.returncode == 0, done.stderr
    assert "Downloading highways (1 of 4)" in done.stderr
    assert done.stdout.startswith(f"Wrote {out} (")
    from_package = run_cli("crossings", str(out), "--region", "Monaco", "--format", "json")
    from_file = run_cli("crossings", str(monaco_path), "--region", "Monaco", "--format", "json")
    assert from_package.returncode == from_file.returncode == 0, from_package.stderr
    package, direct = json.loads(from_package.stdout), json.loads(from_file.stdout)
    assert package["pairs"] == direct["pairs"]
    assert _interface_keys(package) == _interface_keys(direct)
    assert len(package["interfaces"]) == 25  # 5 primary, 1 link, 18 minor, 1 railway


def test_cli_fetch_bad_input_exits_2_before_downloading(
    monaco_path: Path, monaco_extract: Extract, tmp_path: Path
) -> None:
    out = tmp_path / "taken.gpkg"
    out.write_bytes(b"keep me")
    with OverpassStub(monaco_extract) as stub:
        taken = run_cli(
            "fetch",
            "--boundaries",
            str(monaco_path),
            "--region",
            "Monaco",
            "--overpass-url",
            stub.overpass_url,
            "--out",
            str(out),
        )
        assert stub.interpreter_queries() == []
    assert taken.returncode == 2 and "already exists" in taken.stderr
    assert out.read_bytes() == b"keep me"
    osm = ("--osm-file", str(monaco_path))
    cases = [
        (("--out", str(tmp_path / "a.gpkg")), "No regions given"),
        ((*osm, "--region", "Atlantis", "--out", str(tmp_path / "b.gpkg")), "Atlantis"),
        ((*osm, "--band-km", "0", "--out", str(tmp_path / "c.gpkg")), "positive"),
        ((*osm, "--out", str(tmp_path / "d.geojson")), "must end in .gpkg"),
        ((*osm, "--layers", "canals", "--out", str(tmp_path / "e.gpkg")), "Unknown layer canals"),
    ]
    for args, expected in cases:
        done = run_cli("fetch", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert expected in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_an_osm_file_named_in_bytes_that_are_not_utf8_is_refused_before_reading(
    tmp_path: Path,
) -> None:
    # As every other reader refuses it (geo.io.user_files.check_file_name): its name was in
    # the progress text, which the page could not show (text must be UTF-8).
    path = tmp_path / os.fsdecode(b"extr\xe4kt.osm")
    path.write_text("<osm version='0.6'/>\n")
    said: list[str] = []
    with pytest.raises(InputFileError, match=r"extr\\xe4kt\.osm is not valid UTF-8"):
        features_from_file(path, box(0, 0, 1, 1), ("highways",), progress=said.append)
    assert said == []


def test_cli_fetch_unreachable_server_says_what_to_do(monaco_path: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = run_cli(
        "fetch",
        "--boundaries",
        str(monaco_path),
        "--region",
        "Monaco",
        "--layers",
        "railways",
        "--overpass-url",
        f"http://127.0.0.1:{port}/api",
        "--retries",
        "0",
        "--cache-folder",
        str(tmp_path / "cache"),
        "--out",
        str(tmp_path / "x.gpkg"),
    )
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("jiegui: Downloading railways from the Overpass API failed 1 times")
    assert "--osm-file" in last and "Traceback" not in done.stderr
    assert not (tmp_path / "x.gpkg").exists()


def test_highway_download_asks_for_every_value_the_layer_keeps() -> None:
    """The Overpass filter lists highway values; none that the layer keeps may be missing."""
    from layers.base import LIFECYCLE_STATUS
    from layers.highways import SELECTED_VALUES, classify

    # highway values in use on OpenStreetMap (the wiki's Key:highway table), and a few odd ones
    in_use = [
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
        "living_street",
        "service",
        "pedestrian",
        "track",
        "bus_guideway",
        "escape",
        "raceway",
        "road",
        "busway",
        "footway",
        "bridleway",
        "steps",
        "corridor",
        "path",
        "via_ferrata",
        "cycleway",
        "proposed",
        "construction",
        "planned",
        "disused",
        "abandoned",
        "razed",
        "elevator",
        "platform",
        "rest_area",
        "services",
        "emergency_bay",
    ]
    kept = {value for value in in_use if classify(value) is not None}
    assert kept <= set(SELECTED_VALUES)
    assert set(LIFECYCLE_STATUS) <= set(SELECTED_VALUES)
    assert not {"footway", "path", "track", "cycleway", "steps"} & set(SELECTED_VALUES)


def test_an_unknown_layer_is_a_user_error_wherever_geo_takes_layer_names(monaco_path) -> None:
    # the CLI and the page catch JieguiError: layers' own lookup error must not get through
    rs = regions({"A": box(0, 0, 50, 50), "B": box(50, 0, 100, 50)})
    band = shapely.box(7.40, 43.72, 7.44, 43.76)
    calls = [
        lambda: load_source("yrd", layer_names=["roads"]),
        lambda: read_osm(monaco_path, ["roads"]),
        lambda: features_from_file(monaco_path, band, ["roads"]),
        lambda: features_online(band, ["roads"]),
        lambda: fetch(rs, regions_from="test", layer_names=["roads"]),
    ]
    for call in calls:
        with pytest.raises(JieguiError, match=r"^Unknown layer 'roads'; choose from highways"):
            call()


def test_cli_fetch_speaks_chinese_with_lang_zh(monaco_path: Path, tmp_path: Path) -> None:
    # Progress lines and the error, every line of stderr, in Chinese with no English sentence.
    from helpers.page_texts import english_sentence_words

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = run_cli(
        "fetch", "--boundaries", str(monaco_path), "--region", "Monaco",
        "--layers", "railways", "--overpass-url", f"http://127.0.0.1:{port}/api",
        "--retries", "1", "--cache-folder", str(tmp_path / "cache"),
        "--out", str(tmp_path / "x.gpkg"), "--lang", "zh",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert any(line.startswith("正在生成边界两侧的条带") for line in lines), lines
    assert any(line.startswith("条带：") for line in lines), lines
    assert any("秒后重试" in line for line in lines), lines
    for line in lines:
        assert re.search(r"[\u4e00-\u9fff]", line) and not english_sentence_words(line), line
