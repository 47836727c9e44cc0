"""The app in a real browser with no network: the map draws, markers answer, text stays text.

Runs ``streamlit run server.py`` (the page behind its start-up hook, as ``scripts/app.sh``
does) on a loopback port and drives Debian's chromium with Playwright; every request leaving
the machine is aborted and must not happen. Expected numbers are computed from the data
here. Screenshots and timings go to ``artifacts/``. Skipped, with the reason, when
playwright or chromium is missing.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from app import webmap
from app.map_html import css_token
from geo.accuracy import zoom_for_accuracy
from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.lifecycle import layers_at
from geo.reconcile import default_pair
from geo.summary import layer_totals, pair_interfaces
from helpers import e2e_support as e2e
from layers import REGISTRY, TABLE_LAYERS

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def page(browser: Any, offline: e2e.OfflineGuard) -> Iterator[Any]:
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT)
    page.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    """What the page should show on opening, computed from the embedded data."""
    source = load_source("yrd", layer_names=list(REGISTRY))  # as the page: the cities too
    region, neighbour = default_pair(source.region_set.names, source.folder)
    names = [n for n in REGISTRY if n in source.layers]
    drawn = layers_at({n: source.layers[n] for n in names}, statuses=("open",))
    counted = {n: source.layers[n] for n in names if n in TABLE_LAYERS}  # cities are not counted
    result = count_crossings(counted, source.region_set, region=region)
    shown = pair_interfaces(result.interfaces, region, neighbour)
    shapes = {"regions": len(source.region_set.regions)}
    for name, frame in drawn.items():
        points = frame.geometry.geom_type.isin(["Point", "MultiPoint"])
        shapes[name] = int((~points).sum()) + int(frame.geometry[points].count_coordinates().sum())
    shapes["interfaces"] = len(shown)
    return {
        "region": region,
        "neighbour": neighbour,
        "shapes": shapes,
        "total": sum(shapes.values()),
        "interfaces": shown,
    }


def _isolated_highway(interfaces: pd.DataFrame) -> tuple[pd.Series, float]:
    """The highway interface with known lanes farthest from any other interface."""
    best, best_gap = None, -1.0
    for _, row in interfaces.iterrows():
        if row["layer"] != "highways" or pd.isna(row["lanes"]) or row["lanes_missing"]:
            continue
        others = interfaces[interfaces["id"] != row["id"]]
        scale = math.cos(math.radians(row["lat"]))
        gaps = [
            111_320.0 * math.hypot((o.lon - row["lon"]) * scale, o.lat - row["lat"])
            for o in others.itertuples()
        ]
        gap = min(gaps, default=1e6)
        if gap > best_gap:
            best, best_gap = row, gap
    assert best is not None, "the default pair has no highway interface with lanes"
    return best, best_gap


def _stated_accuracy(interface: pd.Series) -> float | None:
    """The largest ``accuracy_m`` its source features state (None when none does)."""
    source = load_source("yrd")
    ids = str(interface["source_ids"]).split(";")
    stated = [
        float(a)
        for frame in source.layers.values()
        if "accuracy_m" in frame.columns
        for i, a in zip(frame["id"], frame["accuracy_m"])
        if i in ids and pd.notna(a)
    ]
    return max(stated) if stated else None


def _computed_seconds(page: Any) -> float:
    """The server time of the last run, from the page's "Page computed in N ms" caption."""
    text = page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0]) / 1000


# ------------------------------------------------------------------------------- tests


def test_map_draws_offline_with_every_feature(page, offline, expected):
    # A server of its own, started with the browser already open, and the page opened the
    # moment it answers: first paint is measured from the process start to the map's
    # features all drawn, with nothing done ahead while the server waits.
    page.goto("about:blank")
    with e2e.streamlit_app() as app:
        page.goto(app.url)
        e2e.wait_map_drawn(page, expected["total"])
        painted = time.monotonic()
        frame = e2e.map_frame(page)
        count = frame.locator("path.leaflet-interactive").count()
        e2e.record_timing("server_ready_s", app.ready - app.started)
        e2e.record_timing("first_paint_s_from_streamlit_start", painted - app.started)
        # The drawn map reports back; the page reruns with its tables, keeping the map.
        _probe_map(page)
        page.locator('.st-key-interface-table [data-testid="stDataFrame"]').wait_for()
        e2e.record_timing("tables_after_first_paint_s", time.monotonic() - painted)
        e2e.wait_settled(page)
        _assert_map_kept(page, expected["total"])
        e2e.record_timing("first_view_last_run_server_s", _computed_seconds(page))
        _check_first_page(page, frame, offline, expected, count)


def _check_first_page(
    page: Any, frame: Any, offline: e2e.OfflineGuard, expected: dict, count: int
) -> None:
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-map-page.png"))
    frame.locator(".leaflet-container").screenshot(path=str(e2e.ARTIFACTS / "e2e-map.png"))
    assert count == expected["total"], expected["shapes"]
    assert frame.locator("path.jiegui-region").count() == expected["shapes"]["regions"]
    assert frame.locator("path.jiegui-interface").count() == expected["shapes"]["interfaces"]
    assert frame.locator("path.jiegui-highways").count() == expected["shapes"]["highways"]

    # Nothing left the machine, and every script and style sheet came from this server.
    assert offline.blocked == []
    links = page.frame_locator(e2e.MAP_IFRAME).locator("script[src], link[rel=stylesheet]")
    urls = [
        links.nth(i).get_attribute("src") or links.nth(i).get_attribute("href")
        for i in range(links.count())
    ]
    assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in urls), urls
    assert all(not re.match(r"(https?:)?//", u) or e2e.is_local(u) for u in urls), urls
    # Leaflet's style sheet applied: the zoom control is laid out, the legend is there.
    assert frame.locator(".leaflet-control-zoom-in").is_visible()
    assert frame.locator(".jiegui-legend").is_visible()
    frame.locator(".leaflet-control-layers").hover()  # a button until the pointer opens it
    assert "Highways" in frame.locator(".leaflet-control-layers").inner_text()
    assert page.dialogs == []


def test_interface_marker_shows_lanes_on_hover_and_click(app, page, offline, expected):
    target, gap = _isolated_highway(expected["interfaces"])
    lanes = int(target["lanes"])
    received: list[int] = []  # sizes of the messages the server sends
    page.on("websocket", lambda ws: ws.on("framereceived", lambda m: received.append(len(m))))
    page.goto(app.url)
    frame = e2e.map_frame(page)
    frame.locator(".leaflet-container").wait_for(timeout=90_000)
    e2e.wait_settled(page)
    map_message = max(received)  # the map's script, by far the largest

    zoom = e2e.zoom_for_separation(float(target["lat"]), gap)
    inner = next(f for f in page.frames if "st_folium" in f.url)
    inner.evaluate(
        "([lat, lon, zoom]) => window.map.setView([lat, lon], zoom, {animate: false})",
        [float(target["lat"]), float(target["lon"]), zoom],
    )
    marker = frame.locator(f"path.{css_token('jiegui-if-' + str(target['id']))}")
    marker.wait_for(timeout=10_000)

    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert f"{lanes} lanes" in tooltip.inner_text()
    assert str(target["id"]) in tooltip.inner_text()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-hover.png"))

    _probe_map(page)
    received.clear()
    clicked_at = time.monotonic()
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert re.search(rf"Lanes\s+{lanes}\b", text), text
    assert str(target["name"]) in text
    # The click reruns the page, which then names the interface the user picked.
    page.get_by_text("Selected interface").wait_for(timeout=30_000)
    e2e.wait_settled(page)
    e2e.record_timing("click_to_rerun_done_s", time.monotonic() - clicked_at)
    e2e.record_timing("click_rerun_server_s", _computed_seconds(page))
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-click.png"))
    _assert_map_kept(page, expected["total"])
    assert popup.is_visible()  # the rerun left the open popup alone
    # ...and the map was not sent again: Streamlit sent a reference to the unchanged message.
    assert received and max(received) < map_message / 4, (max(received), map_message)
    assert offline.blocked == []
    assert page.dialogs == []


EVIL_REGION = "<img src=x onerror=alert(1)>"
EVIL_ROAD = "<b>bold</b>`${alert(2)}`"


def _write_evil_source(path: Path) -> None:
    """A GeoPackage whose region and road names are HTML, with one crossing."""
    regions = gpd.GeoDataFrame(
        {"name": [EVIL_REGION, "Plain"]},
        geometry=[shapely.box(120.0, 30.0, 120.5, 30.5), shapely.box(120.5, 30.0, 121.0, 30.5)],
        crs="EPSG:4326",
    )
    roads = gpd.GeoDataFrame(
        {"highway": ["motorway"], "lanes": ["4"], "oneway": ["no"], "name": [EVIL_ROAD]},
        geometry=[shapely.LineString([(120.2, 30.25), (120.8, 30.25)])],
        crs="EPSG:4326",
    )
    regions.to_file(path, layer="regions", driver="GPKG")
    roads.to_file(path, layer="highways", driver="GPKG")


def test_uploaded_file_with_html_in_names_shows_it_as_text(app, page, offline, tmp_path):
    source = tmp_path / "evil.gpkg"
    _write_evil_source(source)
    page.goto(app.url)
    e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
    e2e.wait_settled(page)
    # Through the uploader (the path box is covered by the AppTest tests).
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
    frame = e2e.map_frame(page)
    regions = frame.locator("path.jiegui-region")
    assert e2e.wait_for_count(regions, 2, timeout_s=60) == 2
    e2e.wait_settled(page)
    assert e2e.wait_for_count(frame.locator("path.jiegui-interface"), 1) == 1

    marker = frame.locator("path.jiegui-interface").first
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert EVIL_ROAD in tooltip.inner_text()
    assert "4 lanes" in tooltip.inner_text()
    assert tooltip.locator("b b").count() == 0  # the name made no <b> of its own
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-escaped.png"))
    assert frame.locator("img[src=x]").count() == 0
    assert page.locator("img[src=x]").count() == 0
    assert page.dialogs == []
    assert offline.blocked == []


# ---------------------------------------------------------- year, table selection, export


def _highways_interfaces(page: Any) -> str:
    """The value of the Interfaces metric in the Highways card."""
    # A block with metrics: the interface table reads "Highways" in its layer column too.
    card = (
        page.locator('[data-testid="stVerticalBlock"]')
        .filter(has=page.get_by_text("Highways", exact=True))
        .filter(has=page.locator('[data-testid="stMetric"]'))
    )
    metric = card.last.locator('[data-testid="stMetric"]').filter(has_text="Interfaces")
    return metric.first.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _probe_map(page: Any) -> Any:
    """Mark the map's window and every drawn shape, to see later whether they survived."""
    inner = next(f for f in page.frames if "st_folium" in f.url)
    inner.evaluate(
        "() => { window.__jieguiProbe = 'kept';"
        " document.querySelectorAll('path.leaflet-interactive')"
        ".forEach(p => p.setAttribute('data-probe', 'kept')); }"
    )
    return inner


def _assert_map_kept(page: Any, expected_shapes: int) -> None:
    """The map iframe was neither reloaded nor redrawn: the probes are all still there."""
    assert page.locator(e2e.MAP_IFRAME).count() == 1
    inner = next(f for f in page.frames if "st_folium" in f.url)
    assert inner.evaluate("() => window.__jieguiProbe") == "kept", "the map was reloaded"
    kept = inner.evaluate("() => document.querySelectorAll('path[data-probe=kept]').length")
    assert kept == expected_shapes, "the map's shapes were drawn again"


def _open_settled(app: Any, page: Any) -> Any:
    page.goto(app.url)
    frame = e2e.map_frame(page)
    frame.locator(".leaflet-container").wait_for(timeout=90_000)
    e2e.wait_settled(page)
    return frame


def test_year_slider_changes_the_counts(app, page, offline, expected):
    source = load_source("yrd")
    names = [n for n in REGISTRY if n in source.layers]
    old = count_crossings(
        {n: source.layers[n] for n in names}, source.region_set, region=expected["region"],
        as_of=2006,
    )  # fmt: skip
    shown = pair_interfaces(old.interfaces, expected["region"], expected["neighbour"])
    then = int(layer_totals(shown, ["highways"]).at[0, "interfaces"])
    now = int((expected["interfaces"]["layer"] == "highways").sum())
    assert then != now, "2006 and today give the same count: the test would prove nothing"

    _open_settled(app, page)
    assert _highways_interfaces(page) == str(now)
    # The thumb is a visually hidden range input (react-aria): keyboard on it, as a user would.
    moved_at = time.monotonic()
    e2e.step_year(page, 2006)
    assert int(page.locator(e2e.YEAR_SLIDER).input_value()) == 2006
    assert page.get_by_text("Shanghai · as of 2006").first.is_visible()  # the captions
    e2e.record_timing("year_change_to_settled_s", time.monotonic() - moved_at)
    e2e.record_timing("year_change_last_run_server_s", _computed_seconds(page))
    assert _highways_interfaces(page) == str(then)
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-year-2006.png"))
    assert offline.blocked == []


def test_selecting_a_table_row_highlights_its_interface(app, page, offline, expected):
    frame = _open_settled(app, page)
    assert frame.locator("path.jiegui-selected").count() == 0
    assert (
        e2e.wait_for_count(frame.locator("path.leaflet-interactive"), expected["total"])
        == (expected["total"])
    )
    _probe_map(page)
    target = expected["interfaces"].iloc[0]
    grid = page.locator('.st-key-interface-table [data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    clicked_at = time.monotonic()
    # The row-selection checkbox column of the first data row (header and rows 35 px high).
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    e2e.wait_settled(page)
    marker = frame.locator(f"path.jiegui-selected.{css_token('jiegui-if-' + target['id'])}")
    marker.wait_for(timeout=60_000)
    e2e.record_timing("row_select_to_settled_s", time.monotonic() - clicked_at)
    e2e.record_timing("row_select_rerun_server_s", _computed_seconds(page))
    inner = next(f for f in page.frames if "st_folium" in f.url)
    zoom = inner.evaluate("() => window.map.getZoom()")
    # Zoomed on the interface, not on the two provinces, but no closer than the stated
    # accuracy of its lines allows; a dashed circle of that radius says how close that is.
    accuracy = _stated_accuracy(target)
    assert zoom == zoom_for_accuracy(target["lat"], accuracy, max_zoom=webmap.SELECTED_ZOOM)
    assert zoom >= 10, zoom
    assert frame.locator("path.jiegui-halo").count() == (1 if accuracy else 0)
    centre = inner.evaluate("() => window.map.getCenter()")
    assert abs(centre["lat"] - target["lat"]) < 0.05 and abs(centre["lng"] - target["lon"]) < 0.1
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-row-selected-page.png"))
    frame.locator(".leaflet-container").screenshot(
        path=str(e2e.ARTIFACTS / "e2e-row-selected-map.png")
    )
    # The selection was drawn into the map that was there: no reload, no redraw.
    _assert_map_kept(page, expected["total"])
    assert frame.locator("path.jiegui-selected").count() == 1
    assert offline.blocked == []


def test_two_sessions_at_once_both_get_the_whole_map(app, browser, page, offline, expected):
    second = e2e.offline_page(browser, offline, viewport=VIEWPORT)
    other = second.context
    try:
        page.goto(app.url)
        second.goto(app.url)
        for each in (page, second):
            paths = e2e.map_frame(each).locator("path.leaflet-interactive")
            paths.first.wait_for(timeout=90_000)
            assert e2e.wait_for_count(paths, expected["total"]) == expected["total"]
            e2e.wait_settled(each)
            assert e2e.map_frame(each).locator(".leaflet-container").is_visible()
        second.screenshot(path=str(e2e.ARTIFACTS / "e2e-second-session.png"))
    finally:
        other.close()
    assert offline.blocked == []


def test_interfaces_export_downloads_what_the_table_shows(app, page, offline, expected, tmp_path):
    _open_settled(app, page)
    grid = page.locator('.st-key-interface-table [data-testid="stDataFrame"] [role="grid"]')
    rows = int(grid.get_attribute("aria-rowcount")) - 1  # minus the header row
    assert rows == len(expected["interfaces"])
    button = page.get_by_role("button", name="Interfaces (GeoJSON)")
    button.scroll_into_view_if_needed()
    started = time.monotonic()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    e2e.record_timing("interfaces_download_s", time.monotonic() - started)
    assert download.suggested_filename == (
        f"jiegui-yrd-{expected['region'].lower()}-{expected['neighbour'].lower()}-"
        f"{time.localtime().tm_year}-open-interfaces.geojson"  # the year and basis shown
    )
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    back = gpd.read_file(target)
    assert len(back) == rows
    assert sorted(back["id"]) == sorted(expected["interfaces"]["id"])
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-export.png"))
    assert offline.blocked == []
