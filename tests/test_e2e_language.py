"""The page's language switch in a real browser with no network: 中文 / English.

Runs ``streamlit run server.py`` on a loopback port and drives Debian's chromium with
Playwright (every request leaving the machine is aborted and must not happen). A visitor
with an English browser opens the page in English, switches to 中文 in the sidebar (the
title, sidebar, cards, map legend and table headers read Chinese, the view is kept) and
back; a visitor whose browser asks for Chinese (``zh-CN``) gets the page in Chinese at
once, and a link with ``?lang=`` wins over the browser. A zipped Shapefile in GBK with no
``.cpg`` shows its Chinese region names, and the note saying so in the page's language.
The words expected come from the page's text tables (:mod:`app.labels`, :mod:`geo.labels`),
not typed in twice. Screenshots of both languages go to ``artifacts/``. Skipped, with the
reason, when playwright or chromium is missing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest

from app.labels import TEXT
from app.page_text import TITLE
from app.years_text import TEXTS
from geo.io.dbf_text import encoding_note
from geo.labels import LAYER_LABELS
from geo.text import Bilingual
from helpers import e2e_support as e2e
from helpers.page_texts import english_sentence_words
from helpers.synthetic import CRS, box

SKIP_REASON = e2e.browser_skip_reason()
pytestmark = e2e.e2e_marks() + ([pytest.mark.skip(reason=SKIP_REASON)] if SKIP_REASON else [])

VIEWPORT = {"width": 1440, "height": 1400}
SIDEBAR = '[data-testid="stSidebar"]'
CJK = re.compile(r"[\u3400-\u9fff]")


def _page(browser: Any, locale: str, offline: e2e.OfflineGuard) -> Any:
    return e2e.offline_page(browser, offline, viewport=VIEWPORT, locale=locale)


def _open(page: Any, url: str) -> None:
    """Open the page and wait for its second run (the tables follow the drawn map)."""
    page.goto(url)
    e2e.map_frame(page).locator(".leaflet-container").wait_for(timeout=90_000)
    page.locator('.st-key-interface-table [data-testid="stDataFrame"]').wait_for(timeout=90_000)
    e2e.wait_settled(page)


def _switch(page: Any, name: str, title: str) -> None:
    """Press ``name`` (中文 or English) in the sidebar's switch; wait for the title it gives."""
    switch = page.locator(f'{SIDEBAR} [data-testid="stButtonGroup"]')
    switch.get_by_text(name, exact=True).click()
    page.locator("h1").filter(has_text=title).wait_for(timeout=60_000)
    e2e.wait_settled(page)


def _headers(page: Any, container: str) -> list[str]:
    """A data grid's headers, as its accessible table shows them (the columns in view)."""
    table = page.locator(f'{container} [data-testid="stDataFrame"]')
    table.scroll_into_view_if_needed()
    grid = table.locator('[role="grid"]')
    return [h.strip() for h in grid.locator("thead th").all_inner_texts() if h.strip()]


def _metric_labels(page: Any, layer: str) -> list[str]:
    card = page.locator(f".st-key-card-{layer}")
    return [t.strip() for t in card.locator('[data-testid="stMetricLabel"]').all_inner_texts()]


def _selected(page: Any, label: str) -> str:
    """What a sidebar select box shows."""
    box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(has_text=label)
    return box.locator('input[role="combobox"]').input_value().strip()


def _shoot(page: Any, name: str) -> None:
    page.locator("h1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / name))


def _legend(page: Any) -> str:
    return e2e.map_frame(page).locator(".jiegui-legend").first.inner_text()


def test_switching_to_chinese_and_back_keeps_the_view(app, browser):
    offline = e2e.OfflineGuard()
    page = _page(browser, "en-GB", offline)
    _open(page, app.url)
    assert page.locator("h1").first.inner_text().strip() == TITLE.en
    # A view of one's own first: another neighbour.
    page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(
        has_text=TEXT["neighbour"].en
    ).click()
    page.get_by_role("option", name="Jiangsu", exact=True).click()
    page.get_by_text("Zhejiang – Jiangsu ·").first.wait_for(timeout=60_000)
    e2e.wait_settled(page)
    _shoot(page, "e2e-language-en.png")
    english_legend = _legend(page)

    _switch(page, "中文", TITLE.zh)
    _shoot(page, "e2e-language-zh.png")
    sidebar = page.locator(SIDEBAR)
    for key in ("sidebar_border", "focus_region", "network", "layers"):
        assert sidebar.get_by_text(TEXT[key].zh, exact=True).first.is_visible(), key
    assert _selected(page, TEXT["focus_region"].zh) == "浙江省"  # the view is kept
    assert _selected(page, TEXT["neighbour"].zh) == "江苏省"
    # No year compared: the box says so in Chinese, not Streamlit's empty placeholder.
    assert _selected(page, TEXTS["compare_with"].zh) == TEXTS["compare_none"].zh
    page.get_by_text("浙江省 – 江苏省 ·").first.wait_for(timeout=10_000)
    card = page.locator(".st-key-card-highways")
    assert LAYER_LABELS["highways"]["zh"] in card.inner_text()
    # The share section under the map is in the page's language too.
    assert page.get_by_text(TEXT["share_print"].zh).first.is_visible()
    assert page.get_by_text(TEXT["share_print"].en).count() == 0
    assert _metric_labels(page, "highways")[:2] == [TEXT["routes"].zh, TEXT["interfaces"].zh]
    interfaces = _headers(page, ".st-key-interface-table")
    assert {TEXT["c_route"].zh, TEXT["c_ref"].zh, TEXT["c_status"].zh} <= set(interfaces)
    assert not [h for h in interfaces if re.search(r"[A-Za-z]", h)], interfaces
    overview = _headers(page, ".st-key-overview-table")
    assert TEXT["border"].zh in overview and "公路：线路" in overview, overview
    page.locator(".st-key-interface-table").scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-language-zh-tables.png"))
    legend = _legend(page)
    assert CJK.search(legend) and legend != english_legend, legend

    _switch(page, "English", TITLE.en)
    assert _selected(page, TEXT["neighbour"].en) == "Jiangsu"
    assert TEXT["c_route"].en in _headers(page, ".st-key-interface-table")
    assert not CJK.search(page.locator(".st-key-card-highways").inner_text())
    assert offline.blocked == []


def test_a_chinese_browser_opens_the_page_in_chinese(app, browser):
    offline = e2e.OfflineGuard()
    page = _page(browser, "zh-CN", offline)
    _open(page, app.url)
    assert page.locator("h1").first.inner_text().strip() == TITLE.zh
    assert _selected(page, TEXT["focus_region"].zh) == "浙江省"
    assert _metric_labels(page, "highways")[:2] == [TEXT["routes"].zh, TEXT["interfaces"].zh]
    _shoot(page, "e2e-language-zh-browser.png")
    # A link that names the language wins over the browser's.
    _open(page, f"{app.url}/?lang=en")
    assert page.locator("h1").first.inner_text().strip() == TITLE.en
    assert offline.blocked == []


def test_a_bad_upload_is_refused_in_chinese_only(app, browser, tmp_path):
    # A Chinese visitor uploads a file that is no GeoJSON: the error box reads Chinese only,
    # the file's name as it is (tests/test_error_language.py checks every error's sentences).
    offline = e2e.OfflineGuard()
    page = _page(browser, "zh-CN", offline)
    _open(page, app.url)
    broken = tmp_path / "坏文件_broken.geojson"
    broken.write_text("not a GeoJSON file", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(broken))
    alert = page.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for(timeout=90_000)
    e2e.wait_settled(page)
    text = alert.inner_text().strip()
    assert text.startswith("无法把 坏文件_broken.geojson 作为 GIS 文件读取"), text
    assert CJK.search(text) and english_sentence_words(text) == [], text
    alert.scroll_into_view_if_needed()
    page.screenshot(path=str(e2e.ARTIFACTS / "e2e-error-zh.png"))
    assert offline.blocked == []


#: The words the uploader shows, as drawn: the text of every part whose font is not 0 and
#: is not hidden, and the ``content`` of every ``::before`` and ``::after``; not the icons'
#: names.
_UPLOADER_WORDS = """() => {
    const root = document.querySelector('[data-testid="stSidebar"] [data-testid="stFileUploader"]');
    const out = [];
    const shown = el => { const s = getComputedStyle(el);
        return s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.fontSize) > 0; };
    const walk = el => {
        if (getComputedStyle(el).display === 'none') { return; }
        for (const pseudo of ['::before', '::after']) {
            const c = getComputedStyle(el, pseudo).content;
            if (c && c !== 'none' && c !== 'normal') { out.push(c.replace(/^"|"$/g, '')); }
        }
        for (const node of el.childNodes) {
            // (an icon's name is drawn as the icon, by its font's ligature, not as a word)
            if (node.nodeType === Node.TEXT_NODE && node.textContent.trim() && shown(el)
                && !el.closest('[data-testid="stIconMaterial"]')) {
                out.push(node.textContent.trim());
            } else if (node.nodeType === Node.ELEMENT_NODE) { walk(node); }
        }
    };
    walk(root);
    return out;
}"""

#: Streamlit's own English words on its uploader (1.67: "Upload", "200MB per file • ...";
#: older: "Drag and drop file here", "Limit 200MB per file", "Browse files").
_STREAMLIT_WORDS = re.compile(r"\b(Upload|Browse|files?|Drag|drop|Limit|per)\b")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_uploader_speaks_the_page_language(app, browser, lang):
    offline = e2e.OfflineGuard()
    page = _page(browser, "en-GB", offline)
    try:
        _open(page, f"{app.url}/?lang={lang}")
        uploader = page.locator(f'{SIDEBAR} [data-testid="stFileUploader"]')
        uploader.scroll_into_view_if_needed()
        words = page.evaluate(_UPLOADER_WORDS)
        text = " ".join(words)
        label = TEXT["upload"].zh if lang == "zh" else TEXT["upload"].en
        assert label in words
        if lang == "zh":
            assert _STREAMLIT_WORDS.findall(text) == [], words
            assert TEXT["uploader_button"].zh in words
            assert any(w.startswith("每个文件不超过") for w in words), words
        else:  # the English page keeps Streamlit's own words
            assert "Upload" in words, words
        uploader.screenshot(path=str(e2e.ARTIFACTS / f"e2e-uploader-{lang}.png"))
    finally:
        page.context.close()
    assert offline.blocked == []


#: Letters GBK text turns into when read as ISO-8859-1 (浙江省 as Õã½­Ê¡): all of Latin-1's
#: but "·", the page's separator.
MOJIBAKE = re.compile(r"[\u00a1-\u00b6\u00b8-\u00ff]")


def _gbk_regions_zip(folder: Path) -> Path:
    """浙江省 and 上海市 side by side: a zipped Shapefile whose text is GBK, its .cpg lost.

    Regions alone: the page takes one file, and a zip's second Shapefile is not read.
    """
    regions = gpd.GeoDataFrame(
        {"name": ["浙江省", "上海市"]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=CRS
    )
    shp = folder / "regions.shp"
    pyogrio.write_dataframe(regions, shp, encoding="GBK")
    shp.with_suffix(".cpg").unlink()
    archive = folder / "省界.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            out.write(shp.with_suffix(suffix), shp.with_suffix(suffix).name)
    return archive


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_gbk_shapefile_shows_its_chinese_names_and_says_so(app, browser, offline, tmp_path, lang):
    # Chinese GIS software writes GBK; GDAL alone read it as ISO-8859-1 without a word.
    archive = _gbk_regions_zip(tmp_path)
    page = _page(browser, "zh-CN" if lang == "zh" else "en-GB", offline)
    try:
        _open(page, f"{app.url}/?lang={lang}")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(archive)
        )
        page.get_by_text(f"{archive.name} · ").first.wait_for(timeout=90_000)  # its caption
        e2e.wait_settled(page)
        label = TEXT["focus_region"].zh if lang == "zh" else TEXT["focus_region"].en
        page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(has_text=label).click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        assert sorted(options.all_inner_texts()) == ["上海市", "浙江省"]
        text = page.locator("body").inner_text()
        assert MOJIBAKE.findall(text) == [], MOJIBAKE.findall(text)
        page.keyboard.press("Escape")
        file = Bilingual(f"The boundaries file {archive.name}", f"边界文件 {archive.name} ")
        note = encoding_note("GB18030", file)[0]
        warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text=".cpg")
        assert warning.inner_text().strip() == (note.zh if lang == "zh" else note.en)
        warning.scroll_into_view_if_needed()
        page.screenshot(path=str(e2e.ARTIFACTS / f"e2e-gbk-shapefile-{lang}.png"))
    finally:
        page.context.close()
    assert offline.blocked == []
