"""The cities layer in a real browser, in English and Chinese: circles, legend, popups.

Opens the page (``?lang=en`` / ``?lang=zh``) offline in Debian's chromium, checks that the
cities layer is in the sidebar's layer list and the map's legend in the page's language,
fits the map to the cities, clicks each circle and reads its popup: the city's figures with
the report's Chinese words and their English translation (both, whatever the page's
language), as ``data/yrd/cities.csv`` gives them. Screenshots go to ``artifacts/``
(``e2e-cities-en.png``, ``e2e-cities-zh.png`` with Hangzhou's popup,
``e2e-cities-legend-en.png``, ``e2e-cities-legend-zh.png`` with the legend). Skipped, with
the reason, when playwright or chromium is missing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

import pytest

from geo.labels import CLASS_LABELS, LAYER_LABELS
from helpers import e2e_support as e2e
from helpers.paths import ROOT

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
SIDEBAR = '[data-testid="stSidebar"]'
DATA = ROOT / "data" / "yrd"


@pytest.fixture(scope="module")
def app() -> Iterator[e2e.AppServer]:
    with e2e.streamlit_app(timeout=300) as server:
        yield server


def _rows() -> list[dict[str, str]]:
    with (DATA / "cities.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _bounds() -> list[list[float]]:
    """South-west and north-east corners of the cities, from the built data."""
    points = [f["geometry"]["coordinates"] for f in json.loads(
        (DATA / "cities.geojson").read_text(encoding="utf-8"))["features"]]  # fmt: skip
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cities_are_drawn_listed_and_quote_the_report(browser, app, lang):
    blocked = e2e.OfflineGuard()
    page = e2e.offline_page(browser, blocked, viewport=VIEWPORT)
    page.goto(f"{app.url}/?lang={lang}")
    frame = e2e.map_frame(page)
    frame.locator(".leaflet-container").wait_for(timeout=120_000)
    e2e.wait_settled(page)
    label = LAYER_LABELS["cities"][lang]
    # In the sidebar's layer list (chosen: every layer of the data is shown at first) ...
    assert page.locator(SIDEBAR).get_by_text(label, exact=True).first.is_visible()
    # ... and in the map's legend, with its class in the page's language.
    # (text_content: the legend may be folded, as on a narrow map)
    legend = frame.locator('.jiegui-legend [data-legend="cities"]').first.text_content() or ""
    assert label in legend and CLASS_LABELS["cities"]["prefecture_city"][lang] in legend
    circles = frame.locator("path.jiegui-cities")
    assert e2e.wait_for_count(circles, 4) == 4
    rows = _rows()
    popup = frame.locator(".leaflet-popup-content")
    seen = set()
    for k in range(4):
        # A click reruns the page (the map reports it): fit the view to the cities each time.
        inner = next(f for f in page.frames if "st_folium" in f.url)
        inner.evaluate(
            "(b) => window.map.fitBounds(b, {padding: [80, 80], animate: false})", _bounds()
        )
        if k == 0:
            frame.locator(".leaflet-container").screenshot(
                path=str(e2e.ARTIFACTS / f"e2e-cities-legend-{lang}.png")
            )
        # The legend (open on a wide map) folded, so that it covers no circle.
        inner.evaluate(
            "() => document.querySelectorAll('.jiegui-legend details').forEach(d => d.open = false)"
        )
        circles.nth(k).click()
        popup.wait_for(timeout=20_000)
        e2e.wait_settled(page)
        text = popup.inner_text()
        city = next(r["city_en"] for r in rows if r["city_en"] in text)
        first = next(r["city_zh"] if lang == "zh" else city for r in rows if r["city_en"] == city)
        assert text.startswith(first), text  # the page's language first
        for row in (r for r in rows if r["city_en"] == city):
            assert row["quote_zh"] in text and row["quote_en"] in text, row["id"]
        seen.add(city)
        if city == "Hangzhou":
            frame.locator(".leaflet-container").screenshot(
                path=str(e2e.ARTIFACTS / f"e2e-cities-{lang}.png")
            )
        next(f for f in page.frames if "st_folium" in f.url).evaluate(
            "() => window.map.closePopup()"
        )
    assert seen == {r["city_en"] for r in rows}
    assert blocked.blocked == []
