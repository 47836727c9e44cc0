"""The map as files for a report: an HTML map that opens offline, a PNG and a PDF.

The sheet (app.print_sheet) is opened from disk in Chromium with every request aborted
and must draw every feature; Chromium's command line (geo.io.render) draws it as a PNG of
the expected size with content and as a one-page A4 PDF; the drawing is bounded (one at a
time, a timeout that stops Chromium's processes, temporary files removed); the page says
in one sentence when there is no Chromium. Pictures go to ``artifacts/print-*.png``.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from app import views
from app.link_state import MapView
from app.print_sheet import PNG_SCALE, SHEET_HEIGHT, SHEET_WIDTH, SheetText, sheet_html
from app.print_view import sheet_words
from app.query import Keys
from app.webmap import MapContent, selection_layer
from geo import settings
from geo.errors import ChromiumMissingError, RenderBusyError, RenderError, RenderTimeoutError
from geo.io import render
from helpers import e2e_support as e2e
from helpers.paths import ROOT

NO_CHROMIUM = render.chromium_path() is None
needs_chromium = pytest.mark.skipif(NO_CHROMIUM, reason="chromium is not installed")
BROWSER_SKIP = e2e.browser_skip_reason()

TEXT = SheetText(
    title="Cross-border links: Zhejiang – Shanghai",
    subtitle="Yangtze River Delta · as of 2006, open + under construction",
    attribution="Data: Natural Earth; OpenStreetMap contributors",
    made="Made with Jiegui 接轨 on 2026-01-02",
    north="N",
)


@pytest.fixture(scope="module")
def content() -> MapContent:
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    query = views.first_query(loaded)
    return views.map_content(loaded, views.count(loaded, query), query)


def feature_count(content: MapContent) -> int:
    """Shapes the map draws: one path per region, per line or point feature, per marker."""
    regions = len(json.loads(content.regions)["features"])
    lines = sum(len(json.loads(text)["features"]) for _, text in content.layers)
    return regions + lines + len(content.interfaces)


# ------------------------------------------------------------------------------ the sheet


def test_the_sheet_loads_nothing_from_elsewhere(content):
    for interactive in (True, False):
        html = sheet_html(content, TEXT, interactive=interactive)
        links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
        assert links and all(link.startswith("data:") for link in links), links[:3]
        assert "leaflet" in html.lower() and "L.map(" in html
        assert "Made with Jiegui 接轨 on 2026-01-02" in html and "jiegui-north" in html


def test_the_printed_sheet_is_a4_without_controls_to_click(content):
    printed = sheet_html(content, TEXT, view=MapView(30.9, 121.0, 9))
    assert "@page { size: 297mm 210mm; margin: 0; }" in printed
    assert f"width: {SHEET_WIDTH}px" in printed and f"height: {SHEET_HEIGHT}px" in printed
    assert "L.control.layers" not in printed  # no layer switcher to print
    assert '"zoom": 9' in printed and "[30.9, 121.0]" in printed and "fitBounds" not in printed
    interactive = sheet_html(content, TEXT, interactive=True)
    assert "L.control.layers" in interactive and "fitBounds" in interactive
    assert "@page" not in interactive


def test_text_from_data_in_the_sheet_stays_text(content):
    hostile = SheetText(
        title="<img src=x onerror=alert(1)>{{ 7*7 }}",
        subtitle="{% for x in [1] %}loop{% endfor %}",
        attribution="</script><script>alert(2)</script>",
        made="`${alert(3)}`",
        north="<b>N</b>",
    )
    html = sheet_html(content, hostile)
    assert "<img src=x" not in html and "<script>alert(2)" not in html and "<b>N</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;{{ 7*7 }}" in html  # not run as a template
    assert "{% for x in [1] %}loop{% endfor %}" in html


def test_sheet_words_name_the_border_year_basis_and_comparison():
    words = sheet_words(
        source_title="YRD", pair="Zhejiang – Shanghai", counted="as of 2006, open",
        year=2006, compared=2024, attribution="Natural Earth",
    )  # fmt: skip
    assert words.title == "Cross-border links: Zhejiang – Shanghai"
    assert words.subtitle == "YRD · as of 2006, open · rings: what changed between 2006 and 2024"
    assert words.attribution == "Data: Natural Earth" and words.north == "N"
    assert re.fullmatch(r"Made with Jiegui 接轨 on \d{4}-\d\d-\d\d", words.made)
    from app import language

    language.use("zh")
    try:
        zh = sheet_words(
            source_title="YRD", pair="浙江 – 上海", counted="2006年，已通车", year=2006,
            compared=None, attribution="",
        )  # fmt: skip
    finally:
        language.use("en")
    assert zh.title == "跨界交通与能源连接：浙江 – 上海" and zh.north == "北"
    assert zh.attribution == "" and zh.made.startswith("接轨（Jiegui）制图")


# ----------------------------------------------------------- the HTML map, opened offline


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if BROWSER_SKIP:
        pytest.skip(BROWSER_SKIP)
    with e2e.chromium_browser() as chromium:
        yield chromium


def test_the_html_map_opens_from_disk_offline_and_draws_every_feature(browser, content, tmp_path):
    selected = str(content.interfaces[0]["properties"]["id"])
    groups = [g for g in [selection_layer(content, selected)] if g is not None]
    html = sheet_html(content, TEXT, groups=groups, interactive=True)
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    requested: list[str] = []

    def abort_all(route: Any) -> None:  # every request but the file itself: no network at all
        requested.append(route.request.url)
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route("**/*", abort_all)
    page = context.new_page()
    page.goto(path.as_uri())
    page.locator(".leaflet-container").wait_for(timeout=30_000)
    shapes = page.locator("path.leaflet-interactive")
    expected = feature_count(content) + 1  # and the selected interface's marker
    assert e2e.wait_for_count(shapes, expected) == expected
    assert page.locator("path.jiegui-selected").count() == 1
    assert page.locator(".jiegui-main-legend").is_visible()
    assert page.locator(".leaflet-control-scale-line").count() == 1  # metric only
    assert page.locator(".leaflet-control-scale-line").inner_text().endswith(("km", "m"))
    assert page.locator(".jiegui-north").inner_text() == "N"
    assert page.locator(".jiegui-sheet-head h1").inner_text() == TEXT.title
    assert TEXT.attribution in page.locator(".jiegui-sheet-foot").inner_text()
    assert requested == [path.as_uri()]  # Leaflet and its styles came inline
    e2e.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(e2e.ARTIFACTS / "print-html-offline.png"))
    context.close()


# ------------------------------------------------------------------------- PNG and PDF


@needs_chromium
def test_the_png_is_the_sheet_at_twice_its_size_with_a_map_on_it(content):
    started = time.monotonic()
    png = render.render_png(
        sheet_html(content, TEXT), width=SHEET_WIDTH, height=SHEET_HEIGHT, scale=PNG_SCALE
    )
    e2e.record_timing("print_png_s", time.monotonic() - started)
    e2e.ARTIFACTS.mkdir(exist_ok=True)
    (e2e.ARTIFACTS / "print-sheet.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    assert image.size == (int(SHEET_WIDTH * PNG_SCALE), int(SHEET_HEIGHT * PNG_SCALE))
    rgb = image.convert("RGB")
    # Inside the map's frame: more than a blank sheet (regions, lines, markers in colour).
    inner = rgb.crop((100, 200, rgb.width - 100, rgb.height - 120))
    colours = inner.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.5 * inner.width * inner.height
    # The page's margin stays white: a sheet, not a screenshot of a window.
    margin = rgb.crop((0, rgb.height - 8, rgb.width, rgb.height)).getcolors(1 << 16) or []
    assert margin and max(margin)[1] == (255, 255, 255)


@needs_chromium
def test_the_pdf_is_one_a4_landscape_page(content):
    started = time.monotonic()
    pdf = render.render_pdf(sheet_html(content, TEXT))
    e2e.record_timing("print_pdf_s", time.monotonic() - started)
    (e2e.ARTIFACTS / "print-sheet.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf)
    assert len(pages) == 1
    [box] = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)[:1]
    width, height = (float(v) for v in box)
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape, in points


# ------------------------------------------------------------------ bounded drawing


@pytest.fixture
def fake_chromium(tmp_path, monkeypatch) -> Path:
    """A "Chromium" that starts a helper and hangs, writing the helper's pid beside it."""
    script = tmp_path / "chromium"
    pid_file = tmp_path / "helper.pid"
    script.write_text(f'#!/bin/sh\nsleep 300 &\necho $! > "{pid_file}"\nwait\n')
    script.chmod(0o755)
    monkeypatch.setenv(settings.CHROMIUM_ENV, str(script))
    return pid_file


@pytest.fixture
def own_temp(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_drawing_that_hangs_is_stopped_with_its_helpers_and_leaves_nothing(
    fake_chromium, own_temp
):
    started = time.monotonic()
    with pytest.raises(RenderTimeoutError, match="longer than 1 s"):
        render.render_png("<p>x</p>", width=10, height=10, timeout_s=1)
    assert time.monotonic() - started < 15
    assert _all_gone([int(fake_chromium.read_text())])  # its helper too
    assert list(own_temp.iterdir()) == []  # the page, the profile, the picture: all gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.is_file() and stat.read_text().split(") ")[-1].startswith("Z"))


def _all_gone(pids: list[int]) -> bool:
    """Whether the processes ``pids`` are gone (or zombies) within 5 s."""
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(pid) for pid in pids)


def test_one_drawing_at_a_time(monkeypatch, fake_chromium):
    monkeypatch.setattr(render, "WAIT_S", 0.3)
    assert render._LOCK.acquire(timeout=5)  # another visitor's drawing
    try:
        with pytest.raises(RenderBusyError, match="try again"):
            render.render_pdf("<p>x</p>")
    finally:
        render._LOCK.release()
    # Waiting visitors go one after the other once the slot is free.
    done: list[str] = []

    def draw() -> None:
        try:
            render.render_pdf("<p>x</p>", timeout_s=0.5)
        except RenderTimeoutError:
            done.append("stopped")

    threads = [threading.Thread(target=draw) for _ in range(2)]
    monkeypatch.setattr(render, "WAIT_S", 10)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert done == ["stopped", "stopped"]


def test_a_chromium_that_draws_nothing_is_an_error(tmp_path, monkeypatch, own_temp):
    script = tmp_path / "chromium"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    monkeypatch.setenv(settings.CHROMIUM_ENV, str(script))
    with pytest.raises(RenderError, match="without drawing"):
        render.render_pdf("<p>x</p>")
    assert list(own_temp.iterdir()) == []


def flaky_chromium(folder: Path, monkeypatch: pytest.MonkeyPatch, *, runs: list[str]) -> Path:
    """A "Chromium" whose n-th run behaves as ``runs[n]`` says; returns its log of runs.

    ``hang``: draws nothing and never exits. ``whole``: writes a whole file (PNG or PDF, as
    its flags ask) and never exits. ``half``: writes the file's first half, never exits.
    ``draw``: writes a whole file and exits. Each run starts a helper (``sleep 300``) that
    must not outlive the drawing, and appends "<behaviour> <helper pid>" to the log.
    """
    log = folder / "runs.log"
    script = folder / "chromium"
    png = PNG_BYTES
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    script.write_text(
        f"""#!{sys.executable}
import subprocess, sys, time
from pathlib import Path
runs = {runs!r}
log = Path({str(log)!r})
done = log.read_text().splitlines() if log.is_file() else []
behaviour = runs[min(len(done), len(runs) - 1)]
helper = subprocess.Popen(["sleep", "300"])
sys.stderr.write("[1:1:ERROR:dbus/bus.cc(405)] Failed to connect to the bus\\n")
sys.stderr.write(f"a {{behaviour}} run\\n")
sys.stderr.flush()
with log.open("a") as f:
    f.write(f"{{behaviour}} {{helper.pid}}\\n")
flags = ("--screenshot=", "--print-to-pdf=")
target = next(a.split("=", 1)[1] for a in sys.argv if a.startswith(flags))
data = {png!r} if "--screenshot=" in " ".join(sys.argv) else {pdf!r}
if behaviour == "half":
    data = data[: len(data) // 2]
if behaviour != "hang":
    Path(target).write_bytes(data)
if behaviour != "draw":
    time.sleep(300)
"""
    )
    script.chmod(0o755)
    monkeypatch.setenv(settings.CHROMIUM_ENV, str(script))
    return log


def _png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(out, format="PNG")
    return out.getvalue()


PNG_BYTES = _png_bytes()


def _runs(log: Path) -> list[tuple[str, int]]:
    """The fake Chromium's runs: (behaviour, helper pid) each."""
    return [(kind, int(pid)) for kind, pid in map(str.split, log.read_text().splitlines())]


def test_a_chromium_that_writes_its_file_and_hangs_gives_the_file_at_once(
    tmp_path, monkeypatch, own_temp
):
    log = flaky_chromium(tmp_path, monkeypatch, runs=["whole"])
    started = time.monotonic()
    png = render.render_png("<p>x</p>", width=10, height=10, timeout_s=60)
    assert time.monotonic() - started < 15  # not the 60 s of the time limit
    assert png == PNG_BYTES
    pdf = render.render_pdf("<p>x</p>", timeout_s=60)
    assert pdf.startswith(render.PDF_SIGNATURE) and pdf.rstrip().endswith(b"%%EOF")
    runs = _runs(log)
    assert [b for b, _ in runs] == ["whole", "whole"]
    assert _all_gone([pid for _, pid in runs])
    assert list(own_temp.iterdir()) == []


def test_a_run_that_draws_nothing_is_stopped_and_started_once_more(
    tmp_path, monkeypatch, own_temp, caplog
):
    log = flaky_chromium(tmp_path, monkeypatch, runs=["hang", "draw"])
    started = time.monotonic()
    with caplog.at_level("WARNING", logger=render.__name__):
        png = render.render_png("<p>x</p>", width=10, height=10, timeout_s=4)
    assert 1.5 < time.monotonic() - started < 15  # half the time, then the second run
    assert png == PNG_BYTES
    runs = _runs(log)
    assert [b for b, _ in runs] == ["hang", "draw"]
    assert _all_gone([pid for _, pid in runs])
    assert "run 1 of 2" in caplog.text and "it said: a hang run" in caplog.text
    assert "dbus" not in caplog.text  # its noise left out
    assert list(own_temp.iterdir()) == []


def test_a_half_written_file_is_not_taken_for_a_drawing(tmp_path, monkeypatch, own_temp):
    log = flaky_chromium(tmp_path, monkeypatch, runs=["half"])
    with pytest.raises(RenderTimeoutError, match="longer than 2 s"):
        render.render_pdf("<p>x</p>", timeout_s=2)
    runs = _runs(log)
    assert [b for b, _ in runs] == ["half"] * render.ATTEMPTS
    assert _all_gone([pid for _, pid in runs])
    assert list(own_temp.iterdir()) == []


def test_no_chromium_is_said_in_one_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    assert render.chromium_path() is None
    with pytest.raises(ChromiumMissingError, match="Chromium is not installed"):
        render.render_png("<p>x</p>", width=10, height=10)
    with pytest.raises(RenderError, match="cannot be drawn"):
        render.render_png("<p>x</p>", width=0, height=10)


# ----------------------------------------------------------------------------- the page


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)


def test_the_page_without_chromium_says_so_and_still_offers_the_html(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    at = page().run()
    assert not at.exception
    buttons = {b.label: b for b in at.button}
    assert buttons["Map as PNG"].disabled and buttons["Map as PDF"].disabled
    assert any("need Chromium on the server" in c.value for c in at.caption)
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Map as HTML (opens offline)" in labels


@needs_chromium
def test_the_page_makes_the_png_and_pdf_of_its_view():
    at = page().run()
    assert not at.exception
    assert "Map as PNG" not in [d.proto.label for d in at.get("download_button")]
    at.button(key=Keys.PRINT_RUN).click().run()
    assert not at.exception and not at.error
    printed = at.session_state[Keys.PRINTED]
    assert printed["png"].startswith(render.PNG_SIGNATURE)
    assert printed["pdf"].startswith(render.PDF_SIGNATURE)
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Map as PNG" in labels and "Map as PDF" in labels
    # Another view: the files made for the last one are not offered as this one's.
    at.slider(key=Keys.YEAR).set_value(2006).run()
    assert "Map as PNG" not in [d.proto.label for d in at.get("download_button")]
    assert any("make them again" in c.value for c in at.caption)
