"""Exports read back with geopandas give what the page shows: features and counts."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.analysis import count_crossings
from geo.io import export
from geo.io.sources import load_source
from geo.lifecycle import layers_at
from geo.summary import count_routes, layer_totals, pair_interfaces, pair_mask
from geo.values import json_safe
from helpers import synthetic as syn
from layers import REGISTRY


def _page_state(
    source_layers: dict,
    region_set: Any,
    region: str,
    neighbour: str | None,
    *,
    as_of: int | None = None,
    statuses: tuple[str, ...] = ("open",),
) -> dict[str, Any]:
    """What the page derives for one set of inputs (as streamlit_app.py does)."""
    names = [n for n in REGISTRY if n in source_layers]
    chosen = {n: source_layers[n] for n in names}
    result = count_crossings(chosen, region_set, region=region, as_of=as_of, statuses=statuses)
    shown = pair_interfaces(result.interfaces, region, neighbour)
    return {
        "names": names,
        "layers": layers_at(chosen, as_of=as_of, statuses=statuses),
        "interfaces": shown,
        "totals": layer_totals(shown, names).set_index("layer"),
        "regions": region_set.regions.to_crs(4326),
        "summary": result.summary,
        "region": region,
        "neighbour": neighbour,
    }


def _files(state: dict[str, Any], dataset: str, year: int) -> dict[str, tuple[str, bytes, str]]:
    return export.export_files(
        dataset=dataset,
        region=state["region"],
        neighbour=state["neighbour"],
        year=year,
        layers=state["layers"],
        interfaces=state["interfaces"],
        regions=state["regions"],
        summary=state["summary"],
    )


def _no_nan(value: Any) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for v in value.values():
            _no_nan(v)
    elif isinstance(value, list):
        for v in value:
            _no_nan(v)


def _check_round_trip(state: dict[str, Any], files: dict, tmp_path: Path) -> None:
    # GeoJSON per layer: same features, WGS84, strict JSON (no NaN), RFC 7946 (no crs).
    for name in state["names"]:
        file_name, data, mime = files[name]
        assert mime == "application/geo+json"
        parsed = json.loads(data, parse_constant=lambda c, f=file_name: pytest.fail(f"{c} in {f}"))
        assert "crs" not in parsed
        _no_nan(parsed)
        back = gpd.read_file(io.BytesIO(data)) if len(state["layers"][name]) else None
        if back is not None:
            assert len(back) == len(state["layers"][name])
            assert back.crs.to_epsg() == 4326
            assert sorted(back["id"]) == sorted(state["layers"][name]["id"])
        else:
            assert parsed["features"] == []

    # Interfaces GeoJSON: the same interfaces and the same counts per layer as the cards.
    interfaces = gpd.read_file(io.BytesIO(files["interfaces"][1]))
    assert len(interfaces) == len(state["interfaces"])
    if len(interfaces):
        assert sorted(interfaces["id"]) == sorted(state["interfaces"]["id"])
        assert interfaces.geometry.x.round(6).tolist() == pytest.approx(
            state["interfaces"]["lon"].tolist()
        )
    for layer, row in state["totals"].iterrows():
        sub = interfaces[interfaces["layer"] == layer] if len(interfaces) else interfaces
        assert len(sub) == row["interfaces"], layer
        assert (count_routes(sub) if len(sub) else 0) == row["routes"], layer

    # Counts CSV: the summary rows of the pair; interfaces and lanes add up as shown.
    counts = pd.read_csv(io.BytesIO(files["counts"][1]))
    expected = export.pair_summary(
        state["summary"], state["region"], state["neighbour"], state["names"]
    )
    assert len(counts) == len(expected)
    for layer, row in state["totals"].iterrows():
        rows = counts[counts["layer"] == layer]
        assert rows["interfaces"].sum() == row["interfaces"], layer
        if rows["class"].nunique() <= 1:
            assert rows["routes"].sum() == row["routes"], layer
        if layer == "highways":
            lanes = rows["lanes"].sum()
            assert lanes == (0 if pd.isna(row["capacity"]) else row["capacity"])

    # GeoPackage: one table per layer, interfaces and regions, each complete.
    path = tmp_path / files["gpkg"][0]
    path.write_bytes(files["gpkg"][1])
    tables = {name for name, _ in pyogrio.list_layers(path)}
    assert tables == {*state["names"], "interfaces", "regions"}
    for name in state["names"]:
        assert len(gpd.read_file(path, layer=name)) == len(state["layers"][name]), name
    packed = gpd.read_file(path, layer="interfaces")
    assert len(packed) == len(state["interfaces"])
    assert len(gpd.read_file(path, layer="regions")) == len(state["regions"])
    for layer, row in state["totals"].iterrows():
        assert int((packed["layer"] == layer).sum()) == row["interfaces"]
        if layer == "highways" and len(packed):
            known = packed[(packed["layer"] == layer) & ~packed["lanes_missing"].astype(bool)]
            lanes = int(known["capacity"].dropna().sum())
            assert lanes == (0 if pd.isna(row["capacity"]) else row["capacity"])


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd")


@pytest.mark.parametrize(
    ("neighbour", "as_of"),
    [("Shanghai", None), ("Shanghai", 2006), ("Jiangsu", None), (None, None)],
)
def test_yrd_exports_round_trip(yrd, tmp_path, neighbour, as_of):
    state = _page_state(yrd.layers, yrd.region_set, "Zhejiang", neighbour, as_of=as_of)
    assert len(state["interfaces"]) > 0
    year = as_of or 2026
    files = _files(state, "yrd", year)
    pair = f"zhejiang-{neighbour.lower() if neighbour else 'all'}"
    assert files["highways"][0] == f"jiegui-yrd-{pair}-{year}-highways.geojson"
    assert files["interfaces"][0] == f"jiegui-yrd-{pair}-{year}-interfaces.geojson"
    assert files["gpkg"][0].endswith(".gpkg") and files["counts"][0].endswith("-counts.csv")
    _check_round_trip(state, files, tmp_path)


def test_year_changes_what_is_exported(yrd):
    now = _page_state(yrd.layers, yrd.region_set, "Zhejiang", "Shanghai")
    old = _page_state(yrd.layers, yrd.region_set, "Zhejiang", "Shanghai", as_of=2006)
    now_files, old_files = _files(now, "yrd", 2026), _files(old, "yrd", 2006)
    assert len(old["layers"]["highways"]) < len(now["layers"]["highways"])
    old_back = gpd.read_file(io.BytesIO(old_files["highways"][1]))
    now_back = gpd.read_file(io.BytesIO(now_files["highways"][1]))
    assert len(old_back) < len(now_back)


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
    state = _page_state(tiny["layers"], tiny["regions"], "West 西", "East", statuses=statuses)
    assert len(state["interfaces"]) == len(statuses) + 1  # two roads (+ the railway)
    files = _files(state, "my upload", 2026)
    assert files["interfaces"][0] == "jiegui-my-upload-west-西-east-2026-interfaces.geojson"
    _check_round_trip(state, files, tmp_path)
    # Unknown lanes are null, never NaN, and lists stay lists in GeoJSON.
    props = [f["properties"] for f in json.loads(files["interfaces"][1])["features"]]
    motorway = next(p for p in props if p["class"] == "motorway")
    assert motorway["lanes"] is None and motorway["lanes_missing"] is True
    assert isinstance(motorway["lanes_per_carriageway"], list)


def test_empty_selection_exports_empty_files(tiny, tmp_path):
    state = _page_state(tiny["layers"], tiny["regions"], "West 西", "East", statuses=("proposed",))
    assert len(state["interfaces"]) == 0
    files = _files(state, "x", 2026)
    assert json.loads(files["interfaces"][1])["features"] == []
    _check_round_trip(state, files, tmp_path)


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


def test_pair_mask_keeps_a_pair_in_either_order_or_every_neighbour():
    rows = pd.DataFrame({"a": ["X", "Y", "X", "Z"], "b": ["Y", "X", "Z", "Y"]})
    assert pair_mask(rows, "X", "Y").tolist() == [True, True, False, False]
    assert pair_mask(rows, "Y", "X").tolist() == [True, True, False, False]
    assert pair_mask(rows, "X").tolist() == [True, True, True, False]
    assert pair_interfaces(rows, "Z").index.tolist() == [2, 3]
