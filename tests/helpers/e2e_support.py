"""Browser-test helpers: a Streamlit server on a loopback port and an offline Chromium.

The browser is Debian's ``chromium`` driven by PyPI ``playwright`` (the driver only: never
``playwright install``, which downloads a browser and fails here). Every request that does
not go to this machine is aborted and recorded, so a test can assert that the page needed
no network. Screenshots go to ``artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from .paths import ROOT

ARTIFACTS = ROOT / "artifacts"
APP = ROOT / "streamlit_app.py"
#: What scripts/app.sh runs: the page behind a server that prepares its first view.
SERVER = ROOT / "server.py"

#: Flags that work as root with no network (see shared/guides).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]

#: The iframe ``st_folium`` draws in, and what marks a settled Streamlit page.
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: The thumb of the sidebar's year slider.
YEAR_SLIDER = '[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]'

#: Counts the page's runs from now on (``window.__jieguiRuns``): each time Streamlit marks the
#: app as running. The benchmarks evaluate it before an action.
WATCH_RUNS_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__jieguiRuns = 0;
    if (window.__jieguiWatch) { window.__jieguiWatch.disconnect(); }
    window.__jieguiWatch = new MutationObserver(() => {
        if (app.getAttribute("data-test-script-state") === "running") {
            window.__jieguiRuns += 1;
        }
    });
    window.__jieguiWatch.observe(app, {attributes: true,
                                       attributeFilter: ["data-test-script-state"]});
}"""
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def e2e_marks() -> list[pytest.MarkDecorator]:
    """``[pytest.mark.e2e]`` once the marker is registered in pyproject.toml, else ``[]``.

    The suite runs with ``--strict-markers``: an unregistered mark would stop collection.
    """
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = config.get("tool", {}).get("pytest", {}).get("ini_options", {}).get("markers", [])
    if any(str(m).split(":")[0].strip() == "e2e" for m in markers):
        return [pytest.mark.e2e]
    return []


def chromium_path() -> str | None:
    """Chromium to drive: ``$JIEGUI_CHROMIUM``, else ``chromium`` on the PATH."""
    chosen = os.environ.get("JIEGUI_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    found = shutil.which("chromium")
    if found is None and Path("/usr/bin/chromium").is_file():
        found = "/usr/bin/chromium"
    return found


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright with :data:`CHROMIUM_ARGS`, closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def offline_page(
    browser: Any, offline: Any, *, viewport: dict[str, int], locale: str = "en-GB", **options: Any
) -> Any:
    """A page in a new browser context whose requests go through ``offline`` (a route handler).

    ``options`` go to ``browser.new_context`` (``accept_downloads=True`` ...); close the page's
    ``context`` when done.
    """
    context = browser.new_context(viewport=viewport, locale=locale, **options)
    context.route("**/*", offline)
    return context.new_page()


def browser_skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if chromium_path() is None:
        return (
            "chromium is not installed (apt-get install -y chromium; scripts/test.sh does it "
            "when run as root)"
        )
    return None


#: Chromium resolves no host but this one: a page that tried to reach the internet would show
#: it by failing, with no request handler adding latency to each request (the benchmarks).
OFFLINE_FLAG = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@contextmanager
def empty_result_cache() -> Iterator[Path]:
    """A new, empty result folder as ``$JIEGUI_CACHE_DIR`` for the block, removed after.

    App servers started in the block inherit it, so nothing stored earlier is used.
    """
    results = Path(tempfile.mkdtemp(prefix="jiegui-benchmark-results-"))
    previous = os.environ.get("JIEGUI_CACHE_DIR")
    os.environ["JIEGUI_CACHE_DIR"] = str(results)
    try:
        yield results
    finally:
        shutil.rmtree(results, ignore_errors=True)
        if previous is None:
            os.environ.pop("JIEGUI_CACHE_DIR", None)
        else:
            os.environ["JIEGUI_CACHE_DIR"] = previous


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (loopback, data:, blob:, about:)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parsed.hostname in LOCAL_HOSTS


@dataclass
class AppServer:
    """A running ``streamlit run``: its URL, process and timings (``time.monotonic``)."""

    url: str
    process: subprocess.Popen[bytes]
    started: float
    ready: float
    log: Path


def _http_get(url: str, timeout: float) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return response.read().decode("utf-8", "replace")


@contextmanager
def streamlit_app(
    app: Path = SERVER, *, timeout: float = 120.0, port: int | None = None
) -> Iterator[AppServer]:
    """Run ``streamlit run app`` on ``port`` (default: a free one) until the block ends.

    ``app`` is ``server.py`` by default, as ``scripts/app.sh`` runs it.

    Waits for ``/_stcore/health``; stops the server by its own process handle.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log = ARTIFACTS / f"streamlit-{port}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = started + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {process.returncode}: {log.read_text()[-2000:]}"
                )
            try:
                if _http_get(f"{url}/_stcore/health", timeout=2).strip() == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer on {url} within {timeout:.0f} s")
            time.sleep(0.02)
        yield AppServer(url, process, started, time.monotonic(), log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@dataclass
class OfflineGuard:
    """A Playwright route handler that lets only local requests through."""

    blocked: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def __call__(self, route: Any) -> None:
        url = route.request.url
        if is_local(url):
            self.allowed.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")


def wait_settled(page: Any, *, timeout_ms: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (twice: st_folium reruns once)."""
    page.wait_for_selector(SETTLED, timeout=timeout_ms)
    page.wait_for_timeout(600)
    page.wait_for_selector(SETTLED, timeout=timeout_ms)


def press_year_keys(
    page: Any, year: int, *, pause_ms: Callable[[], int] | None = None, timeout_ms: float = 30_000
) -> None:
    """Press the arrow keys on the sidebar's year slider until it should show ``year``.

    ``pause_ms`` gives the wait after each key (none by default); returns without waiting
    for the page.
    """
    thumb = page.locator(YEAR_SLIDER)
    current = int(thumb.input_value(timeout=timeout_ms))
    thumb.focus()
    key = "ArrowLeft" if year < current else "ArrowRight"
    for _ in range(abs(current - year)):
        page.keyboard.press(key)
        if pause_ms is not None:
            page.wait_for_timeout(pause_ms())


def step_year(page: Any, year: int) -> None:
    """Step the sidebar's year slider to ``year`` with the arrow keys, as a user would.

    Returns once the slider shows ``year``, the page says "as of" it and has settled.
    """
    press_year_keys(page, year)
    thumb = page.locator(YEAR_SLIDER)
    deadline = time.monotonic() + 60
    while int(thumb.input_value()) != year and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.get_by_text(f"as of {year}").first.wait_for(timeout=60_000)
    wait_settled(page)


#: True once the map iframe is laid out and holds at least ``total`` drawn shapes.
_MAP_DRAWN_JS = """([selector, total]) => {
    const frame = document.querySelector(selector);
    const doc = frame && frame.contentDocument;
    if (!doc || frame.getBoundingClientRect().height < 100) { return false; }
    return doc.querySelectorAll("path.leaflet-interactive").length >= total;
}"""


def wait_map_drawn(page: Any, total: int, *, timeout_ms: float = 90_000) -> None:
    """Return as soon as the map shows ``total`` shapes (checked on every animation frame).

    Playwright's own waits poll at growing intervals (up to half a second), which would
    add to a measured time; this checks in the page on each frame.
    """
    page.wait_for_function(
        _MAP_DRAWN_JS, arg=[MAP_IFRAME, total], polling="raf", timeout=timeout_ms
    )


def map_frame(page: Any) -> Any:
    """The frame locator of the map's iframe."""
    return page.frame_locator(MAP_IFRAME)


def wait_legend_placed(page: Any, *, timeout_ms: float = 30_000) -> None:
    """Wait until the map has placed its legend (``map.js`` marks it ``data-placed``).

    The legend is placed once the map's style sheet applies, which on a busy machine can
    come after the page has settled; a legend measured before that sits in its first corner.
    """
    map_frame(page).locator(".jiegui-main-legend[data-placed]").wait_for(
        state="attached", timeout=timeout_ms
    )


def wait_for_count(locator: Any, expected: int, *, timeout_s: float = 20.0) -> int:
    """Poll ``locator.count()`` until it equals ``expected`` or time runs out; return it."""
    deadline = time.monotonic() + timeout_s
    count = locator.count()
    while count != expected and time.monotonic() < deadline:
        time.sleep(0.25)
        count = locator.count()
    return count


def zoom_for_separation(lat: float, metres: float, *, pixels: float = 80.0) -> int:
    """Web-Mercator zoom at which ``metres`` span at least ``pixels`` (clamped to 6-17)."""
    metres_per_pixel_z0 = 156_543.03 * math.cos(math.radians(lat))
    zoom = math.ceil(math.log2(metres_per_pixel_z0 * pixels / max(metres, 1.0)))
    return max(6, min(17, zoom))


def record_timing(name: str, seconds: float) -> None:
    """Add a timing to ``artifacts/e2e-timings.json`` (read by people, not by tests)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "e2e-timings.json"
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[name] = round(seconds, 3)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
