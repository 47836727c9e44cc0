"""The legend covers neither the focus border's interfaces nor the links near them.

For every border of the embedded dataset with interfaces shown (in a 1440 x 900 window in
both languages, in a 1440 x 1400 one in one language each), the page is opened on that
border by its link (``?region=...&nb=...&lang=...``) in Debian's chromium with no network,
and the browser measures: the legends' rectangles, the interface markers' boxes, and the
link lines as drawn (points every 2 px along each SVG path of the links' groups, in screen
coordinates) within ``LEGEND_CLEAR_PX`` of an interface's centre. None may fall inside a
legend. Screenshots of each border go to ``artifacts/``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from app import views
from app.webmap import LEGEND_CLEAR_PX
from geo.datum import WGS84_DATUM
from helpers import e2e_support as e2e

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}


def _borders() -> list[tuple[str, str, int]]:
    """``(region, neighbour, interfaces shown)`` of every border of ``yrd`` (computed)."""
    loaded = views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)
    first = views.first_query(loaded)
    out = []
    for a, b in loaded.source.region_set.pairs[["a", "b"]].itertuples(index=False):
        query = dataclasses.replace(first, region=str(a), neighbour=str(b))
        shown = views.what_is_shown(loaded, views.count(loaded, query), query)
        out.append((str(a), str(b), len(shown.interfaces)))
    return out


BORDERS = _borders()

#: In the map's frame: the legends, the interface markers and the links' drawn points near
#: them (within ``near`` px of a marker's centre), all in the frame's coordinates.
_MEASURE = """(near) => {
    const view = document.querySelector('.leaflet-container').getBoundingClientRect();
    const box = el => { const r = el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
    const inside = b => b[2] > view.left && b[0] < view.right && b[3] > view.top
                        && b[1] < view.bottom;
    const legends = Array.from(document.querySelectorAll('.jiegui-legend'))
        .filter(el => el.offsetParent !== null).map(box);
    const markers = Array.from(document.querySelectorAll('path.jiegui-interface'))
        .map(box).filter(inside);
    const centres = markers.map(b => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
    const points = [];
    const paths = document.querySelectorAll(
        '.leaflet-overlay-pane path.leaflet-interactive');
    paths.forEach(path => {
        const m = path.getScreenCTM();
        const length = path.getTotalLength();
        for (let at = 0; at <= length; at += 2) {
            const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y)
                .matrixTransform(m);
            if (p.x < view.left || p.x > view.right || p.y < view.top || p.y > view.bottom) {
                continue;
            }
            if (centres.some(c => (c[0] - p.x) ** 2 + (c[1] - p.y) ** 2 <= near * near)) {
                points.push([p.x, p.y]);
            }
        }
    });
    const placed = document.querySelector('.jiegui-main-legend[data-placed]') !== null;
    return {legends, markers, points, paths: paths.length, placed};
}"""


def _measure_placed(page: Any, tries: int = 6) -> dict[str, Any]:
    """Measure the map once its legend is placed and still, in the map document measured.

    The page may draw the map again after it settled (its report of the view runs the
    page), and a map drawn again places its legend anew; a measure taken before that
    (the legend still in its first corner, unplaced) is taken again.
    """
    found: dict[str, Any] = {}
    before: Any = None
    for _ in range(tries):
        e2e.wait_settled(page)
        e2e.wait_legend_placed(page)
        page.wait_for_timeout(400)
        inner = next(f for f in page.frames if "st_folium" in f.url)
        found = inner.evaluate(_MEASURE, LEGEND_CLEAR_PX)
        # Placed, and still where it was 400 ms before: a legend whose box changed late
        # (its style sheet applied after placement) is placed again by the map, so the
        # measure waits for the legend to be still rather than catch it in between.
        if found["placed"] and found["legends"] == before:
            return found
        before = found["legends"] if found["placed"] else None
    raise AssertionError(f"the legend was never still and placed when measured ({tries} tries)")


def _overlap(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    apart_x = a[2] - slack <= b[0] or b[2] - slack <= a[0]
    apart_y = a[3] - slack <= b[1] or b[3] - slack <= a[1]
    return not (apart_x or apart_y)


def _inside(point: list[float], rect: list[float], slack: float = 0.5) -> bool:
    x, y = point
    return rect[0] + slack < x < rect[2] - slack and rect[1] + slack < y < rect[3] - slack


@pytest.fixture
def page(browser: Any, offline: e2e.OfflineGuard) -> Iterator[Any]:
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT)
    yield page
    page.context.close()


def test_every_border_has_been_counted():
    # The test below would pass on nothing: some borders must show interfaces.
    assert sum(1 for *_, n in BORDERS if n) >= 2, BORDERS


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_legend_covers_no_interface_nor_the_links_near_them(app, page, offline, lang):
    """In a tall window (a 1000 px map), each border in one of the two languages, in turn.

    The 1440 x 900 test below opens every border in both, on a smaller map; here each
    border once (a view takes some 6 s: both languages on both windows took 3 minutes).
    """
    checked = []
    shown = [(r, n) for r, n, count in BORDERS if count]
    for region, neighbour in shown[["zh", "en"].index(lang) :: 2]:
        params = urlencode({"region": region, "nb": neighbour, "lang": lang})
        page.goto(f"{app.url}/?{params}")
        frame = e2e.map_frame(page)
        frame.locator("path.jiegui-interface").first.wait_for(timeout=90_000)
        found = _measure_placed(page)
        assert found["legends"] and found["markers"] and found["paths"], (region, neighbour)
        covered = [m for m in found["markers"] for lg in found["legends"] if _overlap(lg, m)]
        crossed = [p for p in found["points"] for lg in found["legends"] if _inside(p, lg)]
        e2e.ARTIFACTS.mkdir(exist_ok=True)
        frame.locator(".leaflet-container").screenshot(
            path=str(e2e.ARTIFACTS / f"e2e-legend-{region}-{neighbour}-{lang}.png".lower())
        )
        assert covered == [], (region, neighbour, lang, found["legends"], covered)
        assert crossed == [], (region, neighbour, lang, found["legends"], crossed[:5])
        checked.append((region, neighbour, len(found["markers"]), len(found["points"])))
    assert checked
    print(lang, checked)  # shown with -s: the borders checked, markers and near points
    assert offline.blocked == []


#: A 1440 px laptop's window: the map is 667 × 650 px (it fits the window, app.map_size).
LAPTOP = {"width": 1440, "height": 900}

#: The main legend's state: open, its height and what it would need to show everything.
_LEGEND_STATE = """() => {
    const legend = document.querySelector('.jiegui-main-legend');
    return {open: legend.querySelector(':scope > details').open,
            scroll: legend.scrollHeight, client: legend.clientHeight,
            interfaces: document.querySelectorAll('path.jiegui-interface').length};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_1440_by_900_the_legend_is_whole_and_covers_nothing(browser, app, offline, lang):
    """The first view, in a 1440 × 900 window: the legend open, needing no scrolling inside,
    and clear of every interface and the links near it (on the default page, where it
    scrolled, and on every border: Zhejiang-Jiangsu's made room for it)."""
    page = e2e.offline_page(browser, offline, viewport=LAPTOP)
    checked = []
    try:
        views_opened = [({"lang": lang}, "default")] + [
            ({"region": r, "nb": n, "lang": lang}, f"{r}-{n}".lower()) for r, n, c in BORDERS if c
        ]
        for params, name in views_opened:
            page.goto(f"{app.url}/?{urlencode(params)}")
            frame = e2e.map_frame(page)
            frame.locator("path.jiegui-interface").first.wait_for(timeout=90_000)
            found = _measure_placed(page)
            inner = next(f for f in page.frames if "st_folium" in f.url)
            state = inner.evaluate(_LEGEND_STATE)
            frame.locator(".leaflet-container").screenshot(
                path=str(e2e.ARTIFACTS / f"e2e-legend-1440x900-{name}-{lang}.png")
            )
            assert state["open"], (name, state)
            assert state["scroll"] <= state["client"], (name, lang, state)
            # Every interface is in the view, and none, nor a link near it, is covered.
            assert len(found["markers"]) == state["interfaces"], (name, found["markers"])
            covered = [m for m in found["markers"] for lg in found["legends"] if _overlap(lg, m)]
            crossed = [p for p in found["points"] for lg in found["legends"] if _inside(p, lg)]
            assert covered == [] and crossed == [], (name, lang, found["legends"], crossed[:5])
            checked.append((name, state["client"], len(found["markers"])))
    finally:
        page.context.close()
    print(lang, checked)
    assert offline.blocked == []
