"""First paint of the app against the smallest streamlit-folium page, in the same run.

The app's target is a first paint under 3 s after start. Part of any such time is fixed
by the stack, not by Jiegui: Streamlit's server start, its frontend booting in the browser
(about seventy script files, and more for each kind of widget a page shows),
streamlit-folium's component iframe loading its own bundle, then Leaflet. This script
times, from ``streamlit run`` to the last shape of the map drawn, in Debian's headless
Chromium with every host but this one unresolvable:

``baseline``
    A page holding one folium map with one line, drawn by ``st_folium`` with Leaflet from
    ``static/`` as the app does: the floor any streamlit-folium page pays here.
``app``
    ``server.py`` (as ``scripts/app.sh`` runs it: ``streamlit_app.py`` with its first view
    prepared as the server starts) on the embedded dataset until all its shapes are drawn.

each in up to three states:

``new browser``
    A browser profile that never opened the page: every script file is fetched.
``returning browser``
    The same profile after the server restarted on the same port: Streamlit's script files
    are in the browser's cache (they are served as immutable), as on a planner's machine
    the day after.
``no stored results`` (app only)
    The app's first start after an install or upgrade: nothing in the result cache
    (:mod:`app.result_cache`), so it loads, counts and draws before it can send the map.
    The other app states start with the results of the previous start on disk.

It prints each run, the medians and the app's time over the baseline. Run:
``.venv/bin/python -m benchmarks.first_paint_benchmark [--runs 5]`` (needs the browser test
set-up: ``playwright`` from requirements-dev.txt and ``apt-get install chromium``).

Requests are not intercepted (as the browser tests do, to record them): a route handler
answers every request through this Python process, which adds to each of the page's ~150
requests what no user's browser pays. Unresolvable hosts keep the page offline instead,
and any request that is not local is counted and reported.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers import e2e_support as e2e  # the browser-test helpers

ROOT = Path(__file__).resolve().parents[1]

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

BASELINE_NEW = "baseline, new browser"
BASELINE_RETURNING = "baseline, returning browser"
APP_NO_RESULTS = "app, new browser, no stored results"
APP_NEW = "app, new browser"
APP_RETURNING = "app, returning browser"


def first_paint(context: object, page_path: Path, shapes: int, port: int, remote: list) -> float:
    """Seconds from ``streamlit run`` to ``shapes`` Leaflet shapes drawn, in ``context``."""
    page = context.new_page()
    page.on("request", lambda r: None if e2e.is_local(r.url) else remote.append(r.url))
    try:
        with e2e.streamlit_app(page_path, port=port) as app:
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


def one_run(browser: object, baseline: Path, results: Path, remote: list) -> dict[str, float]:
    """Every state once, in a fixed order; returns seconds per state."""
    times: dict[str, float] = {}

    def measure(name: str, context: object, path: Path, shapes: int, port: int) -> None:
        times[name] = first_paint(context, path, shapes, port, remote)

    def fresh() -> object:
        return browser.new_context(viewport={"width": 1400, "height": 1000})

    port = e2e.free_port()
    context = fresh()
    measure(BASELINE_NEW, context, baseline, 1, port)
    measure(BASELINE_RETURNING, context, baseline, 1, port)
    context.close()

    shutil.rmtree(results, ignore_errors=True)
    port = e2e.free_port()
    context = fresh()
    measure(APP_NO_RESULTS, context, e2e.SERVER, APP_SHAPES, port)
    context.close()
    port = e2e.free_port()
    context = fresh()
    measure(APP_NEW, context, e2e.SERVER, APP_SHAPES, port)
    measure(APP_RETURNING, context, e2e.SERVER, APP_SHAPES, port)
    context.close()
    return times


def summary(times: dict[str, list[float]], say: Callable[[str], None]) -> None:
    """Print medians and ranges, and the app over the baseline in the same browser state."""
    say("median (range) first paint, seconds from `streamlit run`:")
    for name, values in times.items():
        say(f"  {name:<38} {statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})")
    for app, base in ((APP_NEW, BASELINE_NEW), (APP_RETURNING, BASELINE_RETURNING)):
        a, b = statistics.median(times[app]), statistics.median(times[base])
        say(f"{app} over {base}: {a / b:.2f}x, +{a - b:.2f} s")
    for name, values in times.items():
        if name.startswith("app"):
            met = "met" if statistics.median(values) < 3.0 else "NOT met"
            say(f"target: first paint under 3 s (median) for {name}: {met}")


def main() -> None:
    """Measure every state ``--runs`` times; print runs, medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each state")
    args = parser.parse_args()
    reason = e2e.browser_skip_reason()
    if reason:
        sys.exit(f"cannot run the browser: {reason}")
    from playwright.sync_api import sync_playwright

    # The baseline page sits beside streamlit_app.py while it runs: Streamlit serves the
    # static/ folder next to the page it runs, and the baseline loads Leaflet from there.
    baseline = ROOT / f".first_paint_baseline_{os.getpid()}.py"
    baseline.write_text(BASELINE_PAGE, encoding="utf-8")
    times: dict[str, list[float]] = {}
    remote: list[str] = []
    try:
        with e2e.empty_result_cache() as results, sync_playwright() as pw:  # servers inherit it
            browser = pw.chromium.launch(
                executable_path=e2e.chromium_path(), args=[*e2e.CHROMIUM_ARGS, e2e.OFFLINE_FLAG]
            )
            for run in range(1, args.runs + 1):
                for name, seconds in one_run(browser, baseline, results, remote).items():
                    times.setdefault(name, []).append(seconds)
                    print(f"run {run}: {name:<38} {seconds:.2f} s", flush=True)
            browser.close()
    finally:
        baseline.unlink(missing_ok=True)
    summary(times, print)
    print(f"requests to other hosts: {len(remote)}" + (f" (first: {remote[0]})" if remote else ""))


if __name__ == "__main__":
    main()
