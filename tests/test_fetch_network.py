"""``fetch --network-km``: the main roads of a wider band in the package, routed on by
``resilience``, offline through the real reading path (the Andorra extract, ../shared/osm).

Sant Julià de Lòria – Andorra la Vella: the package's own band is 1 km either side of
the border, its network band 10 km. A place 4–5 km inside Sant Julià, on a main road,
reaches the package's network only through the network band: without it, the nearest
node of the road graph is the band's edge, kilometres away.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo.border_network import border_lines
from geo.cli import main
from geo.io.fetch import fetch, load_regions
from geo.io.package import network_table, write_package
from geo.io.sources import load_source, package_network
from geo.io.user_files import file_layers
from layers import REGISTRY
from layers.highways import NETWORK_CLASSES

A, B = "Sant Julià de Lòria", "Andorra la Vella"
BAND = ("--band-km", "1")


def _fetch(capsys, osm: Path, out: Path, *extra: str) -> str:
    code = main(["fetch", "--osm-file", str(osm), "--region", A, "--neighbour", B,
                 "--layers", "highways", *BAND, *extra, "--out", str(out)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture(scope="module")
def packages(andorra_path, tmp_path_factory) -> dict[str, Path]:
    """The border fetched with a 10 km network band, and without one."""
    folder = tmp_path_factory.mktemp("network")
    return {
        "network": _write(andorra_path, folder / "with.gpkg", 10_000.0),
        "plain": _write(andorra_path, folder / "plain.gpkg", None),
    }


def _write(osm: Path, out: Path, network_m: float | None) -> Path:
    regions, regions_from = load_regions(boundaries=osm, region=A)
    result = fetch(
        regions, regions_from=regions_from, region=A, neighbour=B, layer_names=["highways"],
        width_m=1000.0, osm_file=osm, network_width_m=network_m,
    )  # fmt: skip
    return write_package(result, out)[0]


def test_the_package_holds_the_main_roads_of_the_wider_band(packages):
    path = packages["network"]
    assert network_table("highways") in file_layers(path)
    assert network_table("highways") not in file_layers(packages["plain"])
    [network] = package_network(path, ["highways"]).values()
    own = load_source(str(path), layer_names=["highways"], region=A).layers["highways"]
    classes = {*NETWORK_CLASSES, "link"}
    assert set(network["class"]) <= classes  # main roads and slip roads only
    assert network["maxspeed_kmh"].notna().any()  # speed limits reach the routing
    main_own = own[own["class"].isin(classes)]
    # Wider: every main road of the 1 km band is in it, and more besides.
    assert set(main_own["id"]) < set(network["id"])
    manifest = json.loads(path.with_name("with.manifest.json").read_text(encoding="utf-8"))
    assert manifest["network"]["width_m"] == 10_000.0
    assert manifest["network"]["features"] == {"highways": len(network)}
    assert manifest["network"]["classes"]["highways"] == [*NETWORK_CLASSES, "link"]
    assert package_network(packages["plain"], ["highways"]) == {}


def _far_place(path: Path) -> gpd.GeoDataFrame:
    """A vertex of the network inside Sant Julià, the farthest from the border (WGS84)."""
    source = load_source(str(path), layer_names=["highways"], region=A)
    regions = source.region_set
    network = package_network(path, ["highways"])["highways"].to_crs(regions.crs)
    side = regions.regions.set_index("name").geometry[A]
    points = shapely.points(shapely.get_coordinates(network.geometry.to_numpy()))
    inside = points[shapely.contains(side, points)]
    far = inside[shapely.distance(inside, border_lines(regions, A, B)).argmax()]
    assert shapely.distance(far, border_lines(regions, A, B)) > 3000  # beyond the 1 km band
    return gpd.GeoDataFrame({"name": ["South"], "population": [1000.0]}, geometry=[far],
                            crs=regions.crs).to_crs(4326)  # fmt: skip


def _resilience(capsys, path: Path, places: Path) -> dict:
    code = main(["resilience", str(path), "--region", A, "--neighbour", B, "--layers",
                 "highways", "--places", str(places), "--format", "json"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_resilience_routes_on_the_package_s_network(packages, capsys, tmp_path):
    places = tmp_path / "places.geojson"
    _far_place(packages["network"]).to_file(places, driver="GeoJSON")
    routed = {name: _resilience(capsys, packages[name], places) for name in packages}
    snap = {
        name: {p["name"]: p["snap_m"] for p in out["borders"][0]["places"]}
        for name, out in routed.items()
    }
    assert snap["network"]["South"] < 10  # on the network band's road
    assert snap["plain"]["South"] > 2000  # the 1 km band's nearest node, km away
    [note] = [w["en"] for w in routed["network"]["warnings"] if "network band" in w["en"]]
    count = len(package_network(packages["network"], ["highways"])["highways"])
    assert f"({count:,} main highways lines" in note
    assert not [w for w in routed["plain"]["warnings"] if "network band" in w["en"]]
    # The answer worked out by hand (tests/test_resilience_cli.py) holds on the network:
    # the CG-1 is the one way across; closing it disconnects.
    [border] = routed["network"]["borders"]
    assert border["min_cut"] == 1
    [row] = border["interfaces"]
    assert row["ref"] == "CG-1" and row["critical"] and row["disconnected_pairs"] >= 1


def test_the_cli_fetches_the_network_band_and_says_so(andorra_path, capsys, tmp_path):
    out = _fetch(capsys, andorra_path, tmp_path / "cli.gpkg", "--network-km", "5",
                 "--network-classes", "primary")  # fmt: skip
    assert "network band:" in out and "main highways" in out
    [network] = package_network(tmp_path / "cli.gpkg", ["highways"]).values()
    assert set(network["class"]) <= {"primary", "link"} and "primary" in set(network["class"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--band-km", "3", "--network-km", "2"), "at least as wide as the band"),
        (("--network-km", "500"), "--network-km must be between"),
        (("--network-km", "nan"), "--network-km must be a positive number"),
        (("--network-km", "10", "--network-classes", "residential"), "not a main road class"),
    ],
)
def test_a_bad_network_band_is_one_sentence(andorra_path, capsys, tmp_path, args, words):
    out = tmp_path / "x.gpkg"
    code = main(["fetch", "--osm-file", str(andorra_path), "--region", A, "--neighbour", B,
                 "--layers", "highways", *BAND, *args, "--out", str(out)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and words in captured.err
    assert "Traceback" not in captured.err and not out.exists()


def test_the_main_road_classes_are_the_layer_s():
    assert set(NETWORK_CLASSES) <= set(REGISTRY["highways"].main_classes)


def test_the_app_routes_on_a_package_s_network_band(packages):
    from app import what_if_view
    from geo.what_if import CONNECT_M

    network, connect_m = what_if_view._network(None, str(packages["network"]), "s", ("highways",))
    assert connect_m is None and len(network["highways"]) > 0  # the same data: no connectors
    assert what_if_view._network(None, str(packages["plain"]), "s", ("highways",)) == (
        {},
        CONNECT_M,
    )
