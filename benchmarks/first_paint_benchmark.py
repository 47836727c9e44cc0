"""First paint of the app against the smallest streamlit-folium page, in the same run.

The app's target is a first paint under 3 s after start. Part of any such time is fixed
by the stack, not by Jiegui: Streamlit's server start, its frontend booting in the browser
(about a hundred script files), streamlit-folium's component iframe loading its own bundle,
then Leaflet. This script measures both, alternately, each in a fresh ``streamlit run``
and a fresh headless Chromium page (Debian's chromium, every non-local request blocked):

``baseline``
    A page holding one folium map with one line, drawn by ``st_folium`` with Leaflet from
    ``static/`` as the app does: the floor any streamlit-folium page pays here.
``app``
    ``streamlit_app.py`` on the embedded dataset, until every shape of its map is drawn
    (the same end point as the browser test).

It prints each run, the medians and the app's time over the baseline. Run:
``.venv/bin/python benchmarks/first_paint_benchmark.py [--runs 5]`` (needs the browser test
set-up: ``playwright`` from requirements-dev.txt and ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import e2e_support as e2e  # noqa: E402 - the browser-test helpers, after the path is set

BASELINE_PAGE = '''
import folium
import streamlit as st
from streamlit_folium import st_folium

st.set_page_config(layout="wide")
fmap = folium.Map(location=[30.8, 121.0], zoom_start=8, tiles=None)
fmap.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
fmap.default_css = [("leaflet_css", "/app/static/leaflet/leaflet.css")]
folium.PolyLine([[30.5, 120.8], [31.0, 121.2]]).add_to(fmap)
st_folium(fmap, key="map", height=560, returned_objects=[])
'''

#: Shapes the app's map draws on the embedded dataset at its default border (see
#: tests/test_e2e.py); the baseline draws one.
APP_SHAPES = 42


def first_paint(browser: object, page_path: Path, shapes: int) -> float:
    """Seconds from ``streamlit run`` to ``shapes`` Leaflet shapes drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    guard = e2e.OfflineGuard()
    page.route("**/*", guard)
    try:
        with e2e.streamlit_app(page_path) as app:
            page.goto(app.url)
            frame = page.frame_locator("iframe").first
            deadline = time.monotonic() + 120
            while frame.locator("path.leaflet-interactive").count() < shapes:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{page_path.name}: the map did not draw")
                time.sleep(0.01)
            return time.monotonic() - app.started
    finally:
        page.close()


def main() -> None:
    """Measure the baseline and the app alternately; print runs, medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each page")
    args = parser.parse_args()
    reason = e2e.browser_skip_reason()
    if reason:
        sys.exit(f"cannot run the browser: {reason}")
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"baseline": [], "app": []}
    # The baseline page sits beside streamlit_app.py while it runs: Streamlit serves the
    # static/ folder next to the page it runs, and the baseline loads Leaflet from there.
    baseline = ROOT / f".first_paint_baseline_{os.getpid()}.py"
    baseline.write_text(BASELINE_PAGE, encoding="utf-8")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=e2e.chromium_path(), args=e2e.CHROMIUM_ARGS
            )
            for run in range(1, args.runs + 1):
                for name, path, shapes in (
                    ("baseline", baseline, 1),
                    ("app", e2e.APP, APP_SHAPES),
                ):
                    seconds = first_paint(browser, path, shapes)
                    times[name].append(seconds)
                    print(f"run {run}: {name:<8} first paint {seconds:.2f} s", flush=True)
            browser.close()
    finally:
        baseline.unlink(missing_ok=True)
    base, app = statistics.median(times["baseline"]), statistics.median(times["app"])
    print(f"median first paint: baseline {base:.2f} s, app {app:.2f} s")
    print(
        f"app / baseline: {app / base:.2f}x; the app's own work adds {app - base:.2f} s "
        f"(target: app under 3 s, i.e. at most {3 - base:.2f} s over this baseline)"
    )


if __name__ == "__main__":
    main()
