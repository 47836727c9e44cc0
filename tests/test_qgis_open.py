"""The exports opened in a real QGIS: every layer loads, styled by us, and draws as the map.

The Zhejiang–Shanghai export of 2006 (open and under construction) is written as the page
and ``jiegui export`` write it, then opened by ``tests/helpers/qgis_open.py`` in a
subprocess with Debian's Python and PyQGIS (``python3-qgis``; the project's virtual
environment cannot import QGIS), headless. That script reports what QGIS made of each
table, from the GeoPackage (its default style read from ``layer_styles``) and from the
GeoJSON (with the ``.qml`` beside it), how it draws each feature, and renders each layer
to ``artifacts/qgis/<source>-<table>.png``. Here that report is compared with the spec the
web map draws with and with the QML we wrote. Skipped, with the reason, when no Python
with PyQGIS is found (``scripts/test.sh`` installs it when run as root).
"""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from geo.history import capacity_column
from geo.io import export
from geo.io.qgis_style import CONTEXT_OPACITY, FEATURE_LABEL, MM_PER_PX, REF_LABEL
from geo.io.sources import load_source
from geo.pair_export import count_and_export
from helpers.paths import ROOT
from layers import REGISTRY, drawing

#: The Python with PyQGIS (Debian's); ``JIEGUI_QGIS_PYTHON`` names another.
QGIS_PYTHON = os.environ.get("JIEGUI_QGIS_PYTHON", "/usr/bin/python3")
SCRIPT = ROOT / "tests" / "helpers" / "qgis_open.py"
ARTIFACTS = ROOT / "artifacts" / "qgis"


def _qgis_missing() -> str | None:
    """Why PyQGIS cannot be used here, or None."""
    if not Path(QGIS_PYTHON).exists():
        return f"{QGIS_PYTHON} not found"
    probe = subprocess.run(
        [QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, timeout=120
    )
    if probe.returncode:
        return (
            f"{QGIS_PYTHON} cannot import qgis.core (install Debian's python3-qgis and "
            "qgis-providers, as scripts/test.sh does when run as root with JIEGUI_WITH_QGIS=1)"
        )
    return None


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The export written to a folder, and what QGIS reported of it."""
    missing = _qgis_missing()
    if missing:
        pytest.skip(f"QGIS not available: {missing}")
    source = load_source("yrd")
    pair = count_and_export(
        source.layers, source.region_set, region="Zhejiang", neighbour="Shanghai",
        as_of=2006, statuses=("open", "construction"), coverage=source.coverage,
    )  # fmt: skip
    files = export.export_files(pair, dataset="yrd")
    folder = tmp_path_factory.mktemp("qgis-export")
    for key, (name, data, _mime) in files.items():
        if key != "zip":
            (folder / name).write_bytes(data)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(folder)}
    run = subprocess.run(
        [QGIS_PYTHON, str(SCRIPT), str(folder), str(ARTIFACTS)],
        capture_output=True, text=True, timeout=600, env=env, cwd=folder,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    report: dict[str, Any] = json.loads(run.stdout)
    (ARTIFACTS / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return {"pair": pair, "files": files, "folder": folder, "report": report}


def _tables(pair: Any) -> dict[str, Any]:
    return export.spatial_tables(pair)


def _our_rules(qml: str) -> list[str]:
    root = ET.fromstring(qml.split("\n", 1)[1])
    return [r.get("label") for r in root.iter("rule")]


def _our_aliases(qml: str, fields: int) -> int:
    return len(list(ET.fromstring(qml.split("\n", 1)[1]).iter("alias")))


def test_every_layer_opens_valid_with_its_crs_from_both_files(opened):
    report, pair = opened["report"], opened["pair"]
    tables = _tables(pair)
    assert report["qgis"].startswith("3.")
    assert set(report["gpkg"]) == set(tables)  # every table with geometry is a map layer
    assert set(report["geojson"]) == set(tables)
    for name, frame in tables.items():
        layer = report["gpkg"][name]
        assert layer["valid"] and layer["crs"] == "EPSG:4326", name
        assert layer["features"] == len(frame), name
        geojson = report["geojson"][name]
        assert geojson["valid"] and geojson["features"] == len(frame), name
        if len(frame):
            assert geojson["crs"] == "EPSG:4326", name
    # An empty GeoJSON cannot say its geometry type, so no QML applies to it (the
    # GeoPackage's table has one): the only load QGIS refuses, and it says why.
    empty = [n for n, f in tables.items() if not len(f)]
    for name in tables:
        loaded = report["geojson"][name]["load_named_style"]
        assert loaded["ok"] == (name not in empty), (name, loaded)
        if name in empty:
            assert "geometry type" in loaded["message"]


def test_each_layer_takes_its_default_style_from_layer_styles(opened):
    report, files = opened["report"], opened["files"]
    for name, layer in report["gpkg"].items():
        qml = files[f"qml:{name}"][1].decode("utf-8")
        assert layer["stored_styles"]["count"] == 1, name  # its own row of layer_styles
        assert layer["load_default_style"]["ok"], (name, layer["load_default_style"])
        for state in (layer, layer["after_load_default"]):
            renderer = state["renderer"]
            # Our rule-based renderer, with our rules, not QGIS's single-symbol fallback.
            assert renderer["type"] == "RuleRenderer", name
            assert renderer["labels"] == _our_rules(qml), name
            assert renderer["bad_expressions"] == [], name
            labelling = state["labelling"]
            assert labelling["enabled"] and labelling["type"] == "simple", name
            assert labelling["is_expression"] and labelling["bad_expressions"] == [], name
            wanted = {"interfaces": FEATURE_LABEL, "other_links": REF_LABEL}.get(name)
            if name in REGISTRY:
                wanted = FEATURE_LABEL
            if wanted:
                assert labelling["expression"] == wanted, name
            assert state["aliases"] == _our_aliases(qml, state["fields"]), name
        assert layer["messages"] == [], (name, layer["messages"])


def test_the_qml_beside_each_geojson_loads(opened):
    report, files = opened["report"], opened["files"]
    for name, layer in report["geojson"].items():
        assert layer["qml_beside"], name
        if not layer["features"]:
            continue  # see test_every_layer_opens_valid_with_its_crs_from_both_files
        qml = files[f"qml:{name}"][1].decode("utf-8")
        assert layer["without_qml"]["renderer"] == "singleSymbol"  # what QGIS would draw
        for state in (layer, layer["after_load_named"]):  # applied on opening, and loaded
            assert state["renderer"]["type"] == "RuleRenderer", name
            assert state["renderer"]["labels"] == _our_rules(qml), name
            assert state["labelling"]["enabled"], name
        assert layer["messages"] == [], (name, layer["messages"])


def _one(drawn: dict[str, Any], fid: str) -> dict[str, Any]:
    symbols = drawn[fid]
    assert len(symbols) == 1, (fid, symbols)  # drawn once: the rules do not overlap
    return dict(symbols[0])


def _capacity(row: Any, layer: str) -> int | None:
    value = row.get(capacity_column(layer))
    return None if value is None or value != value else int(value)


def test_qgis_draws_each_feature_as_the_map_does(opened):
    """Colour, width, dash and size of every feature, as QGIS evaluates our rules."""
    report, pair = opened["report"], opened["pair"]
    for source in ("gpkg", "geojson"):
        checked = 0
        for layer, frame in pair.layers.items():
            spec = REGISTRY[layer]
            drawn = report[source][layer]["drawn"]
            for row in frame.to_dict("records"):
                symbol = _one(drawn, str(row["id"]))
                attrs = {"class": row["class"], "status": row["status"],
                         "capacity": _capacity(row, layer)}  # fmt: skip
                style = spec.style(attrs)
                assert symbol["color"] == style.color, (layer, row["id"])
                if spec.geometry == "line":
                    assert symbol["width_mm"] == pytest.approx(style.weight * MM_PER_PX, abs=1e-3)
                    assert symbol["opacity"] == drawing.LINE_OPACITY
                    assert (symbol["dash_mm"] is None) == (style.dash_array is None)
                else:
                    assert symbol["size_mm"] == pytest.approx(
                        2 * drawing.POINT_RADIUS * MM_PER_PX, abs=1e-3
                    )
                checked += 1
        for row in pair.interfaces.to_dict("records"):
            spec = REGISTRY[row["layer"]]
            symbol = _one(report[source]["interfaces"]["drawn"], str(row["id"]))
            capacity = _capacity(row, row["layer"])
            style = spec.style({"class": row["class"], "status": row["status"], "capacity": None})
            assert symbol["color"] == style.color, row["id"]
            assert symbol["size_mm"] == pytest.approx(
                2 * drawing.marker_radius(spec, capacity) * MM_PER_PX, abs=1e-3
            )
            alpha = drawing.MARKER_FILL_UNKNOWN if capacity is None else drawing.MARKER_FILL_KNOWN
            assert symbol["fill_alpha"] == pytest.approx(alpha, abs=0.01)
            assert (symbol["outline_style"] == 1) == (row["status"] == "open")  # solid or dash
            checked += 1
        for row in pair.other_links.to_dict("records"):
            symbol = _one(report[source]["other_links"]["drawn"], str(row["id"]))
            spec = REGISTRY[row["layer"]]
            style = spec.style({"class": row["class"], "status": row["status"], "capacity": None})
            assert symbol["color"] == style.color and symbol["opacity"] == CONTEXT_OPACITY
            checked += 1
        assert checked == sum(map(len, [*pair.layers.values(), pair.interfaces,
                                        pair.other_links]))  # fmt: skip


def _blend(color: str, alpha: float) -> tuple[int, ...]:
    """``color`` at ``alpha`` over white."""
    rgb = [int(color.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4)]
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in rgb)


def _has(colours: dict[str, int], wanted: tuple[int, ...], pixels: int) -> bool:
    near = 0
    for key, count in colours.items():
        rgb = [int(key[k : k + 2], 16) for k in (1, 3, 5)]
        if all(abs(a - b) <= 3 for a, b in zip(rgb, wanted, strict=True)):
            near += count
    return near >= pixels


def test_each_layer_renders_in_its_colours(opened):
    """The pictures: no rendering error, and each line layer's colours are on them."""
    report, pair = opened["report"], opened["pair"]
    for source in ("gpkg", "geojson"):
        regions_only = report[source]["regions"]["render"]["drawn_pixels"]
        for name, layer in report[source].items():
            render = layer["render"]
            assert Path(render["png"]).is_file(), name
            assert render["errors"] == [] and render["messages"] == [], (name, render)
            assert render["drawn_pixels"] > 0, name
        for name, frame in pair.layers.items():
            spec = REGISTRY[name]
            render = report[source][name]["render"]
            if not len(frame):
                continue
            assert render["drawn_pixels"] > regions_only / 10, name
            if spec.geometry == "line":
                colours = {
                    spec.style({"class": r["class"], "status": r["status"],
                                "capacity": _capacity(r, name)}).color
                    for r in frame.to_dict("records")
                }  # fmt: skip
                for colour in colours:
                    wanted = _blend(colour, drawing.LINE_OPACITY)
                    # 5 pixels: the shortest line drawn (the crude oil branch of 2006, about
                    # 20 km, dotted, on a picture of both provinces) shows 9 in its colour;
                    # nothing else on the picture is near a line's colour, so 0 if unstyled.
                    assert _has(render["colours"], wanted, 5), (source, name, colour)
