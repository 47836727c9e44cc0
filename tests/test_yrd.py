"""The embedded Yangtze River Delta dataset: provenance, honesty, and the 2006 report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.reconcile import REPORT_STATUSES, reconcile
from helpers.paths import ROOT
from layers import REGISTRY, STATUSES

DATA = ROOT / "data" / "yrd"
#: Natural Earth 10m borders lie within about 2 km of the real ones (shared/guides).
NE_GENERALISATION_M = 2000


@pytest.fixture(scope="module")
def source():
    return load_source("yrd")


@pytest.fixture(scope="module")
def links():
    frames = [gpd.read_file(DATA / f"{name}.geojson") for name in REGISTRY]
    return pd.concat([f for f in frames if len(f)], ignore_index=True)


def test_every_feature_has_source_status_and_accuracy(links):
    assert len(links) >= 25
    assert links["source"].str.len().gt(20).all()
    assert links["status"].isin(STATUSES).all()
    assert (links["accuracy_m"] > 0).all()
    assert links["alignment"].str.len().gt(20).all()
    geonames = links["source"].str.contains("GeoNames")
    assert geonames.any()


def test_regions_are_the_six_provinces_with_their_sources(source):
    regions = source.region_set.regions
    assert sorted(regions["name"]) == ["Anhui", "Fujian", "Jiangsu", "Jiangxi", "Shanghai",
                                       "Zhejiang"]
    pairs = source.region_set.pairs
    zhejiang = pairs[(pairs["a"] == "Zhejiang") | (pairs["b"] == "Zhejiang")]
    partners = set(zhejiang["a"]) | set(zhejiang["b"])
    assert {"Shanghai", "Jiangsu", "Anhui", "Jiangxi", "Fujian"} <= partners
    manifest = json.loads((DATA / "dataset.json").read_text())
    assert "public domain" in manifest["boundaries"]["licence"]
    assert manifest["datum"].startswith("WGS84")


@pytest.fixture(scope="module")
def at_2006(source):
    return count_crossings(source.layers, source.region_set, region="Zhejiang", as_of=2006,
                           statuses=REPORT_STATUSES)


def test_interfaces_lie_on_the_shared_border_within_stated_accuracy(source, at_2006, links):
    today = count_crossings(source.layers, source.region_set, region="Zhejiang",
                            statuses=("open", "construction"))
    stretches = source.region_set.stretches
    accuracy = dict(zip(links["id"], links["accuracy_m"]))
    for iface in today.interfaces.to_crs(source.region_set.crs).itertuples():
        ids = iface.source_ids.split(";")
        stated = min(accuracy[i] for i in ids)
        # The Natural Earth border itself is up to 2 km off: a smaller stated accuracy
        # would be dishonest.
        assert stated >= NE_GENERALISATION_M, ids
        if iface.via == "water":
            continue
        border = stretches[(stretches["a"] == iface.a) & (stretches["b"] == iface.b)]
        assert shapely.distance(iface.geometry, shapely.union_all(border.geometry)) < 10, ids


def test_donghai_bridge_is_a_link_over_sea_and_hangzhou_bay_bridge_is_not(at_2006, source):
    bridges = at_2006.interfaces[at_2006.interfaces["via"] == "water"]
    assert any("donghai" in ids for ids in bridges["source_ids"])
    assert set(bridges["b"]) == {"Shanghai"}
    today = count_crossings(source.layers, source.region_set, region="Zhejiang")
    assert not today.interfaces["source_ids"].str.contains("hangzhou-bay").any()


def test_reconciliation_explains_every_difference(source, at_2006):
    table = reconcile(DATA, at_2006, source.layers["ports"], 2006)
    assert len(table) >= 8
    assert not (table["explanation"] == "unexplained").any(), table
    # Nothing is copied: the computed column comes from the geometry.
    highways = table[(table["layer"] == "highways") & (table["measure"] == "expressways")]
    assert set(highways["computed"]) <= {1.0, 2.0, 3.0, 4.0}


def test_cli_prints_documented_beside_computed():
    proc = subprocess.run([sys.executable, "-m", "geo", "crossings", "yrd", "--as-of", "2006",
                           "--region", "Zhejiang", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"border", "measure", "documented", "computed", "explanation"} <= set(
        out["documented"][0])


def test_later_years_show_the_later_network(source):
    counts = {}
    for year in (2006, 2024):
        result = count_crossings(source.layers, source.region_set, region="Zhejiang", as_of=year)
        rows = result.summary[(result.summary["b"] == "Shanghai")
                              & (result.summary["layer"] == "highways")]
        counts[year] = int(rows["interfaces"].sum())
    assert counts[2024] > counts[2006]


SHARED_RAIL = ROOT.parent / "shared" / "osm-derived" / "railways-east-china"


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed to fetch Natural Earth")
@pytest.mark.skipif(
    not SHARED_RAIL.is_dir(),
    reason=f"the OpenStreetMap railway copy {SHARED_RAIL} is absent (../shared): the build "
    "draws the railways from it",
)
def test_build_script_reproduces_the_committed_files():
    proc = subprocess.run([sys.executable, "scripts/build_data.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
