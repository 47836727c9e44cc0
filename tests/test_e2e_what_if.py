"""The what-if view in a real browser with no network, in English and Chinese.

Runs the page on a loopback port and drives Debian's chromium (:mod:`helpers.e2e_support`);
requests leaving the machine are aborted and recorded. On the Zhejiang–Shanghai border it
switches the view on, sees the Donghai Bridge (S2) ringed as critical with trips
disconnected, closes it, then widens the network band to reach Hangzhou, closes the G60
instead and sees the detours drawn. The expected values are computed here with the same
engine (:func:`geo.what_if.what_if`). Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from app import views, what_if_view
from app.labels import say
from app.language import speaking
from app.map_html import css_token
from app.query import Keys
from geo.datum import WGS84_DATUM
from geo.io.network_data import dataset_network
from geo.io.places import default_places
from geo.what_if import what_if
from helpers import e2e_support as e2e

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
#: The band wide enough for Hangzhou's trips to cross the G60 (docs/resilience.md).
WIDE_KM = 120


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    """The border's interfaces and what the engine says of S2 and the G60, from the data."""
    loaded = views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)
    query = views.first_query(loaded)
    assert (query.region, query.neighbour) == ("Zhejiang", "Shanghai")
    source = loaded.source
    network = dataset_network(source.folder, ("highways",))

    def run(band_km: int, close: list[list[str]] | None) -> Any:
        [result] = what_if(
            source.layers, source.region_set, query.region, query.neighbour,
            layer_names=("highways",), network=network, places=default_places(),
            band_m=band_km * 1000.0, close=close, statuses=query.statuses,
        )  # fmt: skip
        return result

    alone = run(what_if_view.DEFAULT_BAND_KM, None).interfaces.set_index("ref")
    s2, g60 = str(alone.at["S2", "id"]), str(alone.at["G60", "id"])
    g60_closed = run(WIDE_KM, [[g60]])
    # The list's labels: route number · name in the page's language (the feature's).
    features = source.layers["highways"].set_index("id")
    labels = {
        lang: {
            ref: f"{ref} · {features.at[ident.rsplit('/', 1)[-1], column]}"
            for ref, ident in (("S2", s2), ("G60", g60))
        }
        for lang, column in (("en", "name_en"), ("zh", "name_zh"))
    }
    return {
        "labels": labels,
        "s2": s2,
        "s2_critical": bool(alone.at["S2", "critical"]),
        "s2_disconnected": int(alone.at["S2", "disconnected_pairs"]),
        "g60": g60,
        "g60_detours": len(g60_closed.routes),
    }


@pytest.fixture
def page(browser: Any, offline: e2e.OfflineGuard) -> Iterator[Any]:
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT)
    yield page
    page.context.close()


def _rings(frame: Any, kind: str) -> int:
    """How many what-if rings of ``kind`` the map draws."""
    return int(frame.locator(f"path.jiegui-whatif-{kind}").count())


def _wait_rings(frame: Any, kind: str, ident: str, *, timeout_s: float = 120) -> None:
    token = css_token("jiegui-if-" + ident)
    frame.locator(f"path.jiegui-whatif-{kind}.{token}").first.wait_for(timeout=timeout_s * 1000)


def _close(page: Any, option: str) -> None:
    """Pick ``option`` in the view's list of interfaces to close."""
    page.locator(f".st-key-{Keys.WHAT_IF_CLOSED}").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    e2e.wait_settled(page, timeout_ms=120_000)


def _grid_rows(page: Any) -> list[dict[str, str]]:
    """The what-if table's rows as header → cell text, as drawn now."""
    grid = page.locator('.st-key-what-if-table [role="grid"]')
    headers = [h.strip() for h in grid.locator("thead th").all_inner_texts()]
    return [
        dict(zip(headers, [c.strip() for c in row.locator("td").all_inner_texts()]))
        for row in grid.locator('tbody tr[role="row"]').all()
    ]


def _wait_first_row(
    page: Any, column: str, value: str, *, timeout_s: float = 60
) -> list[dict[str, str]]:
    """The table's rows once its first row's ``column`` reads ``value``.

    The map frame and the table are drawn separately after one rerun; the grid can still
    show the previous run's rows when the map's rings are already there, so poll it.
    """
    deadline = time.monotonic() + timeout_s
    rows = _grid_rows(page)
    while not (rows and rows[0].get(column) == value) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        rows = _grid_rows(page)
    return rows


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_close_the_donghai_bridge_then_the_g60(app, page, offline, expected, lang):
    assert expected["s2_critical"] and expected["s2_disconnected"] > 0  # the data's answer
    assert expected["g60_detours"] > 0
    page.goto(f"{app.url}/?lang={lang}")
    frame = e2e.map_frame(page)
    frame.locator("path.jiegui-interface").first.wait_for(timeout=90_000)
    e2e.wait_settled(page)
    with speaking(lang):
        switch, heading = say("wi_switch"), say("wi_heading")
        closed_now, disconnected = say("wi_closed_now"), say("wi_c_disconnected")
        scenario, ref_header = say("wi_c_scenario"), say("c_ref")
    page.get_by_role("heading", name=heading).scroll_into_view_if_needed()
    page.get_by_text(switch, exact=True).click()
    _wait_rings(frame, "critical", expected["s2"])
    e2e.wait_settled(page, timeout_ms=120_000)
    table = page.locator(".st-key-what-if-table")
    table.wait_for(timeout=60_000)

    # S2 ringed as critical; its row says trips are disconnected.
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / f"e2e-what-if-on-{lang}.png"))
    rows = _grid_rows(page)
    [s2_row] = [r for r in rows if r.get(ref_header) == "S2"]
    assert int(s2_row[disconnected]) == expected["s2_disconnected"]
    _close(page, expected["labels"][lang]["S2"])
    _wait_rings(frame, "closed", expected["s2"])
    rows = _wait_first_row(page, scenario, closed_now)
    assert rows[0][scenario] == closed_now and rows[0][ref_header] == "S2"
    assert int(rows[0][disconnected]) == expected["s2_disconnected"]
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / f"e2e-what-if-s2-{lang}.png"))

    # A wider band reaches Hangzhou: closing the G60 instead draws the detours.
    slider = page.locator(f'.st-key-{Keys.WHAT_IF_BAND} input[type="range"]')
    slider.focus()
    for _ in range((WIDE_KM - what_if_view.DEFAULT_BAND_KM) // what_if_view.BAND_STEP):
        page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + 30
    while int(slider.input_value()) != WIDE_KM and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert int(slider.input_value()) == WIDE_KM
    e2e.wait_settled(page, timeout_ms=180_000)
    page.locator(f".st-key-{Keys.WHAT_IF_CLOSED} input").click()
    page.keyboard.press("Backspace")  # S2 opened again
    page.keyboard.press("Escape")
    e2e.wait_settled(page, timeout_ms=120_000)
    page.locator(f".st-key-{Keys.WHAT_IF_CLOSED} [data-tag]").first.wait_for(
        state="detached", timeout=30_000
    )
    _close(page, expected["labels"][lang]["G60"])
    _wait_rings(frame, "closed", expected["g60"], timeout_s=180)
    frame.locator("path.jiegui-whatif-detour").first.wait_for(timeout=60_000)
    assert frame.locator("path.jiegui-whatif-detour").count() == expected["g60_detours"]
    assert _rings(frame, "closed") == 1  # the G60 only: S2 opened again
    page.locator(e2e.MAP_IFRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / f"e2e-what-if-g60-{lang}.png"))
    assert offline.blocked == []
