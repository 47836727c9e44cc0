"""The report's city figures and Yangshan's phases, read back from the built dataset.

Every expected number here is parsed from the report's words (the ``quote_zh`` of each
figure, and the report itself when ``../shared/mission`` is there) or added up from the
authored phases in ``sources/links/ports.yaml``: nothing is typed in twice.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from app import language
from app.city_popups import city_popup, city_tip
from app.map_geojson import layer_geojson
from geo.analysis import count_crossings
from geo.feature_facts import feature_facts
from geo.io.sources import Source, load_source
from geo.lifecycle import value_at
from geo.overview import overview, wide_columns
from geo.reconcile import compare_with_documents
from helpers.paths import ROOT
from layers import LINE_LAYERS, OSM_LAYERS, REGISTRY, TABLE_LAYERS

DATA = ROOT / "data" / "yrd"
REPORT = ROOT.parent / "shared" / "mission" / "000_7e6d920650fcf9d5.txt"
#: A number in the report's words and what follows it: 多 (more than), 亿 (10^8), %.
NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*多?\s*(亿)?")


def _said(quote: str) -> float:
    """The one number a Chinese quote states (亿 is 10^8), as the test reads it."""
    found = NUMBER.findall(quote)
    assert len(found) == 1, quote
    number, hundred_million = found[0]
    return round(float(number) * (1e8 if hundred_million else 1), 2)


@cache
def _rows() -> list[dict[str, str]]:
    with (DATA / "cities.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _yrd() -> Source:
    return load_source("yrd", layer_names=tuple(REGISTRY))


def _phases() -> list[dict[str, object]]:
    links = yaml.safe_load((DATA / "sources" / "links" / "ports.yaml").read_text("utf-8"))
    return sorted(links[0]["phases"], key=lambda p: str(p["opened"]))


# ------------------------------------------------------------------------ city figures


def test_every_city_figure_is_the_number_its_quote_states():
    rows = _rows()
    cities = {f["properties"]["name_en"]: f["properties"] for f in _geojson()["features"]}
    assert {r["city_en"] for r in rows} == set(cities) == {"Hangzhou", "Ningbo", "Jiaxing",
                                                           "Huzhou"}  # fmt: skip
    for row in rows:
        said = _said(row["quote_zh"])
        assert float(row["value"]) == said, row["id"]
        # the map's and the exports' column of that measure holds the same number
        assert cities[row["city_en"]][row["measure"]] == said, row["id"]
    # What the issue lists, read from the built data by measure (not by position).
    by = {(r["city_en"], r["measure"]): float(r["value"]) for r in rows}
    assert by[("Hangzhou", "agreed_yuan")] / 1e9 == pytest.approx(14.27)
    assert by[("Jiaxing", "realised_yuan")] / 1e9 == pytest.approx(8.45)
    assert by[("Huzhou", "farm_supply_share")] == _said("37%")


@pytest.mark.skipif(not REPORT.is_file(), reason="the report is in ../shared/mission")
def test_every_quote_is_the_reports_own_words():
    text = re.sub(r"\s*\n\s*", "", REPORT.read_text(encoding="utf-8"))
    for row in _rows():
        assert text.count(row["quote_zh"]) == 1, row["quote_zh"]


def _geojson() -> dict:
    return json.loads((DATA / "cities.geojson").read_text(encoding="utf-8"))


def test_the_build_refuses_a_value_its_quote_does_not_state(tmp_path):
    script = ROOT / "scripts" / "build_sites.py"
    spec = importlib.util.spec_from_file_location("build_sites", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    read_cities = module.read_cities
    lines = (DATA / "sources" / "cities.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",675,", ",676,")
    bad = tmp_path / "cities.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from geo.errors import JieguiError

    with pytest.raises(JieguiError, match="not the number its quote states"):
        read_cities(bad)


def test_cities_are_drawn_never_counted():
    source = _yrd()
    assert "cities" in source.layers and len(source.layers["cities"]) == 4
    assert "cities" not in LINE_LAYERS and "cities" not in TABLE_LAYERS
    assert "cities" not in OSM_LAYERS  # never read from OSM data nor fetched
    result = count_crossings(source.layers, source.region_set, as_of=2006)
    assert "cities" not in set(result.summary["layer"])
    assert "cities" not in set(result.interfaces["layer"])
    view = overview(source.layers, source.region_set, as_of=2006, data_year=2026)
    assert not [c for c in view.table.columns if c.startswith("cities")]
    assert not [c for c in wide_columns(list(REGISTRY)) if c.startswith("cities")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_citys_popup_quotes_the_report_in_both_languages(lang):
    language.use(lang)
    try:
        cities = _yrd().layers["cities"].to_crs(4326)
        _, text, legend = layer_geojson("cities", cities, 10)
        features = json.loads(text)["features"]
        by_name = {f["properties"]["tip"].split("</b>")[0][3:]: f for f in features}
        rows = _rows()
        for row in rows:
            name = row["city_zh"] if lang == "zh" else row["city_en"]
            popup = by_name[name]["properties"]["popup"]
            assert f"「{row['quote_zh']}」" in popup  # both languages, whatever the page's
            assert row["quote_en"].replace("'", "&#x27;") in popup
        # proportional symbols: the circle's area follows the agreed investment
        agreed = {r["city_en"]: float(r["value"]) for r in rows if r["measure"] == "agreed_yuan"}
        radius = {f["properties"]["tip"]: f["properties"]["style"]["radius"] for f in features}
        ordered = sorted(agreed, key=agreed.get)
        radii = [next(v for k, v in radius.items() if city in k or _zh(city) in k)
                 for city in ordered]  # fmt: skip
        assert radii == sorted(radii) and len(set(radii)) == len(radii)
        areas = [r * r for r in radii]
        assert areas[-1] / areas[0] == pytest.approx(agreed[ordered[-1]] / agreed[ordered[0]],
                                                     rel=0.01)  # fmt: skip
        assert ("地级市" if lang == "zh" else "prefecture city") in legend
    finally:
        language.use("en")


def _zh(city: str) -> str:
    return next(r["city_zh"] for r in _rows() if r["city_en"] == city)


def test_a_citys_popup_escapes_the_datas_text():
    attrs = {
        "name_zh": "<b>杭州</b>",
        "name_en": "Hangzhou",
        "figures": json.dumps([{"measure": "projects", "value": "1", "unit": "projects",
                                "qualifier": "", "period": "<i>x</i>", "period_zh": "",
                                "quote_zh": "<script>alert(1)</script>",
                                "quote_en": "\"<img src=x onerror=alert(1)>"}]),
        "source": "<script>bad</script>",
    }  # fmt: skip
    facts = feature_facts(attrs)
    html = city_popup(attrs, facts) + city_tip(attrs, facts)
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    broken = city_popup({**attrs, "figures": "not json"}, facts)
    assert "jiegui-popup" in broken  # a bad figures text shows none, never fails


def test_the_cli_prints_every_figure_with_its_quotes():
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "cities", "yrd"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    for row in _rows():
        assert row["quote_zh"] in proc.stdout and row["quote_en"] in proc.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "geo", "cities", "yrd", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    figures = json.loads(as_json.stdout)["figures"]
    assert [f["value"] for f in figures] == [_said(r["quote_zh"]) for r in _rows()]
    as_csv = subprocess.run(
        [sys.executable, "-m", "geo", "cities", "yrd", "--format", "csv"],
        cwd=ROOT, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    # A byte order mark first, as every CSV Jiegui writes: Excel reads UTF-8 by it.
    assert as_csv.stdout.startswith("\ufeff".encode())
    assert _rows()[0]["quote_zh"] in as_csv.stdout.decode("utf-8-sig")
    bad = subprocess.run(
        [sys.executable, "-m", "geo", "cities", "../etc"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1


def test_the_export_holds_the_border_regions_cities(tmp_path):
    out = tmp_path / "zs.zip"
    subprocess.run(
        [sys.executable, "-m", "geo", "export", "yrd", "--region", "Zhejiang",
         "--neighbour", "Shanghai", "--as-of", "2006", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        geojson = next(n for n in names if n.endswith("-cities.geojson"))
        assert any(n.endswith("-cities.qml") for n in names)
        collection = json.loads(archive.read(geojson))
        gpkg = next(n for n in names if n.endswith(".gpkg"))
        archive.extract(gpkg, tmp_path)
    exported = {f["properties"]["name_en"]: f["properties"] for f in collection["features"]}
    assert set(exported) == {r["city_en"] for r in _rows()}  # all four are Zhejiang's
    for row in _rows():
        assert exported[row["city_en"]][row["measure"]] == float(row["value"])
    import geopandas as gpd

    table = gpd.read_file(tmp_path / gpkg, layer="cities")
    assert sorted(table["name_zh"]) == sorted({r["city_zh"] for r in _rows()})


# ---------------------------------------------------------------------- Yangshan phases


def test_teu_and_berths_change_by_year_as_the_phases_open():
    ports = _yrd().layers["ports"]
    phases = _phases()
    for year in range(2004, 2027):
        opened = [p for p in phases if int(str(p["opened"])[:4]) <= year]
        teu = value_at(ports, "teu", year).iloc[0]
        if not opened:
            assert pd.isna(teu)
            continue
        assert teu == sum(int(p["teu"]) for p in opened), year
        known = [p["berths"] for p in opened]
        shown = value_at(ports, "capacity", year).iloc[0]
        if None in known:
            assert shown is None or pd.isna(shown), year  # a phase without berths: unknown
        else:
            assert shown == sum(known), year


def test_the_reports_berths_and_teu_are_compared_with_phase_1_alone():
    source = load_source("yrd")
    table = compare_with_documents(source, 2006, region="Zhejiang").set_index("measure")
    first = _phases()[0]
    berths = table.loc["berths_phase1"]
    assert berths["documented"] == _said("15 个泊位")  # the report's words
    assert berths["documented"] == _said(berths["quote_zh"].split("、")[-1])
    assert berths["computed"] == first["berths"]  # like for like: phase 1 only
    assert berths["explanation"] and berths["explanation"] != "unexplained"
    teu = table.loc["teu_phase1"]
    assert teu["computed"] == first["teu"] == teu["documented"]
    assert teu["difference"] == 0
    assert "berths" not in table.index and "teu" not in table.index


def test_yangshan_is_on_xiaoyangshan_and_inside_its_island_patch():
    import shapely

    port = _yrd().layers["ports"].to_crs(4326).geometry.iloc[0]
    islands = yaml.safe_load((DATA / "sources" / "islands.yaml").read_text("utf-8"))
    (lon, lat) = islands[0]["place"]["point"]
    assert (round(port.x, 6), round(port.y, 6)) == (lon, lat)  # one point, written once
    zhejiang = _yrd().region_set.regions.set_index("name").to_crs(4326).geometry["Zhejiang"]
    assert zhejiang.contains(port)
    # the GeoNames point it replaced (on Dayangshan) is more than 2 km away
    old = shapely.Point(122.07685, 30.59416)
    assert shapely.distance(port, old) * 111_000 > 2_000


def test_the_sources_say_what_each_city_figure_is():
    text = (ROOT / "data" / "yrd" / "sources" / "README.md").read_text(encoding="utf-8")
    assert "cities.csv" in text and "phases" in text
    assert Path(ROOT / "docs" / "embedded-dataset.md").read_text("utf-8").count("cities") >= 2
