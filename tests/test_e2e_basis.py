"""The counting basis, coverage and overview in a real browser with no network.

As ``test_e2e.py``: ``streamlit run server.py`` on a loopback port, Debian's chromium driven
by Playwright, every request leaving the machine aborted. Checked here: the cards and the
report's table agree at 2006 under either basis; a border the data do not cover never reads
0; the overview's CSV download equals the command line's JSON for the same year and basis;
a click on an overview row focuses its border. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from geo.overview import PORTS, capacity_name
from helpers import e2e_support as e2e
from helpers.paths import ROOT

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

#: Wide enough for the report's table to show its computed columns without scrolling.
VIEWPORT = {"width": 1920, "height": 1400}
OVERVIEW = '.st-key-overview-table [data-testid="stDataFrame"]'
ROW_PX = 35  # a data grid's header and rows


@pytest.fixture
def page(browser: Any, offline: e2e.OfflineGuard) -> Iterator[Any]:
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT, accept_downloads=True)
    yield page
    page.context.close()


# ------------------------------------------------------------------------------ helpers


def _open(app: e2e.AppServer, page: Any) -> None:
    """The page, settled with its tables (they follow the map's first report)."""
    page.goto(app.url)
    e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
    page.locator(OVERVIEW).wait_for(timeout=90_000)
    e2e.wait_settled(page)


def _computed_ms(page: Any) -> int:
    text = page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0])


def _act(page: Any, act: Any, shows: str, *, exact: bool = False) -> float:
    """Do ``act``; wait until the page shows ``shows`` and has settled; the seconds taken.

    ``exact``: an element whose whole text is ``shows`` (the cards' heading), for a text that
    is also part of what the page showed before ("as of 2006, open" in "… open + under …").
    """
    started = time.monotonic()
    act()
    page.get_by_text(shows, exact=exact).first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    return time.monotonic() - started


#: The cards' layers by their label.
CARDS = {
    "Highways": "highways", "Railways": "railways", "Inland waterways": "waterways",
    "Pipelines": "pipelines",
}  # fmt: skip


def _card(page: Any, label: str) -> Any:
    """The card of one layer (its container's key is ``card-LAYER``)."""
    return page.locator(f".st-key-card-{CARDS[label]}")


def _metrics(page: Any, label: str) -> dict[str, str]:
    """A card's metrics by their label."""
    out = {}
    metrics = _card(page, label).locator('[data-testid="stMetric"]')
    for n in range(metrics.count()):
        metric = metrics.nth(n)
        name = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[name] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def _grid_rows(grid: Any) -> list[dict[str, str]]:
    """The rows of a data grid as its accessible table shows them (the columns in view)."""
    headers = [h.strip() for h in grid.locator("thead th").all_inner_texts()]
    rows = []
    for row in grid.locator('tbody tr[role="row"]').all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        rows.append(dict(zip(headers, cells)))
    return rows


def _report_rows(page: Any) -> list[dict[str, str]]:
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="Documented")
    grid.scroll_into_view_if_needed()
    return _grid_rows(grid.locator('[role="grid"]'))


def _report_figures(rows: list[dict[str, str]], column: str) -> dict[str, float]:
    """The report's highway measures of Zhejiang – Shanghai in ``column``."""
    return {
        r["Measure"]: float(r[column].replace(",", ""))
        for r in rows
        if r["Border"] == "Zhejiang – Shanghai" and r["Layer"] == "Highways"
    }


def _card_figures(page: Any) -> dict[str, float]:
    shown = _metrics(page, "Highways")
    return {
        "expressways": float(shown["Routes"]),
        "interfaces": float(shown["Interfaces"]),
        "lanes": float(shown["Lanes"]),
    }


def _click_overview_row(page: Any, row: int) -> None:
    """The selection box of an overview row (0 the first data row)."""
    grid = page.locator(OVERVIEW)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + ROW_PX * (row + 1) + ROW_PX // 2)


def _selected(page: Any, label: str) -> str:
    """What a sidebar selectbox shows."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text=label
    )
    return box.locator('input[role="combobox"]').input_value().strip()


def _cli_overview(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "geo", "crossings", "yrd", "--region", "Zhejiang", "--overview",
         "--format", "json", *args],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    return json.loads(out)


def _csv_as_json_borders(text: str) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """The overview CSV's cells in the JSON's shape: ``{(a, b): {layer: {measure: value}}}``."""
    assert text.startswith("\ufeff"), "the CSV has no byte order mark"
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    number = lambda v: None if v == "" else int(v)  # noqa: E731
    out: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in rows:
        layers: dict[str, dict[str, Any]] = {}
        for column in row:
            layer = column.split("_", 1)[0]
            if not column.endswith("_covered"):
                continue
            cell: dict[str, Any] = {"covered": row[column] == "True"}
            if layer == PORTS:
                cell |= {
                    "interfaces": number(row["ports_count"]),
                    "capacity": number(row["ports_berths"]),
                    "capacity_missing": number(row["ports_berths_missing"]),
                    "teu": number(row["ports_teu"]),
                }
            else:
                cap = capacity_name(layer)
                cell |= {
                    "routes": number(row[f"{layer}_routes"]),
                    "interfaces": number(row[f"{layer}_interfaces"]),
                    "capacity": number(row[f"{layer}_{cap}"]),
                    "capacity_missing": number(row[f"{layer}_{cap}_missing"]),
                }
            layers[layer] = cell
        out[(row["a"], row["b"])] = layers
    return out


def _json_borders(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """The JSON's cells with the measures the CSV holds."""
    out = {}
    for border in data["borders"]:
        layers = {}
        for layer, cell in border["layers"].items():
            extra = ["teu"] if layer == PORTS else ["routes"]
            keep = ["covered", "interfaces", "capacity", "capacity_missing", *extra]
            layers[layer] = {k: cell[k] for k in keep}
        out[(border["a"], border["b"])] = layers
    return out


# ------------------------------------------------------------------------------- tests


def test_cards_and_report_agree_at_2006_under_either_basis(app, page, offline):
    _open(app, page)
    # One click: the report's basis and year.
    seconds = _act(
        page,
        lambda: page.get_by_role("button", name="Count as the report does").first.click(),
        "as of 2006, open + under construction",
    )
    e2e.record_timing("count_as_report_to_settled_s", seconds)
    rows = _report_rows(page)
    assert "Computed, open + under construction" not in rows[0]  # one computed column
    cards = _card_figures(page)
    assert cards == _report_figures(rows, "Computed, as the report counts") == {
        "expressways": 4.0, "interfaces": 4.0, "lanes": 26.0,
    }  # fmt: skip
    page.locator("h1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-as-report.png"))
    page.get_by_text("Against the report").scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-report-table.png"))

    # The other basis, the same year: the cards and the page's column beside the report.
    sidebar = page.locator('[data-testid="stSidebar"]')
    seconds = _act(
        page,
        lambda: sidebar.get_by_text("open", exact=True).click(),
        "Zhejiang – Shanghai · as of 2006, open",
        exact=True,
    )
    e2e.record_timing("basis_switch_to_settled_s", seconds)
    e2e.record_timing("basis_switch_last_run_server_s", _computed_ms(page) / 1000)
    rows = _report_rows(page)
    assert _card_figures(page) == _report_figures(rows, "Computed, open") == {
        "expressways": 2.0, "interfaces": 2.0, "lanes": 14.0,
    }  # fmt: skip
    assert _report_figures(rows, "Computed, as the report counts")["lanes"] == 26.0
    page.get_by_text("Against the report").scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-open-report-table.png"))
    assert offline.blocked == []


def test_an_uncovered_border_never_shows_zero(app, page, offline):
    # Anhui–Jiangxi: no link of any layer is authored across it (every border of Zhejiang now
    # has some railways and expressways, see data/yrd/sources/coverage.yaml).
    declared = json.loads((ROOT / "data" / "yrd" / "dataset.json").read_text("utf-8"))
    borders = {entry["border"] for entry in declared["coverage"].get("borders") or []}
    assert "Anhui–Jiangxi" not in borders and "Jiangxi–Anhui" not in borders
    page.goto(f"{app.url}/?region=Anhui&nb=Jiangxi")
    page.get_by_text("Anhui – Jiangxi ·").first.wait_for(timeout=90_000)
    page.locator(OVERVIEW).wait_for(timeout=90_000)
    e2e.wait_settled(page)
    for label in ("Highways", "Railways", "Inland waterways", "Pipelines"):
        card = _card(page, label)
        assert "not covered" in card.inner_text(), label
        assert card.locator('[data-testid="stMetric"]').count() == 0, label
    notes = page.locator('[data-testid="stExpander"]').filter(has_text="What the data cover")
    assert "--neighbour Jiangxi" in notes.inner_text()  # open: every layer is not covered
    assert page.locator('[data-testid="stMetricValue"]').count() == 0  # no 0 anywhere
    page.locator("h1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-not-covered.png"))
    # The overview reads "not covered" on Jiangxi's row, and that row is the focus.
    page.locator(OVERVIEW).scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-overview-not-covered.png"))
    rows = _grid_rows(page.locator(f'{OVERVIEW} [role="grid"]'))
    anhui = next(r for r in rows if r["Border"] == "Anhui – Jiangxi")
    assert all(v in ("", "not covered") for k, v in anhui.items() if k != "Border"), anhui
    assert "0" not in anhui.values()
    assert offline.blocked == []


@pytest.mark.parametrize("basis", ["open+construction", "open"])
def test_overview_csv_equals_the_command_lines_json(app, page, offline, tmp_path, basis):
    _open(app, page)
    page.get_by_role("button", name="Count as the report does").first.click()
    page.get_by_text("as of 2006, open + under construction").first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    if basis == "open":
        sidebar = page.locator('[data-testid="stSidebar"]')
        choose_open = lambda: sidebar.get_by_text("open", exact=True).click()  # noqa: E731
        _act(page, choose_open, "Zhejiang – Shanghai · as of 2006, open", exact=True)
    slug = basis.replace("+", "-")
    files = {}
    for fmt in ("CSV", "XLSX"):
        button = page.get_by_role("button", name=f"Overview ({fmt})")
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename == (
            f"jiegui-yrd-zhejiang-borders-2006-{slug}-overview.{fmt.lower()}"
        )
        files[fmt] = tmp_path / download.suggested_filename
        download.save_as(str(files[fmt]))
    text = files["CSV"].read_text(encoding="utf-8")
    cli = _cli_overview("--as-of", "2006", "--basis", basis)
    assert _csv_as_json_borders(text) == _json_borders(cli)
    assert {r["statuses"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))} == {basis}
    about = pd.read_excel(files["XLSX"], sheet_name="basis").set_index("field")["value"]
    assert about["basis"] == basis and str(about["as_of"]) == "2006"
    assert offline.blocked == []


def test_clicking_an_overview_row_focuses_that_border(app, page, offline):
    _open(app, page)
    rows = _grid_rows(page.locator(f'{OVERVIEW} [role="grid"]'))
    borders = [r["Border"] for r in rows]
    target = borders.index("Zhejiang – Jiangsu")
    started = time.monotonic()
    _click_overview_row(page, target)
    page.get_by_text("Zhejiang – Jiangsu ·").first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    e2e.record_timing("overview_row_to_settled_s", time.monotonic() - started)
    e2e.record_timing("overview_row_last_run_server_s", _computed_ms(page) / 1000)
    assert _selected(page, "Neighbour") == "Jiangsu"
    assert page.get_by_role("heading", name="Interfaces · Zhejiang – Jiangsu").count() == 1
    page.locator(OVERVIEW).scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-row-focused.png"))

    # Every pair of the source: a row without the focus region focuses both its regions.
    toggle = page.get_by_text("Every pair in the source")
    _act(page, toggle.click, "Every border in the source")
    rows = _grid_rows(page.locator(f'{OVERVIEW} [role="grid"]'))
    other = next(n for n, r in enumerate(rows) if "Zhejiang" not in r["Border"])
    a, b = rows[other]["Border"].split(" – ")
    _click_overview_row(page, other)
    page.get_by_text(f"{a} – {b} ·").first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    assert (_selected(page, "Focus region"), _selected(page, "Neighbour")) == (a, b)
    page.locator(OVERVIEW).scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-basis-every-pair.png"))
    assert offline.blocked == []
