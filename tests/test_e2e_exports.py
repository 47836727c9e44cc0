"""The page's Export section in a real browser with no network: the zip a GIS user opens.

Runs the app as :mod:`tests.test_e2e` does (``streamlit run server.py`` on a loopback port,
Debian's chromium through Playwright, every request leaving the machine aborted), clicks the
zip download of the default border and reads the archive back: a QGIS style beside each
GeoJSON, only the border's highways, a GeoPackage whose ``layer_styles`` QGIS reads. The
expected features are computed here from the data. A screenshot of the section goes to
``artifacts/``.
"""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import pytest

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.reconcile import default_pair
from geo.summary import pair_interfaces
from helpers import e2e_support as e2e
from layers import LINE_LAYERS

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
ZIP_BUTTON = "Everything, with QGIS styles (ZIP)"


@pytest.fixture
def page(browser: Any, offline: e2e.OfflineGuard) -> Iterator[Any]:
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT, accept_downloads=True)
    yield page
    page.context.close()


def test_the_zip_holds_the_border_with_qgis_styles(app, page, offline, tmp_path):
    source = load_source("yrd")
    region, neighbour = default_pair(source.region_set.names, source.folder)
    lines = {n: source.layers[n] for n in LINE_LAYERS if n in source.layers}
    shown = pair_interfaces(
        count_crossings(lines, source.region_set, region=region).interfaces, region, neighbour
    )
    on_border = {
        s for ids in shown[shown["layer"] == "highways"]["source_ids"] for s in ids.split(";")
    }
    assert on_border and len(on_border) < len(source.layers["highways"])

    page.goto(app.url)
    e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
    e2e.wait_settled(page)
    button = page.get_by_role("button", name=ZIP_BUTTON)
    button.scroll_into_view_if_needed()
    page.get_by_role("heading", name="Export").scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-export-zip.png"))
    started = time.monotonic()
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    e2e.record_timing("export_zip_download_s", time.monotonic() - started)
    stem = f"jiegui-yrd-{region.lower()}-{neighbour.lower()}-{time.localtime().tm_year}-open"
    assert download.suggested_filename == f"{stem}-all.zip"
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))

    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        for name in [n for n in names if n.endswith(".geojson")]:
            assert name.removesuffix(".geojson") + ".qml" in names
        highways = gpd.read_file(io.BytesIO(archive.read(f"{stem}-highways.geojson")))
        package = tmp_path / f"{stem}-all.gpkg"
        package.write_bytes(archive.read(package.name))
    assert set(highways["id"]) == on_border
    with sqlite3.connect(package) as connection:
        styled = {r[0] for r in connection.execute("SELECT f_table_name FROM layer_styles")}
    assert "highways" in styled and "interfaces" in styled
    assert offline.blocked == []
