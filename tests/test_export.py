"""Exports read back with geopandas, pyogrio and sqlite3 give the border's features and counts.

Each file is written as the page and the command line write it, read back as a GIS would
read it, and compared with what the engine counted for the same border, year and basis,
never with numbers written here: the features are those the pair's interfaces are on, the
counts those of the summary, the history that of :mod:`geo.lifecycle` year by year.
"""

from __future__ import annotations

import io
import json
import math
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.analysis import count_crossings
from geo.history import HISTORY_COLUMNS, capacity_column
from geo.io import export
from geo.io.sources import load_source
from geo.lifecycle import layers_at, status_at, value_at
from geo.pair_export import (
    COUNT_EXPORT_COLUMNS,
    FEATURE_HEAD,
    INTERFACE_EXPORT_COLUMNS,
    OTHER_LINK_COLUMNS,
    REPLACED,
    PairExport,
    capacity_columns,
    count_and_export,
)
from geo.summary import count_routes, layer_totals, pair_interfaces, pair_mask
from geo.values import json_safe
from helpers import synthetic as syn
from layers import REGISTRY


def _export(
    layers: dict[str, Any],
    region_set: Any,
    region: str,
    neighbour: str | None,
    *,
    as_of: int | None = None,
    statuses: tuple[str, ...] = ("open",),
    coverage: Any = None,
) -> PairExport:
    return count_and_export(
        layers, region_set, region=region, neighbour=neighbour, as_of=as_of,
        statuses=statuses, coverage=coverage,
    )  # fmt: skip


def _expected(layers: dict[str, Any], region_set: Any, region: str, neighbour: str | None,
              *, as_of: int | None = None, statuses: tuple[str, ...] = ("open",)) -> dict:
    """What the page counts for the same inputs, derived independently of the export."""
    lines = {n: f for n, f in layers.items() if REGISTRY[n].geometry == "line"}
    result = count_crossings(lines, region_set, region=region, as_of=as_of, statuses=statuses)
    shown = pair_interfaces(result.interfaces, region, neighbour)
    return {
        "interfaces": shown,
        "totals": layer_totals(shown, list(lines)).set_index("layer"),
        "summary": result.summary[pair_mask(result.summary, region, neighbour)],
        "shown": layers_at(layers, as_of=as_of, statuses=statuses),
    }


def _no_nan(value: Any) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for v in value.values():
            _no_nan(v)
    elif isinstance(value, list):
        for v in value:
            _no_nan(v)


def _on(interfaces: pd.DataFrame, layer: str) -> set[str]:
    rows = interfaces[interfaces["layer"] == layer] if len(interfaces) else interfaces
    return {s for ids in rows.get("source_ids", []) for s in str(ids).split(";") if s}


def _check_round_trip(pair: PairExport, expected: dict, files: dict, tmp_path: Path) -> None:
    # GeoJSON per layer: the pair's features only, WGS84, strict JSON, the export's columns.
    for name in pair.layers:
        file_name, data, mime = files[name]
        assert mime == "application/geo+json"
        parsed = json.loads(data, parse_constant=lambda c, f=file_name: pytest.fail(f"{c} in {f}"))
        assert "crs" not in parsed
        _no_nan(parsed)
        if REGISTRY[name].geometry == "line":
            wanted = _on(expected["interfaces"], name)
        else:
            wanted = {f["properties"]["id"] for f in parsed["features"]}  # checked below
        assert {f["properties"]["id"] for f in parsed["features"]} == wanted, name
        if parsed["features"]:
            back = gpd.read_file(io.BytesIO(data))
            assert back.crs.to_epsg() == 4326
            assert set(back["id"]) == wanted
            assert list(back.columns[: len(FEATURE_HEAD)]) == FEATURE_HEAD
            for column in [*capacity_columns(name), "as_of", "basis"]:
                assert column in back.columns, (name, column)
            assert not set(REPLACED) & set(back.columns), name
        # Every feature shown is in its layer's file or among the other links, once.
        shown = set(expected["shown"][name]["id"]) if name in expected["shown"] else set()
        others = set(pair.other_links["id"][pair.other_links["layer"] == name])
        if REGISTRY[name].geometry == "line":
            assert wanted | others == shown and not wanted & others, name

    # Interfaces GeoJSON: the same interfaces and counts per layer as the cards.
    interfaces = gpd.read_file(io.BytesIO(files["interfaces"][1]))
    assert len(interfaces) == len(expected["interfaces"])
    if len(interfaces):
        assert list(interfaces.columns[:-1]) == INTERFACE_EXPORT_COLUMNS
        assert sorted(interfaces["id"]) == sorted(expected["interfaces"]["id"])
        assert "capacity" not in interfaces.columns
    for layer, row in expected["totals"].iterrows():
        sub = interfaces[interfaces["layer"] == layer] if len(interfaces) else interfaces
        assert len(sub) == row["interfaces"], layer
        assert (count_routes(sub) if len(sub) else 0) == row["routes"], layer
        if len(sub):
            column = capacity_column(layer)
            known = sub[column].dropna()
            if REGISTRY[layer].capacity_total == "sum" and len(known) == len(sub):
                assert int(known.sum()) == row["capacity"], layer

    # Counts CSV (UTF-8 with a BOM): the summary rows of the pair, year, basis, coverage.
    raw = files["counts"][1]
    assert raw.startswith("\ufeff".encode())
    counts = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(counts.columns) == COUNT_EXPORT_COLUMNS
    assert len(counts) == len(expected["summary"])
    assert set(counts["as_of"]) <= {pair.year} and set(counts["basis"]) <= {pair.basis}
    assert set(counts["coverage"]) <= {"covered", "partly covered", "not covered"}
    for layer, row in expected["totals"].iterrows():
        rows = counts[counts["layer"] == layer]
        assert rows["interfaces"].sum() == row["interfaces"], layer

    # GeoPackage: every table, each complete; the styles QGIS reads.
    path = tmp_path / files["gpkg"][0]
    path.write_bytes(files["gpkg"][1])
    tables = {name for name, _ in pyogrio.list_layers(path)}
    spatial = {*pair.layers, "interfaces", "other_links", "regions"}
    assert tables == spatial | {"history", "counts", "columns", "layer_styles"}
    for name, frame in pair.layers.items():
        assert len(gpd.read_file(path, layer=name)) == len(frame), name
    assert len(gpd.read_file(path, layer="interfaces")) == len(expected["interfaces"])
    history = pyogrio.read_dataframe(path, layer="history")
    assert list(history.columns) == [*HISTORY_COLUMNS[:4], "name_zh", "name_en",
                                     *HISTORY_COLUMNS[4:], "as_of", "basis"]  # fmt: skip
    assert len(history) == len(pair.history)
    # The history CSV too carries the year shown and the basis in every row.
    raw = pd.read_csv(io.BytesIO(files["history"][1]), encoding="utf-8-sig")
    assert len(raw) == len(pair.history)
    assert set(raw["as_of"]) <= {pair.year} and set(raw["basis"]) <= {pair.basis}
    _check_layer_styles(path, spatial)


def _check_layer_styles(path: Path, spatial: set[str]) -> None:
    with sqlite3.connect(path) as connection:
        geometry = dict(
            connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        )
        columns = [r[1] for r in connection.execute("PRAGMA table_info(layer_styles)")]
        rows = connection.execute(
            "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "styleName, styleQML, styleSLD, useAsDefault, update_time FROM layer_styles"
        ).fetchall()
        registered = connection.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"
        ).fetchone()
    assert columns == ["id", *export.LAYER_STYLE_COLUMNS]
    assert registered == ("attributes",)  # an OGR layer, as QGIS creates it
    assert {r[2] for r in rows} == spatial
    for catalog, schema, table, column, name, qml, sld, default, when in rows:
        # What QGIS's OGR provider matches a layer's default style on (loadStyle).
        assert (catalog, schema, name, default) == ("", "", table, 1)
        assert column == geometry[table]
        assert when
        info = pyogrio.read_info(path, layer=table)
        check_qml(qml, table, info["fields"].tolist())
        assert sld == ""  # QGIS reads the QML only (docs/exports.md)
        # Empty or not, each table declares its geometry, so QGIS can apply its style.
        assert info["geometry_type"] in {
            "LineString", "MultiLineString", "Point", "Polygon", "MultiPolygon"
        }, table


def check_qml(text: str, table: str, fields: list[str]) -> None:
    """A QML is well-formed, has a rule per status under each class, and names real fields."""
    root = ET.fromstring(text.split("\n", 1)[1])  # after the DOCTYPE line
    assert root.tag == "qgis" and root.get("labelsEnabled") == "1"
    renderer = root.find("renderer-v2")
    assert renderer is not None and renderer.get("type") == "RuleRenderer"
    symbols = {s.get("name"): s for s in renderer.find("symbols")}
    kind = {"0": "marker", "1": "line", "2": "fill"}[root.findtext("layerGeometryType")]
    for rule in renderer.iter("rule"):
        if rule.get("symbol") is not None:
            assert symbols[rule.get("symbol")].get("type") == kind
    if table != "regions":
        drawn = [r for r in renderer.iter("rule") if r.get("symbol") is not None]
        assert all('"status" IN (' in r.get("filter") for r in drawn)
    expressions = [r.get("filter") or "" for r in renderer.iter("rule")]
    expressions += [o.get("value") for o in root.iter("Option") if o.get("name") == "expression"]
    expressions.append(root.find("labeling/settings/text-style").get("fieldName"))
    for expression in expressions:
        for name in re.findall(r'"([^"]+)"', expression):
            assert name in fields, (table, name)
    for alias in root.iter("alias"):
        assert alias.get("field") in fields and alias.get("name")


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd")


@pytest.mark.parametrize(
    ("neighbour", "as_of"),
    [("Shanghai", None), ("Shanghai", 2006), ("Jiangsu", None), (None, None)],
)
def test_yrd_exports_round_trip(yrd, tmp_path, neighbour, as_of):
    pair = _export(yrd.layers, yrd.region_set, "Zhejiang", neighbour, as_of=as_of)
    expected = _expected(yrd.layers, yrd.region_set, "Zhejiang", neighbour, as_of=as_of)
    assert len(expected["interfaces"]) > 0
    files = export.export_files(pair, dataset="yrd")
    year = pair.year
    name = f"jiegui-yrd-zhejiang-{neighbour.lower() if neighbour else 'all'}-{year}-open"
    assert files["highways"][0] == f"{name}-highways.geojson"
    assert files["qml:highways"][0] == f"{name}-highways.qml"
    assert files["interfaces"][0] == f"{name}-interfaces.geojson"
    assert files["gpkg"][0] == f"{name}-all.gpkg" and files["zip"][0] == f"{name}-all.zip"
    _check_round_trip(pair, expected, files, tmp_path)


def test_a_pair_export_holds_only_that_border(yrd):
    """Zhejiang–Shanghai and Zhejiang–Jiangsu share no highway; each file is its border's."""
    shanghai = _export(yrd.layers, yrd.region_set, "Zhejiang", "Shanghai", as_of=2006,
                       statuses=("open", "construction"))  # fmt: skip
    jiangsu = _export(yrd.layers, yrd.region_set, "Zhejiang", "Jiangsu", as_of=2006,
                      statuses=("open", "construction"))  # fmt: skip
    every = layers_at(yrd.layers, as_of=2006, statuses=("open", "construction"))
    for pair, other in ((shanghai, jiangsu), (jiangsu, shanghai)):
        mine = set(pair.layers["highways"]["id"])
        assert mine and mine < set(every["highways"]["id"])
        assert not mine & set(other.layers["highways"]["id"])
        # The other border's highways are the context layer of this one.
        assert set(other.layers["highways"]["id"]) <= set(pair.other_links["id"])
        assert set(pair.regions["name"]) == {"Zhejiang", pair.neighbour}
    # The port reached across the border (the Donghai Bridge to Yangshan) is Shanghai's.
    assert len(shanghai.layers["ports"]) == 1 and jiangsu.layers["ports"].empty
    assert len(shanghai.layers["highways"]) == int(
        (shanghai.counts.loc[shanghai.counts["layer"] == "highways", "routes"]).sum()
    )


def test_columns_are_split_named_and_dated(yrd):
    pair = _export(yrd.layers, yrd.region_set, "Zhejiang", "Shanghai", as_of=2006,
                   statuses=("open", "construction"))  # fmt: skip
    highways = pair.layers["highways"].set_index("id")
    tagged = yrd.layers["highways"].set_index("id")
    for fid, row in highways.iterrows():
        assert row["lanes"] == value_at(tagged.loc[[fid]], "capacity", 2006).iloc[0]
        assert row["name_zh"] == tagged.at[fid, "name_zh"]
        assert row["name_en"] == tagged.at[fid, "name_en"]
        # Opened: the first year the feature's status is open (as the counts read it).
        years = range(1800, 2100)
        first_open = next((y for y in years if status_at(tagged.loc[[fid]], y).iloc[0] == "open"),
                          None)  # fmt: skip
        assert (None if pd.isna(row["opened"]) else int(row["opened"])) == first_open, fid
    waterways = pair.layers["waterways"]
    assert set(waterways["grade_roman"]) <= {"", "I", "II", "III", "IV", "V", "VI", "VII"}
    assert {"grade", "grade_roman"} <= set(waterways.columns)
    assert "lanes" not in waterways.columns and "tracks" in pair.layers["railways"].columns
    ports = pair.layers["ports"]
    assert {"berths", "teu"} <= set(ports.columns) and "oneway" not in ports.columns


def test_history_follows_the_years_counted(yrd):
    pair = _export(yrd.layers, yrd.region_set, "Zhejiang", None, as_of=2024)
    history = pair.history
    assert len(history) and list(history.columns[:4]) == HISTORY_COLUMNS[:4]
    assert set(history["as_of"]) == {2024} and set(history["basis"]) == {"open"}
    tagged = {n: f.set_index("id") for n, f in yrd.layers.items()}
    for row in history.itertuples(index=False):
        feature = tagged[row.layer].loc[[row.id]]
        assert status_at(feature, int(row.year)).iloc[0] == row.status_after
        assert status_at(feature, int(row.year) - 1).iloc[0] == row.status_before
        if row.status_after and not pd.isna(row.value_after):
            assert value_at(feature, "capacity", int(row.year)).iloc[0] == row.value_after
    # A feature's widened year is its last history row that widened it.
    for frame in pair.layers.values():
        for fid, widened in zip(frame["id"], frame["widened"]):
            rows = history[(history["id"] == fid) & history["change"].str.contains("widened")]
            assert (None if pd.isna(widened) else int(widened)) == (
                int(rows["year"].max()) if len(rows) else None
            )


def test_lanes_per_direction_are_never_guessed():
    regions = syn.regions({"West": syn.box(0, 0, 50, 50), "East": syn.box(50, 0, 100, 50)})
    highways = syn.features(
        "highways",
        [
            {"highway": "primary", "lanes": "3", "lanes:forward": "2", "lanes:backward": "1",
             "geometry": syn.line((10, 20), (90, 20))},
            {"highway": "primary", "lanes": "4", "geometry": syn.line((10, 30), (90, 30))},
            {"highway": "motorway", "lanes": "3", "ref": "G1",
             "geometry": syn.line((10, 40), (90, 40))},
            {"highway": "motorway", "lanes": "3", "ref": "G1", "oneway": "-1",
             "geometry": syn.line((10, 41), (90, 41))},
        ],
    )  # fmt: skip
    pair = _export({"highways": highways}, regions, "West", "East")
    rows = pair.layers["highways"].set_index("id")
    assert (rows.at["test:0", "lanes_forward"], rows.at["test:0", "lanes_backward"]) == (2, 1)
    assert rows.loc["test:1", ["lanes_forward", "lanes_backward"]].isna().all()
    assert (rows.at["test:2", "lanes_forward"], rows.at["test:2", "lanes_backward"]) == (3, 0)
    assert (rows.at["test:3", "lanes_forward"], rows.at["test:3", "lanes_backward"]) == (0, 3)


@pytest.fixture(scope="module")
def tiny() -> dict[str, Any]:
    """Two regions, a motorway with unknown lanes, a proposed railway, a port, NaN values."""
    regions = syn.regions({"West 西": syn.box(0, 0, 50, 50), "East": syn.box(50, 0, 100, 50)})
    highways = syn.features(
        "highways",
        [
            {
                "highway": "motorway",
                "oneway": "no",
                "ref": "G60",
                "name": 'A "quoted" <name>',
                "geometry": syn.line((10, 20), (90, 20)),
            },
            {"highway": "primary", "lanes": "2", "geometry": syn.line((10, 30), (90, 30))},
            {"highway": "primary", "name": "Inside", "geometry": syn.line((10, 40), (40, 40))},
        ],
    )
    railways = syn.features(
        "railways",
        [
            {
                "railway": "construction",
                "construction": "rail",
                "geometry": syn.line((10, 10), (90, 10)),
            }
        ],
    )
    ports = syn.features(
        "ports",
        [{"harbour": "yes", "name": "Port", "geometry": shapely.Point(syn.X0 + 2e4, syn.Y0 + 5e3)}],
    )
    return {
        "regions": regions,
        "layers": {"highways": highways, "railways": railways, "ports": ports},
    }


@pytest.mark.parametrize("statuses", [("open",), ("open", "construction")])
def test_tiny_case_round_trips(tiny, tmp_path, statuses):
    args = (tiny["layers"], tiny["regions"], "West 西", "East")
    pair = _export(*args, statuses=statuses)
    expected = _expected(*args, statuses=statuses)
    assert len(expected["interfaces"]) == len(statuses) + 1  # two roads (+ the railway)
    files = export.export_files(pair, dataset="my upload")
    assert files["interfaces"][0].startswith("jiegui-my-upload-west-西-east-")
    _check_round_trip(pair, expected, files, tmp_path)
    # Unknown lanes are null, never NaN, and lists stay lists in GeoJSON.
    props = [f["properties"] for f in json.loads(files["interfaces"][1])["features"]]
    motorway = next(p for p in props if p["class"] == "motorway")
    assert motorway["lanes"] is None and motorway["lanes_missing"] is True
    assert isinstance(motorway["lanes_per_carriageway"], list)
    # The road inside West crosses nothing: context, not the pair's.
    assert "Inside" not in {p.get("name") for p in props}
    assert set(pair.other_links["id"]) == {"test:2"}
    assert list(pair.other_links.columns[:-1]) == OTHER_LINK_COLUMNS
    # The year shown and the basis in its rows too, as in every other table.
    assert set(pair.other_links["as_of"]) == {pair.year}
    assert set(pair.other_links["basis"]) == {pair.basis}


def test_empty_selection_exports_empty_files(tiny, tmp_path):
    args = (tiny["layers"], tiny["regions"], "West 西", "East")
    pair = _export(*args, statuses=("proposed",))
    expected = _expected(*args, statuses=("proposed",))
    assert len(expected["interfaces"]) == 0
    files = export.export_files(pair, dataset="x")
    assert json.loads(files["interfaces"][1])["features"] == []
    _check_round_trip(pair, expected, files, tmp_path)


def test_the_zip_holds_a_style_beside_each_geojson(yrd):
    pair = _export(yrd.layers, yrd.region_set, "Zhejiang", "Shanghai")
    files = export.export_files(pair, dataset="yrd")
    with zipfile.ZipFile(io.BytesIO(files["zip"][1])) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)) == len(files) - 1
        geojson = [n for n in names if n.endswith(".geojson")]
        assert len(geojson) == len(pair.layers) + 3
        for name in geojson:
            qml = name.removesuffix(".geojson") + ".qml"
            assert qml in names
            table = _table(name, pair)
            fields = gpd.read_file(io.BytesIO(archive.read(name))).columns.tolist()
            if fields == ["geometry"]:  # an empty GeoJSON keeps no columns; the table's
                fields = export.spatial_tables(pair)[table].columns.tolist()
            check_qml(archive.read(qml).decode("utf-8"), table, fields)
        columns = pd.read_csv(io.BytesIO(archive.read(files["columns"][0])), encoding="utf-8-sig")
    assert list(columns.columns) == ["table", "column", "title_zh", "title_en"]
    lanes = columns[(columns["table"] == "highways") & (columns["column"] == "lanes")]
    assert lanes[["title_zh", "title_en"]].values.tolist() == [["车道数", "lanes"]]


def _table(file_name: str, pair: PairExport) -> str:
    stem = file_name.removesuffix(".geojson")
    return next(t for t in [*pair.layers, "interfaces", "other_links", "regions"]
                if stem.endswith(f"-{t}"))  # fmt: skip


def test_polygons_follow_the_right_hand_rule():
    clockwise = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[clockwise], crs="EPSG:4326")
    ring = json.loads(export.geojson_bytes(frame))["features"][0]["geometry"]["coordinates"][0]
    assert shapely.LinearRing(ring).is_ccw


def test_json_safe_values():
    assert json_safe(float("nan")) is None
    assert json_safe(pd.NA) is None
    assert json_safe([1, None, float("nan")]) == [1, None, None]
    assert export.slug("Zhejiang – Shanghai") == "zhejiang-shanghai"


def test_lists_are_text_joined_by_semicolons_in_a_geopackage():
    frame = gpd.GeoDataFrame(
        {"per_line": [[3, 3], [None], [{"a": 1}]]}, geometry=[shapely.Point(0, 0)] * 3,
        crs="EPSG:4326",
    )  # fmt: skip
    assert export.for_gpkg(frame)["per_line"].tolist() == ["3;3", "", '[{"a": 1}]']


def test_pair_mask_keeps_a_pair_in_either_order_or_every_neighbour():
    rows = pd.DataFrame({"a": ["X", "Y", "X", "Z"], "b": ["Y", "X", "Z", "Y"]})
    assert pair_mask(rows, "X", "Y").tolist() == [True, True, False, False]
    assert pair_mask(rows, "Y", "X").tolist() == [True, True, False, False]
    assert pair_mask(rows, "X").tolist() == [True, True, True, False]
    assert pair_interfaces(rows, "Z").index.tolist() == [2, 3]
