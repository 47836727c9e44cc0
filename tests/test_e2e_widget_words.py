"""The Chinese page shows no English sentence, Streamlit's own words included (issue 14).

In a real browser with no network (Debian's chromium, Playwright), the page opened with
``?lang=zh``: every text drawn (the text of each shown element, the ``content`` of its
``::before``/``::after``; the map's frame too) and every input's placeholder is scanned for
Latin-letter sentences, with an allowlist of the Latin a Chinese page holds on purpose (names
such as OpenStreetMap or Natural Earth, route refs, units, file kinds, commands and
addresses shown as code). Hovered, the data grids' toolbar tips read Chinese (Streamlit draws
them in English: :mod:`app.widget_words` replaces them on the Chinese page only); a file over
the upload limit is refused in Chinese, in its row and in the tooltip over it. Screenshots go
to ``artifacts/``. Skipped, with the reason, when playwright or chromium is missing.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from app.labels import TEXT
from app.source_panel import UPLOAD_TYPES
from app.widget_words import GRID_BUTTONS
from geo import settings
from helpers import e2e_support as e2e
from helpers.page_texts import english_sentence_words

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
TABLE = ".st-key-interface-table"
CJK = re.compile(r"[\u3400-\u9fff]")

#: Every text as drawn: each shown element's own text (not in code, not an icon's name, not
#: of font size 0, not a screen reader's text of 1 px) and the ``content`` of its
#: pseudo-elements; and the inputs' placeholders.
DRAWN_WORDS = """() => {
    const out = [];
    const drawn = (el, pseudo) => {
        const s = getComputedStyle(el, pseudo);
        const box = el.getBoundingClientRect();  // a screen reader's text: 1 px, clipped
        return s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.fontSize) > 0
            && box.width > 1 && box.height > 1;
    };
    const walk = el => {
        if (getComputedStyle(el).display === 'none') { return; }
        if (el.closest('code, pre, noscript, script, style, [data-testid="stIconMaterial"]')) {
            return;
        }
        for (const pseudo of ['::before', '::after']) {
            const c = getComputedStyle(el, pseudo).content;
            if (c && c !== 'none' && c !== 'normal' && drawn(el, pseudo)) {
                out.push(c.replace(/^"|"$/g, ''));
            }
        }
        if (el.tagName === 'INPUT' && el.placeholder) { out.push(el.placeholder); }
        for (const node of el.childNodes) {
            if (node.nodeType === Node.TEXT_NODE && node.textContent.trim() && drawn(el)) {
                out.push(node.textContent.trim());
            } else if (node.nodeType === Node.ELEMENT_NODE) { walk(node); }
        }
    };
    walk(document.body);
    return out;
}"""

#: Latin a Chinese page holds on purpose: names (of data, software, services, licences),
#: the other language's name on the switch, and addresses.
ALLOWED_RUNS = ("Natural Earth", "Overpass API", "CC BY")
_ADDRESS = re.compile(r"(https?://|www\.)\S+")
_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \t]+[A-Za-z][A-Za-z'’]*)+")


def latin_sentences(text: str) -> list[str]:
    """Runs of two or more Latin words that are not an allowed name, and sentence words."""
    text = _ADDRESS.sub(" ", text)
    for name in ALLOWED_RUNS:
        text = text.replace(name, " ")
    runs = _RUN.findall(text)
    return runs + [w for w in english_sentence_words(text) if not any(w in r for r in runs)]


def test_latin_sentences_are_found():
    assert latin_sentences("Choose an option") == ["Choose an option"]
    assert latin_sentences("每个文件不超过 200 MB · GEOJSON、ZIP") == []  # units, kinds
    assert latin_sentences("边界：Natural Earth（公有领域），CC BY 4.0，ODbL 1.0") == []
    assert latin_sentences("G60 沪昆高速 · III级 · 1.2MB") == []
    assert latin_sentences("Error: File must be 200.0MB or smaller.") != []


def _open(page: Any, url: str) -> None:
    page.goto(url)
    e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
    page.locator(f'{TABLE} [data-testid="stDataFrame"]').wait_for(timeout=90_000)
    e2e.wait_settled(page)


def _tip(page: Any) -> tuple[str, str, str]:
    """The tip shown: its text, its font size and its ``::after`` content."""
    tip = page.locator('[data-testid="stTooltipContent"] p').last
    tip.wait_for(timeout=10_000)
    return tip.evaluate(
        "p => [p.innerText, getComputedStyle(p).fontSize,"
        " getComputedStyle(p, '::after').content.replace(/^\"|\"$/g, '')]"
    )


def _hover_toolbar(page: Any, english: str) -> tuple[str, str, str] | None:
    """Hover the interface table's toolbar button ``english``; its tip, or None if absent."""
    grid = page.locator(f'{TABLE} [data-testid="stDataFrame"]')
    # In the middle of the window, so that the toolbar over its top edge is in it too: with
    # the grid's bottom at the window's edge, hovering a button scrolled the grid to the top
    # and the toolbar out of the window (its buttons then lay under the grid's scroller).
    grid.evaluate("el => el.scrollIntoView({block: 'center'})")
    grid.hover()
    button = page.locator(f'{TABLE} [data-testid="stElementToolbarButton"] button').filter(
        has=page.locator(f'xpath=self::*[starts-with(@aria-label, "{english}")]')
    )
    if button.count() == 0:
        return None
    button.first.hover()
    time.sleep(1.3)  # Streamlit shows a toolbar tip after 1 s
    return _tip(page)


def test_the_chinese_page_shows_no_english_sentence(app, browser):
    offline = e2e.OfflineGuard()
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT, locale="en-GB")
    _open(page, f"{app.url}/?lang=zh")
    words = [*page.evaluate(DRAWN_WORDS), *e2e.map_frame(page).locator("body").evaluate(
        f"(body) => ({DRAWN_WORDS})()"
    )]  # fmt: skip
    assert sum(bool(CJK.search(w)) for w in words) > 50  # the scan sees the page
    left = {w: latin_sentences(w) for w in words if w != "English" and latin_sentences(w)}
    assert left == {}, left
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-widget-words-zh.png"), full_page=True)
    # The grid's toolbar tips, hovered: Streamlit's English hidden, the page's Chinese drawn.
    shown = {}
    for english, key in GRID_BUTTONS.items():
        tip = _hover_toolbar(page, english)
        if tip is None:
            continue
        text, size, drawn = tip
        assert text == english and size == "0px", tip
        assert drawn == TEXT[key].zh, tip
        shown[english] = drawn
        if english == "Download as CSV":
            page.screenshot(path=str(e2e.ARTIFACTS / "e2e-grid-tip-zh.png"))
    assert {"Download as CSV", "Search", "Fullscreen"} <= set(shown), shown
    # The English page keeps Streamlit's words.
    _open(page, f"{app.url}/?lang=en")
    text, size, drawn = _hover_toolbar(page, "Search") or ("", "", "")
    assert text == "Search" and size != "0px" and drawn in ("none", "normal"), (text, drawn)
    assert offline.blocked == []


@pytest.fixture(scope="module")
def small_limit_app(monkeypatch_module: pytest.MonkeyPatch):
    """The app with an upload limit of 1 MB (Streamlit's own check refuses larger files)."""
    monkeypatch_module.setenv(settings.MAX_UPLOAD_MB.variable, "1")
    with e2e.streamlit_app() as server:
        yield server


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_file_over_the_limit_is_refused_in_chinese(small_limit_app, browser, tmp_path):
    offline = e2e.OfflineGuard()
    page = e2e.offline_page(browser, offline, viewport=VIEWPORT, locale="zh-CN")
    _open(page, f"{small_limit_app.url}/?lang=zh")
    big = tmp_path / "大文件_big.geojson"
    big.write_bytes(b" " * 1_300_000)
    uploader = page.locator('[data-testid="stSidebar"] [data-testid="stFileUploader"]')
    uploader.locator('input[type="file"]').set_input_files(str(big))
    alert = uploader.locator('[data-testid="stFileChip"] [role="alert"]')
    alert.wait_for(timeout=30_000)
    # (the row's sentence is for screen readers, clipped to 1 px: replaced all the same)
    drawn = alert.evaluate("el => getComputedStyle(el, '::after').content")
    assert "MB" in alert.inner_text()  # Streamlit's own sentence, hidden (font size 0)
    assert alert.evaluate("el => getComputedStyle(el).fontSize") == "0px"
    assert drawn.strip('"') == TEXT["uploader_refused"].zh.format(
        mb=1, kinds="、".join(kind.upper() for kind in UPLOAD_TYPES)
    ), drawn
    words = uploader.evaluate(f"(root) => ({DRAWN_WORDS.replace('document.body', 'root')})()")
    left = {w: latin_sentences(w) for w in words if latin_sentences(w)}
    assert left == {}, left  # the file's size ("1.3MB") is a unit, its name a name
    uploader.screenshot(path=str(e2e.ARTIFACTS / "e2e-upload-too-large-zh.png"))
    uploader.locator('[data-testid="stFileChip"]').hover()
    tip = page.locator('[data-testid="stTooltipErrorContent"]').first
    tip.wait_for(timeout=10_000)
    assert tip.evaluate("p => getComputedStyle(p).fontSize") == "0px"
    assert "1.0MB" in tip.inner_text()  # Streamlit's sentence, hidden
    drawn = tip.evaluate("p => getComputedStyle(p, '::after').content")
    assert drawn.strip('"').startswith("无法上传此文件"), drawn
    time.sleep(0.5)  # the tip fades in
    box = tip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"], box
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-upload-too-large-tip-zh.png"))
    assert offline.blocked == []
