"""The command line as a user runs it: real subprocesses, exit codes, files left alone."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from helpers.paths import ROOT
from helpers.synthetic import CRS, box, line

CONTRACT_PAIR = {
    "a",
    "b",
    "layer",
    "class",
    "routes",
    "interfaces",
    "lanes",
    "lanes_missing",
    "along_km",
}
CONTRACT_INTERFACE = {
    "id",
    "a",
    "b",
    "layer",
    "class",
    "ref",
    "name",
    "carriageways",
    "lanes",
    "bridge",
    "tunnel",
    "status",
    "lon",
    "lat",
    "source_ids",
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def assert_user_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    message = proc.stderr.strip()
    assert message.startswith("jiegui: ") and "\n" not in message
    for needle in needles:
        assert needle in message


@pytest.mark.shared
def test_json_contract_on_monaco(monaco_path):
    proc = run_cli("crossings", str(monaco_path), "--region", "Monaco", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"pairs", "interfaces", "warnings"} <= set(out)
    assert all(set(p) >= CONTRACT_PAIR for p in out["pairs"])
    assert all(set(i) >= CONTRACT_INTERFACE for i in out["interfaces"])
    italie = next(i for i in out["interfaces"] if i["name"] == "Boulevard d'Italie")
    assert italie["source_ids"] == ["osm:way/93207286", "osm:way/93209286"]
    assert italie["a"] == "Monaco" and italie["lanes"] is None
    assert "ODbL" in out["attribution"]


@pytest.mark.shared
def test_table_output_on_monaco(monaco_path):
    proc = run_cli("crossings", str(monaco_path), "--region", "Monaco")
    assert proc.returncode == 0, proc.stderr
    assert "Monaco – France métropolitaine (land border)" in proc.stdout
    assert "primary       5 route(s), 5 interface(s), 2 lanes (4 without lane data)" in proc.stdout
    assert "Boulevard d'Italie; 2 carriageway(s), lanes unknown; bridge" in proc.stdout
    assert proc.stdout.rstrip().endswith("https://www.openstreetmap.org/copyright")


@pytest.mark.shared
def test_geojson_output_to_file_and_no_overwrite(monaco_path, tmp_path):
    target = tmp_path / "monaco.geojson"
    proc = run_cli(
        "crossings",
        str(monaco_path),
        "--region",
        "Monaco",
        "--format",
        "geojson",
        "--layers",
        "highways",
        "--out",
        str(target),
    )
    assert proc.returncode == 0, proc.stderr
    frame = gpd.read_file(target)
    assert len(frame) == 24 and frame.crs.to_epsg() == 4326
    before = target.read_bytes()
    again = run_cli("crossings", str(monaco_path), "--format", "json", "--out", str(target))
    assert_user_error(again, "already exists", "--force")
    assert target.read_bytes() == before


@pytest.mark.shared
def test_out_onto_the_input_is_refused(monaco_path, tmp_path):
    copy = tmp_path / "m.osm.gz"
    copy.write_bytes(monaco_path.read_bytes())
    proc = run_cli("crossings", str(copy), "--out", str(copy), "--force")
    assert_user_error(proc, "is one of the input files")
    assert copy.read_bytes() == monaco_path.read_bytes()


@pytest.mark.shared
def test_unknown_region_lists_known_names(andorra_path):
    # The regions that can be counted; España (only its border with Andorra is in the
    # extract) is no longer offered as one (tests/test_region_names.py).
    proc = run_cli("crossings", str(andorra_path), "--region", "Narnia")
    assert_user_error(proc, "'Narnia'", "can be counted: Andorra,", "only partly in it")
    assert "España" not in proc.stderr.partition("(")[0]


def test_missing_file_and_unsupported_file(tmp_path):
    assert_user_error(run_cli("crossings", str(tmp_path / "none.osm.pbf")), "does not exist")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert_user_error(run_cli("crossings", str(text)), "neither an existing")
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id='1' lat='x'")
    assert_user_error(run_cli("crossings", str(broken)), "Could not read broken.osm")


def test_bad_rule_and_layer_names():
    assert_user_error(run_cli("crossings", "x.osm", "--rule", "noise=3"), "Unknown rule 'noise'")
    assert_user_error(run_cli("crossings", "x.osm", "--layers", "roads"), "Unknown layer roads")


def test_unknown_layer_of_a_line_file_is_one_sentence():
    # LAYER=PATH reaches the layer registry (layers.get_layer) through geo.errors.layer_spec
    proc = run_cli("crossings", "data/yrd/regions.geojson", "roads=data/yrd/highways.geojson")
    assert_user_error(proc, "Unknown layer 'roads'; choose from highways, railways")


def write_boundaries(
    path: Path, polygons: dict[str, shapely.Geometry], crs: str | None = CRS
) -> None:
    frame = gpd.GeoDataFrame({"name": list(polygons)}, geometry=list(polygons.values()), crs=crs)
    frame.to_file(path)


def test_boundaries_plus_line_files(tmp_path):
    regions = tmp_path / "provinces.gpkg"
    write_boundaries(regions, {"Zhejiang": box(0, 0, 10, 10), "Shanghai": box(10, 0, 20, 10)})
    roads = tmp_path / "roads.geojson"
    gpd.GeoDataFrame(
        {
            "highway": ["motorway", "motorway", "primary"],
            "ref": ["G60", "G60", ""],
            "lanes": ["4", "4", "2"],
            "oneway": ["yes", "yes", None],
        },
        geometry=[line((5, 5), (15, 5)), line((15, 5.05), (5, 5.05)), line((5, 1), (15, 1))],
        crs=CRS,
    ).to_crs(4326).to_file(roads)
    before = roads.read_bytes()
    proc = run_cli(
        "crossings", str(regions), f"highways={roads}", "--region", "Zhejiang", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    motorway = next(p for p in out["pairs"] if p["class"] == "motorway")
    assert (
        motorway["a"],
        motorway["b"],
        motorway["routes"],
        motorway["interfaces"],
        motorway["lanes"],
    ) == ("Zhejiang", "Shanghai", 1, 1, 8)
    assert roads.read_bytes() == before


def test_a_geopackage_layer_named_after_no_kind_is_not_read_and_the_warnings_say_so(tmp_path):
    import pandas as pd
    import pyogrio

    from geo.io.sources import load_source

    package = tmp_path / "mine.gpkg"
    write_boundaries(package, {"Zhejiang": box(0, 0, 10, 10), "Shanghai": box(10, 0, 20, 10)})
    roads = gpd.GeoDataFrame({"highway": ["primary"]}, geometry=[line((5, 5), (15, 5))], crs=CRS)
    roads.to_file(package, layer="roads")  # lines a file of their own would be read as
    roads.to_file(package, layer="highways")
    table = pd.DataFrame({"style": ["x"]})  # a table without geometries: nothing to say
    pyogrio.write_dataframe(table, package, layer="layer_styles", driver="GPKG")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pyogrio's "More than one layer found": none
        source = load_source(str(package))  # the regions: the first layer, named "mine"
    assert list(source.layers) == ["highways"]
    assert [w.en for w in source.region_set.warnings] == [
        "The layer(s) roads of mine.gpkg are not read: layers are read by their names "
        "(highways, railways, waterways, ports, pipelines, cities); rename a layer to count its "
        "features."
    ]


def test_invalid_polygon_is_repaired_with_a_warning(tmp_path):
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    regions = tmp_path / "bad.geojson"
    write_boundaries(regions, {"Bow": bowtie, "Square": shapely.box(1, 0, 2, 1)}, crs="EPSG:4326")
    proc = run_cli("crossings", str(regions), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert any("repaired" in w for w in json.loads(proc.stdout)["warnings"])


def test_shapefile_without_crs_is_refused(tmp_path):
    path = tmp_path / "nocrs.shp"
    write_boundaries(path, {"A": box(0, 0, 1, 1)}, crs=None)
    assert_user_error(run_cli("crossings", str(path)), "no coordinate reference system")


def test_boundaries_without_polygons_or_names(tmp_path):
    lines_only = tmp_path / "lines.geojson"
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[line((0, 0), (1, 1))], crs=CRS).to_file(lines_only)
    assert_user_error(run_cli("crossings", str(lines_only)), "holds no polygons")
    unnamed = tmp_path / "unnamed.geojson"
    gpd.GeoDataFrame({"NAME_1": ["A"]}, geometry=[box(0, 0, 1, 1)], crs=CRS).to_file(unnamed)
    assert_user_error(run_cli("crossings", str(unnamed)), "--name-field", "NAME_1")


def _datum_interfaces(*args: str) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """Zhejiang's interfaces of ``crossings ARGS``, ``{ref: (lon, lat)}``, and the warnings."""
    proc = run_cli("crossings", *args, "--region", "Zhejiang", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    return {i["ref"]: (i["lon"], i["lat"]) for i in out["interfaces"]}, out["warnings"]


def test_datum_gcj02_brings_gcj02_files_back_onto_the_wgs84_crossings(tmp_path):
    from test_datum import metres, write_pair

    wgs_regions, wgs_roads = write_pair(tmp_path / "wgs", datum="wgs84")
    gcj_regions, gcj_roads = write_pair(tmp_path / "gcj", datum="gcj02")
    wgs, _ = _datum_interfaces(str(wgs_regions), f"highways={wgs_roads}")
    converted, warnings = _datum_interfaces(
        str(gcj_regions), f"highways={gcj_roads}", "--datum", "gcj02"
    )
    raw, _ = _datum_interfaces(str(gcj_regions), f"highways={gcj_roads}")
    assert set(wgs) == set(converted) == {"G60", "S1"}
    for ref in wgs:
        assert metres(*converted[ref], *wgs[ref]) < 1.0
        assert 400 < metres(*raw[ref], *wgs[ref]) < 700
    assert any("converted from GCJ-02 to WGS84" in w and "median of" in w for w in warnings)


def test_datum_bd09_brings_baidu_files_back_onto_the_wgs84_crossings(tmp_path):
    from test_datum import metres, write_pair

    wgs_regions, wgs_roads = write_pair(tmp_path / "wgs", datum="wgs84")
    bd_regions, bd_roads = write_pair(tmp_path / "bd", datum="bd09")
    wgs, _ = _datum_interfaces(str(wgs_regions), f"highways={wgs_roads}")
    converted, warnings = _datum_interfaces(
        str(bd_regions), f"highways={bd_roads}", "--datum", "bd09"
    )
    assert set(wgs) == set(converted) == {"G60", "S1"}
    for ref in wgs:
        assert metres(*converted[ref], *wgs[ref]) < 1.0
    assert any("converted from BD-09 to WGS84" in w and "median of" in w for w in warnings)


def test_datum_mistakes_are_one_sentence(tmp_path):
    from test_datum import write_pair

    osm = tmp_path / "extract.osm"
    osm.write_text("<osm version='0.6'></osm>")
    assert_user_error(run_cli("crossings", str(osm), "--datum", "gcj02"), "WGS84 by definition")
    assert_user_error(run_cli("crossings", "yrd", "--datum", "gcj02"), "drop --datum gcj02")
    assert_user_error(run_cli("crossings", "yrd", "--datum", "bd09"), "drop --datum bd09")
    assert_user_error(run_cli("crossings", "yrd", "--datum", "bd10"), "Unknown datum 'bd10'")
    regions, _ = write_pair(tmp_path, datum="gcj02")
    projected = tmp_path / "utm.gpkg"
    gpd.read_file(regions).to_crs(32651).to_file(projected)
    assert_user_error(
        run_cli("crossings", str(projected), "--datum", "gcj02"), "projected CRS", "EPSG:4326"
    )


@pytest.mark.shared
def test_workers_give_the_same_report(monaco_path):
    one = run_cli("crossings", str(monaco_path), "--region", "Monaco", "--format", "json")
    two = run_cli(
        "crossings", str(monaco_path), "--region", "Monaco", "--format", "json", "--workers", "2"
    )
    assert one.returncode == two.returncode == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)
    bad = run_cli("crossings", str(monaco_path), "--workers", "0")
    assert bad.returncode == 2 and "--workers must be 1 or more" in bad.stderr


def test_the_report_comparison_leaves_out_borders_and_layers_that_were_not_counted():
    # Shanghai's count holds no Zhejiang–Jiangsu border; a highways-only count no waterways.
    # Both used to be listed as "computed 0 — unexplained".
    shanghai = run_cli("crossings", "yrd", "--region", "Shanghai", "--as-of", "2006")
    assert shanghai.returncode == 0, shanghai.stderr
    compared = shanghai.stdout.split("Against the documented figures")[1]
    assert "Zhejiang–Shanghai      highways   lanes" in compared
    assert "Zhejiang–Jiangsu" not in compared
    roads = run_cli(
        "crossings", "yrd", "--region", "Zhejiang", "--layers", "highways", "--as-of", "2006"
    )
    compared = roads.stdout.split("Against the documented figures")[1]
    assert "Zhejiang–Jiangsu       highways   lanes" in compared
    assert "waterways" not in compared and "unexplained" not in compared
    anhui = run_cli("crossings", "yrd", "--region", "Anhui", "--as-of", "2006")
    assert "No documented figure is of the borders and layers counted here." in anhui.stdout


# -------------------------------------- line files after a dataset or a fetched package


def _one_sentence(code: int, err: str, lang: str, *needles: str) -> str:
    """The error's one line (``jiegui: ...``) in ``lang``, exit 2, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err and err.startswith("jiegui: ") and err.count("\n") == 1, err
    sentence = err.removeprefix("jiegui: ")
    has_chinese = any("\u4e00" <= c <= "\u9fff" for c in sentence)
    assert has_chinese == (lang == "zh"), sentence
    for needle in needles:
        assert needle in sentence, sentence
    return sentence


def _a_line_file(path: Path) -> Path:
    gpd.GeoDataFrame({"highway": ["motorway"]}, geometry=[line((0, 0), (1000, 0))], crs=CRS).to_crs(
        4326
    ).to_file(path)
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_line_files_after_an_embedded_dataset_are_refused_not_ignored(tmp_path, capsys, lang):
    # They were ignored: the same counts as without them, exit 0.
    from geo.cli import main

    lines = _a_line_file(tmp_path / "hw.geojson")
    code = main(["crossings", "yrd", f"highways={lines}", "--region", "Zhejiang", "--lang", lang])
    out, err = capsys.readouterr()
    assert out == ""
    sentence = _one_sentence(code, err, lang, "hw.geojson", "regions.geojson")
    assert ("cannot be added" in sentence) if lang == "en" else ("不能附加" in sentence)


@pytest.mark.shared
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_line_files_after_a_fetched_package_are_refused_not_ignored(
    monaco_path, tmp_path, capsys, lang
):
    from geo.cli import main
    from geo.io.fetch import fetch, load_regions
    from geo.io.package import write_package

    region_set, regions_from = load_regions(boundaries=monaco_path, region="Monaco")
    fetched = fetch(
        region_set,
        regions_from=regions_from,
        region="Monaco",
        layer_names=["highways"],
        osm_file=monaco_path,
    )
    package = write_package(fetched, tmp_path / "monaco.gpkg")[0]
    lines = _a_line_file(tmp_path / "hw.geojson")
    code = main(["crossings", str(package), f"highways={lines}", "--region", "Monaco",
                 "--lang", lang])  # fmt: skip
    out, err = capsys.readouterr()
    assert out == ""
    sentence = _one_sentence(code, err, lang, "hw.geojson", "monaco.gpkg", "python -m geo fetch")
    assert ("cannot be added" in sentence) if lang == "en" else ("不能附加" in sentence)
    assert main(["crossings", str(package), "--region", "Monaco", "--format", "json"]) == 0


# --------------------------------------------------------- --out's extension and --format


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["crossings", "yrd", "--format", "geojson", "--out", "zj.gpkg"], ["zj.geojson"]),
        (["crossings", "yrd", "--out", "x.csv"], ["x.csv", "--format csv", "x.txt"]),
        (["crossings", "yrd", "--format", "json", "--out", "x.geojson"], ["--format geojson"]),
        (["crossings", "yrd", "--overview", "--format", "csv", "--out", "x.json"], ["x.csv"]),
        (["resilience", "yrd", "--region", "Zhejiang", "--out", "r.csv"], ["r.csv", "r.txt"]),
        (["resilience", "yrd", "--region", "Zhejiang", "--format", "geojson", "--out", "r.gpkg"],
         ["r.geojson"]),
    ],
    ids=["geojson-gpkg", "table-csv", "json-geojson", "csv-json", "resilience-table-csv",
         "resilience-geojson-gpkg"],
)  # fmt: skip
def test_an_out_extension_that_says_another_format_is_refused(
    tmp_path, capsys, monkeypatch, argv, needles, lang
):
    from geo.cli import main

    monkeypatch.chdir(tmp_path)
    code = main([*argv, "--lang", lang])  # refused before the data are read
    out, err = capsys.readouterr()
    assert out == ""
    _one_sentence(code, err, lang, *needles)
    assert list(tmp_path.iterdir()) == []


def test_the_extensions_each_format_takes():
    from geo.cli import check_out_format
    from geo.errors import InvalidParameterError

    for name, fmt in [("a.txt", "table"), ("a.json", "json"), ("a.geojson", "geojson"),
                      ("a.JSON", "geojson"), ("a.csv", "csv"), ("a.out", "table"), ("a", "csv"),
                      ("a.log", "json")]:  # fmt: skip
        check_out_format(Path(name), fmt)
    for name, fmt in [("a.json", "table"), ("a.geojson", "json"), ("a.zip", "table"),
                      ("a.shp", "geojson"), ("a.txt", "csv")]:  # fmt: skip
        with pytest.raises(InvalidParameterError):
            check_out_format(Path(name), fmt)


@pytest.mark.parametrize("command", ["crossings", "resilience"])
def test_out_dash_is_standard_output(tmp_path, capsys, monkeypatch, command):
    """``--out -`` prints, as in most tools; it wrote a file named ``-``."""
    from geo.cli import main

    monkeypatch.chdir(tmp_path)
    assert main([command, "yrd", "--region", "Zhejiang", "--format", "json", "--out", "-"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["source"] == "yrd"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unknown_option_points_to_the_command_s_help(capsys, lang):
    """argparse pointed to the program's help, which does not list a command's options."""
    from geo.cli import main

    with pytest.raises(SystemExit) as ended:
        main(["crossings", "yrd", "--bogus", "x", "--lang", lang])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--bogus x" in err
    assert "'python -m geo crossings --help'" in err


def test_the_script_s_hints_name_the_script(monkeypatch, capsys):
    """Typed as ``jiegui``, the hint says ``jiegui``, not ``python -m geo``."""
    from geo.cli import main

    monkeypatch.setattr(sys, "argv", ["/venv/bin/jiegui", "crossings"])
    with pytest.raises(SystemExit):
        main(["crossings", "yrd", "--bogus", "x"])
    assert "'jiegui crossings --help'" in capsys.readouterr().err
