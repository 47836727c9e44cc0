"""An interface's popup in a real browser, in English and Chinese: what a planner reads.

Opens the page (``?lang=en`` / ``?lang=zh``) offline in Debian's chromium, zooms the map to
an interface of the default border, clicks its marker and reads the popup: the names, the
field names in the page's language, the year it opened, its accuracy and its sources'
links (http(s) only, to a new tab). The expected values are computed from the embedded data
here. Screenshots go to ``artifacts/`` (``e2e-popup-en.png``, ``e2e-popup-zh.png``,
``e2e-popup-table-zh.png``). Skipped, with the reason, when playwright or chromium is
missing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from app.map_html import css_token
from geo.analysis import count_crossings
from geo.feature_facts import LANGUAGE_SEPARATOR, Facts, interface_facts
from geo.io.sources import load_source
from geo.reconcile import default_pair
from geo.summary import pair_interfaces
from helpers import e2e_support as e2e

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
#: The popup's field names, as the page says them (app/labels.py), in each language.
FIELDS = {
    "en": ("Border", "Type", "Status", "Opened", "Position accuracy", "Identification", "Sources"),
    "zh": ("边界", "类型", "状态", "开通年份", "位置精度", "识别可信度", "来源"),
}


@pytest.fixture(scope="module")
def app() -> Iterator[e2e.AppServer]:
    with e2e.streamlit_app(timeout=300) as server:
        yield server


@pytest.fixture(scope="module")
def target() -> tuple[pd.Series, Facts, float]:
    """The default border's interface with a year, a linked source and the most room around it."""
    source = load_source("yrd")
    region, neighbour = default_pair(source.region_set.names, source.folder)
    result = count_crossings(source.layers, source.region_set, region=region)
    shown = pair_interfaces(result.interfaces, region, neighbour).reset_index(drop=True)
    facts = interface_facts(shown, source.layers)
    best: tuple[pd.Series, Facts, float] | None = None
    for k, row in shown.iterrows():
        linked = any(re.search(r"https?://", s) for s in facts[k].sources)
        if facts[k].start_year is None or not linked or facts[k].accuracy_m is None:
            continue
        scale = math.cos(math.radians(row["lat"]))
        gap = min(
            111_320.0 * math.hypot((o.lon - row["lon"]) * scale, o.lat - row["lat"])
            for o in shown.itertuples()
            if o.id != row["id"]
        )
        if best is None or gap > best[2]:
            best = (row, facts[k], gap)
    assert best is not None and best[2] > 300, "no interface with facts stands apart"
    return best


def _open_popup(browser: Any, app: e2e.AppServer, lang: str, target: tuple) -> tuple[Any, Any]:
    row, _, gap = target
    blocked = e2e.OfflineGuard()
    page = e2e.offline_page(browser, blocked, viewport=VIEWPORT)
    page.goto(f"{app.url}/?lang={lang}")
    frame = e2e.map_frame(page)
    frame.locator(".leaflet-container").wait_for(timeout=120_000)
    e2e.wait_settled(page)
    inner = next(f for f in page.frames if "st_folium" in f.url)
    inner.evaluate(
        "([lat, lon, zoom]) => window.map.setView([lat, lon], zoom, {animate: false})",
        [row["lat"], row["lon"], e2e.zoom_for_separation(row["lat"], gap, pixels=150)],
    )
    marker = frame.locator(f"path.jiegui-interface.{css_token('jiegui-if-' + str(row['id']))}")
    marker.wait_for(timeout=20_000)
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=20_000)
    e2e.wait_settled(page)
    assert blocked.blocked == []
    return page, popup


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_clicked_interface_shows_a_planners_popup(browser, app, target, lang):
    _, facts, _ = target
    page, popup = _open_popup(browser, app, lang, target)
    try:
        text = popup.inner_text()
        for field in FIELDS[lang]:
            assert field in text, (field, text)
        first, other = (facts.name_zh, facts.name_en)[:: 1 if lang == "zh" else -1]
        assert first and other and text.index(first) < text.index(other)  # the page's first
        assert str(facts.start_year) in text
        metres = f"±{round(facts.accuracy_m):,} {'米' if lang == 'zh' else 'm'}"
        assert metres in text
        for engine in ("carriageways", "source ids", "per line", "lanes_per_carriageway"):
            assert engine not in text
        # A credit written in both languages shows the page's part only.
        mine = 1 if lang == "zh" else 0
        for parts in (s.split(LANGUAGE_SEPARATOR) for s in facts.sources):
            if len(parts) == 2:
                assert parts[mine] in text and parts[1 - mine] not in text, parts
        # Every web address of the sources is a link to a new tab, and nothing else is.
        urls = [u for s in facts.sources for u in re.findall(r"https?://[^\s()（）]+", s)]
        links = popup.locator("a")
        assert links.count() == len(urls) > 0
        for k in range(links.count()):
            link = links.nth(k)
            assert re.match(r"https?://", link.get_attribute("href") or "")
            assert link.get_attribute("target") == "_blank"
            assert "noopener" in (link.get_attribute("rel") or "")
        e2e.map_frame(page).locator(".leaflet-container").screenshot(
            path=str(e2e.ARTIFACTS / f"e2e-popup-{lang}.png")
        )
        if lang == "zh":
            page.locator(".st-key-interface-table").scroll_into_view_if_needed()
            page.get_by_text("显示计算字段").wait_for(timeout=30_000)
            page.screenshot(path=str(e2e.ARTIFACTS / "e2e-popup-table-zh.png"))
    finally:
        page.context.close()
