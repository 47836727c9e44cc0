"""Two years and growth over time in a real browser with no network.

Runs ``streamlit run server.py`` on a loopback port and drives Debian's chromium with
Playwright (see test_e2e); every request leaving the machine is aborted and must not
happen. A row followed from 2006 to 2024 keeps its id (G60's interface); the rings and
the "What changed" file for Zhejiang–Shanghai 2006 → 2024 hold the interfaces the data
open in between; the growth chart draws offline and its CSV is the command line's
``--timeline --format csv`` for the border. Expected values are computed from the data
here. Screenshots go to ``artifacts/`` (``e2e-years-*.png``).
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from app import views
from app.map_html import css_token
from app.query import PageQuery
from geo.analysis import count_crossings
from geo.cli import build_parser, run_crossings
from geo.io.border_report import BOM
from geo.io.sources import load_source
from geo.summary import pair_interfaces
from helpers import e2e_support as e2e
from layers import REGISTRY

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
G60 = "highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang"
REGION, NEIGHBOUR = "Zhejiang", "Shanghai"
CHART = '[data-testid="stVegaLiteChart"]'


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def page(browser: Any, offline: e2e.OfflineGuard) -> Iterator[Any]:
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT, accept_downloads=True)
    yield page
    page.context.close()


# ------------------------------------------------------------------ expected, from data


def _query(year: int | None) -> tuple[views.Loaded, PageQuery]:
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    first = views.first_query(loaded)
    as_of = None if year == views.data_today(loaded) else year
    return loaded, PageQuery(
        first.path, first.stamp, first.datum, REGION, NEIGHBOUR, as_of, ("open",),
        first.layer_names,
    )  # fmt: skip


def table_ids(year: int) -> list[str]:
    """The interface table's ids in ``year``, in its order (the page's own derivation)."""
    loaded, query = _query(year)
    return list(views.pair_tables(views.count(loaded, query), query).table["id"])


def interface_ids(year: int) -> set[str]:
    """The Zhejiang–Shanghai interfaces in ``year``, counted on their own."""
    source = load_source("yrd", layer_names=tuple(REGISTRY))
    result = count_crossings(
        source.layers, source.region_set, region=REGION, as_of=year, coverage=source.coverage
    )
    return set(pair_interfaces(result.interfaces, REGION, NEIGHBOUR)["id"])


def cli(*args: str) -> str:
    return run_crossings(build_parser().parse_args(["crossings", "yrd", *args]))


# --------------------------------------------------------------------------- actions


def _open(app: Any, page: Any) -> Any:
    page.goto(app.url)
    frame = e2e.map_frame(page)
    frame.locator(".leaflet-container").wait_for(timeout=90_000)
    e2e.wait_settled(page)
    return frame


def _compare_with(page: Any, year: int) -> float:
    """Choose "Compare with year" in the sidebar; returns seconds until the page settled."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Compare with year"
    )
    box.click()
    page.keyboard.type(str(year))
    started = time.monotonic()
    page.keyboard.press("Enter")
    page.locator(".st-key-changes-table").wait_for(timeout=60_000)
    e2e.wait_settled(page)
    return time.monotonic() - started


def _select_row(page: Any, index: int) -> None:
    """Tick row ``index`` of the interface table (header and rows 35 px high)."""
    grid = page.locator('.st-key-interface-table [data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * index + 17)
    e2e.wait_settled(page)


def _download(page: Any, name: str, tmp_path: Path) -> Path:
    button = page.get_by_role("button", name=name)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    return target


def _computed_seconds(page: Any) -> float:
    text = page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0]) / 1000


def _tall_screenshot(page: Any, path: Path) -> None:
    """The whole page: the viewport made as tall as Streamlit's scrolled content."""
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height) + 40})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)


# ------------------------------------------------------------------------------- tests


def test_g60s_row_keeps_its_id_from_2006_to_2024(app, page, offline):
    token = css_token("jiegui-if-" + G60)
    frame = _open(app, page)
    for year in (2006, 2024):
        e2e.step_year(page, year)
        ids = table_ids(year)
        assert G60 in ids, year
        _select_row(page, ids.index(G60))
        selected = frame.locator(f"path.jiegui-selected.{token}")
        selected.wait_for(timeout=60_000)
        assert frame.locator("path.jiegui-selected").count() == 1
        assert frame.locator(f"path.jiegui-interface.{token}").count() == 1
        page.screenshot(path=str(e2e.ARTIFACTS / f"e2e-years-g60-{year}.png"))
    assert offline.blocked == []


def test_what_changed_on_zhejiang_shanghai_2006_to_2024(app, page, offline, tmp_path):
    opened = interface_ids(2024) - interface_ids(2006)
    assert opened, "nothing opened between 2006 and 2024: the test would prove nothing"
    frame = _open(app, page)
    e2e.step_year(page, 2024)
    settled = _compare_with(page, 2006)
    e2e.record_timing("compare_year_to_settled_s", settled)
    e2e.record_timing("compare_year_server_s", _computed_seconds(page))
    # The map rings what opened; G60, there in both years, has no ring.
    rings = frame.locator("path.jiegui-change-opened")
    assert e2e.wait_for_count(rings, len(opened)) == len(opened)
    for iid in opened:
        assert frame.locator(f"path.jiegui-change.{css_token('jiegui-if-' + iid)}").count() == 1
    assert frame.locator(f"path.jiegui-change.{css_token('jiegui-if-' + G60)}").count() == 0
    legend = frame.locator(".jiegui-change-legend")
    assert "Compared with 2006" in legend.inner_text()
    assert "opened" in legend.inner_text()
    frame.locator(".leaflet-container").screenshot(
        path=str(e2e.ARTIFACTS / "e2e-years-map-rings.png")
    )
    # Closer, around the rings: each sits around its interface's marker.
    inner = next(f for f in page.frames if "st_folium" in f.url)
    inner.evaluate(
        """() => {
            const rings = [];
            window.map.eachLayer(l => {
                if (l._path && l._path.classList.contains("jiegui-change")) {
                    rings.push(l.getLatLng());
                }
            });
            window.map.fitBounds(L.latLngBounds(rings).pad(0.4), {animate: false});
        }"""
    )
    page.wait_for_timeout(500)
    frame.locator(".leaflet-container").screenshot(
        path=str(e2e.ARTIFACTS / "e2e-years-map-rings-close.png")
    )
    card = page.locator(".st-key-compare-card")
    assert "Change 2006 → 2024" in card.inner_text()
    # Only expressways are authored on this border: highways partly covered, said so, and
    # why folded under the card.
    assert "Highways (partly covered):" in card.inner_text()
    notes = card.locator('[data-testid="stExpander"]')
    assert notes.count() == 1 and "What the data cover in 2006 and 2024" in notes.inner_text()
    notes.locator("summary").click()
    notes.get_by_text("Partly covered (Zhejiang–Shanghai: highways)").wait_for(timeout=30_000)
    card.screenshot(path=str(e2e.ARTIFACTS / "e2e-years-compare-card.png"))
    # Yangshan's berths, unknown from its phase IV (2017), say why rather than "–".
    assert "→ unknown (the data have no berth figure for" in card.inner_text()
    # The file says what the table shows: the same openings, with years and sources.
    data = json.loads(_download(page, "Comparison (JSON)", tmp_path).read_text())
    assert data["kind"] == "compare" and data["years"] == [2006, 2024]
    changes = data["changes"]
    assert {c["id"] for c in changes if c["change"] == "opened"} == opened
    assert all(c["years"] and c["sources"] for c in changes if c["change"] == "opened")
    text = _download(page, "Comparison (CSV)", tmp_path).read_bytes()
    assert text.startswith(BOM.encode("utf-8"))
    grid = page.locator('.st-key-changes-table [data-testid="stDataFrame"] [role="grid"]')
    assert int(grid.get_attribute("aria-rowcount")) - 1 == len(changes)
    page.locator(".st-key-changes-table").screenshot(
        path=str(e2e.ARTIFACTS / "e2e-years-what-changed.png")
    )
    _tall_screenshot(page, e2e.ARTIFACTS / "e2e-years-compare-page.png")
    assert offline.blocked == []


def test_growth_chart_draws_offline_and_its_csv_is_the_command_lines(
    app, page, offline, tmp_path
):
    _open(app, page)
    opened_at = time.monotonic()
    page.get_by_text("Growth over time").click()
    chart = page.locator(CHART)
    chart.locator("svg.marks, canvas").first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    e2e.record_timing("growth_open_to_settled_s", time.monotonic() - opened_at)
    e2e.record_timing("growth_open_server_s", _computed_seconds(page))
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 200, box
    # Drawn: the three panels' titles, one line per layer drawn, the report's diamonds.
    svg = chart.locator("svg.marks")
    # The whole chart fits its place: three panels cut at the right edge did not.
    assert float(svg.get_attribute("width")) <= box["width"] + 1, box
    titles = svg.locator(".role-title-text text").all_text_contents()
    assert {"Routes", "Interfaces (ports)"} <= set(titles), titles
    assert svg.locator(".mark-line path").count() >= 3 * 3
    assert svg.locator(".mark-symbol path").count() > 0
    chart.screenshot(path=str(e2e.ARTIFACTS / "e2e-years-growth-chart.png"))
    # The CSV behind it is the command line's for the border.
    page_text = _download(page, "Timeline (CSV)", tmp_path).read_text("utf-8")
    expected = cli("--region", REGION, "--timeline", "--format", "csv")
    for got, want in zip(_tables(page_text), _tables(expected), strict=True):
        border = want[(want["a"] == REGION) & (want["b"] == NEIGHBOUR)].reset_index(drop=True)
        # Values equal; a column another border leaves empty in the command line's whole
        # table is read as float there, as int in the page's file of this border alone.
        assert_frame_equal(got, border, check_dtype=False)
    # Images: drawn by the server, and Streamlit's own PNG of the chart as shown.
    svg_file = _download(page, "Chart (SVG)", tmp_path).read_text("utf-8")
    assert svg_file.startswith("<svg") and "Zhejiang – Shanghai" in svg_file
    png_file = _download(page, "Chart (PNG)", tmp_path).read_bytes()
    assert png_file.startswith(b"\x89PNG")
    chart.hover()
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download as PNG").click()
    assert info.value.url.startswith("data:image/png")  # drawn in the page, not fetched
    _tall_screenshot(page, e2e.ARTIFACTS / "e2e-years-growth-page.png")
    assert offline.blocked == []


def _tables(text: str) -> list[pd.DataFrame]:
    rows, _, documented = text.removeprefix(BOM).partition("\n\n")
    return [pd.read_csv(io.StringIO(rows)), pd.read_csv(io.StringIO(documented))]
