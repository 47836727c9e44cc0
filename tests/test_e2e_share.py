"""The view in the URL, the link and the map's files, in a real browser with no network.

Runs ``streamlit run server.py`` on a loopback port and drives Debian's chromium with
Playwright (see test_e2e); every request leaving the machine is aborted and must not
happen. A view set in one browser (border, layers, year, basis, map zoom) is read from the
address bar and opened in a new browser context, which must show the same; the page's
"Copy link" copies that address; the HTML map downloaded from the page opens from disk
with every request aborted; the PNG and PDF the page makes are the sheet. Screenshots go
to ``artifacts/`` (``e2e-share-*.png``).
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pytest
from PIL import Image

from app.print_sheet import PNG_SCALE, SHEET_HEIGHT, SHEET_WIDTH
from geo.basis import BASES
from geo.labels import LAYER_LABELS
from helpers import e2e_support as e2e
from layers import REGISTRY

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
SIDEBAR = '[data-testid="stSidebar"]'
#: The view the first browser sets.
#: The basis as the English page's radio shows it (one language since the switch).
NEIGHBOUR, YEAR, BASIS_LABEL = "Jiangsu", 2010, BASES["open+construction"].label.en
CENTRE, ZOOM = (31.05, 120.55), 9


# ---------------------------------------------------------------------------- fixtures


def new_page(browser: Any, offline: e2e.OfflineGuard, **options: Any) -> Any:
    """A page in a new browser context (its own cookies, storage and Streamlit session)."""
    return e2e.offline_page(browser, offline, viewport=VIEWPORT, **options)


# --------------------------------------------------------------------------- actions


def _open(page: Any, url: str) -> Any:
    page.goto(url)
    page.wait_for_selector(e2e.MAP_IFRAME, timeout=90_000)
    e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
    e2e.wait_settled(page)
    return _map(page)


def _map(page: Any) -> Any:
    """The map iframe's frame, where ``window.map`` is the Leaflet map."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" in frame.url and frame.evaluate("() => !!window.map"):
                return frame
        time.sleep(0.2)
    raise AssertionError("no drawn map")


def _choose(page: Any, label: str, option: str) -> None:
    box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    e2e.wait_settled(page)


def _selected(page: Any, label: str) -> str:
    box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(has_text=label)
    return box.locator('input[role="combobox"]').input_value().strip()


def _layers(page: Any) -> list[str]:
    tags = page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').first.locator("[data-tag]")
    return [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())]


def _params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlparse(url).query, keep_blank_values=True))


def _wait_url(page: Any, **wanted: str) -> dict[str, str]:
    """The page's URL parameters once they hold ``wanted`` (the map's report reruns it)."""
    deadline = time.monotonic() + 30
    while True:
        params = _params(page.url)
        if all(params.get(k) == v for k, v in wanted.items()) or time.monotonic() > deadline:
            return params
        page.wait_for_timeout(200)


def _view(frame: Any) -> tuple[float, float, int]:
    lat, lon, zoom = frame.evaluate(
        "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    )
    return float(lat), float(lon), int(zoom)


def _runs_while_idle(page: Any, seconds: float = 3.0) -> int:
    page.evaluate(e2e.WATCH_RUNS_JS)
    page.wait_for_timeout(int(seconds * 1000))
    return int(page.evaluate("window.__jieguiRuns"))


def _computed_seconds(page: Any) -> float:
    """The last run's time on the server, as the page's footer says it."""
    text = page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0]) / 1000


def _share_section(page: Any) -> Any:
    expander = page.locator('[data-testid="stExpander"]').filter(
        has_text="Share and print this map"
    )
    expander.locator("summary").click()
    expander.locator('[data-testid="stCode"]').wait_for(timeout=30_000)
    return expander


def _download(page: Any, name: str, tmp_path: Path) -> Path:
    button = page.get_by_role("button", name=name)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    return target


# ------------------------------------------------------------------------------- tests


#: True when every interface marker of the map lies inside the map's box (and there are some).
_FITS_BORDER_JS = """() => {
    const box = document.querySelector('.leaflet-container').getBoundingClientRect();
    const markers = Array.from(document.querySelectorAll('path.jiegui-interface'));
    return markers.length > 0 && markers.every(m => {
        const r = m.getBoundingClientRect();
        return r.left >= box.left && r.right <= box.right
            && r.top >= box.top && r.bottom <= box.bottom;
    });
}"""


def _view_params(view: tuple[float, float, int]) -> dict[str, str]:
    """A map's view as the link writes it."""
    lat, lon, zoom = view
    return {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": str(zoom)}


def _within_a_pixel(params: dict[str, str], view: tuple[float, float, int]) -> None:
    """``params`` carry ``view``'s zoom, and its centre to within a pixel.

    Leaflet tells a map's centre from its pixels once it has moved (even by a fraction
    of a pixel, as when its frame is laid out): the map reported the centre it fitted.
    """
    lat, lon, zoom = view
    pixel = 360 / (256 * 2**zoom)  # degrees of longitude, more than of latitude
    assert params["z"] == str(zoom)
    assert abs(float(params["lat"]) - lat) <= pixel and abs(float(params["lon"]) - lon) <= pixel


def _moved_and_reported(page: Any, frame: Any, lat: float, lon: float, zoom: int) -> dict[str, str]:
    """Move the map as a user would, then wait until the URL carries where it stands.

    Leaflet pans by whole pixels at the same zoom, so the map may stand a fraction of a
    pixel off ``(lat, lon)``: the URL must carry where it stands, read from the map.
    """
    frame.evaluate(f"() => window.map.setView([{lat}, {lon}], {zoom})")
    frame.wait_for_timeout(300)  # the move ends; the map reports 250 ms after
    wanted = _view_params(_view(frame))
    params = _wait_url(page, **wanted)
    assert {k: params.get(k) for k in wanted} == wanted
    return wanted


def test_a_link_from_the_address_bar_opens_the_same_view_in_a_new_browser(app, browser, offline):
    first = new_page(browser, offline)
    _open(first, app.url)
    _choose(first, "Neighbour", NEIGHBOUR)
    # A new border: the map opens fitted to it, and the URL carries that view.
    frame = _map(first)
    assert frame.evaluate(_FITS_BORDER_JS)
    fitted = _view(frame)
    _within_a_pixel(_wait_url(first, z=str(fitted[2])), fitted)
    # The user's own move goes into the URL...
    moved = _moved_and_reported(first, frame, *CENTRE, ZOOM)
    lat, lon, zoom = _view(frame)
    assert zoom == ZOOM and abs(lat - CENTRE[0]) < 0.01 and abs(lon - CENTRE[1]) < 0.01
    # ... and stays the map's view while the sidebar's changes draw the map anew.
    first.get_by_role("button", name="Remove Pipelines").click()
    e2e.wait_settled(first)
    e2e.step_year(first, YEAR)
    first.locator(f"{SIDEBAR} label").filter(has_text=BASIS_LABEL).click()
    first.get_by_text("as of 2010, open + under construction").first.wait_for(timeout=60_000)
    e2e.wait_settled(first)
    frame = _map(first)
    assert _view_params(_view(frame)) == moved
    params = _wait_url(first, **moved)
    e2e.record_timing("share_map_move_rerun_server_s", _computed_seconds(first))
    assert _runs_while_idle(first) == 0  # the map's report does not rerun the page again
    expected_layers = [n for n in REGISTRY if n != "pipelines"]  # every layer, less the one removed
    assert params == {
        "src": "yrd", "region": "Zhejiang", "nb": NEIGHBOUR,
        "layers": ",".join(expected_layers), "year": str(YEAR), "basis": "open+construction",
        "lang": "en", **moved,
    }  # fmt: skip
    first.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-first-browser.png"))
    url = first.url

    second = new_page(browser, offline)
    started = time.monotonic()
    frame = _open(second, url)
    assert _selected(second, "Focus region") == "Zhejiang"
    assert _selected(second, "Neighbour") == NEIGHBOUR
    assert _layers(second) == [LAYER_LABELS[n]["en"] for n in expected_layers]
    assert int(second.locator(e2e.YEAR_SLIDER).input_value()) == YEAR
    basis = second.locator(f'{SIDEBAR} [data-testid="stRadio"]').filter(has_text="Counting basis")
    checked = basis.locator("label").filter(has=second.locator("input:checked"))
    assert checked.inner_text().strip() == BASIS_LABEL
    caption = "Zhejiang – Jiangsu · as of 2010, open + under construction"
    assert second.get_by_text(caption).count() >= 1  # the title's caption, the cards' heading
    # The same centre and zoom as the first browser's map (to the link's 5 decimals).
    assert _view_params(_view(frame)) == moved
    e2e.record_timing("share_link_opened_s", time.monotonic() - started)
    # The second page's own URL is the link it was opened with: nothing was lost or changed.
    assert _wait_url(second, **moved) == params
    assert _runs_while_idle(second) == 0
    assert _params(second.url) == params
    assert (
        not second.locator('[data-testid="stAlert"]').filter(has_text="opened from a link").count()
    )
    # The map draws the pair's layers: no pipeline on it.
    assert frame.locator("path.jiegui-pipelines").count() == 0
    assert frame.locator("path.jiegui-highways").count() > 0
    second.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-second-browser.png"))
    assert offline.blocked == []


def test_copy_link_copies_the_address(app, browser, offline):
    page = new_page(browser, offline, permissions=["clipboard-read", "clipboard-write"])
    _open(page, app.url)
    _map(page).evaluate("() => window.map.setView([30.9, 121.1], 8)")
    params = _wait_url(page, z="8")
    e2e.wait_settled(page)
    section = _share_section(page)
    shown = section.locator('[data-testid="stCode"]').inner_text().strip()
    assert _params(shown) == params and shown.startswith(app.url)
    copy = page.frame_locator('iframe[title="Copy link"]').get_by_role("button", name="Copy link")
    done = page.frame_locator('iframe[title="Copy link"]').get_by_text("Copied.")
    for attempt in range(3):  # the map's late report may redraw the button under the click
        copy.click()
        try:
            done.wait_for(timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
            e2e.wait_settled(page)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert _params(copied) == params and urlparse(copied).netloc == urlparse(app.url).netloc
    section.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-link.png"))
    # The copied link, opened in another browser context, shows the same map view.
    other = new_page(browser, offline)
    frame = _open(other, copied)
    # To within a pixel: when the second page lays out, Leaflet may shift the centre by a
    # fraction of a pixel (seen once at zoom 8; the address-bar test checks exactness).
    _within_a_pixel(params, _view(frame))
    _within_a_pixel(_wait_url(other, z=params["z"]), _view(frame))
    other.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-copied-link-opened.png"))
    assert offline.blocked == []


def test_the_maps_files_from_the_page(app, browser, offline, tmp_path):
    page = new_page(browser, offline, accept_downloads=True)
    frame = _open(page, app.url)
    frame.evaluate("() => window.map.setView([30.85, 120.95], 9)")
    _wait_url(page, z="9")
    e2e.wait_settled(page)
    _share_section(page)
    # The HTML map: opened from disk in a new context that lets no request out.
    html = _download(page, "Map as HTML (opens offline)", tmp_path)
    assert html.name.endswith("-map.html") and html.stat().st_size > 100_000
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    requests: list[str] = []

    def abort_all(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url == html.as_uri():
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route("**/*", abort_all)
    opened = context.new_page()
    opened.goto(html.as_uri())
    opened.locator(".leaflet-container").wait_for(timeout=30_000)
    drawn = frame.locator("path.leaflet-interactive").count()
    shapes = opened.locator("path.leaflet-interactive")
    assert drawn > 0 and e2e.wait_for_count(shapes, drawn) == drawn  # what the page drew
    assert opened.evaluate(
        "() => Object.values(window).some(v => v && v.getZoom && v.getZoom() === 9)"
    )
    assert requests == [html.as_uri()]
    opened.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-html-offline.png"))
    context.close()
    # PNG and PDF: made on the server, then downloaded.
    e2e.wait_settled(page)
    started = time.monotonic()
    page.get_by_role("button", name="Make PNG and PDF").click()
    made = page.get_by_role("button", name="Map as PNG")
    failed = page.locator('[data-testid="stAlertContentError"]')
    try:
        made.or_(failed).first.wait_for(timeout=150_000)
    finally:
        page.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-made.png"))
    assert not failed.count(), failed.first.inner_text()
    e2e.record_timing("share_png_pdf_made_s", time.monotonic() - started)
    png = _download(page, "Map as PNG", tmp_path)
    image = Image.open(io.BytesIO(png.read_bytes()))
    assert image.format == "PNG"
    assert image.size == (int(SHEET_WIDTH * PNG_SCALE), int(SHEET_HEIGHT * PNG_SCALE))
    assert len(image.convert("RGB").getcolors(1 << 20) or []) > 50
    (e2e.ARTIFACTS / "e2e-share-map.png").write_bytes(png.read_bytes())
    pdf = _download(page, "Map as PDF", tmp_path).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1
    assert offline.blocked == []


def test_a_chinese_link_with_bad_values_says_so_in_chinese(app, browser, offline):
    page = new_page(browser, offline)
    _open(page, f"{app.url}/?lang=zh&year=abc&layers=highways,teleports&region=Atlantis")
    note = page.locator('[data-testid="stAlert"]').filter(has_text="本页由链接打开")
    note.wait_for(timeout=30_000)
    text = note.inner_text()
    assert "year：“abc”" in text and "layers：“teleports”" in text and "region：“Atlantis”" in text
    assert _layers(page) == [LAYER_LABELS["highways"]["zh"]]  # the page is in Chinese
    params = _wait_url(page, lang="zh")
    assert params["lang"] == "zh" and params["layers"] == "highways" and params["year"] != "abc"
    page.locator("h1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-share-notes-zh.png"))
    assert offline.blocked == []


#: Opens the popup of the interface marker nearest the map's top-right corner once the map
#: is panned to put that marker 60 px from it, by the layer control; returns the control's
#: and the popup's boxes, once the map has panned to show the popup.
_POPUP_BY_CONTROL_JS = """async () => {
    const markers = [];
    map.eachLayer(l => { if (l.getPopup && l.getPopup() && l.getLatLng) markers.push(l); });
    const size = map.getSize();
    const corner = L.point(size.x - 60, 60);
    const target = markers[0];
    const at = map.latLngToContainerPoint(target.getLatLng());
    map.panBy(at.subtract(corner), {animate: false});
    target.openPopup();
    await new Promise(done => setTimeout(done, 1500));
    const box = el => { const r = el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
    return {control: box(document.querySelector('.leaflet-control-layers')),
            controls: Array.from(document.querySelectorAll('.leaflet-control')).map(box),
            popup: box(document.querySelector('.leaflet-popup-content-wrapper')),
            close: box(document.querySelector('.leaflet-popup-close-button')),
            map: box(map.getContainer())};
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_popup_by_the_layer_control_is_not_covered(app, browser, offline, lang):
    """No control covers a popup opened by the top-right corner (the legend is moved)."""
    page = new_page(browser, offline)
    frame = _open(page, f"{app.url}/?lang={lang}")
    boxes = frame.evaluate(_POPUP_BY_CONTROL_JS)
    e2e.map_frame(page).locator(".leaflet-popup-content").wait_for(timeout=10_000)
    page.locator(e2e.MAP_IFRAME).screenshot(
        path=str(e2e.ARTIFACTS / f"e2e-share-popup-by-control-{lang}.png")
    )
    assert not _overlap(boxes["control"], boxes["popup"]), boxes
    # Nor any other control (the legend, folded or not, the zoom buttons, the attribution).
    for control in boxes["controls"]:
        assert not _overlap(control, boxes["popup"]) and not _overlap(control, boxes["close"])
    _, top, right, _ = boxes["map"]
    assert boxes["popup"][1] >= top and boxes["popup"][2] <= right, boxes  # all on the map
    assert offline.blocked == []
