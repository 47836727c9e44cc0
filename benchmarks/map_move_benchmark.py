"""What a map move costs: the run it causes, from the browser, and until the URL carries it.

The page writes the map's view into its URL (``app/share_view.py``); ``st_folium`` reports
the view 250 ms after each move, and that report runs the page (or, with the map in a
fragment, the fragment). This script starts the app as ``scripts/app.sh`` does, opens it
in Debian's headless Chromium with every host but this one unresolvable, waits for the
page's second run (the tables), then pans the map ``--moves`` times (``setView`` by a
tenth of a degree, same zoom, as a drag would end) and for each records:

``run ms``
    How long Streamlit marked the page as running (``data-test-script-state``), summed
    over the runs the move caused, measured in the browser (server time plus messages);
``runs``
    How many runs the move caused;
``to URL s``
    Seconds from the move until the address bar carries the map's new centre (includes
    ``st_folium``'s 250 ms wait);
``page ms``
    The "Page computed in N ms" caption after the move (the server's time of the last
    full run: unchanged when only a fragment ran);
``kB``
    What the server sent the browser over its websocket for the move (Streamlit's
    messages; a message the browser holds in its cache goes as a reference).

Usage::

    .venv/bin/python -m benchmarks.map_move_benchmark [--moves 12]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from typing import Any
from urllib.parse import parse_qsl, urlparse

from tests.helpers import e2e_support as e2e  # the browser-test helpers

#: Records each run's length in the page (``window.__moveRuns``, milliseconds).
WATCH_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__moveRuns = [];
    let started = null;
    if (window.__moveWatch) { window.__moveWatch.disconnect(); }
    window.__moveWatch = new MutationObserver(() => {
        const state = app.getAttribute("data-test-script-state");
        if (state === "running" && started === null) { started = performance.now(); }
        else if (state !== "running" && started !== null) {
            window.__moveRuns.push(performance.now() - started); started = null;
        }
    });
    window.__moveWatch.observe(app, {attributes: true,
                                     attributeFilter: ["data-test-script-state"]});
}"""


def _map(page: Any) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" in frame.url and frame.evaluate("() => !!window.map"):
                return frame
        time.sleep(0.2)
    raise RuntimeError("no drawn map")


def _count(received: list[int], frame: str | bytes) -> None:
    """Add a websocket frame's bytes to ``received[0]``."""
    received[0] += len(frame.encode() if isinstance(frame, str) else frame)


def _page_ms(page: Any) -> int:
    text = page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0])


def main() -> None:
    """Run the app, move its map, print each move's figures and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=12)
    args = parser.parse_args()
    rows: list[tuple[float, int, float, int, float]] = []
    received = [0]
    with e2e.streamlit_app() as app, e2e.chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="en-GB")
        context.route("**/*", e2e.OfflineGuard())
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: _count(received, f)))
        page.goto(app.url)
        page.wait_for_selector(e2e.MAP_IFRAME, timeout=120_000)
        page.get_by_text("Select a row").first.wait_for(timeout=120_000)  # the second run
        e2e.wait_settled(page)
        frame = _map(page)
        for i in range(args.moves + 1):
            lat, lon, zoom = frame.evaluate(
                "() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]"
            )
            step = 0.1 if i % 2 == 0 else -0.1
            page.evaluate(WATCH_JS)
            before = received[0]
            started = time.monotonic()
            frame.evaluate(f"() => window.map.setView([{lat + step}, {lon + step}], {zoom})")
            page.wait_for_timeout(50)
            wanted = f"{frame.evaluate('() => map.getCenter().lat'):.5f}"
            while dict(parse_qsl(urlparse(page.url).query)).get("lat") != wanted:
                if time.monotonic() - started > 30:
                    raise RuntimeError(f"the URL never carried lat={wanted}")
                page.wait_for_timeout(5)
            to_url = time.monotonic() - started
            e2e.wait_settled(page)
            runs = page.evaluate("window.__moveRuns")
            if i == 0:
                continue  # the first move warms the page up
            page.wait_for_timeout(300)  # the last messages of the run
            kb = (received[0] - before) / 1000
            rows.append((sum(runs), len(runs), to_url, _page_ms(page), kb))
            print(
                f"move {i:2d}: run {sum(runs):6.1f} ms in {len(runs)} run(s), "
                f"URL after {to_url:.2f} s, page caption {rows[-1][3]} ms, {kb:.1f} kB",
                flush=True,
            )
        context.close()
    run_ms = [r[0] for r in rows]
    to_url = [r[2] for r in rows]
    kbs = [r[4] for r in rows]
    print(
        f"\n{len(rows)} moves: run {statistics.median(run_ms):.0f} ms median "
        f"({min(run_ms):.0f}–{max(run_ms):.0f}), runs per move "
        f"{sorted({r[1] for r in rows})}, URL after {statistics.median(to_url):.2f} s median "
        f"({min(to_url):.2f}–{max(to_url):.2f}), sent {statistics.median(kbs):.1f} kB "
        f"median ({min(kbs):.1f}–{max(kbs):.1f})"
    )


if __name__ == "__main__":
    main()
