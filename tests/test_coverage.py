"""Coverage: which borders and layers a source covers, and how a run says so."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import geopandas as gpd
import pytest

from geo.analysis import count_crossings
from geo.coverage import (
    COVERED,
    Cover,
    border_notes,
    declared,
    fetch_command,
    supplied,
    within_area,
)
from geo.errors import InvalidParameterError
from geo.io.fetch import fetch, load_regions
from geo.io.package import write_package
from geo.io.sources import load_source
from geo.projection import WGS84
from helpers.golden import run
from helpers.paths import ROOT
from helpers.synthetic import CRS, box, line, regions

AUTHORED = {("Shanghai", "Zhejiang"), ("Jiangsu", "Zhejiang")}
#: Waterways and pipelines are authored on these borders too (issue 15).
WATER_AND_PIPES = {("Jiangsu", "Shanghai"), ("Anhui", "Jiangsu"), *AUTHORED}
#: Pipelines also on Zhejiang–Jiangxi: the Zhejiang–Jiangxi product line (龙游—上饶, 2016).
PIPES = {("Jiangxi", "Zhejiang"), *WATER_AND_PIPES}
#: Railways are authored on every border among Shanghai, Jiangsu, Zhejiang and Anhui and on
#: Zhejiang's borders with Jiangxi and Fujian (data/yrd/sources/coverage.yaml).
RAIL_BORDERS = {("Jiangsu", "Shanghai"), ("Anhui", "Jiangsu"), ("Anhui", "Zhejiang"),
                ("Jiangxi", "Zhejiang"), ("Fujian", "Zhejiang"), *AUTHORED}
#: Borders where some expressways are authored too (issue 15), declared partly covered.
HIGHWAYS_PARTLY = {("Jiangsu", "Shanghai"), ("Anhui", "Zhejiang"), ("Jiangxi", "Zhejiang"),
                   ("Fujian", "Zhejiang"), ("Anhui", "Jiangsu")}


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd")


def covers(result) -> dict[tuple[str, str, str], tuple[bool, bool]]:
    summary = result.summary
    return {
        (*sorted((a, b)), layer): (covered, partly)
        for a, b, layer, covered, partly in summary[
            ["a", "b", "layer", "covered", "partly"]
        ].itertuples(index=False)
    }


# ------------------------------------------------------------- the embedded dataset


def test_the_dataset_declares_only_its_authored_borders(yrd):
    result = count_crossings(yrd.layers, yrd.region_set, as_of=2006, coverage=yrd.coverage)
    found = covers(result)
    for (a, b, layer), (covered, _) in found.items():
        if layer == "highways" and (a, b) in HIGHWAYS_PARTLY:
            assert found[(a, b, layer)] == (True, True), (a, b)
        elif (a, b) not in {"railways": RAIL_BORDERS, "waterways": WATER_AND_PIPES,
                             "pipelines": PIPES}.get(layer, AUTHORED):
            assert not covered, (a, b, layer)
    for border in RAIL_BORDERS:
        assert found[(*border, "railways")][0], border
    assert found[("Shanghai", "Zhejiang", "railways")] == (True, False)
    assert found[("Anhui", "Jiangxi", "railways")] == (False, False)
    assert found[("Shanghai", "Zhejiang", "highways")] == (True, True)  # expressways only
    assert found[("Shanghai", "Zhejiang", "pipelines")] == (True, True)  # Sichuan–East only
    assert found[("Jiangsu", "Zhejiang", "pipelines")] == (True, True)
    assert found[("Jiangsu", "Shanghai", "waterways")] == (True, True)  # the Su–Shen lines
    assert found[("Anhui", "Zhejiang", "waterways")] == (False, False)
    assert found[("Jiangxi", "Zhejiang", "pipelines")] == (True, True)  # one product line
    # Zhejiang–Fujian: 温福 2009, 衢宁 2020 and the new 温福 HSR (building from 2025): complete.
    assert found[("Fujian", "Zhejiang", "railways")] == (True, False)
    # Jiangsu–Shanghai: metro lines (Line 11 to Huaqiao) are left out: partly.
    assert found[("Jiangsu", "Shanghai", "railways")] == (True, True)
    # No waterway is known across Zhejiang's Jiangxi and Fujian borders: declared not covered,
    # with that reason (coverage.yaml), not left to the default note.
    for border in (("Jiangxi", "Zhejiang"), ("Fujian", "Zhejiang")):
        assert found[(*border, "waterways")] == (False, False), border
        assert "none known" in yrd.coverage.cover(*border, "waterways").reason.en, border


def test_a_layer_is_covered_only_from_the_year_it_was_surveyed_from():
    coverage = declared({"borders": [{"border": "A–B", "layers": {"railways": {
        "since": 2006,
        "since_note": {"en": "lines closed before 2006 were not looked for",
                       "zh": "2006年以前已停用的线路未予查找"}}}}]}, source="demo")
    cover = coverage.cover("B", "A", "railways", as_of=2005)
    assert not cover.covered and cover.since == 2006
    assert "closed before 2006" in cover.reason.en and "2006年" in cover.reason.zh
    assert coverage.cover("A", "B", "railways", as_of=2006).covered
    assert coverage.cover("A", "B", "railways").covered  # as the data stand
    note = coverage.note("A", "B", "railways", as_of=2005)
    assert "your own GIS files" in note.en and "GIS" in note.zh


def test_the_dataset_covers_railways_from_their_first_line(yrd):
    # The railways of the delta are authored from the first line across each border
    # (沪杭 1909, 苏嘉 1936...): covered in any year, no "since".
    for border in RAIL_BORDERS:
        cover = yrd.coverage.cover(*border, "railways", as_of=1900)
        assert cover.covered and cover.since is None, border


def test_a_note_says_what_would_cover_a_border(yrd):
    note = yrd.coverage.note("Zhejiang", "Anhui", ["waterways", "pipelines"])
    assert note.en.startswith("Not covered (Zhejiang–Anhui: waterways, pipelines): ")
    assert fetch_command("Zhejiang", "Anhui") in note.en and note.en.endswith(".")
    assert note.zh.startswith("未覆盖（Zhejiang–Anhui：")
    assert fetch_command("Zhejiang", "Anhui") in note.zh
    assert yrd.coverage.note("Zhejiang", "Shanghai", "railways") is None


def test_the_json_marks_rows_not_covered_and_adds_the_notes():
    out = json.loads(run(["crossings", "yrd", "--region", "Zhejiang", "--as-of", "2006",
                          "--format", "json"]))
    # Zhejiang–Anhui: railways and some expressways are authored (partly covered), no
    # waterway or pipeline.
    anhui = [p for p in out["pairs"] if p["b"] == "Anhui" and p["layer"] in ("waterways",
                                                                               "pipelines")]
    assert len(anhui) == 2
    assert all(p["covered"] is False and p["interfaces"] == 0 for p in anhui)
    for layer in ("railways", "highways"):
        [pair] = [p for p in out["pairs"] if p["b"] == "Anhui" and p["layer"] == layer]
        assert pair["covered"] is True and pair["partly"] is True, layer
    shanghai = {p["layer"]: p for p in out["pairs"] if p["b"] == "Shanghai"}
    assert shanghai["railways"]["covered"] is True and shanghai["railways"]["partly"] is False
    entries = [c for c in out["coverage"] if c["b"] == "Anhui" and c["covered"] is False]
    assert sorted(layer for e in entries for layer in e["layers"]) == sorted(
        p["layer"] for p in anhui)
    for entry in entries:  # one per note: the waterways' and the pipelines' differ
        assert entry["covered"] is False and "python -m geo fetch" in entry["note"]["en"]
        assert entry["note"]["zh"].startswith("未覆盖")
    # Borders wholly covered for every layer need no note.
    assert not [c for c in out["coverage"] if c["b"] == "Shanghai" and c["layers"] == ["railways"]]


def test_the_table_says_not_covered_instead_of_zero():
    out = run(["crossings", "yrd", "--region", "Zhejiang", "--as-of", "2006"])
    anhui = out.split("Zhejiang – Anhui (land border)\n")[1].split("\n\n")[0]
    assert "0 route(s)" not in anhui
    rows = anhui.splitlines()[:4]
    assert [row.split()[0] for row in rows] == ["highways", "railways", "waterways", "pipelines"]
    for row in rows:  # each layer: "not covered", or what was found and how far it is covered
        assert "not covered 未覆盖" in row or ("route(s)" in row and "covered" in row), row
    [line] = [x for x in anhui.splitlines() if x.strip().startswith("highways   motorway")]
    assert "partly covered 部分覆盖" in line
    assert "To cover it: fetch that border with `python -m geo fetch" in anhui
    assert "如需覆盖" in anhui
    shanghai = out.split("Zhejiang – Shanghai (land border)\n")[1].split("\n\n")[0]
    assert "motorway      2 route(s), 2 interface(s), 14 lanes — partly covered" in shanghai
    assert "railways   conventional  1 route(s), 1 interface(s)\n" in shanghai


def test_a_border_not_covered_still_shows_what_was_found(yrd):
    """Declared not covered, a layer still reports what the data hold: here the dataset's
    declaration with the Jiangsu–Shanghai pipelines left out (every border of the dataset
    that holds a link now declares its layer covered or partly)."""
    from geo.io.report import _summary_line

    raw = copy.deepcopy(json.loads((ROOT / "data" / "yrd" / "dataset.json").read_text(
        encoding="utf-8"))["coverage"])
    for entry in raw["borders"]:
        if entry["border"] == "Jiangsu–Shanghai":
            del entry["layers"]["pipelines"]
    coverage = declared(raw, source="yrd")
    result = count_crossings(yrd.layers, yrd.region_set, as_of=2024, coverage=coverage)
    summary = result.summary
    row = summary[(summary["a"] == "Jiangsu") & (summary["b"] == "Shanghai")
                  & (summary["layer"] == "pipelines")].iloc[0]
    # Open in 2024 by their sources: the West–East main line (2003) and the
    # Rudong–Haimen–Chongming line (2017); the China–Russia line is still being built.
    assert not row["covered"] and row["interfaces"] == 2
    assert "(found all the same: 2 route(s), 2 interface(s)" in _summary_line(row.to_dict())


# --------------------------------------------------------------- declarations checked


@pytest.mark.parametrize(
    ("declaration", "needle"),
    [
        ({"borders": [{"border": "A-B", "layers": {}}]}, "en dash"),
        ({"borders": [{"border": "A–B", "layers": {"roads": {}}}]}, "roads"),
        ({"borders": [{"border": "A–B", "layers": {"highways": {"partly": True}}}]}, "note"),
        ({"borders": [{"border": "A–B", "layers": {"highways": {"since": "2006"}}}]}, "year"),
        ({"default": {"covered": False, "note": {"en": "x"}}}, "'zh'"),
        ({"default": {"coverd": True}}, "coverd"),
    ],
)
def test_a_wrong_declaration_is_one_sentence(declaration, needle):
    with pytest.raises(InvalidParameterError, match=needle):
        declared(declaration, source="test")


def test_a_dataset_without_a_declaration_covers_everything():
    coverage = declared({"default": {}}, source="test")
    assert coverage.cover("A", "B", "highways") == COVERED


# ------------------------------------------------------------------- other sources


def test_the_area_covers_borders_inside_it_wholly_partly_or_not():
    rs = regions({"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10), "C": box(20, 0, 30, 10)})
    area = gpd.GeoSeries([box(5, -5, 22, 5)], crs=CRS).to_crs(WGS84).iloc[0]
    coverage = within_area(rs, area, kind="osm", source="x.osm", layers=["highways"])
    ab = coverage.cover("B", "A", "highways")
    assert (ab.covered, ab.partly) == (True, True) and "50%" in ab.reason.en
    whole = gpd.GeoSeries([box(5, -5, 15, 15)], crs=CRS).to_crs(WGS84).iloc[0]
    coverage = within_area(rs, whole, kind="osm", source="x.osm", layers=["highways"])
    assert coverage.cover("A", "B", "highways") == COVERED
    outside = coverage.cover("B", "C", "highways")
    assert not outside.covered and "outside" in outside.reason.en
    assert "bigger extract" in coverage.note("B", "C", "highways").en


def test_the_users_files_cover_every_border_of_their_layers(tmp_path: Path):
    polygons = gpd.GeoDataFrame(
        {"name": ["A", "B"]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=CRS
    )
    polygons.to_file(tmp_path / "regions.geojson")
    roads = gpd.GeoDataFrame({"highway": ["primary"]}, geometry=[line((5, 5), (15, 5))], crs=CRS)
    roads.to_file(tmp_path / "roads.geojson")
    roads_item = f"highways={tmp_path / 'roads.geojson'}"
    source = load_source(str(tmp_path / "regions.geojson"), [roads_item])
    assert source.coverage == supplied("regions.geojson")
    result = count_crossings(source.layers, source.region_set, coverage=source.coverage)
    assert result.summary["covered"].all() and not result.summary["partly"].any()


@pytest.mark.shared
def test_an_extract_covers_the_borders_inside_its_bounds(monaco_path, andorra_path):
    monaco = load_source(str(monaco_path), region="Monaco", layer_names=["highways"])
    assert monaco.coverage.cover("Monaco", "France métropolitaine", "highways") == COVERED
    andorra = load_source(str(andorra_path), region="Andorra", layer_names=["highways"])
    cover = andorra.coverage.cover("Andorra", "España", "highways")
    # The header's box stops at Andorra's own extent: parts of its borders lie outside.
    assert cover.covered and cover.partly and "andorra-2013-05-28.osm.pbf" in cover.reason.en


@pytest.mark.shared
def test_a_package_covers_the_border_it_was_fetched_for(andorra_path, tmp_path: Path):
    region_set, regions_from = load_regions(boundaries=andorra_path, region="Andorra")
    result = fetch(
        region_set,
        regions_from=regions_from,
        region="Andorra",
        neighbour="España",
        layer_names=("highways",),
        osm_file=andorra_path,
        width_m=1000,
        sea_gap_m=0,
    )
    out = write_package(result, tmp_path / "andorra-spain.gpkg")[0]
    package = load_source(str(out), layer_names=["highways"])
    assert package.coverage.kind == "package"
    assert package.coverage.cover("Andorra", "España", "highways") == COVERED
    france = package.coverage.cover("Andorra", "France métropolitaine", "highways")
    assert isinstance(france, Cover) and france != COVERED  # the band reaches it only near Spain
    note = package.coverage.note("Andorra", "France métropolitaine", "highways")
    assert "andorra-spain.gpkg" in note.en and "--neighbour" in note.en


def test_border_notes_hold_for_the_years_of_each_cover():
    coverage = declared({"borders": [{"border": "A–B", "layers": {
        "railways": {"partly": True, "since": 2006,
                     "note": {"en": "only the main line is authored", "zh": "仅收录干线"}},
        "highways": {"partly": True,
                     "note": {"en": "only expressways are authored", "zh": "仅收录高速公路"}},
    }}]}, source="demo")  # fmt: skip
    notes = border_notes(coverage, [("B", "A")], ["highways", "railways", "ports"],
                         list(range(2003, 2009)))  # fmt: skip
    spans = [(n.layers, n.cover.covered, n.first_year, n.last_year) for n in notes]
    # Highways partly covered every year; railways not covered before 2006, partly after.
    assert spans == [
        (("highways",), True, 2003, 2008),
        (("railways",), False, 2003, 2005),
        (("railways",), True, 2006, 2008),
    ]
    for note in notes:
        year = note.first_year
        assert (note.a, note.b) == ("B", "A")  # as the table has the border
        assert note.cover == coverage.cover("A", "B", note.layers[0], as_of=year)
        assert note.reason == coverage.reason(note.cover, note.layers[0])
        assert note.note == coverage.note("B", "A", list(note.layers), as_of=year)
        assert note.as_dict()["note"] == note.note.as_dict()
    assert border_notes(None, [("A", "B")], ["highways"]) == ()
