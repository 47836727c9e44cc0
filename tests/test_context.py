"""The map's offline context layer (``data/context``) and the labels' min_zoom.

Offline: the committed files are read. Only the rebuild test needs the Natural Earth copy in
``../shared/naturalearth-east-china`` and is skipped without it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from geo.errors import InputFileError, InvalidParameterError
from geo.io import datasets
from geo.io.context import CONTEXT_DIR, LANGUAGES, context_layers, label_points, manifest
from geo.label_layout import STYLES, ZOOMS, Label, overlapping, rank_floor
from helpers.paths import ROOT

SHARED_NE = ROOT.parent / "shared" / "naturalearth-east-china"
REGIONS = ROOT / "data" / "yrd" / "regions.geojson"


@pytest.fixture(scope="module")
def layers():
    return context_layers()


def test_layers_load_in_wgs84_with_their_geometry_types(layers):
    assert list(layers) == ["coastline", "lakes", "rivers", "cities"]
    kinds = {
        "coastline": {"LineString", "MultiLineString"},
        "lakes": {"Polygon", "MultiPolygon"},
        "rivers": {"LineString", "MultiLineString"},
        "cities": {"Point"},
    }
    for name, frame in layers.items():
        assert frame.crs.to_epsg() == 4326, name
        assert len(frame) > 0, name
        assert set(frame.geom_type) <= kinds[name], name
        assert frame.is_valid.all(), name
    west, south, east, north = manifest()["box"]["west_south_east_north"]
    for name, frame in layers.items():
        x0, y0, x1, y1 = frame.total_bounds
        assert west <= x0 and south <= y0 and x1 <= east and y1 <= north, name


def test_the_files_are_small_and_their_counts_are_the_manifests(layers):
    files = [*sorted(CONTEXT_DIR.glob("*.geojson")), CONTEXT_DIR / "context.json"]
    assert sum(p.stat().st_size for p in files) < 300_000
    counts = manifest()["features"]
    for name, frame in layers.items():
        assert counts[f"{name}.geojson"] == len(frame)
    assert counts["labels.geojson"] == len(gpd.read_file(CONTEXT_DIR / "labels.geojson"))


def test_manifest_states_licence_attribution_and_current_inputs():
    data = manifest()
    assert "public domain" in data["licence"]
    assert "CC0" in data["licence"]
    assert data["attribution"].startswith("Made with Natural Earth")
    assert data["datum"].startswith("WGS84")
    hashes = data["inputs_sha256"]
    # The context is built from the yrd provinces and the authored names: a change to either
    # without a rebuild is caught here, without ../shared.
    for relative in ("data/yrd/regions.geojson", "data/context/sources/names.yaml"):
        assert hashes[relative] == hashlib.sha256((ROOT / relative).read_bytes()).hexdigest()
    assert len([k for k in hashes if k.startswith("ne_10m_")]) == 4


def test_the_context_is_no_dataset_of_links():
    assert "context" not in datasets.available()
    assert datasets.dataset_dir("context") is None


def test_taihu_is_among_the_lakes(layers):
    lakes = layers["lakes"]
    taihu = lakes[lakes["name_zh"] == "太湖"]
    assert list(taihu["name_en"]) == ["Tai Hu"]
    assert taihu.geometry.iloc[0].contains(shapely.Point(120.2, 31.2))
    assert {"鄱阳湖", "洪泽湖", "巢湖"} <= set(lakes["name_zh"].dropna())


def test_yangtze_and_qiantang_are_among_the_rivers(layers):
    rivers = layers["rivers"]
    assert "长江" in set(rivers["name_zh"]) and "Yangtze" in set(rivers["name_en"])
    qiantang = rivers[rivers["name_zh"] == "钱塘江"]
    assert set(qiantang["name_en"]) == {"Qiantang"}
    assert set(qiantang["name_ne"]) == {"Fuchun"}  # Natural Earth's name is kept beside
    hangzhou = shapely.Point(120.168, 30.252)
    # it ends where its estuary becomes the coastline, about 7 km south of the city point
    assert shapely.distance(shapely.union_all(qiantang.geometry), hangzhou) < 0.1


@pytest.mark.parametrize(
    ("name_en", "name_zh", "adm1"),
    [
        ("Shanghai", "上海", "Shanghai"),
        ("Hangzhou", "杭州", "Zhejiang"),
        ("Nanjing", "南京", "Jiangsu"),
        ("Suzhou", "苏州", "Jiangsu"),
        ("Ningbo", "宁波", "Zhejiang"),
    ],
)
def test_major_cities_have_their_chinese_names_and_show_early(layers, name_en, name_zh, adm1):
    cities = layers["cities"]
    row = cities[(cities["name_zh"] == name_zh) & (cities["adm1name"] == adm1)]
    assert list(row["name_en"]) == [name_en]
    assert row["pop_max"].iloc[0] > 500_000
    assert row["min_zoom_zh"].iloc[0] <= 7 and row["min_zoom_en"].iloc[0] <= 7


def test_every_city_has_a_name_in_both_languages_in_simplified_characters(layers):
    cities = layers["cities"]
    assert cities["name_zh"].notna().all() and cities["name_en"].notna().all()
    assert not cities["name_zh"].str.contains("[開黃]").any()


@pytest.fixture(scope="module")
def regions():
    return gpd.read_file(REGIONS)


def test_every_region_has_a_label_point_inside_it(regions):
    for language in LANGUAGES:
        labels = label_points(language)
        region_labels = labels[labels["kind"] == "region"]
        assert len(region_labels) == len(regions)
        for region in regions.itertuples():
            row = region_labels[region_labels["name_en"] == region.name]
            assert list(row["name_zh"]) == [region.name_zh]
            assert region.geometry.contains(row.geometry.iloc[0]), region.name
            assert row["min_zoom"].iloc[0] <= 8, region.name


def _labels(frame: gpd.GeoDataFrame) -> list[Label]:
    return [
        Label(lon=p.x, lat=p.y, text=text, kind=kind)
        for p, text, kind in zip(frame.geometry, frame["label"], frame["kind"])
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_shown_together_never_overlap_at_any_zoom(language):
    frame = label_points(language)
    labels, min_zooms = _labels(frame), list(frame["min_zoom"])
    assert set(frame["kind"]) == {"region", "city", "lake"}
    assert frame["label"].str.len().gt(0).all()
    for zoom in ZOOMS:
        assert overlapping(labels, min_zooms, zoom) == [], zoom
    # the check is not empty: at zoom 6 some labels are held back, and they would overlap
    everything = [ZOOMS[0]] * len(labels)
    assert overlapping(labels, everything, ZOOMS[0])
    assert sum(z <= 6 for z in min_zooms) >= 10  # the provinces and the main cities


@pytest.mark.parametrize("language", LANGUAGES)
def test_min_zoom_is_not_below_the_rank_floor(layers, language):
    cities = layers["cities"]
    for city in cities.itertuples():
        floor = rank_floor("city", city.scalerank, city.pop_max)
        assert city.zoom_floor == floor
        shown = getattr(city, f"min_zoom_{language}")
        assert shown is not None and floor <= shown <= ZOOMS[-1]
    capitals = cities[cities["scalerank"] <= 2]
    assert (capitals[f"min_zoom_{language}"] == 6).all()


def test_label_points_refuse_an_unknown_language():
    with pytest.raises(InvalidParameterError, match="zh and en, not 'fr'"):
        label_points("fr")


def test_label_points_carry_the_styles_sizes():
    frame = label_points("zh")
    for kind, style in STYLES.items():
        assert set(frame.loc[frame["kind"] == kind, "font_px"]) == {style.font_px}
        assert set(frame.loc[frame["kind"] == kind, "anchor"]) == {style.anchor}
    assert frame.crs.to_epsg() == 4326
    assert list(frame["priority"]) == sorted(frame["priority"])


# --- missing and damaged files -----------------------------------------------------------


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "context"
    shutil.copytree(CONTEXT_DIR, target)
    return target


def test_a_missing_file_is_one_sentence_naming_the_build(copy):
    (copy / "rivers.geojson").unlink()
    with pytest.raises(InputFileError) as err:
        context_layers(copy)
    message = str(err.value)
    assert "rivers.geojson is missing" in message
    assert "python scripts/build_context.py" in message and message.count(". ") == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("lakes.geojson", "{not json", "cannot be used"),
        ("cities.geojson", '{"type":"FeatureCollection","features":[]}', "no column"),
        (
            "coastline.geojson",
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            '{"scalerank":1},"geometry":{"type":"Point","coordinates":[120,30]}}]}',
            "not only LineString",
        ),
        (
            "labels.geojson",
            '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":'
            '"urn:ogc:def:crs:EPSG::3857"}},"features":[{"type":"Feature","properties":'
            '{"kind":"city"},"geometry":{"type":"Point","coordinates":[1.3e7,3.5e6]}}]}',
            "not EPSG:4326",
        ),
    ],
)
def test_a_damaged_file_is_one_sentence_naming_the_build(copy, name, content, reason):
    (copy / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=reason) as err:
        if name == "labels.geojson":
            label_points("en", copy)
        else:
            context_layers(copy)
    assert "python scripts/build_context.py" in str(err.value)


def test_a_damaged_manifest_is_one_sentence(copy):
    (copy / "context.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a JSON object"):
        manifest(copy)


def test_callers_get_copies():
    cities = context_layers()["cities"]
    cities.loc[:, "name_zh"] = "x"
    assert (context_layers()["cities"]["name_zh"] != "x").all()


# --- the build ----------------------------------------------------------------------------


def test_the_build_says_in_one_sentence_when_natural_earth_is_absent(tmp_path):
    proc = subprocess.run(
        [sys.executable, "scripts/build_context.py", "--source", str(tmp_path / "nowhere"),
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "was not found" in lines[0] and "--source" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(
    not SHARED_NE.is_dir(), reason=f"the Natural Earth copy {SHARED_NE} is absent (../shared)"
)
def test_the_build_script_reproduces_the_committed_files():
    proc = subprocess.run(
        [sys.executable, "scripts/build_context.py", "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "data/context is what the build script makes" in proc.stdout
    assert json.loads((CONTEXT_DIR / "context.json").read_text())["name"] == "context"
