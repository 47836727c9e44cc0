"""Server time of the app's interactions, against a rerun that changes nothing, in one run.

The app's target is an interaction under 300 ms of server time. This script starts the app
as ``scripts/app.sh`` does (``streamlit run server.py``) with an empty result cache, opens
it in Debian's headless Chromium with every host but this one unresolvable, and does, one
at a time, as a planner would:

``rerun``
    Streamlit's "rerun" key: the page runs again with every result cached. The floor of
    any interaction, and the baseline the others are divided by.
``year, not seen before``
    One step left on the year slider (keyboard), to a year never shown: the count, the
    map's content and the map are computed.
``year, seen before``
    One step right, back to a year shown a moment ago.
``basis, not seen before``
    A click on another counting basis in the sidebar (open + under construction and
    planned in turn, from open), each at a year not counted in that basis before (the year
    is stepped back between them, untimed): the count, the map's content, the cards, the
    overview and the report's column in the page's basis.
``border``
    Another neighbour chosen in the sidebar (Jiangsu and Shanghai in turn; the list is
    opened untimed).
``row selection``
    A click on the interface table's first row: the map highlights and zooms to it (the
    selection is cleared again between steps, untimed).
``marker click``
    A click on an interface marker (two, in turn): the page names the picked interface.

Then the two years and the timeline (``app/compare_view.py``, ``app/timeline_view.py``):

``compare, first year``
    "Compare with year" set to 1998 for the first time, with the slider where the year
    steps above left it: every year of the slider is counted once (the history), then the
    two years are compared. Once, cold.
``compare year, not seen before`` / ``compare year, seen before``
    "Compare with year" set to another year (1999, 2000 ...), then back to those.
``slider year with compare, page seen`` / ``slider year with compare, all new`` /
``slider year with compare, seen before``
    With 1998 compared, the year slider stepped left: first through the years the year
    steps above showed (their counts and maps are kept; the comparison is new), then
    beyond (the page's count and map are new too), then right again, back to years shown.
``growth opened`` / ``growth, neighbour changed``
    The "Growth over time" expander opened (closed again between steps, untimed), and
    with it open, the neighbour switched between Shanghai and Jiangsu (map, tables,
    comparison and chart of the other border).

For each it reads the server time of the run from the page's "Page computed in N ms"
caption (from the end of the page's imports to its last element) and times the wall clock
from the action until a run it started has ended (and, for the year, the page names the
new year). It prints each
step, medians, 90th percentiles and ranges, and each over the rerun. Run:
``.venv/bin/python -m benchmarks.interaction_benchmark [--steps 8]`` (needs the browser test
set-up: ``playwright`` from requirements-dev.txt and ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import e2e_support as e2e  # the browser-test helpers

ROOT = Path(__file__).resolve().parents[1]

RERUN = "rerun"
YEAR_NEW = "year, not seen before"
YEAR_SEEN = "year, seen before"
BASIS_NEW = "basis, not seen before"
BORDER = "border"
ROW = "row selection"
CLICK = "marker click"
COMPARE_FIRST = "compare, first year"
COMPARE_NEW = "compare year, not seen before"
COMPARE_SEEN = "compare year, seen before"
SLIDER_PAGE_SEEN = "slider year with compare, page seen"
SLIDER_NEW = "slider year with compare, all new"
SLIDER_SEEN = "slider year with compare, seen before"
GROWTH_OPEN = "growth opened"
GROWTH_NEIGHBOUR = "growth, neighbour changed"
#: The interactions the two-year target is about: switching year A or B.
SWITCHING = (COMPARE_NEW, COMPARE_SEEN, SLIDER_PAGE_SEEN, SLIDER_NEW, SLIDER_SEEN)
TARGET_MS = 300
COMPARED = 1998

#: True once a run started since the watch began has ended and ``text`` shows.
_RAN_JS = """([settled, text]) => window.__jieguiRuns > 0
    && !!document.querySelector(settled) && document.body.innerText.includes(text)"""


def server_ms(page: Any) -> int:
    """The server time of the page's last run, from its "Page computed in N ms" caption."""
    text = page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0])


def measure(
    times: dict[str, list[tuple[int, float]]],
    name: str,
    page: Any,
    act: Callable[[], None],
    shows: str = "Page computed in",
) -> None:
    """Do ``act``; when a run it caused has ended showing ``shows``, record it as ``name``.

    Records (server ms of that run, seconds from the action to the page settled).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    page.evaluate(e2e.WATCH_RUNS_JS)
    started = time.monotonic()
    act()
    try:
        page.wait_for_function(_RAN_JS, arg=[e2e.SETTLED, shows], polling="raf", timeout=10_000)
    except PlaywrightTimeout:
        if page.evaluate("window.__jieguiRuns"):
            raise
        # Now and then Leaflet takes a click on a marker as no click at all (no popup, no
        # message to the page): do it again, and time it from then.
        print(f"{name}: no run started within 10 s; acting again", flush=True)
        started = time.monotonic()
        act()
        page.wait_for_function(_RAN_JS, arg=[e2e.SETTLED, shows], polling="raf", timeout=60_000)
    wall = time.monotonic() - started
    ms = server_ms(page)
    times.setdefault(name, []).append((ms, wall))
    print(f"{name:<36} server {ms:4d} ms   to settled {wall:.2f} s", flush=True)


def wait_prepared(results: Path, started: float, timeout_s: float = 120.0) -> None:
    """Wait until the server's start-up has stored the histories it prepares (server.py).

    The server prepares the first view, then the first view's region's history in every
    named basis, in a thread as it starts; the steps measure the page after it, as a
    visitor who comes after the server's start finds it. Prints how long it took.
    """
    from geo.basis import BASES

    while len(list((results / "history").glob("*.result"))) < len(BASES):
        if time.perf_counter() - started > timeout_s:
            print(f"the server's start-up had not stored its histories after {timeout_s:.0f} s")
            return
        time.sleep(0.2)
    took = time.perf_counter() - started
    print(f"server start-up prepared (first view, histories) {took:.1f} s after it started")


def run(steps: int, results: Path) -> dict[str, list[tuple[int, float]]]:
    """Open the app and do each interaction ``steps`` times; returns (server ms, wall s).

    ``results`` is the server's result folder (``$JIEGUI_CACHE_DIR``), empty at the start.
    """
    from playwright.sync_api import sync_playwright

    times: dict[str, list[tuple[int, float]]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=e2e.chromium_path(), args=[*e2e.CHROMIUM_ARGS, e2e.OFFLINE_FLAG]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        with e2e.streamlit_app(e2e.SERVER) as app:
            page.goto(app.url)
            e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
            e2e.wait_settled(page)
            wait_prepared(results, started)
            thumb = page.locator(
                '[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]'
            )
            first = int(thumb.get_attribute("aria-valuemin") or thumb.get_attribute("min"))
            if int(thumb.input_value()) - steps < first:
                raise SystemExit(f"--steps {steps} would step the year below {first}")
            _basis_switches(page, times, steps, thumb)
            _border_switches(page, times, steps)
            grid = page.locator('.st-key-interface-table [data-testid="stDataFrame"]')
            for _ in range(steps):
                page.locator("h1").first.click()  # focus the page, not a widget
                measure(times, RERUN, page, lambda: page.keyboard.press("r"))
            for key, name in (("ArrowLeft", YEAR_NEW), ("ArrowRight", YEAR_SEEN)):
                for _ in range(steps):
                    year = int(thumb.input_value()) + (-1 if key == "ArrowLeft" else 1)
                    thumb.focus()
                    measure(
                        times, name, page, lambda key=key: page.keyboard.press(key),
                        f"· as of {year}",  # the title's caption (the report's says its own year)
                    )  # fmt: skip

            def click_first_row() -> None:
                """The first data row's selection box (header and rows 35 px high)."""
                box = grid.bounding_box()
                page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)

            for _ in range(steps):
                grid.scroll_into_view_if_needed()
                measure(times, ROW, page, click_first_row)
                click_first_row()  # clears the selection again, not timed
                e2e.wait_settled(page)
            _marker_clicks(page, times, steps)
            _two_years(page, times, steps, thumb)
            _growth(page, times, steps)
        browser.close()
    return times


#: The sidebar's counting bases switched between, as their radio labels read, and the
#: page's default, which the switches leave the page on.
BASIS_LABELS = (
    "open + under construction 已通车及在建", "open, under construction + planned 含规划",
)  # fmt: skip
OPEN_LABEL = "open 已通车"


def _basis_switches(
    page: Any, times: dict[str, list[tuple[int, float]]], steps: int, thumb: Any
) -> None:
    """Switch the basis ``steps`` times, each to a basis not yet counted at that year.

    Between the two bases other than open, the year stepped back between switches
    (untimed), so that no switch finds its count made; the years stepped through are not
    counted in the open basis, which the year steps measure. Ends as it began: the slider
    on its year, the basis open (untimed).
    """
    sidebar = page.locator('[data-testid="stSidebar"]')
    start = int(thumb.input_value())
    for n in range(steps):
        label = BASIS_LABELS[n % len(BASIS_LABELS)]
        caption = label.rsplit(" ", 1)[0]  # the English part, as the captions say it
        measure(times, BASIS_NEW, page, sidebar.get_by_text(label, exact=True).click, caption)
        year = int(thumb.input_value()) - 1
        thumb.focus()
        page.keyboard.press("ArrowLeft")
        page.get_by_text(f"· as of {year}").first.wait_for(timeout=60_000)
        e2e.wait_settled(page)
    thumb.focus()
    for _ in range(start - int(thumb.input_value())):
        page.keyboard.press("ArrowRight")
    page.get_by_text(f"· as of {start}").first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    sidebar.get_by_text(OPEN_LABEL, exact=True).click()
    page.get_by_text(f"· as of {start}, open").first.wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    e2e.wait_settled(page)


def _border_switches(page: Any, times: dict[str, list[tuple[int, float]]], steps: int) -> None:
    """Choose another neighbour ``steps`` times (the list opened untimed)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Neighbour"
    )
    for n in range(steps):
        neighbour = ("Jiangsu", "Shanghai")[n % 2]
        box.click()
        option = page.get_by_role("option", name=neighbour, exact=True)
        option.wait_for(timeout=10_000)
        measure(times, BORDER, page, option.click, f"Zhejiang – {neighbour} ·")


def _sidebar_box(page: Any, label: str) -> Any:
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text=label
    )


def _choose(page: Any, label: str, option: str) -> Callable[[], None]:
    """Open a sidebar select box and type ``option`` (untimed); the returned action picks it."""
    _sidebar_box(page, label).click()
    page.keyboard.type(option)
    return lambda: page.keyboard.press("Enter")


def _two_years(
    page: Any, times: dict[str, list[tuple[int, float]]], steps: int, thumb: Any
) -> None:
    """Compare with 1998, then other years; then step the slider with the comparison on.

    From where the year steps left the slider: they showed the ``steps`` years below it (in
    the basis the page counts now), which the slider then steps through first.
    """
    today = int(thumb.input_value())
    first = int(thumb.get_attribute("aria-valuemin") or thumb.get_attribute("min"))
    if today - 2 * steps <= COMPARED or first > COMPARED:
        raise SystemExit(f"--steps {steps} is too many for the years {first}-{today}")
    measure(times, COMPARE_FIRST, page, _choose(page, "Compare with year", str(COMPARED)),
            f"{COMPARED} → {today}")  # fmt: skip
    others = [COMPARED + k for k in range(1, steps + 1)]
    # Seen again, ending on the first, which the slider steps below compare with.
    for name, years in ((COMPARE_NEW, others), (COMPARE_SEEN, [*others[:-1], COMPARED])):
        for year in years:
            act = _choose(page, "Compare with year", str(year))
            measure(times, name, page, act, f"{year} → {today}")
    for name, step in (
        *((SLIDER_PAGE_SEEN, -1),) * steps,
        *((SLIDER_NEW, -1),) * steps,
        *((SLIDER_SEEN, +1),) * steps,
    ):
        year = int(thumb.input_value()) + step
        thumb.focus()
        key = "ArrowLeft" if step < 0 else "ArrowRight"
        measure(times, name, page, lambda key=key: page.keyboard.press(key),
                f"{COMPARED} → {year}")  # fmt: skip


def _growth(page: Any, times: dict[str, list[tuple[int, float]]], steps: int) -> None:
    """Open the growth chart (closed again between steps); switch neighbours with it open."""
    expander = page.get_by_text("Growth over time", exact=False).first
    shown = "Years shown"
    for n in range(steps):
        expander.scroll_into_view_if_needed()
        measure(times, GROWTH_OPEN, page, expander.click, shown)
        if n < steps - 1:
            expander.click()  # closed again, untimed
            e2e.wait_settled(page)
    for n in range(steps):
        neighbour = "Jiangsu" if n % 2 == 0 else "Shanghai"
        act = _choose(page, "Neighbour", neighbour)
        measure(times, GROWTH_NEIGHBOUR, page, act, f"Zhejiang – {neighbour}")


def _marker_clicks(page: Any, times: dict[str, list[tuple[int, float]]], steps: int) -> None:
    """Click two interface markers in turn, each brought into view first (not timed)."""
    inner = next(f for f in page.frames if "st_folium" in f.url)
    frame = e2e.map_frame(page)
    ids = frame.locator("path.jiegui-interface").evaluate_all(
        "paths => paths.map(p => [...p.classList].find(c => c.startsWith('jiegui-if-')))"
    )
    # Two markers of different layers, so that neither covers the other.
    first = next(i for i in ids if i)
    picks = [first, next(i for i in ids if i and i.split("-")[2] != first.split("-")[2])]
    page.locator("h1").first.scroll_into_view_if_needed()  # the whole map in view again
    for n in range(steps):
        token = picks[n % len(picks)]
        marker = frame.locator(f"path.jiegui-interface.{token}")
        inner.evaluate(
            """(token) => {
                let found = null;
                window.map.eachLayer(l => {
                    if (l._path && l._path.classList.contains(token)) { found = l; }
                });
                window.map.closePopup();
                window.map.setView(found.getLatLng(), 14, {animate: false});
            }""",
            token,
        )
        marker.wait_for(timeout=10_000)
        measure(times, CLICK, page, marker.click, "Selected interface")


def p90(values: list[int]) -> float:
    """The 90th percentile (inclusive method: within the values' range)."""
    if len(values) < 2:
        return float(values[0])
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def summary(times: dict[str, list[tuple[int, float]]]) -> None:
    """Print medians, 90th percentiles and ranges, and each interaction over the rerun."""
    print(
        "median / p90 (range): server ms per run; median seconds from the action to the "
        "page settled"
    )
    base = statistics.median(ms for ms, _ in times[RERUN])
    for name, values in times.items():
        ms = [m for m, _ in values]
        wall = [w for _, w in values]
        print(
            f"  {name:<36} {statistics.median(ms):5.0f} / {p90(ms):5.0f} ({min(ms)}–{max(ms)})"
            f"   {statistics.median(wall):.2f} ({min(wall):.2f}–{max(wall):.2f})   "
            f"{statistics.median(ms) / base:.2f}x the rerun"
        )
    for name, values in times.items():
        ninety = p90([m for m, _ in values])
        met = "met" if ninety < TARGET_MS else "NOT met"
        print(f"target: server time under {TARGET_MS} ms (p90) for {name}: {met}")
    switching = [m for name in SWITCHING for m, _ in times.get(name, [])]
    if switching:
        met = "met" if p90(switching) < TARGET_MS else "NOT met"
        print(
            f"target: switching year A or B under {TARGET_MS} ms at p90 "
            f"({len(switching)} runs, p90 {p90(switching):.0f} ms): {met}"
        )


def main() -> None:
    """Run every interaction ``--steps`` times; print steps, medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8, help="times each interaction is done")
    args = parser.parse_args()
    reason = e2e.browser_skip_reason()
    if reason:
        sys.exit(f"cannot run the browser: {reason}")
    with e2e.empty_result_cache() as results:  # the server inherits it: nothing stored
        times = run(args.steps, results)
    summary(times)


if __name__ == "__main__":
    main()
